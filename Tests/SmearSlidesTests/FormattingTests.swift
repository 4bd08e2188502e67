import Testing
@testable import SmearSlides

@Suite struct FormattingTests {
    @Test func fixedDecimalsAreLocaleFreeAndRounded() {
        #expect(DecimalFormat.fixed(0.5, decimals: 6) == "0.500000")
        #expect(DecimalFormat.fixed(13.33669, decimals: 1) == "13.3")
        #expect(DecimalFormat.fixed(28.8829, decimals: 1) == "28.9")
        #expect(DecimalFormat.fixed(-0.00001, decimals: 2) == "0.00")
        #expect(DecimalFormat.fixed(-1.25, decimals: 1) == "-1.3")
        #expect(DecimalFormat.fixed(7, decimals: 0) == "7")
        #expect(DecimalFormat.trimmed(20, decimals: 6) == "20")
        #expect(DecimalFormat.trimmed(13.3366933, decimals: 6) == "13.336693")
    }

    @Test func jsonSortsKeysAndFormatsNumbersStably() {
        let value = JSONValue.object([
            "b": .number(1.0 / 3), "a": .array([.int(1), .null, .bool(true)]), "c": .string("x\"y\\z\n\u{1}é,"),
            "d": .number(.nan), "e": .object([:]), "f": .array([]),
        ])
        #expect(value.serialized(pretty: false)
            == #"{"a":[1,null,true],"b":0.333333,"c":"x\"y\\z\n\u0001é,","d":null,"e":{},"f":[]}"#)
        #expect(value.serialized() == """
        {
          "a": [
            1,
            null,
            true
          ],
          "b": 0.333333,
          "c": "x\\"y\\\\z\\n\\u0001é,",
          "d": null,
          "e": {},
          "f": []
        }

        """)
    }

    @Test func csvQuotesOnlyWhatNeedsIt() {
        #expect(CSVFormat.field("plain") == "plain")
        #expect(CSVFormat.field("Blast, no lineage spec/BL 1.jpg") == "\"Blast, no lineage spec/BL 1.jpg\"")
        #expect(CSVFormat.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVFormat.field("line\nbreak") == "\"line\nbreak\"")
        #expect(CSVFormat.field("Zellen ü 細胞") == "Zellen ü 細胞")
        #expect(CSVFormat.record(["a", "b,c", ""]) == "a,\"b,c\",\r\n")
    }

    @Test func cellsCSVHasTheDocumentedColumns() {
        let header = CellsCSVWriter.csv(for: []).split(separator: "\r\n").first.map(String.init)
        #expect(header == "image,x,y,width,height,class,confidence,blast_probability,p_blast,p_promyelocyte,"
            + "p_immature_granulocyte,p_neutrophil,p_lymphocyte,p_variant_lymphocyte,p_monocyte,p_eosinophil,"
            + "p_basophil,p_plasma_cell,p_erythroblast,p_smudge,p_platelet,border,counted,notice")
    }

    @Test func cellsCSVRowsQuotePathsAndFormatProbabilities() {
        let record = cell(.blast, p: 0.75, border: true, image: "Blast, \"odd\"/ü 1.jpg", index: 3)
        let csv = CellsCSVWriter.csv(for: [record])
        let row = String(csv.split(separator: "\r\n")[1])
        #expect(row.hasPrefix("\"Blast, \"\"odd\"\"/ü 1.jpg\",0,0,10,10,blast,0.750000,0.750000,0.750000,0.020833,"))
        #expect(row.hasSuffix(",true,false," + ResearchUseNotice.text))
        #expect(csv.hasSuffix("\r\n"))
    }
}
