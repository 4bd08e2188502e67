import SmearCells

/// The scale of a slide's images, measured once per slide from a sample of them.
///
/// One scanner run gives every image of one pixel size the same scale, so pooling the red
/// cells of many images is far steadier than trusting each image alone. Single-cell exports
/// show only a few red cells, partly hidden by the leukocyte or touching each other: on
/// deepapl training slides (0.1 µm/px) a tenth of the per-image estimates fall below
/// 0.05–0.07 µm/px. The slide scale is the median diameter of the lone red cells (round,
/// unnucleated, whole) pooled over the sample, or, when fewer than `minimumRedCells` show,
/// the median of the images' own estimates. Images are grouped by pixel size, so an
/// overview scan filed with the cells of its slide keeps a scale of its own.
public struct SlideScale: Sendable, Equatable {
    /// The scale of the slide's images of one pixel size.
    public struct Group: Sendable, Equatable {
        public var width: Int
        public var height: Int
        /// µm per source pixel.
        public var micronsPerPixel: Double
        /// Images of this size in the sample, and how many of them could be measured.
        public var sampled: Int
        public var measured: Int
        /// Lone red cells pooled, or 0 when the images' own estimates were used.
        public var redCells: Int

        public init(width: Int, height: Int, micronsPerPixel: Double, sampled: Int, measured: Int, redCells: Int) {
            self.width = width
            self.height = height
            self.micronsPerPixel = micronsPerPixel
            self.sampled = sampled
            self.measured = measured
            self.redCells = redCells
        }
    }

    /// Images measured per slide at most.
    public static let sampleSize = 24
    /// Lone red cells needed to pool them; with fewer, the images' own estimates are used.
    public static let minimumRedCells = 3
    /// A size needs at least this many measured images when the estimates are used; images
    /// of sizes without a group are estimated one by one.
    public static let minimumMeasured = 3

    /// One group per image size with enough measurements, ordered by size.
    public var groups: [Group]

    /// The sample of a slide with `imageCount` images: up to `sampleSize` indices spread
    /// evenly over the (sorted) image list, so every label folder of an export is visited.
    public static func sampleIndices(imageCount: Int) -> [Int] {
        let m = min(imageCount, sampleSize)
        return (0..<m).map { $0 * imageCount / m }
    }

    /// Pools `samples` by image size.
    public init(samples: [ScaleSample]) {
        let bySize = Dictionary(grouping: samples) { Size(width: $0.width, height: $0.height) }
        groups = bySize.compactMap { size, samples in
            let measured = samples.compactMap(\.micronsPerPixel)
            // Pooled red cells; anything under half their median is a platelet or debris.
            let pooled = samples.flatMap(\.redCellDiameters)
            let cells = pooled.isEmpty ? [] : pooled.filter { $0 >= 0.5 * ScaleEstimate.median(pooled) }
            let scale: Double
            if cells.count >= Self.minimumRedCells {
                scale = ScaleEstimate.micronsPerPixel(redCellDiameterPixels: ScaleEstimate.median(cells))
            } else if measured.count >= Self.minimumMeasured {
                scale = ScaleEstimate.median(measured)
            } else {
                return nil
            }
            return Group(width: size.width, height: size.height, micronsPerPixel: scale, sampled: samples.count,
                         measured: measured.count, redCells: cells.count >= Self.minimumRedCells ? cells.count : 0)
        }.sorted { ($0.width, $0.height) < ($1.width, $1.height) }
    }

    /// The slide scale for an image of this size, or nil when it must be estimated alone.
    public func micronsPerPixel(width: Int, height: Int) -> Double? {
        groups.first { $0.width == width && $0.height == height }?.micronsPerPixel
    }

    private struct Size: Hashable { var width: Int, height: Int }
}

/// One image's contribution to a `SlideScale`: its size, its own red-cell estimate and the
/// lone red cells it shows.
public struct ScaleSample: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// µm per source pixel, or nil when the image shows too few red cells to measure.
    public var micronsPerPixel: Double?
    /// Diameters (source pixels) of the lone red cells measured in the image.
    public var redCellDiameters: [Double]

    public init(width: Int, height: Int, micronsPerPixel: Double?, redCellDiameters: [Double] = []) {
        self.width = width
        self.height = height
        self.micronsPerPixel = micronsPerPixel
        self.redCellDiameters = redCellDiameters
    }
}
