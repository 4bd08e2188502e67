import Foundation
import Testing
import SmearTestSupport

/// Acceptance on the held-out deepapl slides of the shipped model's training split:
/// `analyze`'s per-slide blast percentage against the signed differential
/// (`deepapl/slides.csv`), mean absolute error ≤ 3 points, and the WHO 20% call agreeing on
/// ≥ 90% of slides. Needs the shipped model with its `<name>.split.json` (or the model
/// named by `SMEARSCAN_AGREEMENT_MODEL`, its split beside it); slow, so it runs with
/// `SMEARSCAN_SLOW_TESTS=1` (`SMEARSCAN_ANALYZE_EXECUTABLE` may name a release build).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SMEARSCAN_SLOW_TESTS"] == "1"))
struct AnalyzeDeepAPLAgreementTests {
    /// Signed blast percentage per slide: blasts and promonocytes over the counted
    /// leukocyte labels (erythroblasts, smudge cells and platelets left out).
    static func signedBlastPercent() throws -> [String: Double] {
        let text = try String(contentsOf: SharedData.url("deepapl/slides.csv"), encoding: .utf8)
        let outside: Set<String> = ["Erythroblast", "Smudge cells", "Giant thrombocyte", "Thrombocyte aggregation"]
        var blasts: [String: Int] = [:], leukocytes: [String: Int] = [:]
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = CSVLine.fields(String(line))
            guard fields.count >= 5, let signed = Int(fields[4]) else { continue }
            let slide = fields[0], label = fields[3]
            if outside.contains(label) { continue }
            leukocytes[slide, default: 0] += signed
            if label == "Blast, no lineage spec" || label == "Promonocyte" { blasts[slide, default: 0] += signed }
        }
        var percent: [String: Double] = [:]
        for (slide, count) in leukocytes where count > 0 { percent[slide] = 100 * Double(blasts[slide, default: 0]) / Double(count) }
        return percent
    }

    @Test func blastPercentagesAgreeWithTheSignedDifferential() throws {
        // SMEARSCAN_AGREEMENT_MODEL names another model (with split.json beside it).
        let given = ProcessInfo.processInfo.environment["SMEARSCAN_AGREEMENT_MODEL"].map { URL(fileURLWithPath: $0) }
        let root = given?.deletingLastPathComponent() ?? SharedData.repositoryRoot.appendingPathComponent("Models")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        guard let modelName = given?.lastPathComponent
                ?? names.sorted().first(where: { $0.hasSuffix(".json") && names.contains(String($0.dropLast(5)) + ".safetensors") }),
              let splitData = FileManager.default.contents(atPath: root.appendingPathComponent(String(modelName.dropLast(5)) + ".split.json").path)
                ?? FileManager.default.contents(atPath: root.appendingPathComponent("split.json").path) else {
            Issue.record("no shipped model with its split in \(root.path)")
            return
        }
        let split = try JSONSerialization.jsonObject(with: splitData) as! [String: Any]
        let parts = split["parts"] as! [[String: Any]]
        let held = parts.filter { ($0["root"] as? String)?.hasSuffix("deepapl") == true }
            .flatMap { ($0["heldOutSlides"] as! [[String: Any]]).map { $0["slide"] as! String } }.sorted()
        #expect(!held.isEmpty)
        let dir = try TemporaryDirectory("agreement")
        defer { dir.remove() }
        let executable = ProcessInfo.processInfo.environment["SMEARSCAN_ANALYZE_EXECUTABLE"].map { URL(fileURLWithPath: $0) } ?? AnalyzeCLI.executable
        let run = try AnalyzeCLI.run(["analyze", "--slide"] + held.map { SharedData.url("deepapl/\($0)").path }
            + ["--out", dir.file("out").path, "--model", root.appendingPathComponent(modelName).path, "--quiet"],
            scratch: dir.url, executable: executable)
        #expect(run.status == 0 || run.status == 2, "\(run.stderr)")
        let truth = try Self.signedBlastPercent()
        var errors: [Double] = [], agree = 0, lines: [String] = []
        for slide in held {
            let data = try Data(contentsOf: dir.file("out/\(slide)/summary.json"))
            let summary = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            guard let predicted = summary["blast_percent"] as? Double, let signed = truth[slide] else { continue }
            let who = ((summary["flags"] as! [String: [String: Any]])["blasts_who_threshold"]!["state"] as! String)
            errors.append(abs(predicted - signed))
            let same = (predicted >= 20) == (signed >= 20)
            if same { agree += 1 }
            lines.append("\(slide): predicted \(predicted) signed \(signed) WHO \(who)\(same ? "" : "  <- disagrees")")
        }
        let mae = errors.reduce(0, +) / Double(max(1, errors.count))
        print((lines + ["MAE \(mae) points over \(errors.count) slides; 20% call agrees on \(agree)/\(errors.count)"]).joined(separator: "\n"))
        #expect(mae <= 3, "mean absolute error \(mae) points")
        #expect(Double(agree) >= 0.9 * Double(errors.count), "20% call agrees on \(agree) of \(errors.count)")
    }
}

/// Splits one CSV line with quoted fields (commas inside quotes; no escaped quotes, which
/// `deepapl/slides.csv` does not use).
enum CSVLine {
    static func fields(_ line: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            switch c {
            case "\"" where quoted:
                quoted = false
            case "\"" where field.isEmpty:
                quoted = true
            case "," where !quoted:
                fields.append(field); field = ""
            default:
                field.append(c)
            }
        }
        fields.append(field)
        return fields
    }
}
