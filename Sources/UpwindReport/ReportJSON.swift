import UpwindCore

// Parsing is ``JSONValue/parse(_:)`` in UpwindFormats (the parser that reads region files);
// these are the report's accessors on the parsed values.
extension JSONValue {
    /// The member `key` of an object (the first with that name), nil otherwise.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The string, nil for other kinds.
    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }

    /// The number, nil for other kinds.
    var numberValue: Double? { if case .number(let x) = self { return x } else { return nil } }

    /// The elements of an array, nil for other kinds.
    var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }

    /// The members of an object, nil for other kinds.
    var objectValue: [(String, JSONValue)]? { if case .object(let m) = self { return m } else { return nil } }

    /// A short text for tables: strings as they are, numbers in their shortest form, arrays
    /// comma-separated, null as an en dash.
    var displayText: String {
        switch self {
        case .null: return "–"
        case .bool(let b): return b ? "yes" : "no"
        case .number(let x): return JSONText.number(x)
        case .string(let s): return s
        case .array(let items): return items.map(\.displayText).joined(separator: ", ")
        case .object: return serialized(pretty: false)
        }
    }
}
