/// An owned, growable block of Float32 values that hot loops reach through its pointer.
///
/// Grows only when asked for more than it holds, so buffers reused between calls stop
/// allocating once they reach their steady-state size.
final class FloatBuffer {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init(count: Int = 0) {
        capacity = max(count, 1)
        pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    deinit { pointer.deallocate() }

    /// Makes room for `count` values (contents are not kept when it grows).
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        capacity = count
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
    }

    /// Sets the first `count` values to zero.
    func zero(_ count: Int) { pointer.update(repeating: 0, count: count) }
}
