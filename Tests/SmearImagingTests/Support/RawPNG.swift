/// Writes PNG files byte by byte (stored, uncompressed deflate blocks), so tests can make
/// what libpng's simplified writer cannot: 1/2/4/16-bit sRGB samples, Adam7 interlacing,
/// tRNS chunks, and valid headers with bogus sizes.
enum RawPNG {
    /// A PNG of `width` x `height` whose packed rows (no filter bytes) are `rows`.
    /// Interlacing needs a bit depth of 8 or 16.
    static func make(width: Int, height: Int, bitDepth: Int, colorType: Int, rows: [UInt8],
                     interlaced: Bool = false, chunksBeforeData: [(String, [UInt8])] = []) -> [UInt8] {
        let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType]!
        let rowBytes = (width * channels * bitDepth + 7) / 8
        precondition(rows.count == rowBytes * height, "rows are \(rows.count) bytes, expected \(rowBytes * height)")
        var scanlines: [UInt8] = []
        if interlaced {
            precondition(bitDepth >= 8, "interlaced test images need whole-byte samples")
            let pixelBytes = channels * bitDepth / 8
            let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            for (x0, y0, dx, dy) in passes where x0 < width && y0 < height {
                for y in stride(from: y0, to: height, by: dy) {
                    scanlines.append(0)
                    for x in stride(from: x0, to: width, by: dx) {
                        let at = y * rowBytes + x * pixelBytes
                        scanlines.append(contentsOf: rows[at..<(at + pixelBytes)])
                    }
                }
            }
        } else {
            for y in 0..<height {
                scanlines.append(0)
                scanlines.append(contentsOf: rows[(y * rowBytes)..<((y + 1) * rowBytes)])
            }
        }
        var header = bigEndian(width) + bigEndian(height)
        header += [UInt8(bitDepth), UInt8(colorType), 0, 0, interlaced ? 1 : 0]
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        file += chunk("IHDR", header)
        for (type, body) in chunksBeforeData { file += chunk(type, body) }
        file += chunk("IDAT", zlibStored(scanlines))
        file += chunk("IEND", [])
        return file
    }

    /// `png` with its IHDR width and height replaced and the chunk CRC recomputed, so
    /// the header stays valid while claiming any size.
    static func withSize(_ png: [UInt8], width: Int, height: Int) -> [UInt8] {
        var out = png
        out.replaceSubrange(16..<24, with: bigEndian(width) + bigEndian(height))
        out.replaceSubrange(29..<33, with: bigEndian(Int(crc32(Array(out[12..<29])))))
        return out
    }

    static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + body
        return bigEndian(body.count) + typed + bigEndian(Int(crc32(typed)))
    }

    static func bigEndian(_ value: Int) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
         UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    /// A zlib stream of stored (uncompressed) deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let n = min(65535, data.count - start)
            let last = start + n == data.count
            out += [last ? 1 : 0, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[start..<(start + n)]
            start += n
        } while start < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + bigEndian(Int(b << 16 | a))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
