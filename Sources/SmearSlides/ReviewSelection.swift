import SmearCells

/// Chooses the cells a report shows and keeps only their thumbnails, as results stream in.
///
/// Review cells (predicted blast, blast probability at or above the review threshold, or
/// low confidence) are all kept. Of the other counted cells, each class keeps the
/// `samplePerClass` cells with the smallest `CellID.sampleKey`: a fixed pseudo-random
/// sample, identical whatever order the images finish in. Thumbnails are kept encoded
/// (a few kB each), and only for the review cells and the current samples, so memory
/// stays bounded by those, not by the slide's size.
public struct ReviewSelection: Sendable {
    public let parameters: AnalysisParameters
    /// Kept thumbnails by cell.
    public private(set) var thumbnails: [CellID: EncodedImage] = [:]
    /// Per class, the sample so far as (key, cell), ascending by key.
    private var samples: [CellClass: [(key: UInt64, id: CellID)]] = [:]

    public init(parameters: AnalysisParameters) {
        self.parameters = parameters
    }

    /// Whether `cell` belongs in the review gallery.
    public func isReviewCell(_ cell: CellRecord) -> Bool {
        cell.isCounted && (cell.cellClass.isBlast
            || Double(cell.blastProbability) >= parameters.reviewBlastProbability
            || Double(cell.confidence) < parameters.lowConfidence)
    }

    /// Whether `offer` would keep `cell`'s thumbnail now; lets callers skip encoding
    /// thumbnails that would be dropped at once (a later, smaller key can still evict a
    /// kept sample).
    public func mightKeep(_ cell: CellRecord) -> Bool {
        guard cell.isCounted else { return false }
        if isReviewCell(cell) { return true }
        guard parameters.samplePerClass > 0 else { return false }
        guard let sample = samples[cell.cellClass], sample.count == parameters.samplePerClass else { return true }
        return cell.id.sampleKey < sample[sample.count - 1].key
    }

    /// Considers one cell and its encoded thumbnail (nil when none was made).
    public mutating func offer(_ cell: CellRecord, thumbnail: EncodedImage?) {
        guard cell.isCounted else { return }
        if isReviewCell(cell) {
            if let thumbnail { thumbnails[cell.id] = thumbnail }
            return
        }
        guard parameters.samplePerClass > 0 else { return }
        let id = cell.id, key = id.sampleKey
        var sample = samples[cell.cellClass, default: []]
        if sample.count == parameters.samplePerClass {
            guard key < sample[sample.count - 1].key else { return }
            thumbnails[sample.removeLast().id] = nil
        }
        let position = sample.firstIndex { $0.key > key } ?? sample.count
        sample.insert((key, id), at: position)
        samples[cell.cellClass] = sample
        if let thumbnail { thumbnails[id] = thumbnail }
    }

    /// The sampled cells of `cellClass`, in sample-key order.
    public func sample(of cellClass: CellClass) -> [CellID] {
        samples[cellClass, default: []].map(\.id)
    }
}
