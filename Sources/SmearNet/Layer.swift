import Dispatch
import SmearKernels

/// One step of a network, applied to a batch of NHWC images.
///
/// `forward` writes the output of `batch` images; `backward` *adds* the gradients of the
/// inputs (so a value read by several layers sums their contributions) and of the layer's
/// parameters. Every image is computed alone, in the same order whatever the batch, so a
/// batch of N gives the same bits as N batches of one.
protocol Layer: AnyObject {
    /// The layer's name in the description.
    var name: String { get }
    /// The per-image output shape.
    var outputShape: FeatureShape { get }
    /// Tensors stored in the model file, learned ones first.
    var parameters: [Parameter] { get }
    /// Multiply-adds per image (for FLOP counts: one multiply-add is two FLOPs).
    var multiplyAdds: Int { get }

    func forward(_ inputs: [UnsafePointer<Float>], output: UnsafeMutablePointer<Float>, batch: Int, context: ExecutionContext)

    func backward(
        _ inputs: [UnsafePointer<Float>], output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
        inputGradients: [UnsafeMutablePointer<Float>?], batch: Int, context: ExecutionContext)
}

/// A layer that can apply an activation to its own output (set by inference preparation,
/// which then drops the activation layer).
protocol ActivationFusing: Layer {
    var activation: Activation { get set }
}

extension Layer {
    var parameters: [Parameter] { [] }
    var multiplyAdds: Int { 0 }
}

/// Per-network state shared by the layers of one call: the mode, the worker threads and
/// scratch space for each. One per network instance, hence networks are not thread-safe.
final class ExecutionContext {
    /// Whether batch normalisation uses batch statistics and caches them for `backward`.
    var training = false
    /// Threads that share independent work items (images, row blocks) of one layer.
    /// Items never depend on this number, so results are the same bits for any value.
    var threads = 1 {
        didSet { while lanes.count < threads { lanes.append(Scratch()) } }
    }
    /// Scratch for each thread.
    private(set) var lanes = [Scratch()]

    /// Scratch space of one thread: unrolled windows and their gradients, weight gradients.
    final class Scratch {
        let columns = FloatBuffer()
        let columnGradients = FloatBuffer()
        /// Products laid out other than NHWC, before they are transposed into place.
        let products = FloatBuffer()
        let weightGradients = FloatBuffer()
    }

    /// Runs `body(item, lane)` for `count` independent items, spread over the threads;
    /// `lane` indexes the scratch the item may use.
    func forEach(_ count: Int, _ body: (_ item: Int, _ lane: Scratch) -> Void) {
        let threads = min(self.threads, count)
        if threads <= 1 {
            for item in 0..<count { body(item, lanes[0]) }
            return
        }
        let lanes = UncheckedSendable(self.lanes)
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                var item = thread
                while item < count {
                    work.value(item, lanes.value[thread])
                    item += threads
                }
            }
        }
    }
}

extension ExecutionContext {
    /// Reductions over a batch (weight gradients, batch statistics) are split into this many
    /// runs of consecutive images whatever the thread count, and the runs' partial sums are
    /// added in order: the same bits for any number of threads.
    static let reductionLanes = 4

    /// Runs `body(lane, images, scratch)` for each of `min(reductionLanes, batch)` runs of
    /// consecutive images, spread over the threads.
    func forEachRun(of batch: Int, _ body: (_ lane: Int, _ images: Range<Int>, _ scratch: Scratch) -> Void) {
        let lanes = min(Self.reductionLanes, batch)
        forEach(lanes) { lane, scratch in
            body(lane, (lane * batch / lanes)..<((lane + 1) * batch / lanes), scratch)
        }
    }
}

/// Lets a closure over raw buffers cross into worker threads; safe here because the
/// items it runs touch disjoint memory and the call waits for all of them.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
