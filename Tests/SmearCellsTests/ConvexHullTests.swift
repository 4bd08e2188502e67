import Testing
import SmearCells
import SmearTestSupport

/// Convex hull areas of row-span pixel sets against exact shapes and a brute-force reference.
@Suite struct ConvexHullTests {
    static func spans(_ rows: [(Int, Int)?]) -> [ConvexHull.Span] {
        rows.map { $0.map { ConvexHull.Span(minX: $0.0, maxX: $0.1) } ?? .empty }
    }

    @Test func exactShapes() {
        #expect(ConvexHull.area(spans: []) == 0)
        #expect(ConvexHull.area(spans: Self.spans([nil, nil])) == 0)
        #expect(ConvexHull.area(spans: Self.spans([(3, 3)])) == 1)                        // one pixel
        #expect(ConvexHull.area(spans: Self.spans([(0, 4), (0, 4), (0, 4)])) == 15)       // 5 x 3 rectangle
        // Two pixels on a diagonal: the hexagon through their corners, 2 + 1 = 3.
        #expect(ConvexHull.area(spans: Self.spans([(0, 0), (1, 1)])) == 3)
        // Two separate pixels in one row fill the gap between them.
        #expect(ConvexHull.area(spans: Self.spans([nil, (0, 9)])) == 10)
        #expect(ConvexHull.extent(spans: Self.spans([nil, (2, 4), (3, 3), nil])) == 3)
        #expect(ConvexHull.extent(spans: Self.spans([(0, 0), nil, nil, (0, 0)])) == 4)
        #expect(ConvexHull.extent(spans: []) == 0)
    }

    /// On random spans, against the hull of all pixel corners found by gift wrapping.
    @Test func matchesGiftWrapping() {
        var g = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let rows = Int.random(in: 1...12, using: &g)
            var spans: [ConvexHull.Span] = []
            var points: [(Int, Int)] = []
            for y in 0..<rows {
                if Int.random(in: 0..<4, using: &g) == 0 { spans.append(.empty); continue }
                let a = Int.random(in: 0..<15, using: &g), b = a + Int.random(in: 0..<6, using: &g)
                spans.append(ConvexHull.Span(minX: a, maxX: b))
                points += [(a, y), (a, y + 1), (b + 1, y), (b + 1, y + 1)]
            }
            #expect(ConvexHull.area(spans: spans) == Self.giftWrapArea(points))
        }
    }

    static func giftWrapArea(_ pts: [(Int, Int)]) -> Double {
        let unique = Array(Set(pts.map { [$0.0, $0.1] })).map { ($0[0], $0[1]) }
        if unique.count < 3 { return 0 }
        func cross(_ o: (Int, Int), _ a: (Int, Int), _ b: (Int, Int)) -> Int { (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0) }
        func dist(_ a: (Int, Int), _ b: (Int, Int)) -> Int { (a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1) }
        let start = unique.min { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }!
        var hull = [start], current = start
        while true {
            var next = unique[0] == current ? unique[1] : unique[0]
            for p in unique where p != current {
                let c = cross(current, next, p)
                if c < 0 || (c == 0 && dist(current, p) > dist(current, next)) { next = p }
            }
            if next == start { break }
            hull.append(next); current = next
            if hull.count > unique.count { break }
        }
        var twice = 0
        for i in 0..<hull.count { let a = hull[i], b = hull[(i + 1) % hull.count]; twice += a.0 * b.1 - b.0 * a.1 }
        return Double(abs(twice)) / 2
    }
}
