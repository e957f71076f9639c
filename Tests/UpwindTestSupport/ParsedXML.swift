import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML document as a flat list of elements (in document order) with their attributes,
/// their direct text, and the ids of their ancestors, read with Foundation's `XMLParser` (a
/// well-formedness check that does not share code with the writer).
public final class ParsedXML: NSObject, XMLParserDelegate {
    /// One element.
    public struct Element {
        /// The element's name (without namespace processing, as written).
        public var name: String
        /// Its attributes.
        public var attributes: [String: String]
        /// Its direct text (not its children's).
        public var text = ""
        /// Ids of the ancestors, outermost first.
        public var ancestorIDs: [String]
        /// Names of the ancestors, outermost first.
        public var ancestorNames: [String]

        /// The words of the class attribute.
        public var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }
    }

    /// Every element, in document order.
    public private(set) var elements: [Element] = []
    private var stack: [Int] = []
    /// Why the text is not well-formed XML, nil when it is.
    public private(set) var error: String?

    /// Parses `text`; ``error`` is nil when it is well-formed.
    public init(_ text: String) {
        super.init()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = self
        if !parser.parse() {
            error = parser.parserError.map { "\($0)" } ?? "line \(parser.lineNumber), column \(parser.columnNumber)"
        }
    }

    public func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let ancestors = stack.map { elements[$0] }
        elements.append(Element(name: elementName, attributes: attributes, ancestorIDs: ancestors.compactMap { $0.attributes["id"] },
                                ancestorNames: ancestors.map(\.name)))
        stack.append(elements.count - 1)
    }

    public func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        _ = stack.popLast()
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let last = stack.last { elements[last].text += string }
    }

    public func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        error = "\(parseError) at line \(parser.lineNumber), column \(parser.columnNumber)"
    }

    /// Elements named `name`, inside an element with id `within` when given, with class word `cssClass` when given.
    public func all(_ name: String, within: String? = nil, cssClass: String? = nil) -> [Element] {
        elements.filter { e in
            e.name == name && (within.map { e.ancestorIDs.contains($0) } ?? true) && (cssClass.map { e.classes.contains($0) } ?? true)
        }
    }

    /// The data rows of the table with id `table` (`tr` inside its `tbody`).
    public func rows(ofTable table: String) -> [Element] {
        all("tr", within: table).filter { $0.ancestorNames.contains("tbody") }
    }

    /// The `svg` elements' ids, in order.
    public var svgIDs: [String] { all("svg").compactMap { $0.attributes["id"] } }
}
