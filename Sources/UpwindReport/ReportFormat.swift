import Foundation
import UpwindCore

/// Number and time text for people: thousands separators, percentages, short UTC dates; an
/// undefined value (NaN, nil) is an en dash.
enum ReportFormat {
    static let dash = "–"

    /// `x` with `decimals` decimals and thousands separators (`17,852.7`); a dash when not finite.
    static func number(_ x: Double, decimals: Int = 0) -> String {
        guard x.isFinite, let fixed = JSONText.fixed(x, decimals: decimals) else { return dash }
        var text = fixed
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        let parts = text.split(separator: ".", maxSplits: 1)
        let whole = String(parts[0])
        var grouped = ""
        for (i, c) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        let out = grouped + (parts.count > 1 ? "." + parts[1] : "")
        return negative && out.contains(where: { $0 != "0" && $0 != "." && $0 != "," }) ? "-" + out : out
    }

    /// An integer with thousands separators.
    static func count(_ n: Int) -> String { number(Double(n)) }

    /// A share 0…1 as a percentage (`15.7%`); a dash when not finite.
    static func percent(_ share: Double, decimals: Int = 1) -> String {
        share.isFinite ? number(share * 100, decimals: decimals) + "%" : dash
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `2025-10-11 06:00`; a dash for nil.
    static func time(_ t: UTCTime?) -> String {
        guard let t else { return dash }
        let c = t.components
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour, c.minute)
    }

    /// `11 Oct 2025`; a dash for nil.
    static func day(_ t: UTCTime?) -> String {
        guard let t else { return dash }
        let c = t.components
        return "\(c.day) \(months[max(0, min(11, c.month - 1))]) \(c.year)"
    }

    /// `11–16 Oct 2025`, `30 Sep – 2 Oct 2025` or `30 Dec 2024 – 2 Jan 2025`.
    static func period(_ a: UTCTime?, _ b: UTCTime?) -> String {
        guard let a, let b else { return a.map { day($0) } ?? b.map { day($0) } ?? dash }
        let x = a.components, y = b.components
        if x.year == y.year && x.month == y.month {
            return x.day == y.day ? day(a) : "\(x.day)–\(y.day) \(months[max(0, min(11, x.month - 1))]) \(x.year)"
        }
        if x.year == y.year { return "\(x.day) \(months[max(0, min(11, x.month - 1))]) – \(day(b))" }
        return "\(day(a)) – \(day(b))"
    }
}
