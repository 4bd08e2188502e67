#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX calls SmearSlides makes, each turning a C return code into a `FileSystemError`
/// here and nowhere else.
enum POSIXFile {
    /// What `stat` says about a path.
    struct Status: Sendable, Equatable {
        enum Kind: Sendable { case regular, directory, other }
        var kind: Kind
        /// Device and inode: a directory's identity, used to walk symlink loops only once.
        var device: UInt64
        var inode: UInt64
        var size: Int64
        /// Modification time in nanoseconds since the epoch.
        var modificationNanoseconds: Int64
        var identity: FileIdentity { FileIdentity(device: device, inode: inode) }
    }

    static func error(_ operation: String, _ path: String, _ code: Int32 = errno) -> FileSystemError {
        FileSystemError(operation, path: path, reason: String(cString: strerror(code)), code: code)
    }

    /// `stat` (following symbolic links) or `lstat`.
    static func status(_ path: String, followLinks: Bool = true) throws(FileSystemError) -> Status {
        var st = stat()
        let rc = followLinks ? stat(path, &st) : lstat(path, &st)
        guard rc == 0 else { throw error("cannot read file status of", path) }
        let format = st.st_mode & S_IFMT
        let kind: Status.Kind = format == S_IFREG ? .regular : format == S_IFDIR ? .directory : .other
        #if canImport(Darwin)
        let mtime = st.st_mtimespec
        #else
        let mtime = st.st_mtim
        #endif
        return Status(kind: kind, device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
                      modificationNanoseconds: Int64(mtime.tv_sec) * 1_000_000_000 + Int64(mtime.tv_nsec))
    }

    /// Whether something (anything, even a dangling link) exists at `path`.
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// The names in a folder, without `.` and `..`, in no particular order.
    static func entries(of path: String) throws(FileSystemError) -> [String] {
        guard let dir = opendir(path) else { throw error("cannot list folder", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Up to `count` leading bytes of a file (fewer when the file is shorter).
    static func readPrefix(of path: String, count: Int) throws(FileSystemError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw error("cannot open", path) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw error("cannot read", path)
            }
            if n == 0 { break }
            filled += n
        }
        return Array(bytes.prefix(filled))
    }

    /// Creates a folder and any missing parents (like `mkdir -p`).
    static func makeDirectories(_ path: String) throws(FileSystemError) {
        if let st = try? status(path), st.kind == .directory { return }
        let parent = parentPath(path)
        if parent != path && !parent.isEmpty { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw error("cannot create folder", path) }
        let st = try status(path)
        guard st.kind == .directory else {
            throw FileSystemError("cannot create folder", path: path, reason: "a file of that name is in the way", code: ENOTDIR)
        }
    }

    /// Removes a file; a missing file is not an error.
    static func removeFile(_ path: String) throws(FileSystemError) {
        if unlink(path) != 0 && errno != ENOENT { throw error("cannot remove", path) }
    }

    /// The text of a NUL-terminated C buffer.
    static func string(fromCString buffer: [CChar]) -> String {
        String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The folder part of a path ("/a/b/c" → "/a/b", "c" → ".").
    static func parentPath(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }
}

/// A file's identity on this machine: device and inode number.
public struct FileIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    /// The identity of the file or folder at `path` (links followed), nil when it does not exist.
    public init?(path: String) {
        guard let status = try? POSIXFile.status(path) else { return nil }
        self = status.identity
    }
}
