import ArgumentParser
import Foundation
import SmearCells
import SmearImaging

/// `smearscan locate`: finds the white cells in images and prints them.
struct LocateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locate",
        abstract: "Find the white cells (leukocytes) in smear images.",
        discussion: """
        Prints one line per cell (centre, box, nucleus and cell area in µm², border flag), or \
        JSON with --json. Without --scale the scale is estimated from the red cells.
        """
    )

    @Argument(help: "PNG or JPEG images.")
    var images: [String]

    @Option(help: "Source scale in µm per pixel (default: estimated from the red cells).")
    var scale: Double?

    @Flag(help: "Print JSON (one object per image) instead of text.")
    var json = false

    @Option(help: "Time the locator (decode excluded) over this many passes per image instead of printing cells.")
    var benchmark: Int?

    mutating func validate() throws {
        if let s = scale, !(s > 0) { throw ValidationError("--scale must be a positive number of µm per pixel") }
        if let b = benchmark, b < 1 { throw ValidationError("--benchmark needs at least one pass") }
    }

    func run() throws {
        let locator = LeukocyteLocator()
        if let passes = benchmark {
            try LocateBenchmark(images: images, scale: scale, passes: passes).run(locator)
            return
        }
        var failures = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for path in images {
            let image: RGBImage
            do { image = try ImageDecoder.decode(path: path) } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                failures += 1
                continue
            }
            let result = locator.locate(image, micronsPerPixel: scale)
            if json {
                let report = LocateReport(image: path, result: result)
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(Self.describe(path: path, result: result))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// The text report of one image.
    static func describe(path: String, result r: LocatorResult) -> String {
        let s = r.micronsPerPixel
        var lines = ["\(path): \(r.cells.count) cell(s), \(String(format: "%.4f", s)) µm/px"
            + (r.scaleWasEstimated ? " (estimated)" : "") + String(format: ", focus %.3g", r.focus)]
        for (k, c) in r.cells.enumerated() {
            lines.append(String(format: "  %d: centre (%.0f, %.0f) box %d,%d %dx%d nucleus %.1f µm² cell %.1f µm² score %.2f%@",
                                k + 1, c.centerX, c.centerY, c.bounds.x, c.bounds.y, c.bounds.width, c.bounds.height,
                                c.nucleusArea(micronsPerPixel: s), c.cellArea(micronsPerPixel: s), c.score,
                                c.touchesBorder ? " border" : ""))
        }
        return lines.joined(separator: "\n")
    }
}

/// The JSON shape `locate --json` prints per image.
struct LocateReport: Encodable {
    var image: String
    var result: LocatorResult
}

/// Times `LeukocyteLocator.locate` on decoded images (decode excluded), one thread.
struct LocateBenchmark {
    var images: [String]
    var scale: Double?
    var passes: Int

    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    func run(_ locator: LeukocyteLocator) throws {
        var decoded: [RGBImage] = []
        for path in images { decoded.append(try ImageDecoder.decode(path: path)) }
        guard !decoded.isEmpty else { return }
        // Warm-up pass sizes the scratch buffers.
        var cells = 0
        for image in decoded { cells += locator.locate(image, micronsPerPixel: scale).cells.count }
        // Wall time and this thread's CPU time: the machine is shared, so CPU time is the
        // figure that does not swing with other processes' load.
        let clock = ContinuousClock()
        let cpuStart = Self.threadCPUSeconds()
        let elapsed = clock.measure {
            for _ in 0..<passes {
                for image in decoded { cells &+= locator.locate(image, micronsPerPixel: scale).cells.count }
            }
        }
        let cpu = Self.threadCPUSeconds() - cpuStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let calls = Double(passes * decoded.count)
        print(String(format: "%d image(s) x %d pass(es): CPU %.3f ms/image (%.1f images/s), wall %.3f ms/image (scale %@, %d cells)",
                     decoded.count, passes, 1000 * cpu / calls, calls / cpu, 1000 * seconds / calls,
                     scale.map { String($0) } ?? "estimated", cells / (passes + 1)))
    }
}
