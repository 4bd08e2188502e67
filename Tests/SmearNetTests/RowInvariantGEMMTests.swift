import Testing
import SmearKernels

/// `RowInvariantGEMM`: an element's bits never depend on the rows it is multiplied with; and
/// the products are right. Nested in the serialized `DeterminismTests` because OpenBLAS's
/// thread count is process-wide state.
extension DeterminismTests {
    @Suite struct RowInvariantGEMMTests {
        /// `images` blocks of `rows` rows multiplied `perProduct` blocks at a time, each
        /// product laid out by `RowLayout` (unused rows random: they must not matter).
        static func product(
            _ a: [Float], _ b: [Float], rows: Int, images: Int, n: Int, k: Int, perProduct: Int
        ) -> [Float] {
            var c = [Float](repeating: .nan, count: images * rows * n)
            var filler = RandomData(seed: UInt64(perProduct))
            var first = 0
            while first < images {
                let count = min(perProduct, images - first)
                let layout = RowLayout(rowsPerCaller: rows, callers: count, n: n, k: k)
                var slice = filler.floats(layout.rows * k)
                for run in layout.runs {
                    let source = ((first + run.caller) * rows + run.firstRow) * k
                    slice.replaceSubrange((run.productRow * k)..<((run.productRow + run.count) * k), with: a[source..<(source + run.count * k)])
                }
                var out = [Float](repeating: 0, count: layout.rows * n)
                RowInvariantGEMM.multiply(m: layout.rows, n: n, k: k, a: slice, lda: k, b: b, ldb: k, c: &out, ldc: n)
                for run in layout.runs {
                    let target = ((first + run.caller) * rows + run.firstRow) * n
                    c.replaceSubrange(target..<(target + run.count * n), with: out[(run.productRow * n)..<((run.productRow + run.count) * n)])
                }
                first += count
            }
            return c
        }

        // (rows per image, n, k): shapes that took OpenBLAS's small-matrix kernels alone but not
        // batched (42×8×72, 9×13×40, 25×24×216, 3×5×33), K split into blocks (49×48×432,
        // 7×100×400), SmearNet-S's 4×4 and 8×8 stages, and rows that are no multiple of a 12-row tile.
        @Test(arguments: [[42, 8, 72], [9, 13, 40], [25, 24, 216], [3, 5, 33], [49, 48, 432], [7, 100, 400], [16, 128, 1152], [64, 64, 576], [5, 7, 20]])
        func groupingKeepsEveryBit(shape: [Int]) {
            let rows = shape[0], n = shape[1], k = shape[2], images = 7
            var random = RandomData(seed: UInt64(rows * 1000 + n))
            let a = random.floats(images * rows * k), b = random.floats(n * k)
            let alone = Self.product(a, b, rows: rows, images: images, n: n, k: k, perProduct: 1)
            // Against a plain double-precision product.
            for row in 0..<(images * rows) {
                for col in 0..<n {
                    var sum = 0.0, magnitude = 0.0
                    for i in 0..<k {
                        sum += Double(a[row * k + i]) * Double(b[col * k + i])
                        magnitude += abs(Double(a[row * k + i]) * Double(b[col * k + i]))
                    }
                    #expect(abs(Double(alone[row * n + col]) - sum) <= 1e-5 * max(magnitude, 1))
                }
            }
            for perProduct in [2, 3, 4, 7] {
                #expect(Self.product(a, b, rows: rows, images: images, n: n, k: k, perProduct: perProduct) == alone)
            }
        }

        @Test func tileIsProbed() {
            let tile = RowInvariantGEMM.tile
            #expect([1, 2, 4, 8, 12, 16, 24, 48].contains(tile.height))
            #expect(tile.positionClasses.count == tile.height && tile.positionClasses.first == 0)
            #expect(tile.positionsOfClass.allSatisfy { !$0.isEmpty }, "classes are numbered without gaps")
            if BLASThreads.kernelName == "Zen" {  // measured in session 7 (AMD EPYC, OpenBLAS 0.3.21)
                #expect(tile == KernelTile(positionClasses: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], rowsMoveWithinClasses: true))
            }
            #expect(BLASThreads.current == 1, "the probe leaves OpenBLAS single-threaded")
        }

        @Test func kBlocksCoverKInOpenBLASBlocks() {
            for k in [1, 27, 320, 321, 432, 639, 640, 1152, 1100] {
                var blocks: [Range<Int>] = [], betas: [Float] = []
                RowInvariantGEMM.forEachKBlock(k) { blocks.append($0); betas.append($1) }
                #expect(blocks.first?.lowerBound == 0 && blocks.last?.upperBound == k)
                #expect(zip(blocks, blocks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                #expect(blocks.allSatisfy { $0.count <= RowInvariantGEMM.kBlock })
                #expect(betas == [0] + [Float](repeating: 1, count: blocks.count - 1))
            }
        }
    }
}
