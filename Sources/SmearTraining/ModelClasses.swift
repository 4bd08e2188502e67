import SmearCells

/// A model's output classes matched to SmearScan's cell classes.
///
/// Models list classes in their own order; training needs each cell class's output index
/// and evaluation needs every output row in `CellClass.allCases` order.
public struct ModelClasses: Sendable, Equatable {
    /// The model's class names, in output order.
    public let names: [String]
    /// The same, as cell classes.
    public let cellClasses: [CellClass]
    private let indexOfClass: [CellClass: Int]

    /// Matches `names`; throws when one is not a cell class or appears twice.
    public init(names: [String], source: String) throws(ModelClassesError) {
        var classes: [CellClass] = []
        var index: [CellClass: Int] = [:]
        for (i, name) in names.enumerated() {
            guard let c = CellClass(rawValue: name) else {
                throw ModelClassesError(source: source, reason: "class \"\(name)\" is not a SmearScan cell class "
                                        + "(\(CellClass.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard index[c] == nil else { throw ModelClassesError(source: source, reason: "class \"\(name)\" is listed twice") }
            index[c] = i
            classes.append(c)
        }
        self.names = names
        cellClasses = classes
        indexOfClass = index
    }

    /// The output index of `cellClass`, or `nil` when the model lacks it.
    public func index(of cellClass: CellClass) -> Int? { indexOfClass[cellClass] }

    /// One output row re-ordered to `CellClass.allCases` (classes the model lacks get 0).
    public func inCellClassOrder(_ row: UnsafeBufferPointer<Float>) -> [Float] {
        CellClass.allCases.map { c in indexOfClass[c].map { row[$0] } ?? 0 }
    }
}

/// A model whose classes cannot be used.
public struct ModelClassesError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var reason: String
    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }
    public var description: String { "\(source): \(reason)" }
}
