import SmearImaging

/// Packs crops into the network's input layout: `count × size × size × 3` bytes (NHWC).
///
/// Training crops are augmented with a generator seeded by (seed, epoch, position in the
/// epoch), so a batch's bytes depend on neither the thread count nor the order in which
/// threads finish.
struct TrainingBatch {
    let images: [RGBImage]
    let augmenter: Augmenter
    let seed: UInt64
    let threads: Int

    init(cache: CellImageCache, augmenter: Augmenter, seed: UInt64, threads: Int) {
        images = cache.images
        self.augmenter = augmenter
        self.seed = seed
        self.threads = threads
    }

    var cropBytes: Int { augmenter.outputSize * augmenter.outputSize * 3 }

    /// The augmented crops of `samples` (indices into the cache), the first being position
    /// `firstPosition` of epoch `epoch`.
    func bytes(samples: ArraySlice<Int>, epoch: Int, firstPosition: Int) -> [UInt8] {
        let list = Array(samples), augmenter = augmenter, seed = seed, images = images
        let crops = ParallelMap.map(count: list.count, threads: threads) { i, _ -> [UInt8] in
            var random = SplitMix64(seed: seed, stream: 0xA06_0000, UInt64(epoch), UInt64(firstPosition + i))
            return augmenter.apply(to: images[list[i]], random: &random).pixels
        }
        return crops.flatMap { $0 }
    }

    /// Un-augmented centre crops of every image (for validation).
    static func centreCrops(_ cache: CellImageCache, size: Int, threads: Int) -> [UInt8] {
        let plain = Augmenter(settings: .none, outputSize: size)
        let images = cache.images
        return ParallelMap.map(count: images.count, threads: threads) { i, _ -> [UInt8] in
            var unused = SplitMix64(seed: 0)
            return plain.apply(to: images[i], random: &unused).pixels
        }.flatMap { $0 }
    }
}
