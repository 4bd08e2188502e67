import COpenBLAS

/// Matrix products whose rows can be grouped freely: every element of `C = A·Bᵀ` comes out
/// with the same bits whatever the other rows in the product, provided the rows are placed
/// by a `RowLayout` for the probed `tile`. SmearNet relies on this to multiply several images
/// in one product while a crop's probabilities stay independent of the batch around it.
/// OpenBLAS runs single-threaded: its own thread split cuts tiles where it likes, which
/// changes the rounding on some kernels (below).
///
/// Why it holds (OpenBLAS 0.3.21, read in `interface/gemm.c`, `driver/level3/level3.c` and
/// `kernel/x86_64/sgemm_small_kernel_permit_skylakex.c`, and checked by `Benchmarks/gemm_batching.c`
/// and `Tests/SmearNetTests/RowInvariantGEMMTests.swift`):
/// - The blocked (packed) path sums each element along K in one fused multiply-add chain per
///   K block; its M and N blocking never changes that order.
/// - The kernel computes rows in tiles, and where a row sits in its tile can change the
///   rounding: the Haswell/Zen sgemm kernel (AMD EPYC without AVX-512) takes rows 12 at a time
///   and rounds the first and the last six differently (`KernelTile`, probed per process by
///   `probeTile`; the SkylakeX/Cooperlake kernels round every row alike). Products are whole
///   tiles, and each caller's rows keep their position classes (`RowLayout`).
/// - Two other paths round differently and are chosen by the product's *shape*: the direct
///   kernel (row-major NoTrans × NoTrans with alpha 1, beta 0 only — these products are
///   NoTrans × Trans) and the SkylakeX small-matrix kernels, which this form (OpenBLAS's
///   column-major TN) reaches only when `n·m ≤ 1200` and `k ≥ 32`: layouts keep
///   `m ≥ minimumRows(n:k:)`.
/// - K blocks are at most 320 long (`kBlock`, SkylakeX's `GEMM_Q`) and made here the way
///   OpenBLAS's single-threaded driver makes them.
public enum RowInvariantGEMM {
    /// OpenBLAS's longest K block for sgemm on SkylakeX/Cooperlake (`SGEMM_DEFAULT_Q`, measured:
    /// 1 and 2 threads first differ at K = 324 when OpenBLAS splits K itself).
    public static let kBlock = 320

    /// The fewest rows a product of `n` columns and depth `k` needs to stay on the blocked path.
    @inlinable
    public static func minimumRows(n: Int, k: Int) -> Int { k < 32 ? 1 : 1200 / max(n, 1) + 1 }

    /// How the kernel's rounding depends on a row's place in its tile; measured once per process.
    public static let tile: KernelTile = probeTile()

    /// Calls `body(block, beta)` for each K block of a product of depth `k`, in order: what
    /// OpenBLAS's single-threaded driver would make with `kBlock` (halves of a remainder
    /// between one and two blocks, rounded up to 16), with beta 0 for the first block, 1 after.
    @inlinable
    public static func forEachKBlock(_ k: Int, _ body: (_ block: Range<Int>, _ beta: Float) -> Void) {
        var start = 0
        while start < k {
            var length = k - start
            if length >= 2 * kBlock {
                length = kBlock
            } else if length > kBlock {
                length = (length / 2 + 15) / 16 * 16
            }
            body(start..<(start + length), start == 0 ? 0 : 1)
            start += length
        }
    }

