import SmearImaging
import SmearTestSupport

/// Deterministic synthetic images: smooth colour gradients with a little noise and a few
/// hard edges, so JPEG round trips exercise real DCT content.
enum TestImages {
    static func pattern(width: Int, height: Int, seed: UInt64 = 1) -> RGBImage {
        var random = SeededGenerator(seed: seed)
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let edge = (x / 16 + y / 16) % 2 == 0 ? 40 : 0
                let r = x * 200 / max(1, width) + edge + Int.random(in: 0...8, using: &random)
                let g = y * 200 / max(1, height) + Int.random(in: 0...8, using: &random)
                let b = (x + y) * 120 / max(1, width + height) + 60 - edge / 2
                image[x, y] = RGB(UInt8(clamping: r), UInt8(clamping: g), UInt8(clamping: b))
            }
        }
        return image
    }

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    /// The largest per-sample difference between two equally long sample arrays.
    static func maxDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        precondition(a.count == b.count, "sample counts differ: \(a.count) vs \(b.count)")
        var worst = 0
        for i in a.indices { worst = max(worst, abs(Int(a[i]) - Int(b[i]))) }
        return worst
    }
}
