/// Writes one slide's output folder: `cells.csv`, `summary.json`, `report.html`, then the
/// resume manifest, each atomically, the manifest last.
public enum SlideOutputs {
    public static let cellsFile = "cells.csv"
    public static let summaryFile = "summary.json"
    public static let reportFile = "report.html"

    /// Writes `result` into `folder` (created if needed) and returns its manifest.
    @discardableResult
    public static func write(_ result: SlideResult, key: ResumeManifest.Key, to folder: String,
                             report: ReportHTMLWriter) throws(FileSystemError) -> ResumeManifest {
        try POSIXFile.makeDirectories(folder)
        try OutputFile.removeLeftovers(in: folder)
        // A manifest left from an earlier run must not vouch for half-replaced outputs.
        try POSIXFile.removeFile(folder + "/" + ResumeManifest.fileName)
        let files: [(String, String)] = [
            (cellsFile, CellsCSVWriter.csv(for: result.cells)),
            (summaryFile, SlideSummary.json(for: result).serialized()),
            (reportFile, report.html(for: result)),
        ]
        var outputs: [ResumeManifest.Output] = []
        for (name, text) in files {
            try OutputFile.write(text, to: folder + "/" + name)
            outputs.append(ResumeManifest.Output(name: name, size: Int64(text.utf8.count)))
        }
        let manifest = ResumeManifest(key: key, outputs: outputs, overview: SlideOverview(result))
        try manifest.write(to: folder)
        return manifest
    }
}
