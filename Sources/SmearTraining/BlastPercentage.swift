import SmearCells

/// The blast percentage of a differential: blasts (blast equivalents included, which the
/// label map already folds into `blast`) over counted leukocytes, times 100.
public enum BlastPercentage {
    /// `nil` when no counted leukocyte is present.
    public static func of(_ counts: [CellClass: Int]) -> Double? {
        var leukocytes = 0, blasts = 0
        for (cellClass, n) in counts where cellClass.isCountedLeukocyte {
            leukocytes += n
            if cellClass.isBlast { blasts += n }
        }
        return leukocytes > 0 ? 100 * Double(blasts) / Double(leukocytes) : nil
    }
}
