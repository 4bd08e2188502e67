import ArgumentParser
import Foundation
import SmearCells
import SmearImaging
import SmearSlides

/// `smearscan locate`: finds the white cells in images and prints them.
struct LocateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locate",
        abstract: "Find the white cells (leukocytes) in smear images.",
        discussion: """
        Prints one line per cell (centre, box, nucleus and cell area in µm², border flag), or \
        JSON with --json. Without --scale the scale is estimated from the red cells (per image, \
        so noisy: for a slide, prefer the median estimate over its images). --overlay writes \
        PNGs with the boxes drawn, for a person to check.
        """
    )

    @Argument(help: "PNG or JPEG images.")
    var images: [String]

    @Option(help: "Source scale in µm per pixel (default: estimated from the red cells).")
    var scale: Double?

    @Flag(help: "Print JSON (one object per image) instead of text.")
    var json = false

    @Option(help: "Write a PNG per image into this folder with the cells' boxes drawn (red: whole, orange: cut by the border).")
    var overlay: String?

    mutating func validate() throws {
        if let s = scale, !(s > 0) { throw ValidationError("--scale must be a positive number of µm per pixel") }
    }

    func run() throws {
        let locator = LeukocyteLocator()
        if let folder = overlay {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        var failures = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if !json { print("# \(ResearchUseNotice.text)") }
        for path in images {
            let image: RGBImage
            do { image = try ImageDecoder.decode(path: path) } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                failures += 1
                continue
            }
            let result = locator.locate(image, micronsPerPixel: scale)
            if let folder = overlay {
                let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".locate.png"
                do {
                    try PNGEncoder.write(CellOverlay.draw(result, on: image), to: URL(fileURLWithPath: folder).appendingPathComponent(name).path)
                } catch {
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                    failures += 1
                }
            }
            if json {
                let report = LocateReport(image: path, width: image.width, height: image.height, result: result)
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(Self.describe(path: path, result: result))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// The text report of one image.
    static func describe(path: String, result r: LocatorResult) -> String {
        let s = r.micronsPerPixel
        var lines = ["\(path): \(r.cells.count) cell(s), \(String(format: "%.4f", s)) µm/px"
            + (r.scaleWasEstimated ? " (estimated)" : "") + String(format: ", focus %.3g", r.focus)]
        for (k, c) in r.cells.enumerated() {
            lines.append(String(format: "  %d: centre (%.0f, %.0f) box %d,%d %dx%d nucleus %.1f µm² cell %.1f µm² score %.2f%@",
                                k + 1, c.centerX, c.centerY, c.bounds.x, c.bounds.y, c.bounds.width, c.bounds.height,
                                c.nucleusArea(micronsPerPixel: s), c.cellArea(micronsPerPixel: s), c.score,
                                c.touchesBorder ? " border" : ""))
        }
        return lines.joined(separator: "\n")
    }
}

/// The JSON shape `locate --json` prints per image.
struct LocateReport: Encodable {
    var image: String
    /// The image's size in pixels: cell coordinates are in its frame.
    var width: Int
    var height: Int
    var result: LocatorResult
    var notice = ResearchUseNotice.text
}
