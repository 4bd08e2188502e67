import COpenBLAS

/// Matrix products whose rows can be grouped freely: every element of `C = A·Bᵀ` comes out
/// with the same bits whatever the number of rows in the product, the row's position in it
/// and the number of OpenBLAS threads. SmearNet relies on this to multiply several images in
/// one product while a crop's probabilities stay independent of the batch around it.
///
/// Why it holds (OpenBLAS 0.3.21, read in `interface/gemm.c`, `driver/level3/level3*.c` and
/// `kernel/x86_64/sgemm_small_kernel_permit_skylakex.c`, and checked by `Benchmarks/gemm_batching.c`):
/// - The blocked (packed) path sums each element along K in one fused multiply-add chain per
///   K block, and its M and N blocking never changes that order; edge tiles sum the same way.
/// - Two other paths round differently and are chosen by the product's *shape*: the direct
///   kernel (row-major NoTrans × NoTrans with alpha 1, beta 0 only — these products are
///   NoTrans × Trans) and the small-matrix kernels, which this form (OpenBLAS's column-major
///   TN) reaches only when `n·m ≤ 1200` and `k ≥ 32`: callers keep `m ≥ minimumRows(n:k:)`.
/// - K blocks are at most `GEMM_Q` (320 for the SkylakeX/Cooperlake sgemm kernels) long, and
///   the single- and multi-threaded drivers split a remainder between Q and 2Q differently.
///   The K blocks are made here, never longer than 320, the way the single-threaded driver
///   makes them, so neither driver splits again and threads do not change the result.
public enum RowInvariantGEMM {
    /// OpenBLAS's longest K block for sgemm on SkylakeX/Cooperlake (`SGEMM_DEFAULT_Q`, measured:
    /// 1 and 2 threads first differ at K = 324 when OpenBLAS splits K itself).
    public static let kBlock = 320

    /// The fewest rows a product of `n` columns and depth `k` needs to stay on the blocked path.
    @inlinable
    public static func minimumRows(n: Int, k: Int) -> Int { k < 32 ? 1 : 1200 / max(n, 1) + 1 }

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
    /// `ldb`) and `C` (`m×n`, row stride `ldc`); `m` must be at least `minimumRows(n:k:)`.
    public static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m >= minimumRows(n: n, k: k), "\(m) rows reach OpenBLAS's small-matrix kernels for n = \(n), k = \(k)")
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
}