    /// Computes `C = A·Bᵀ` for row-major `A` (`m×k`, row stride `lda`), `B` (`n×k`, row stride
    /// `ldb`) and `C` (`m×n`, row stride `ldc`); `m` must be a `RowLayout`'s length.
    public static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m % tile.height == 0 && m >= minimumRows(n: n, k: k), "\(m) rows are not a row-invariant product for n = \(n), k = \(k)")
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) }
            return
        }
        forEachKBlock(k) { block, beta in
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans,
                Int32(m), Int32(n), Int32(block.count), 1,
                a + block.lowerBound, Int32(lda), b + block.lowerBound, Int32(ldb), beta, c, Int32(ldc))
        }
    }

    /// The kernel's tile, measured on the shapes SmearNet shares (a few milliseconds, once):
    /// - the height: the smallest candidate whose multiples keep every row's bits, found by
    ///   multiplying the same rows in products of different lengths and offsets (whole tiles
    ///   each) and comparing with one long product; 48 (every candidate's multiple) when none
    ///   passes;
    /// - the classes: positions where the same row comes out with the same bits;
    /// - whether rows keep their bits when moved between tiles and among the positions of a
    ///   class, in products of several lengths.
    static func probeTile() -> KernelTile {
        BLASThreads.set(1)
        let total = 96  // a multiple of every candidate
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        func random() -> Float { Float(next() >> 7) / Float(1 << 24) - 0.5 }
        let shapes = [(n: 128, k: 576), (n: 48, k: 432), (n: 24, k: 216)].map { shape in
            (shape.n, shape.k, (0..<(total * shape.k)).map { _ in random() }, (0..<(shape.n * shape.k)).map { _ in random() })
        }
        // `a`'s rows `rows[i]` (nil: zeros) as the product's rows, times `b`ᵀ; the result by row.
        func product(_ rows: [Int?], _ n: Int, _ k: Int, _ a: [Float], _ b: [Float]) -> [[Float]] {
            var packed = [Float](repeating: 0, count: rows.count * k)
            for (index, row) in rows.enumerated() {
                if let row { packed.replaceSubrange((index * k)..<((index + 1) * k), with: a[(row * k)..<((row + 1) * k)]) }
            }
            var c = [Float](repeating: 0, count: rows.count * n)
            packed.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        forEachKBlock(k) { block, beta in
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows.count), Int32(n), Int32(block.count), 1,
                                        a.baseAddress! + block.lowerBound, Int32(k), b.baseAddress! + block.lowerBound,
                                        Int32(k), beta, c.baseAddress!, Int32(n))
                        }
                    }
                }
            }
            return (0..<rows.count).map { Array(c[($0 * n)..<(($0 + 1) * n)]) }
        }
        func height() -> Int {
            candidates: for quantum in [1, 2, 4, 8, 12, 16, 24] {
                for (n, k, a, b) in shapes {
                    let whole = product(Array(0..<total), n, k, a, b)
                    let first = (minimumRows(n: n, k: k) + quantum - 1) / quantum * quantum
                    for m in Set([first, first + quantum, 5 * quantum, total - quantum]) where m >= first && m < total {
                        for start in Set([quantum, 3 * quantum, total - m]) where start + m <= total {
                            if product(Array(start..<(start + m)), n, k, a, b) != Array(whole[start..<(start + m)]) { continue candidates }
                        }
                    }
                }
                return quantum
            }
            return 48
        }
        let height = height()
        if height == 1 { return .uniform }
        // Tiles where row j sits at position (j + shift) mod height, for every shift.
        var classes = [Int](repeating: -1, count: height)
        let placed = shapes.map { n, k, a, b in
            (0..<height).map { shift in product((0..<height).map { ($0 - shift + height) % height }, n, k, a, b) }
        }
        for position in 0..<height where classes[position] < 0 {
            classes[position] = (classes.max() ?? -1) + 1
            for other in (position + 1)..<height where classes[other] < 0 {
                // Every row j comes out alike at `position` and at `other`.
                let alike = placed.allSatisfy { tiles in
                    (0..<height).allSatisfy { j in
                        tiles[(position - j + height) % height][position] == tiles[(other - j + height) % height][other]
                    }
                }
                if alike { classes[other] = classes[position] }
            }
        }
        let candidate = KernelTile(positionClasses: classes, rowsMoveWithinClasses: true)
        // Products of 1, 3 and total/height − 1 tiles: each row's bits against the same rows
        // shuffled among the positions of their classes, in a product one tile longer.
        let positions = candidate.positionsOfClass
        let moves = shapes.allSatisfy { n, k, a, b in
            Set([1, 3, total / height - 1]).filter { $0 * height <= total }.allSatisfy { tiles in
                let rows = tiles * height
                let natural = product(Array(0..<rows), n, k, a, b)
                var shuffled = [Int?](repeating: nil, count: rows + height)
                for classPositions in positions {
                    let places = (0..<tiles).flatMap { tile in classPositions.map { tile * height + $0 } }
                    var targets = places
                    for i in stride(from: targets.count - 1, to: 0, by: -1) { targets.swapAt(i, Int(next() % UInt64(i + 1))) }
                    for (place, target) in zip(places, targets) { shuffled[target] = place }
                }
                let moved = product(shuffled, n, k, a, b)
                return shuffled.enumerated().allSatisfy { target, source in source.map { moved[target] == natural[$0] } ?? true }
            }
        }
        return KernelTile(positionClasses: classes, rowsMoveWithinClasses: moves)
    }
}
