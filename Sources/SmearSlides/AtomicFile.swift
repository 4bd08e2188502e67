#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Writes whole files so that readers only ever see the old content or the complete new one.
///
/// The bytes go to a hidden temporary file in the destination's folder, are flushed, and the
/// temporary file is renamed over the destination. A failure (disk full, file-size limit,
/// permissions) removes the temporary file and leaves the destination untouched. A killed
/// process can leave a temporary file behind; `removeLeftovers(in:)` sweeps them.
///
/// Note for the lead: the `imaging` branch is building an atomic writer too; this one lives
/// here so the slide layer does not wait for it, and the two can be merged into one.
public enum AtomicFile {
    /// The marker in temporary file names; `removeLeftovers` deletes names containing it.
    static let temporaryMarker = ".smearscan-tmp-"

    /// Atomically replaces `path` with `bytes`.
    public static func write(_ bytes: some Collection<UInt8>, to path: String) throws(FileSystemError) {
        let folder = POSIXFile.parentPath(path)
        let name = String(path.split(separator: "/").last ?? "")
        let temporary = folder + "/." + name + temporaryMarker + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXFile.error("cannot write", path) }
        do throws(FileSystemError) {
            try writeAll(bytes, to: fd, path: path)
            if fsync(fd) != 0 { throw POSIXFile.error("cannot flush", path) }
            if close(fd) != 0 { throw POSIXFile.error("cannot write", path) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        do throws(FileSystemError) {
            try POSIXFile.moveReplacing(temporary, to: path)
        } catch {
            unlink(temporary)
            throw error
        }
        POSIXFile.syncDirectory(folder)
    }

    /// Atomically replaces `path` with the UTF-8 bytes of `text`.
    public static func write(_ text: String, to path: String) throws(FileSystemError) {
        try write(Array(text.utf8), to: path)
    }

    /// Deletes temporary files a killed run left in `folder` (not recursive).
    public static func removeLeftovers(in folder: String) throws(FileSystemError) {
        for name in try POSIXFile.entries(of: folder) where name.hasPrefix(".") && name.contains(temporaryMarker) {
            try POSIXFile.removeFile(folder + "/" + name)
        }
    }

    private static func writeAll(_ bytes: some Collection<UInt8>, to fd: Int32, path: String) throws(FileSystemError) {
        let contiguous = ContiguousArray(bytes)
        var offset = 0
        while offset < contiguous.count {
            let n = contiguous.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + offset, contiguous.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXFile.error("cannot write", path)
            }
            offset += n
        }
    }
}
