import Foundation

/// Fixed-decimal number text for CSV and JSON: no exponent, no `-0.0`, nil for absent values.
enum NumberText {
    private static let powersOfTen: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]
    private static let integerPowers: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `value` with exactly `decimals` digits after the point (0…6), rounded half away
    /// from zero; nil when the value is nil, NaN or infinite. A value that rounds to zero
    /// is written without a sign (`0.0`, never `-0.0`).
    static func fixed(_ value: Double?, decimals: Int) -> String? {
        guard let value, value.isFinite else { return nil }
        let d = min(max(decimals, 0), powersOfTen.count - 1)
        let scaled = (abs(value) * powersOfTen[d]).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else {
            // Absurdly large: let printf do it (still no exponent); never trap on conversion.
            let text = String(format: "%.\(d)f", value)
            return text
        }
        let n = UInt64(scaled)
        let whole = n / integerPowers[d]
        var text = value < 0 && n != 0 ? "-" : ""
        text += String(whole)
        if d > 0 {
            let fraction = String(n % integerPowers[d])
            text += "." + String(repeating: "0", count: d - fraction.count) + fraction
        }
        return text
    }

    /// Longitude in degrees east mapped into [−180, 180).
    static func normalizedLongitude(_ longitude: Double) -> Double {
        guard longitude.isFinite else { return longitude }
        if longitude >= -180, longitude < 180 { return longitude }
        var x = (longitude + 180).truncatingRemainder(dividingBy: 360)
        if x < 0 { x += 360 }
        x -= 180
        if x >= 180 { x -= 360 }
        if x < -180 { x = -180 }
        return x
    }

    /// Longitude text with `decimals` digits, in [−180, 180) *after* rounding
    /// (179.99999 with 4 decimals is written `-180.0000`).
    static func longitude(_ longitude: Double, decimals: Int) -> String? {
        guard longitude.isFinite else { return nil }
        let d = min(max(decimals, 0), powersOfTen.count - 1)
        let normalized = normalizedLongitude(longitude)
        let rounded = (normalized * powersOfTen[d]).rounded(.toNearestOrAwayFromZero) / powersOfTen[d]
        return fixed(normalizedLongitude(rounded), decimals: d)
    }
}

/// JSON text helpers.
enum JSONText {
    /// A JSON string literal (with quotes) for `text`, escaping quotes, backslashes and control characters.
    static func string(_ text: String) -> String {
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

    /// A JSON number with fixed decimals, or `null` for nil/NaN/infinite.
    static func number(_ value: Double?, decimals: Int) -> String {
        NumberText.fixed(value, decimals: decimals) ?? "null"
    }
}
