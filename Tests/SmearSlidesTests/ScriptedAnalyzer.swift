import Foundation
import SmearCells
import SmearImaging
import SmearPipeline
import SmearSlides
import SmearTestSupport
import Synchronization

/// Test images whose content scripts what the fake analyzer "finds": a PNG signature
/// (so discovery takes them for images) followed by one line per cell,
/// `<class> <probability> [border] [blast=<p>]`, plus optional `focus <value>`, `fail <reason>`
/// or `random <seed> <count>` lines.
enum ScriptedImage {
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Writes a scripted image at `url` (creating folders).
    static func write(_ lines: [String], to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(pngSignature + Array(lines.joined(separator: "\n").utf8)).write(to: url)
    }

    /// Probabilities with `top` at `probability`, `blast` at `blastProbability` if given,
    /// the rest spread evenly.
    static func probabilities(top: CellClass, probability: Float, blastProbability: Float? = nil) -> ClassProbabilities {
        var values = [CellClass: Float]()
        values[top] = probability
        if let blastProbability, top != .blast { values[.blast] = blastProbability }
        let others = CellClass.allCases.filter { values[$0] == nil }
        let rest = max(0, 1 - values.values.reduce(0, +)) / Float(others.count)
        for cellClass in others { values[cellClass] = rest }
        return ClassProbabilities(values)
    }
}

/// A deterministic stand-in for the real pipeline: reads a scripted image's lines.
struct ScriptedAnalyzer: ImageAnalyzer {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Counts calls across all instances (to see what `--resume` re-analyses).
    let calls: CallCounter?

    init(calls: CallCounter? = nil) { self.calls = calls }

    /// The script's lines, split into words.
    static func script(at url: URL) throws -> [[String]] {
        let bytes = [UInt8](try Data(contentsOf: url))
        guard bytes.starts(with: ScriptedImage.pngSignature) else {
            throw ImageError(.corrupt, path: url.path, reason: "not a scripted image")
        }
        let text = String(decoding: bytes.dropFirst(ScriptedImage.pngSignature.count), as: UTF8.self)
        return text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }

    /// A `scale <µm/px>` line is the image's own estimate (none: not measurable).
    mutating func measureScale(imageAt url: URL) throws -> ScaleSample {
        let scale = try Self.script(at: url).first { $0.first == "scale" }.flatMap { Double($0[1]) }
        return ScaleSample(width: 360, height: 363, micronsPerPixel: scale)
    }

    /// `needs-slide-scale <µm/px>` fails unless the slide scale for the image is that value.
    mutating func analyze(imageAt url: URL, slideScale: SlideScale?) throws -> ImageAnalysis {
        calls?.add(url.path)
        var cells: [AnalyzedCell] = []
        var focus: Double?
        for words in try Self.script(at: url) {
            let line = words.joined(separator: " ")
            switch words.first {
            case "fail": throw ImageError(.truncated, path: url.path, reason: words.dropFirst().joined(separator: " "))
            case "focus": focus = Double(words[1])
            case "scale": break
            case "needs-slide-scale":
                let scale = slideScale?.micronsPerPixel(width: 360, height: 363)
                guard scale == Double(words[1]) else { throw Failure(description: "slide scale \(scale.map { "\($0)" } ?? "none")") }
            case "random": cells += Self.randomCells(seed: UInt64(words[1])!, count: Int(words[2])!)
            case let name?:
                guard let cellClass = CellClass(rawValue: name), words.count >= 2, let p = Float(words[1]) else {
                    throw Failure(description: "bad script line \(line)")
                }
                let blast = words.first { $0.hasPrefix("blast=") }.flatMap { Float($0.dropFirst(6)) }
                let n = cells.count
                cells.append(AnalyzedCell(
                    box: PixelRect(x: 10 * n, y: 5 * n, width: 40, height: 42),
                    touchesBorder: words.contains("border"),
                    probabilities: ScriptedImage.probabilities(top: cellClass, probability: p, blastProbability: blast),
                    thumbnail: RGBImage(width: 4, height: 4, fill: RGB(UInt8(n * 20 % 256), 80, 160))))
            case nil: break
            }
        }
        return ImageAnalysis(width: 360, height: 363, cells: cells, focus: focus)
    }

    /// Reproducible random cells (for determinism tests over many cells).
    static func randomCells(seed: UInt64, count: Int) -> [AnalyzedCell] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { i in
            var raw = CellClass.allCases.map { _ in Float.random(in: 0.01...1, using: &generator) }
            let boost = Int.random(in: 0..<raw.count, using: &generator)
            raw[boost] += Float.random(in: 0...6, using: &generator)
            let sum = raw.reduce(0, +)
            return AnalyzedCell(
                box: PixelRect(x: Int.random(in: 0..<300, using: &generator), y: Int.random(in: 0..<300, using: &generator),
                               width: 50, height: 50),
                touchesBorder: Int.random(in: 0..<10, using: &generator) == 0,
                probabilities: ClassProbabilities(raw.map { $0 / sum }),
                thumbnail: RGBImage(width: 6, height: 6, fill: RGB(UInt8(i % 256), 120, 200)))
        }
    }
}

/// A thread-safe call log.
final class CallCounter: Sendable {
    private let paths = Mutex<[String]>([])
    func add(_ path: String) { paths.withLock { $0.append(path) } }
    var all: [String] { paths.withLock { $0 } }
}


/// A stand-in thumbnail encoder: an SVG of the thumbnail's first pixel colour.
let svgThumbnailEncoder: ThumbnailEncoder = { image in
    let c = image.pixelCount > 0 ? image[0, 0] : RGB(0, 0, 0)
    let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='\(image.width)' height='\(image.height)'><rect width='100%' height='100%' fill='rgb(\(c.r),\(c.g),\(c.b))'/></svg>"
    return EncodedImage(bytes: Array(svg.utf8), mimeType: "image/svg+xml")
}
