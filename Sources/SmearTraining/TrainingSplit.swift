import Foundation

/// The training/validation split of one or more datasets, as recorded next to a trained
/// model (`split.json`): slide-layout datasets are split by patient (`PatientSplit`),
/// class-folder datasets by image (`ImageHoldout`).
public struct TrainingSplit: Sendable, Codable, Equatable {
    /// One dataset's part of the split.
    public struct Part: Sendable, Codable, Equatable {
        /// The dataset's name and root folder.
        public var dataset: String
        public var root: String
        public var layout: DatasetLayout
        /// Slide layouts: held-out slides with patient and diagnosis, and the training slides.
        public var heldOutSlides: [HeldOutSlide]
        public var trainingSlides: [String]
        /// Class-folder layouts: the fraction held out and the held-out images, relative to `root`.
        public var heldOutFraction: Double
        public var heldOutImages: [String]
        /// Image counts on each side.
        public var trainingCount: Int
        public var validationCount: Int
    }

    /// A held-out slide.
    public struct HeldOutSlide: Sendable, Codable, Equatable {
        public var slide: String
        public var patient: String
        public var diagnosis: String
    }

    /// The seed the split was drawn from.
    public var seed: UInt64
    public var parts: [Part]

    /// Draws a split: `heldOutSlides` slides of every slide-layout dataset (by patient,
    /// stratified by diagnosis; never all of them) and `imageFraction` of every class-folder
    /// dataset (by class).
    public static func make(datasets: [CellDataset], heldOutSlides: Int, imageFraction: Double, seed: UInt64) -> TrainingSplit {
        var parts: [Part] = []
        for dataset in datasets {
            var part = Part(dataset: dataset.name, root: dataset.root, layout: dataset.layout, heldOutSlides: [],
                            trainingSlides: [], heldOutFraction: 0, heldOutImages: [], trainingCount: 0, validationCount: 0)
            switch dataset.layout {
            case .slides:
                let slides = dataset.slideNames.map { name -> PatientSplit.Slide in
                    let record = dataset.slideTable?.slides[name]
                    return PatientSplit.Slide(name: name, patient: record?.patient ?? name, diagnosis: record?.diagnosis ?? "unknown")
                }
                // At least one slide always stays for training.
                let held = Set(PatientSplit.heldOutSlides(slides, heldOut: min(heldOutSlides, slides.count - 1), seed: seed))
                part.heldOutSlides = slides.filter { held.contains($0.name) }
                    .map { HeldOutSlide(slide: $0.name, patient: $0.patient, diagnosis: $0.diagnosis) }
                part.trainingSlides = slides.map(\.name).filter { !held.contains($0) }
            case .classFolders:
                part.heldOutFraction = imageFraction
                part.heldOutImages = ImageHoldout.heldOutPaths(dataset.cells, fraction: imageFraction, seed: seed)
                    .map { relativePath($0, root: dataset.root) }
            }
            let (training, validation) = split(dataset, part: part)
            part.trainingCount = training.count
            part.validationCount = validation.count
            parts.append(part)
        }
        return TrainingSplit(seed: seed, parts: parts)
    }

    /// The dataset's training and validation cells under this split (a dataset the split
    /// does not mention goes wholly to training).
    public func partition(_ dataset: CellDataset) -> (training: [LabelledCell], validation: [LabelledCell]) {
        guard let part = parts.first(where: { $0.dataset == dataset.name && $0.layout == dataset.layout }) else {
            return (dataset.cells, [])
        }
        return Self.split(dataset, part: part)
    }

    private static func split(_ dataset: CellDataset, part: Part) -> (training: [LabelledCell], validation: [LabelledCell]) {
        let heldSlides = Set(part.heldOutSlides.map(\.slide))
        let heldImages = Set(part.heldOutImages)
        var training: [LabelledCell] = [], validation: [LabelledCell] = []
        for cell in dataset.cells {
            let held = cell.slide.map(heldSlides.contains) ?? false
                || heldImages.contains(relativePath(cell.path, root: dataset.root))
            if held { validation.append(cell) } else { training.append(cell) }
        }
        return (training, validation)
    }

    static func relativePath(_ path: String, root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// Writes the split as JSON (to a temporary file, then renamed).
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    /// Reads a split written by `write(to:)`.
    public static func read(from url: URL) throws -> TrainingSplit {
        try JSONDecoder().decode(TrainingSplit.self, from: Data(contentsOf: url))
    }
}
