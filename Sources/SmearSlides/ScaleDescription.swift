import SmearPipeline

/// How a slide's image scale is put into words, so the report header and the
/// `scale_uncertain` flag say the same thing (`summary.json`'s `scale` block holds the numbers).
enum ScaleDescription {
    /// e.g. "0.1 µm/pixel for 360×363 images (from 15 lone red cells)".
    static func group(_ group: SlideScale.Group) -> String {
        let source = group.redCells > 0 ? "\(group.redCells) lone red cells" : "\(group.measured) images’ red cells"
        return "\(DecimalFormat.trimmed(group.micronsPerPixel, decimals: 4)) µm/pixel for \(group.width)×\(group.height) images (from \(source))"
    }

    /// Where the scale came from: given, measured on the slide per image size, or per image.
    static func statement(given: Double?, measured: SlideScale?) -> String {
        if let given { return "Scale \(DecimalFormat.trimmed(given, decimals: 4)) µm/pixel (given)" }
        let groups = measured?.groups ?? []
        guard !groups.isEmpty else { return "Scale estimated image by image from the red cells" }
        return "Scale measured on this slide: " + groups.map(group).joined(separator: "; ")
    }
}
