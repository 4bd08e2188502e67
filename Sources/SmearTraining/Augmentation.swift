import Foundation
import SmearImaging

/// How much training crops vary, to match how smears vary between slides, stains and
/// scanners. Every range is symmetric around "no change".
public struct AugmentationSettings: Sendable, Codable, Equatable {
    /// Random flips and 90° rotations (the eight symmetries of the square): a cell has no
    /// preferred orientation.
    public var dihedral: Bool
    /// Further rotation, uniform in ±this many degrees.
    public var maxRotationDegrees: Double
    /// Scale factor range, e.g. 0.9...1.1 (cell sizes and the scanner's µm/px vary).
    public var minScale: Double
    public var maxScale: Double
    /// Shift of the cell centre, uniform in ±this many output pixels (the locator's centre is
    /// not exact).
    public var maxShift: Double
    /// Stain intensity: optical density multiplied by 1 ± this (uniform), all channels.
    public var stainIntensity: Double
    /// Stain colour: optical density of each channel multiplied by a further 1 ± this.
    public var stainChannel: Double
    /// Brightness: ± this fraction of full scale, added.
    public var brightness: Double
    /// Contrast: distance from the mean multiplied by 1 ± this.
    public var contrast: Double
    /// Hue: rotation about the grey axis, ± this many degrees.
    public var hueDegrees: Double
    /// Saturation: distance from grey multiplied by 1 ± this.
    public var saturation: Double
    /// Probability of a slight Gaussian blur, and its largest sigma in output pixels.
    public var blurProbability: Double
    public var maxBlurSigma: Double

    public init(dihedral: Bool, maxRotationDegrees: Double, minScale: Double, maxScale: Double, maxShift: Double,
                stainIntensity: Double, stainChannel: Double, brightness: Double, contrast: Double,
                hueDegrees: Double, saturation: Double, blurProbability: Double, maxBlurSigma: Double) {
        self.dihedral = dihedral
        self.maxRotationDegrees = maxRotationDegrees
        self.minScale = minScale
        self.maxScale = maxScale
        self.maxShift = maxShift
        self.stainIntensity = stainIntensity
        self.stainChannel = stainChannel
        self.brightness = brightness
        self.contrast = contrast
        self.hueDegrees = hueDegrees
        self.saturation = saturation
        self.blurProbability = blurProbability
        self.maxBlurSigma = maxBlurSigma
    }

    /// No change at all: the centre crop, as evaluation sees it.
    public static let none = AugmentationSettings(
        dihedral: false, maxRotationDegrees: 0, minScale: 1, maxScale: 1, maxShift: 0, stainIntensity: 0,
        stainChannel: 0, brightness: 0, contrast: 0, hueDegrees: 0, saturation: 0, blurProbability: 0, maxBlurSigma: 0)

    /// The training default: what Wright–Giemsa smears from different labs and scanners
    /// plausibly differ by.
    public static let standard = AugmentationSettings(
        dihedral: true, maxRotationDegrees: 15, minScale: 0.9, maxScale: 1.1, maxShift: 3, stainIntensity: 0.15,
        stainChannel: 0.07, brightness: 0.06, contrast: 0.15, hueDegrees: 6, saturation: 0.15,
        blurProbability: 0.25, maxBlurSigma: 0.8)

    /// The source margin a crop of `size` needs so no output pixel samples outside it:
    /// half the rotated, scaled square's extent plus the shift. Quarter turns and flips map
    /// the square onto itself, so only the small rotation widens it. Rounded up to the
    /// output's parity, so the output is an exact centre crop when nothing changes.
    public func sourceSize(forOutput size: Int) -> Int {
        let angle = min(45, maxRotationDegrees) * Double.pi / 180
        let half = Double(size) / 2 * max(1, maxScale) * (abs(cos(angle)) + abs(sin(angle))) + maxShift
        let side = Int((2 * half).rounded(.up))
        return side + (side - size) % 2
    }
}

/// Draws random variations of cell crops: geometry (dihedral symmetry, small rotation,
/// scale, shift), stain and colour (optical-density intensity and per-channel stain
/// jitter, brightness, contrast, hue, saturation) and slight blur.
///
/// All randomness comes from the `SplitMix64` passed in, in a fixed order, so a crop's
/// variation depends only on its seed: training is reproducible whatever the thread count.
public struct Augmenter: Sendable {
    public var settings: AugmentationSettings
    /// Side of the square output, in pixels.
    public var outputSize: Int

