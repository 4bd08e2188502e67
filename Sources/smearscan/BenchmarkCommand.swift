import ArgumentParser

/// `smearscan benchmark`: throughput measurements of the pipeline's layers (hidden).
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Measure the throughput of SmearScan's layers (release builds only).",
        shouldDisplay: false,
        subcommands: [BenchmarkDecodeCommand.self, BenchmarkCoreCommand.self, BenchmarkLocateCommand.self]
    )
}
