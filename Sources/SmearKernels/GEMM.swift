import COpenBLAS

/// Single-precision matrix products through OpenBLAS's `cblas_sgemm`, row-major.
///
/// The one place SmearScan calls into BLAS for products: `C = alpha·op(A)·op(B) + beta·C`.
public enum GEMM {
    /// Computes `C = alpha·op(A)·op(B) + beta·C` with row-major matrices, where `op(A)` is
    /// `m×k`, `op(B)` is `k×n` and `C` is `m×n`; `lda`, `ldb`, `ldc` are the row strides.
    @inlinable
    public static func multiply(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            // BLAS leaves C alone for k == 0 only when beta == 1; make the meaning explicit.
            for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) }
            return
        }
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha,
            a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
