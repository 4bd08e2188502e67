import Foundation
import SmearImaging

/// Finds leukocytes (nucleated white cells) in a decoded smear image.
///
/// The image is reduced to a working resolution of about
/// `configuration.workingMicronsPerPixel` (block averaging), turned into optical-density
/// maps relative to its own background (`StainMap`), and thresholded with thresholds taken
/// from its own histograms (Otsu), so Barcelona, Johns Hopkins and BCCD stains need no
/// tuning. Nucleus pixels are cleaned (opening, closing, hole filling) and labelled; a part is
/// kept when it is darker in the nucleus map than the red cells by the contrast rules, or
/// coloured unlike them and denser (`nucleusBlueShareGap`). Parts are grouped
/// into cells (lobes closer than `lobeGap` belong together, thin lobes of one granulocyte
/// closer than `lobedCellGap`), and groups holding several
/// round nuclei are split by a watershed on the distance transform from one marker per
/// nucleus core; large groups without two cores (nuclei pressed flat together) are split
/// where a valley of density runs between their nuclei, or, in sources fine enough to show
/// it, along the thin pale line their membranes leave (`membraneLines`), and so are the parts
/// of a core split that reach the image border (`refineParts`). Cytoplasm is the stained area
/// within `cytoplasmReach` of each nucleus.
/// Sizes are checked in µm² with the caller's scale, or one estimated from red cells.
///
/// A locator owns its scratch buffers and reuses them between images: use one instance
/// per thread (it is deliberately not `Sendable`).
public final class LeukocyteLocator {
    /// The physical rules in use.
    public let configuration: LocatorConfiguration

    // Working-resolution planes, reused between calls.
    let rgb = ScratchBuffer<UInt8>()
    let rowSums = ScratchBuffer<UInt32>()
    let nucleus = ScratchBuffer<Float>()
    let density = ScratchBuffer<Float>()
    let foreground = ScratchBuffer<UInt8>()
    let nucleusMask = ScratchBuffer<UInt8>()
    let tmpA = ScratchBuffer<UInt8>()
    let tmpB = ScratchBuffer<UInt8>()
    let labels = ScratchBuffer<Int32>()
    let groups = ScratchBuffer<Int32>()
    let cells = ScratchBuffer<Int32>()
    let queue = ScratchBuffer<Int32>()
    let distance = ScratchBuffer<Float>()
    // Per-group crops used while splitting.
    let localMask = ScratchBuffer<UInt8>()
    let localCores = ScratchBuffer<UInt8>()
    let localLabels = ScratchBuffer<Int32>()
    let localDistance = ScratchBuffer<Float>()
    let localComponents = ScratchBuffer<Int32>()
    let localDensity = ScratchBuffer<Float>()
    // `refineParts`: the parts before, the group's mask and the parts after.
    let partLabels = ScratchBuffer<Int32>()
    let groupMask = ScratchBuffer<UInt8>()
    let refinedLabels = ScratchBuffer<Int32>()
    // A group's box at source resolution (`membraneLines`).
    let sourceDensity = ScratchBuffer<Float>()
    let sourceSums = ScratchBuffer<Double>()
    let sourceMask = ScratchBuffer<UInt8>()
    let sourceLine = ScratchBuffer<UInt8>()
    let sourceWide = ScratchBuffer<UInt8>()
    let sourceTmp = ScratchBuffer<UInt8>()
    let sourceLabels = ScratchBuffer<Int32>()
    var distanceScratch = DistanceTransform.Scratch(maxSide: 0)

    /// A locator with the given rules.
    public init(configuration: LocatorConfiguration = LocatorConfiguration()) {
        self.configuration = configuration
    }

    /// Finds the leukocytes of `image`. `micronsPerPixel` is the source scale; when `nil`
    /// it is estimated from the red cells (`estimateScale`), falling back to 0.1 µm/px
    /// (CellaVision) when the image has too few red cells to measure.
    public func locate(_ image: RGBImage, micronsPerPixel: Double? = nil) -> LocatorResult {
        var estimated = false
        var scale = ScaleEstimate.fallbackMicronsPerPixel
        if let given = micronsPerPixel, given > 0 {
            scale = given
        } else if let e = estimateScale(image) {
            scale = e.micronsPerPixel; estimated = true
        }
        let factor = max(1, Int((configuration.workingMicronsPerPixel / scale).rounded()))
        return locate(image, micronsPerPixel: scale, factor: factor, estimated: estimated)
    }

    // MARK: - Shared preparation

    /// What `prepare` leaves in the scratch planes.
    struct Planes {
        var width: Int, height: Int
        var background: (Float, Float, Float)
        var foregroundThreshold: Float
    }

    /// Reduces `image` by `factor` and fills `rgb`, `nucleus`, `density` and `foreground`
    /// (density above `thresholdScale` times its Otsu threshold).
    func prepare(_ image: RGBImage, factor: Int, thresholdScale: Float = 1) -> Planes {
        let (w, h) = BlockReduction.size(width: image.width, height: image.height, factor: factor)
        let n = w * h
        let rgbBuf = rgb.reserve(3 * n)
        BlockReduction.reduce(image, factor: factor, into: rgbBuf, rowSums: rowSums.reserve(3 * w))
        let bg = StainMap.backgroundColour(UnsafeBufferPointer(rgbBuf), pixelCount: n)
        let nuc = nucleus.reserve(n), den = density.reserve(n)
        StainMap.build(UnsafeBufferPointer(rgbBuf), pixelCount: n, background: bg, nucleus: nuc, density: den)
        var hist = DensityHistogram(range: 6)
        let bins = hist.counts.count
        hist.counts.withUnsafeMutableBufferPointer { c in
            for i in 0..<n { c[min(bins - 1, Int(den[i] * DensityHistogram.binsPerUnit))] += 1 }
        }
        let split = hist.clamped(atQuantile: 0.8).otsuThreshold() ?? .infinity
        let tf = max(thresholdScale * split, Float(configuration.minForegroundDensity))
        let fg = foreground.reserve(n)
        for i in 0..<n { fg[i] = den[i] > tf ? 1 : 0 }
        return Planes(width: w, height: h, background: bg, foregroundThreshold: tf)
    }

