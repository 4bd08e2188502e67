/// Marker-controlled watershed by priority flooding (Meyer's algorithm) on a bucket queue.
///
/// Starting from labelled marker pixels, unlabelled pixels of `mask` are claimed in order
/// of decreasing `priority` (e.g. distance to the background, so basins meet along the
/// necks between touching round objects), each taking the label of the neighbour that
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
        var buckets = [[Int32]](repeating: [], count: maxLevel + 1)
        var queued = [Bool](repeating: false, count: n)
        var top = 0
        // Seed: unlabelled mask pixels next to a marker.
        for i in 0..<n where labels[i] != 0 {
            queued[i] = true
            forEachNeighbour(i, width, height) { j in
                if labels[j] == 0 && mask[j] != 0 && !queued[j] {
                    queued[j] = true
                    let l = level(priority[j], levelsPerUnit)
                    buckets[l].append(Int32(j)); top = max(top, l)
                }
            }
        }
        while top >= 0 {
            guard let p = buckets[top].popLast().map(Int.init) else { top -= 1; continue }
            var label: Int32 = 0
            forEachNeighbour(p, width, height) { j in if label == 0 && labels[j] != 0 { label = labels[j] } }
            labels[p] = label
            forEachNeighbour(p, width, height) { j in
                if labels[j] == 0 && mask[j] != 0 && !queued[j] {
                    queued[j] = true
                    // Never above the current level: the flood only goes downhill from here.
                    let l = min(top, level(priority[j], levelsPerUnit))
                    buckets[l].append(Int32(j))
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
