/// The scale of a slide's images, measured once per slide from a sample of them.
///
/// One scanner run gives every image of one pixel size the same scale, so pooling the
/// red-cell measurements of many images is far steadier than trusting each image alone.
/// Single-cell exports show only a few red cells, partly hidden by the leukocyte: on deepapl
/// training slides (0.1 µm/px) a tenth of the per-image estimates fall below 0.05–0.07 µm/px,
/// while each slide's median stays within 7% of 0.1. Images are grouped by pixel size, so an
/// overview scan filed with the cells of its slide keeps a scale of its own.
public struct SlideScale: Sendable, Equatable {
    /// The scale of the slide's images of one pixel size.
    public struct Group: Sendable, Equatable {
        public var width: Int
        public var height: Int
        /// Median of the measured images, µm per source pixel.
        public var micronsPerPixel: Double
        /// Images of this size in the sample, and how many of them could be measured.
        public var sampled: Int
        public var measured: Int

        public init(width: Int, height: Int, micronsPerPixel: Double, sampled: Int, measured: Int) {
            self.width = width
            self.height = height
            self.micronsPerPixel = micronsPerPixel
            self.sampled = sampled
            self.measured = measured
        }
    }

    /// Images measured per slide at most.
    public static let sampleSize = 24
    /// A size needs at least this many measured images to get a slide scale; images of
    /// other sizes are estimated one by one.
    public static let minimumMeasured = 3

    /// One group per image size with enough measurements, ordered by size.
    public var groups: [Group]

    /// The sample of a slide with `imageCount` images: up to `sampleSize` indices spread
    /// evenly over the (sorted) image list, so every label folder of an export is visited.
    public static func sampleIndices(imageCount: Int) -> [Int] {
        let m = min(imageCount, sampleSize)
        return (0..<m).map { $0 * imageCount / m }
    }

    /// Pools `samples` by image size; sizes with fewer than `minimumMeasured` measurements
    /// get no group.
    public init(samples: [ScaleSample]) {
        var bySize: [Size: [Double?]] = [:]
        for sample in samples { bySize[Size(width: sample.width, height: sample.height), default: []].append(sample.micronsPerPixel) }
        groups = bySize.compactMap { size, values in
            let measured = values.compactMap { $0 }.sorted()
            guard measured.count >= Self.minimumMeasured else { return nil }
            let middle = measured.count / 2
            let median = measured.count % 2 == 1 ? measured[middle] : (measured[middle - 1] + measured[middle]) / 2
            return Group(width: size.width, height: size.height, micronsPerPixel: median,
                         sampled: values.count, measured: measured.count)
        }.sorted { ($0.width, $0.height) < ($1.width, $1.height) }
    }

    /// The slide scale for an image of this size, or nil when it must be estimated alone.
    public func micronsPerPixel(width: Int, height: Int) -> Double? {
        groups.first { $0.width == width && $0.height == height }?.micronsPerPixel
    }

    private struct Size: Hashable { var width: Int, height: Int }
}

/// One image's contribution to a `SlideScale`: its size and its own red-cell estimate.
public struct ScaleSample: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// µm per source pixel, or nil when the image shows too few red cells to measure.
    public var micronsPerPixel: Double?

    public init(width: Int, height: Int, micronsPerPixel: Double?) {
        self.width = width
        self.height = height
        self.micronsPerPixel = micronsPerPixel
    }
}
