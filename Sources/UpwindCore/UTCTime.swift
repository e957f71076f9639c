/// A UTC instant with one-second resolution, stored as whole seconds since
/// 1970-01-01T00:00:00Z on the proleptic Gregorian calendar.
///
/// A value type that keeps `Foundation.Date` out of hot loops. Civil-date
/// conversion uses Howard Hinnant's days-from-civil algorithm, exact for any year.
///
/// ```swift
/// let t = UTCTime(year: 2020, month: 1, day: 1, hour: 6)
/// t.iso8601            // "2020-01-01T06:00:00Z"
/// (t + 3600).hour      // 7
/// ```
public struct UTCTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z (UTC, no leap seconds).
    public var secondsSince1970: Int64

    /// Creates a time from seconds since 1970-01-01T00:00:00Z.
    public init(secondsSince1970: Int64) { self.secondsSince1970 = secondsSince1970 }

    /// Creates a time from proleptic-Gregorian civil fields (UTC). Out-of-range
    /// fields carry over (hour 24 is the next day's 00:00); month must be 1–12.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        let days = UTCTime.daysFromCivil(year: year, month: month, day: day)
        secondsSince1970 = Int64(days) * 86_400 + Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
    }

    /// Days since 1970-01-01 of a proleptic-Gregorian date (negative before 1970).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Proleptic-Gregorian civil date of a day count since 1970-01-01.
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The civil fields of this instant in UTC.
    public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let (days, secs) = secondsSince1970.quotientAndRemainderFloored(dividingBy: 86_400)
        let (y, m, d) = UTCTime.civilFromDays(Int(days))
        let s = Int(secs)
        return (y, m, d, s / 3600, (s % 3600) / 60, s % 60)
    }

    /// Hour of the day, 0–23 (UTC).
    public var hour: Int { components.hour }

    /// ISO 8601 text with a `Z` suffix, e.g. `1987-01-02T00:00:00Z`. Years
    /// outside 0–9999 are written with a sign and at least four digits.
    public var iso8601: String {
        let c = components
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(abs(v))
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        let year = (0...9999).contains(c.year) ? pad(c.year, 4) : (c.year < 0 ? "-" : "+") + pad(c.year, 4)
        return "\(year)-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))Z"
    }

    /// Same as ``iso8601``.
    public var description: String { iso8601 }

    /// Parses ISO 8601 date-times as analysts type them: `2020-01-01`,
    /// `2020-01-01T06`, `2020-01-01T06:30`, `2020-01-01 06:30:00Z`, with an
    /// optional `Z` or `±hh:mm` offset (converted to UTC). Returns nil when the
    /// text is not such a date-time or a field is out of range; ``init(parsing:zonelessOffsetSeconds:)``
    /// says why.
    public init?(iso8601 text: String) {
        guard let t = try? UTCTime(parsing: text) else { return nil }
        self = t
    }

    /// Parses an ISO 8601 date-time (the forms of ``init(iso8601:)``), or says why not.
    ///
    /// - Parameters:
    ///   - text: the date-time, e.g. `2024-01-15T06:00:00Z` or `2024-01-15 14:00+08:00`.
    ///   - zonelessOffsetSeconds: the UTC offset, in seconds, of a time written without `Z` or
    ///     an offset (0: such times are UTC; `8 * 3600`: Beijing time); nil refuses them.
    /// - Throws: ``UTCTimeParseError`` with the text and the reason.
    public init(parsing text: String, zonelessOffsetSeconds: Int? = 0) throws(UTCTimeParseError) {
        func fail(_ reason: String) -> UTCTimeParseError { UTCTimeParseError(text: text, reason: reason) }
        var s = Substring(text.trimmingSpaces())
        guard !s.isEmpty else { throw fail("it is empty") }
        var offsetSeconds: Int?
        if s.hasSuffix("Z") || s.hasSuffix("z") {
            s = s.dropLast()
            offsetSeconds = 0
        } else if s.count > 10, let signIndex = s.lastIndex(where: { $0 == "+" || $0 == "-" }),
                  s.distance(from: s.startIndex, to: signIndex) > 10 {
            let zoneText = s[s.index(after: signIndex)...]
            let zone = zoneText.contains(":") ? zoneText.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                : zoneText.count == 4 ? [String(zoneText.prefix(2)), String(zoneText.suffix(2))] : [String(zoneText)]
            guard zone.count <= 2, let h = Int(zone[0]), (0...14).contains(h) else {
                throw fail("the UTC offset '\(s[signIndex...])' is not ±hh:mm with hours 0–14")
            }
            let m = zone.count > 1 ? Int(zone[1]) : 0
            guard let m, (0..<60).contains(m) else { throw fail("the UTC offset '\(s[signIndex...])' has minutes outside 0–59") }
            offsetSeconds = (h * 3600 + m * 60) * (s[signIndex] == "+" ? 1 : -1)
            s = s[..<signIndex]
        }
        if offsetSeconds == nil {
            guard let assumed = zonelessOffsetSeconds else {
                throw fail("it has no time zone: add Z (UTC) or an offset such as +08:00")
            }
            offsetSeconds = assumed
        }
        let parts = s.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "T" || $0 == " " || $0 == "t" })
        guard parts.count == 1 || parts.count == 2 else { throw fail("expected a date and a time separated by T, e.g. 2024-01-15T06:00:00Z") }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, let y = Int(date[0]), let mo = Int(date[1]), let d = Int(date[2]) else {
            throw fail("the date '\(parts[0])' is not YYYY-MM-DD")
        }
        guard UTCTime.supportedYears.contains(y) else {
            throw fail("year \(y) is outside \(UTCTime.supportedYears.lowerBound)…\(UTCTime.supportedYears.upperBound)")
        }
        guard (1...12).contains(mo) else { throw fail("month \(mo) is not 1–12") }
        guard (1...UTCTime.daysInMonth(year: y, month: mo)).contains(d) else {
            throw fail("day \(d) is not in \(y)-\(mo < 10 ? "0" : "")\(mo) (1–\(UTCTime.daysInMonth(year: y, month: mo)))")
        }
        var h = 0, mi = 0, sec = 0
        if parts.count == 2 {
            let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard (1...3).contains(clock.count) else { throw fail("the time '\(parts[1])' is not hh, hh:mm or hh:mm:ss") }
            guard let hh = Int(clock[0]), (0...23).contains(hh) else { throw fail("hour '\(clock[0])' is not 0–23") }
            h = hh
            if clock.count > 1 {
                guard let v = Int(clock[1]), (0...59).contains(v) else { throw fail("minute '\(clock[1])' is not 0–59") }
                mi = v
            }
            if clock.count > 2 {
                guard let v = Double(clock[2]), v >= 0, v < 61 else { throw fail("second '\(clock[2])' is not 0–60") }
                sec = Int(v.rounded(.down))
            }
        }
        self.init(year: y, month: mo, day: d, hour: h, minute: mi, second: sec)
        secondsSince1970 -= Int64(offsetSeconds ?? 0)
    }

    /// The years a time read from input may have: −999,999…999,999. Readers refuse years outside
    /// it, so the seconds of any time they make (and sums of a few such times) stay far inside
    /// `Int64` (±3.2·10¹³ s against ±9.2·10¹⁸).
    public static let supportedYears = -999_999...999_999

    /// Number of days in a proleptic-Gregorian month.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Orders instants in time.
    public static func < (lhs: UTCTime, rhs: UTCTime) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

    /// The instant `seconds` later (earlier when negative).
    public static func + (lhs: UTCTime, seconds: Int64) -> UTCTime { UTCTime(secondsSince1970: lhs.secondsSince1970 + seconds) }

    /// Seconds from `rhs` to `lhs`.
    public static func - (lhs: UTCTime, rhs: UTCTime) -> Int64 { lhs.secondsSince1970 - rhs.secondsSince1970 }
}

extension Int64 {
    /// Quotient and non-negative remainder (floor division).
    func quotientAndRemainderFloored(dividingBy d: Int64) -> (Int64, Int64) {
        var q = self / d, r = self % d
        if r < 0 { q -= 1; r += d }
        return (q, r)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

extension UTCTime: Codable {
    /// Decodes an ISO 8601 string (see ``init(iso8601:)``).
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try UTCTime(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not an ISO 8601 date-time such as 2024-01-15T06:00:00Z: \(error.reason)"))
        }
    }

    /// Encodes as ISO 8601 with `Z`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(iso8601)
    }
}

/// Why a text is not an ISO 8601 date-time (``UTCTime/init(parsing:zonelessOffsetSeconds:)``).
public struct UTCTimeParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text as given.
    public var text: String
    /// What is wrong with it.
    public var reason: String
    /// Creates an error.
    public init(text: String, reason: String) { self.text = text; self.reason = reason }
    /// One line: the text, why, and an example of what works.
    public var description: String {
        "'\(text)' is not an ISO 8601 date-time: \(reason) (e.g. 2024-01-15T06:00:00Z or 2024-01-15T14:00+08:00)"
    }
}
