import Foundation

/// Training progress on the terminal: one line rewritten in place on a terminal (at most a
/// few times a second), plain log lines every `plainInterval` seconds otherwise.
public final class TrainingProgress: @unchecked Sendable {
    private let write: (String) -> Void
    private let isTerminal: Bool
    private let plainInterval: Double
    private var lastUpdate = -Double.infinity
    private var lineOpen = false

    /// Progress written with `write` (standard error by default).
    public init(isTerminal: Bool = isatty(STDERR_FILENO) != 0, plainInterval: Double = 30,
                write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.isTerminal = isTerminal
        self.plainInterval = plainInterval
        self.write = write
    }

    /// A step's status; `force` prints it whatever the throttle says.
    public func update(epoch: Int, epochs: Int, step: Int, steps: Int, loss: Double, accuracy: Double,
                       imagesPerSecond: Double, etaSeconds: Double, now: Double, force: Bool = false) {
        let interval = isTerminal ? 0.25 : plainInterval
        guard force || now - lastUpdate >= interval else { return }
        lastUpdate = now
        let text = String(format: "epoch %d/%d  step %d/%d  loss %.4f  acc %.3f  %.0f img/s  ETA %@",
                          epoch, epochs, step, steps, loss, accuracy, imagesPerSecond, Self.duration(etaSeconds))
        if isTerminal {
            write("\r\u{1B}[K" + text)
            lineOpen = true
        } else {
            write(text + "\n")
        }
    }

    /// A whole line of its own (ends an in-place status line first).
    public func line(_ text: String) {
        if lineOpen { write("\n"); lineOpen = false }
        write(text + "\n")
    }

    /// `1h02m`, `3m05s` or `12s`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, s % 3600 / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
