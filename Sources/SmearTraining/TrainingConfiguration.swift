/// Every setting of a training run. Recorded in checkpoints and next to the trained model,
/// so a run can be resumed and repeated exactly.
public struct TrainingConfiguration: Sendable, Codable, Equatable {
    /// Passes over the (rebalanced) training set.
    public var epochs: Int
    /// Crops per optimiser step.
    public var batchSize: Int
    /// Peak learning rate (after warm-up).
    public var learningRate: Double
    /// "adamw" or "sgd".
    public var optimizer: String
    /// AdamW's decoupled decay, or SGD's L2 coefficient.
    public var weightDecay: Double
    /// SGD momentum (Nesterov).
    public var momentum: Double
    /// Warm-up length, in epochs (may be fractional).
    public var warmupEpochs: Double
    /// Final learning rate as a fraction of the peak.
    public var floorFraction: Double
    /// Global gradient-norm limit (0: no clipping).
    public var clipNorm: Double
    /// Label smoothing of the cross-entropy.
    public var labelSmoothing: Double
    /// Class rebalancing of the sampler: 0 natural, 1 equal per class.
    public var balancePower: Double
    /// Class rebalancing by loss weights, same scale (0: none).
    public var lossWeightPower: Double
    /// The seed of weights, split, sampling and augmentation.
    public var seed: UInt64
    /// Worker threads (results do not depend on it).
    public var threads: Int
    public var augmentation: AugmentationSettings

    public init(epochs: Int = 12, batchSize: Int = 64, learningRate: Double = 2e-3, optimizer: String = "adamw",
                weightDecay: Double = 0.02, momentum: Double = 0.9, warmupEpochs: Double = 0.5,
                floorFraction: Double = 0.02, clipNorm: Double = 5, labelSmoothing: Double = 0.05,
                balancePower: Double = 0.3, lossWeightPower: Double = 0, seed: UInt64 = 1, threads: Int = 2,
                augmentation: AugmentationSettings = .standard) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.optimizer = optimizer
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.warmupEpochs = warmupEpochs
        self.floorFraction = floorFraction
        self.clipNorm = clipNorm
        self.labelSmoothing = labelSmoothing
        self.balancePower = balancePower
        self.lossWeightPower = lossWeightPower
        self.seed = seed
        self.threads = threads
        self.augmentation = augmentation
    }

    /// The optimiser the settings name.
    public func makeOptimizer() throws(TrainingError) -> any Optimizer {
        switch optimizer {
        case "adamw": return AdamW(weightDecay: Float(weightDecay))
        case "sgd": return SGD(momentum: Float(momentum), nesterov: true, weightDecay: Float(weightDecay))
        default: throw TrainingError("unknown optimiser \"\(optimizer)\" (adamw or sgd)")
        }
    }
}

/// A training run that cannot go on, with a one-line reason.
public struct TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
