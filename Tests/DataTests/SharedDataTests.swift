import Testing
import SmearTestSupport

@Suite struct SharedDataTests {
    @Test func sharedDataIsBesideTheRepository() {
        #expect(SharedData.isAvailable, "expected ../shared/data at \(SharedData.root.path)")
    }
}
