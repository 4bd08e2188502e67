import Dispatch
import Synchronization

/// Runs an index → value function on several threads and returns the values in index order.
/// The function also gets its worker's number (0..<threads), for per-worker scratch objects.
///
/// Each index is computed exactly once and independently, so the result is the same for
/// any thread count. Workers take indices in small chunks from a shared counter, which
/// keeps both cores busy when some items are slower than others.
enum ParallelMap {
    static func map<T: Sendable>(count: Int, threads: Int, chunk: Int = 16,
                                 progress: (@Sendable (Int, Int) -> Void)? = nil,
                                 _ body: @Sendable (_ index: Int, _ worker: Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let output = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        output.initialize(repeating: nil)
        defer { output.deinitialize(); output.deallocate() }
        let slots = SendableBuffer(output)
        let next = Atomic<Int>(0), done = Atomic<Int>(0)
        let workers = max(1, min(threads, (count + chunk - 1) / chunk))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let start = next.add(chunk, ordering: .relaxed).oldValue
                if start >= count { break }
                let end = min(count, start + chunk)
                for i in start..<end { slots.buffer[i] = body(i, worker) }
                let finished = done.add(end - start, ordering: .relaxed).newValue
                progress?(finished, count)
            }
        }
        return output.map { $0! }
    }
}

/// A buffer that threads write at disjoint indices.
struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
