import Testing
@testable import SmearImaging
import SmearTestSupport

@Suite struct ResamplingTests {
    @Test func cropOutsideIsFilled() {
        var img = RGBImage(width: 4, height: 3, fill: RGB(10, 20, 30))
        img[0, 0] = RGB(1, 2, 3)
        let c = img.cropped(to: PixelRect(x: -1, y: -1, width: 3, height: 3), fill: RGB(255, 0, 0))
        #expect(c.width == 3 && c.height == 3)
        #expect(c[0, 0] == RGB(255, 0, 0))
        #expect(c[1, 1] == RGB(1, 2, 3))
        #expect(c[2, 2] == RGB(10, 20, 30))
    }

    @Test func halvingAveragesBlocks() {
        var img = RGBImage(width: 4, height: 2, fill: RGB(0, 0, 0))
        img[0, 0] = RGB(100, 0, 0); img[1, 0] = RGB(200, 0, 0)
        img[0, 1] = RGB(0, 0, 0); img[1, 1] = RGB(100, 0, 0)
        let s = img.resized(width: 2, height: 1)
        #expect(s[0, 0] == RGB(100, 0, 0))
        #expect(s[1, 0] == RGB(0, 0, 0))
    }

    @Test func uniformImageStaysUniform() {
        let img = RGBImage(width: 37, height: 23, fill: RGB(12, 200, 77))
        for (w, h) in [(5, 4), (80, 61), (37, 50), (1, 1)] {
            let r = img.resized(width: w, height: h)
            #expect(r.pixels.allSatisfy { $0 == 12 || $0 == 200 || $0 == 77 })
            #expect(r[w - 1, h - 1] == RGB(12, 200, 77))
        }
    }
}

/// `resized` against a direct, unoptimised 2-D reference computed in Double.
@Suite struct ResizeReferenceTests {
    /// Weight of source index `i` for output index `o` along one axis.
    static func weight(_ i: Int, _ o: Int, source: Int, target: Int) -> Double {
        let scale = Double(source) / Double(target)
        if scale >= 1 {
            let lo = Double(o) * scale, hi = Double(o + 1) * scale
            return max(0, min(hi, Double(i + 1)) - max(lo, Double(i))) / scale
        }
        let c = max(0, min(Double(source - 1), (Double(o) + 0.5) * scale - 0.5))
        let i0 = Int(c.rounded(.down)), f = c - Double(i0)
        if i == i0 { return i0 == source - 1 ? 1 : 1 - f }
        return i == i0 + 1 ? f : 0
    }

    static func reference(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        var out = RGBImage(width: width, height: height)
        for oy in 0..<height {
            for ox in 0..<width {
                var acc = [0.0, 0.0, 0.0]
                for y in 0..<image.height {
                    let wy = weight(y, oy, source: image.height, target: height)
                    if wy == 0 { continue }
                    for x in 0..<image.width {
                        let w = wy * weight(x, ox, source: image.width, target: width)
                        if w == 0 { continue }
                        let p = image[x, y]
                        acc[0] += w * Double(p.r); acc[1] += w * Double(p.g); acc[2] += w * Double(p.b)
                    }
                }
                out[ox, oy] = RGB(UInt8(clamping: Int(acc[0] + 0.5)), UInt8(clamping: Int(acc[1] + 0.5)), UInt8(clamping: Int(acc[2] + 0.5)))
            }
        }
        return out
    }

    @Test(arguments: [(13, 9), (40, 30), (7, 50), (100, 4), (1, 1), (57, 31), (97, 61), (20, 15)])
    func matchesReference(width: Int, height: Int) {
        var random = SeededGenerator(seed: UInt64(width * 1000 + height))
        var image = RGBImage(width: 57, height: 31)
        for i in image.pixels.indices { image.pixels[i] = UInt8.random(in: 0...255, using: &random) }
        let fast = image.resized(width: width, height: height)
        let slow = Self.reference(image, width: width, height: height)
        #expect(TestImages.maxDifference(fast.pixels, slow.pixels) <= 1)
    }

    @Test func roundedByteRoundsHalfUpAndClamps() {
        var values: [Float] = [-3, -0.5, -0.0001, 0, 0.4999, 0.5, 1.5, 2.5, 254.5, 254.49998, 255, 255.4, 255.5, 256, 1e9, .infinity]
        for k in 0...(256 * 64) { values.append(Float(k) / 64 - 0.25) }
        for x in values {
            let reference = UInt8(clamping: Int(max(-1, min(1000, x + 0.5)).rounded(.down)))
            #expect(roundedByte(x) == reference, "\(x)")
        }
    }

    @Test func exactHalvingOfEvenBlocksIsExact() {
        var random = SeededGenerator(seed: 9)
        var image = RGBImage(width: 8, height: 6)
        for i in image.pixels.indices { image.pixels[i] = UInt8.random(in: 0...255, using: &random) }
        let half = image.resized(width: 4, height: 3)
        for y in 0..<3 {
            for x in 0..<4 {
                let block = [image[2 * x, 2 * y], image[2 * x + 1, 2 * y], image[2 * x, 2 * y + 1], image[2 * x + 1, 2 * y + 1]]
                let r = (block.map { Int($0.r) }.reduce(0, +) * 2 + 4) / 8
                #expect(Int(half[x, y].r) == r)
            }
        }
    }
}
