import ArgumentParser
import SmearSlides

/// The `smearscan` command: finds white cells in blood-smear images, classifies them and
/// summarises each slide.
@main
struct SmearScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smearscan",
        abstract: "Find, classify and count white cells in blood-smear images.",
        discussion: ResearchUseNotice.text,
        version: SoftwareVersion.current,
        subcommands: [AnalyzeCommand.self, InspectCommand.self, LocateCommand.self, EvaluateCommand.self, TrainCommand.self, ModelCommand.self, BenchmarkCommand.self]
    )
}
