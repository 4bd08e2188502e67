/// Convex hull areas of pixel sets given as one horizontal span per row.
///
/// The hull of a set of pixels only depends on the leftmost and rightmost pixel of each
/// row, so a set is described by its row spans; pixels are unit squares, so the hull runs
/// through their corners (a single pixel has area 1). Andrew's monotone chain, O(r log r)
/// for r rows.
public enum ConvexHull {
    /// A row span `minX...maxX` (inclusive); rows without pixels have `minX > maxX`.
    public struct Span: Sendable, Equatable {
        public var minX: Int, maxX: Int
        /// The empty span.
        public static let empty = Span(minX: .max, maxX: .min)
        public init(minX: Int, maxX: Int) { self.minX = minX; self.maxX = maxX }
        public var isEmpty: Bool { minX > maxX }
        /// The smallest span holding both.
        public func union(_ other: Span) -> Span { Span(minX: min(minX, other.minX), maxX: max(maxX, other.maxX)) }
        /// Widens the span to hold `x`.
        public mutating func add(_ x: Int) { if x < minX { minX = x }; if x > maxX { maxX = x } }
    }

    /// The longer side (in pixels) of the bounding box of the pixels whose spans are `spans[y]`.
    public static func extent(spans: [Span]) -> Int {
        var rows = Span.empty, columns = Span.empty
        for (y, s) in spans.enumerated() where !s.isEmpty { rows.add(y); columns = columns.union(s) }
        return rows.isEmpty ? 0 : max(rows.maxX - rows.minX, columns.maxX - columns.minX) + 1
    }

    /// Area (in pixels) of the convex hull of the pixels whose spans are `spans[y]`, row `y`.
    public static func area(spans: [Span]) -> Double {
        var points: [(x: Int, y: Int)] = []
        points.reserveCapacity(4 * spans.count)
        for (y, s) in spans.enumerated() where !s.isEmpty {
            points.append((s.minX, y)); points.append((s.minX, y + 1))
            points.append((s.maxX + 1, y)); points.append((s.maxX + 1, y + 1))
        }
        if points.count < 3 { return 0 }
        points.sort { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        func cross(_ o: (x: Int, y: Int), _ a: (x: Int, y: Int), _ b: (x: Int, y: Int)) -> Int {
            (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
        }
        var hull: [(x: Int, y: Int)] = []
        hull.reserveCapacity(points.count + 1)
        for p in points {
            while hull.count >= 2 && cross(hull[hull.count - 2], hull[hull.count - 1], p) <= 0 { hull.removeLast() }
            hull.append(p)
        }
        let lowerCount = hull.count + 1
        for p in points.reversed().dropFirst() {
            while hull.count >= lowerCount && cross(hull[hull.count - 2], hull[hull.count - 1], p) <= 0 { hull.removeLast() }
            hull.append(p)
        }
        hull.removeLast()
        var twice = 0
        for i in 0..<hull.count {
            let a = hull[i], b = hull[(i + 1) % hull.count]
            twice += a.x * b.y - b.x * a.y
        }
        return Double(abs(twice)) / 2
    }
}
