import Foundation
import UpwindCore

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

    /// 10^d for d in 0…6.
    @inline(__always)
    static func integerPower(_ d: Int) -> UInt64 { integerPowers[min(max(d, 0), integerPowers.count - 1)] }

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

/// The same texts as ``NumberText`` and ``UTCTime/iso8601``, appended as UTF-8 bytes to a
/// buffer: the CSV writer's per-endpoint fields without a `String` per field.
enum ByteText {
    /// Appends the decimal digits of `n`, left-padded with zeros to `width`.
    @inline(__always)
    static func appendDigits(_ n: UInt64, width: Int = 1, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = n
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(truncatingIfNeeded: v % 10) + 48
                v /= 10
                count += 1
            } while v > 0
            while count < width && count < 20 {
                buffer[count] = 48
                count += 1
            }
            for k in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[k]) }
        }
    }

    /// Appends ``NumberText/fixed(_:decimals:)`` of `value` (nothing when that is nil).
    static func appendFixed(_ value: Double?, decimals: Int, to out: inout [UInt8]) {
        guard let value, value.isFinite else { return }
        let d = min(max(decimals, 0), 6)
        let power = NumberText.integerPower(d)
        let scaled = (abs(value) * Double(power)).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else {
            if let text = NumberText.fixed(value, decimals: d) { out.append(contentsOf: text.utf8) }
            return
        }
        let n = UInt64(scaled)
        if value < 0 && n != 0 { out.append(45) }
        appendDigits(n / power, to: &out)
        if d > 0 {
            out.append(46)
            appendDigits(n % power, width: d, to: &out)
        }
    }

    /// Appends ``NumberText/longitude(_:decimals:)`` of `longitude` (nothing when not finite).
    static func appendLongitude(_ longitude: Double, decimals: Int, to out: inout [UInt8]) {
        guard longitude.isFinite else { return }
        let d = min(max(decimals, 0), 6)
        let power = Double(NumberText.integerPower(d))
        let normalized = NumberText.normalizedLongitude(longitude)
        let rounded = (normalized * power).rounded(.toNearestOrAwayFromZero) / power
        appendFixed(NumberText.normalizedLongitude(rounded), decimals: d, to: &out)
    }

    /// Appends ``UTCTime/iso8601`` of `time`.
    static func appendISO8601(_ time: UTCTime, to out: inout [UInt8]) {
        let c = time.components
        guard (0...9999).contains(c.year) else {
            out.append(contentsOf: time.iso8601.utf8)
            return
        }
        appendDigits(UInt64(c.year), width: 4, to: &out)
        out.append(45)
        appendDigits(UInt64(c.month), width: 2, to: &out)
        out.append(45)
        appendDigits(UInt64(c.day), width: 2, to: &out)
        out.append(84)
        appendDigits(UInt64(c.hour), width: 2, to: &out)
        out.append(58)
        appendDigits(UInt64(c.minute), width: 2, to: &out)
        out.append(58)
        appendDigits(UInt64(c.second), width: 2, to: &out)
        out.append(90)
    }
}