    /// The nucleus threshold from the stained pixels' own nucleus-map histogram (after
    /// `prepare`), with that histogram, its median, the histogram of the eosin-stained pixels
    /// among them (nucleus map under `redCellStainRatio` times the density: red cells), and,
    /// given the blue channel's density table `blueOD`, their colours per bin.
    func nucleusThreshold(pixelCount n: Int, blueOD blueTable: [Float] = [])
        -> (histogram: DensityHistogram, eosin: DensityHistogram, colour: RedCellColour, stainedMedian: Float, threshold: Float) {
        let nuc = nucleus.reserve(n), den = density.reserve(n), fg = foreground.reserve(n), rgbBuf = rgb.reserve(3 * n)
        let ratio = Float(configuration.redCellStainRatio)
        var hist = DensityHistogram(range: 3), eosin = DensityHistogram(range: 3)
        let bins = hist.counts.count
        var colour = RedCellColour(bins: blueTable.isEmpty ? 0 : bins)
        hist.counts.withUnsafeMutableBufferPointer { b in
            eosin.counts.withUnsafeMutableBufferPointer { e in
                colour.sums.withUnsafeMutableBufferPointer { sums in
                    blueTable.withUnsafeBufferPointer { blueOD in
                        for i in 0..<n where fg[i] != 0 {
                            let bin = max(0, min(bins - 1, Int(nuc[i] * DensityHistogram.binsPerUnit)))
                            let isEosin = nuc[i] < ratio * den[i]
                            b[bin] += 1
                            if isEosin { e[bin] += 1 }
                            if !blueOD.isEmpty {
                                RedCellColour.add(sums, bin: bin, blue: Double(blueOD[Int(rgbBuf[3 * i + 2])]),
                                                  density: Double(den[i]), eosin: isEosin)
                            }
                        }
                    }
                }
            }
        }
        let stainedMedian = hist.quantile(0.5)
        let otsu = hist.otsuThreshold() ?? .infinity
        return (hist, eosin, colour, stainedMedian, max(otsu, stainedMedian + 0.05, Float(configuration.minNucleusThreshold)))
    }

    // MARK: - Locating

