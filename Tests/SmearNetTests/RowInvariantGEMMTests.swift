import Testing
import SmearKernels

/// `RowInvariantGEMM`: an element's bits never depend on the rows it is multiplied with, nor
/// on OpenBLAS's thread count; and the products are right. Nested in the serialized
/// `DeterminismTests` because OpenBLAS's thread count is process-wide state.
extension DeterminismTests {
    @Suite struct RowInvariantGEMMTests {
        /// `images` blocks of `rows` rows multiplied `perProduct` blocks at a time (zero rows
        /// added where a product is too short for `RowInvariantGEMM`).
        static func product(
            _ a: [Float], _ b: [Float], rows: Int, images: Int, n: Int, k: Int, perProduct: Int
        ) -> [Float] {
            var c = [Float](repeating: .nan, count: images * rows * n)
            let minimum = RowInvariantGEMM.minimumRows(n: n, k: k)
            var first = 0
            while first < images {
                let count = min(perProduct, images - first), m = count * rows, padded = max(m, minimum)
                var slice = Array(a[(first * rows * k)..<((first + count) * rows * k)])
                slice += [Float](repeating: 0, count: (padded - m) * k)
                var out = [Float](repeating: 0, count: padded * n)
                RowInvariantGEMM.multiply(m: padded, n: n, k: k, a: slice, lda: k, b: b, ldb: k, c: &out, ldc: n)
                c.replaceSubrange((first * rows * n)..<((first + count) * rows * n), with: out.prefix(m * n))
                first += count
            }
            return c
        }

        // (rows per image, n, k): shapes that took OpenBLAS's small-matrix kernels alone but not
        // batched (42×8×72, 9×13×40, 25×24×216, 3×5×33), or whose K OpenBLAS's threaded driver
        // splits differently (49×48×432, 7×100×400), and SmearNet-S's 4×4 stage.
        @Test(arguments: [[42, 8, 72], [9, 13, 40], [25, 24, 216], [3, 5, 33], [49, 48, 432], [7, 100, 400], [16, 128, 1152], [5, 7, 20]])
        func groupingAndThreadsKeepEveryBit(shape: [Int]) {
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
            for perProduct in [2, 3, 7] {
                #expect(Self.product(a, b, rows: rows, images: images, n: n, k: k, perProduct: perProduct) == alone)
            }
            BLASThreads.set(2)
            defer { BLASThreads.set(1) }
            for perProduct in [1, 7] {
                #expect(Self.product(a, b, rows: rows, images: images, n: n, k: k, perProduct: perProduct) == alone)
            }
        }

        @Test(arguments: [[16, 128, 1152], [10, 130, 40], [37, 45, 64], [7, 200, 100]])
        func bothOrientationsGiveTheSameBits(shape: [Int]) {
            let m = shape[0], n = shape[1], k = shape[2]
            var random = RandomData(seed: UInt64(m * n))
            let a = random.floats(m * k), b = random.floats(n * k)
            var c = [Float](repeating: 0, count: m * n), ct = c
            RowInvariantGEMM.multiply(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k, c: &c, ldc: n)
            RowInvariantGEMM.multiply(m: n, n: m, k: k, a: b, lda: k, b: a, ldb: k, c: &ct, ldc: m)
            #expect((0..<(m * n)).allSatisfy { c[$0] == ct[($0 % n) * m + $0 / n] })
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
