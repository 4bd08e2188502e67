/// Writes grey JPEGs byte by byte whose every 8x8 block is flat mid-grey: one-symbol Huffman
/// tables make each block's DC difference (0) and end-of-block a 1-bit code, so a
/// 10,000 x 10,000 image is 390 KB and any number of progressive scans can be appended.
/// For limit tests that the encoder cannot make cheaply.
public enum MinimalJPEG {
    /// A baseline (sequential Huffman) image: two 0 bits per block.
    public static func baseline(width: Int, height: Int) -> [UInt8] {
        let blocks = blockCount(width: width, height: height)
        return start(frame: 0xC0, width: width, height: height)
            + huffmanTable(class: 1, symbol: 0x00)
            + scan(spectralStart: 0, spectralEnd: 63) + pack(repeating: [false, false], count: blocks)
            + [0xFF, 0xD9]
    }

    /// A progressive image of `scans` DC-only scans (Ss = Se = 0, Ah = Al = 0), each a valid
    /// repeat of the first (one 0 bit per block), so only a scan limit stops the decoder.
    public static func progressive(width: Int, height: Int, scans: Int) -> [UInt8] {
        let dcScan = scan(spectralStart: 0, spectralEnd: 0) + pack(repeating: [false], count: blockCount(width: width, height: height))
        return start(frame: 0xC2, width: width, height: height)
            + Array([[UInt8]](repeating: dcScan, count: scans).joined())
            + [0xFF, 0xD9]
    }

    /// A progressive image of one DC scan and then `acScans` AC scans (Ss 1, Se 63) coded
    /// as end-of-band runs of 32,767 blocks each (a 1-bit code and 14 extra bits): every AC
    /// scan makes libjpeg visit every block, yet costs 15 bits per 32,767 blocks.
    public static func endOfBandRuns(width: Int, height: Int, acScans: Int) -> [UInt8] {
        let blocks = blockCount(width: width, height: height)
        let dcScan = scan(spectralStart: 0, spectralEnd: 0) + pack(repeating: [false], count: blocks)
        let run = [false] + [Bool](repeating: true, count: 14)  // EOBRUN = 2^14 + (2^14 - 1)
        let acScan = scan(spectralStart: 1, spectralEnd: 63) + pack(repeating: run, count: (blocks + 32_766) / 32_767)
        return start(frame: 0xC2, width: width, height: height)
            + huffmanTable(class: 1, symbol: 0xE0)
            + dcScan
            + Array([[UInt8]](repeating: acScan, count: acScans).joined())
            + [0xFF, 0xD9]
    }

    private static func blockCount(width: Int, height: Int) -> Int {
        ((width + 7) / 8) * ((height + 7) / 8)
    }

    /// SOI, a flat quantisation table, the frame header (one component, 1x1 sampling) and
    /// the DC table.
    private static func start(frame marker: UInt8, width: Int, height: Int) -> [UInt8] {
        [0xFF, 0xD8]
            + segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))
            + segment(marker, [8, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF),
                               1, 1, 0x11, 0])
            + huffmanTable(class: 0, symbol: 0x00)
    }

    /// A table holding one symbol, coded `0` (0x00: DC difference 0 or AC end of block;
    /// 0xE0: AC end-of-band run of 2^14 plus 14 extra bits).
    private static func huffmanTable(class tableClass: UInt8, symbol: UInt8) -> [UInt8] {
        segment(0xC4, [tableClass << 4, 1] + [UInt8](repeating: 0, count: 15) + [symbol])
    }

    private static func scan(spectralStart: UInt8, spectralEnd: UInt8) -> [UInt8] {
        segment(0xDA, [1, 1, 0x00, spectralStart, spectralEnd, 0x00])
    }

    /// `pattern` repeated `count` times as entropy-coded bytes: padded with 1 bits to a
    /// whole byte, and every FF byte followed by a stuffed 00, as JPEG requires.
    private static func pack(repeating pattern: [Bool], count: Int) -> [UInt8] {
        var bytes: [UInt8] = [], current: UInt8 = 0, filled = 0
        bytes.reserveCapacity(pattern.count * count / 8 + 2)
        func append(_ bit: Bool) {
            current = current << 1 | (bit ? 1 : 0)
            filled += 1
            if filled == 8 {
                bytes.append(current)
                if current == 0xFF { bytes.append(0x00) }
                current = 0
                filled = 0
            }
        }
        for _ in 0..<count { for bit in pattern { append(bit) } }
        while filled != 0 { append(true) }
        return bytes
    }

    private static func segment(_ marker: UInt8, _ body: [UInt8]) -> [UInt8] {
        let length = body.count + 2
        return [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + body
    }
}
