import Foundation
import Testing
import SmearCells
import SmearImaging
import SmearTestSupport

/// The locator on CellaVision overview scans against counts made by eye.
///
/// Counts by eye (on half-resolution views of the whole scan, every nucleated cell
/// including smudge cells and cells cut by the border, platelets excluded):
/// Patient_10: 39 (uncertain by about ±3: two overlapping pairs and one faint smudge);
/// Patient_09: 15. Overview red cells measure about 35 px, so the scale is 0.21 µm/px.
/// Found at that scale (release run, for the record): Patient_00 7 (the scan shows no
/// clear leukocyte; these are the darkest red cells and debris), Patient_08 203 and
/// Patient_15 144 (cell-rich leukaemic scans with clusters; some clusters still count as
/// fewer cells; session 7's locator found 192 and 133, the cells more are clusters split at
/// density valleys and, since session 10, at the border, checked on the overlays),
/// Patient_09 15, Patient_10 40 (39 before: a pressed pair now split), Patient_14 19 (about
/// 11 clear cells by eye plus pale granular ones; a few debris streaks are counted; the 19th,
/// since session 11, is a large cell with a netted nucleus kept by its colour).
@Suite(.enabled(if: SharedData.isAvailable)) struct LocatorOverviewTests {
    static let micronsPerPixel = 0.21
    static let eyeCounts = ["Patient_10": 39, "Patient_09": 15]

    @Test(arguments: ["Patient_10", "Patient_09"])
    func countWithinTenPercentOfTheEyeCount(scan: String) throws {
        let image = try ImageDecoder.decode(path: SharedData.url("overviews/\(scan).jpg").path)
        let result = LeukocyteLocator().locate(image, micronsPerPixel: Self.micronsPerPixel)
        let eye = try #require(Self.eyeCounts[scan])
        print("overview \(scan): \(result.cells.count) cells (\(result.cells.filter(\.touchesBorder).count) at the border), eye count \(eye)")
        #expect(abs(Double(result.cells.count - eye)) <= 0.1 * Double(eye))
    }
}
