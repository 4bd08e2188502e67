import Foundation
import SmearSlides
import SmearTestSupport
import Synchronization

/// A small batch of scripted slides and helpers to run `BatchRunner` on it.
struct BatchFixture {
    let dir: TemporaryDirectory
    var input: URL { dir.url.appendingPathComponent("input") }
    var output: URL { dir.url.appendingPathComponent("out") }
    static let model = ModelIdentity(name: "scripted-test-model", sha256: String(repeating: "ab", count: 32))

    init() throws {
        dir = try TemporaryDirectory("batch")
        let input = dir.url.appendingPathComponent("input")
        for i in 0..<24 {
            try ScriptedImage.write(["random \(i + 1) \(i % 5)", "focus \(i % 4 == 0 ? 10 : 100)"],
                                    to: input.appendingPathComponent("Patient A/\(i % 3 == 0 ? "Blast, no lineage spec" : "Lymphocyte")/cell \(i).jpg"))
        }
        try ScriptedImage.write(["blast 0.95", "promyelocyte 0.8", "neutrophil 0.45", "lymphocyte 0.9 border"],
                                to: input.appendingPathComponent("Patient B/Signed slides/a.jpg"))
        try ScriptedImage.write(["fail Premature end of JPEG file"], to: input.appendingPathComponent("Patient B/Signed slides/broken.jpg"))
        try ScriptedImage.write(["neutrophil 0.9 blast=0.3", "erythroblast 0.9"], to: input.appendingPathComponent("Patient B/z.jpg"))
        try FileManager.default.createDirectory(at: input.appendingPathComponent("Patient C (empty)"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: input.appendingPathComponent("Patient C (empty)/Thumbs.db"))
    }

    func options(jobs: Int = 2, resume: Bool = false, output: URL? = nil, oneCellPerImage: Bool = false) -> BatchOptions {
        var parameters = AnalysisParameters()
        parameters.blurFocusThreshold = 50
        parameters.oneCellPerImage = oneCellPerImage
        return BatchOptions(inputs: [input.path], outputFolder: (output ?? self.output).path, jobs: jobs,
                            resume: resume, parameters: parameters, model: Self.model,
                            thumbnailEncoder: svgThumbnailEncoder)
    }

    @discardableResult
    func run(jobs: Int = 2, resume: Bool = false, output: URL? = nil, calls: CallCounter? = nil,
             lines: LineLog? = nil, oneCellPerImage: Bool = false) throws(AnalyzeError) -> BatchOutcome {
        var sink: (@Sendable (String) -> Void)?
        if let lines { sink = { lines.add($0) } }
        let runner = BatchRunner(options: options(jobs: jobs, resume: resume, output: output, oneCellPerImage: oneCellPerImage),
                                 progress: ProgressReporter(mode: .quiet), jsonLines: sink,
                                 makeAnalyzer: { ScriptedAnalyzer(calls: calls) })
        return try runner.run()
    }

    /// Every file below `folder` (relative path → bytes).
    static func files(in folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            out[String(url.path.dropFirst(folder.path.count + 1))] = try Data(contentsOf: url)
        }
        return out
    }

    func remove() { dir.remove() }
}

/// A thread-safe list of lines.
final class LineLog: Sendable {
    private let storage = Mutex<[String]>([])
    func add(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}

