import Dispatch

/// Lets only one large image at a time through the pipelines that share the gate.
///
/// An overview scan decodes to tens of megabytes and its locator planes to as many again;
/// when every worker meets one at once, peak memory multiplies by the worker count. Images
/// of at least `thresholdMegapixels` take the gate's single slot for their whole analysis,
/// so memory is bounded by one large image plus the small ones in flight, whatever `--jobs`
/// is. Results do not depend on the gate, only the timing.
public final class LargeImageGate: Sendable {
    /// Images at least this large (stored size, megapixels) pass one at a time.
    public let thresholdMegapixels: Double
    private let slot = DispatchSemaphore(value: 1)

    public init(thresholdMegapixels: Double = 4) {
        precondition(thresholdMegapixels > 0)
        self.thresholdMegapixels = thresholdMegapixels
    }

    /// Runs `body`, first waiting for the slot when the image has `megapixels` at or above
    /// the threshold.
    public func pass<T>(megapixels: Double, _ body: () throws -> T) rethrows -> T {
        guard megapixels >= thresholdMegapixels else { return try body() }
        slot.wait()
        defer { slot.signal() }
        return try body()
    }
}
