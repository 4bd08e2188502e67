import Testing
@testable import SmearCells
import SmearImaging
import SmearTestSupport

/// The numerical kernels against plain reference implementations on random masks.
@Suite struct KernelReferenceTests {
    static func randomMask(_ w: Int, _ h: Int, density: Double, seed: UInt64) -> [UInt8] {
        var g = SeededGenerator(seed: seed)
        return (0..<(w * h)).map { _ in Double.random(in: 0..<1, using: &g) < density ? 1 : 0 }
    }

    /// Flood-fill labelling, the obvious way, as the reference.
    static func floodLabels(_ mask: [UInt8], _ w: Int, _ h: Int, eight: Bool) -> (count: Int, labels: [Int32]) {
        var labels = [Int32](repeating: 0, count: w * h)
        var count: Int32 = 0
        for start in 0..<(w * h) where mask[start] != 0 && labels[start] == 0 {
            count += 1
            var stack = [start]
            labels[start] = count
            while let p = stack.popLast() {
                let x = p % w, y = p / w
                for dy in -1...1 { for dx in -1...1 where (dx != 0 || dy != 0) && (eight || dx == 0 || dy == 0) {
                    let xx = x + dx, yy = y + dy
                    if xx < 0 || yy < 0 || xx >= w || yy >= h { continue }
                    let q = yy * w + xx
                    if mask[q] != 0 && labels[q] == 0 { labels[q] = count; stack.append(q) }
                } }
            }
        }
        return (Int(count), labels)
    }

    @Test(arguments: [(37, 23, 0.3), (64, 64, 0.5), (50, 1, 0.6), (1, 40, 0.6), (80, 60, 0.62)])
    func connectedComponentsMatchFloodFill(w: Int, h: Int, density: Double) {
        for (seed, eight) in [(UInt64(1), true), (2, false), (3, true)] {
            let mask = Self.randomMask(w, h, density: density, seed: seed)
            let reference = Self.floodLabels(mask, w, h, eight: eight)
            var labels = [Int32](repeating: -1, count: w * h)
            let count = mask.withUnsafeBufferPointer { m in
                labels.withUnsafeMutableBufferPointer { l in
                    ConnectedComponents.label(m, width: w, height: h, connectivity: eight ? .eight : .four, labels: l)
                }
            }
            #expect(count == reference.count)
            // Both number components in raster order of first pixel, so labels agree exactly.
            #expect(labels == reference.labels)
        }
    }

