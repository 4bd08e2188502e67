/// A slide's line in `slides.csv` and `--jsonl`: the batch-at-a-glance figures.
///
/// Kept in the resume manifest so a resumed batch can list finished slides without
/// re-reading their summaries.
public struct SlideOverview: Sendable, Codable, Equatable {
    public var slide: String
    public var images: Int
    public var imagesFailed: Int
    public var leukocytesCounted: Int
    /// nil when no leukocyte was counted.
    public var blastPercent: Double?
    /// The 95% interval in percent.
    public var blastLow: Double
    public var blastHigh: Double
    /// Flags needing attention as (name, state), in the summary's flag order.
    public var flags: [Flag]

    public struct Flag: Sendable, Codable, Equatable {
        public var name: String
        public var state: FlagState
    }

    public init(_ result: SlideResult) {
        slide = result.slide.name
        images = result.imagesFound
        imagesFailed = result.failures.count
        leukocytesCounted = result.counts.leukocytes
        blastPercent = result.counts.blastPercent
        blastLow = 100 * result.counts.blastInterval.lower
        blastHigh = 100 * result.counts.blastInterval.upper
        flags = result.flags.filter(\.state.needsAttention).map { Flag(name: $0.name, state: $0.state) }
    }

    /// `name=state` pairs joined by "; ".
    public var flagsText: String {
        flags.map { "\($0.name)=\($0.state.rawValue)" }.joined(separator: "; ")
    }

    /// The `--jsonl` object (`status` says whether the slide was analysed now or kept).
    public func json(status: String, outputFolder: String) -> JSONValue {
        var flagObject: [String: JSONValue] = [:]
        for flag in flags { flagObject[flag.name] = .string(flag.state.rawValue) }
        return .object([
            "slide": .string(slide),
            "status": .string(status),
            "images": .int(images),
            "images_failed": .int(imagesFailed),
            "leukocytes_counted": .int(leukocytesCounted),
            "blast_percent": blastPercent.map(JSONValue.number) ?? .null,
            "blast_percent_ci95": .array([.number(blastLow), .number(blastHigh)]),
            "flags": .object(flagObject),
            "output": .string(outputFolder),
            "notice": .string(ResearchUseNotice.text),
        ])
    }
}
