/// Marker-controlled watershed by priority flooding (Meyer's algorithm) on a bucket queue.
///
/// Starting from labelled marker pixels, unlabelled pixels of `mask` are claimed in order
/// of decreasing `priority` (e.g. distance to the background, so basins meet along the
/// necks between touching round objects), each taking the label of the basin that
/// reached it first. Priorities are quantised into `levelsPerUnit` levels per unit, which
/// makes the queue a bucket array and the whole flood linear in the number of pixels.
/// Mask pixels no marker can reach stay 0.
public enum Watershed {
    /// Floods `labels` in place (markers > 0, unlabelled = 0) over the pixels where `mask` is non-zero.
    public static func flood(labels: UnsafeMutableBufferPointer<Int32>, mask: UnsafeBufferPointer<UInt8>,
                             priority: UnsafeBufferPointer<Float>, width: Int, height: Int,
                             levelsPerUnit: Float = 4) {
        let n = width * height
        precondition(labels.count >= n && mask.count >= n && priority.count >= n)
        var maxLevel = 0
        for i in 0..<n where mask[i] != 0 { maxLevel = max(maxLevel, level(priority[i], levelsPerUnit)) }
        // One FIFO per level: within a level, pixels are claimed in the order they were
        // reached, so two basins advance at the same pace across a plateau.
        var buckets = [[Int32]](repeating: [], count: maxLevel + 1)
        var heads = [Int](repeating: 0, count: maxLevel + 1)
        var top = -1
        for i in 0..<n where labels[i] != 0 {
            let l = mask[i] != 0 ? level(priority[i], levelsPerUnit) : maxLevel
            buckets[l].append(Int32(i)); top = max(top, l)
        }
        while top >= 0 {
            if heads[top] == buckets[top].count { top -= 1; continue }
            let p = Int(buckets[top][heads[top]]); heads[top] += 1
            let label = labels[p]
            forEachNeighbour(p, width, height) { j in
                if labels[j] == 0 && mask[j] != 0 {
                    // A pixel takes the label of the first basin to reach it.
                    labels[j] = label
                    // Never above the current level: the flood only goes downhill from here.
                    buckets[min(top, level(priority[j], levelsPerUnit))].append(Int32(j))
                }
            }
        }
    }

    @inline(__always)
    static func level(_ value: Float, _ perUnit: Float) -> Int { max(0, Int(value * perUnit)) }

    /// Calls `body` with each in-image 8-neighbour of pixel `i`.
    @inline(__always)
    static func forEachNeighbour(_ i: Int, _ width: Int, _ height: Int, _ body: (Int) -> Void) {
        let x = i % width, y = i / width
        for dy in -1...1 {
            let yy = y + dy
            if yy < 0 || yy >= height { continue }
            for dx in -1...1 where dx != 0 || dy != 0 {
                let xx = x + dx
                if xx < 0 || xx >= width { continue }
                body(yy * width + xx)
            }
        }
    }
}
