/// Connected-component labelling of byte masks in linear time.
///
/// Classic two-pass algorithm: the first pass gives each foreground pixel a provisional
/// label from its already-visited neighbours and records label equivalences in a
/// union-find forest (path halving, union by smaller root); the second pass replaces
/// provisional labels by dense final labels `1...count` in raster order of first
/// appearance. Background pixels get label 0.
public enum ConnectedComponents {
    /// Neighbourhood used to decide which pixels touch.
    public enum Connectivity: Sendable { case four, eight }

    /// Labels `mask` (non-zero = foreground) into `labels` and returns the number of components.
    public static func label(_ mask: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
                             connectivity: Connectivity = .eight,
                             labels: UnsafeMutableBufferPointer<Int32>) -> Int {
        let n = width * height
        precondition(mask.count >= n && labels.count >= n)
        if n == 0 { return 0 }
        var parent: [Int32] = [0]
        parent.reserveCapacity(1024)
        let eight = connectivity == .eight
        for y in 0..<height {
            let row = y * width
            for x in 0..<width {
                let i = row + x
                if mask[i] == 0 { labels[i] = 0; continue }
                // Visited neighbours: W, NW, N, NE (8) or W, N (4).
                var l: Int32 = 0
                if x > 0, labels[i - 1] != 0 { l = labels[i - 1] }
                if y > 0 {
                    let up = i - width
                    if labels[up] != 0 { l = merge(l, labels[up], &parent) }
                    if eight {
                        if x > 0, labels[up - 1] != 0 { l = merge(l, labels[up - 1], &parent) }
                        if x + 1 < width, labels[up + 1] != 0 { l = merge(l, labels[up + 1], &parent) }
                    }
                }
                if l == 0 {
                    l = Int32(parent.count)
                    parent.append(l)
                }
                labels[i] = l
            }
        }
        // Dense relabelling of roots in order of first appearance.
        var final = [Int32](repeating: 0, count: parent.count)
        var count: Int32 = 0
        for i in 0..<n where labels[i] != 0 {
            let root = find(labels[i], &parent)
            if final[Int(root)] == 0 { count += 1; final[Int(root)] = count }
            labels[i] = final[Int(root)]
        }
        return Int(count)
    }

    @inline(__always)
    static func find(_ x: Int32, _ parent: inout [Int32]) -> Int32 {
        var x = x
        while parent[Int(x)] != x {
            parent[Int(x)] = parent[Int(parent[Int(x)])]
            x = parent[Int(x)]
        }
        return x
    }

    /// Joins the sets of `a` (0 = none yet) and `b`; returns the surviving root.
    @inline(__always)
    static func merge(_ a: Int32, _ b: Int32, _ parent: inout [Int32]) -> Int32 {
        let rb = find(b, &parent)
        if a == 0 { return rb }
        let ra = find(a, &parent)
        if ra == rb { return ra }
        if ra < rb { parent[Int(rb)] = ra; return ra }
        parent[Int(ra)] = rb
        return rb
    }
}
