/// An 8-bit RGB image, row-major and interleaved (`r g b r g b …`), owning its storage.
///
/// The one image type of the pipeline: decoders produce it, the locator reads it, crops are
/// cut from it. Storage is a copy-on-write array, so passing an image around is cheap and
/// a crop or resize never aliases its source.
public struct RGBImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width * height * 3` bytes, row after row, no padding.
    public var pixels: [UInt8]

    /// Bytes per row (`width * 3`).
    @inlinable public var rowBytes: Int { width * 3 }
    /// Number of pixels.
    @inlinable public var pixelCount: Int { width * height }

    /// Wraps `pixels`, which must hold exactly `width * height * 3` bytes.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0, "negative image size")
        precondition(pixels.count == width * height * 3, "pixel buffer is \(pixels.count) bytes, expected \(width * height * 3)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image filled with one colour.
    public init(width: Int, height: Int, fill: RGB = RGB(255, 255, 255)) {
        precondition(width >= 0 && height >= 0, "negative image size")
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        bytes.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i < p.count { p[i] = fill.r; p[i + 1] = fill.g; p[i + 2] = fill.b; i += 3 }
        }
        self.init(width: width, height: height, pixels: bytes)
    }

    /// An image whose bytes are written by `body` into an uninitialised buffer of
    /// `width * height * 3` bytes; `body` must write every byte.
    @inlinable
    public init(width: Int, height: Int, unsafeUninitializedBytes body: (UnsafeMutableBufferPointer<UInt8>) throws -> Void) rethrows {
        let count = width * height * 3
        let bytes = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            try body(buffer)
            initialized = count
        }
        self.init(width: width, height: height, pixels: bytes)
    }

    /// The colour at column `x`, row `y`.
    @inlinable
    public subscript(x: Int, y: Int) -> RGB {
        get {
            let i = (y * width + x) * 3
            return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = (y * width + x) * 3
            pixels[i] = newValue.r; pixels[i + 1] = newValue.g; pixels[i + 2] = newValue.b
        }
    }

    /// The whole image as a rectangle.
    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }
}

/// One 8-bit RGB colour.
public struct RGB: Sendable, Hashable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8
    @inlinable public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }
}

/// An axis-aligned rectangle in pixel coordinates; `x`, `y` is the top-left corner.
public struct PixelRect: Sendable, Hashable, Codable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    /// The overlap of two rectangles (empty, with non-negative size, when they do not meet).
    public func intersection(_ other: PixelRect) -> PixelRect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
        return PixelRect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }
}
