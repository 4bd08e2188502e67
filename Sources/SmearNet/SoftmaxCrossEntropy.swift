import Foundation

/// Softmax cross-entropy loss of logits against integer labels, with optional per-class
/// weights and label smoothing, and its gradient with respect to the logits.
///
/// With smoothing ε the target is `(1 − ε)·onehot + ε/K`. Each image's loss
/// `−Σ_k target_k · log p_k` is weighted by `w[label]` (1 without weights) and the batch
/// loss is `Σ w_i·loss_i / Σ w_i`, so weights rebalance classes without changing the scale.
public enum SoftmaxCrossEntropy {
    /// Returns the loss and writes `∂loss/∂logits` (`batch × classes`) into `gradient`.
    public static func lossAndGradient(
        logits: UnsafeBufferPointer<Float>, labels: [Int], classes: Int, classWeights: [Float]?,
        labelSmoothing: Float, gradient: UnsafeMutablePointer<Float>
    ) -> Float {
        precondition(classWeights == nil || classWeights!.count == classes, "one weight per class")
        precondition(labelSmoothing >= 0 && labelSmoothing < 1)
        let batch = labels.count
        var totalWeight: Double = 0
        for label in labels {
            precondition(label >= 0 && label < classes, "label \(label) outside 0..<\(classes)")
            totalWeight += Double(classWeights?[label] ?? 1)
        }
        guard totalWeight > 0 else {
            gradient.update(repeating: 0, count: batch * classes)
            return 0
        }
        var loss: Double = 0
        let offTarget = labelSmoothing / Float(classes), onTarget = 1 - labelSmoothing + offTarget
        for (image, label) in labels.enumerated() {
            let z = logits.baseAddress! + image * classes, g = gradient + image * classes
            var top = -Float.infinity
            for k in 0..<classes { top = max(top, z[k]) }
            var sum: Double = 0
            for k in 0..<classes { sum += Foundation.exp(Double(z[k] - top)) }
            let logSum = Foundation.log(sum)
            let weight = Double(classWeights?[label] ?? 1)
            var imageLoss: Double = 0
            for k in 0..<classes {
                let logP = Double(z[k] - top) - logSum
                let target = Double(k == label ? onTarget : offTarget)
                imageLoss -= target * logP
                g[k] = Float(weight / totalWeight * (Foundation.exp(logP) - target))
            }
            loss += weight * imageLoss
        }
        return Float(loss / totalWeight)
    }
}