    func locate(_ image: RGBImage, micronsPerPixel scale: Double, factor: Int, estimated: Bool) -> LocatorResult {
        let s = scale * Double(factor)
        let planes = prepare(image, factor: factor)
        let w = planes.width, h = planes.height, n = w * h
        let c = configuration
        let px = { (microns: Double) -> Int in Int((microns / s).rounded()) }
        let pxArea = { (squareMicrons: Double) -> Int in Int((squareMicrons / (s * s)).rounded()) }

        let nuc = nucleus.reserve(n), fg = foreground.reserve(n)
        let blueOD = StainMap.densityTable(planes.background.2)
        let (hist, eosinHist, colour, stainedMedian, tn) = nucleusThreshold(pixelCount: n, blueOD: blueOD)
        let bins = hist.counts.count
        // The red cells' level: the median of the eosin-stained pixels below the nucleus
        // threshold, or where they are under 1% of the stained pixels, of all stained pixels
        // below it. Both keep a leukocyte filling much of a single-cell image from raising
        // it; the first also keeps out the basophilic cytoplasm of blasts packed together,
        // which otherwise lifts the level until their nuclei fail the contrast rules.
        var below = hist, eosin = eosinHist
        // (`tn` is infinite when nothing is stained: then every stained pixel is below.)
        let cut = tn.isFinite ? min(bins, below.bin(tn) + 1) : bins
        for bin in cut..<bins { below.counts[bin] = 0; eosin.counts[bin] = 0 }
        let eosinOnly = eosin.total > 0 && 100 * eosin.total >= hist.total
        let redCellLevel = eosinOnly ? eosin.quantile(0.5) : below.total > 0 ? below.quantile(0.5) : stainedMedian
        let minMean = max(stainedMedian + Float(c.minContrast), redCellLevel * Float(c.minContrastRatio))
        let largeMinMean = max(stainedMedian + Float(c.minContrast), redCellLevel * Float(c.largeNucleusContrastRatio))
        let largeLobe = pxArea(c.largeNucleusArea)
        // Nuclei stained magenta rather than violet (some slides) rise little above the red
        // cells in the nucleus map; their colour and density tell them apart instead.
        let redCells = colour.reading(below: cut, eosinOnly: eosinOnly, pixels: eosinOnly ? eosinHist : hist)

        let mask = nucleusMask.reserve(n)
        for i in 0..<n { mask[i] = (fg[i] != 0 && nuc[i] > tn) ? 1 : 0 }
        let a = tmpA.reserve(n), b = tmpB.reserve(n)
        let clean = px(0.4)
        if clean > 0 {
            Morphology.open(mask, scratch: a, b, width: w, height: h, radius: clean)
            Morphology.close(mask, scratch: a, b, width: w, height: h, radius: clean)
        }
        let lab = labels.reserve(n)

        // Lobes: drop debris and components too pale to be nuclei.
        let lobeCount = ConnectedComponents.label(UnsafeBufferPointer(mask), width: w, height: h, labels: lab)
        var lobeArea = [Int](repeating: 0, count: lobeCount + 1)
        var lobeSum = [Float](repeating: 0, count: lobeCount + 1)
        var lobeBox = [Box](repeating: Box(), count: lobeCount + 1)
        var lobeDensity = lobeSum, lobeBlue = lobeSum
        let den = density.reserve(n), rgbBuf = rgb.reserve(3 * n)
        for y in 0..<h {
            for x in 0..<w where lab[y * w + x] != 0 {
                let i = y * w + x, l = Int(lab[i])
                lobeArea[l] += 1; lobeSum[l] += nuc[i]; lobeBox[l].add(x, y)
                lobeDensity[l] += den[i]; lobeBlue[l] += blueOD[Int(rgbBuf[3 * i + 2])]
            }
        }
        let minLobe = max(1, pxArea(c.minLobeArea))
        let minNucleus = max(1, pxArea(c.minNucleusArea)), maxNucleus = pxArea(c.maxNucleusArea)
        let densityRatio = Float(c.nucleusDensityRatio), maxBlueShare = redCells.blueShare - Float(c.nucleusBlueShareGap)
        var keepLobe = [Bool](repeating: false, count: lobeCount + 1)
        for l in 1..<(lobeCount + 1) where lobeArea[l] >= minLobe {
            let area = Float(lobeArea[l]), mean = lobeSum[l] / area
            let unlikeRedCells = redCells.density > 0 && lobeArea[l] >= minNucleus
                && lobeDensity[l] >= densityRatio * redCells.density * area && lobeBlue[l] <= maxBlueShare * lobeDensity[l]
            keepLobe[l] = mean >= minMean || (lobeArea[l] >= largeLobe && mean >= largeMinMean) || unlikeRedCells
        }
        for i in 0..<n where lab[i] != 0 && !keepLobe[Int(lab[i])] { mask[i] = 0 }
        // Holes in kept lobes (pale nucleoli, threshold noise), filled box by box so the cost
        // follows the nuclei rather than the image.
        for l in 1..<(lobeCount + 1) where keepLobe[l] {
            fillHoles(of: Int32(l), box: lobeBox[l].padded(by: 1), width: w, height: h, maxArea: pxArea(10))
        }

        // Groups: lobes within `lobeGap` of each other.
        Morphology.dilate(UnsafeBufferPointer(mask), into: a, tmp: b, width: w, height: h,
                          radius: max(1, px(c.lobeGap / 2)))
        let grp = groups.reserve(n)
        let groupCount = ConnectedComponents.label(UnsafeBufferPointer(a), width: w, height: h, labels: grp)
        var groupBox = [Box](repeating: Box(), count: groupCount + 1)
        for y in 0..<h {
            for x in 0..<w where mask[y * w + x] != 0 { groupBox[Int(grp[y * w + x])].add(x, y) }
        }

        // Cells: each group, split where it holds several round nuclei.
        let cel = cells.filled(n, with: 0)
        var cellCount: Int32 = 0
        let rules = SplitRules(
            minPart: max(minNucleus, pxArea(c.minSplitArea)), minExtent: px(c.minSplitExtent),
            minPressedArea: pxArea(c.minPressedSplitArea), coreRadius: c.coreRadius / s, maxMergeExtent: px(c.maxMergeExtent),
            lobedThickness: c.lobedCellThickness / s, lobedMaxArea: pxArea(c.lobedCellMaxArea), lobedMaxExtent: px(c.lobedCellMaxExtent),
            minSpacing: c.minNucleusSpacing / s, borderMargin: px(c.borderMargin),
            peakArea: max(1, pxArea(c.densityPeakArea)), valleyDepth: Float(c.densityValleyDepth), peakOpening: clean)
        joinLobes(&groupBox, width: w, height: h, gap: px(c.lobedCellGap), minArea: minNucleus, rules: rules)
        let detail = scale <= c.membraneLineMaxSourceScale
            ? SourceDetail(image: image, factor: factor, micronsPerPixel: scale, background: planes.background)
            : nil
        for g in 1..<(groupCount + 1) {
            let box = groupBox[g]
            if box.count < minNucleus { continue }
            // One background pixel around the crop, so the distance transform sees the edge.
            let local = box.padded(by: 1)
            let parts = rules.mayHoldSeveral(box)
                ? splitGroup(Int32(g), box: local, width: w, height: h, rules: rules, source: detail)
                : 1
            // Too much nuclear material for one cell and no way to split it: not a leukocyte.
            if parts <= 1 && box.count > maxNucleus { continue }
            if parts <= 1 {
                cellCount += 1
                for y in box.minY...box.maxY {
                    for x in box.minX...box.maxX where grp[y * w + x] == Int32(g) && mask[y * w + x] != 0 {
                        cel[y * w + x] = cellCount
                    }
                }
            } else {
                let lw = local.width
                let ll = localLabels.reserve(local.width * local.height)
                for y in box.minY...box.maxY {
                    for x in box.minX...box.maxX {
                        let part = ll[(y - local.minY) * lw + (x - local.minX)]
                        if part > 0 { cel[y * w + x] = cellCount + part }
                    }
                }
                cellCount += Int32(parts)
            }
        }

        growCytoplasm(width: w, height: h, reach: max(1, px(c.cytoplasmReach)))

        let result = collect(cellCount: Int(cellCount), width: w, height: h, factor: factor, borderMargin: px(c.borderMargin),
                             sourceWidth: image.width, sourceHeight: image.height, stainedMedian: stainedMedian)
        let focus = FocusMeasure.laplacianVariance(UnsafeBufferPointer(nuc), width: w, height: h, micronsPerPixel: s)
        let bg = planes.background
        return LocatorResult(
            cells: result, micronsPerPixel: scale, scaleWasEstimated: estimated,
            workingMicronsPerPixel: s, reductionFactor: factor, focus: focus,
            backgroundRGB: [UInt8(bg.0), UInt8(bg.1), UInt8(bg.2)],
            foregroundThreshold: planes.foregroundThreshold.isFinite ? Double(planes.foregroundThreshold) : nil,
            nucleusThreshold: tn.isFinite ? Double(tn) : nil)
    }

