import ArgumentParser
import Foundation
import SmearCells
import SmearImaging

/// `smearscan benchmark locate FILES...`: single-thread leukocyte-locator throughput.
///
/// Images are decoded first, so the figure is locating alone. Times are the thread's CPU
/// time (the machine is shared; wall time is reported beside it); each round locates every
/// image once with one `LeukocyteLocator`, and the fastest round counts.
struct BenchmarkLocateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locate",
        abstract: "Locate the white cells of decoded images repeatedly and report images per second."
    )

    @Argument(help: "JPEG or PNG files.", completion: .file())
    var files: [String]

    @Option(help: "Source scale in µm per pixel (default: estimated per image from the red cells).")
    var scale: Double?

    @Option(help: "Rounds over all files; the fastest is reported.")
    var rounds: Int = 3

    func validate() throws {
        guard rounds > 0 else { throw ValidationError("--rounds must be positive") }
        if let s = scale, !(s > 0) { throw ValidationError("--scale must be a positive number of µm per pixel") }
    }

    func run() throws {
        let images = try files.map { try ImageDecoder.decode(path: $0) }
        guard !images.isEmpty else { return }
        let locator = LeukocyteLocator()
        var cells = 0
        for image in images { cells += locator.locate(image, micronsPerPixel: scale).cells.count } // sizes scratch
        var bestCPU = Double.infinity, bestWall = Double.infinity
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            let cpuStart = BenchmarkDecodeCommand.cpuSeconds(), wallStart = clock.now
            for image in images { _ = locator.locate(image, micronsPerPixel: scale) }
            let wall = clock.now - wallStart
            bestCPU = min(bestCPU, BenchmarkDecodeCommand.cpuSeconds() - cpuStart)
            bestWall = min(bestWall, Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18)
        }
        let n = Double(images.count)
        print(String(format: "files=%d scale=%@ cells=%d cpu_ms_per_image=%.3f images_per_second=%.1f wall_ms_per_image=%.3f",
                     images.count, scale.map { String($0) } ?? "estimated", cells,
                     1000 * bestCPU / n, n / bestCPU, 1000 * bestWall / n))
    }
}
