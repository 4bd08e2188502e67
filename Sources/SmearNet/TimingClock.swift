import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The clock benchmarks read: wall time, or the calling thread's own CPU time, which on a
/// shared machine leaves out the time other processes held the core (single-threaded
/// measurements only).
public enum TimingClock: String, Sendable, CaseIterable {
    case wall
    case threadCPU

    /// Nanoseconds since an arbitrary origin.
    public func now() -> UInt64 {
        switch self {
        case .wall:
            return DispatchTime.now().uptimeNanoseconds
        case .threadCPU:
            var spec = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
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
