/// What one epoch of training did.
public struct EpochRecord: Sendable, Codable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    public var steps: Int
    /// Mean training loss and accuracy (augmented crops, training-mode network).
    public var loss: Double
    public var accuracy: Double
    /// The learning rate at the epoch's last step.
    public var learningRate: Double
    public var seconds: Double
    public var imagesPerSecond: Double
    /// Validation figures, when there is a validation set.
    public var validation: ValidationSummary?
}

/// The headline validation figures of an epoch.
public struct ValidationSummary: Sendable, Codable, Equatable {
    public var cells: Int
    public var accuracy: Double
    public var macroF1: Double
    public var macroF1MinSupport: Double
    public var blastSensitivity: Double
    public var blastSpecificity: Double
    public var blastAUC: Double?
    public var expectedCalibrationError: Double
    public var slideBlastMAE: Double?

    public init(_ report: EvaluationReport) {
        cells = report.cellsEvaluated
        accuracy = report.metrics.accuracy
        macroF1 = report.metrics.macroF1
        macroF1MinSupport = report.metrics.macroF1MinSupport
        blastSensitivity = report.blastVsRest.topClass.sensitivity
        blastSpecificity = report.blastVsRest.topClass.specificity
        blastAUC = report.blastVsRest.auc
        expectedCalibrationError = report.calibration.expected
        slideBlastMAE = report.slides?.meanAbsoluteError
    }
}

/// Where a run stands: enough, with the seed, to continue it exactly.
public struct TrainingState: Sendable, Codable, Equatable {
    /// Epochs finished.
    public var completedEpochs: Int
    /// Optimiser steps taken (drives the learning-rate schedule).
    public var globalStep: Int
    public var configuration: TrainingConfiguration
    public var history: [EpochRecord]
    /// Training time so far, across resumptions.
    public var elapsedSeconds: Double
}
