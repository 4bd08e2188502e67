import Foundation
import Testing
import SmearCells
import SmearImaging
import SmearTestSupport

/// Leukocyte detection on all annotated BCCD fields against their VOC WBC boxes.
///
/// A detection matches a WBC box when its centre lies inside the box; matching is
/// one-to-one (each box takes the nearest unmatched detection inside it). BCCD's scale is
/// 0.072 µm/px: the median of its 3,123 whole RBC boxes is 104 px for a 7.5 µm red cell.
/// Annotators left most cells cut by the field's border unboxed, so unmatched detections
/// flagged `touchesBorder` are reported separately from those that are not.
@Suite(.enabled(if: SharedData.isAvailable)) struct LocatorBCCDTests {
    static let micronsPerPixel = 0.072

    struct Tally { var truePositives = 0, misses = 0, falsePositives = 0, unmatchedBorder = 0; var missed: [String] = [] }

    static func evaluate(scale: Double?) throws -> Tally {
        let images = SharedData.url("bccd/BCCD/JPEGImages"), notes = SharedData.url("bccd/BCCD/Annotations")
        let names = try FileManager.default.contentsOfDirectory(atPath: notes.path).filter { $0.hasSuffix(".xml") }.sorted()
        let locator = LeukocyteLocator()
        var t = Tally()
        for name in names {
            let stem = String(name.dropLast(4))
            guard let voc = LocatorVOCBoxes(url: notes.appendingPathComponent(name)) else {
                Issue.record("unreadable annotation \(name)"); continue
            }
            let image = try ImageDecoder.decode(path: images.appendingPathComponent(stem + ".jpg").path)
            let cells = locator.locate(image, micronsPerPixel: scale).cells
            var used = [Bool](repeating: false, count: cells.count)
            for box in voc.boxes where box.name == "WBC" {
                let cx = (box.xmin + box.xmax) / 2, cy = (box.ymin + box.ymax) / 2
                var best = -1, bestDistance = Double.infinity
                for (k, c) in cells.enumerated() where !used[k] {
                    guard c.centerX >= box.xmin && c.centerX <= box.xmax && c.centerY >= box.ymin && c.centerY <= box.ymax else { continue }
                    let d = (c.centerX - cx) * (c.centerX - cx) + (c.centerY - cy) * (c.centerY - cy)
                    if d < bestDistance { bestDistance = d; best = k }
                }
                if best >= 0 { used[best] = true; t.truePositives += 1 } else { t.misses += 1; t.missed.append(stem) }
            }
            for (k, c) in cells.enumerated() where !used[k] {
                t.falsePositives += 1
                if c.touchesBorder { t.unmatchedBorder += 1 }
            }
        }
        return t
    }

    @Test func recallAndPrecisionOnAllFields() throws {
        let t = try Self.evaluate(scale: Self.micronsPerPixel)
        let recall = Double(t.truePositives) / Double(t.truePositives + t.misses)
        let precision = Double(t.truePositives) / Double(max(1, t.truePositives + t.falsePositives))
        let precisionInterior = Double(t.truePositives) / Double(max(1, t.truePositives + t.falsePositives - t.unmatchedBorder))
        print("BCCD: recall \(recall) precision \(precision) (excluding unboxed border cells \(precisionInterior)); missed \(t.missed)")
        #expect(t.truePositives + t.misses == 372)
        #expect(recall >= 0.98)
        // Measured 0.976 overall, 1.0 without the unboxed border cells (recall 0.997, one
        // miss: BloodImage_00113); 0.971 and 0.997 before session 6's lobed-cell rule.
        #expect(precision >= 0.95)
        #expect(precisionInterior >= 0.98)
    }
}