    /// Fills the holes of lobe `l` (labels in `labels`) inside `box` into the nucleus mask.
    func fillHoles(of l: Int32, box: Box, width w: Int, height h: Int, maxArea: Int) {
        let lw = box.width, lh = box.height, ln = lw * lh
        let mask = nucleusMask.buffer, lab = labels.buffer
        let lm = localMask.reserve(ln), complement = localCores.reserve(ln), ll = localLabels.reserve(ln)
        for y in 0..<lh {
            for x in 0..<lw {
                let xx = x + box.minX, yy = y + box.minY
                lm[y * lw + x] = (xx >= 0 && yy >= 0 && xx < w && yy < h && lab[yy * w + xx] == l) ? 1 : 0
            }
        }
        HoleFilling.fill(lm, width: lw, height: lh, maxArea: maxArea, complement: complement, labels: ll)
        for y in 0..<lh {
            for x in 0..<lw where lm[y * lw + x] != 0 {
                let xx = x + box.minX, yy = y + box.minY
                if xx >= 0 && yy >= 0 && xx < w && yy < h { mask[yy * w + xx] = 1 }
            }
        }
    }

    /// Fills `localMask` with group `g`'s nucleus over `box` and `localDistance` with its squared
    /// distance transform; returns the largest value (the group's thickness, squared).
    func groupDistance(_ g: Int32, box: Box, width w: Int, height h: Int) -> Float {
        let lw = box.width, lh = box.height, ln = lw * lh
        let mask = nucleusMask.buffer, grp = groups.buffer
        let lm = localMask.reserve(ln), ld = localDistance.reserve(ln)
        // Outside the image the nucleus goes on as at the border (nearest in-image pixel), so a
        // nucleus cut by the border keeps its core instead of being thinned into a lobe that
        // would join its whole neighbour's cell.
        for y in 0..<lh {
            for x in 0..<lw {
                let xx = min(w - 1, max(0, x + box.minX)), yy = min(h - 1, max(0, y + box.minY))
                let i = yy * w + xx
                lm[y * lw + x] = (mask[i] != 0 && grp[i] == g) ? 1 : 0
            }
        }
        DistanceTransform.squared(UnsafeBufferPointer(lm), width: lw, height: lh, into: ld, scratch: &distanceScratch)
        var peak: Float = 0
        for i in 0..<ln where ld[i] > peak { peak = ld[i] }
        return peak
    }

    /// Joins groups further apart than `lobeGap` whose boxes lie within `gap` pixels of each
    /// other, each at least `minArea` pixels, when each is thin and together they look like the
    /// lobes of one granulocyte (`SplitRules.looksLobed`): a bilobed eosinophil whose lobes lie
    /// apart, or a pale nucleus seen only as its thin dark rims. The gap is measured between the
    /// boxes, which for parts lying diagonally is less than between the parts themselves (rims
    /// on opposite sides of a nucleus). Relabels `groups` and updates `boxes` (a group joined to
    /// another is left with an empty box).
    func joinLobes(_ boxes: inout [Box], width w: Int, height h: Int, gap: Int, minArea: Int, rules: SplitRules) {
        let grp = groups.reserve(w * h)
        var thin: [(group: Int, peak: Float)] = []
        for g in boxes.indices.dropFirst() where boxes[g].count >= minArea && boxes[g].count <= rules.lobedMaxArea {
            let box = boxes[g]
            let peak = groupDistance(Int32(g), box: box.padded(by: 1), width: w, height: h)
            if rules.looksLobed(peak: peak, count: box.count, extent: max(box.width, box.height)) { thin.append((g, peak)) }
        }
        for k in thin.indices where boxes[thin[k].group].count > 0 {
            for m in thin.indices.dropFirst(k + 1) where boxes[thin[m].group].count > 0 {
                let a = thin[k], b = thin[m], p = boxes[a.group], q = boxes[b.group]
                let dx = max(p.minX, q.minX) - min(p.maxX, q.maxX) - 1, dy = max(p.minY, q.minY) - min(p.maxY, q.maxY) - 1
                if max(dx, dy) > gap { continue }
                let joined = Box(minX: min(p.minX, q.minX), minY: min(p.minY, q.minY), maxX: max(p.maxX, q.maxX),
                                 maxY: max(p.maxY, q.maxY), count: p.count + q.count)
                let peak = max(a.peak, b.peak)
                if !rules.looksLobed(peak: peak, count: joined.count, extent: max(joined.width, joined.height)) { continue }
                for y in q.minY...q.maxY {
                    for x in q.minX...q.maxX where grp[y * w + x] == Int32(b.group) { grp[y * w + x] = Int32(a.group) }
                }
                boxes[a.group] = joined; boxes[b.group] = Box(); thin[k].peak = peak
            }
        }
    }

    /// Splits group `g` (bounding box `box`) by a watershed from its nucleus cores (then its
    /// parts at the border again, `refineParts`), else, when it holds `minPressedSplitArea`, at
    /// valleys of density, else (with `source`) along the membrane lines between pressed cells.
    /// Leaves part labels `1...k` in `localLabels` over the box and returns `k` (1 = no split).
    func splitGroup(_ g: Int32, box: Box, width w: Int, height h: Int, rules: SplitRules, source: SourceDetail?) -> Int {
        let minPart = rules.minPart
        let coreFraction = Float(configuration.coreFraction)
        let lw = box.width, lh = box.height, ln = lw * lh
        let cores = localCores.reserve(ln), ll = localLabels.reserve(ln)
        let peak = groupDistance(g, box: box, width: w, height: h)
        let lm = localMask.reserve(ln), ld = localDistance.reserve(ln)
        // (`box` has a pixel of margin on each side.)
        if rules.looksLobed(peak: peak, count: box.count, extent: max(box.width, box.height) - 2) { return 1 }
        // Cores: far enough from the edge in absolute terms (lobes have none) and relative
        // to the group's widest point, so two large touching nuclei joined by a wide neck
        // still give two cores.
        let r2 = max(Float(rules.coreRadius * rules.coreRadius), coreFraction * coreFraction * peak)
        for i in 0..<ln { cores[i] = ld[i] >= r2 ? 1 : 0 }
        let k = ConnectedComponents.label(UnsafeBufferPointer(cores), width: lw, height: lh, labels: ll)
        if k > 1 || (k == 1 && hasLooseLobes(core: ll, mask: lm, width: lw, height: lh, atLeast: minPart)) {
            for i in 0..<ln { ld[i] = ld[i].squareRoot() }
            let parts = divideGroup(markers: k, priority: UnsafeBufferPointer(ld), box: box, width: w, height: h, rules: rules)
            if parts > 1 { return refineParts(parts, box: box, width: w, height: h, rules: rules, source: source) }
            if k > 1 { return parts }
        }
        // One core or none: cells pressed flat together leave the distance transform no neck,
        // but the band of cytoplasm and membrane between their nuclei is a valley of density.
        // Only large groups are searched: a crease across one nucleus is a valley too.
        if box.count < rules.minPressedArea { return 1 }
        return splitPressed(box: box, width: w, height: h, rules: rules, source: source)
    }

