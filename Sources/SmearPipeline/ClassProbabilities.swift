import SmearCells

/// One probability per cell class, in `CellClass.allCases` order.
///
/// Models list their classes in their own order; the pipeline maps them onto this fixed
/// order once, so every consumer (counts, CSV columns, reports) reads the same layout.
public struct ClassProbabilities: Sendable, Equatable {
    /// `CellClass.allCases.count` values in `CellClass.allCases` order.
    public let values: [Float]

    /// Wraps `values`, which must hold one entry per `CellClass` case, in case order.
    public init(_ values: [Float]) {
        precondition(values.count == CellClass.allCases.count,
                     "expected \(CellClass.allCases.count) probabilities, got \(values.count)")
        self.values = values
    }

    /// Probabilities given per class; classes not mentioned get 0.
    public init(_ byClass: [CellClass: Float]) {
        self.init(CellClass.allCases.map { byClass[$0] ?? 0 })
    }

    /// The probability of `cellClass`.
    public subscript(_ cellClass: CellClass) -> Float {
        values[CellClass.allCases.firstIndex(of: cellClass)!]
    }

    /// The most probable class and its probability; ties go to the class listed first,
    /// so the call is deterministic.
    public var top: (cellClass: CellClass, probability: Float) {
        var best = 0
        for i in 1..<values.count where values[i] > values[best] { best = i }
        return (CellClass.allCases[best], values[best])
    }
}