    public init(settings: AugmentationSettings, outputSize: Int) {
        precondition(outputSize > 0, "empty output")
        self.settings = settings
        self.outputSize = outputSize
    }

    /// A `outputSize`² variation of the centre of `source` (any size; pixels sampled outside
    /// it repeat its edge).
    public func apply(to source: RGBImage, random: inout SplitMix64) -> RGBImage {
        let s = settings
        // Draw every parameter first, always in the same order.
        let symmetry = s.dihedral ? random.below(8) : 0
        let angle = random.uniform(-1, 1) * s.maxRotationDegrees * Double.pi / 180
        let scale = s.minScale + (s.maxScale - s.minScale) * random.unit()
        let shiftX = random.uniform(-1, 1) * s.maxShift, shiftY = random.uniform(-1, 1) * s.maxShift
        let intensity = 1 + random.uniform(-1, 1) * s.stainIntensity
        let channelScale = (0..<3).map { _ in intensity * (1 + random.uniform(-1, 1) * s.stainChannel) }
        let brightness = random.uniform(-1, 1) * s.brightness * 255
        let contrast = 1 + random.uniform(-1, 1) * s.contrast
        let hue = random.uniform(-1, 1) * s.hueDegrees * Double.pi / 180
        let saturation = 1 + random.uniform(-1, 1) * s.saturation
        let blurSigma = random.chance(s.blurProbability) ? random.uniform(0.3, max(0.3, s.maxBlurSigma)) : 0

        let lut = Self.stainTables(channelScale: channelScale)
        let geometry = Self.inverseTransform(symmetry: symmetry, angle: angle, scale: scale)
        var plane = sample(source, lut: lut, geometry: geometry,
                           center: (Double(source.width) / 2 + shiftX, Double(source.height) / 2 + shiftY))
        Self.colour(&plane, matrix: Self.colourMatrix(hue: hue, saturation: saturation),
                    brightness: Float(brightness), contrast: Float(contrast))
        if blurSigma > 0 { Self.blur(&plane, size: outputSize, sigma: blurSigma) }
        return RGBImage(width: outputSize, height: outputSize) { out in
            for i in 0..<out.count { out[i] = UInt8(clamping: Int((plane[i] + 0.5).rounded(.down))) }
        }
    }

    /// Per-channel 256-entry tables scaling optical density, OD = −ln((v+1)/256).
    static func stainTables(channelScale: [Double]) -> [Float] {
        var table = [Float](repeating: 0, count: 3 * 256)
        for c in 0..<3 {
            for v in 0..<256 {
                let od = -log((Double(v) + 1) / 256)
                table[c * 256 + v] = Float(256 * exp(-od * channelScale[c]) - 1)
            }
        }
        return table
    }

    /// The 2×2 matrix taking output offsets to source offsets: the inverse of
    /// scale · rotation · symmetry.
    static func inverseTransform(symmetry: Int, angle: Double, scale: Double) -> (Double, Double, Double, Double) {
        // The symmetry: rotation by k·90° after an optional horizontal flip.
        let k = symmetry & 3, flip = symmetry >= 4
        let quarter: [(Double, Double, Double, Double)] = [(1, 0, 0, 1), (0, -1, 1, 0), (-1, 0, 0, -1), (0, 1, -1, 0)]
        var (a, b, c, d) = quarter[k]
        if flip { a = -a; c = -c }
        // Compose with the small rotation, then undo the scale (source = M · output / scale).
        let cr = cos(angle), sr = sin(angle)
        let ra = cr * a - sr * c, rb = cr * b - sr * d
        let rc = sr * a + cr * c, rd = sr * b + cr * d
        return (ra / scale, rb / scale, rc / scale, rd / scale)
    }

