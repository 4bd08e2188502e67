/// The thresholds and settings that shape a slide's results; written into `summary.json`
/// (`parameters`) and into the resume manifest, so changing one redoes the slides.
///
/// Shares are given in percent, as on the command line.
public struct AnalysisParameters: Sendable, Equatable {
    /// WHO 2022 AML threshold: blasts at or above 20% of leukocytes.
    public var whoBlastPercent: Double = 20
    /// ICC 2022 threshold: blasts at or above 10% (with an AML-defining genetic lesion).
    public var iccBlastPercent: Double = 10
    /// Promyelocytes at or above this share raise a flag: acute promyelocytic leukaemia is
    /// an emergency and must not be missed, so the default is low.
    public var promyelocytePercent: Double = 10
    /// Fewer counted leukocytes than this make the differential unreliable.
    public var minimumLeukocytes: Int = 100
    /// A cell whose most probable class is below this probability is low-confidence.
    public var lowConfidence: Double = 0.5
    /// Flag a slide when at least this share of counted cells is low-confidence.
    public var lowConfidencePercent: Double = 20
    /// An image is blurred when its focus measure (variance of the Laplacian of the
    /// nucleus map, (OD/µm²)², as the locator reports it) is below this value; 0 disables.
    /// Calibrated on deepapl: no sharp image of a 40-image sample lies below 0.15 (min
    /// 0.22, median 0.61), while the same images blurred over 0.6–0.8 µm mostly do
    /// (median 0.12–0.07); see `AnalyzeBlurTests`.
    public var blurFocusThreshold: Double = 0.15
    /// Flag a slide when at least this share of analysed images is blurred.
    public var blurredPercent: Double = 20
    /// Cells with at least this blast probability go to the review gallery even when
    /// another class won.
    public var reviewBlastProbability: Double = 0.25
    /// Cells shown per class in the report's sample of other cells.
    public var samplePerClass: Int = 6
    /// The image scale given with `--scale` (µm per pixel); nil when estimated per image.
    public var scaleMicronsPerPixel: Double? = nil
    /// Images larger than this (megapixels) are refused before decoding, bounding memory;
    /// overview scans are about 9 MP.
    public var maxMegapixels: Double = 64
    /// Views of each crop averaged by the classifier (`--views`; 1 = the crop alone). 4 (both
    /// flips): session 3's rule made the most views the default that keep `analyze` at 300
    /// cells/s or more over deepapl; on session 7's machine 8 views no longer did (270–331,
    /// median 292), 4 do (500–517), with the same held-out blast AUC and sensitivity at 0.95
    /// specificity as 8 (see `Models/smearnet-s.md`).
    public var views: Int = 4
    /// Count only the whole cell nearest each image's centre (`--one-cell-per-image`): for
    /// single-cell exports such as CellaVision's, where every counted cell has an image of
    /// its own and a neighbour seen at the edge of another image would be counted twice.
    public var oneCellPerImage = false

    public init() {}

    /// The parameters as a JSON object (snake_case keys), as written in `summary.json`.
    public var json: JSONValue {
        .object([
            "who_blast_percent": .number(whoBlastPercent),
            "icc_blast_percent": .number(iccBlastPercent),
            "promyelocyte_percent": .number(promyelocytePercent),
            "min_leukocytes": .int(minimumLeukocytes),
            "low_confidence": .number(lowConfidence),
            "low_confidence_percent": .number(lowConfidencePercent),
            "blur_focus_threshold": .number(blurFocusThreshold),
            "blurred_percent": .number(blurredPercent),
            "review_blast_probability": .number(reviewBlastProbability),
            "sample_per_class": .int(samplePerClass),
            "scale_um_per_px": scaleMicronsPerPixel.map(JSONValue.number) ?? .null,
            "max_megapixels": .number(maxMegapixels),
            "views": .int(views),
            "one_cell_per_image": .bool(oneCellPerImage),
        ])
    }
}
