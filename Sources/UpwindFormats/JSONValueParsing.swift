import UpwindCore

/// Why a text is not JSON: where (byte offset, 1-based line and column) and what was expected.
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    /// Byte offset of the problem in the text (0-based).
    public var offset: Int
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column (in characters) of the problem.
    public var column: Int
    /// What was found and what was expected.
    public var reason: String

    /// "line L, column C: reason".
    public var description: String { "line \(line), column \(column): \(reason)" }
}

extension JSONValue {
    /// Parses one JSON text (RFC 8259 strictly: no comments, no trailing commas, no NaN; at most
    /// 512 levels of nesting; a UTF-8 byte-order mark is skipped) into a ``JSONValue`` whose object
    /// members keep their order in the text, so a caller can list a `run.json`'s settings or a
    /// GeoJSON feature's properties as they were written. The same parser reads region files
    /// (``RegionFile``).
    /// - Throws: ``JSONSyntaxError`` for a text that is not exactly one JSON value.
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        do throws(RegionJSONSyntaxError) {
            return try RegionJSONParser.parse(bytes).jsonValue
        } catch {
            let (line, column) = error.position(in: bytes)
            throw JSONSyntaxError(offset: error.offset, line: line, column: column, reason: error.reason)
        }
    }
}

extension RegionJSON {
    /// The value without its source ranges.
    var jsonValue: JSONValue {
        switch kind {
        case .object(let members): return .object(members.map { ($0.key, $0.value.jsonValue) })
        case .array(let items): return .array(items.map(\.jsonValue))
        case .string(let s): return .string(s)
        case .number(let x): return .number(x)
        case .bool(let b): return .bool(b)
        case .null: return .null
        }
    }
}
