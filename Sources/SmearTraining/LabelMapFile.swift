import Foundation
import SmearCells

/// Reading and writing `label-map.json`.
///
/// The file is an object with `labels` (label → class name), optional `prefixRules`
/// (`{"label", "prefix", "class"}` objects), optional `ignored` (labels to skip) and
/// optional `format`, `version`, `description`. Every problem is reported with the file
/// and the key (or line and column for JSON syntax errors).
extension LabelMap {
    /// The file format name written in `format`.
    public static let formatName = "smearscan-label-map"
    /// The newest format version this code reads.
    public static let formatVersion = 1

    /// Loads a label map file.
    public static func load(path: String) throws(LabelMapError) -> LabelMap {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
            throw LabelMapError(source: path, location: "", reason: reason)
        }
        return try parse([UInt8](data), source: path)
    }

    /// Parses label map JSON; `source` names the file in errors.
    public static func parse(_ bytes: [UInt8], source: String = "<memory>") throws(LabelMapError) -> LabelMap {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            let (location, detail) = JSONSyntaxLocation.describe(error, in: bytes)
            throw LabelMapError(source: source, location: location, reason: "not valid JSON (\(detail))")
        }
        guard let object = root as? [String: Any] else {
            throw LabelMapError(source: source, location: "", reason: "top level must be a JSON object")
        }
        let known: Set<String> = ["format", "version", "description", "labels", "prefixRules", "ignored"]
        if let extra = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw LabelMapError(source: source, location: extra,
                                reason: "unknown key (expected \(known.sorted().joined(separator: ", ")))")
        }
        if let format = object["format"], (format as? String) != formatName {
            throw LabelMapError(source: source, location: "format", reason: "must be \"\(formatName)\"")
        }
        if let version = object["version"] {
            guard let v = version as? Int, v >= 1 else {
                throw LabelMapError(source: source, location: "version", reason: "must be a positive integer")
            }
            if v > formatVersion {
                throw LabelMapError(source: source, location: "version",
                                    reason: "version \(v) is newer than this SmearScan reads (\(formatVersion))")
            }
        }
        let description = try string(object["description"] ?? "", at: "description", source: source)
        guard let labelObject = object["labels"] as? [String: Any] else {
            throw LabelMapError(source: source, location: "labels",
                                reason: object["labels"] == nil ? "missing" : "must be an object of label → class name")
        }
        var labels: [String: CellClass] = [:]
        for (label, value) in labelObject {
            labels[label] = try cellClass(value, at: "labels.\"\(label)\"", source: source)
        }
        var rules: [PrefixRule] = []
        if let ruleValue = object["prefixRules"] {
            guard let array = ruleValue as? [Any] else {
                throw LabelMapError(source: source, location: "prefixRules", reason: "must be an array")
            }
            for (i, item) in array.enumerated() {
                let at = "prefixRules[\(i)]"
                guard let rule = item as? [String: Any] else {
                    throw LabelMapError(source: source, location: at, reason: "must be an object with label, prefix, class")
                }
                rules.append(PrefixRule(
                    label: try string(rule["label"], at: at + ".label", source: source),
                    prefix: try string(rule["prefix"], at: at + ".prefix", source: source),
                    cellClass: try cellClass(rule["class"], at: at + ".class", source: source)))
            }
        }
        var ignored: [String] = []
        if let ignoredValue = object["ignored"] {
            guard let array = ignoredValue as? [Any] else {
                throw LabelMapError(source: source, location: "ignored", reason: "must be an array of labels")
            }
            for (i, item) in array.enumerated() {
                ignored.append(try string(item, at: "ignored[\(i)]", source: source))
            }
        }
        return try LabelMap(labels: labels, prefixRules: rules, ignored: ignored, description: description, source: source)
    }

    /// The map as JSON, in the layout `parse` reads, keys sorted.
    public func jsonData() -> Data {
        var object: [String: Any] = [
            "format": Self.formatName,
            "version": Self.formatVersion,
            "description": description,
            "labels": labels.mapValues(\.rawValue),
            "ignored": ignored,
        ]
        object["prefixRules"] = prefixRules.map { ["label": $0.label, "prefix": $0.prefix, "class": $0.cellClass.rawValue] }
        // Serialising plain strings, numbers, arrays and dictionaries cannot fail.
        return (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    }

    private static func string(_ value: Any?, at location: String, source: String) throws(LabelMapError) -> String {
        guard let text = value as? String else {
            throw LabelMapError(source: source, location: location, reason: value == nil ? "missing" : "must be a string")
        }
        return text
    }

    private static func cellClass(_ value: Any?, at location: String, source: String) throws(LabelMapError) -> CellClass {
        let name = try string(value, at: location, source: source)
        guard let c = CellClass(rawValue: name) else {
            throw LabelMapError(source: source, location: location,
                                reason: "unknown class \"\(name)\" (expected one of \(CellClass.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return c
    }
}

/// Turns a Foundation JSON syntax error ("… around character 23.") into "line L, column C"
/// and the parser's message.
enum JSONSyntaxLocation {
    static func describe(_ error: any Error, in bytes: [UInt8]) -> (location: String, detail: String) {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        let detail = text.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        guard let range = text.range(of: "character "),
              let offset = Int(text[range.upperBound...].prefix(while: \.isNumber)) else {
            return ("", detail)
        }
        var line = 1, column = 1
        for byte in bytes.prefix(offset) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return ("line \(line), column \(column)", detail)
    }
}
