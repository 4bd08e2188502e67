import SmearCells

/// `cells.csv`: one row per located cell, in image path then locator order.
///
/// Columns: `image` (path relative to the slide folder), `x`, `y`, `width`, `height` (the
/// box, top-left corner), `class`, `confidence`, `blast_probability`, one `p_<class>` per
/// class in `CellClass` order, `border`, `counted`, `notice` (the research-use notice, so the
/// table carries it wherever it is copied). Probabilities have six decimals.
public enum CellsCSVWriter {
    /// The header record's fields.
    public static let columns: [String] = ["image", "x", "y", "width", "height", "class", "confidence", "blast_probability"]
        + CellClass.allCases.map { "p_" + $0.rawValue } + ["border", "counted", "notice"]

    /// The whole file.
    public static func csv(for cells: [CellRecord]) -> String {
        var out = CSVFormat.record(columns)
        for cell in cells { out += CSVFormat.record(fields(of: cell)) }
        return out
    }

    static func fields(of cell: CellRecord) -> [String] {
        [cell.image, String(cell.box.x), String(cell.box.y), String(cell.box.width), String(cell.box.height),
         cell.cellClass.rawValue, probability(cell.confidence), probability(cell.blastProbability)]
            + cell.probabilities.values.map(probability)
            + [String(cell.touchesBorder), String(cell.isCounted), ResearchUseNotice.text]
    }

    static func probability(_ p: Float) -> String { DecimalFormat.fixed(Double(p), decimals: 6) }
}
