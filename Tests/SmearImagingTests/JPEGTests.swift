import Foundation
import Testing
@testable import SmearImaging
import SmearTestSupport

@Suite struct JPEGTests {
    /// A synthetic JPEG written with TurboJPEG.
    static func makeJPEG(width: Int = 83, height: Int = 61, layout: JPEGEncoder.Layout = .rgb,
                         subsampling: JPEGEncoder.Subsampling = .both420, progressive: Bool = false) throws -> [UInt8] {
        let image = TestImages.pattern(width: width, height: height)
        var samples: [UInt8] = []
        for pixel in stride(from: 0, to: image.pixels.count, by: 3) {
            let rgb = image.pixels[pixel..<(pixel + 3)]
            switch layout {
            case .rgb: samples += rgb
            case .gray: samples.append(rgb[pixel + 1])
            case .cmyk: samples += rgb.map { 255 - $0 } + [20]
            }
        }
        return try samples.withUnsafeBytes { raw in
            try JPEGEncoder.encode(samples: raw, width: width, height: height, layout: layout, quality: 90,
                                   subsampling: subsampling, progressive: progressive).get()
        }
    }

    /// Decodes `path` with SmearScan and with djpeg at `scale`, expecting ±1 per channel.
    static func expectMatchesDjpeg(_ path: String, scale: ScaleFactor = .one) throws {
        let minimum: (Int, Int) = scale == .one ? (0, 0) : try {
            let info = try ImageDecoder.info(path: path)
            return (scale.scaled(info.width), scale.scaled(info.height))
        }()
        let ours = try ImageDecoder.decodeScaled(path: path, options: DecodeOptions(minimumWidth: minimum.0, minimumHeight: minimum.1))
        #expect(ours.scale == scale, "\(path)")
        let reference = try #require(try Djpeg.decode(path: path, scale: scale == .one ? nil : scale.description), "djpeg failed on \(path)")
        #expect(ours.image.width == reference.width && ours.image.height == reference.height, "\(path)")
        let expected = reference.channels == 3 ? reference.samples : reference.samples.flatMap { [$0, $0, $0] }
        #expect(TestImages.maxDifference(ours.image.pixels, expected) <= 1, "\(path) at \(scale)")
    }

    static var realFiles: [String] {
        let samples = SharedData.repositoryRoot.appendingPathComponent("SampleImages")
        let local = ["bccd-fields/BloodImage_00000.jpg", "bccd-fields/BloodImage_00100.jpg",
                     "pbc-donor/neutrophil_BNE_105145.jpg", "pbc-donor/lymphocyte_LY_10361.jpg"]
            .map { samples.appendingPathComponent($0).path }
        let shared = ["overviews/Patient_00.jpg", "deepapl/Patient_00/Lymphocyte"]
            .map { SharedData.url($0).path }
        let cells = (try? FileManager.default.contentsOfDirectory(atPath: shared[1]))?.sorted().prefix(3)
            .map { shared[1] + "/" + $0 } ?? []
        return local + [shared[0]] + cells
    }

    @Test(.enabled(if: Djpeg.isInstalled), .timeLimit(.minutes(2)))
    func realFilesMatchDjpeg() throws {
        for path in Self.realFiles {
            try Self.expectMatchesDjpeg(path)
        }
    }

    @Test(.enabled(if: Djpeg.isInstalled), arguments: [ScaleFactor(1, 2), ScaleFactor(1, 4), ScaleFactor(1, 8)])
    func reducedScaleMatchesDjpeg(scale: ScaleFactor) throws {
        for path in Self.realFiles.prefix(4) {
            try Self.expectMatchesDjpeg(path, scale: scale)
        }
    }

