import ArgumentParser
import Foundation
import SmearImaging

/// `smearscan benchmark decode FILES...`: single-thread decode throughput in megapixels/s.
///
/// Files are read into memory first and decoded from there, so the figure is decoding
/// alone (file reading is reported separately), as `tjbench` measures it. Megapixels count
/// the stored image, also at reduced scale, as `tjbench` does. Each round decodes every
/// file once; the fastest round is reported, which filters out other processes on a
/// shared machine.
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

    func validate() throws {
        guard [1, 2, 4, 8].contains(scale) else { throw ValidationError("--scale must be 1, 2, 4 or 8") }
        guard rounds > 0 else { throw ValidationError("--rounds must be positive") }
    }

    func run() throws {
        let clock = ContinuousClock()
        let readStart = clock.now
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
        let readSeconds = Self.seconds(clock.now - readStart)
        let megapixels = inputs.reduce(0) { $0 + $1.megapixels }
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = clock.now
            for input in inputs {
                _ = try ImageDecoder.decodeScaled(data: input.bytes, path: input.path, options: input.options)
            }
            best = min(best, Self.seconds(clock.now - start))
        }
        print(String(format: "files=%d scale=1/%d megapixels=%.3f seconds=%.4f megapixels_per_second=%.1f read_seconds=%.4f",
                     inputs.count, scale, megapixels, best, megapixels / best, readSeconds))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
