/// Turns interleaved RGB bytes into the network's normalised input,
/// `(byte/255 − mean[c]) / std[c]`, through a 3×256 lookup table.
struct InputNormalizer {
    private let table: [Float]

    init(_ input: InputSpec) {
        var table = [Float](repeating: 0, count: 3 * 256)
        for c in 0..<3 {
            for byte in 0..<256 { table[c * 256 + byte] = (Float(byte) / 255 - input.mean[c]) / input.std[c] }
        }
        self.table = table
    }

    /// Normalises `count` RGB pixels.
    func normalize(_ bytes: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<Float>) {
        table.withUnsafeBufferPointer { table in
            let r = table.baseAddress!, g = r + 256, b = r + 512
            for p in 0..<count {
                output[3 * p] = r[Int(bytes[3 * p])]
                output[3 * p + 1] = g[Int(bytes[3 * p + 1])]
                output[3 * p + 2] = b[Int(bytes[3 * p + 2])]
            }
        }
    }
}
