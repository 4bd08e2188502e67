/// Filling of holes in byte masks: background regions enclosed by foreground.
public enum HoleFilling {
    /// Sets every 4-connected background region of `mask` that does not touch the image
    /// border and has at most `maxArea` pixels. `complement` and `labels` are scratch of
    /// the mask's size.
    public static func fill(_ mask: UnsafeMutableBufferPointer<UInt8>, width: Int, height: Int, maxArea: Int,
                            complement: UnsafeMutableBufferPointer<UInt8>, labels: UnsafeMutableBufferPointer<Int32>) {
        let n = width * height
        if n == 0 { return }
        for i in 0..<n { complement[i] = mask[i] ^ 1 }
        let count = ConnectedComponents.label(UnsafeBufferPointer(complement), width: width, height: height,
                                              connectivity: .four, labels: labels)
        if count == 0 { return }
        var area = [Int](repeating: 0, count: count + 1)
        for i in 0..<n { area[Int(labels[i])] += 1 }
        // Regions touching the border are the outside, not holes.
        func open(_ i: Int) { area[Int(labels[i])] = Int.max }
        for x in 0..<width { open(x); open((height - 1) * width + x) }
        for y in 0..<height { open(y * width); open(y * width + width - 1) }
        area[0] = Int.max
        for i in 0..<n where area[Int(labels[i])] <= maxArea { mask[i] = 1 }
    }
}
