import Foundation
import SmearCells
import SmearTestSupport
import Testing
@testable import SmearTraining

@Suite("Label map")
struct LabelMapTests {
    static let shippedPath = SharedData.repositoryRoot.appendingPathComponent("Models/label-map.json").path

    @Test("The shipped map covers every label of the data README")
    func shippedMapCoversReadmeTable() throws {
        let map = try LabelMap.load(path: Self.shippedPath)
        let expected: [String: CellClass] = [
            "Blast, no lineage spec": .blast, "Promonocyte": .blast, "Promyelocyte": .promyelocyte,
            "Myelocyte": .immatureGranulocyte, "Metamyelocyte": .immatureGranulocyte,
            "Segmented neutrophils": .neutrophil, "Band neutrophils": .neutrophil,
            "Lymphocyte": .lymphocyte, "Prolymphocyte": .lymphocyte, "Lymphocyte, variant": .variantLymphocyte,
            "Monocyte": .monocyte, "Eosinophils": .eosinophil, "Basophil": .basophil, "Plasma cells": .plasmaCell,
            "Erythroblast": .erythroblast, "Smudge cells": .smudge, "Giant thrombocyte": .platelet,
            "Thrombocyte aggregation": .platelet,
            // PBC folders.
            "neutrophil": .neutrophil, "eosinophil": .eosinophil, "basophil": .basophil, "lymphocyte": .lymphocyte,
            "monocyte": .monocyte, "ig": .immatureGranulocyte, "erythroblast": .erythroblast, "platelet": .platelet,
        ]
        for (label, cellClass) in expected {
            #expect(map.resolve(label: label) == .cell(cellClass), "\(label)")
        }
        for label in ["Artifact", "Unidentified", "Young Unidentified"] {
            #expect(map.resolve(label: label) == .ignored)
        }
        #expect(map.resolve(label: "Megakaryocyte") == .unknown)
    }

    @Test("PBC file-name prefixes refine ig and neutrophil")
    func prefixRules() throws {
        let map = try LabelMap.load(path: Self.shippedPath)
        #expect(map.resolve(label: "ig", fileName: "PMY_123.jpg") == .cell(.promyelocyte))
        #expect(map.resolve(label: "ig", fileName: "MY_123.jpg") == .cell(.immatureGranulocyte))
        #expect(map.resolve(label: "ig", fileName: "MMY_123.jpg") == .cell(.immatureGranulocyte))
        #expect(map.resolve(label: "ig", fileName: "IG_123.jpg") == .cell(.immatureGranulocyte))
        #expect(map.resolve(label: "neutrophil", fileName: "SNE_1.jpg") == .cell(.neutrophil))
        #expect(map.resolve(label: "neutrophil", fileName: "BNE_1.jpg") == .cell(.neutrophil))
        // Prefix rules apply only to their own label, and only as a whole token.
        #expect(map.resolve(label: "Lymphocyte", fileName: "PMY_1.jpg") == .cell(.lymphocyte))
        #expect(map.resolve(label: "ig", fileName: "PMYX_1.jpg") == .cell(.immatureGranulocyte))
    }

    @Test("Matching ignores case and surrounding spaces")
    func caseInsensitive() throws {
        let map = try LabelMap(labels: ["Blast, no lineage spec": .blast])
        #expect(map.resolve(label: "  blast, NO lineage spec ") == .cell(.blast))
    }

    @Test("JSON round trip")
    func roundTrip() throws {
        let map = try LabelMap.load(path: Self.shippedPath)
        let again = try LabelMap.parse([UInt8](map.jsonData()))
        #expect(again == map)
    }

    @Test("Errors name the file and the key or line", arguments: [
        ("{\n  \"labels\": {\n    \"Blast\": \"blastt\"\n  }\n}", "f.json: labels.\"Blast\": unknown class \"blastt\""),
        ("{\n  \"labels\": {\"Blast\": 3}}", "f.json: labels.\"Blast\": must be a string"),
        ("{\"lables\": {}}", "f.json: lables: unknown key"),
        ("{\"description\": \"x\"}", "f.json: labels: missing"),
        ("[1]", "f.json: top level must be a JSON object"),
        ("{\n \"labels\": {\n  \"a\" \"blast\"\n }\n}", "f.json: line 3, column 7: not valid JSON"),
        ("", "f.json: not valid JSON (Unexpected end of file"),
        ("{\"labels\": {\"A\": \"blast\", \"a\": \"monocyte\"}}", "differing only in case"),
        ("{\"labels\": {\"A\": \"blast\"}, \"ignored\": [\"a\"]}", "f.json: ignored.\"a\": label is both mapped and ignored"),
        ("{\"labels\": {\"A\": \"blast\"}, \"prefixRules\": [{\"label\": \"B\", \"prefix\": \"X\", \"class\": \"blast\"}]}",
         "f.json: prefixRules[0].label: label \"B\" is not listed"),
        ("{\"labels\": {\"A\": \"blast\"}, \"prefixRules\": [{\"label\": \"A\", \"class\": \"blast\"}]}",
         "f.json: prefixRules[0].prefix: missing"),
        ("{\"labels\": {}, \"version\": 9}", "f.json: version: version 9 is newer"),
    ])
    func errors(json: String, message: String) {
        #expect {
            _ = try LabelMap.parse(Array(json.utf8), source: "f.json")
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test("A missing file is one clear error")
    func missingFile() {
        #expect(throws: LabelMapError(source: "/nonexistent/map.json", location: "", reason: "no such file")) {
            _ = try LabelMap.load(path: "/nonexistent/map.json")
        }
    }
}
