import Foundation
import SmearCells

/// One labelled single-cell image.
public struct LabelledCell: Sendable, Hashable, Codable {
    /// The image file.
    public var path: String
    /// Its class, through the label map.
    public var cellClass: CellClass
    /// The label (folder name) it came from.
    public var label: String
    /// The dataset it belongs to (the dataset root's folder name, e.g. `deepapl`, `pbc`).
    public var dataset: String
    /// The slide folder, for slide layouts.
    public var slide: String?

    public init(path: String, cellClass: CellClass, label: String, dataset: String, slide: String? = nil) {
        self.path = path
        self.cellClass = cellClass
        self.label = label
        self.dataset = dataset
        self.slide = slide
    }
}

/// How a dataset's folders are arranged.
public enum DatasetLayout: String, Sendable, Codable, CaseIterable {
    /// `<root>/<label>/…/*.jpg`: one folder per class.
    case classFolders = "class-folders"
    /// `<root>/<slide>/…/<label>/*.jpg`: one folder per slide, labels below (CellaVision
    /// exports); an optional `<root>/slides.csv` gives patient, diagnosis and the signed
    /// differential.
    case slides
}

/// A labelled cell-image dataset found on disk, through a label map.
///
/// Scanning never fails on a label it does not know: such images are counted in
/// `unknownLabels` and left out. Paths are sorted, so the same tree always gives the same
/// dataset in the same order.
public struct CellDataset: Sendable {
    /// The dataset's name (its root folder's name).
    public var name: String
    /// The root folder.
    public var root: String
    /// The folder arrangement.
    public var layout: DatasetLayout
    /// The labelled images, sorted by path.
    public var cells: [LabelledCell]
    /// Images under labels the map does not know, by label.
    public var unknownLabels: [String: Int]
    /// Images under labels the map ignores.
    public var ignoredImages: Int
    /// `slides.csv`, when the root has one.
    public var slideTable: SlideTable?

    /// The image file extensions considered (lower case).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]

    /// Scans `root`; `layout` `nil` detects it: class folders when most top-level folder
    /// names are labels the map knows, slides otherwise.
    public static func scan(root: String, labelMap: LabelMap, layout: DatasetLayout? = nil) throws(DatasetError) -> CellDataset {
        let rootURL = URL(fileURLWithPath: root).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootURL.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DatasetError(path: root, reason: "not a folder")
        }
        let topFolders = try subfolders(of: rootURL)
        if topFolders.isEmpty { throw DatasetError(path: root, reason: "has no subfolders (expected one per class or per slide)") }
        let known = topFolders.filter { labelMap.resolve(label: $0.lastPathComponent) != .unknown }.count
        let resolvedLayout = layout ?? (known * 2 >= topFolders.count ? .classFolders : .slides)
        let name = rootURL.lastPathComponent

        var cells: [LabelledCell] = []
        var unknown: [String: Int] = [:]
        var ignored = 0
        for folder in topFolders {
            for image in try images(under: folder) {
                let label: String
                let slide: String?
                switch resolvedLayout {
                case .classFolders:
                    label = folder.lastPathComponent; slide = nil
                case .slides:
                    let parent = image.deletingLastPathComponent()
                    guard parent.path != folder.path else { unknown["(no label folder)", default: 0] += 1; continue }
                    label = parent.lastPathComponent; slide = folder.lastPathComponent
                }
                switch labelMap.resolve(label: label, fileName: image.lastPathComponent) {
                case .cell(let c):
                    cells.append(LabelledCell(path: image.path, cellClass: c, label: label, dataset: name, slide: slide))
                case .ignored: ignored += 1
                case .unknown: unknown[label, default: 0] += 1
                }
            }
        }
        cells.sort { $0.path < $1.path }

        var table: SlideTable? = nil
        let csv = rootURL.appendingPathComponent("slides.csv").path
        if resolvedLayout == .slides, FileManager.default.fileExists(atPath: csv) {
            do { table = try SlideTable.load(path: csv, labelMap: labelMap) } catch {
                throw DatasetError(path: csv, reason: error.description)
            }
        }
        return CellDataset(name: name, root: rootURL.path, layout: resolvedLayout, cells: cells,
                           unknownLabels: unknown, ignoredImages: ignored, slideTable: table)
    }

    /// Images per class.
    public var classCounts: [CellClass: Int] {
        cells.reduce(into: [:]) { $0[$1.cellClass, default: 0] += 1 }
    }

    /// The slide names present, sorted.
    public var slideNames: [String] { Array(Set(cells.compactMap(\.slide))).sorted() }

    /// A one-line-per-fact summary for logs: images, classes, unknown and ignored labels.
    public var summaryLines: [String] {
        var lines = ["\(name) (\(layout.rawValue)): \(cells.count) images"
                     + (layout == .slides ? " on \(slideNames.count) slides" : "")]
        let counts = classCounts
        lines.append("  " + CellClass.allCases.compactMap { c in counts[c].map { "\(c.rawValue) \($0)" } }.joined(separator: ", "))
        for (label, n) in unknownLabels.sorted(by: { $0.key < $1.key }) {
            lines.append("  unknown label \"\(label)\": \(n) images skipped (add it to the label map)")
        }
        if ignoredImages > 0 { lines.append("  \(ignoredImages) images under ignored labels skipped") }
        return lines
    }

    private static func subfolders(of url: URL) throws(DatasetError) -> [URL] {
        let entries: [URL]
        do {
            entries = try FileManager.default.contentsOfDirectory(
                at: url, includingPropertiesForKeys: [.isDirectoryKey, .isSymbolicLinkKey], options: [.skipsHiddenFiles])
        } catch {
            throw DatasetError(path: url.path, reason: "cannot list folder")
        }
        return entries.filter { entry in
            let values = try? entry.resourceValues(forKeys: [.isDirectoryKey, .isSymbolicLinkKey])
            return values?.isDirectory == true && values?.isSymbolicLink != true
        }.sorted { $0.path < $1.path }
    }

    /// Image files below `folder` (symbolic links to folders are not followed, so a link
    /// loop cannot hang the scan).
    private static func images(under folder: URL) throws(DatasetError) -> [URL] {
        var found: [URL] = []
        var pending = [folder]
        while let current = pending.popLast() {
            let entries: [URL]
            do {
                entries = try FileManager.default.contentsOfDirectory(
                    at: current, includingPropertiesForKeys: [.isDirectoryKey, .isSymbolicLinkKey], options: [.skipsHiddenFiles])
            } catch {
                throw DatasetError(path: current.path, reason: "cannot list folder")
            }
            for entry in entries {
                let values = try? entry.resourceValues(forKeys: [.isDirectoryKey, .isSymbolicLinkKey])
                if values?.isDirectory == true {
                    if values?.isSymbolicLink != true { pending.append(entry) }
                } else if imageExtensions.contains(entry.pathExtension.lowercased()) {
                    found.append(entry)
                }
            }
        }
        return found
    }
}

/// Why a dataset could not be scanned: the path and the reason, on one line.
public struct DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}
