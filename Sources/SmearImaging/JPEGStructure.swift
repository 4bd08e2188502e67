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
                return Frame(progressive: [2, 6, 10, 14].contains(kind),
                             arithmetic: kind >= 8,
                             lossless: [3, 7, 11, 15].contains(kind),
                             precision: Int(data[i + 4]),
                             components: Int(data[i + 9]))
            }
            i += 2 + length
        }
        return nil
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
