/// A growable, manually managed buffer that per-pixel passes write through directly.
///
/// Owned by one `LeukocyteLocator` (one per thread); `reserve(_:)` only reallocates when a
/// larger image arrives, so steady-state locating allocates nothing per pixel or per image.
final class ScratchBuffer<Element: BitwiseCopyable> {
    private(set) var buffer: UnsafeMutableBufferPointer<Element>

    init() { buffer = UnsafeMutableBufferPointer(start: nil, count: 0) }

    deinit { buffer.deallocate() }

    /// Makes room for `count` elements (contents are unspecified afterwards) and returns
    /// the first `count` of them.
    @discardableResult
    func reserve(_ count: Int) -> UnsafeMutableBufferPointer<Element> {
        if buffer.count < count {
            buffer.deallocate()
            buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: count)
        }
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
    }

    /// The first `count` elements, all set to `value`.
    func filled(_ count: Int, with value: Element) -> UnsafeMutableBufferPointer<Element> {
        let b = reserve(count)
        b.initialize(repeating: value)
        return b
    }
}
