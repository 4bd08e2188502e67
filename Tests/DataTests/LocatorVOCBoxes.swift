import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The labelled boxes of one Pascal VOC annotation file (as BCCD ships them).
struct LocatorVOCBoxes {
    struct Box { var name: String; var xmin, ymin, xmax, ymax: Double }
    var boxes: [Box] = []

    /// Parses the file at `url`; `nil` if it is not readable VOC XML.
    init?(url: URL) {
        guard let parser = XMLParser(contentsOf: url) else { return nil }
        let delegate = Delegate()
        parser.delegate = delegate
        guard parser.parse() else { return nil }
        boxes = delegate.boxes
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var boxes: [Box] = []
        var text = ""
        var fields: [String: String] = [:]
        var inObject = false

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            if element == "object" { inObject = true; fields = [:] }
            text = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if inObject, ["name", "xmin", "ymin", "xmax", "ymax"].contains(element) { fields[element] = value }
            if element == "object" {
                inObject = false
                if let name = fields["name"], let x0 = fields["xmin"].flatMap(Double.init), let y0 = fields["ymin"].flatMap(Double.init),
                   let x1 = fields["xmax"].flatMap(Double.init), let y1 = fields["ymax"].flatMap(Double.init) {
                    boxes.append(Box(name: name, xmin: x0, ymin: y0, xmax: x1, ymax: y1))
                }
            }
            text = ""
        }
    }
}
