import Foundation
import Testing
import SmearCells
import SmearImaging
import SmearTestSupport

/// The locator on CellaVision single-cell exports (deepapl, pbc): one leukocyte near the centre.
///
/// A hit is exactly one cell not touching the border whose centre lies within 8 µm of the
/// image centre (other whole cells further out are real neighbours and allowed). Some images
/// are centred on a touching pair: `single-cell-pairs.txt` lists those a person found holding
/// two whole leukocytes within 8 µm, and the second figure takes exactly two cells as the hit
/// there (and one as a miss).
/// Smudge cells, platelets and erythroblasts are not leukocytes of the differential and are
/// tallied apart. Debug-mode CI runs a fixed sample (every `stride`-th image in sorted
/// order); `SMEARSCAN_FULL_DATA=1` runs all images.
@Suite(.enabled(if: SharedData.isAvailable)) struct LocatorSingleCellTests {
    static let micronsPerPixel = 0.1
    static let otherKinds = ["Smudge cells": "smudge", "Giant thrombocyte": "platelet", "Thrombocyte aggregation": "platelet",
                             "Erythroblast": "erythroblast", "erythroblast": "erythroblast", "platelet": "platelet"]

    struct Tally { var images = 0, hits = 0, none = 0, several = 0, pairs = 0, pairHits = 0, pairAwareHits = 0 }

    /// Images (paths relative to the data root) that hold two whole leukocytes near the centre.
    static let pairs: Set<String> = {
        let file = SharedData.repositoryRoot.appendingPathComponent("Tests/DataTests/single-cell-pairs.txt")
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return Set(text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }()

    static func images(stride: Int) -> [(path: String, relative: String, kind: String)] {
        var out: [(String, String, String)] = []
        let fm = FileManager.default
        for dataset in ["deepapl", "pbc"] {
            let root = SharedData.url(dataset)
            guard let walker = fm.enumerator(atPath: root.path) else { continue }
            let files = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".jpg") }.sorted()
            for (k, f) in files.enumerated() where k % stride == 0 {
                let folder = URL(fileURLWithPath: f).deletingLastPathComponent().lastPathComponent
                out.append((root.appendingPathComponent(f).path, dataset + "/" + f, otherKinds[folder] ?? "leukocyte"))
            }
        }
        return out
    }

    @Test func pairListNamesExistingLeukocyteImages() {
        #expect(Self.pairs.count == 117)
        for relative in Self.pairs {
            #expect(FileManager.default.fileExists(atPath: SharedData.url(relative).path), "\(relative)")
        }
    }

    @Test func oneCellNearTheCentre() throws {
        let full = ProcessInfo.processInfo.environment["SMEARSCAN_FULL_DATA"] == "1"
        let locator = LeukocyteLocator()
        var tallies: [String: Tally] = [:]
        var undecodable = 0
        for (path, relative, kind) in Self.images(stride: full ? 1 : 9) {
            guard let image = try? ImageDecoder.decode(path: path) else { undecodable += 1; continue }
            let cells = locator.locate(image, micronsPerPixel: Self.micronsPerPixel).cells
            let cx = Double(image.width) / 2, cy = Double(image.height) / 2
            let near = cells.filter {
                !$0.touchesBorder && (($0.centerX - cx) * ($0.centerX - cx) + ($0.centerY - cy) * ($0.centerY - cy)).squareRoot() * Self.micronsPerPixel <= 8
            }
            var t = tallies[kind] ?? Tally()
            t.images += 1
            switch near.count { case 1: t.hits += 1; case 0: t.none += 1; default: t.several += 1 }
            if Self.pairs.contains(relative) {
                t.pairs += 1
                if near.count == 2 { t.pairHits += 1; t.pairAwareHits += 1 }
            } else if near.count == 1 {
                t.pairAwareHits += 1
            }
            tallies[kind] = t
        }
        for (kind, t) in tallies.sorted(by: { $0.key < $1.key }) {
            print("single cells, \(kind): \(t.hits)/\(t.images) one near centre, \(t.none) none, \(t.several) several; "
                  + "listed pairs \(t.pairs), found as two \(t.pairHits)")
        }
        let leukocytes = try #require(tallies["leukocyte"])
        let rate = Double(leukocytes.hits) / Double(leukocytes.images)
        // Listed pairs: two cells found is the hit, one is not.
        let pairAware = Double(leukocytes.pairAwareHits) / Double(leukocytes.images)
        print("single cells: leukocyte hit rate \(rate), pair-aware \(pairAware)")
        #expect(leukocytes.images > 500)
        // Target 0.99, met on the pair-aware reading. Over all 10,898 leukocyte images in release
        // (session 11, SMEARSCAN_FULL_DATA=1): 0.9834 strict (10,717), 0.9903 pair-aware (10,792;
        // 117 listed pair images, 96 found as two), against 0.9827 and 0.9894 for session 10's
        // locator on the same list. The strict figure cannot reach 0.99 here: the listed pairs
        // alone are 1.07% of the images, and a right answer on them is two. Left (strict): 14
        // where the centre cell joins a cell cut by the border, 40 where cells packed in
        // clusters merge or fragment so no cell is near the centre, 3 with nothing found, 124
        // with several (96 listed pairs; the others single cells split along a crease or into
        // the rims of one nucleus, second cells about 8 µm out, three cells). 11 listed pairs
        // are split in two but one cell's centre lies 8.0-8.9 µm out. Asserted at the achieved
        // level (the whole set, or the debug sample of one image in 9) so regressions show.
        #expect(rate >= (full ? 0.983 : 0.975), "leukocyte hit rate \(rate)")
        #expect(pairAware >= (full ? 0.99 : 0.98), "pair-aware rate \(pairAware)")
        #expect(undecodable <= 5)
    }
}
