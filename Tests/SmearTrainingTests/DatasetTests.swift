import Foundation
import SmearCells
import SmearTestSupport
import Testing
@testable import SmearTraining

@Suite("Datasets, slides.csv and splits")
struct DatasetTests {
    static func map() throws -> LabelMap {
        try LabelMap.load(path: SharedData.repositoryRoot.appendingPathComponent("Models/label-map.json").path)
    }

    /// Writes empty files: scanning looks at names only.
    static func touch(_ root: URL, _ paths: [String]) throws {
        for path in paths {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: url)
        }
    }

    @Test("Class-folder layout: labels, prefixes, unknown and ignored labels, hidden files")
    func classFolders() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = dir.file("pbc")
        try Self.touch(root, ["ig/PMY_1.jpg", "ig/MY_2.jpg", "ig/sub/IG_3.JPG", "neutrophil/SNE_1.jpg",
                              "Artifact/a.jpg", "Megakaryocyte/m.jpg", "Megakaryocyte/n.png",
                              "neutrophil/.hidden.jpg", "neutrophil/Thumbs.db"])
        let dataset = try CellDataset.scan(root: root.path, labelMap: try Self.map())
        #expect(dataset.layout == .classFolders)
        #expect(dataset.name == "pbc")
        #expect(dataset.cells.map(\.cellClass) == [.immatureGranulocyte, .promyelocyte, .immatureGranulocyte, .neutrophil])
        #expect(dataset.unknownLabels == ["Megakaryocyte": 2])
        #expect(dataset.ignoredImages == 1)
        #expect(dataset.summaryLines.contains { $0.contains("unknown label \"Megakaryocyte\": 2 images") })
    }

    @Test("Slide layout with slides.csv: slides, nested label folders, signed blast percentage")
    func slideLayout() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let root = dir.file("deepapl")
        try Self.touch(root, ["P1/Blast, no lineage spec/a.jpg", "P1/Promonocyte/b.jpg", "P1/Lymphocyte/c.jpg",
                              "P2/Signed slides/Smudge cells/d.jpg", "P2/Odd/e.jpg", "P2/loose.jpg"])
        let csv = """
        slide,patient,diagnosis,label,cells_signed,cells_here
        P1,A,AML,"Blast, no lineage spec",3,1
        P1,A,AML,Promonocyte,1,1
        P1,A,AML,Lymphocyte,4,1
        P1,A,AML,Smudge cells,50,0
        P1,A,AML,Mystery,2,0
        P2,B,APL,Smudge cells,3,1
        """
        try Data(csv.utf8).write(to: root.appendingPathComponent("slides.csv"))
        let dataset = try CellDataset.scan(root: root.path, labelMap: try Self.map())
        #expect(dataset.layout == .slides)
        #expect(dataset.slideNames == ["P1", "P2"])
        #expect(dataset.cells.count == 4)
        #expect(dataset.cells.first { $0.label == "Promonocyte" }?.cellClass == .blast)
        #expect(dataset.unknownLabels == ["Odd": 1, "(no label folder)": 1])
        let p1 = try #require(dataset.slideTable?.slides["P1"])
        #expect(p1.signedCounts == [.blast: 4, .lymphocyte: 4, .smudge: 50])
        #expect(p1.unmappedSigned == ["Mystery": 2])
        #expect(p1.signedBlastPercent == 50)
        #expect(dataset.slideTable?.slides["P2"]?.signedBlastPercent == nil)
    }

    @Test("A missing root or an empty folder is one clear error")
    func badRoots() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        #expect(throws: DatasetError(path: dir.file("none").path, reason: "not a folder")) {
            _ = try CellDataset.scan(root: dir.file("none").path, labelMap: try Self.map())
        }
        #expect(throws: DatasetError.self) { _ = try CellDataset.scan(root: dir.url.path, labelMap: try Self.map()) }
    }

    @Test("CSV: quotes, escaped quotes, CRLF, and errors with line numbers")
    func csv() throws {
        let table = try CSVTable(parsing: "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",2\n")
        #expect(table.header == ["a", "b"])
        #expect(table.rows == [["x, y", "say \"hi\""], ["multi\nline", "2"]])
        #expect(table.lineNumbers == [2, 3])
        #expect(throws: CSVError(source: "s.csv", line: 3, reason: "1 fields, header has 2")) {
            _ = try CSVTable(parsing: "a,b\n1,2\n3\n", source: "s.csv")
        }
        #expect(throws: CSVError(source: "s.csv", line: 2, reason: "unterminated quoted field")) {
            _ = try CSVTable(parsing: "a,b\n\"1,2\n", source: "s.csv")
        }
        #expect(throws: CSVError.self) { _ = try CSVTable(parsing: "", source: "s.csv") }
        #expect(throws: CSVError(source: "s.csv", line: 2, reason: "cells_signed \"x\" is not a count")) {
            _ = try SlideTable.parse("slide,patient,diagnosis,label,cells_signed\nP,P,AML,Lymphocyte,x\n",
                                     labelMap: try Self.map(), source: "s.csv")
        }
    }

    @Test("Stratified quotas: proportional, every group represented")
    func quotas() {
        #expect(PatientSplit.stratifiedQuotas(counts: [60, 22], total: 16) == [12, 4])
        #expect(PatientSplit.stratifiedQuotas(counts: [60, 22], total: 18) == [13, 5])
        #expect(PatientSplit.stratifiedQuotas(counts: [98, 2], total: 5) == [4, 1])
        #expect(PatientSplit.stratifiedQuotas(counts: [5, 0], total: 3) == [3, 0])
    }

    @Test("Patient split: reproducible, stratified, keeps a patient's slides together")
    func patientSplit() {
        var slides: [PatientSplit.Slide] = []
        for i in 0..<60 { slides.append(.init(name: "S\(i)", patient: "P\(i)", diagnosis: "AML")) }
        for i in 60..<82 { slides.append(.init(name: "S\(i)", patient: "P\(i)", diagnosis: "APL")) }
        slides.append(.init(name: "S60b", patient: "P60", diagnosis: "APL"))
        let a = PatientSplit.heldOutSlides(slides, heldOut: 16, seed: 7)
        #expect(a == PatientSplit.heldOutSlides(slides, heldOut: 16, seed: 7))
        #expect(a != PatientSplit.heldOutSlides(slides, heldOut: 16, seed: 8))
        let diagnosis = Dictionary(uniqueKeysWithValues: slides.map { ($0.name, $0.diagnosis) })
        #expect(a.filter { diagnosis[$0] == "AML" }.count == 12)
        #expect((4...5).contains(a.filter { diagnosis[$0] == "APL" }.count))
        #expect(a.contains("S60") == a.contains("S60b"))
    }

    @Test("Training split: slides by patient, class folders by image; recorded and read back")
    func trainingSplit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var files: [String] = []
        for s in 0..<10 { files.append("slides/S\(s)/Lymphocyte/c\(s).jpg") }
        for i in 0..<20 { files.append("pbc/basophil/BA_\(i).jpg") }
        try Self.touch(dir.url, files)
        let map = try Self.map()
        let slides = try CellDataset.scan(root: dir.file("slides").path, labelMap: map)
        let pbc = try CellDataset.scan(root: dir.file("pbc").path, labelMap: map)
        let split = TrainingSplit.make(datasets: [slides, pbc], heldOutSlides: 3, imageFraction: 0.15, seed: 1)
        let (train, validation) = split.partition(slides)
        #expect(validation.count == 3 && train.count == 7)
        #expect(Set(validation.compactMap(\.slide)) == Set(split.parts[0].heldOutSlides.map(\.slide)))
        let (pbcTrain, pbcValidation) = split.partition(pbc)
        #expect(pbcValidation.count == 3 && pbcTrain.count == 17)
        #expect(split.parts[1].heldOutImages.allSatisfy { $0.hasPrefix("basophil/") })
        try split.write(to: dir.file("split.json"))
        #expect(try TrainingSplit.read(from: dir.file("split.json")) == split)
    }
}
