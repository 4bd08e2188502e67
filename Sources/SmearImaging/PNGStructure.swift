/// The facts about a PNG's chunk layout that libpng's simplified API does not report:
/// the raw IHDR fields (bit depth, colour type, interlace), whether a tRNS chunk is
/// present, and whether the chunk chain reaches IEND. Pure byte reading, no decoding.
enum PNGStructure {
    /// The IHDR fields.
    struct Header: Equatable {
        var width: Int
        var height: Int
        var bitDepth: Int
        /// 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA.
        var colorType: Int
        var interlaced: Bool
    }

    /// IHDR, which the PNG specification requires to be the first chunk; nil if absent or short.
    static func header(_ data: [UInt8]) -> Header? {
        guard data.count >= 33, Array(data[12..<16]) == Array("IHDR".utf8) else { return nil }
        return Header(width: bigEndian32(data, 16), height: bigEndian32(data, 20),
                      bitDepth: Int(data[24]), colorType: Int(data[25]), interlaced: data[28] != 0)
    }

    /// Whether a tRNS chunk appears before the image data ends.
    static func hasTransparencyChunk(_ data: [UInt8]) -> Bool {
        var found = false
        _ = walkChunks(data) { type, _ in
            if type == "tRNS" { found = true; return false }
            return type != "IDAT"
        }
        return found
    }

    /// Whether the chunk chain is whole up to and including IEND: false means the file
    /// was cut short (its lengths point past the end of the data).
    static func reachesEnd(_ data: [UInt8]) -> Bool {
        walkChunks(data) { type, _ in type != "IEND" } == .stopped
    }

    /// How much of `data` libpng may be given: all of it, unless a chunk other than IDAT
    /// declares more data than follows it, in which case the data stops before that chunk.
    /// libpng allocates and zero-fills a chunk's declared length (up to 2 GB) before finding
    /// the file too short, so a few hundred bytes could cost over a gigabyte and seconds;
    /// cut there, libpng fails on the missing chunk instead. IDAT is streamed, never buffered
    /// whole, so a truncated IDAT is left for libpng to report.
    static func safeLength(_ data: [UInt8]) -> Int {
        var i = 8
        while i + 8 <= data.count {
            let length = bigEndian32(data, i)
            if length > data.count - i - 12 {
                return Array(data[(i + 4)..<(i + 8)]) == Array("IDAT".utf8) ? data.count : i
            }
            i += 12 + length
        }
        return data.count
    }

    /// The total length of the IDAT chunks (the compressed image data) that lie wholly
    /// within `data`.
    static func compressedImageBytes(_ data: [UInt8]) -> Int {
        var total = 0
        _ = walkChunks(data) { type, length in
            if type == "IDAT" { total += length }
            return type != "IEND"
        }
        return total
    }

    /// Deflate's largest expansion: one 258-byte match per two bits (1-bit length and
    /// distance codes), so `n` compressed bytes never inflate to more than 1032·n bytes.
    static let maximumInflationRatio = 1032

    private enum WalkEnd { case stopped, ranOut }

    /// Visits each whole chunk's type and data length until `visit` returns false
    /// (`.stopped`) or the data runs out (`.ranOut`).
    private static func walkChunks(_ data: [UInt8], _ visit: (String, Int) -> Bool) -> WalkEnd {
        var i = 8
        while i + 12 <= data.count {
            let length = bigEndian32(data, i)
            guard length <= data.count - i - 12 else { return .ranOut }
            let type = String(decoding: data[(i + 4)..<(i + 8)], as: UTF8.self)
            if !visit(type, length) { return .stopped }
            i += 12 + length
        }
        return .ranOut
    }

    private static func bigEndian32(_ data: [UInt8], _ at: Int) -> Int {
        Int(data[at]) << 24 | Int(data[at + 1]) << 16 | Int(data[at + 2]) << 8 | Int(data[at + 3])
    }
}
