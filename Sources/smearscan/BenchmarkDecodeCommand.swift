import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SmearImaging

/// `smearscan benchmark decode FILES...`: single-thread decode throughput in megapixels/s.
///
/// Files are read into memory first and decoded from there, so the figure is decoding
/// alone (file reading is reported separately), as `tjbench` measures it. Megapixels count
/// the stored image, also at reduced scale, as `tjbench` does. Times are the thread's CPU
/// time (`CLOCK_THREAD_CPUTIME_ID`), which other processes on a shared machine disturb far
/// less than wall time; each round decodes every file once and the fastest round counts.
struct BenchmarkDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode files repeatedly in memory and report megapixels per second."
    )

    @Argument(help: "JPEG or PNG files.", completion: .file())
    var files: [String]

    @Option(help: "Reduction: 1 (full size), 2, 4 or 8 (JPEG only).")
    var scale: Int = 1

    @Option(help: "Rounds over all files; the fastest is reported.")
    var rounds: Int = 3

    @Option(help: "Also time resizing each decoded image to WIDTHxHEIGHT (e.g. 224x224).")
    var resize: String?

    func validate() throws {
        guard [1, 2, 4, 8].contains(scale) else { throw ValidationError("--scale must be 1, 2, 4 or 8") }
        guard rounds > 0 else { throw ValidationError("--rounds must be positive") }
        if resize != nil && resizeTarget == nil { throw ValidationError("--resize takes WIDTHxHEIGHT, e.g. 224x224") }
    }

    private var resizeTarget: (width: Int, height: Int)? {
        guard let parts = resize?.split(separator: "x"), parts.count == 2,
              let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0 else { return nil }
        return (w, h)
    }

    func run() throws {
        let readStart = Self.cpuSeconds()
        var inputs: [(path: String, bytes: [UInt8], options: DecodeOptions, megapixels: Double)] = []
        for path in files {
            let bytes = try FileManager.default.contents(atPath: path).map { [UInt8]($0) }
                ?? { throw ValidationError("cannot read \(path)") }()
            let info = try ImageDecoder.info(data: bytes, path: path)
            let factor = ScaleFactor(1, scale)
            let options = scale == 1 ? DecodeOptions.default
                : DecodeOptions(minimumWidth: factor.scaled(info.width), minimumHeight: factor.scaled(info.height))
            inputs.append((path, bytes, options, info.megapixels))
        }
        let readSeconds = Self.cpuSeconds() - readStart
        let megapixels = inputs.reduce(0) { $0 + $1.megapixels }
        var best = Double.infinity, bestResize = Double.infinity
        var resizedMegapixels = 0.0
        for _ in 0..<rounds {
            var resizeSeconds = 0.0
            resizedMegapixels = 0
            let start = Self.cpuSeconds()
            for input in inputs {
                let decoded = try ImageDecoder.decodeScaled(data: input.bytes, path: input.path, options: input.options)
                if let target = resizeTarget {
                    // Timed apart and subtracted, so the decode figure stays decode only.
                    let resizeStart = Self.cpuSeconds()
                    _ = decoded.image.resized(width: target.width, height: target.height)
                    resizeSeconds += Self.cpuSeconds() - resizeStart
                    resizedMegapixels += Double(decoded.image.pixelCount) / 1_000_000
                }
            }
            best = min(best, Self.cpuSeconds() - start - resizeSeconds)
            bestResize = min(bestResize, resizeSeconds)
        }
        var line = String(format: "files=%d scale=1/%d megapixels=%.3f seconds=%.4f megapixels_per_second=%.1f read_seconds=%.4f",
                          inputs.count, scale, megapixels, best, megapixels / best, readSeconds)
        if resizeTarget != nil {
            line += String(format: " resize_seconds=%.4f resize_input_megapixels_per_second=%.1f", bestResize, resizedMegapixels / bestResize)
        }
        print(line)
    }

    /// CPU time of the calling thread.
    static func cpuSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
