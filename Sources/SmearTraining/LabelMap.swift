import SmearNet
import Foundation
import SmearCells

/// Maps dataset label names (folder names such as "Blast, no lineage spec" or PBC's `ig`)
/// and file-name prefixes (PBC's `ig/PMY_…`) to SmearScan's cell classes.
///
/// The mapping ships as an editable JSON file (`Models/label-map.json`) so a lab can add its
/// own folder names without renaming anything. Matching ignores case and surrounding white
/// space. A label that is neither mapped nor ignored resolves to `.unknown`: datasets report
/// such labels instead of guessing or failing.
public struct LabelMap: Sendable, Equatable {
    /// A file-name prefix that refines one label, e.g. `ig` + `PMY` → promyelocyte.
    public struct PrefixRule: Sendable, Equatable {
        /// The label (folder name) the rule applies to.
        public var label: String
        /// The file-name prefix, matched without case and only when followed by a
        /// non-letter (so `MY` matches `MY_123.jpg` but not `MYELO.jpg`).
        public var prefix: String
        /// The class the rule assigns.
        public var cellClass: CellClass

        public init(label: String, prefix: String, cellClass: CellClass) {
            self.label = label
            self.prefix = prefix
            self.cellClass = cellClass
        }
    }

    /// What a label (and optionally a file name) resolves to.
    public enum Resolution: Sendable, Equatable {
        /// A cell of this class.
        case cell(CellClass)
        /// A label listed as ignored (artefacts, unidentified cells).
        case ignored
        /// A label the map does not know.
        case unknown
    }

    /// Label → class, keyed by the label as written in the file.
    public private(set) var labels: [String: CellClass]
    /// Prefix rules, tried longest prefix first.
    public private(set) var prefixRules: [PrefixRule]
    /// Labels whose images are skipped.
    public private(set) var ignored: [String]
    /// A human description of the mapping.
    public var description: String

    private var byKey: [String: CellClass] = [:]
    private var ignoredKeys: Set<String> = []

    /// A map from its parts. Throws when two labels differ only in case yet map to different
    /// classes, when a label is both mapped and ignored, or when a prefix rule names a label
    /// the map does not list.
    public init(labels: [String: CellClass], prefixRules: [PrefixRule] = [], ignored: [String] = [],
                description: String = "", source: String = "<memory>") throws(LabelMapError) {
        self.labels = labels
        self.prefixRules = prefixRules.sorted { $0.prefix.count > $1.prefix.count }
        self.ignored = ignored
        self.description = description
        for (label, cellClass) in labels.sorted(by: { $0.key < $1.key }) {
            let key = Self.key(label)
            if let existing = byKey[key], existing != cellClass {
                throw LabelMapError(source: source, location: "labels.\"\(label)\"",
                                    reason: "maps to \(cellClass.rawValue) but a label differing only in case maps to \(existing.rawValue)")
            }
            byKey[key] = cellClass
        }
        for label in ignored {
            let key = Self.key(label)
            if byKey[key] != nil {
                throw LabelMapError(source: source, location: "ignored.\"\(label)\"", reason: "label is both mapped and ignored")
            }
            ignoredKeys.insert(key)
        }
        for (index, rule) in prefixRules.enumerated() {
            if byKey[Self.key(rule.label)] == nil {
                throw LabelMapError(source: source, location: "prefixRules[\(index)].label",
                                    reason: "label \"\(rule.label)\" is not listed under \"labels\"")
            }
            if rule.prefix.isEmpty {
                throw LabelMapError(source: source, location: "prefixRules[\(index)].prefix", reason: "prefix is empty")
            }
        }
    }

    /// Resolves a label (folder name) and, when given, the image's file name.
    public func resolve(label: String, fileName: String? = nil) -> Resolution {
        let key = Self.key(label)
        if ignoredKeys.contains(key) { return .ignored }
        guard let base = byKey[key] else { return .unknown }
        if let fileName {
            let name = fileName.uppercased()
            for rule in prefixRules where Self.key(rule.label) == key {
                if Self.hasPrefix(name, rule.prefix.uppercased()) { return .cell(rule.cellClass) }
            }
        }
        return .cell(base)
    }

    /// The class of a label, ignoring prefix rules; `nil` when ignored or unknown.
    public func cellClass(forLabel label: String) -> CellClass? {
        if case .cell(let c) = resolve(label: label) { return c }
        return nil
    }

    private static func key(_ label: String) -> String {
        label.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    private static func hasPrefix(_ name: String, _ prefix: String) -> Bool {
        guard name.hasPrefix(prefix) else { return false }
        guard let next = name.dropFirst(prefix.count).first else { return true }
        return !next.isLetter
    }

    public static func == (lhs: LabelMap, rhs: LabelMap) -> Bool {
        lhs.labels == rhs.labels && lhs.prefixRules == rhs.prefixRules
            && lhs.ignored == rhs.ignored && lhs.description == rhs.description
    }
}

/// Why a label map could not be loaded: the file, where in it, and what is wrong.
public struct LabelMapError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or `"<memory>"`).
    public var source: String
    /// A key path (`labels."Blast"`) or `line L, column C`.
    public var location: String
    /// What is wrong.
    public var reason: String

    public init(source: String, location: String, reason: String) {
        self.source = source
        self.location = location
        self.reason = reason
    }

    public var description: String {
        location.isEmpty ? "\(source): \(reason.oneLine)" : "\(source): \(location.oneLine): \(reason.oneLine)"
    }
}