    @Test(.enabled(if: Djpeg.isInstalled), arguments: [
        (JPEGEncoder.Layout.rgb, JPEGEncoder.Subsampling.none444, false),
        (.rgb, .horizontal422, false), (.rgb, .both420, false), (.gray, .gray, false),
        (.rgb, .both420, true), (.gray, .gray, true), (.rgb, .none444, true),
    ])
    func syntheticVariantsMatchDjpeg(layout: JPEGEncoder.Layout, subsampling: JPEGEncoder.Subsampling, progressive: Bool) throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.file("variant.jpg").path
        try AtomicFile.write(try Self.makeJPEG(layout: layout, subsampling: subsampling, progressive: progressive), to: path)
        let info = try ImageDecoder.info(path: path)
        #expect(info.jpeg?.progressive == progressive)
        let names: [JPEGEncoder.Subsampling: String] = [.none444: "4:4:4", .horizontal422: "4:2:2", .both420: "4:2:0", .gray: "gray"]
        #expect(info.jpeg?.subsampling == names[subsampling])
        #expect(info.channels == (layout == .gray ? 1 : 3) && info.bitDepth == 8)
        try Self.expectMatchesDjpeg(path)
        try Self.expectMatchesDjpeg(path, scale: ScaleFactor(1, 2))
    }

    @Test func subsamplingIsReported() throws {
        let cases: [(JPEGEncoder.Subsampling, String)] = [(.none444, "4:4:4"), (.horizontal422, "4:2:2"), (.both420, "4:2:0"), (.gray, "gray")]
        for (subsampling, name) in cases {
            let info = try ImageDecoder.info(data: try Self.makeJPEG(subsampling: subsampling))
            #expect(info.jpeg?.subsampling == name)
            #expect(info.jpeg?.colorspace == (subsampling == .gray ? "gray" : "YCbCr"))
        }
    }

    @Test func cmykIsRejectedClearly() throws {
        let cmyk = try Self.makeJPEG(layout: .cmyk)
        let info = try ImageDecoder.info(data: cmyk)
        #expect(info.channels == 4 && ["CMYK", "YCCK"].contains(info.jpeg?.colorspace))
        let error = #expect(throws: ImageError.self) { try ImageDecoder.decode(data: cmyk, path: "scan.jpg") }
        #expect(error?.kind == .unsupportedFormat)
        #expect(error?.description.hasPrefix("scan.jpg: CMYK JPEG") == true)
    }

    @Test func reducedScaleSizesRoundUp() throws {
        let jpeg = try Self.makeJPEG(width: 360, height: 363)
        let expected = [(ScaleFactor(1, 1), 360, 363), (ScaleFactor(1, 2), 180, 182), (ScaleFactor(1, 4), 90, 91), (ScaleFactor(1, 8), 45, 46)]
        for (scale, w, h) in expected {
            // Asking for exactly the scaled size selects that scale.
            let decoded = try ImageDecoder.decodeScaled(data: jpeg, options: DecodeOptions(minimumWidth: w, minimumHeight: h))
            #expect(decoded.scale == scale)
            #expect(decoded.image.width == w && decoded.image.height == h)
            #expect(decoded.sourceWidth == 360 && decoded.sourceHeight == 363)
        }
    }

    @Test func largestReductionNotSmallerThanRequested() throws {
        let jpeg = try Self.makeJPEG(width: 360, height: 363)
        func scale(_ w: Int, _ h: Int) throws -> ScaleFactor {
            try ImageDecoder.decodeScaled(data: jpeg, options: DecodeOptions(minimumWidth: w, minimumHeight: h)).scale
        }
        #expect(try scale(100, 100) == ScaleFactor(1, 2))  // 1/4 gives 90x91, too small
        #expect(try scale(90, 92) == ScaleFactor(1, 2))    // height decides
        #expect(try scale(1, 1) == ScaleFactor(1, 8))
        #expect(try scale(0, 46) == ScaleFactor(1, 8))     // width unconstrained
        #expect(try scale(361, 10) == .one)                // larger than the image: full size
        #expect(try scale(0, 0) == .one)
        let decoded = try ImageDecoder.decode(path: SharedData.repositoryRoot.appendingPathComponent("SampleImages/bccd-fields/BloodImage_00000.jpg").path,
                                              minimumWidth: 300, minimumHeight: 200)
        #expect(decoded.scale == ScaleFactor(1, 2) && decoded.image.width == 320)
        #expect(decoded.sourcePixelsPerPixelX == 2 && decoded.sourcePixelsPerPixelY == 2)
    }

    @Test func pngIgnoresMinimumSize() throws {
        let png = try PNGEncoder.encode(TestImages.pattern(width: 64, height: 48))
        let decoded = try ImageDecoder.decodeScaled(data: png, options: DecodeOptions(minimumWidth: 8, minimumHeight: 6))
        #expect(decoded.scale == .one && decoded.image.width == 64)
    }

    @Test func encoderRoundTripIsClose() throws {
        let image = TestImages.pattern(width: 96, height: 64)
        let jpeg = try JPEGEncoder.encode(image, quality: 95, subsampling: .none444)
        let decoded = try ImageDecoder.decode(data: jpeg)
        #expect(decoded.width == 96 && decoded.height == 64)
        var total = 0
        for i in image.pixels.indices { total += abs(Int(image.pixels[i]) - Int(decoded.pixels[i])) }
        #expect(Double(total) / Double(image.pixels.count) < 3)
    }
}
