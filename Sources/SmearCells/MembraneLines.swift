import SmearImaging

/// The source image behind the working planes, for the one pass that needs its full
/// resolution: the thin pale line between cells pressed together is a few source pixels wide
/// and is averaged away at the working resolution.
struct SourceDetail {
    let image: RGBImage
    /// Working pixels are `factor x factor` source blocks.
    let factor: Int
    /// Source µm per pixel.
    let micronsPerPixel: Double
    /// The image's background colour, for its optical densities (`StainMap`). The lookup
    /// tables are built only for a group that reaches `membraneLines`, which most images lack.
    let background: (Float, Float, Float)
}

extension LeukocyteLocator {
    /// Marks the cells of a group that thin pale lines divide: where two cells are pressed
    /// together, the membranes between them leave a line a few tenths of a micrometre wide that
    /// is less dense than the nuclei and cytoplasm on either side. Over the group (`localMask`
    /// over `box`) at source resolution, a pixel is on such a line when the mean density of its
    /// `membraneLineWidth` neighbourhood is `membraneLineDepth` below that of its
    /// `membraneLineWindow` neighbourhood; the lines, widened by a pixel, are cut out, and the
    /// rest falls into parts (4-connected). Parts of at least `rules.peakArea` working pixels'
    /// worth become markers `1...k` in `localLabels` (each working pixel takes the part at its
    /// block's centre); returns `k` (under 2: no line divides the group).
    func membraneLines(box: Box, source: SourceDetail, rules: SplitRules) -> Int {
        let c = configuration, f = source.factor, image = source.image
        let lw = box.width, lh = box.height
        let lm = localMask.reserve(lw * lh), ll = localLabels.reserve(lw * lh)
        let x0 = max(0, box.minX * f), y0 = max(0, box.minY * f)
        let x1 = min(image.width, (box.maxX + 1) * f), y1 = min(image.height, (box.maxY + 1) * f)
        let fw = x1 - x0, fh = y1 - y0
        if fw < 3 || fh < 3 { return 0 }
        let fn = fw * fh
        let den = sourceDensity.reserve(fn), sums = sourceSums.reserve((fw + 1) * (fh + 1))
        let part = sourceMask.reserve(fn), line = sourceLine.reserve(fn), wide = sourceWide.reserve(fn), tmp = sourceTmp.reserve(fn)
        let labels = sourceLabels.reserve(fn)
        let tables = StainMap.densityTables(background: source.background)
        tables.r.withUnsafeBufferPointer { tr in
            tables.g.withUnsafeBufferPointer { tg in
                tables.b.withUnsafeBufferPointer { tb in
                    image.pixels.withUnsafeBufferPointer { px in
                        for y in 0..<fh {
                            let row = ((y + y0) * image.width + x0) * 3, ly = (y + y0) / f - box.minY
                            for x in 0..<fw {
                                let o = row + 3 * x
                                den[y * fw + x] = tr[Int(px[o])] + tg[Int(px[o + 1])] + tb[Int(px[o + 2])]
                                part[y * fw + x] = lm[ly * lw + (x + x0) / f - box.minX]
                            }
                        }
                    }
                }
            }
        }
        // Summed-area table: each window mean costs four reads whatever its size.
        let sw = fw + 1
        for x in 0...fw { sums[x] = 0 }
        for y in 0..<fh {
            var run = 0.0
            sums[(y + 1) * sw] = 0
            for x in 0..<fw {
                run += Double(den[y * fw + x])
                sums[(y + 1) * sw + x + 1] = sums[y * sw + x + 1] + run
            }
        }
        @inline(__always) func mean(_ x: Int, _ y: Int, _ r: Int) -> Float {
            let a = max(0, x - r), b = max(0, y - r), e = min(fw, x + r + 1), g = min(fh, y + r + 1)
            let s = sums[g * sw + e] - sums[b * sw + e] - sums[g * sw + a] + sums[b * sw + a]
            return Float(s / Double((e - a) * (g - b)))
        }
        let s = source.micronsPerPixel
        let near = max(1, Int((c.membraneLineWidth / 2 / s).rounded()))
        let far = max(near + 1, Int((c.membraneLineWindow / s).rounded()))
        let depth = Float(c.membraneLineDepth)
        for y in 0..<fh {
            for x in 0..<fw {
                let i = y * fw + x
                line[i] = part[i] != 0 && mean(x, y, far) - mean(x, y, near) > depth ? 1 : 0
            }
        }
        // Widened by a pixel, so a line one pixel wide on a diagonal still parts its sides.
        Morphology.dilate(UnsafeBufferPointer(line), into: wide, tmp: tmp, width: fw, height: fh, radius: 1)
        for i in 0..<fn where wide[i] != 0 { part[i] = 0 }
        let k = ConnectedComponents.label(UnsafeBufferPointer(part), width: fw, height: fh, connectivity: .four, labels: labels)
        if k < 2 { return 0 }
        var area = [Int](repeating: 0, count: k + 1)
        for i in 0..<fn where labels[i] > 0 { area[Int(labels[i])] += 1 }
        var marker = [Int32](repeating: 0, count: k + 1), kept: Int32 = 0
        for p in 1...k where area[p] >= rules.peakArea * f * f { kept += 1; marker[p] = kept }
        if kept < 2 { return 0 }
        for i in 0..<(lw * lh) { ll[i] = 0 }
        for ly in 0..<lh {
            let fy = (ly + box.minY) * f + f / 2 - y0
            if fy < 0 || fy >= fh { continue }
            for lx in 0..<lw where lm[ly * lw + lx] != 0 {
                let fx = (lx + box.minX) * f + f / 2 - x0
                if fx < 0 || fx >= fw { continue }
                ll[ly * lw + lx] = marker[Int(labels[fy * fw + fx])]
            }
        }
        return Int(kept)
    }
}
