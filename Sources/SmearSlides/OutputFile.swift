import Foundation
import SmearImaging

/// Writes the slide layer's output files atomically (through SmearImaging's `AtomicFile`)
/// and sweeps the temporary files a killed run left behind.
enum OutputFile {
    /// Atomically replaces `path` with `bytes`.
    static func write(_ bytes: [UInt8], to path: String) throws(FileSystemError) {
        do { try AtomicFile.write(bytes, to: path) } catch {
            throw FileSystemError("cannot write", path: path, reason: error.reason)
        }
    }

    /// Atomically replaces `path` with the UTF-8 bytes of `text`.
    static func write(_ text: String, to path: String) throws(FileSystemError) {
        try write(Array(text.utf8), to: path)
    }

    /// Deletes the temporary files (`.<name>.tmp-<pid>-<n>`, `AtomicFile`'s naming) that a
    /// killed run left in `folder`; not recursive. Only called on SmearScan's own output
    /// folders, under the output lock, so nothing else can be writing there.
    static func removeLeftovers(in folder: String) throws(FileSystemError) {
        for name in try POSIXFile.entries(of: folder) where isTemporaryName(name) {
            try POSIXFile.removeFile(folder + "/" + name)
        }
    }

    /// Whether `name` is an `AtomicFile` temporary name.
    static func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards) else { return false }
        let suffix = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        return suffix.count == 2 && suffix.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }
}
