import SmearImaging

/// Crops for the classifier: a located cell, centred, at the model's size and scale.
public enum CellCrop {
    /// A `width x height` crop of `image` centred on `cell`, resampled from
    /// `sourceMicronsPerPixel` to `targetMicronsPerPixel` (area-averaging when shrinking).
    /// Parts outside the image are filled with `fill`, normally the result's background
    /// colour, so border cells keep their place in the crop.
    public static func crop(_ cell: LocatedCell, from image: RGBImage, width: Int, height: Int,
                            targetMicronsPerPixel: Double, sourceMicronsPerPixel: Double,
                            fill: RGB = RGB(255, 255, 255)) -> RGBImage {
        precondition(width > 0 && height > 0 && targetMicronsPerPixel > 0 && sourceMicronsPerPixel > 0)
        let ratio = targetMicronsPerPixel / sourceMicronsPerPixel
        let sw = max(1, Int((Double(width) * ratio).rounded()))
        let sh = max(1, Int((Double(height) * ratio).rounded()))
        let x0 = Int((cell.centerX + 0.5 - Double(sw) / 2).rounded())
        let y0 = Int((cell.centerY + 0.5 - Double(sh) / 2).rounded())
        let region = image.cropped(to: PixelRect(x: x0, y: y0, width: sw, height: sh), fill: fill)
        return region.resized(width: width, height: height)
    }
}