    /// Splits the nuclear material in `localMask` over `box` at valleys of density, else (with
    /// `source`) along membrane lines; leaves part labels `1...k` in `localLabels` and returns
    /// `k` (1 = no split).
    func splitPressed(box: Box, width w: Int, height h: Int, rules: SplitRules, source: SourceDetail?) -> Int {
        var peaks = densityPeaks(box: box, width: w, height: h, rules: rules)
        // Cells pressed so tightly that no valley shows at the working resolution: the line
        // their membranes leave may still show at the source's.
        if peaks < 2, let source { peaks = membraneLines(box: box, source: source, rules: rules) }
        if peaks < 2 { return 1 }
        return divideGroup(markers: peaks, priority: UnsafeBufferPointer(localDensity.reserve(box.width * box.height)),
                           box: box, width: w, height: h, rules: rules)
    }

    /// Splits again the parts of a core split that reach the image border, as a group without
    /// cores is split (`splitPressed`). A whole cell pressed flat
    /// against a cell cut by the border leaves no neck, and when only the cut cell has a core
    /// (the border keeps it whole, see `splitGroup`) the whole one is flooded from it: the
    /// two are taken for one cell cut by the border and the whole one is lost to counting.
    /// Parts inside the image are left as they are: split again the same way, they lost more
    /// single cells in two than they gained pairs (session 10). Takes and leaves part labels
    /// `1...parts` in `localLabels` over `box`; returns the new number of parts.
    func refineParts(_ parts: Int, box: Box, width w: Int, height h: Int, rules: SplitRules, source: SourceDetail?) -> Int {
        let lw = box.width, lh = box.height, ln = lw * lh
        let lm = localMask.reserve(ln), ll = localLabels.reserve(ln)
        let searched = partBoxes(parts, box: box).map { $0.count > 0 && $0.reaches(edgeOf: w, h, within: rules.borderMargin) && rules.mayHoldSeveral($0) }
        if !searched.contains(true) { return parts }
        let before = partLabels.reserve(ln), group = groupMask.reserve(ln), after = refinedLabels.reserve(ln)
        for i in 0..<ln { before[i] = ll[i]; group[i] = lm[i]; after[i] = 0 }
        var total: Int32 = 0
        for p in 1...parts {
            let part = Int32(p)
            var pieces = 1
            if searched[p] {
                for i in 0..<ln { lm[i] = before[i] == part ? 1 : 0 }
                pieces = splitPressed(box: box, width: w, height: h, rules: rules, source: source)
            }
            for i in 0..<ln where before[i] == part { after[i] = total + (pieces > 1 ? ll[i] : 1) }
            total += Int32(pieces)
        }
        for i in 0..<ln { ll[i] = after[i]; lm[i] = group[i] }
        return Int(total)
    }

    /// Floods the group in `localMask` from the markers `1...k` in `localLabels` in order of
    /// decreasing `priority`, then settles loose lobes, small parts, parts closer than a
    /// nucleus and parts that fill one convex outline. Returns the number of parts left.
    func divideGroup(markers k: Int, priority: UnsafeBufferPointer<Float>, box: Box, width w: Int, height h: Int, rules: SplitRules) -> Int {
        let minPart = rules.minPart
        let lw = box.width, lh = box.height, ln = lw * lh
        let lm = localMask.reserve(ln), ll = localLabels.reserve(ln)
        Watershed.flood(labels: ll, mask: UnsafeBufferPointer(lm), priority: priority, width: lw, height: lh)
        // Lobes the flood could not reach (separate components, no core of their own): when
        // together they hold as much nucleus as a cell, they are one (the lobes of a
        // granulocyte beside a round nucleus); otherwise they go to the nearest core.
        var loose = 0
        for i in 0..<ln where lm[i] != 0 && ll[i] == 0 { loose += 1 }
        let lobedCell = loose >= minPart
        let kk = lobedCell ? k + 1 : k
        if kk < 2 { return 1 }
        if lobedCell { for i in 0..<ln where lm[i] != 0 && ll[i] == 0 { ll[i] = Int32(kk) } }
        var cx = [Double](repeating: 0, count: kk + 1), cy = cx, area = [Int](repeating: 0, count: kk + 1)
        for y in 0..<lh { for x in 0..<lw where ll[y * lw + x] > 0 {
            let p = Int(ll[y * lw + x]); cx[p] += Double(x); cy[p] += Double(y); area[p] += 1
        } }
        for p in 1...kk { cx[p] /= Double(max(1, area[p])); cy[p] /= Double(max(1, area[p])) }
        func nearest(_ x: Double, _ y: Double, excluding: Int) -> Int {
            var best = 0, bestD = Double.infinity
            for p in 1...kk where p != excluding && area[p] > 0 {
                let d = (cx[p] - x) * (cx[p] - x) + (cy[p] - y) * (cy[p] - y)
                if d < bestD { bestD = d; best = p }
            }
            return best
        }
        for y in 0..<lh { for x in 0..<lw where lm[y * lw + x] != 0 && ll[y * lw + x] == 0 {
            let p = nearest(Double(x), Double(y), excluding: 0)
            ll[y * lw + x] = Int32(p); area[p] += 1
        } }
        // Parts too small to be a nucleus of their own join their nearest neighbour.
        var remap = Array(0...kk)
        for p in 1...kk where area[p] < minPart {
            let q = nearest(cx[p], cy[p], excluding: p)
            if q > 0 { remap[p] = q; area[q] += area[p]; area[p] = 0 }
        }
        var parts = Self.relabel(ll, count: ln, merging: remap)
        if parts > 1 { parts = mergeCloseParts(parts, box: box, width: w, height: h, minSpacing: rules.minSpacing, borderMargin: rules.borderMargin) }
        return parts > 1 ? mergeConvexParts(parts, box: box, width: w, height: h, maxExtent: rules.maxMergeExtent, borderMargin: rules.borderMargin) : parts
    }

