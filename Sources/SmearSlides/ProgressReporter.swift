import Foundation
import Synchronization

/// Tells the user how a batch is going, on standard error.
///
/// On a terminal: one self-redrawing line (slides, cells, cells/s, ETA), with warnings
/// printed above it. Otherwise (a log file, a pipeline): one plain line per finished slide
/// and per warning. Quiet: errors only, which the command prints itself. Thread-safe;
/// workers report finished images from their own threads.
public final class ProgressReporter: Sendable {
    public enum Mode: Sendable {
        case bar, lines, quiet
    }

    private struct State {
        var slidesTotal = 0
        var slidesDone = 0
        var slidesResumed = 0
        var currentSlide = ""
        var currentImages = 0
        var currentImagesDone = 0
        var cells = 0
        var started: ContinuousClock.Instant?
        var lastDraw: ContinuousClock.Instant?
        var barShown = false
        var finished = false
    }

    public let mode: Mode
    private let write: @Sendable (String) -> Void
    private let state = Mutex(State())

    /// - Parameter write: where text goes (standard error by default; tests capture it).
    public init(mode: Mode, write: @escaping @Sendable (String) -> Void = ProgressReporter.standardError) {
        self.mode = mode
        self.write = write
    }

    /// `.bar` when standard error is a terminal, `.lines` otherwise, `.quiet` when asked.
    public static func automaticMode(quiet: Bool) -> Mode {
        quiet ? .quiet : (isatty(STDERR_FILENO) == 1 ? .bar : .lines)
    }

    /// Writes to standard error, unbuffered.
    public static let standardError: @Sendable (String) -> Void = { text in
        FileHandle.standardError.write(Data(text.utf8))
    }

    func batchStarted(slides: Int) {
        state.withLock { $0.slidesTotal = slides }
    }

    func slideStarted(_ name: String, images: Int) {
        state.withLock { state in
            state.currentSlide = name
            state.currentImages = images
            state.currentImagesDone = 0
            if state.started == nil { state.started = .now }
            redraw(&state, force: true)
        }
    }

    func imageFinished(cells: Int) {
        state.withLock { state in
            state.currentImagesDone += 1
            state.cells += cells
            redraw(&state, force: false)
        }
    }

    func slideFinished(_ overview: SlideOverview, resumed: Bool) {
        state.withLock { state in
            state.slidesDone += 1
            if resumed { state.slidesResumed += 1 }
            state.currentImagesDone = 0
            state.currentImages = 0
            let line = "\(overview.slide): " + (resumed ? "unchanged, kept. " : "")
                + "\(overview.leukocytesCounted) leukocytes, blasts "
                + (overview.blastPercent.map { "\(DecimalFormat.fixed($0, decimals: 1))% [\(DecimalFormat.fixed(overview.blastLow, decimals: 1))–\(DecimalFormat.fixed(overview.blastHigh, decimals: 1))]" } ?? "n/a")
                + (overview.imagesFailed > 0 ? ", \(overview.imagesFailed) image(s) failed" : "")
                + (overview.flags.isEmpty ? "" : "; flags: \(overview.flagsText)")
            switch mode {
            case .lines: write("[\(state.slidesDone)/\(state.slidesTotal)] \(line)\n")
            case .bar: print(above: &state, line)
            case .quiet: break
            }
        }
    }

    /// A warning line (a failed image, a skipped file).
    public func warning(_ message: String) {
        state.withLock { state in
            switch mode {
            case .lines: write("warning: \(message)\n")
            case .bar: print(above: &state, "warning: \(message)")
            case .quiet: break
            }
        }
    }

    /// An informational line (where outputs went); not shown when quiet.
    public func note(_ message: String) {
        state.withLock { state in
            switch mode {
            case .lines: write(message + "\n")
            case .bar: print(above: &state, message)
            case .quiet: break
            }
        }
    }

    /// Clears the bar.
    func batchFinished() {
        state.withLock { state in
            if mode == .bar && state.barShown { write("\r\u{1B}[2K"); state.barShown = false }
            state.finished = true
        }
    }

    private func print(above state: inout State, _ line: String) {
        write((state.barShown ? "\r\u{1B}[2K" : "") + line + "\n")
        state.barShown = false
        redraw(&state, force: true)
    }

    private func redraw(_ state: inout State, force: Bool) {
        guard mode == .bar, !state.finished else { return }
        let now = ContinuousClock.now
        if !force, let last = state.lastDraw, now - last < .milliseconds(100) { return }
        state.lastDraw = now
        write("\r\u{1B}[2K" + Self.barLine(state, now: now))
        state.barShown = true
    }

    private static func barLine(_ state: State, now: ContinuousClock.Instant) -> String {
        let fraction = state.currentImages > 0 ? Double(state.currentImagesDone) / Double(state.currentImages) : 0
        let done = Double(state.slidesDone) + fraction
        let total = max(1, state.slidesTotal)
        let width = 24
        let filled = min(width, Int(Double(width) * done / Double(total)))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let seconds = state.started.map { Self.seconds(now - $0) } ?? 0
        let rate = seconds > 0 ? Double(state.cells) / seconds : 0
        // The ETA extrapolates the time per analysed slide; resumed slides cost nothing.
        let worked = done - Double(state.slidesResumed)
        let remaining = Double(state.slidesTotal) - done
        let eta = worked > 0.05 && seconds > 1 ? Self.duration(seconds / worked * remaining) : "--"
        return "\(bar) \(state.slidesDone)/\(state.slidesTotal) slides · \(state.cells) cells · \(Int(rate.rounded())) cells/s · ETA \(eta) · \(state.currentSlide)"
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// "2m05s", "1h02m".
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h" + pad(s % 3600 / 60) + "m" }
        if s >= 60 { return "\(s / 60)m" + pad(s % 60) + "s" }
        return "\(s)s"
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
