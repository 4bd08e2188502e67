import Testing
import Foundation
@testable import SmearImaging
import SmearTestSupport

@Suite struct PNGTests {
    /// Random samples for `format`; palette formats get indices below `entries`.
    private func samples(_ format: PNGSampleFormat, width: Int, height: Int, entries: Int = 16, seed: UInt64) -> [UInt8] {
        var bytes = TestImages.randomBytes(width * height * format.bytesPerPixel, seed: seed)
        if format.isPalette { bytes = bytes.map { $0 % UInt8(entries) } }
        return bytes
    }

    @Test(arguments: PNGSampleFormat.allCases)
    func writeThenReadIsBitExact(format: PNGSampleFormat) throws {
        let (w, h) = (37, 23)
        let input = samples(format, width: w, height: h, seed: UInt64(format.rawValue) + 1)
        let entries = 16
        // Opaque colormap entries when the palette has alpha: libpng may reorder or merge
        // entries, so equality is checked on looked-up colours, not on indices.
        let colormap: [UInt8] = format.isPalette
            ? (0..<entries).flatMap { i -> [UInt8] in
                let c: [UInt8] = [UInt8(i * 16), UInt8(255 - i * 9), UInt8(i * 5 + 3)]
                return format.hasAlpha ? c + [UInt8(i % 2 == 0 ? 255 : i * 10)] : c
            }
            : []
        let png = try input.withUnsafeBytes { raw in
            try PNGEncoder.encode(samples: raw, width: w, height: h, format: format, colormap: colormap).get()
        }
        let read = try PNGDecoder.samples(png, format: format).get()
        if format.isPalette {
            let size = format.hasAlpha ? 4 : 3
            for i in input.indices {
                let want = colormap[(Int(input[i]) * size)..<(Int(input[i]) * size + size)]
                let got = read.colormap[(Int(read.samples[i]) * size)..<(Int(read.samples[i]) * size + size)]
                #expect(Array(want) == Array(got), "pixel \(i)")
            }
        } else if format.hasAlpha && format.bytesPerSample == 2 {
            // libpng stores linear 16-bit alpha as premultiplied; only opaque pixels are exact.
            let opaque = opaqueCopy(input, channels: format.channels)
            let png2 = try opaque.withUnsafeBytes { raw in
                try PNGEncoder.encode(samples: raw, width: w, height: h, format: format).get()
            }
            #expect(try PNGDecoder.samples(png2, format: format).get().samples == opaque)
        } else {
            #expect(read.samples == input)
        }
    }

    /// 16-bit samples with every alpha at 65535.
    private func opaqueCopy(_ samples: [UInt8], channels: Int) -> [UInt8] {
        var out = samples
        for pixel in stride(from: 0, to: out.count, by: channels * 2) {
            out[pixel + (channels - 1) * 2] = 0xFF
            out[pixel + (channels - 1) * 2 + 1] = 0xFF
        }
        return out
    }

    @Test func rgbImageRoundTripThroughPublicAPI() throws {
        let image = TestImages.pattern(width: 61, height: 47)
        let png = try PNGEncoder.encode(image)
        #expect(try ImageDecoder.decode(data: png) == image)
    }

    @Test func grayAndPaletteExpandToRGBExactly() throws {
        let gray = TestImages.randomBytes(20 * 10, seed: 7)
        let grayPNG = RawPNG.make(width: 20, height: 10, bitDepth: 8, colorType: 0, rows: gray)
        let decoded = try ImageDecoder.decode(data: grayPNG)
        #expect(decoded.pixels == gray.flatMap { [$0, $0, $0] })

        let palette: [UInt8] = [10, 20, 30, 200, 100, 0, 0, 0, 255, 255, 255, 255]
        let indices: [UInt8] = (0..<(8 * 5)).map { UInt8($0 % 4) }
        let palettePNG = RawPNG.make(width: 8, height: 5, bitDepth: 8, colorType: 3, rows: indices,
                                     chunksBeforeData: [("PLTE", palette)])
        let decodedPalette = try ImageDecoder.decode(data: palettePNG)
        #expect(decodedPalette.pixels == indices.flatMap { Array(palette[(Int($0) * 3)..<(Int($0) * 3 + 3)]) })
    }

