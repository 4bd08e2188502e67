import Testing
import SmearCells

@Suite struct CellClassTests {
    @Test func countingRules() {
        #expect(CellClass.allCases.count == 13)
        #expect(CellClass.countedLeukocytes.count == 10)
        #expect(!CellClass.erythroblast.isCountedLeukocyte)
        #expect(CellClass(rawValue: "immature_granulocyte") == .immatureGranulocyte)
    }
}
