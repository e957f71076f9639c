/// The one JSON text writer of the package (pure Swift, no Foundation): string literals,
/// numbers in a given format, and compact arrays and objects built from already-written
/// member texts. Every JSON output (GeoJSON trajectories, `upwind inspect --json` through
/// ``JSONValue``) is written with it, so escaping and number formats are defined once.
public enum JSONText {
    /// A JSON string literal (with the quotes) for `text`: `"` and `\` escaped, `\n`, `\r`, `\t`
    /// as two-character escapes, other control characters (< U+0020) as `\u00XX` (lowercase hex);
    /// everything else (non-ASCII included) written as is.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A number in its shortest round-tripping form: integral values below 10¹⁵ in magnitude
    /// without a fraction (`5`, `-90`), others as Swift prints them (`0.1`, `1e+20`); `null`
    /// for NaN and infinities.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A number with exactly `decimals` digits after the point (see ``fixed(_:decimals:)``);
    /// `null` for nil, NaN and infinities.
    public static func number(_ value: Double?, decimals: Int) -> String {
        fixed(value, decimals: decimals) ?? "null"
    }

    /// A compact array of already-written element texts: `[a,b,c]`.
    public static func array(_ elements: [String]) -> String {
        "[" + elements.joined(separator: ",") + "]"
    }

    /// A compact object of keys (quoted here) and already-written value texts, in the
    /// given order: `{"a":1,"b":"x"}`.
    public static func object(_ members: [(key: String, value: String)]) -> String {
        var out = "{"
        for (i, member) in members.enumerated() {
            if i > 0 { out += "," }
            out += quoted(member.key) + ":" + member.value
        }
        return out + "}"
    }

    /// 10^d for d in 0…6.
    private static let powers: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `value` with exactly `decimals` digits after the point (clamped to 0…6), never with an
    /// exponent: rounded half away from zero, and a value that rounds to zero is written without
    /// a sign (`0.0`, never `-0.0`). Values too large for that arithmetic (|value|·10^d ≥ 9·10¹⁵)
    /// are written exactly, rounded half to even, as C's `printf("%.*f")` writes them. Nil for
    /// nil, NaN and infinities. The number format of CSV, tdump and JSON outputs.
    public static func fixed(_ value: Double?, decimals: Int) -> String? {
        guard let value, value.isFinite else { return nil }
        let d = min(max(decimals, 0), powers.count - 1)
        let scaled = (abs(value) * Double(powers[d])).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else { return exactFixed(value, decimals: d) }
        let n = UInt64(scaled)
        let whole = n / powers[d]
        var text = value < 0 && n != 0 ? "-" : ""
        text += String(whole)
        if d > 0 {
            let fraction = String(n % powers[d])
            text += "." + String(repeating: "0", count: d - fraction.count) + fraction
        }
        return text
    }

    /// The exact decimal value of finite `value` rounded half to even to `decimals` (0…6) digits
    /// after the point, with a `-` for negative values: what C's `printf("%.*f")` writes.
    static func exactFixed(_ value: Double, decimals d: Int) -> String {
        let magnitude = abs(value)
        // magnitude = m · 2^q exactly.
        var m = magnitude.significandBitPattern
        var q = Int(magnitude.exponent) - Double.significandBitCount
        if magnitude.isNormal {
            m |= 1 << UInt64(Double.significandBitCount)
        } else {
            q = Int(Double.leastNonzeroMagnitude.exponent)
        }
        // N = m · 10^d · 2^q, rounded half to even to an integer.
        var n = DecimalLimbs(m)
        n.multiply(by: powers[d])
        if q >= 0 {
            for _ in 0..<q { n.multiply(by: 2) }
        } else {
            var half = false, sticky = false
            for _ in 0..<(-q) {
                sticky = sticky || half
                half = n.halve()
            }
            if half && (sticky || n.isOdd) { n.increment() }
        }
        var digits = n.text
        if d > 0 {
            if digits.count <= d { digits = String(repeating: "0", count: d + 1 - digits.count) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -d))
        }
        return (value < 0 ? "-" : "") + digits
    }
}

/// A non-negative integer in base-10⁹ limbs (least significant first), for exact decimal text.
private struct DecimalLimbs {
    static let base: UInt64 = 1_000_000_000
    var limbs: [UInt64]

    init(_ value: UInt64) {
        limbs = [value % Self.base, (value / Self.base) % Self.base, value / (Self.base * Self.base)]
        trim()
    }

    mutating func trim() {
        while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
    }

    /// self ← self · k, for k ≤ 10⁹.
    mutating func multiply(by k: UInt64) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let t = limbs[i] * k + carry
            limbs[i] = t % Self.base
            carry = t / Self.base
        }
        while carry > 0 {
            limbs.append(carry % Self.base)
            carry /= Self.base
        }
    }

    /// self ← ⌊self / 2⌋; returns whether the bit shifted out was 1.
    mutating func halve() -> Bool {
        var remainder: UInt64 = 0
        for i in limbs.indices.reversed() {
            let t = remainder * Self.base + limbs[i]
            limbs[i] = t / 2
            remainder = t % 2
        }
        trim()
        return remainder == 1
    }

    /// Whether the value is odd (the base is even, so the lowest limb decides).
    var isOdd: Bool { limbs[0] % 2 == 1 }

    /// self ← self + 1.
    mutating func increment() {
        for i in limbs.indices {
            limbs[i] += 1
            if limbs[i] < Self.base { return }
            limbs[i] = 0
        }
        limbs.append(1)
    }

    /// Decimal digits without leading zeros (`0` for zero).
    var text: String {
        var out = String(limbs[limbs.count - 1])
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            out += String(repeating: "0", count: 9 - part.count) + part
        }
        return out
    }
}

/// A JSON value with ordered object keys, for stable, readable machine output; written with
/// ``JSONText``.
public indirect enum JSONValue: Sendable, Equatable {
    /// `null`
    case null
    /// `true` / `false`
    case bool(Bool)
    /// A number, written by ``JSONText/number(_:)``; non-finite values are written as `null`.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object whose keys keep their order.
    case object([(String, JSONValue)])

    /// Equal when the compact texts are equal.
    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized(pretty: false) == b.serialized(pretty: false) }

    /// JSON text: compact (``JSONText/array(_:)`` and ``JSONText/object(_:)``), or with
    /// `pretty` one member per line indented by two spaces (arrays of numbers stay on one line,
    /// `", "`-separated).
    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: 0, pretty: pretty)
        return out
    }

    private func write(into out: inout String, indent: Int, pretty: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let x): out += JSONText.number(x)
        case .string(let s): out += JSONText.quoted(s)
        case .array(let items) where !pretty:
            out += JSONText.array(items.map { $0.serialized(pretty: false) })
        case .object(let fields) where !pretty:
            out += JSONText.object(fields.map { (key: $0.0, value: $0.1.serialized(pretty: false)) })
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy({ if case .number = $0 { return true } else { return false } }) {
                out += "[" + items.map { $0.serialized(pretty: false) }.joined(separator: ", ") + "]"
                return
            }
            let pad = String(repeating: "  ", count: indent + 1)
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(into: &out, indent: indent + 1, pretty: pretty)
                out += (i < items.count - 1 ? "," : "") + "\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            let pad = String(repeating: "  ", count: indent + 1)
            out += "{\n"
            for (i, (k, v)) in fields.enumerated() {
                out += pad + JSONText.quoted(k) + ": "
                v.write(into: &out, indent: indent + 1, pretty: pretty)
                out += (i < fields.count - 1 ? "," : "") + "\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }
}
