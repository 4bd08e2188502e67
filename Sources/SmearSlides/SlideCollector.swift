import Synchronization
import SmearImaging
import SmearPipeline

/// Gathers a slide's image results from worker threads, in any order, into slots by
/// image index, so the slide comes out the same whatever finishes first.
///
/// Thumbnails not chosen for the report are never encoded or are dropped as results
/// arrive, keeping memory to the cells' numbers plus the report's picks.
final class SlideCollector: Sendable {
    private struct State {
        var outcomes: [ImageOutcome?]
        var selection: ReviewSelection
    }

    let slide: SlideSource
    let inventory: SlideInventory
    /// Encodes kept thumbnails on the worker threads; nil keeps none.
    let encoder: ThumbnailEncoder?
    /// Count only each image's centre cell (`AnalysisParameters.oneCellPerImage`).
    let oneCellPerImage: Bool
    private let state: Mutex<State>

    init(slide: SlideSource, inventory: SlideInventory, parameters: AnalysisParameters, encoder: ThumbnailEncoder?) {
        self.slide = slide
        self.inventory = inventory
        self.encoder = encoder
        oneCellPerImage = parameters.oneCellPerImage
        state = Mutex(State(outcomes: Array(repeating: nil, count: inventory.images.count),
                            selection: ReviewSelection(parameters: parameters)))
    }

    /// Records image `index`'s result; returns the number of cells it held. Called on
    /// worker threads: thumbnails the report may show are encoded here, outside the lock.
    @discardableResult
    func record(_ index: Int, _ result: Result<ImageAnalysis, any Error>) -> Int {
        let path = inventory.images[index].path
        switch result {
        case .success(let analysis):
            var records = analysis.cells.enumerated().map { CellRecord(image: path, index: $0, cell: $1) }
            if oneCellPerImage { CellRecord.markBesideCentre(&records, in: analysis) }
            let wanted = encoder == nil ? [] : state.withLock { state in records.map(state.selection.mightKeep) }
            let thumbnails = zip(analysis.cells, wanted).map { cell, wanted -> EncodedImage? in
                guard wanted, let image = cell.thumbnail, let encoder else { return nil }
                return try? encoder(image)
            }
            state.withLock { state in
                for (i, record) in records.enumerated() {
                    state.selection.offer(record, thumbnail: i < thumbnails.count ? thumbnails[i] : nil)
                }
                state.outcomes[index] = .analyzed(cells: records, focus: analysis.focus)
            }
            return records.count
        case .failure(let error):
            let reason = Self.reason(error)
            state.withLock { $0.outcomes[index] = .failed(reason: reason) }
            return 0
        }
    }

    /// The assembled slide; every image must have been recorded.
    func finish(model: ModelIdentity, slideScale: SlideScale?) -> SlideResult {
        state.withLock { state in
            SlideResult(slide: slide, inventory: inventory,
                        outcomes: state.outcomes.map { $0 ?? .failed(reason: "not analysed") },
                        selection: state.selection, model: model, slideScale: slideScale)
        }
    }

    /// A one-line reason for a failed image (`ImageError`'s reason without the path,
    /// which the summary lists beside it).
    static func reason(_ error: any Error) -> String {
        if let imageError = error as? ImageError { return imageError.reason }
        let text = String(describing: error)
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
    }
}
