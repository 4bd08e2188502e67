import SmearCells

/// Holds out a fraction of a dataset without patient information (e.g. PBC's healthy donors),
/// stratified by class and reproducible from a seed.
///
/// This is an image-level split, weaker than a patient split: it measures how the model
/// does on a second lab's staining, not on unseen donors.
public enum ImageHoldout {
    /// The paths of the held-out cells (sorted): `round(fraction × n)` per class.
    public static func heldOutPaths(_ cells: [LabelledCell], fraction: Double, seed: UInt64) -> [String] {
        guard fraction > 0 else { return [] }
        var chosen: [String] = []
        for (index, cellClass) in CellClass.allCases.enumerated() {
            var paths = cells.filter { $0.cellClass == cellClass }.map(\.path).sorted()
            guard !paths.isEmpty else { continue }
            var random = SplitMix64(seed: seed, stream: 0x1_0000 + UInt64(index))
            random.shuffle(&paths)
            chosen += paths.prefix(Int((fraction * Double(paths.count)).rounded()))
        }
        return chosen.sorted()
    }
}
