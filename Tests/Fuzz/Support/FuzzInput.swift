// Compiled into every fuzz harness (see .ci/fuzz); not part of the SwiftPM package.

/// The bytes libFuzzer hands a harness, consumed front to back: selector bytes and
/// length-prefixed parts first, the rest as the payload.
struct FuzzInput {
    private let bytes: [UInt8]
    private var position = 0

    init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The next byte, or 0 once the input is used up.
    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// A part prefixed by its 4-byte little-endian length, cut short if the input is.
    mutating func lengthPrefixed() -> [UInt8] {
        var length = 0
        for shift in stride(from: 0, to: 32, by: 8) { length |= Int(byte()) << shift }
        let end = min(bytes.count, position + length)
        defer { position = end }
        return Array(bytes[position..<end])
    }

    /// Everything not consumed yet.
    var rest: [UInt8] { Array(bytes[position...]) }
}

/// Limits shared by the image harnesses. The megapixel limit is lowered from the default
/// 120 so an input declaring a large image costs megabytes, not hundreds, per execution;
/// the limit itself is tested by the decompression-bomb tests.
enum FuzzLimits {
    static let maxMegapixels = 4.0
}

/// Stops the fuzzer (libFuzzer reports a crash and saves the input) when a property that
/// must hold for every input does not.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant violated: \(message())") }
}

/// Whether `text` fits on one log line (no line feed, carriage return or other line break).
func isOneLine(_ text: String) -> Bool {
    !text.unicodeScalars.contains { $0 == "\n" || $0 == "\r" || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{0B}" || $0 == "\u{0C}" || $0 == "\u{85}" }
}
