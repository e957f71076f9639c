import Foundation
import UpwindCore

/// CF decoding rules (see the *Reading meteorology* article in Upwind's documentation): time units and calendars, unit families
/// and the conversions Upwind normalises to.
enum CF {
    /// A decoded `"<unit> since <reference>"` time axis.
    struct TimeUnits: Equatable {
        /// Seconds in one unit of the stored values.
        var secondsPerUnit: Double
        /// The reference instant (UTC).
        var reference: UTCTime
        /// Fractional seconds of the reference.
        var referenceFraction: Double

        /// The instant of a stored value, rounded to the nearest second.
        func time(_ value: Double) -> UTCTime? {
            let s = value * secondsPerUnit + referenceFraction
            guard s.isFinite, abs(s) < 1e15 else { return nil }
            return reference + Int64(s.rounded())
        }
    }

    /// Calendars whose dates Upwind decodes (see the *Reading meteorology* article in Upwind's documentation; others are refused).
    static let supportedCalendars: Set<String> = ["standard", "gregorian", "proleptic_gregorian"]

    /// Parses `"hours since 1900-01-01 00:00:00.0"`, `"Hour since 2023-03-01T00:00:00Z"`,
    /// `"days since 1987-1-2"`, `"seconds since 1970-01-01 00:00:00 UTC"`.
    /// Returns nil when the text is not of that form.
    static func parseTimeUnits(_ text: String) -> TimeUnits? {
        let lower = text.lowercased()
        guard let sinceRange = lower.range(of: " since ") else { return nil }
        let unit = lower[..<sinceRange.lowerBound].trimmingCharacters(in: .whitespaces)
        let secondsPerUnit: Double
        switch unit {
        case "second", "seconds", "sec", "secs", "s": secondsPerUnit = 1
        case "minute", "minutes", "min", "mins": secondsPerUnit = 60
        case "hour", "hours", "hr", "hrs", "h": secondsPerUnit = 3600
        case "day", "days", "d": secondsPerUnit = 86_400
        default: return nil
        }
        var rest = String(lower[sinceRange.upperBound...]).trimmingCharacters(in: .whitespaces)
        // Strip a trailing zone name: "UTC", "GMT", "Z".
        for suffix in ["utc", "gmt", "z"] where rest.hasSuffix(suffix) {
            rest = String(rest.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        let parts = rest.split(whereSeparator: { $0 == " " || $0 == "t" }).map(String.init)
        guard let datePart = parts.first else { return nil }
        let dateFields = datePart.split(separator: "-", omittingEmptySubsequences: false)
        guard dateFields.count == 3, let y = Int(dateFields[0]), let m = Int(dateFields[1]), let d = Int(dateFields[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        var hour = 0, minute = 0
        var seconds = 0.0
        if parts.count >= 2 {
            let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard let h = Int(clock[0]), (0...24).contains(h) else { return nil }
            hour = h
            if clock.count > 1 { guard let mi = Int(clock[1]) else { return nil }; minute = mi }
            if clock.count > 2 { guard let s = Double(clock[2]) else { return nil }; seconds = s }
        }
        // A trailing numeric zone offset such as "+08:00" or "-5".
        var offset = 0
        if parts.count >= 3, let sign = parts[2].first, sign == "+" || sign == "-" {
            let z = parts[2].dropFirst().split(separator: ":")
            if let h = Int(z.first ?? "") { offset = h * 3600 + (z.count > 1 ? (Int(z[1]) ?? 0) * 60 : 0) }
            if sign == "-" { offset = -offset }
        }
        let whole = seconds.rounded(.down)
        let reference = UTCTime(year: y, month: m, day: d, hour: hour, minute: minute, second: Int(whole)) + Int64(-offset)
        return TimeUnits(secondsPerUnit: secondsPerUnit, reference: reference, referenceFraction: seconds - whole)
    }

    /// Normalised form of a units string for comparisons: lower case, `**` and `^`
    /// removed, `/` turned into a negative exponent, spaces collapsed.
    static func canonicalUnits(_ units: String) -> String {
        var u = units.lowercased().trimmingCharacters(in: .whitespaces)
        u = u.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "^", with: "")
        if let slash = u.firstIndex(of: "/") {
            let num = u[..<slash].trimmingCharacters(in: .whitespaces)
            let den = u[u.index(after: slash)...].trimmingCharacters(in: .whitespaces)
            u = num + " " + den.split(separator: " ").map { part -> String in
                let p = String(part)
                if let last = p.last, last.isNumber { return String(p.dropLast()) + "-" + String(last) }
                return p + "-1"
            }.joined(separator: " ")
        }
        return u.split(separator: " ").joined(separator: " ")
    }

    /// Factor from a pressure unit to hPa, or nil when `units` is not a pressure.
    static func pressureToHPa(_ units: String) -> Double? {
        switch canonicalUnits(units) {
        case "pa", "pascal", "pascals": return 0.01
        case "hpa", "mb", "mbar", "millibar", "millibars", "hectopascal", "hectopascals": return 1
        case "kpa": return 10
        case "bar": return 1000
        default: return nil
        }
    }

    /// Factor to ω in Pa s⁻¹ for a pressure-velocity unit, or nil.
    static func omegaToPaPerSecond(_ units: String) -> Double? {
        switch canonicalUnits(units) {
        case "pa s-1", "pa/s", "pascal s-1", "pa sec-1": return 1
        case "hpa s-1", "mb s-1", "mbar s-1", "millibar s-1": return 100
        case "pa h-1", "pa hr-1": return 1.0 / 3600
        case "hpa h-1", "hpa hr-1", "mb h-1", "mb hr-1": return 100.0 / 3600
        default: return nil
        }
    }

    /// Factor to m s⁻¹ for a speed unit, or nil.
    static func speedToMetresPerSecond(_ units: String) -> Double? {
        switch canonicalUnits(units) {
        case "m s-1", "m/s", "meter second-1", "meters second-1", "metre s-1", "metres s-1", "m sec-1", "mps": return 1
        case "cm s-1": return 0.01
        case "km h-1", "km hr-1": return 1.0 / 3.6
        case "knot", "knots", "kt", "kts": return 0.514444
        default: return nil
        }
    }

    /// True for length units in metres (including geopotential metres).
    static func isMetres(_ units: String) -> Bool {
        ["m", "meter", "meters", "metre", "metres", "gpm", "m gpm", "geopotential meters", "geopotential metres"].contains(canonicalUnits(units))
    }

    /// True for geopotential units, m² s⁻².
    static func isGeopotential(_ units: String) -> Bool {
        ["m2 s-2", "m2s-2", "m2/s2", "j kg-1", "j/kg"].contains(canonicalUnits(units))
    }

    /// Conversion of a temperature unit to K: (scale, offset) with K = value·scale + offset.
    static func temperatureToKelvin(_ units: String) -> (Double, Double)? {
        switch canonicalUnits(units) {
        case "k", "kelvin", "degk", "deg k", "degrees k": return (1, 0)
        case "degc", "deg c", "c", "celsius", "degree_celsius", "degrees_celsius", "°c": return (1, 273.15)
        default: return nil
        }
    }
}

