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

    /// Normalised form of a units string for comparisons, so that spellings of one unit compare
    /// equal: `M/S`, `m/s`, `m s**-1`, `m s^-1`, `m.s-1`, `m s-1`, `m·s⁻¹` and `meters/second`
    /// all give `m s-1`; `Pa/s`, `Pascal/s` and `Pa s**-1` give `pa s-1`; `hPa/s`, `mb/s` and
    /// `millibar s-1` give `hpa s-1`; `m2/s2`, `m**2 s**-2` and `m^2/s^2` give `m2 s-2`;
    /// `degK`, `deg K`, `Kelvin` give `k`; `degC`, `°C`, `degrees_Celsius` give `degc`;
    /// `percent` gives `%`.
    ///
    /// The text is lower-cased; `**` and `^` are dropped; `*`, `·` and `.` (not between
    /// digits) separate factors like a space; `_` is a space; ` per ` is `/`; Unicode
    /// superscripts become digits. Each factor is a symbol with an optional integer
    /// exponent (`m2`, `s-1`, glued ones such as `m2s-2` included); word spellings become
    /// symbols (`meter`/`metre(s)` → `m`, `second(s)`/`sec` → `s`, `pascal(s)` → `pa`,
    /// `hectopascal(s)`/`millibar(s)`/`mbar`/`mb` → `hpa`, `hour(s)`/`hr` → `h`,
    /// `kelvin` → `k`, `knot(s)`/`kts` → `kt`). Factors after a `/` get their exponent
    /// negated. The result lists the factors in their order, separated by one space, with
    /// exponents other than 1 written after the symbol. Text that is not a product of such
    /// factors is returned lower-cased with spaces collapsed.
    static func canonicalUnits(_ units: String) -> String {
        var u = units.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        u = u.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "^", with: "")
        let replacements: [(String, String)] = [
            ("⁻", "-"), ("−", "-"), ("⁺", ""), ("⁰", "0"), ("¹", "1"), ("²", "2"), ("³", "3"), ("⁴", "4"),
            ("*", " "), ("·", " "), ("⋅", " "), ("_", " "), (" per ", "/"),
        ]
        for (a, b) in replacements { u = u.replacingOccurrences(of: a, with: b) }
        // A dot multiplies unless it is a decimal point.
        var chars = Array(u)
        for i in chars.indices where chars[i] == "." {
            let digitBefore = i > 0 && chars[i - 1].isNumber
            let digitAfter = i + 1 < chars.count && chars[i + 1].isNumber
            if !(digitBefore && digitAfter) { chars[i] = " " }
        }
        u = String(chars).split(separator: " ").joined(separator: " ")
        if let alias = wholeUnitAliases[u] { return alias }
        let parts = u.split(separator: "/", omittingEmptySubsequences: false)
        var factors: [(symbol: String, exponent: Int)] = []
        for (k, part) in parts.enumerated() {
            let words = part.split(separator: " ")
            if words.isEmpty && !(k == 0 && parts.count > 1) { return u }
            for word in words {
                guard let parsed = unitFactors(String(word)) else { return u }
                factors += parsed.map { (symbolAliases[$0.symbol] ?? $0.symbol, k == 0 ? $0.exponent : -$0.exponent) }
            }
        }
        return factors.map { $0.exponent == 1 ? $0.symbol : $0.symbol + String($0.exponent) }.joined(separator: " ")
    }

    /// Whole unit strings (after the separators of ``canonicalUnits(_:)`` are normalised) with
    /// a fixed canonical form: temperatures, percent, dimensionless.
    static let wholeUnitAliases: [String: String] = [
        "k": "k", "kelvin": "k", "kelvins": "k", "degk": "k", "deg k": "k", "degree k": "k", "degrees k": "k", "°k": "k",
        "degc": "degc", "deg c": "degc", "degree c": "degc", "degrees c": "degc", "c": "degc", "°c": "degc",
        "celsius": "degc", "degree celsius": "degc", "degrees celsius": "degc", "deg celsius": "degc",
        "%": "%", "percent": "%", "percentage": "%", "pct": "%",
    ]

    /// Word spellings of unit symbols (see ``canonicalUnits(_:)``).
    static let symbolAliases: [String: String] = [
        "meter": "m", "meters": "m", "metre": "m", "metres": "m",
        "second": "s", "seconds": "s", "sec": "s", "secs": "s",
        "pascal": "pa", "pascals": "pa",
        "hectopascal": "hpa", "hectopascals": "hpa", "millibar": "hpa", "millibars": "hpa", "mbar": "hpa", "mb": "hpa",
        "kilopascal": "kpa", "kilopascals": "kpa",
        "hour": "h", "hours": "h", "hr": "h", "hrs": "h",
        "kelvin": "k",
        "kilometer": "km", "kilometers": "km", "kilometre": "km", "kilometres": "km",
        "centimeter": "cm", "centimeters": "cm", "centimetre": "cm", "centimetres": "cm",
        "kilogram": "kg", "kilograms": "kg", "gram": "g", "grams": "g", "joule": "j", "joules": "j",
        "knot": "kt", "knots": "kt", "kts": "kt",
    ]

    /// Splits one word such as `m2s-2` or `kg` into symbols with exponents; nil when the word
    /// holds anything else (a number, punctuation).
    static func unitFactors(_ word: String) -> [(symbol: String, exponent: Int)]? {
        var out: [(symbol: String, exponent: Int)] = []
        var chars = word[...]
        while !chars.isEmpty {
            let symbol = chars.prefix { $0.isLetter || $0 == "%" || $0 == "°" }
            guard !symbol.isEmpty else { return nil }
            chars = chars.dropFirst(symbol.count)
            var exponentText = ""
            if let sign = chars.first, sign == "-" || sign == "+" {
                exponentText.append(sign)
                chars = chars.dropFirst()
            }
            let digits = chars.prefix { $0.isASCII && $0.isNumber }
            chars = chars.dropFirst(digits.count)
            exponentText += digits
            var exponent = 1
            if !exponentText.isEmpty {
                guard !digits.isEmpty, let e = Int(exponentText) else { return nil }
                exponent = e
            }
            out.append((String(symbol), exponent))
        }
        return out
    }

    /// A table keyed by the canonical form of each spelling (see ``canonicalUnits(_:)``).
    static func canonicalTable<V>(_ entries: [(String, V)]) -> [String: V] {
        Dictionary(entries.map { (canonicalUnits($0.0), $0.1) }, uniquingKeysWith: { a, _ in a })
    }

    /// Factors to hPa of the pressure units.
    static let pressureFactors: [String: Double] = canonicalTable([
        ("Pa", 0.01), ("pascal", 0.01), ("hPa", 1), ("mb", 1), ("mbar", 1), ("millibar", 1), ("hectopascal", 1),
        ("kPa", 10), ("bar", 1000),
    ])

    /// Factor from a pressure unit to hPa, or nil when `units` is not a pressure.
    static func pressureToHPa(_ units: String) -> Double? { pressureFactors[canonicalUnits(units)] }

    /// Factors to Pa s⁻¹ of the pressure-velocity units.
    static let omegaFactors: [String: Double] = canonicalTable([
        ("Pa s-1", 1), ("hPa s-1", 100), ("Pa h-1", 1.0 / 3600), ("hPa h-1", 100.0 / 3600),
    ])

    /// Factor to ω in Pa s⁻¹ for a pressure-velocity unit, or nil.
    static func omegaToPaPerSecond(_ units: String) -> Double? { omegaFactors[canonicalUnits(units)] }

    /// Factors to m s⁻¹ of the speed units (`ms-1` is taken as m s⁻¹, as files mean it).
    static let speedFactors: [String: Double] = canonicalTable([
        ("m s-1", 1), ("ms-1", 1), ("mps", 1), ("cm s-1", 0.01), ("km h-1", 1.0 / 3.6), ("kt", 0.514444),
    ])

    /// Factor to m s⁻¹ for a speed unit, or nil.
    static func speedToMetresPerSecond(_ units: String) -> Double? { speedFactors[canonicalUnits(units)] }

    /// Spellings of metres (including geopotential metres), canonical.
    static let metreUnits: Set<String> = Set(["m", "gpm", "m gpm", "geopotential meters", "geopotential metres", "geopotential m"].map(canonicalUnits))

    /// True for length units in metres (including geopotential metres).
    static func isMetres(_ units: String) -> Bool { metreUnits.contains(canonicalUnits(units)) }

    /// Spellings of geopotential, canonical.
    static let geopotentialUnits: Set<String> = Set(["m2 s-2", "J kg-1"].map(canonicalUnits))

    /// True for geopotential units, m² s⁻².
    static func isGeopotential(_ units: String) -> Bool { geopotentialUnits.contains(canonicalUnits(units)) }

    /// Conversion of a temperature unit to K: (scale, offset) with K = value·scale + offset.
    static func temperatureToKelvin(_ units: String) -> (Double, Double)? {
        switch canonicalUnits(units) {
        case "k": return (1, 0)
        case "degc": return (1, 273.15)
        default: return nil
        }
    }

    // MARK: - Evenly spaced axes

    /// The evenness tolerance of an axis with step `step` (the *Reading meteorology* article in Upwind's documentation): a value
    /// may lie within 1e-4 of the step from its place on the line through the end points; for
    /// values stored as float32 also within two float32 ulps of the largest magnitude (a 0.1°
    /// longitude near 360° is only known to 1.5e-5°).
    static func evennessTolerance(_ values: [Double], step: Double, float32: Bool) -> Double {
        var tolerance = 1e-4 * abs(step)
        if float32 {
            let largest = values.reduce(0) { max($0, abs($1)) }
            tolerance = max(tolerance, 2 * Double(Float(largest).ulp))
        }
        return tolerance
    }

    /// `values` replaced by the evenly spaced values `first + i·step` when every value lies within
    /// ``evennessTolerance(_:step:float32:)`` of the line through the end points, step =
    /// (last − first)/(n − 1), but the strict test of `AxisSummary.regularStep` fails (float32
    /// rounding noise); nil otherwise (already regular, too short, or really uneven).
    ///
    /// What the writer meant is restored where the tolerance allows: float32 end points become
    /// the shortest decimal that rounds to them (10.100000381 → 10.1), and the step the shortest
    /// decimal (fewest significant digits) that still keeps every value within the tolerance
    /// (2500.0027 m → 2500 m, 0.099999999 → 0.1).
    static func evenlySpaced(_ values: [Double], float32: Bool) -> [Double]? {
        guard values.count >= 3, AxisSummary.regularStep(values) == nil,
              let rawFirst = values.first, let rawLast = values.last else { return nil }
        let n = values.count
        let step = (rawLast - rawFirst) / Double(n - 1)
        guard step != 0, step.isFinite else { return nil }
        let tolerance = evennessTolerance(values, step: step, float32: float32)
        func fits(first: Double, step: Double) -> Bool {
            values.indices.allSatisfy { abs(values[$0] - (first + Double($0) * step)) <= tolerance }
        }
        guard fits(first: rawFirst, step: step) else { return nil }
        let first = float32 ? Double(Float(rawFirst).description) ?? rawFirst : rawFirst
        let last = float32 ? Double(Float(rawLast).description) ?? rawLast : rawLast
        var chosen = (last - first) / Double(n - 1)
        let magnitude = log10(abs(chosen)).rounded(.down)
        for digits in 1...12 {
            let scale = Math.pow(10, Double(digits - 1) - magnitude)
            let candidate = (chosen * scale).rounded() / scale
            if fits(first: first, step: candidate) {
                chosen = candidate
                break
            }
        }
        return (0..<n).map { first + Double($0) * chosen }
    }

    /// The largest distance of `values` from the line `values[0] + i·step`, in the values' units.
    static func largestDeviation(_ values: [Double], step: Double) -> (index: Int, deviation: Double) {
        var worst = (index: 0, deviation: 0.0)
        guard let first = values.first else { return worst }
        for (i, v) in values.enumerated() {
            let d = abs(v - (first + Double(i) * step))
            if d > worst.deviation { worst = (i, d) }
        }
        return worst
    }
}

