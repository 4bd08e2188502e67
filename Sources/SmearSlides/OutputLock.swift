#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output folder's lock: one `analyze` run per folder at a time.
///
/// The lock is a file created with `O_CREAT | O_EXCL` holding the owner's pid and host.
/// A lock whose pid no longer runs on this host is stale (a killed run) and is taken over;
/// so is a lock file left empty for seconds (a run killed between creating and writing
/// it); a live one, or one from another host (whose pid cannot be checked), is refused
/// with a message saying which process holds it. Two runs taking over the same stale lock in the
/// same instant could both succeed; that window is a few microseconds after a crash.
public struct OutputLock: Sendable {
    /// The lock's file name inside the output folder.
    public static let fileName = ".smearscan.lock"

    public let path: String
    private let token: String

    /// Takes the lock of `folder` (which must exist).
    public init(folder: String) throws(AnalyzeError) {
        path = SlideDiscovery.join(folder, Self.fileName)
        token = "\(getpid())\n\(Self.hostName())\n"
        for _ in 0..<2 {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                let written = token.utf8CString.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count - 1) }
                close(fd)
                guard written == token.utf8.count else {
                    unlink(path)
                    throw AnalyzeError(.output, "cannot write lock file \(path): \(String(cString: strerror(errno)))")
                }
                return
            }
            guard errno == EEXIST else {
                throw AnalyzeError(.output, "cannot write to output folder \(folder): \(String(cString: strerror(errno)))")
            }
            let holder = Self.holder(of: path)
            if let holder, holder.host == Self.hostName(), !Self.isRunning(holder.pid) {
                unlink(path)  // stale: its run was killed
                continue
            }
            if holder == nil, Self.age(of: path) > Self.unwrittenLockAge {
                unlink(path)  // a run killed between creating the lock and writing its pid
                continue
            }
            let who = holder.map { "process \($0.pid) on \($0.host)" } ?? "another process"
            throw AnalyzeError(.outputLocked, "output folder \(folder) is in use by \(who) (lock file \(path)); "
                + "wait for that run to finish, or delete the lock file if no run is active")
        }
        throw AnalyzeError(.outputLocked, "output folder \(folder): could not take the lock \(path)")
    }

    /// Removes the lock if it is still ours.
    public func release() {
        if let holder = Self.holder(of: path), "\(holder.pid)\n\(holder.host)\n" == token { unlink(path) }
    }

    private static func holder(of path: String) -> (pid: Int32, host: String)? {
        guard let bytes = try? POSIXFile.readPrefix(of: path, count: 512) else { return nil }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, let pid = Int32(lines[0]), pid > 0 else { return nil }
        return (pid, String(lines[1]))
    }

    /// A lock file still without a pid after this many seconds was left by a run killed
    /// in the instant between creating and writing it (a live run writes within microseconds).
    static let unwrittenLockAge: Double = 5

    /// Seconds since the file was last modified (0 when it cannot be read).
    private static func age(of path: String) -> Double {
        guard let status = try? POSIXFile.status(path) else { return 0 }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - status.modificationNanoseconds) / 1e9
    }

    private static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return POSIXFile.string(fromCString: buffer)
    }
}
