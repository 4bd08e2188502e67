import Foundation
import Testing
@testable import SmearImaging
import SmearTestSupport

/// Files small on disk that would be huge in memory or slow to decode: each is refused
/// before its pixel buffer is allocated, stopped by a limit, or decoded within a stated bound.
@Suite(.timeLimit(.minutes(1))) struct DecompressionBombTests {
    /// The result of decoding `bytes`, and how long it took in seconds.
    private func decode(_ bytes: [UInt8], options: DecodeOptions = .default) -> (Result<DecodedImage, ImageError>, Double) {
        let clock = ContinuousClock()
        var result: Result<DecodedImage, ImageError>!
        let elapsed = clock.measure {
            result = Result { () throws(ImageError) in try ImageDecoder.decodeScaled(data: bytes, path: "bomb", options: options) }
        }
        return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    private func error(_ result: Result<DecodedImage, ImageError>) -> ImageError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test func tinyPNGDeclaringHundredMegapixels() throws {
        // A valid 120x90 PNG relabelled 10000x10000 (100 MP, under the 120 MP default): its
        // few hundred bytes of IDAT cannot inflate to the 300 MB the header needs.
        let source = try PNGEncoder.encode(TestImages.pattern(width: 120, height: 90))
        let bomb = RawPNG.withSize(source, width: 10_000, height: 10_000)
        let (result, seconds) = decode(bomb)
        let failure = try #require(error(result))
        #expect(failure.kind == .corrupt)
        #expect(failure.reason.contains("too short for the 10000x10000 image"), "\(failure)")
        #expect(seconds < 0.5, "took \(seconds) s")
        // Compressed data that could hold the image is not refused by the bound: it reaches
        // libpng, which finds the data wrong (here: an IDAT of zeros without a zlib header).
        let padded = RawPNG.withSize(source, width: 1000, height: 1000)
        let withData = Array(padded.prefix(33)) + RawPNG.chunk("IDAT", [UInt8](repeating: 0, count: 3000)) + RawPNG.chunk("IEND", [])
        let libpngFailure = try #require(error(decode(withData).0))
        #expect(libpngFailure.kind == .corrupt)
        #expect(!libpngFailure.reason.contains("too short"))
    }

    @Test(arguments: [false, true])
    func tinyJPEGDeclaringHundredMegapixels(progressive: Bool) throws {
        // A 120x90 JPEG relabelled 10000x10000: under 2 KB for 1.56 million blocks, which
        // Huffman coding needs at least 1 (progressive) or 2 bits each to code.
        var bomb = try JPEGTests.makeJPEG(width: 120, height: 90, progressive: progressive)
        let frame = try #require(bomb.indices.first { bomb[$0] == 0xFF && (bomb[$0 + 1] == 0xC0 || bomb[$0 + 1] == 0xC2) })
        bomb.replaceSubrange((frame + 5)..<(frame + 9), with: [0x27, 0x10, 0x27, 0x10])
        let (result, seconds) = decode(bomb)
        let failure = try #require(error(result))
        #expect(failure.kind == .corrupt)
        #expect(failure.reason.contains("too short for the 10000x10000 image"), "\(failure)")
        #expect(seconds < 0.5, "took \(seconds) s")
    }

    @Test func hugeDeclaredSizeAboveTheLimitIsRefusedFromTheHeader() throws {
        // An 8x8 image whose frame header is relabelled 65,000 x 65,000 (4.2 gigapixels).
        var bomb = MinimalJPEG.baseline(width: 8, height: 8)
        let frame = try #require(bomb.indices.first { bomb[$0] == 0xFF && bomb[$0 + 1] == 0xC0 })
        bomb.replaceSubrange((frame + 5)..<(frame + 9), with: [0xFD, 0xE8, 0xFD, 0xE8])
        let (result, seconds) = decode(bomb)
        let failure = try #require(error(result))
        #expect(failure.kind == .tooLarge)
        #expect(failure.description == "bomb: image is 65000x65000 (4225.0 MP), above the 120.0 MP limit")
        #expect(seconds < 0.5, "took \(seconds) s")
    }

    @Test func thousandsOfProgressiveScansAreRefused() throws {
        // 5,000 valid DC scans of a 64x64 image: refused from a count of its markers.
        let bomb = MinimalJPEG.progressive(width: 64, height: 64, scans: 5000)
        #expect(JPEGStructure.scanCount(bomb) == 5000)
        let (result, seconds) = decode(bomb)
        let failure = try #require(error(result))
        #expect(failure.kind == .corrupt)
        #expect(failure.description == "bomb: progressive JPEG has 5000 scans, more than the 100 accepted")
        #expect(seconds < 1, "took \(seconds) s")
        // With 100 scans it is a valid image: the limit, not the data, refused it.
        let image = try decode(MinimalJPEG.progressive(width: 64, height: 64, scans: 100)).0.get().image
        #expect(image.width == 64 && image.height == 64)
        #expect(image.pixels.allSatisfy { $0 == 128 })
        #expect(error(decode(MinimalJPEG.progressive(width: 64, height: 64, scans: 101)).0)?.reason.contains("101 scans") == true)
    }

    @Test func endOfBandRunScansAreRefusedBeforeDecoding() throws {
        // 17 KB, 500 scans over 2048x2048: each AC scan codes 65,536 blocks in 30 bits. At
        // 10,952 x 10,952 (120 MP) the same 319 KB file took libjpeg 17.7 s before the count.
        let bomb = MinimalJPEG.endOfBandRuns(width: 2048, height: 2048, acScans: 499)
        #expect(bomb.count < 20_000)
        let (result, seconds) = decode(bomb)
        #expect(error(result)?.reason == "progressive JPEG has 500 scans, more than the 100 accepted")
        #expect(seconds < 0.5, "took \(seconds) s")
        // Within the limit the runs decode to the flat grey they describe.
        let allowed = try decode(MinimalJPEG.endOfBandRuns(width: 2048, height: 2048, acScans: 99),
                                 options: DecodeOptions(minimumWidth: 256, minimumHeight: 256)).0.get()
        #expect(allowed.scale == ScaleFactor(1, 8))
        #expect(allowed.image.pixels.allSatisfy { $0 == 128 })
    }

    @Test func scanLimitBoundsTheWorkOfALargeProgressiveImage() throws {
        // 100 scans (the most accepted) over 2048x2048: each scan revisits all 65,536 blocks.
        let bomb = MinimalJPEG.progressive(width: 2048, height: 2048, scans: 100)
        let (result, seconds) = decode(bomb, options: DecodeOptions(minimumWidth: 256, minimumHeight: 256))
        let decoded = try result.get()
        #expect(decoded.scale == ScaleFactor(1, 8))
        #expect(decoded.image.pixels.allSatisfy { $0 == 128 })
        #expect(seconds < 10, "took \(seconds) s")
    }

    @Test func tenThousandSquareImage() throws {
        // 100 megapixels, valid and 390 KB: under the default 120 MP limit it decodes (the
        // full-size RGB output is 300 MB; at 1/8 scale it is 4.7 MB and libjpeg's own buffers
        // are a few rows); under a 50 MP limit it is refused from the header.
        let big = MinimalJPEG.baseline(width: 10_000, height: 10_000)
        #expect(big.count < 400_000)
        let (refused, refusedSeconds) = decode(big, options: DecodeOptions(maxMegapixels: 50))
        #expect(error(refused)?.description == "bomb: image is 10000x10000 (100.0 MP), above the 50.0 MP limit")
        #expect(refusedSeconds < 0.5)

        let reduced = try decode(big, options: DecodeOptions(minimumWidth: 1250, minimumHeight: 1250)).0.get()
        #expect(reduced.scale == ScaleFactor(1, 8))
        #expect(reduced.image.width == 1250 && reduced.image.height == 1250)
        #expect(reduced.image.pixels.allSatisfy { $0 == 128 })

        let full = try decode(big).0.get().image
        #expect(full.width == 10_000 && full.height == 10_000)
        #expect(full.pixels.count == 300_000_000)
        #expect(full[0, 0] == RGB(128, 128, 128) && full[9_999, 9_999] == RGB(128, 128, 128))

        // Cut to half its entropy data it is refused by the Huffman bound before allocation.
        let (cut, cutSeconds) = decode(Array(big.prefix(big.count / 2)) + [0xFF, 0xD9])
        #expect(error(cut)?.reason.contains("too short for the 10000x10000 image") == true)
        #expect(cutSeconds < 0.5)
    }
}
