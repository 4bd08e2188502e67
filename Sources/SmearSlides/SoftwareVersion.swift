/// The SmearScan version written into every output, so results say what made them.
/// Raised whenever the same inputs can give other cells or numbers (`--resume` redoes slides
/// written by another version): 0.2.0 changed the locator's splitting rules.
public enum SoftwareVersion {
    public static let current = "0.2.0"
}

/// The notice every output carries.
public enum ResearchUseNotice {
    public static let text = "For research use only. Not for use in diagnostic procedures."
}
