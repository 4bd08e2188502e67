import COpenBLAS

/// OpenBLAS's thread pool. SmearScan runs one BLAS thread per call and gets its
/// parallelism from running images, batches or row blocks concurrently: OpenBLAS's own
/// split of a product would change the rounding on some kernels (see `RowInvariantGEMM`),
/// and its threads inside concurrently running calls would oversubscribe the cores. Only
/// the benchmark's sgemm ceiling raises the count, and sets it back.
public enum BLASThreads {
    /// Sets the number of threads OpenBLAS uses inside one call.
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The number of threads OpenBLAS currently uses inside one call.
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// The processor OpenBLAS chose its kernels for ("Zen", "Cooperlake", …): its rounding,
    /// and so the exact bits of SmearNet's outputs, follow from it.
    public static var kernelName: String { String(cString: openblas_get_corename()) }
}
