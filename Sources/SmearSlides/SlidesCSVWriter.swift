/// `DIR/slides.csv`: one row per slide of the batch, in processing order.
///
/// Columns: `slide`, `images`, `images_failed`, `leukocytes_counted`, `blast_percent`,
/// `blast_ci95_low`, `blast_ci95_high` (percent, two decimals; empty when no leukocyte was
/// counted), `flags` (the flags needing attention as `name=state`, "; "-separated), `notice`
/// (the research-use notice).
public enum SlidesCSVWriter {
    public static let columns = ["slide", "images", "images_failed", "leukocytes_counted", "blast_percent",
                                 "blast_ci95_low", "blast_ci95_high", "flags", "notice"]

    public static func csv(for slides: [SlideOverview]) -> String {
        var out = CSVFormat.record(columns)
        for slide in slides {
            let percent = { (value: Double) in DecimalFormat.fixed(value, decimals: 2) }
            out += CSVFormat.record([
                slide.slide, String(slide.images), String(slide.imagesFailed), String(slide.leukocytesCounted),
                slide.blastPercent.map(percent) ?? "",
                slide.blastPercent == nil ? "" : percent(slide.blastLow),
                slide.blastPercent == nil ? "" : percent(slide.blastHigh),
                slide.flagsText,
                ResearchUseNotice.text,
            ])
        }
        return out
    }
}
