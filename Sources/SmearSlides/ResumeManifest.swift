import Foundation

/// The record that a slide's outputs are complete, written after them, last.
///
/// A slide is complete exactly when its manifest exists, its `key` equals the key of the
/// current run (same inputs by relative name, size and modification time, same model,
/// parameters and software version) and every output it lists is present with its
/// recorded size. `--resume` skips such slides and redoes every other one; a run killed
/// at any moment leaves either no manifest or a manifest describing finished outputs.
public struct ResumeManifest: Codable, Equatable, Sendable {
    /// The manifest's file name inside a slide's output folder.
    public static let fileName = "manifest.json"

    /// What the outputs were computed from.
    public struct Key: Codable, Equatable, Sendable {
        public var formatVersion = 1
        public var softwareVersion = SoftwareVersion.current
        public var slide: String
        public var model: ModelIdentity
        /// The parameters' canonical JSON.
        public var parameters: String
        public var images: [InputFile]
        public var nonImages: [InputFile]
        public var unusable: [ImageFailure]
        public var hiddenCount: Int

        public init(slide: String, inventory: SlideInventory, model: ModelIdentity, parameters: AnalysisParameters) {
            self.slide = slide
            self.model = model
            self.parameters = parameters.json.serialized(pretty: false)
            images = inventory.images
            nonImages = inventory.nonImages
            unusable = inventory.unusable
            hiddenCount = inventory.hiddenCount
        }
    }

    /// An output file and its size when written.
    public struct Output: Codable, Equatable, Sendable {
        public var name: String
        public var size: Int64
    }

    public var key: Key
    public var outputs: [Output]
    /// The slide's `slides.csv` row, so resumed slides need not be re-read.
    public var overview: SlideOverview

    public init(key: Key, outputs: [Output], overview: SlideOverview) {
        self.key = key
        self.outputs = outputs
        self.overview = overview
    }

    /// The manifest in `folder`, or nil when there is none or it cannot be read.
    public static func load(from folder: String) -> ResumeManifest? {
        guard let data = FileManager.default.contents(atPath: folder + "/" + fileName) else { return nil }
        return try? JSONDecoder().decode(ResumeManifest.self, from: data)
    }

    /// Whether the outputs this manifest lists are all in `folder` with their sizes.
    public func outputsIntact(in folder: String) -> Bool {
        outputs.allSatisfy { output in
            (try? POSIXFile.status(folder + "/" + output.name))?.size == output.size
        }
    }

    /// Writes the manifest atomically into `folder`.
    public func write(to folder: String) throws(FileSystemError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(self) } catch {
            throw FileSystemError("cannot encode", path: folder + "/" + Self.fileName, reason: String(describing: error))
        }
        try OutputFile.write([UInt8](data), to: folder + "/" + Self.fileName)
    }
}
