import Foundation
import SmearImaging
import SmearTestSupport
import Testing
@testable import SmearTraining

@Suite("Cell image cache", .enabled(if: SharedData.isAvailable))
struct CellImageCacheTests {
    @Test("Real cells are cut like the pipeline cuts them; a truncated JPEG is a reported failure; thread count does not matter")
    func loadRealCells() throws {
        let map = try LabelMap.load(path: SharedData.repositoryRoot.appendingPathComponent("Models/label-map.json").path)
        let pbc = try CellDataset.scan(root: SharedData.url("pbc").path, labelMap: map)
        var cells = Array(pbc.cells.prefix(12))
        let truncated = SharedData.url("deepapl/Patient_37/Blast, no lineage spec/BL_6611696.jpg").path
        cells.append(LabelledCell(path: truncated, cellClass: .blast, label: "Blast, no lineage spec", dataset: "deepapl"))
        let geometry = CropGeometry(inputSize: 64, inputMicronsPerPixel: 0.4)
        let one = CellImageCache.load(cells, geometry: geometry, contextSize: 94, threads: 1)
        let two = CellImageCache.load(cells, geometry: geometry, contextSize: 94, threads: 2)
        #expect(one.images.count == 12 && one.failures.count == 1)
        #expect(one.failures.first?.cell.path == truncated)
        #expect(one.failures.first?.reason.contains("BL_6611696.jpg") == true)
        #expect(one.images == two.images)
        #expect(one.images.allSatisfy { $0.width == 94 && $0.height == 94 })
        // Basophils are leukocytes the locator finds.
        #expect(one.unlocated.isEmpty)
    }
}
