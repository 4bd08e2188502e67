import SmearImaging

/// Pictures of what the locator found, for a person to check: boxes drawn on the image.
public enum CellOverlay {
    /// Colour of boxes around whole cells.
    public static let wholeCell = RGB(230, 0, 0)
    /// Colour of boxes around cells cut by the image border.
    public static let borderCell = RGB(255, 150, 0)

    /// Colour of the outline of each cell's mask.
    public static let maskOutline = RGB(0, 200, 255)

    /// A copy of `image` with each cell's mask outlined, its box drawn (`thickness` pixels,
    /// inside the box) and a small dark square on its centre.
    public static func draw(_ result: LocatorResult, on image: RGBImage, thickness: Int = 3) -> RGBImage {
        var out = image
        for cell in result.cells { outline(cell.mask, on: &out) }
        for cell in result.cells {
            let colour = cell.touchesBorder ? borderCell : wholeCell
            let b = cell.bounds.intersection(image.bounds)
            if b.isEmpty { continue }
            let t = max(1, min(thickness, b.width / 2, b.height / 2))
            fill(&out, PixelRect(x: b.x, y: b.y, width: b.width, height: t), colour)
            fill(&out, PixelRect(x: b.x, y: b.maxY - t, width: b.width, height: t), colour)
            fill(&out, PixelRect(x: b.x, y: b.y, width: t, height: b.height), colour)
            fill(&out, PixelRect(x: b.maxX - t, y: b.y, width: t, height: b.height), colour)
            let r = 2 * t
            fill(&out, PixelRect(x: Int(cell.centerX) - r / 2, y: Int(cell.centerY) - r / 2, width: r, height: r), RGB(0, 0, 0))
        }
        return out
    }

    /// Paints the blocks of `mask` that have a 4-neighbour outside it, so a person sees
    /// where one cell ends and the next begins.
    static func outline(_ mask: CellMask, on image: inout RGBImage) {
        let f = mask.factor
        func inside(_ x: Int, _ y: Int) -> Bool {
            x >= 0 && y >= 0 && x < mask.width && y < mask.height && mask.bits[y * mask.width + x]
        }
        for y in 0..<mask.height {
            for x in 0..<mask.width where inside(x, y) {
                if inside(x - 1, y) && inside(x + 1, y) && inside(x, y - 1) && inside(x, y + 1) { continue }
                fill(&image, PixelRect(x: mask.originX + x * f, y: mask.originY + y * f, width: f, height: f), maskOutline)
            }
        }
    }

    /// Paints the part of `rect` inside the image.
    static func fill(_ image: inout RGBImage, _ rect: PixelRect, _ colour: RGB) {
        let r = rect.intersection(image.bounds)
        if r.isEmpty { return }
        let stride = image.rowBytes
        image.pixels.withUnsafeMutableBufferPointer { p in
            for y in r.y..<r.maxY {
                var i = y * stride + r.x * 3
                for _ in 0..<r.width { p[i] = colour.r; p[i + 1] = colour.g; p[i + 2] = colour.b; i += 3 }
            }
        }
    }
}
