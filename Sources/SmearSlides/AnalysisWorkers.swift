import Dispatch
import Foundation
import Synchronization
import SmearPipeline

/// Dedicated threads that each own one `ImageAnalyzer`, fed through a bounded queue.
///
/// Threads rather than Swift tasks: analysis is long, blocking CPU work, which would pin
/// the cooperative pool's few threads; here `--jobs N` means exactly N busy threads. The
/// queue holds at most `capacity` jobs, so submitting blocks once the workers fall behind
/// and memory stays flat however many images a batch has.
final class AnalysisWorkers: Sendable {
    /// Work for one worker, given that worker's analyzer.
    typealias Job = @Sendable (inout any ImageAnalyzer) -> Void

    private let queue = Mutex<[Job?]>([])
    private let jobsWaiting = DispatchSemaphore(value: 0)
    private let freeSlots: DispatchSemaphore
    private let exited = DispatchSemaphore(value: 0)
    private let count: Int

    /// Starts `count` threads, each making its analyzer with `makeAnalyzer`; throws the
    /// first factory error (after stopping every thread).
    init(count: Int, capacity: Int, makeAnalyzer: @escaping @Sendable () throws -> any ImageAnalyzer) throws {
        precondition(count > 0 && capacity > 0)
        self.count = count
        freeSlots = DispatchSemaphore(value: capacity)
        let startupErrors = Mutex<[any Error]>([])
        let started = DispatchSemaphore(value: 0)
        for index in 0..<count {
            let thread = Thread { [self] in
                var analyzer: any ImageAnalyzer
                do {
                    analyzer = try makeAnalyzer()
                } catch {
                    startupErrors.withLock { $0.append(error) }
                    started.signal()
                    exited.signal()
                    return
                }
                started.signal()
                work(with: &analyzer)
            }
            thread.name = "smearscan-worker-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
        for _ in 0..<count { started.wait() }
        let errors = startupErrors.withLock { $0 }
        if let first = errors.first {
            stop(running: count - errors.count)
            throw first
        }
    }

    /// Queues `job`, waiting while the queue is full.
    func submit(_ job: @escaping Job) {
        freeSlots.wait()
        queue.withLock { $0.append(job) }
        jobsWaiting.signal()
    }

    /// Lets queued jobs finish, then ends every thread.
    func shutdown() { stop(running: count) }

    private func stop(running: Int) {
        for _ in 0..<running {
            queue.withLock { $0.append(nil) }
            jobsWaiting.signal()
        }
        for _ in 0..<count { exited.wait() }
    }

    private func work(with analyzer: inout any ImageAnalyzer) {
        while true {
            jobsWaiting.wait()
            guard let job = queue.withLock({ $0.removeFirst() }) else { break }
            freeSlots.signal()
            job(&analyzer)
        }
        exited.signal()
    }
}
