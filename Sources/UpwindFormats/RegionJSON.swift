/// A JSON value parsed from bytes, remembering where each value lies in the source so that a
/// writer can copy values (a GeoJSON feature's geometry) byte for byte. RFC 8259 strictly:
/// no comments, no trailing commas, no NaN; at most 512 levels of nesting.
struct RegionJSON: Sendable {
    enum Kind: Sendable {
        case object([(key: String, value: RegionJSON)])
        case array([RegionJSON])
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
    }

    var kind: Kind
    /// The value's bytes in the source.
    var range: Range<Int>

    /// The member `key` of an object (the first, if repeated), or nil.
    subscript(key: String) -> RegionJSON? {
        guard case .object(let members) = kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// A short name of the value's kind, for messages.
    var kindName: String {
        switch kind {
        case .object: return "an object"
        case .array: return "an array"
        case .string(let s): return "the string \"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case .number(let x): return "the number \(x)"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }
}

/// Why bytes are not JSON: the byte offset and what was expected.
struct RegionJSONSyntaxError: Error {
    var offset: Int
    var reason: String

    /// 1-based line and column (in characters) of the offset in `bytes`.
    func position(in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0
        let end = min(offset, bytes.count)
        for k in 0..<end where bytes[k] == 0x0A {
            line += 1
            lineStart = k + 1
        }
        let column = String(decoding: bytes[lineStart..<end], as: UTF8.self).count + 1
        return (line, column)
    }
}

/// A recursive-descent JSON parser over UTF-8 bytes.
struct RegionJSONParser {
    let bytes: [UInt8]
    var position = 0
    static let maxDepth = 512

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte-order mark is skipped.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    /// Parses the whole text: one value and nothing after it but white space.
    static func parse(_ bytes: [UInt8]) throws(RegionJSONSyntaxError) -> RegionJSON {
        var parser = RegionJSONParser(bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.count else {
            throw RegionJSONSyntaxError(offset: parser.position, reason: "unexpected \(parser.describeHere()) after the end of the JSON value")
        }
        return value
    }

    mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    func describeHere() -> String {
        guard position < bytes.count else { return "end of file" }
        let b = bytes[position]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16))"
    }

    func fail(_ reason: String) -> RegionJSONSyntaxError { RegionJSONSyntaxError(offset: position, reason: reason) }

    mutating func value(depth: Int) throws(RegionJSONSyntaxError) -> RegionJSON {
        guard depth < RegionJSONParser.maxDepth else { throw fail("nesting deeper than \(RegionJSONParser.maxDepth) levels") }
        guard position < bytes.count else { throw fail("unexpected end of file: expected a value") }
        let start = position
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            var members: [(key: String, value: RegionJSON)] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return RegionJSON(kind: .object(members), range: start..<position)
            }
            while true {
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw fail("expected a member name in double quotes, found \(describeHere())")
                }
                let key = try string()
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw fail("expected ':' after the member name \"\(key)\", found \(describeHere())")
                }
                position += 1
                skipSpace()
                let v = try value(depth: depth + 1)
                members.append((key, v))
                skipSpace()
                guard position < bytes.count else { throw fail("unexpected end of file: expected ',' or '}'") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard bytes[position] == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in an object, found \(describeHere())") }
                position += 1
                return RegionJSON(kind: .object(members), range: start..<position)
            }
        case UInt8(ascii: "["):
            position += 1
            var items: [RegionJSON] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return RegionJSON(kind: .array(items), range: start..<position)
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard position < bytes.count else { throw fail("unexpected end of file: expected ',' or ']'") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard bytes[position] == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in an array, found \(describeHere())") }
                position += 1
                return RegionJSON(kind: .array(items), range: start..<position)
            }
        case UInt8(ascii: "\""):
            let s = try string()
            return RegionJSON(kind: .string(s), range: start..<position)
        case UInt8(ascii: "t"):
            try literal("true")
            return RegionJSON(kind: .bool(true), range: start..<position)
        case UInt8(ascii: "f"):
            try literal("false")
            return RegionJSON(kind: .bool(false), range: start..<position)
        case UInt8(ascii: "n"):
            try literal("null")
            return RegionJSON(kind: .null, range: start..<position)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let x = try number()
            return RegionJSON(kind: .number(x), range: start..<position)
        default:
            throw fail("expected a value, found \(describeHere())")
        }
    }

    mutating func literal(_ word: StaticString) throws(RegionJSONSyntaxError) {
        let text = word.withUTF8Buffer { Array($0) }
        guard position + text.count <= bytes.count, Array(bytes[position..<(position + text.count)]) == text else {
            throw fail("expected a value, found \(describeHere())")
        }
        position += text.count
    }

    @inline(__always) func isDigit(_ k: Int) -> Bool {
        k < bytes.count && bytes[k] >= UInt8(ascii: "0") && bytes[k] <= UInt8(ascii: "9")
    }

    mutating func number() throws(RegionJSONSyntaxError) -> Double {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard isDigit(position) else { throw fail("expected a digit in a number, found \(describeHere())") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while isDigit(position) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard isDigit(position) else { throw fail("expected a digit after the decimal point, found \(describeHere())") }
            while isDigit(position) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard isDigit(position) else { throw fail("expected a digit in the exponent, found \(describeHere())") }
            while isDigit(position) { position += 1 }
        }
        guard let x = Double(String(decoding: bytes[start..<position], as: UTF8.self)) else {
            throw RegionJSONSyntaxError(offset: start, reason: "unreadable number")
        }
        return x
    }

    mutating func hex4() throws(RegionJSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("unexpected end of file in a \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw fail("expected 4 hexadecimal digits after \\u, found \(describeHere())")
            }
            v = v << 4 | d
            position += 1
        }
        return v
    }

    /// A string at the current '"', decoded (escapes resolved; invalid UTF-8 repaired).
    mutating func string() throws(RegionJSONSyntaxError) -> String {
        position += 1
        var out: [UInt8] = []
        var runStart = position
        while true {
            guard position < bytes.count else { throw fail("unexpected end of file inside a string") }
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[runStart..<position])
                position += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw fail("control character 0x\(String(b, radix: 16)) inside a string (escape it)") }
            if b != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            out.append(contentsOf: bytes[runStart..<position])
            position += 1
            guard position < bytes.count else { throw fail("unexpected end of file in an escape") }
            let e = bytes[position]
            position += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), position + 1 < bytes.count,
                   bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    position += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        scalar = 0xFFFD
                    }
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
            default:
                position -= 1
                throw fail("invalid escape \\\(describeHere()) in a string")
            }
            runStart = position
        }
    }
}
