import Foundation
import SmearCells

/// One slide of a slide-layout dataset, as `slides.csv` describes it.
public struct SlideRecord: Sendable, Equatable {
    /// The slide folder name.
    public var slide: String
    /// The patient (a few patients can have several slides; splits keep them together).
    public var patient: String
    /// The diagnosis (deepapl: AML or APL), used to stratify splits.
    public var diagnosis: String
    /// Cells the hematologist signed off, per class (through the label map).
    public var signedCounts: [CellClass: Int]
    /// Signed cells under labels the label map does not know, per label.
    public var unmappedSigned: [String: Int]

    /// The signed differential's blast percentage; `nil` without counted leukocytes.
    public var signedBlastPercent: Double? { BlastPercentage.of(signedCounts) }
}

/// `slides.csv` of a slide-layout dataset: slide, patient, diagnosis, label, cells_signed
/// (further columns are ignored). One row per slide and label.
public struct SlideTable: Sendable, Equatable {
    /// Slides by name.
    public var slides: [String: SlideRecord]

    public init(slides: [String: SlideRecord]) { self.slides = slides }

    /// Reads and maps `slides.csv` through `labelMap`.
    public static func load(path: String, labelMap: LabelMap) throws(CSVError) -> SlideTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CSVError(source: path, line: 0, reason: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CSVError(source: path, line: 0, reason: "not UTF-8 text")
        }
        return try parse(text, labelMap: labelMap, source: path)
    }

    /// Parses `slides.csv` text.
    public static func parse(_ text: String, labelMap: LabelMap, source: String = "<memory>") throws(CSVError) -> SlideTable {
        let table = try CSVTable(parsing: text, source: source)
        let slideColumn = try table.column("slide", source: source)
        let patientColumn = try table.column("patient", source: source)
        let diagnosisColumn = try table.column("diagnosis", source: source)
        let labelColumn = try table.column("label", source: source)
        let signedColumn = try table.column("cells_signed", source: source)
        var slides: [String: SlideRecord] = [:]
        for (row, line) in zip(table.rows, table.lineNumbers) {
            let name = row[slideColumn]
            guard let signed = Int(row[signedColumn]), signed >= 0 else {
                throw CSVError(source: source, line: line, reason: "cells_signed \"\(row[signedColumn])\" is not a count")
            }
            var record = slides[name] ?? SlideRecord(slide: name, patient: row[patientColumn], diagnosis: row[diagnosisColumn],
                                                     signedCounts: [:], unmappedSigned: [:])
            guard record.patient == row[patientColumn], record.diagnosis == row[diagnosisColumn] else {
                throw CSVError(source: source, line: line, reason: "slide \(name) has conflicting patient or diagnosis")
            }
            switch labelMap.resolve(label: row[labelColumn]) {
            case .cell(let c): record.signedCounts[c, default: 0] += signed
            case .ignored: break
            case .unknown: record.unmappedSigned[row[labelColumn], default: 0] += signed
            }
            slides[name] = record
        }
        return SlideTable(slides: slides)
    }
}
