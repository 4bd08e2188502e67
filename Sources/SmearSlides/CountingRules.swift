import SmearCells

/// A slide's cell counts and the differential's denominators.
///
/// Every located cell not cut by the image border is counted once, in its most probable
/// class (with `--one-cell-per-image`, only the whole cell nearest each image's centre).
/// The differential's denominator is the counted leukocytes (`CellClass
/// .isCountedLeukocyte`): erythroblasts are given per 100 leukocytes, smudge cells and
/// platelets are counted but stay outside it. Blasts (promonocytes included, as blast
/// equivalents, by the label map) are a share of the counted leukocytes.
public struct SlideCounts: Sendable, Equatable {
    /// All located cells, border ones included (the rows of `cells.csv`).
    public private(set) var cellsLocated = 0
    /// Located cells cut by the image border, left out of every count.
    public private(set) var cellsAtBorder = 0
    /// Whole cells beside their image's centre cell, left out when the slide counts one cell
    /// per image (0 otherwise).
    public private(set) var cellsBesideCentre = 0
    /// Counted cells per class (every class present, zero when none).
    public private(set) var perClass: [CellClass: Int] = Dictionary(uniqueKeysWithValues: CellClass.allCases.map { ($0, 0) })
    /// Counted cells whose top probability is below the low-confidence threshold.
    public private(set) var lowConfidence = 0

    /// Tallies `cells`; a counted cell is low-confidence when its top probability is below
    /// `lowConfidenceBelow`.
    public init(cells: some Sequence<CellRecord>, lowConfidenceBelow: Double) {
        for cell in cells { add(cell, lowConfidenceBelow: lowConfidenceBelow) }
    }

    /// Adds one cell.
    public mutating func add(_ cell: CellRecord, lowConfidenceBelow: Double) {
        cellsLocated += 1
        guard cell.isCounted else {
            if cell.touchesBorder { cellsAtBorder += 1 } else { cellsBesideCentre += 1 }
            return
        }
        perClass[cell.cellClass, default: 0] += 1
        if Double(cell.confidence) < lowConfidenceBelow { lowConfidence += 1 }
    }

    /// Cells counted in any class (located minus border, minus beside the centre cell).
    public var cellsCounted: Int { cellsLocated - cellsAtBorder - cellsBesideCentre }

    /// The differential's denominator.
    public var leukocytes: Int { CellClass.countedLeukocytes.reduce(0) { $0 + perClass[$1]! } }

    /// Blasts and blast equivalents.
    public var blasts: Int { CellClass.allCases.filter(\.isBlast).reduce(0) { $0 + perClass[$1]! } }

    /// A counted leukocyte class's share of the leukocytes in percent; nil for classes
    /// outside the differential and when no leukocyte was counted.
    public func differentialPercent(_ cellClass: CellClass) -> Double? {
        guard cellClass.isCountedLeukocyte, leukocytes > 0 else { return nil }
        return 100 * Double(perClass[cellClass]!) / Double(leukocytes)
    }

    /// The 95% Wilson interval of a counted leukocyte class's share (as proportions).
    public func differentialInterval(_ cellClass: CellClass) -> WilsonInterval {
        WilsonInterval(successes: cellClass.isCountedLeukocyte ? perClass[cellClass]! : 0, trials: leukocytes)
    }

    /// Blasts as a percentage of counted leukocytes; nil when none was counted.
    public var blastPercent: Double? {
        leukocytes > 0 ? 100 * Double(blasts) / Double(leukocytes) : nil
    }

    /// The 95% Wilson interval of the blast share (proportions).
    public var blastInterval: WilsonInterval { WilsonInterval(successes: blasts, trials: leukocytes) }

    /// Erythroblasts (nucleated red cells) per 100 counted leukocytes; nil when none was counted.
    public var erythroblastsPer100Leukocytes: Double? {
        leukocytes > 0 ? 100 * Double(perClass[.erythroblast]!) / Double(leukocytes) : nil
    }
}
