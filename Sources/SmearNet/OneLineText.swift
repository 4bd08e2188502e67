extension String {
    /// The text with line breaks and other control characters written as `\u{…}` escapes,
    /// so an error message quoting a file's content stays one line of a log.
    public var oneLine: String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
