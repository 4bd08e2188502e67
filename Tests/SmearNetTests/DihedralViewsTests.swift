import Testing
@testable import SmearNet

/// Test-time augmentation: the eight symmetries of a crop, and a classifier averaging them.
@Suite struct DihedralViewsTests {
    /// A 5×5 crop whose every pixel differs, so each symmetry gives a different image.
    static let side = 5
    static let crop: [UInt8] = (0..<(side * side * 3)).map { UInt8(($0 * 7 + 3) % 251) }

    /// The reference: rotations by quarter turns and their mirror images, written out
    /// independently of `DihedralViews`' bit layout.
    static func reference(_ crop: [UInt8], side n: Int) -> [[UInt8]] {
        func map(_ source: (Int, Int) -> (Int, Int)) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: n * n * 3)
            for y in 0..<n { for x in 0..<n {
                let (sx, sy) = source(x, y)
                for c in 0..<3 { out[(y * n + x) * 3 + c] = crop[(sy * n + sx) * 3 + c] }
            } }
            return out
        }
        let m = n - 1
        return [map { ($0, $1) }, map { (m - $0, $1) }, map { ($0, m - $1) }, map { (m - $0, m - $1) },
                map { ($1, $0) }, map { ($1, m - $0) }, map { (m - $1, $0) }, map { (m - $1, m - $0) }]
    }

    static func view(_ t: Int, of crop: [UInt8], width: Int, height: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: crop.count)
        crop.withUnsafeBufferPointer { c in
            out.withUnsafeMutableBufferPointer { DihedralViews.write(t, of: c, count: 1, width: width, height: height, into: $0) }
        }
        return out
    }

    @Test func theEightViewsAreTheEightSymmetries() {
        let views = (0..<8).map { Self.view($0, of: Self.crop, width: Self.side, height: Self.side) }
        #expect(views[0] == Self.crop)
        #expect(Set(views).count == 8)
        #expect(Set(views) == Set(Self.reference(Self.crop, side: Self.side)))
        // The first two and the first four are closed under composition (subgroups).
        for prefix in [2, 4] {
            let set = Set(views.prefix(prefix))
            for a in views.prefix(prefix) { for t in 0..<prefix { #expect(set.contains(Self.view(t, of: a, width: Self.side, height: Self.side))) } }
        }
    }

    @Test func severalCropsAreViewedOneByOne() {
        let two = Self.crop + Self.crop.reversed()
        var out = [UInt8](repeating: 0, count: two.count)
        two.withUnsafeBufferPointer { c in
            out.withUnsafeMutableBufferPointer { DihedralViews.write(5, of: c, count: 2, width: Self.side, height: Self.side, into: $0) }
        }
        let half = Self.crop.count
        #expect(Array(out[..<half]) == Self.view(5, of: Self.crop, width: Self.side, height: Self.side))
        #expect(Array(out[half...]) == Self.view(5, of: Array(Self.crop.reversed()), width: Self.side, height: Self.side))
    }

    /// Eight views averaged: the same answer for a crop and any flip or turn of it, the
    /// plain average of the single-view answers (same order, same bits), and the same bits
    /// whatever the batch.
    @Test func averagedViewsAreInvariantAndExact() throws {
        let description = TestModels.everyLayer(height: 12, width: 12)
        let model = try TestModels.randomNetwork(description).exportModel()
        let plain = try Classifier(model: model, maximumBatch: 8)
        let averaged = try Classifier(model: model, maximumBatch: 8, views: 8)
        var random = RandomData(seed: 11)
        let crop = random.bytes(description.input.shape.count)
        let views = (0..<8).map { Self.view($0, of: crop, width: 12, height: 12) }
        let single = plain.classify(views)
        var expected = single[0]
        for v in 1..<8 { for j in expected.indices { expected[j] += single[v][j] } }
        for j in expected.indices { expected[j] *= 1 / Float(8) }
        let answers = averaged.classify(views)
        #expect(answers[0] == expected)
        for answer in answers { for j in answer.indices { #expect(abs(answer[j] - expected[j]) < 1e-6) } }
        // 11 crops: a batch of 8 and one of 3, against one at a time.
        let eleven = (0..<11).map { _ in random.bytes(description.input.shape.count) }
        let together = averaged.classify(eleven)
        #expect(together == eleven.map { averaged.classify([$0])[0] })
        #expect(single.count == 8 && plain.views == 1 && averaged.views == 8)
    }

    @Test func viewsMustFitTheCrop() throws {
        let square = try TestModels.randomNetwork(TestModels.everyLayer(height: 12, width: 12)).exportModel()
        let oblong = try TestModels.randomNetwork(TestModels.everyLayer(height: 13, width: 11)).exportModel()
        #expect(throws: ClassifierError.self) { try Classifier(model: square, views: 0) }
        #expect(throws: ClassifierError.self) { try Classifier(model: square, views: 9) }
        #expect(throws: ClassifierError.self) { try Classifier(model: oblong, views: 8) }
        #expect(try Classifier(model: oblong, views: 4).views == 4)
    }
}
