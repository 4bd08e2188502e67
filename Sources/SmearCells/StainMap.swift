import Foundation
import SmearImaging

/// The stain-aware maps the locator thresholds, built at working resolution.
///
/// Colours are turned into optical densities relative to the image's own background
/// (`OD_c = ln(background_c / value_c)`, clipped at 0), which removes the illumination and
/// white balance of each lab's scanner. In Romanowsky stains the nuclear (azure/methylene
/// blue) dye absorbs red light while eosin, which colours red cells, absorbs green and some
/// blue; so `nucleus = OD_red - 0.5 * OD_blue` is high on leukocyte nuclei (and basophilic
/// cytoplasm), low on red cells and ~0 on background, whatever the overall staining
/// strength. `density = OD_r + OD_g + OD_b` separates anything stained from background.
public enum StainMap {
    /// How much of the blue density is subtracted from the red one in the nucleus map.
    public static let blueWeight: Float = 0.5

    /// The background (brightest common) colour: per channel, the median of the pixels whose
    /// brightness is in the top 15 %. Smear backgrounds are the plasma between cells, which
    /// is the brightest large area of every field.
    public static func backgroundColour(_ rgb: UnsafeBufferPointer<UInt8>, pixelCount n: Int) -> (Float, Float, Float) {
        if n == 0 { return (255, 255, 255) }
        var lumHist = [Int](repeating: 0, count: 766)
        for i in 0..<n {
            lumHist[Int(rgb[3 * i]) + Int(rgb[3 * i + 1]) + Int(rgb[3 * i + 2])] += 1
        }
        // Brightness at which the top 15 % starts.
        let wanted = max(1, n * 15 / 100)
        var acc = 0, cut = 765
        while cut > 0 { acc += lumHist[cut]; if acc >= wanted { break }; cut -= 1 }
        var hr = [Int](repeating: 0, count: 256), hg = hr, hb = hr
        var m = 0
        for i in 0..<n {
            let r = Int(rgb[3 * i]), g = Int(rgb[3 * i + 1]), b = Int(rgb[3 * i + 2])
            if r + g + b >= cut { hr[r] += 1; hg[g] += 1; hb[b] += 1; m += 1 }
        }
        func median(_ h: [Int]) -> Float {
            var a = 0
            for (v, c) in h.enumerated() { a += c; if 2 * a >= m { return Float(v) } }
            return 255
        }
        return (median(hr), median(hg), median(hb))
    }

    /// Per-channel optical-density lookup tables for a background colour.
    static func densityTables(background: (Float, Float, Float)) -> (r: [Float], g: [Float], b: [Float]) {
        (densityTable(background.0), densityTable(background.1), densityTable(background.2))
    }

    /// One channel's optical density for each 8-bit value, against that channel's background
    /// level: `ln(background / value)`, clipped at 0.
    static func densityTable(_ background: Float) -> [Float] {
        (0..<256).map { v in max(0, Float(log(Double(max(background, 1)) / Double(max(v, 1))))) }
    }

    /// Fills `nucleus` and `density` (one Float per pixel) from interleaved `rgb`.
    public static func build(_ rgb: UnsafeBufferPointer<UInt8>, pixelCount n: Int, background: (Float, Float, Float),
                             nucleus: UnsafeMutableBufferPointer<Float>, density: UnsafeMutableBufferPointer<Float>) {
        precondition(rgb.count >= 3 * n && nucleus.count >= n && density.count >= n)
        let t = densityTables(background: background)
        t.r.withUnsafeBufferPointer { lr in
            t.g.withUnsafeBufferPointer { lg in
                t.b.withUnsafeBufferPointer { lb in
                    for i in 0..<n {
                        let r = lr[Int(rgb[3 * i])], g = lg[Int(rgb[3 * i + 1])], b = lb[Int(rgb[3 * i + 2])]
                        nucleus[i] = r - blueWeight * b
                        density[i] = r + g + b
                    }
                }
            }
        }
    }
}
