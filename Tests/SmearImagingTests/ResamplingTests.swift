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

@Suite struct DecoderSmokeTests {
    @Test func decodesSampleJPEG() throws {
        let img = try ImageDecoder.decode(path: SharedData.repositoryRoot.appendingPathComponent("SampleImages/bccd-fields/BloodImage_00000.jpg").path)
        #expect(img.width == 640 && img.height == 480)
    }

    @Test func truncatedJPEGFails() throws {
        let path = SharedData.url("deepapl/Patient_37/Blast, no lineage spec/BL_6611696.jpg").path
        #expect(throws: ImageError.self) { try ImageDecoder.decode(path: path) }
    }
}
