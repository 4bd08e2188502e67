import Foundation
import Testing
import SmearCells
import SmearImaging
import SmearTestSupport

/// The locator on CellaVision single-cell exports (deepapl, pbc): one leukocyte near the centre.
///
/// A hit is exactly one cell not touching the border whose centre lies within 8 µm of the
/// image centre (other whole cells further out are real neighbours and allowed). Smudge
/// cells, platelets and erythroblasts are not leukocytes of the differential and are
/// tallied apart. Debug-mode CI runs a fixed sample (every `stride`-th image in sorted
/// order); `SMEARSCAN_FULL_DATA=1` runs all images.
@Suite(.enabled(if: SharedData.isAvailable)) struct LocatorSingleCellTests {
    static let micronsPerPixel = 0.1
    static let otherKinds = ["Smudge cells": "smudge", "Giant thrombocyte": "platelet", "Thrombocyte aggregation": "platelet",
                             "Erythroblast": "erythroblast", "erythroblast": "erythroblast", "platelet": "platelet"]

    struct Tally { var images = 0, hits = 0, none = 0, several = 0 }

    static func images(stride: Int) -> [(path: String, kind: String)] {
        var out: [(String, String)] = []
        let fm = FileManager.default
        for dataset in ["deepapl", "pbc"] {
            let root = SharedData.url(dataset)
            guard let walker = fm.enumerator(atPath: root.path) else { continue }
            let files = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".jpg") }.sorted()
            for (k, f) in files.enumerated() where k % stride == 0 {
                let folder = URL(fileURLWithPath: f).deletingLastPathComponent().lastPathComponent
                out.append((root.appendingPathComponent(f).path, otherKinds[folder] ?? "leukocyte"))
            }
        }
        return out
    }

    @Test func oneCellNearTheCentre() throws {
        let full = ProcessInfo.processInfo.environment["SMEARSCAN_FULL_DATA"] == "1"
        let locator = LeukocyteLocator()
        var tallies: [String: Tally] = [:]
        var undecodable = 0
        for (path, kind) in Self.images(stride: full ? 1 : 9) {
            guard let image = try? ImageDecoder.decode(path: path) else { undecodable += 1; continue }
            let cells = locator.locate(image, micronsPerPixel: Self.micronsPerPixel).cells
            let cx = Double(image.width) / 2, cy = Double(image.height) / 2
            let near = cells.filter {
                !$0.touchesBorder && (($0.centerX - cx) * ($0.centerX - cx) + ($0.centerY - cy) * ($0.centerY - cy)).squareRoot() * Self.micronsPerPixel <= 8
            }
            var t = tallies[kind] ?? Tally()
            t.images += 1
            switch near.count { case 1: t.hits += 1; case 0: t.none += 1; default: t.several += 1 }
            tallies[kind] = t
        }
        for (kind, t) in tallies.sorted(by: { $0.key < $1.key }) {
            print("single cells, \(kind): \(t.hits)/\(t.images) one near centre, \(t.none) none, \(t.several) several")
        }
        let leukocytes = try #require(tallies["leukocyte"])
        let rate = Double(leukocytes.hits) / Double(leukocytes.images)
        #expect(leukocytes.images > 500)
        // Target 0.99, not reached: 0.982 over all 10,898 leukocyte images in release (blast
        // 0.968, promyelocyte 0.957; 0.974 before the nucleus-based border rule and the large
        // pale nuclei, 0.962 before session 2's splitting rules). Left: 87 images with two
        // whole leukocytes near the centre (in a reviewed sample of 32, 25 really hold two
        // touching cells both within 8 µm), 51 + 50 where cells pressed flat together merge
        // (no neck for the distance transform), 11 with nothing found. Asserted at the
        // achieved level so regressions show.
        #expect(rate >= 0.975, "leukocyte hit rate \(rate)")
        #expect(undecodable <= 5)
    }
}
