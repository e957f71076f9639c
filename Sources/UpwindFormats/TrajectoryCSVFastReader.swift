import Foundation
import UpwindCore

/// The fast path of ``TrajectoryCSVReader``: the engine CSV as ``TrajectoryCSVWriter`` writes it
/// (LF or CRLF lines, no quoted fields, fixed-decimal numbers, `YYYY-MM-DDTHH:MM:SSZ` times) is
/// parsed from bytes without a `String` per field. Numbers with at most 15 significant digits
/// are `mantissa / 10^decimals`, one correctly rounded division, so they equal `Double(text)`
/// bit for bit. Anything else (a quote, an exponent, another time layout) returns nil and the
/// general reader (CSV.swift) reads the file, with its line-numbered errors.
enum TrajectoryCSVFastReader {
    /// Exact powers of ten.
    static let pow10: [Double] = {
        var out: [Double] = [1]
        for _ in 1...22 { out.append((out.last ?? 1) * 10) }  // exact up to 1e22
        return out
    }()

    /// A field as a byte range of the file.
    struct Field { var start: Int; var end: Int }

    /// The trajectories of `bytes`, or nil when the file needs the general reader.
    static func read(_ bytes: [UInt8]) -> [Trajectory]? {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    /// The trajectories of a file's contents, read in place (no copy), or nil.
    static func read(_ data: Data) -> [Trajectory]? {
        data.withUnsafeBytes { raw in parse(raw.bindMemory(to: UInt8.self)) }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> [Trajectory]? {
        let n = b.count
        if b.contains(34) { return nil }  // a quote: let CSV.swift handle it
        var pos = 0
        // Header.
        func lineEnd(_ from: Int) -> Int {
            var i = from
            while i < n && b[i] != 10 { i += 1 }
            return i
        }
        var start = 0
        if n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { start = 3 }
        let headerEnd = lineEnd(start)
        var headerText = String(decoding: UnsafeBufferPointer(rebasing: b[start..<headerEnd]), as: UTF8.self)
        if headerText.hasSuffix("\r") { headerText.removeLast() }
        let names = headerText.split(separator: ",", omittingEmptySubsequences: false).map { $0.lowercased() }
        func index(_ name: String) -> Int? { names.firstIndex(of: name) }
        var required: [Int] = []
        for name in TrajectoryCSVReader.requiredColumns {
            guard let i = index(name) else { return nil }
            required.append(i)
        }
        let (cID, cSite, cMember, cStartTime, cStartLat, cStartLon, cStartH, cTime, cAge, cLat, cLon, cH, cP, cTerm) =
            (required[0], required[1], required[2], required[3], required[4], required[5], required[6], required[7], required[8],
             required[9], required[10], required[11], required[12], required[13])
        let diag = ["terrain_m", "temperature_k", "theta_k", "mixing_depth_m", "relative_humidity_pct"].map(index)
        let columnCount = names.count
        var fields = [Field](repeating: Field(start: 0, end: 0), count: columnCount)
        let reasons = TerminationReason.allCases.map { (Array($0.rawValue.utf8), $0) }

        func number(_ f: Field) -> Double? {
            var i = f.start
            guard i < f.end else { return nil }
            var negative = false
            if b[i] == 45 { negative = true; i += 1 }
            var mantissa: UInt64 = 0
            var digits = 0, decimals = 0
            var seenPoint = false
            while i < f.end {
                let c = b[i]
                if c >= 48 && c <= 57 {
                    mantissa = mantissa &* 10 &+ UInt64(c - 48)
                    digits += 1
                    if seenPoint { decimals += 1 }
                } else if c == 46 && !seenPoint {
                    seenPoint = true
                } else {
                    return nil
                }
                i += 1
            }
            guard digits > 0 && digits <= 15 && decimals <= 22 else { return nil }
            let v = Double(mantissa) / pow10[decimals]
            return negative ? -v : v
        }
        func optional(_ column: Int?) -> Double?? {
            guard let column else { return .some(nil) }
            let f = fields[column]
            if f.start == f.end { return .some(nil) }
            guard let v = number(f) else { return nil }
            return .some(v)
        }
        func digits(_ at: Int, _ count: Int) -> Int? {
            var v = 0
            for k in 0..<count {
                let c = b[at + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        func time(_ f: Field) -> UTCTime? {
            guard f.end - f.start == 20, b[f.start + 4] == 45, b[f.start + 7] == 45, b[f.start + 10] == 84, b[f.start + 13] == 58,
                  b[f.start + 16] == 58, b[f.start + 19] == 90,
                  let y = digits(f.start, 4), let mo = digits(f.start + 5, 2), let d = digits(f.start + 8, 2),
                  let h = digits(f.start + 11, 2), let mi = digits(f.start + 14, 2), let s = digits(f.start + 17, 2),
                  (1...12).contains(mo), d >= 1, d <= UTCTime.daysInMonth(year: y, month: mo), h < 24, mi < 60, s < 60 else { return nil }
            return UTCTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        }
        func same(_ a: Field, _ c: Field) -> Bool {
            guard a.end - a.start == c.end - c.start else { return false }
            for k in 0..<(a.end - a.start) where b[a.start + k] != b[c.start + k] { return false }
            return true
        }
        func integer(_ f: Field) -> Int? {
            guard let v = number(f), v == v.rounded(), abs(v) < 1e15, !(f.start..<f.end).contains(where: { b[$0] == 46 }) else { return nil }
            return Int(v)
        }

        var trajectories: [Trajectory] = []
        var currentKey = Field(start: 0, end: -1)
        pos = headerEnd + 1
        while pos < n {
            var end = lineEnd(pos)
            let next = end + 1
            if end > pos && b[end - 1] == 13 { end -= 1 }
            if end == pos { pos = next; continue }  // blank line: the general reader decides
            // Split.
            var column = 0
            var fieldStart = pos
            var i = pos
            while i <= end {
                if i == end || b[i] == 44 {
                    guard column < columnCount else { return nil }
                    fields[column] = Field(start: fieldStart, end: i)
                    column += 1
                    fieldStart = i + 1
                }
                i += 1
            }
            guard column == columnCount else { return nil }
            guard let t = time(fields[cTime]), let age = number(fields[cAge]), let lat = number(fields[cLat]), let lon = number(fields[cLon]),
                  let height = optional(cH), let pressure = optional(cP) else { return nil }
            // Five diagnostics without a per-row array.
            guard let d0 = optional(diag[0]), let d1 = optional(diag[1]), let d2 = optional(diag[2]),
                  let d3 = optional(diag[3]), let d4 = optional(diag[4]) else { return nil }
            let termField = fields[cTerm]
            var reason: TerminationReason?
            for (raw, r) in reasons where raw.count == termField.end - termField.start {
                if raw.indices.allSatisfy({ raw[$0] == b[termField.start + $0] }) { reason = r; break }
            }
            guard let reason else { return nil }
            let endpoint = TrajectoryEndpoint(time: t, ageHours: age, latitude: lat, longitude: lon, heightAGL: height ?? .nan,
                                              pressureHPa: pressure ?? .nan,
                                              diagnostics: EndpointDiagnostics(terrainM: d0, temperatureK: d1, thetaK: d2,
                                                                               mixingDepthM: d3, relativeHumidityPct: d4))
            if trajectories.isEmpty || !same(fields[cID], currentKey) {
                currentKey = fields[cID]
                guard let id = integer(fields[cID]), let member = integer(fields[cMember]), let st = time(fields[cStartTime]),
                      let slat = number(fields[cStartLat]), let slon = number(fields[cStartLon]), let sh = number(fields[cStartH]) else { return nil }
                let site = String(decoding: UnsafeBufferPointer(rebasing: b[fields[cSite].start..<fields[cSite].end]), as: UTF8.self)
                let s = TrajectoryStart(site: site, latitude: slat, longitude: slon, height: sh, time: st)
                trajectories.append(Trajectory(id: id, start: s, member: member, isBackward: false, verticalMode: .data, endpoints: [],
                                               termination: Termination(reason: reason, time: st)))
            }
            let last = trajectories.count - 1
            trajectories[last].endpoints.append(endpoint)
            trajectories[last].termination = Termination(reason: reason, time: endpoint.time)
            if age < 0 { trajectories[last].isBackward = true }
            pos = next
        }
        return trajectories
    }
}
