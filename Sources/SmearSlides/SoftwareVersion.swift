/// The SmearScan version written into every output, so results say what made them.
/// Raised whenever the same inputs can give other cells or numbers (`--resume` redoes slides
/// written by another version): 0.2.0 changed the locator's splitting rules; 0.3.0 averages
/// 4 views by default instead of 8, and on OpenBLAS's Zen kernels the 4×4 stage's products
/// are laid out anew (probabilities move in the sixth decimal); 0.4.0 splits pressed cells at
/// density valleys and takes the red-cell level from eosin-stained pixels; 0.5.0 splits them
/// along membrane lines in images finer than 0.15 µm/px (PNGs and full-size decodes); 0.6.0
/// splits parts at the image border again, leaves groups under 130 µm² of nucleus without
/// valley splits and keeps parts near the border out of convex merges; 0.7.0 keeps nucleus
/// parts coloured unlike the red cells and denser than they are (magenta-stained nuclei) and
/// joins thin lobes lying up to 3.5 µm apart (box to box) into one lobed cell.
public enum SoftwareVersion {
    public static let current = "0.7.0"
}

/// The notice every output carries.
public enum ResearchUseNotice {
    public static let text = "For research use only. Not for use in diagnostic procedures."
}
