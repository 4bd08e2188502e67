import SmearCells

/// The blast percentage of a differential: blasts (blast equivalents included, which the
/// label map already folds into `blast`) over counted leukocytes, times 100.
public enum BlastPercentage {
    /// `nil` when no counted leukocyte is present.
    public static func of(_ counts: [CellClass: Int]) -> Double? {
        share(of: counts) { $0.isBlast }
    }

    /// Blasts and promyelocytes together over counted leukocytes, times 100. In acute
    /// promyelocytic leukaemia the abnormal promyelocytes are blast equivalents, and whether a
    /// hematologist signs one as a blast or a promyelocyte varies from slide to slide; this
    /// figure leaves that boundary out, so comparing it with `of` shows how much of a blast-%
    /// error lies there. `nil` when no counted leukocyte is present.
    public static func withPromyelocytes(_ counts: [CellClass: Int]) -> Double? {
        share(of: counts) { $0.isBlast || $0 == .promyelocyte }
    }

    static func share(of counts: [CellClass: Int], where included: (CellClass) -> Bool) -> Double? {
        var leukocytes = 0, selected = 0
        for (cellClass, n) in counts where cellClass.isCountedLeukocyte {
            leukocytes += n
            if included(cellClass) { selected += n }
        }
        return leukocytes > 0 ? 100 * Double(selected) / Double(leukocytes) : nil
    }
}
