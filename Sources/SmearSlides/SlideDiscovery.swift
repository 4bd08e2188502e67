#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SmearImaging

/// Finds the slides of a batch and the images of each slide, without writing anything.
///
/// A batch root's immediate subfolders are slides, and images lying directly in the root
/// form one more slide named after the root. In slide mode each input is one slide.
/// Images are recognised by content (PNG and JPEG magic bytes), hidden files are skipped,
/// symbolic links are followed but each folder is walked once (loops end), and every list
/// is sorted byte-wise by path so runs are reproducible.
public enum SlideDiscovery {
    /// How the command's inputs are read.
    public enum Layout: Sendable {
        /// Each input is a folder of slide folders (the default).
        case batchRoots
        /// Each input is one slide (`--slide`).
        case slideFolders
    }

    /// The slides of `inputs`, in input order then byte-wise name order.
    ///
    /// - Parameter excluding: folders never to treat as slides or walk into (the output
    ///   folder, when it lies inside an input).
    public static func slides(in inputs: [String], layout: Layout,
                              excluding: Set<FileIdentity> = []) throws(AnalyzeError) -> [SlideSource] {
        var slides: [SlideSource] = []
        for input in inputs {
            let status: POSIXFile.Status
            do { status = try POSIXFile.status(input) } catch {
                throw AnalyzeError(.usage, "input \(input) cannot be read: \(error.reason)")
            }
            guard status.kind == .directory else {
                throw AnalyzeError(.usage, "input \(input) is not a folder (inputs are slide folders or folders of slide folders)")
            }
            let name = folderName(input)
            switch layout {
            case .slideFolders:
                slides.append(SlideSource(name: name, folder: input, scope: .wholeTree))
            case .batchRoots:
                let entries: [String]
                do { entries = try POSIXFile.entries(of: input).sortedByteWise() } catch {
                    throw AnalyzeError(.usage, error.description)
                }
                var hasLooseImages = false
                for entry in entries where !entry.hasPrefix(".") {
                    let path = join(input, entry)
                    guard let st = try? POSIXFile.status(path) else { continue }
                    if st.kind == .directory && !excluding.contains(st.identity) {
                        slides.append(SlideSource(name: entry, folder: path, scope: .wholeTree))
                    } else if st.kind == .regular, !hasLooseImages, (try? sniff(path))?.isSupported == true {
                        hasLooseImages = true
                    }
                }
                if hasLooseImages { slides.append(SlideSource(name: name, folder: input, scope: .topLevelFiles)) }
            }
        }
        try checkUniqueNames(slides)
        return slides
    }

    /// Lists a slide's files. Problems below the slide folder (an unreadable subfolder or
    /// file) become `unusable` entries; only an unreadable slide folder throws.
    public static func inventory(of slide: SlideSource,
                                 excluding: Set<FileIdentity> = []) throws(FileSystemError) -> SlideInventory {
        var inventory = SlideInventory()
        var visited: Set<FileIdentity> = excluding
        let top = try POSIXFile.status(slide.folder)
        visited.insert(top.identity)
        try walk(slide.folder, prefix: "", scope: slide.scope, into: &inventory, visited: &visited)
        inventory.images.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        inventory.nonImages.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        inventory.unusable.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return inventory
    }

    /// File-name endings that promise an image: such a file that is not PNG or JPEG by
    /// content is a failed image, not a silently skipped one.
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "jpe", "png", "tif", "tiff", "bmp", "gif", "webp"]

    private static func walk(_ folder: String, prefix: String, scope: SlideSource.Scope,
                             into inventory: inout SlideInventory, visited: inout Set<FileIdentity>) throws(FileSystemError) {
        for name in try POSIXFile.entries(of: folder) {
            if name.hasPrefix(".") { inventory.hiddenCount += 1; continue }
            let path = join(folder, name)
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            let status: POSIXFile.Status
            do { status = try POSIXFile.status(path) } catch {
                inventory.unusable.append(ImageFailure(path: relative, reason: error.reason))
                continue
            }
            let file = InputFile(path: relative, size: status.size, modified: status.modificationNanoseconds)
            switch status.kind {
            case .directory:
                guard scope == .wholeTree, visited.insert(status.identity).inserted else { continue }
                do {
                    try walk(path, prefix: relative, scope: scope, into: &inventory, visited: &visited)
                } catch {
                    inventory.unusable.append(ImageFailure(path: relative, reason: error.reason))
                }
            case .regular:
                let format: ImageFormat
                do { format = try sniff(path) } catch {
                    inventory.unusable.append(ImageFailure(path: relative, reason: error.reason))
                    continue
                }
                if format.isSupported {
                    inventory.images.append(file)
                } else if imageExtensions.contains(fileExtension(name)) {
                    let reason = format == .unknown
                        ? (status.size == 0 ? "file is empty (0 bytes)" : "not a PNG or JPEG file (unrecognised leading bytes)")
                        : "\(format.rawValue.uppercased()) images are not supported (PNG and JPEG only)"
                    inventory.unusable.append(ImageFailure(path: relative, reason: reason))
                } else {
                    inventory.nonImages.append(file)
                }
            case .other:
                // FIFOs, sockets, devices: never opened (a FIFO would block).
                inventory.nonImages.append(file)
            }
        }
    }

    private static func sniff(_ path: String) throws(FileSystemError) -> ImageFormat {
        let head = try POSIXFile.readPrefix(of: path, count: 16)
        return head.withUnsafeBytes { ImageFormat.sniff($0) }
    }

    private static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: ".") else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// A folder's own name, with `.`, `..` and trailing slashes resolved.
    static func folderName(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : (currentDirectory() + "/" + path)
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return parts.last.map(String.init) ?? "root"
    }

    private static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "" }
        return POSIXFile.string(fromCString: buffer)
    }

    private static func checkUniqueNames(_ slides: [SlideSource]) throws(AnalyzeError) {
        var seen: [String: String] = [:]
        for slide in slides {
            if let other = seen[slide.name] {
                throw AnalyzeError(.usage, "two slides are named \"\(slide.name)\" (\(other) and \(slide.folder)); their outputs would collide in one folder")
            }
            seen[slide.name] = slide.folder
        }
    }
}

extension Array where Element == String {
    /// Sorted by UTF-8 bytes: the same order on every machine and locale.
    func sortedByteWise() -> [String] { sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
}
