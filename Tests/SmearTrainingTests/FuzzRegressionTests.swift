import Testing
@testable import SmearTraining

/// Inputs the LabelMap fuzz harness (Tests/Fuzz) found breaking a rule: each error must be
/// one line of a batch log, even when it quotes a file's line breaks or control characters.
@Suite struct FuzzRegressionTests {
    /// LabelMap (slide table): a quoted header field holding CR LF and NUL bytes, quoted back
    /// by "missing column" as a multi-line message.
    static let headerWithLineBreak: [UInt8] = [
        0x73, 0x6c, 0x69, 0x64, 0x65, 0x2c, 0x2c, 0x22, 0x74, 0x69, 0x65, 0x6e, 0x73, 0x69, 0x73,
        0x2c, 0x6c, 0x61, 0x62, 0x65, 0x00, 0x00, 0x65, 0x6c, 0x6c, 0x73, 0x5f, 0x68, 0x65, 0x72, 0x65,
        0x0d, 0x0a, 0x13, 0x31, 0x2c, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x50, 0x52, 0x73,
        0x74, 0x22, 0x2c, 0x31, 0x32, 0x2c, 0x31, 0x67, 0x65, 0x20, 0x63, 0x65, 0x6c, 0x6c, 0x73, 0x22,
        0x2c, 0x35, 0x2c, 0x30, 0x0d, 0x0a,
    ]

    @Test func slideTableErrorQuotingALineBreakStaysOneLine() throws {
        let map = try LabelMap(labels: ["Blast": .blast])
        let error = #expect(throws: CSVError.self) {
            try SlideTable.parse(String(decoding: Self.headerWithLineBreak, as: UTF8.self), labelMap: map, source: "s.csv")
        }
        let text = try #require(error?.description)
        #expect(text.hasPrefix("s.csv: line 1: missing column \"patient\""))
        #expect(!text.unicodeScalars.contains { $0 == "\n" || $0 == "\r" || $0 == "\0" })
        #expect(text.contains("\\u{d}\\u{a}\\u{13}1"))
    }

    @Test func labelMapErrorQuotingALineBreakStaysOneLine() {
        let error = #expect(throws: LabelMapError.self) {
            try LabelMap.parse(Array(#"{"labels": {"Bla\nst": "no-such-class"}}"#.utf8), source: "m.json")
        }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("m.json: "))
        #expect(!text.unicodeScalars.contains { $0 == "\n" || $0 == "\r" })
    }
}
