import Dispatch

/// Lets one large image at a time through the pipelines that share the gate.
///
/// An overview scan decodes to tens of megabytes and its locator planes to several times
/// that; when every worker meets one at once, peak memory multiplies by the worker count.
/// Pipelines send images of at least `PipelineConfiguration.largeImageMegapixels` through
/// the gate for their whole analysis, so memory is bounded by one large image plus the
/// small ones in flight, whatever `--jobs` is. Results do not depend on the gate, only
/// the timing.
public final class LargeImageGate: Sendable {
    private let slot = DispatchSemaphore(value: 1)

    public init() {}

    /// Runs `body` once no other holder of the gate is running.
    public func pass<T>(_ body: () throws -> T) rethrows -> T {
        slot.wait()
        defer { slot.signal() }
        return try body()
    }
}
