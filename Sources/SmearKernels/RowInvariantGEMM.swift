import COpenBLAS

/// Matrix products whose rows can be grouped freely: every element of `C = A·Bᵀ` comes out
/// with the same bits whatever the other rows in the product, provided each caller's rows
/// start on a multiple of `rowQuantum` and the product is `paddedRows` long. SmearNet relies
/// on this to multiply several images in one product while a crop's probabilities stay
/// independent of the batch around it. OpenBLAS runs single-threaded: its own thread split
/// cuts tiles where it likes, which changes the rounding on some kernels (below).
///
/// Why it holds (OpenBLAS 0.3.21, read in `interface/gemm.c`, `driver/level3/level3.c` and
/// `kernel/x86_64/sgemm_small_kernel_permit_skylakex.c`, and checked by `Benchmarks/gemm_batching.c`
/// and `Tests/SmearNetTests/RowInvariantGEMMTests.swift`):
/// - The blocked (packed) path sums each element along K in one fused multiply-add chain per
///   K block; its M and N blocking never changes that order.
/// - The kernel computes rows in tiles, and where a row sits in its tile can change the
///   order: the Haswell/Zen sgemm kernel (AMD EPYC without AVX-512) takes rows 12 at a time
///   and sums the two halves of a tile, and the rows of a last, incomplete tile, differently.
///   So rows start on a multiple of `rowQuantum` (measured per process by `probeRowQuantum`:
///   12 there, 1 with the SkylakeX/Cooperlake kernels, whose tiles all round alike) and
///   products are padded to whole quanta.
/// - Two other paths round differently and are chosen by the product's *shape*: the direct
///   kernel (row-major NoTrans × NoTrans with alpha 1, beta 0 only — these products are
///   NoTrans × Trans) and the SkylakeX small-matrix kernels, which this form (OpenBLAS's
///   column-major TN) reaches only when `n·m ≤ 1200` and `k ≥ 32`: callers keep
///   `m ≥ minimumRows(n:k:)`, which `paddedRows` includes.
/// - K blocks are at most 320 long (`kBlock`, SkylakeX's `GEMM_Q`) and made here the way
///   OpenBLAS's single-threaded driver makes them.
public enum RowInvariantGEMM {
    /// OpenBLAS's longest K block for sgemm on SkylakeX/Cooperlake (`SGEMM_DEFAULT_Q`, measured:
    /// 1 and 2 threads first differ at K = 324 when OpenBLAS splits K itself).
    public static let kBlock = 320

    /// The fewest rows a product of `n` columns and depth `k` needs to stay on the blocked path.
    @inlinable
    public static func minimumRows(n: Int, k: Int) -> Int { k < 32 ? 1 : 1200 / max(n, 1) + 1 }

    /// Rows start on multiples of this in a shared product, and products hold whole multiples
    /// of it: the kernel tile's row count as far as rounding goes (see the type's notes).
    public static let rowQuantum: Int = probeRowQuantum()

    /// `rows` rounded up to a whole number of `rowQuantum`s: the room one caller's rows take
    /// in a shared product, so the next caller's rows start on a tile boundary again.
    @inlinable
    public static func rowStride(_ rows: Int) -> Int { (rows + rowQuantum - 1) / rowQuantum * rowQuantum }

    /// The rows to give a product holding `m` rows of callers' data (width `n`, depth `k`): at
    /// least `minimumRows(n:k:)` and a whole number of `rowQuantum`s. Rows past `m` are scratch.
    @inlinable
    public static func paddedRows(_ m: Int, n: Int, k: Int) -> Int { rowStride(max(m, minimumRows(n: n, k: k))) }

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
    /// `ldb`) and `C` (`m×n`, row stride `ldc`); `m` must be `paddedRows(m, n: n, k: k)`.
    public static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m == paddedRows(m, n: n, k: k), "\(m) rows are not a row-invariant product for n = \(n), k = \(k)")
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

    /// The smallest candidate tile height whose multiples keep every row's bits, found by
    /// multiplying the same rows in products of different lengths and offsets (whole quanta
    /// each) and comparing with one long product, on the shapes SmearNet shares; 48 (every
    /// candidate's multiple) when none passes. A few milliseconds, once per process.
    static func probeRowQuantum() -> Int {
        BLASThreads.set(1)
        let total = 96  // a multiple of every candidate
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24) - 0.5
        }
        let shapes = [(n: 128, k: 576), (n: 48, k: 432), (n: 24, k: 216)].map { shape in
            (shape.n, shape.k, (0..<(total * shape.k)).map { _ in random() }, (0..<(shape.n * shape.k)).map { _ in random() })
        }
        // Rows `start..<(start + m)` of `a` times `b`ᵀ.
        func product(_ m: Int, _ n: Int, _ k: Int, _ a: [Float], from start: Int, _ b: [Float]) -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        forEachKBlock(k) { block, beta in
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(block.count), 1,
                                        a.baseAddress! + start * k + block.lowerBound, Int32(k), b.baseAddress! + block.lowerBound,
                                        Int32(k), beta, c.baseAddress!, Int32(n))
                        }
                    }
                }
            }
            return c
        }
        candidates: for quantum in [1, 2, 4, 8, 12, 16, 24] {
            for (n, k, a, b) in shapes {
                let whole = product(total, n, k, a, from: 0, b)
                let first = (minimumRows(n: n, k: k) + quantum - 1) / quantum * quantum
                for m in Set([first, first + quantum, 5 * quantum, total - quantum]) where m >= first && m < total {
                    for start in Set([quantum, 3 * quantum, total - m]) where start + m <= total {
                        let part = product(m, n, k, a, from: start, b)
                        if part != Array(whole[(start * n)..<((start + m) * n)]) { continue candidates }
                    }
                }
            }
            return quantum
        }
        return 48
    }
}
