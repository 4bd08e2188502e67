import SmearImaging
import SmearTestSupport
import Testing
@testable import SmearTraining

@Suite("Augmentation")
struct AugmentationTests {
    static func randomImage(_ w: Int, _ h: Int, seed: UInt64) -> RGBImage {
        var g = SeededGenerator(seed: seed)
        return RGBImage(width: w, height: h, pixels: (0..<(w * h * 3)).map { _ in UInt8.random(in: 0...255, using: &g) })
    }

    /// The eight symmetries of a square image, by index permutation.
    static func symmetries(_ image: RGBImage) -> [RGBImage] {
        let n = image.width
        func map(_ f: (Int, Int) -> (Int, Int)) -> RGBImage {
            var out = image
            for y in 0..<n { for x in 0..<n { let (sx, sy) = f(x, y); out[x, y] = image[sx, sy] } }
            return out
        }
        let rotations: [(Int, Int) -> (Int, Int)] = [{ ($0, $1) }, { ($1, n - 1 - $0) }, { (n - 1 - $0, n - 1 - $1) }, { (n - 1 - $1, $0) }]
        return rotations.map { r in map(r) } + rotations.map { r in map { x, y in let (a, b) = r(x, y); return (n - 1 - a, b) } }
    }

    @Test("No augmentation is the exact centre crop")
    func identity() {
        let source = Self.randomImage(40, 36, seed: 1)
        var random = SplitMix64(seed: 3)
        let out = Augmenter(settings: .none, outputSize: 20).apply(to: source, random: &random)
        #expect(out == source.cropped(to: PixelRect(x: 10, y: 8, width: 20, height: 20)))
    }

    @Test("Flips and quarter turns give one of the eight symmetries of the centre crop, all eight reached")
    func dihedral() {
        var settings = AugmentationSettings.none
        settings.dihedral = true
        let source = Self.randomImage(24, 24, seed: 2)
        let all = Self.symmetries(source.cropped(to: PixelRect(x: 4, y: 4, width: 16, height: 16)))
        var seen = Set<Int>()
        for seed in 0..<64 {
            var random = SplitMix64(seed: UInt64(seed))
            let out = Augmenter(settings: settings, outputSize: 16).apply(to: source, random: &random)
            let index = all.firstIndex(of: out)
            #expect(index != nil)
            if let index { seen.insert(index) }
        }
        #expect(seen.count == 8)
    }

    @Test("Same seed, same crop; another seed, another crop")
    func deterministic() {
        let source = Self.randomImage(48, 48, seed: 4)
        let augmenter = Augmenter(settings: .standard, outputSize: 32)
        var a = SplitMix64(seed: 9, stream: 1, 2), b = SplitMix64(seed: 9, stream: 1, 2), c = SplitMix64(seed: 9, stream: 1, 3)
        let first = augmenter.apply(to: source, random: &a)
        #expect(first == augmenter.apply(to: source, random: &b))
        #expect(first != augmenter.apply(to: source, random: &c))
    }

    @Test("Stain jitter keeps white white and preserves the order of intensities")
    func stain() {
        let table = Augmenter.stainTables(channelScale: [1.2, 0.8, 1.0])
        #expect(abs(table[255] - 255) < 1e-3 && abs(table[256 + 255] - 255) < 1e-3)
        for c in 0..<3 { for v in 1..<256 { #expect(table[c * 256 + v] > table[c * 256 + v - 1]) } }
        #expect(table[100] < 100 && table[256 + 100] > 100 && abs(table[512 + 100] - 100) < 1e-3)
    }

    @Test("Hue and saturation leave grey grey; blur leaves a flat image flat")
    func colourAndBlur() {
        let m = Augmenter.colourMatrix(hue: 0.3, saturation: 0.7)
        for r in 0..<3 { #expect(abs(m[r * 3] + m[r * 3 + 1] + m[r * 3 + 2] - 1) < 1e-6) }
        var plane = [Float](repeating: 77, count: 8 * 8 * 3)
        Augmenter.blur(&plane, size: 8, sigma: 0.7)
        #expect(plane.allSatisfy { abs($0 - 77) < 1e-4 })
    }

    @Test("The source margin covers the rotated, scaled, shifted crop")
    func sourceSize() {
        #expect(AugmentationSettings.none.sourceSize(forOutput: 64) == 64)
        // 64/2 · 1.1 · (cos 15° + sin 15°) + 3 ≈ 46.1 → 93 → 94 (even, like 64).
        #expect(AugmentationSettings.standard.sourceSize(forOutput: 64) == 94)
    }
}

@Suite("Class-balanced sampler")
struct SamplerTests {
    static let labels = Array(repeating: 0, count: 90) + Array(repeating: 1, count: 9) + [2]

    @Test("Quotas follow n^(1−power)")
    func quotas() {
        #expect(ClassBalancedSampler(labels: Self.labels, classCount: 4, power: 0).quotas == [90, 9, 1, 0])
        #expect(ClassBalancedSampler(labels: Self.labels, classCount: 4, power: 1).quotas == [34, 33, 33, 0])
        // √90 : √9 : √1 = 9.487 : 3 : 1 → 70.2, 22.2, 7.4 of 100.
        #expect(ClassBalancedSampler(labels: Self.labels, classCount: 4, power: 0.5).quotas == [70, 22, 8, 0])
    }

    @Test("Natural sampling is a permutation; epochs differ; seed reproduces")
    func natural() {
        let sampler = ClassBalancedSampler(labels: Self.labels, classCount: 4, power: 0)
        let e0 = sampler.epoch(0, seed: 5)
        #expect(e0.sorted() == Array(0..<100))
        #expect(e0 == sampler.epoch(0, seed: 5))
        #expect(e0 != sampler.epoch(1, seed: 5))
        #expect(e0 != sampler.epoch(0, seed: 6))
    }

    @Test("Rare examples are cycled evenly across epochs")
    func cycling() {
        let sampler = ClassBalancedSampler(labels: Self.labels, classCount: 4, power: 1)
        var seen = [Int: Int]()
        for e in 0..<3 { for i in sampler.epoch(e, seed: 1) where Self.labels[i] == 1 { seen[i, default: 0] += 1 } }
        // 3 epochs × 33 = 99 draws over 9 examples: exactly 11 passes.
        #expect(seen.count == 9 && seen.values.allSatisfy { $0 == 11 })
    }

    @Test("Loss weights average to 1 over the examples")
    func lossWeights() {
        let w = ClassBalancedSampler.lossWeights(classCounts: [90, 9, 1, 0], power: 1)
        #expect(w[3] == 0)
        let mean = (90 * w[0] + 9 * w[1] + w[2]) / 100
        #expect(abs(mean - 1) < 1e-6)
        #expect(abs(w[2] / w[0] - 90) < 1e-3)
    }
}
