import ArgumentParser
import Foundation
import SmearImaging
import SmearSlides

/// `smearscan inspect IMAGE...`: format, size, channels, bit depth and decode time per file.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print each image's format, size, channels, bit depth and decode time.",
        discussion: """
            Unreadable or undecodable files get a one-line error naming the file and the \
            command carries on with the rest. Exit status: 0 when every file decoded, \
            1 when at least one failed.
            """
    )

    @Argument(help: "PNG or JPEG files.", completion: .file())
    var images: [String]

    @Flag(help: "Print one JSON document (sorted keys) instead of text.")
    var json = false

    /// One file's result, as printed with `--json`.
    struct Report: Codable {
        var path: String
        var info: ImageInfo?
        /// Reading plus decoding at full size, in milliseconds.
        var decodeMilliseconds: Double?
        var error: Failure?

        struct Failure: Codable {
            var kind: String
            var reason: String
        }
    }

    /// The `--json` document.
    struct Document: Codable {
        var notice = ResearchUseNotice.text
        var version = SoftwareVersion.current
        var images: [Report]
    }

    func run() throws {
        if !json { print("# \(ResearchUseNotice.text)") }
        var reports: [Report] = []
        for path in images {
            let report = Self.inspect(path)
            if let error = report.error {
                FileHandle.standardError.write(Data("smearscan: \(path): \(error.reason)\n".utf8))
            } else if !json, let info = report.info, let ms = report.decodeMilliseconds {
                print(Self.describe(path: path, info: info, milliseconds: ms))
            }
            reports.append(report)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(Document(images: reports)) + Data("\n".utf8))
        }
        if reports.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }

    /// Headers first (so a truncated file still reports its size), then a timed full decode.
    static func inspect(_ path: String) -> Report {
        var report = Report(path: path)
        do {
            report.info = try ImageDecoder.info(path: path)
            let clock = ContinuousClock()
            let start = clock.now
            _ = try ImageDecoder.decode(path: path)
            let elapsed = clock.now - start
            report.decodeMilliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        } catch {
            report.error = .init(kind: error.kind.rawValue, reason: error.reason)
        }
        return report
    }

    /// `path: JPEG 640x480, 3 x 8-bit, 4:2:0 YCbCr baseline, decoded in 2.31 ms`
    static func describe(path: String, info: ImageInfo, milliseconds: Double) -> String {
        var details = ""
        if let jpeg = info.jpeg {
            details = ", \(jpeg.subsampling) \(jpeg.colorspace) \(jpeg.progressive ? "progressive" : "baseline")"
        } else if let png = info.png {
            details = ", \(png.colorType)\(png.interlaced ? " interlaced" : "")\(png.hasTransparencyChunk ? " +tRNS" : "")"
        }
        let time = String(format: "%.2f", milliseconds)
        return "\(path): \(info.format.rawValue.uppercased()) \(info.width)x\(info.height), "
            + "\(info.channels) x \(info.bitDepth)-bit\(details), decoded in \(time) ms"
    }
}