    @Test(arguments: [1, 2, 4])
    func lowBitDepthGrayScalesToFullRange(bits: Int) throws {
        // One row holding every level 0..<2^bits, packed most significant bits first.
        let levels = 1 << bits
        var packed = [UInt8](repeating: 0, count: (levels * bits + 7) / 8)
        for v in 0..<levels { packed[v * bits / 8] |= UInt8(v << (8 - bits - (v * bits) % 8)) }
        let png = RawPNG.make(width: levels, height: 1, bitDepth: bits, colorType: 0, rows: packed)
        let image = try ImageDecoder.decode(data: png)
        for v in 0..<levels { #expect(Int(image[v, 0].r) == v * 255 / (levels - 1)) }
    }

    @Test func sixteenBitSRGBReducesToEightBits() throws {
        // No gAMA chunk: the samples are sRGB-encoded, so 8-bit output is v / 257 rounded.
        let (w, h) = (17, 9)
        let wide = TestImages.randomBytes(w * h * 3 * 2, seed: 16)
        let png = RawPNG.make(width: w, height: h, bitDepth: 16, colorType: 2, rows: wide)
        let image = try ImageDecoder.decode(data: png)
        let expected: [UInt8] = stride(from: 0, to: wide.count, by: 2).map { i in
            UInt8((Double(Int(wide[i]) << 8 | Int(wide[i + 1])) / 257).rounded())
        }
        #expect(TestImages.maxDifference(image.pixels, expected) <= 1)
    }

    /// 16-bit interlaced files take a workaround path (libpng 1.6.39's own 8-bit output
    /// scrambles them), which agrees with the direct path within one level.
    @Test(arguments: [(0, 8), (2, 8), (4, 8), (6, 8), (0, 16), (2, 16), (4, 16), (6, 16)])
    func interlacedMatchesNonInterlaced(colorType: Int, bitDepth: Int) throws {
        let (w, h) = (29, 19)
        let channels = [0: 1, 2: 3, 4: 2, 6: 4][colorType]!
        let rows = TestImages.randomBytes(w * h * channels * bitDepth / 8, seed: 3)
        let plain = RawPNG.make(width: w, height: h, bitDepth: bitDepth, colorType: colorType, rows: rows)
        let adam7 = RawPNG.make(width: w, height: h, bitDepth: bitDepth, colorType: colorType, rows: rows, interlaced: true)
        #expect(try ImageDecoder.info(data: adam7).png?.interlaced == true)
        let difference = TestImages.maxDifference(try ImageDecoder.decode(data: adam7).pixels,
                                                  try ImageDecoder.decode(data: plain).pixels)
        #expect(difference <= (bitDepth == 16 ? 1 : 0))
    }

    @Test func alphaIsCompositedOnWhite() throws {
        // RGBA pixels: opaque red, fully transparent blue, half-transparent black.
        let rows: [UInt8] = [255, 0, 0, 255, 0, 0, 255, 0, 0, 0, 0, 128]
        let png = RawPNG.make(width: 3, height: 1, bitDepth: 8, colorType: 6, rows: rows)
        let image = try ImageDecoder.decode(data: png)
        #expect(image[0, 0] == RGB(255, 0, 0))
        #expect(image[1, 0] == RGB(255, 255, 255))
        // Linear-light blend of black and white at alpha 128/255, back in sRGB: about 188.
        let linear = 1 - 128.0 / 255
        let srgb = linear <= 0.0031308 ? 12.92 * linear : 1.055 * Foundation.pow(linear, 1 / 2.4) - 0.055
        let half = image[2, 0]
        #expect(abs(Int(half.r) - Int((srgb * 255).rounded())) <= 2)
        #expect(half.r == half.g && half.g == half.b)
    }

    @Test func paletteWithTransparencyChunk() throws {
        // Entry 1 fully transparent via tRNS: shows white; entry 0 opaque.
        let palette: [UInt8] = [0, 128, 0, 0, 0, 0]
        let png = RawPNG.make(width: 2, height: 1, bitDepth: 8, colorType: 3, rows: [0, 1],
                              chunksBeforeData: [("PLTE", palette), ("tRNS", [255, 0])])
        let info = try ImageDecoder.info(data: png)
        #expect(info.png?.colorType == "palette" && info.png?.hasTransparencyChunk == true)
        let image = try ImageDecoder.decode(data: png)
        #expect(image[0, 0] == RGB(0, 128, 0))
        #expect(image[1, 0] == RGB(255, 255, 255))
    }

    @Test func grayAlphaSixteenBitInfo() throws {
        let png = RawPNG.make(width: 4, height: 4, bitDepth: 16, colorType: 4, rows: [UInt8](repeating: 0xFF, count: 4 * 4 * 4))
        let info = try ImageDecoder.info(data: png)
        #expect(info.format == .png && info.width == 4 && info.height == 4)
        #expect(info.channels == 2 && info.bitDepth == 16)
        #expect(info.png == ImageInfo.PNGDetails(colorType: "gray+alpha", interlaced: false, hasTransparencyChunk: false))
        #expect(try ImageDecoder.decode(data: png) == RGBImage(width: 4, height: 4, fill: RGB(255, 255, 255)))
    }
}
