import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The clock benchmarks read: wall time, or CPU time, which on a shared machine leaves out
/// the time other processes held the cores.
public enum TimingClock: String, Sendable, CaseIterable {
    /// Elapsed real time.
    case wall
    /// CPU time of the calling thread (single-threaded measurements).
    case threadCPU
    /// CPU time of all the process's threads (multi-threaded measurements: divide by the
    /// threads kept busy for an estimate of the wall time on dedicated cores).
    case processCPU

    /// Nanoseconds since an arbitrary origin.
    public func now() -> UInt64 {
        switch self {
        case .wall:
            return DispatchTime.now().uptimeNanoseconds
        case .threadCPU, .processCPU:
            var spec = timespec()
            clock_gettime(self == .threadCPU ? CLOCK_THREAD_CPUTIME_ID : CLOCK_PROCESS_CPUTIME_ID, &spec)
            return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
        }
    }

    /// Seconds `body` takes.
    public func seconds(_ body: () -> Void) -> Double {
        let start = now()
        body()
        return Double(now() - start) * 1e-9
    }
}