    /// Marks the nuclei of a group that a valley of density separates: the group's pixels
    /// (`localMask` over `box`) denser than a level, opened, fall into two or more components of
    /// at least `rules.peakArea` pixels, and still do `rules.valleyDepth` higher up, so the
    /// band between them is a real valley rather than chromatin texture. Levels are tried
    /// upwards from the group's 2% density quantile in steps of the valley depth, and below the
    /// first that splits in steps of 0.05; the lowest splitting level decides. Leaves the peaks
    /// labelled `1...k` in `localLabels` and the density over the box in `localDensity`, and
    /// returns `k` (under 2 when no level splits the group).
    func densityPeaks(box: Box, width w: Int, height h: Int, rules: SplitRules) -> Int {
        let lw = box.width, lh = box.height, ln = lw * lh
        let lm = localMask.reserve(ln), ll = localLabels.reserve(ln), local = localDensity.reserve(ln)
        let peak = localCores.reserve(ln), a = tmpA.reserve(ln), b = tmpB.reserve(ln)
        let den = density.buffer
        var hist = DensityHistogram(range: 6)
        for y in 0..<lh {
            for x in 0..<lw {
                let xx = min(w - 1, max(0, x + box.minX)), yy = min(h - 1, max(0, y + box.minY))
                let v = den[yy * w + xx]
                local[y * lw + x] = v
                if lm[y * lw + x] != 0 { hist.counts[hist.bin(v)] += 1 }
            }
        }
        // Components of the pixels above `level` with at least `peakArea` pixels, labelled
        // 1...k (fewer than two components are counted as found, without the area rule).
        func peaks(above level: Float) -> Int {
            for i in 0..<ln { peak[i] = (lm[i] != 0 && local[i] > level) ? 1 : 0 }
            if rules.peakOpening > 0 { Morphology.open(peak, scratch: a, b, width: lw, height: lh, radius: rules.peakOpening) }
            let k = ConnectedComponents.label(UnsafeBufferPointer(peak), width: lw, height: lh, labels: ll)
            if k < 2 { return k }
            var area = [Int](repeating: 0, count: k + 1)
            for i in 0..<ln where ll[i] > 0 { area[Int(ll[i])] += 1 }
            return Self.relabel(ll, count: ln, merging: (0...k).map { area[$0] >= rules.peakArea ? $0 : 0 })
        }
        // Coarse steps of the valley depth find a split that deep valleys keep over a whole
        // step; finer steps below it find where it starts.
        let bottom = hist.quantile(0.02), top = hist.quantile(0.98), fine: Float = 0.05
        var coarse = bottom
        while coarse < top {
            if peaks(above: coarse) >= 2 {
                var level = max(bottom, coarse - rules.valleyDepth + fine)
                while level < coarse && peaks(above: level) < 2 { level += fine }
                if peaks(above: level + rules.valleyDepth) < 2 { return 0 }
                return peaks(above: level)
            }
            coarse += max(fine, rules.valleyDepth)
        }
        return 0
    }

    /// Merges parts (labels `1...parts` in `localLabels` over `box`) whose centres are closer
    /// than `minSpacing` pixels: two nuclei of their own lie at least a nucleus apart, so such
    /// parts are pieces of one (a nucleus and the loose lobes around it that a split took for a
    /// cell, or halves cut along a fold). A part within `borderMargin` of the image border is
    /// left alone: its centre says nothing (several cells cut together can centre on a whole
    /// one). Returns the number of parts left.
    func mergeCloseParts(_ parts: Int, box: Box, width w: Int, height h: Int, minSpacing: Double, borderMargin m: Int) -> Int {
        let lw = box.width, lh = box.height
        let ll = localLabels.reserve(lw * lh)
        var cx = [Double](repeating: 0, count: parts + 1), cy = cx, area = cx
        for y in 0..<lh { for x in 0..<lw where ll[y * lw + x] > 0 {
            let p = Int(ll[y * lw + x]); cx[p] += Double(x); cy[p] += Double(y); area[p] += 1
        } }
        let cut = partBoxes(parts, box: box).map { $0.reaches(edgeOf: w, h, within: m) }
        for p in 1...parts where area[p] > 0 { cx[p] /= area[p]; cy[p] /= area[p] }
        var remap = Array(0...parts), merged = false
        func root(_ p: Int) -> Int { var q = p; while remap[q] != q { q = remap[q] }; return q }
        for a in 1...parts where !cut[a] {
            for b in (a + 1)..<(parts + 1) where !cut[b] {
                let dx = cx[a] - cx[b], dy = cy[a] - cy[b]
                if (dx * dx + dy * dy).squareRoot() < minSpacing, root(a) != root(b) { remap[root(b)] = root(a); merged = true }
            }
        }
        return merged ? Self.relabel(ll, count: lw * lh, merging: remap) : parts
    }