    /// Bilinear resampling through the stain tables into a Float RGB plane.
    private func sample(_ source: RGBImage, lut: [Float], geometry m: (Double, Double, Double, Double),
                        center: (Double, Double)) -> [Float] {
        let n = outputSize, w = source.width, h = source.height
        var plane = [Float](repeating: 0, count: n * n * 3)
        let half = Double(n) / 2
        source.pixels.withUnsafeBufferPointer { src in
            lut.withUnsafeBufferPointer { table in
                plane.withUnsafeMutableBufferPointer { out in
                    for y in 0..<n {
                        let oy = Double(y) + 0.5 - half
                        for x in 0..<n {
                            let ox = Double(x) + 0.5 - half
                            // Source pixel centres sit at integer + 0.5.
                            let sx = center.0 + m.0 * ox + m.1 * oy - 0.5
                            let sy = center.1 + m.2 * ox + m.3 * oy - 0.5
                            let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                            let fx = Float(sx - Double(x0)), fy = Float(sy - Double(y0))
                            let xa = min(w - 1, max(0, x0)), xb = min(w - 1, max(0, x0 + 1))
                            let ya = min(h - 1, max(0, y0)), yb = min(h - 1, max(0, y0 + 1))
                            let o = (y * n + x) * 3
                            for c in 0..<3 {
                                let t = c * 256
                                let p00 = table[t + Int(src[(ya * w + xa) * 3 + c])]
                                let p01 = table[t + Int(src[(ya * w + xb) * 3 + c])]
                                let p10 = table[t + Int(src[(yb * w + xa) * 3 + c])]
                                let p11 = table[t + Int(src[(yb * w + xb) * 3 + c])]
                                let top = p00 + (p01 - p00) * fx, bottom = p10 + (p11 - p10) * fx
                                out[o + c] = top + (bottom - top) * fy
                            }
                        }
                    }
                }
            }
        }
        return plane
    }

    /// Hue rotation about the grey axis (Rodrigues) followed by a saturation change.
    static func colourMatrix(hue: Double, saturation: Double) -> [Float] {
        let k = 1 / 3.0.squareRoot(), c = cos(hue), s = sin(hue)
        // R = c·I + s·[k]× + (1−c)·k kᵀ with k = (1,1,1)/√3.
        let diagonal = c + (1 - c) / 3, off = (1 - c) / 3
        let rotation: [Double] = [diagonal, off - s * k, off + s * k,
                                  off + s * k, diagonal, off - s * k,
                                  off - s * k, off + s * k, diagonal]
        // S = sat·I + (1−sat)·(1/3)·11ᵀ.
        var result = [Float](repeating: 0, count: 9)
        for r in 0..<3 {
            for col in 0..<3 {
                var v = 0.0
                for j in 0..<3 {
                    let sat = (r == j ? saturation : 0) + (1 - saturation) / 3
                    v += sat * rotation[j * 3 + col]
                }
                result[r * 3 + col] = Float(v)
            }
        }
        return result
    }

    /// Applies the colour matrix, then contrast about the plane's mean and brightness.
    static func colour(_ plane: inout [Float], matrix m: [Float], brightness: Float, contrast: Float) {
        let pixels = plane.count / 3
        guard pixels > 0 else { return }
        var sum: Float = 0
        plane.withUnsafeMutableBufferPointer { p in
            for i in 0..<pixels {
                let r = p[3 * i], g = p[3 * i + 1], b = p[3 * i + 2]
                p[3 * i] = m[0] * r + m[1] * g + m[2] * b
                p[3 * i + 1] = m[3] * r + m[4] * g + m[5] * b
                p[3 * i + 2] = m[6] * r + m[7] * g + m[8] * b
                sum += p[3 * i] + p[3 * i + 1] + p[3 * i + 2]
            }
            let mean = sum / Float(3 * pixels)
            for i in 0..<p.count { p[i] = mean + (p[i] - mean) * contrast + brightness }
        }
    }

    /// Separable Gaussian blur of a square RGB plane, edges repeated.
    static func blur(_ plane: inout [Float], size n: Int, sigma: Double) {
        let radius = max(1, Int((2 * sigma).rounded(.up)))
        var weights = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }
        var temp = plane
        convolve(plane, into: &temp, size: n, weights: weights, step: (1, 0))
        convolve(temp, into: &plane, size: n, weights: weights, step: (0, 1))
    }

    /// One 1-D pass of `blur` along `step`.
    private static func convolve(_ input: [Float], into output: inout [Float], size n: Int, weights: [Float], step: (Int, Int)) {
        let radius = weights.count / 2
        input.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                for y in 0..<n {
                    for x in 0..<n {
                        for c in 0..<3 {
                            var acc: Float = 0
                            for t in -radius...radius {
                                let sx = min(n - 1, max(0, x + t * step.0)), sy = min(n - 1, max(0, y + t * step.1))
                                acc += weights[t + radius] * src[(sy * n + sx) * 3 + c]
                            }
                            dst[(y * n + x) * 3 + c] = acc
                        }
                    }
                }
            }
        }
    }
}
