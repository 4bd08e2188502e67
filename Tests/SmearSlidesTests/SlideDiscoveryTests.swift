import Foundation
import Testing
import SmearTestSupport
@testable import SmearSlides

@Suite struct SlideDiscoveryTests {
    /// A batch root like a CellaVision export, with the usual clutter.
    func makeBatch() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("discovery")
        let root = dir.url
        try ScriptedImage.write(["neutrophil 0.9"], to: root.appendingPathComponent("Patient_01/Signed slides/Blast, no lineage spec/BL 1.jpg"))
        try ScriptedImage.write(["neutrophil 0.9"], to: root.appendingPathComponent("Patient_01/Signed slides/Segmented neutrophils/SNE_2.jpg"))
        try ScriptedImage.write(["neutrophil 0.9"], to: root.appendingPathComponent("Patient_01/Zellen ü/細胞.png"))
        try ScriptedImage.write(["neutrophil 0.9"], to: root.appendingPathComponent("Patient_01/no-extension"))
        try Data("not an image".utf8).write(to: root.appendingPathComponent("Patient_01/Thumbs.db"))
        try Data([0xFF, 0x00]).write(to: root.appendingPathComponent("Patient_01/fake.jpg"))
        try Data().write(to: root.appendingPathComponent("Patient_01/empty.png"))
        try Data([0x42, 0x4D, 0, 0]).write(to: root.appendingPathComponent("Patient_01/old.bmp"))
        try ScriptedImage.write(["neutrophil 0.9"], to: root.appendingPathComponent("Patient_01/.hidden.jpg"))
        try ScriptedImage.write(["neutrophil 0.9"], to: root.appendingPathComponent("Patient_01/.thumbs/x.jpg"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Patient_02"), withIntermediateDirectories: true)
        try ScriptedImage.write(["neutrophil 0.9"], to: root.appendingPathComponent("loose.jpg"))
        try Data("slide,label\n".utf8).write(to: root.appendingPathComponent("slides.csv"))
        // A symbolic-link loop inside a slide.
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("Patient_01/Signed slides/loop").path,
                                                   withDestinationPath: root.appendingPathComponent("Patient_01").path)
        return dir
    }

    @Test func batchRootSubfoldersAndLooseImagesAreSlides() throws {
        let dir = try makeBatch()
        defer { dir.remove() }
        let slides = try SlideDiscovery.slides(in: [dir.url.path], layout: .batchRoots)
        #expect(slides.map(\.name) == ["Patient_01", "Patient_02", dir.url.lastPathComponent])
        #expect(slides.last?.scope == .topLevelFiles)
        let loose = try SlideDiscovery.inventory(of: slides.last!)
        #expect(loose.images.map(\.path) == ["loose.jpg"])
        #expect(loose.nonImages.map(\.path) == ["slides.csv"])
    }

    @Test func imagesAnywhereBelowTheSlideByContentInByteOrder() throws {
        let dir = try makeBatch()
        defer { dir.remove() }
        let slide = SlideSource(name: "Patient_01", folder: dir.url.appendingPathComponent("Patient_01").path, scope: .wholeTree)
        let inventory = try SlideDiscovery.inventory(of: slide)
        #expect(inventory.images.map(\.path) == [
            "Signed slides/Blast, no lineage spec/BL 1.jpg",
            "Signed slides/Segmented neutrophils/SNE_2.jpg",
            "Zellen ü/細胞.png",
            "no-extension",
        ])
        #expect(inventory.unusable.map(\.path) == ["empty.png", "fake.jpg", "old.bmp"])
        #expect(inventory.unusable.first?.reason == "file is empty (0 bytes)")
        #expect(inventory.unusable.last?.reason.contains("BMP") == true)
        #expect(inventory.nonImages.map(\.path) == ["Thumbs.db"])
        #expect(inventory.hiddenCount == 2)
        #expect(inventory.images.allSatisfy { $0.size > 8 && $0.modified > 0 })
    }

    @Test func slideModeTakesEachInputAsOneSlide() throws {
        let dir = try makeBatch()
        defer { dir.remove() }
        let slides = try SlideDiscovery.slides(in: [dir.url.appendingPathComponent("Patient_01/").path], layout: .slideFolders)
        #expect(slides == [SlideSource(name: "Patient_01", folder: dir.url.appendingPathComponent("Patient_01/").path, scope: .wholeTree)])
    }

    @Test func outputFolderInsideTheInputIsNotASlide() throws {
        let dir = try makeBatch()
        defer { dir.remove() }
        let out = dir.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let slides = try SlideDiscovery.slides(in: [dir.url.path], layout: .batchRoots, excluding: [FileIdentity(path: out.path)!])
        #expect(!slides.map(\.name).contains("out"))
    }

    @Test func badInputsAreUsageErrors() throws {
        let dir = try makeBatch()
        defer { dir.remove() }
        #expect(throws: AnalyzeError.self) { try SlideDiscovery.slides(in: [dir.url.appendingPathComponent("missing").path], layout: .batchRoots) }
        #expect(throws: AnalyzeError.self) { try SlideDiscovery.slides(in: [dir.url.appendingPathComponent("loose.jpg").path], layout: .slideFolders) }
        do {
            _ = try SlideDiscovery.slides(in: [dir.url.path, dir.url.path], layout: .batchRoots)
            Issue.record("duplicate slide names accepted")
        } catch {
            #expect(error.kind == .usage)
            #expect(error.message.contains("two slides are named \"Patient_01\""))
        }
    }

    @Test func folderNamesResolveDots() {
        #expect(SlideDiscovery.folderName("/a/b/") == "b")
        #expect(SlideDiscovery.folderName("/a/b/./c/..") == "b")
        #expect(SlideDiscovery.folderName("/") == "root")
    }
}