    /// Whether the pixels of `mask` outside the components that hold a `core` pixel number at
    /// least `atLeast`: a linear pass, so a group with one core skips the flood when it has
    /// no lobed cell beside it (the common case).
    func hasLooseLobes(core: UnsafeMutableBufferPointer<Int32>, mask: UnsafeMutableBufferPointer<UInt8>,
                       width lw: Int, height lh: Int, atLeast: Int) -> Bool {
        let ln = lw * lh
        let comp = localComponents.reserve(ln)
        let count = ConnectedComponents.label(UnsafeBufferPointer(mask), width: lw, height: lh, labels: comp)
        var cored = [Bool](repeating: false, count: count + 1)
        for i in 0..<ln where core[i] > 0 { cored[Int(comp[i])] = true }
        var loose = 0
        for i in 0..<ln where comp[i] > 0 && !cored[Int(comp[i])] { loose += 1 }
        return loose >= atLeast
    }

    /// Merges back parts (labels `1...parts` in `localLabels`) that together fill one convex
    /// outline: pieces of one nucleus cut apart along a pale line or fold, or fat lobes side
    /// by side, leave no notch between them, while two touching round nuclei do. Greedy, the
    /// most convex pair first, while its hull is at most `mergeConvexity` times the sum of
    /// the two parts' own hulls. Returns the number of parts left.
    func mergeConvexParts(_ parts: Int, box: Box, width w: Int, height h: Int, maxExtent: Int, borderMargin m: Int) -> Int {
        let lw = box.width, lh = box.height
        let limit = configuration.mergeConvexity
        let ll = localLabels.reserve(lw * lh)
        var spans = [[ConvexHull.Span]](repeating: [ConvexHull.Span](repeating: .empty, count: lh), count: parts + 1)
        for y in 0..<lh {
            for x in 0..<lw where ll[y * lw + x] > 0 { spans[Int(ll[y * lw + x])][y].add(x) }
        }
        var hull = spans.map { ConvexHull.area(spans: $0) }
        // A part cut by the image border has a cut hull too, which hides its notches: it is
        // never merged back. Cut means within `borderMargin`, as for the cells reported: a
        // whole cell merged with a part that is reported cut would be lost to counting.
        var alive = partBoxes(parts, box: box).map { !$0.reaches(edgeOf: w, h, within: m) }
        var remap = Array(0...parts), merged = 0
        var left = alive.dropFirst().filter { $0 }.count
        while left > 1 {
            var best = (a: 0, b: 0, ratio: Double.infinity, spans: [ConvexHull.Span]())
            for a in 1...parts where alive[a] {
                for b in (a + 1)..<(parts + 1) where alive[b] {
                    let joined = zip(spans[a], spans[b]).map { $0.union($1) }
                    if ConvexHull.extent(spans: joined) > maxExtent { continue }
                    let ratio = ConvexHull.area(spans: joined) / max(1, hull[a] + hull[b])
                    if ratio < best.ratio { best = (a, b, ratio, joined) }
                }
            }
            if best.ratio > limit { break }
            spans[best.a] = best.spans; hull[best.a] = ConvexHull.area(spans: best.spans)
            alive[best.b] = false; remap[best.b] = best.a; left -= 1; merged += 1
        }
        if merged == 0 { return parts }
        return Self.relabel(ll, count: lw * lh, merging: remap)
    }

    /// The bounding boxes, in image coordinates, of parts `1...parts` (labels in `localLabels`
    /// over `box`); index 0 is unused. A part is cut by the border when its box `reaches` it.
    func partBoxes(_ parts: Int, box: Box) -> [Box] {
        let lw = box.width, lh = box.height
        let ll = localLabels.reserve(lw * lh)
        var boxes = [Box](repeating: Box(), count: parts + 1)
        for y in 0..<lh {
            for x in 0..<lw where ll[y * lw + x] > 0 { boxes[Int(ll[y * lw + x])].add(x + box.minX, y + box.minY) }
        }
        return boxes
    }

    /// Applies `remap` (part `p` joins part `remap[p]`, chains allowed, `remap[p] == p` for
    /// the parts that stay, `remap[p] == 0` for parts dropped to background) to the first
    /// `count` labels and numbers the remaining parts `1...k` in order. Returns `k`.
    static func relabel(_ labels: UnsafeMutableBufferPointer<Int32>, count: Int, merging remap: [Int]) -> Int {
        var root = remap
        for p in root.indices { var q = root[p]; while root[q] != q { q = root[q] }; root[p] = q }
        var dense = [Int32](repeating: 0, count: root.count), parts: Int32 = 0
        for p in 1..<root.count where root[p] == p { parts += 1; dense[p] = parts }
        for i in 0..<count where labels[i] > 0 { labels[i] = dense[root[Int(labels[i])]] }
        return Int(parts)
    }

    /// Extends the nucleus labels in `cells` over stained pixels up to `reach` pixels away
    /// (breadth-first, 8-neighbours, first come first served), giving each cell its cytoplasm.
    func growCytoplasm(width w: Int, height h: Int, reach: Int) {
        let n = w * h
        let cel = cells.reserve(n), fg = foreground.reserve(n), q = queue.reserve(n)
        var tail = 0
        for i in 0..<n where cel[i] != 0 { q[tail] = Int32(i); tail += 1 }
        var head = 0
        for _ in 0..<reach {
            let levelEnd = tail
            if head == levelEnd { break }
            while head < levelEnd {
                let p = Int(q[head]); head += 1
                let x = p % w, y = p / w, label = cel[p]
                for dy in -1...1 {
                    let yy = y + dy
                    if yy < 0 || yy >= h { continue }
                    for dx in -1...1 {
                        let xx = x + dx
                        if xx < 0 || xx >= w { continue }
                        let j = yy * w + xx
                        if cel[j] == 0 && fg[j] != 0 { cel[j] = label; q[tail] = Int32(j); tail += 1 }
                    }
                }
            }
        }
    }

