import Testing
import SmearKernels

@Suite struct BLASSmokeTests {
    @Test func threadCountCanBeSet() {
        BLASThreads.set(1)
        #expect(BLASThreads.current == 1)
    }
}
