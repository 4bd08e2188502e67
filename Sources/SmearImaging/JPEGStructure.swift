/// The few facts about a JPEG's marker structure that TurboJPEG's header call does not
/// report: the frame type (progressive or not), sample precision, and whether the data
/// reaches an end-of-image marker. Pure byte reading, no decoding.
enum JPEGStructure {
    /// The start-of-frame segment's facts.
    struct Frame: Equatable {
        var progressive: Bool
        var arithmetic: Bool
        /// Lossless JPEG (SOF3/7/11/15), which libjpeg-turbo 2.1 does not decode.
        var lossless: Bool
        var precision: Int
        var components: Int
        var width: Int = 0
        var height: Int = 0
        /// Each component's horizontal and vertical sampling factors (1...4), when whole.
        var sampling: [Sampling] = []

        struct Sampling: Equatable {
            var h: Int
            var v: Int
        }

        /// The fewest bytes of Huffman-coded data that can hold this frame, or nil for
        /// arithmetic coding (which has no useful lower bound). Every block of a sequential
        /// scan codes a DC and an AC symbol (at least 1 bit each); a progressive frame's
        /// first scan of a component codes at least its DC symbol. At least one component
        /// must be coded, so the smallest component bounds the whole file.
        var minimumHuffmanBytes: Int? {
            guard !arithmetic, width > 0, height > 0, !sampling.isEmpty,
                  sampling.allSatisfy({ (1...4).contains($0.h) && (1...4).contains($0.v) }) else { return nil }
            let hMax = sampling.map(\.h).max()!, vMax = sampling.map(\.v).max()!
            func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
            let blocks = sampling.map { ceilDiv(ceilDiv(width * $0.h, hMax), 8) * ceilDiv(ceilDiv(height * $0.v, vMax), 8) }.min()!
            return ceilDiv(blocks * (progressive ? 1 : 2), 8)
        }
    }

    /// Walks the marker segments after SOI up to the first start-of-frame marker; nil when
    /// the data ends or is malformed before one.
    static func frame(_ data: [UInt8]) -> Frame? {
        var i = 2
        while i + 4 <= data.count {
            guard data[i] == 0xFF else { return nil }
            let marker = data[i + 1]
            if marker == 0xFF { i += 1; continue }  // fill byte
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            let length = Int(data[i + 2]) << 8 | Int(data[i + 3])
            guard length >= 2 else { return nil }
            // SOF0...SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            if (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC {
                guard i + 10 <= data.count else { return nil }
                let kind = marker & 0x0F
                let components = Int(data[i + 9])
                var sampling: [Frame.Sampling] = []
                if length >= 8 + 3 * components, i + 10 + 3 * components <= data.count {
                    sampling = (0..<components).map { c in
                        let factors = data[i + 11 + 3 * c]
                        return Frame.Sampling(h: Int(factors >> 4), v: Int(factors & 0x0F))
                    }
                }
                return Frame(progressive: [2, 6, 10, 14].contains(kind),
                             arithmetic: kind >= 8,
                             lossless: [3, 7, 11, 15].contains(kind),
                             precision: Int(data[i + 4]),
                             components: components,
                             width: Int(data[i + 7]) << 8 | Int(data[i + 8]),
                             height: Int(data[i + 5]) << 8 | Int(data[i + 6]),
                             sampling: sampling)
            }
            i += 2 + length
        }
        return nil
    }

    /// The number of start-of-scan markers. Marker segments are skipped by their length and
    /// entropy-coded data byte by byte (where FF is always followed by 00 or a restart
    /// marker), so the count is exact without decoding.
    static func scanCount(_ data: [UInt8]) -> Int {
        var count = 0, i = 2
        while i + 1 < data.count {
            guard data[i] == 0xFF else { i += 1; continue }
            let marker = data[i + 1]
            if marker == 0xFF { i += 1; continue }  // fill byte
            if marker == 0x00 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            if marker == 0xD9 || i + 4 > data.count { break }
            if marker == 0xDA { count += 1 }
            i += 2 + (Int(data[i + 2]) << 8 | Int(data[i + 3]))
        }
        return count
    }

    /// Why SmearScan cannot decode this frame (12- or 16-bit, or lossless JPEG), or nil;
    /// asked only once TurboJPEG has refused the data.
    static func unsupportedReason(_ frame: Frame) -> String? {
        if frame.lossless { return "lossless JPEG is not supported" }
        if frame.precision == 12 || frame.precision == 16 { return "\(frame.precision)-bit JPEG is not supported (8-bit only)" }
        return nil
    }

    /// Whether an end-of-image marker (FF D9) lies in the last kilobyte. Entropy-coded data
    /// never contains FF D9, so its absence there means the file was cut short.
    static func hasEndMarker(_ data: [UInt8]) -> Bool {
        guard data.count >= 4 else { return false }
        var i = data.count - 2
        let stop = max(2, data.count - 1024)
        while i >= stop {
            if data[i] == 0xFF && data[i + 1] == 0xD9 { return true }
            i -= 1
        }
        return false
    }
}