    /// Turns the labelled `cells` plane into `LocatedCell`s in source coordinates.
    func collect(cellCount: Int, width w: Int, height h: Int, factor f: Int, borderMargin m: Int,
                 sourceWidth: Int, sourceHeight: Int, stainedMedian: Float) -> [LocatedCell] {
        if cellCount == 0 { return [] }
        let n = w * h
        let cel = cells.reserve(n), mask = nucleusMask.reserve(n), nuc = nucleus.reserve(n)
        var cellBox = [Box](repeating: Box(), count: cellCount + 1)
        var nucBox = cellBox
        var sx = [Double](repeating: 0, count: cellCount + 1), sy = sx, sumN = sx
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x, l = Int(cel[i])
                if l == 0 { continue }
                cellBox[l].add(x, y); sx[l] += Double(x); sy[l] += Double(y)
                if mask[i] != 0 { nucBox[l].add(x, y); sumN[l] += Double(nuc[i]) }
            }
        }
        func source(_ b: Box) -> PixelRect {
            let x0 = b.minX * f, y0 = b.minY * f
            return PixelRect(x: x0, y: y0, width: min(sourceWidth, (b.maxX + 1) * f) - x0,
                             height: min(sourceHeight, (b.maxY + 1) * f) - y0)
        }
        var out: [LocatedCell] = []
        out.reserveCapacity(cellCount)
        for l in 1...cellCount where nucBox[l].count > 0 {
            let cb = cellBox[l], nb = nucBox[l]
            var bits = [Bool](repeating: false, count: cb.width * cb.height)
            for y in cb.minY...cb.maxY {
                for x in cb.minX...cb.maxX where cel[y * w + x] == Int32(l) {
                    bits[(y - cb.minY) * cb.width + (x - cb.minX)] = true
                }
            }
            let count = Double(cb.count)
            // Cut when the nucleus reaches the edge: the cytoplasm (stained pixels near the
            // nucleus) takes in the red cells pressed against a cell and would reach the edge
            // through them.
            let border = nb.reaches(edgeOf: w, h, within: m)
            out.append(LocatedCell(
                centerX: min(Double(sourceWidth - 1), (sx[l] / count + 0.5) * Double(f) - 0.5),
                centerY: min(Double(sourceHeight - 1), (sy[l] / count + 0.5) * Double(f) - 0.5),
                bounds: source(cb), nucleusBounds: source(nb),
                nucleusArea: nb.count * f * f, cellArea: cb.count * f * f,
                touchesBorder: border,
                score: sumN[l] / Double(nb.count) - Double(stainedMedian),
                mask: CellMask(originX: cb.minX * f, originY: cb.minY * f, factor: f,
                               width: cb.width, height: cb.height, bits: bits)))
        }
        return out
    }
}

/// `LocatorConfiguration`'s splitting rules for one image, in its working pixels (lengths in
/// pixels, areas in pixel counts).
struct SplitRules {
    /// Smallest part a split may leave as a cell (`minSplitArea`).
    let minPart: Int
    /// Only nuclear material spanning more than this is split (`minSplitExtent`).
    let minExtent: Int
    /// Only groups holding this much are split without a neck (`minPressedSplitArea`).
    let minPressedArea: Int
    let coreRadius: Double
    let maxMergeExtent: Int
    /// The lobed-cell rule (`lobedCell…`).
    let lobedThickness: Double
    let lobedMaxArea: Int
    let lobedMaxExtent: Int
    /// `minNucleusSpacing` and `borderMargin`.
    let minSpacing: Double
    let borderMargin: Int
    /// The density-valley rule (`densityPeakArea`, `densityValleyDepth`) and the opening
    /// that cuts thin bridges between the peaks (pixels).
    let peakArea: Int
    let valleyDepth: Float
    let peakOpening: Int

    /// The lobes of one granulocyte (eosinophils show two fat ones): no part of them further than
    /// `lobedThickness` from the edge (`peak` is the squared distance transform's maximum), little
    /// nuclear material (`count` pixels), close together (`extent`, the longer side of their box).
    /// Two nuclei of their own are fatter, larger or further apart.
    func looksLobed(peak: Float, count: Int, extent: Int) -> Bool {
        peak <= Float(lobedThickness * lobedThickness) && count <= lobedMaxArea && extent <= lobedMaxExtent
    }

    /// Whether nuclear material with bounding box `box` may hold more than one cell: enough of
    /// it for two parts, spread wider than one cell's.
    func mayHoldSeveral(_ box: Box) -> Bool {
        box.count >= 2 * minPart && max(box.width, box.height) > minExtent
    }
}

/// A running bounding box and pixel count.
struct Box {
    var minX = Int.max, minY = Int.max, maxX = Int.min, maxY = Int.min, count = 0
    @inline(__always) mutating func add(_ x: Int, _ y: Int) {
        if x < minX { minX = x }
        if x > maxX { maxX = x }
        if y < minY { minY = y }
        if y > maxY { maxY = y }
        count += 1
    }
    var width: Int { count == 0 ? 0 : maxX - minX + 1 }
    /// The box grown by `margin` on every side (it may then reach outside the image).
    func padded(by margin: Int) -> Box {
        Box(minX: minX - margin, minY: minY - margin, maxX: maxX + margin, maxY: maxY + margin, count: count)
    }
    var height: Int { count == 0 ? 0 : maxY - minY + 1 }
    /// Whether the box comes within `margin` pixels of the edge of a `w` x `h` image.
    func reaches(edgeOf w: Int, _ h: Int, within margin: Int) -> Bool {
        minX <= margin || minY <= margin || maxX >= w - 1 - margin || maxY >= h - 1 - margin
    }
}
