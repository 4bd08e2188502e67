// libFuzzer harness: the label map (JSON) and the slide table (CSV) parsers. The first input
// byte picks the parser (low two bits: label map, CSV table, slide table, label map again);
// the rest is the file. Built and run by .ci/fuzz.
import Foundation
import SmearTraining

/// A label map like the shipped one, as the slide-table parser is given in practice.
private let labelMap = try! LabelMap.parse(Array("""
    {"labels": {"Blast": "blast", "Lymphocyte": "lymphocyte", "Smudge cells": "smudge"},
     "prefixRules": [{"label": "Blast", "prefix": "PMY", "class": "promyelocyte"}], "ignored": ["Artefact"]}
    """.utf8))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLabelMap(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let parser = input.byte() & 3
    let bytes = input.rest
    switch parser {
    case 1:
        do throws(CSVError) {
            let table = try CSVTable(parsing: String(decoding: bytes, as: UTF8.self), source: "<fuzz.csv>")
            require(table.rows.allSatisfy { $0.count == table.header.count }, "ragged rows accepted")
            require(table.rows.count == table.lineNumbers.count, "line numbers do not match rows")
        } catch {
            require(error.source == "<fuzz.csv>" && isOneLine(error.description), "bad error: \(error)")
        }
    case 2:
        do throws(CSVError) {
            let table = try SlideTable.parse(String(decoding: bytes, as: UTF8.self), labelMap: labelMap, source: "<fuzz.csv>")
            _ = table.slides.count
        } catch {
            require(error.source == "<fuzz.csv>" && isOneLine(error.description), "bad error: \(error)")
        }
    default:
        do throws(LabelMapError) {
            let map = try LabelMap.parse(bytes, source: "<fuzz.json>")
            // What is written back must read back as the same map.
            let again = try? LabelMap.parse([UInt8](map.jsonData()), source: "<again>")
            require(again == map, "label map does not survive jsonData() and parse()")
            for label in map.labels.keys.prefix(4) { _ = map.resolve(label: label, fileName: label) }
        } catch {
            require(error.source == "<fuzz.json>" && isOneLine(error.description), "bad error: \(error)")
        }
    }
    return 0
}
