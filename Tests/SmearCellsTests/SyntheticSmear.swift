import SmearImaging

/// Synthetic smear images with known content, drawn at 0.1 µm per pixel.
enum SyntheticSmear {
    static let background = RGB(250, 232, 206)
    static let redCell = RGB(205, 125, 150)
    static let nucleus = RGB(85, 45, 140)
    static let cytoplasm = RGB(190, 170, 215)

    /// Paints a filled disk.
    static func disk(_ image: inout RGBImage, _ cx: Int, _ cy: Int, _ r: Int, _ colour: RGB) {
        for y in max(0, cy - r)...min(image.height - 1, cy + r) {
            for x in max(0, cx - r)...min(image.width - 1, cx + r) where (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r {
                image[x, y] = colour
            }
        }
    }

    /// A round leukocyte: a nucleus of radius `nucleus` in cytoplasm of radius `cell`.
    static func cell(_ image: inout RGBImage, _ cx: Int, _ cy: Int, nucleus: Int, cell: Int, cytoplasm: RGB = cytoplasm) {
        disk(&image, cx, cy, cell, cytoplasm)
        disk(&image, cx, cy, nucleus, Self.nucleus)
    }

    /// A field of red cells (diameter 75 px = 7.5 µm) on a grid, leaving the listed
    /// regions (centre, radius) free.
    static func redCells(_ image: inout RGBImage, avoiding free: [(Int, Int, Int)], colour: RGB = redCell) {
        for cy in stride(from: 45, to: image.height - 30, by: 95) {
            for cx in stride(from: 45, to: image.width - 30, by: 95) {
                if free.contains(where: { (cx - $0.0) * (cx - $0.0) + (cy - $0.1) * (cy - $0.1) < ($0.2 + 45) * ($0.2 + 45) }) { continue }
                disk(&image, cx, cy, 37, colour)
            }
        }
    }
}