    @Test(arguments: [(31, 17, 0.7), (40, 40, 0.9), (25, 9, 0.2), (12, 12, 1.0)])
    func distanceTransformMatchesBruteForce(w: Int, h: Int, density: Double) {
        let mask = Self.randomMask(w, h, density: density, seed: 7)
        var out = [Float](repeating: -1, count: w * h)
        mask.withUnsafeBufferPointer { m in
            out.withUnsafeMutableBufferPointer { o in DistanceTransform.squared(m, width: w, height: h, into: o) }
        }
        let background = (0..<(w * h)).filter { mask[$0] == 0 }
        for i in 0..<(w * h) {
            if mask[i] == 0 { #expect(out[i] == 0); continue }
            var best = DistanceTransform.infinity
            for b in background {
                let dx = Float(i % w - b % w), dy = Float(i / w - b / w)
                best = min(best, dx * dx + dy * dy)
            }
            #expect(out[i] == best, "pixel \(i)")
        }
    }

    /// Radius 1 takes its own three-tap path; the odd sizes test its edges.
    @Test(arguments: [[29, 21], [1, 7], [7, 1], [2, 2], [3, 1]])
    func morphologyMatchesNaiveSquareFilter(size: [Int]) {
        let w = size[0], h = size[1]
        let mask = Self.randomMask(w, h, density: 0.35, seed: 11)
        for r in 1...3 {
            var dil = [UInt8](repeating: 0, count: w * h), ero = dil, tmp = dil
            mask.withUnsafeBufferPointer { m in
                dil.withUnsafeMutableBufferPointer { d in tmp.withUnsafeMutableBufferPointer { t in
                    Morphology.dilate(m, into: d, tmp: t, width: w, height: h, radius: r)
                } }
                ero.withUnsafeMutableBufferPointer { e in tmp.withUnsafeMutableBufferPointer { t in
                    Morphology.erode(m, into: e, tmp: t, width: w, height: h, radius: r)
                } }
            }
            for y in 0..<h { for x in 0..<w {
                var any = false, all = true
                for yy in (y - r)...(y + r) { for xx in (x - r)...(x + r) {
                    // Outside: background for dilation, foreground for erosion.
                    if xx < 0 || yy < 0 || xx >= w || yy >= h { continue }
                    if mask[yy * w + xx] != 0 { any = true } else { all = false }
                } }
                #expect(dil[y * w + x] == (any ? 1 : 0))
                #expect(ero[y * w + x] == (all ? 1 : 0))
            } }
        }
    }

    /// Block averages against a plain mean of each block, rounded half up (partial blocks at
    /// the right and bottom edges included).
    @Test(arguments: [1, 2, 3, 4, 7])
    func blockReductionMatchesPlainMeans(factor: Int) {
        var g = SeededGenerator(seed: UInt64(factor))
        let w = 23, h = 17
        var image = RGBImage(width: w, height: h, fill: RGB(0, 0, 0))
        for i in 0..<image.pixels.count { image.pixels[i] = UInt8.random(in: 0...255, using: &g) }
        image.pixels[0] = 255; image.pixels[1] = 0
        let (ow, oh) = BlockReduction.size(width: w, height: h, factor: factor)
        var out = [UInt8](repeating: 0, count: ow * oh * 3), sums = [UInt32](repeating: 0, count: ow * 3)
        out.withUnsafeMutableBufferPointer { o in sums.withUnsafeMutableBufferPointer { BlockReduction.reduce(image, factor: factor, into: o, rowSums: $0) } }
        for oy in 0..<oh { for ox in 0..<ow { for c in 0..<3 {
            var sum = 0, n = 0
            for y in (oy * factor)..<min(h, (oy + 1) * factor) { for x in (ox * factor)..<min(w, (ox + 1) * factor) {
                sum += Int(image.pixels[(y * w + x) * 3 + c]); n += 1
            } }
            #expect(Int(out[(oy * ow + ox) * 3 + c]) == (sum + n / 2) / n, "(\(ox), \(oy)) channel \(c)")
        } } }
    }

    /// The multiply-for-divide of block averaging against integer division, over every sum a
    /// block of up to 64 × 64 pixels can have, and spot checks beyond.
    @Test func divisorMatchesIntegerDivision() {
        var wrong: [(n: UInt32, d: UInt32)] = []
        for d in UInt32(1)...4096 {
            let divisor = Divisor(d)
            let limit = 255 * d
            let step = d <= 64 ? 1 : max(1, limit / 500)
            for n in Array(stride(from: UInt32(0), through: limit, by: Int(step))) + [limit, limit - 1, d - 1, d, d + 1]
            where n <= limit && divisor.roundedQuotient(n) != (n + d / 2) / d {
                wrong.append((n, d))
            }
        }
        #expect(wrong.isEmpty, "first: \(wrong.prefix(5))")
    }

    @Test func holeFillingFillsOnlyEnclosedSmallHoles() {
        // A ring (hole of 9 pixels), a ring with a 25-pixel hole, and a C open to the outside.
        let w = 24, h = 9
        var mask = [UInt8](repeating: 0, count: w * h)
        func rect(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ v: UInt8) {
            for y in y0...y1 { for x in x0...x1 { mask[y * w + x] = v } }
        }
        rect(1, 1, 5, 5, 1); rect(2, 2, 4, 4, 0)          // hole 3x3
        rect(8, 1, 14, 7, 1); rect(9, 2, 13, 6, 0)        // hole 5x5
        rect(17, 1, 21, 5, 1); rect(18, 2, 20, 4, 0); mask[3 * w + 21] = 0 // open C
        var comp = [UInt8](repeating: 0, count: w * h), labels = [Int32](repeating: 0, count: w * h)
        mask.withUnsafeMutableBufferPointer { m in comp.withUnsafeMutableBufferPointer { c in labels.withUnsafeMutableBufferPointer { l in
            HoleFilling.fill(m, width: w, height: h, maxArea: 10, complement: c, labels: l)
        } } }
        #expect(mask[3 * w + 3] == 1)
        #expect(mask[4 * w + 11] == 0)
        #expect(mask[3 * w + 19] == 0)
    }

    @Test func otsuSplitsTwoModes() {
        var hist = DensityHistogram(range: 3)
        hist.counts[10] = 500; hist.counts[12] = 300; hist.counts[150] = 40; hist.counts[160] = 60
        let t = hist.otsuThreshold()
        #expect(t != nil)
        if let t { #expect(t > 0.12 && t <= 1.5) }
        #expect(DensityHistogram(range: 3).otsuThreshold() == nil)
        var one = DensityHistogram(range: 3); one.counts[5] = 100
        #expect(one.otsuThreshold() == nil)
        #expect(hist.quantile(0.5) == hist.value(ofBin: 10))
    }

    @Test func watershedSplitsTwoTouchingDisksAlongTheNeck() {
        let w = 40, h = 20
        var mask = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h { for x in 0..<w {
            let d1 = (x - 11) * (x - 11) + (y - 10) * (y - 10), d2 = (x - 27) * (x - 27) + (y - 10) * (y - 10)
            if d1 <= 81 || d2 <= 81 { mask[y * w + x] = 1 }
        } }
        var dist = [Float](repeating: 0, count: w * h)
        mask.withUnsafeBufferPointer { m in dist.withUnsafeMutableBufferPointer { d in DistanceTransform.squared(m, width: w, height: h, into: d) } }
        var labels = [Int32](repeating: 0, count: w * h)
        labels[10 * w + 11] = 1; labels[10 * w + 27] = 2
        let priority = dist.map { $0.squareRoot() }
        mask.withUnsafeBufferPointer { m in priority.withUnsafeBufferPointer { p in labels.withUnsafeMutableBufferPointer { l in
            Watershed.flood(labels: l, mask: m, priority: p, width: w, height: h)
        } } }
        for y in 0..<h { for x in 0..<w where mask[y * w + x] != 0 {
            // The neck column and its neighbours are a plateau where either basin may win.
            if x <= 17 || x >= 21 { #expect(labels[y * w + x] == (x <= 17 ? 1 : 2), "pixel \(x),\(y)") }
            #expect(labels[y * w + x] != 0)
        } }
    }
}
