import Testing
import SmearSlides

@Suite struct SoftwareVersionTests {
    @Test func versionIsSemantic() {
        #expect(SoftwareVersion.current.split(separator: ".").count == 3)
        #expect(ResearchUseNotice.text.hasPrefix("For research use only."))
    }
}
