import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to the end and reports its peak resident memory, from `wait4`'s resource
/// usage for that one child (Foundation's `Process` does not expose it).
enum PeakMemory {
    struct Result {
        var status: Int32
        /// Peak resident set size in megabytes (10^6 bytes).
        var megabytes: Double
    }

    /// Runs `executable` with `arguments`, standard output and error to `log`.
    static func run(_ executable: URL, _ arguments: [String], log: URL) throws -> Result {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
        let exited = status & 0x7F == 0
        return Result(status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F),
                      megabytes: Double(usage.ru_maxrss) * 1024 / 1_000_000)  // ru_maxrss is in KiB on Linux
    }
}
