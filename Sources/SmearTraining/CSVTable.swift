import SmearNet
/// A parsed CSV file (RFC 4180: comma-separated, fields optionally in double quotes, `""`
/// for a quote inside quotes, CRLF or LF line ends), with a header row.
public struct CSVTable: Sendable, Equatable {
    /// The header fields.
    public var header: [String]
    /// The data rows, each as long as the header.
    public var rows: [[String]]
    /// The 1-based file line each row starts on, for error messages.
    public var lineNumbers: [Int]

    /// Parses `text`; `source` names the file in errors. Every row must have as many fields
    /// as the header.
    public init(parsing text: String, source: String = "<memory>") throws(CSVError) {
        var records: [[String]] = []
        var starts: [Int] = []
        var field = "", record: [String] = []
        var inQuotes = false, afterQuote = false, line = 1, recordLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            record.append(field); field = ""
            if !(record.count == 1 && record[0].isEmpty) { records.append(record); starts.append(recordLine) }
            record = []
        }
        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; afterQuote = true; pending = next }
                    } else { inQuotes = false; afterQuote = true }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case ",":
                record.append(field); field = ""; afterQuote = false
            case "\r":
                continue
            case "\n":
                endRecord(); afterQuote = false; line += 1; recordLine = line
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true
            default:
                if afterQuote {
                    throw CSVError(source: source, line: line, reason: "text after a closing quote")
                }
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw CSVError(source: source, line: recordLine, reason: "unterminated quoted field") }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        guard let first = records.first else { throw CSVError(source: source, line: 1, reason: "empty file (no header row)") }
        header = first
        rows = Array(records.dropFirst())
        lineNumbers = Array(starts.dropFirst())
        for (row, rowLine) in zip(rows, lineNumbers) where row.count != header.count {
            throw CSVError(source: source, line: rowLine, reason: "\(row.count) fields, header has \(header.count)")
        }
    }

    /// The index of a header column, or an error naming the missing column.
    public func column(_ name: String, source: String) throws(CSVError) -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw CSVError(source: source, line: 1, reason: "missing column \"\(name)\" (header: \(header.joined(separator: ",")))")
        }
        return i
    }
}

/// Why a CSV file could not be read: file, line and reason.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var line: Int
    public var reason: String
    public init(source: String, line: Int, reason: String) {
        self.source = source
        self.line = line
        self.reason = reason
    }
    public var description: String { "\(source): line \(line): \(reason.oneLine)" }
}
