import Testing
import SmearKernels

/// `Im2Col.pack`: any run of pixels (starting mid-row too) equals those rows of the whole
/// unrolled matrix, which matches a plain gather of each window.
@Suite struct Im2ColTests {
    @Test(arguments: [(3, 1, 2, 1), (3, 1, 1, 0), (6, 3, 2, 1), (4, 1, 1, 2), (5, 5, 1, 1)])
    func rangesMatchTheWholeMatrix(channels: Int, groups: Int, stride: Int, padding: Int) {
        let g = ConvGeometry(inputHeight: 7, inputWidth: 9, inputChannels: channels, outputChannels: groups * 2,
                             kernel: 3, stride: stride, padding: padding, groups: groups)
        var random = RandomData(seed: 5)
        let input = random.floats(g.inputCount)
        let k = g.patchLength, pixels = g.outputPixels
        for group in 0..<groups {
            var whole = [Float](repeating: .nan, count: pixels * k)
            Im2Col.pack(input, geometry: g, group: group, into: &whole)
            // A plain gather of each window.
            for p in 0..<pixels {
                let oy = p / g.outputWidth, ox = p % g.outputWidth
                var i = 0
                for ky in 0..<3 {
                    for kx in 0..<3 {
                        for c in 0..<g.groupInputChannels {
                            let iy = oy * stride - padding + ky, ix = ox * stride - padding + kx
                            let inside = iy >= 0 && iy < 7 && ix >= 0 && ix < 9
                            let expected = inside ? input[(iy * 9 + ix) * channels + group * g.groupInputChannels + c] : 0
                            #expect(whole[p * k + i] == expected)
                            i += 1
                        }
                    }
                }
            }
            for range in [0..<pixels, 5..<min(17, pixels), (pixels - 3)..<pixels] where !range.isEmpty {
                var part = [Float](repeating: .nan, count: range.count * k)
                Im2Col.pack(input, geometry: g, group: group, pixels: range, into: &part)
                #expect(part == Array(whole[(range.lowerBound * k)..<(range.upperBound * k)]))
            }
        }
    }
}
