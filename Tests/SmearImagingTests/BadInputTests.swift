import Foundation
import Testing
@testable import SmearImaging
import SmearTestSupport

/// The bad-input corpus, generated here: every case decodes correctly or throws the
/// right `ImageError.kind`; none crashes or hangs.
@Suite(.timeLimit(.minutes(1))) struct BadInputTests {
    static let jpeg: [UInt8] = try! JPEGTests.makeJPEG(width: 120, height: 90)
    static let progressiveJPEG: [UInt8] = try! JPEGTests.makeJPEG(width: 120, height: 90, progressive: true)
    static let png: [UInt8] = try! PNGEncoder.encode(TestImages.pattern(width: 120, height: 90))

    /// The error `decode(data:)` throws, or nil if it decodes.
    private func failure(_ bytes: [UInt8], options: DecodeOptions = .default) -> ImageError? {
        do { _ = try ImageDecoder.decode(data: bytes, path: "bad.img", options: options); return nil }
        catch { return error }
    }

    /// Offset of the byte after the first marker segment `marker` (FF xx) in a JPEG.
    private func endOfSegment(_ marker: UInt8, in jpeg: [UInt8]) -> Int {
        var i = 2
        while jpeg[i + 1] != marker { i += 2 + (Int(jpeg[i + 2]) << 8 | Int(jpeg[i + 3])) }
        return i + 2 + (Int(jpeg[i + 2]) << 8 | Int(jpeg[i + 3]))
    }

    @Test func missingFileAndFolder() throws {
        #expect(throws: ImageError(.missingFile, path: "/no/such/file.jpg", reason: "no such file")) {
            try ImageDecoder.decode(path: "/no/such/file.jpg")
        }
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let error = #expect(throws: ImageError.self) { try ImageDecoder.decode(path: folder.url.path) }
        #expect(error?.kind == .unreadableFile)
    }

    @Test func zeroBytesFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("empty.jpg").path
        try AtomicFile.write([UInt8](), to: path)
        let error = #expect(throws: ImageError.self) { try ImageDecoder.decode(path: path) }
        #expect(error?.kind == .emptyFile)
        #expect(error?.description == "\(path): file is empty (0 bytes)")
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomBytes(seed: UInt64) {
        var bytes = TestImages.randomBytes(4096, seed: seed)
        if bytes[0] == 0xFF || bytes[0] == 0x89 { bytes[0] = 0 }
        #expect(failure(bytes)?.kind == .unsupportedFormat)
        // Random data behind valid magic bytes: a clean error, never a crash.
        for magic in [Array(Self.jpeg.prefix(3)), Array(Self.png.prefix(8))] {
            let kind = failure(magic + bytes)?.kind
            #expect(kind == .corrupt || kind == .truncated, "magic \(magic): \(String(describing: kind))")
        }
    }

    @Test func truncatedJPEGs() {
        for source in [Self.jpeg, Self.progressiveJPEG] {
            let scanStart = endOfSegment(0xDA, in: source)
            // (Two bytes, FF D8, are too few to call it a JPEG: that is an unknown format.)
            for cut in [3, 4, 20, 100, scanStart, scanStart + 50, source.count / 2, source.count - 100, source.count - 2] {
                let error = failure(Array(source.prefix(cut)))
                #expect(error?.kind == .truncated, "cut at \(cut) of \(source.count): \(String(describing: error))")
            }
            // Cut short and padded with zeros, as the truncated deepapl files are.
            let padded = Array(source.prefix(source.count / 2)) + [UInt8](repeating: 0, count: source.count / 2)
            #expect(failure(padded)?.kind == .truncated)
        }
    }

    @Test func truncatedPNGs() {
        let source = Self.png
        // Down to a missing last byte: libpng itself never reads IEND's checksum, but a
        // chunk chain that stops short is truncation whatever the pixels look like.
        for cut in [8, 20, 33, 60, source.count / 2, source.count - 13, source.count - 12, source.count - 1] {
            let error = failure(Array(source.prefix(cut)))
            #expect(error?.kind == .truncated, "cut at \(cut) of \(source.count): \(String(describing: error))")
        }
    }

    @Test func headerOnly() {
        // JPEG: every marker segment up to and including the start of scan, no scan data.
        #expect(failure(Array(Self.jpeg.prefix(endOfSegment(0xDA, in: Self.jpeg))))?.kind == .truncated)
        // PNG: signature, IHDR and IEND, a complete chunk chain without image data.
        let headerOnly = Array(Self.png.prefix(33)) + RawPNG.chunk("IEND", [])
        #expect(failure(headerOnly)?.kind == .corrupt)
    }

    @Test func corruptData() {
        // A flipped byte inside IDAT: libpng's CRC check catches it.
        var png = Self.png
        png[png.count / 2] ^= 0x55
        #expect(failure(png)?.kind == .corrupt)
        // A JPEG whose quantisation table marker is destroyed.
        var jpeg = Self.jpeg
        let dqt = jpeg.indices.first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xDB }!
        jpeg[dqt + 1] = 0x00
        #expect(failure(jpeg)?.kind == .corrupt)
    }

    @Test func wrongExtensionDecodesByContent() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try AtomicFile.write(Self.png, to: folder.file("actually-png.jpg").path)
        try AtomicFile.write(Self.jpeg, to: folder.file("actually-jpeg.png").path)
        #expect(try ImageDecoder.decode(path: folder.file("actually-png.jpg").path).width == 120)
        #expect(try ImageDecoder.info(path: folder.file("actually-jpeg.png").path).format == .jpeg)
    }

    @Test func hugeDimensionsInValidHeaders() {
        // PNG: IHDR claims 100000 x 100000 (10 gigapixels) with a correct CRC.
        let hugePNG = RawPNG.withSize(Self.png, width: 100_000, height: 100_000)
        let error = failure(hugePNG)
        #expect(error?.kind == .tooLarge)
        #expect(error?.reason.contains("100000x100000") == true)
        // Beyond libpng's own limits, or zero: rejected by libpng as corrupt.
        #expect(failure(RawPNG.withSize(Self.png, width: 0x7FFF_FFFF, height: 1))?.kind == .corrupt)
        #expect(failure(RawPNG.withSize(Self.png, width: 0, height: 10))?.kind == .corrupt)
        // JPEG: the frame header claims 65000 x 65000.
        var hugeJPEG = Self.jpeg
        let sof = hugeJPEG.indices.first { hugeJPEG[$0] == 0xFF && hugeJPEG[$0 + 1] == 0xC0 }!
        hugeJPEG.replaceSubrange((sof + 5)..<(sof + 9), with: [0xFD, 0xE8, 0xFD, 0xE8])
        #expect(failure(hugeJPEG)?.kind == .tooLarge)
    }

    @Test func configurableLimit() {
        let small = DecodeOptions(maxMegapixels: 0.01)  // 10 000 pixels; the images have 10 800
        #expect(failure(Self.jpeg, options: small)?.kind == .tooLarge)
        #expect(failure(Self.png, options: small)?.kind == .tooLarge)
        #expect(failure(Self.jpeg, options: DecodeOptions(maxMegapixels: 0.011)) == nil)
    }

    @Test(arguments: [
        ([0x49, 0x49, 0x2A, 0x00], "TIFF"), ([0x4D, 0x4D, 0x00, 0x2A], "TIFF"), ([0x42, 0x4D], "BMP"),
        (Array("GIF89a".utf8), "GIF"), (Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBP".utf8), "WEBP"),
    ] as [([UInt8], String)])
    func unsupportedFormatsAreNamed(magic: [UInt8], name: String) {
        let error = failure(magic + [UInt8](repeating: 7, count: 64))
        #expect(error?.kind == .unsupportedFormat)
        #expect(error?.reason.hasPrefix("\(name) images are not supported") == true)
    }

    @Test func twelveBitAndLosslessJPEGsAreNamed() {
        let sof = Self.jpeg.indices.first { Self.jpeg[$0] == 0xFF && Self.jpeg[$0 + 1] == 0xC0 }!
        var twelveBit = Self.jpeg
        twelveBit[sof + 4] = 12
        #expect(failure(twelveBit)?.reason == "12-bit JPEG is not supported (8-bit only)")
        var lossless = Self.jpeg
        lossless[sof + 1] = 0xC3
        #expect(failure(lossless)?.kind == .unsupportedFormat)
        #expect(failure(lossless)?.reason == "lossless JPEG is not supported")
    }

    @Test func errorsAreOneLineNamingTheFile() {
        for bytes in [Array(Self.jpeg.prefix(200)), Array(Self.png.prefix(40)), [0x42, 0x4D, 1, 2]] {
            let text = failure(bytes)?.description ?? ""
            #expect(text.hasPrefix("bad.img: ") && !text.contains("\n"), "\(text)")
        }
    }
}

extension BadInputTests {
    @Test func oversizedFileIsRefusedBeforeReading() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("huge.jpg").path
        // A sparse file: 3 GiB long, almost nothing on disk.
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.jpeg.prefix(16))))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 3 << 30)
        try handle.close()
        let error = #expect(throws: ImageError.self) { try ImageDecoder.decode(path: path) }
        #expect(error?.kind == .tooLarge)
    }
}
