/// The SmearScan version written into every output, so results say what made them.
public enum SoftwareVersion {
    public static let current = "0.1.0"
}

/// The notice every output carries.
public enum ResearchUseNotice {
    public static let text = "For research use only. Not for use in diagnostic procedures."
}
