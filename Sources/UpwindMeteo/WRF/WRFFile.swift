import Foundation
import NetCDFKit
import UpwindCore

/// One `wrfout` file: its dimensions, times, map parameters and the variables Upwind reads,
/// checked on opening (``WRFDataset`` combines several).
final class WRFFile: Sendable {
    let path: String
    let file: NetCDFFile
    /// Mass points along x, y and mass levels.
    let nx: Int, ny: Int, nz: Int
    let map: WRFMapParameters
    let times: [UTCTime]
    /// The variables by name.
    let variables: [String: NetCDFVariable]

    /// What each required variable is, for the message when it is missing.
    static let required: [(names: [String], what: String)] = [
        (["U", "V"], "the staggered wind components (U on west_east_stag, V on south_north_stag)"),
        (["PH", "PHB"], "the perturbation and base-state geopotential on the full levels (bottom_top_stag), for the heights (PH + PHB)/g"),
        (["P", "PB"], "the perturbation and base-state pressure on the mass levels, for the pressure P + PB"),
        (["XLAT", "XLONG"], "the latitude and longitude of the mass points"),
        (["Times"], "the valid times (character YYYY-MM-DD_HH:MM:SS)"),
    ]

    /// Opens and checks one file.
    /// - Throws: ``MetError/unsupportedFormat(path:detail:)`` naming what is missing and what to
    ///   add; ``MetError/netCDF(_:)`` for unreadable files; ``MetError/badTimeUnits(path:variable:units:)``
    ///   for an unreadable `Times` entry.
    init(path: String) throws {
        self.path = path
        do {
            file = try NetCDFFile.open(path, mode: .read)
        } catch let error as NetCDFError {
            throw MetError.netCDF(error)
        }
        var byName: [String: NetCDFVariable] = [:]
        var globals: [String: NetCDFAttributeValue] = [:]
        var dims: [String: Int] = [:]
        do {
            for v in try file.root.variables() { byName[v.name] = v }
            for a in try file.root.attributes() { globals[a.name] = a.value }
            for d in try file.root.dimensions() { dims[d.name] = d.length }
        } catch let error as NetCDFError {
            throw MetError.netCDF(error)
        }
        variables = byName
        for (names, what) in WRFFile.required {
            let missing = names.filter { byName[$0] == nil }
            guard !missing.isEmpty else { continue }
            throw MetError.unsupportedFormat(path: path, detail: "WRF output without \(missing.joined(separator: " and ")): Upwind needs \(names.joined(separator: " and ")), \(what). Add \(missing.count == 1 ? "it" : "them") to the history output (they are in WRF's default history stream; if the file was cut with ncks or an iofields file, keep \(names.joined(separator: ", ")))")
        }
        guard let nx = dims["west_east"], let ny = dims["south_north"], let nz = dims["bottom_top"],
              dims["west_east_stag"] == nx + 1, dims["south_north_stag"] == ny + 1, dims["bottom_top_stag"] == nz + 1,
              nx >= 2, ny >= 2, nz >= 2 else {
            throw MetError.unsupportedFormat(path: path, detail: "WRF output needs the dimensions west_east, south_north, bottom_top (at least 2 each) and their staggered forms one longer; found \(dims.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        }
        self.nx = nx; self.ny = ny; self.nz = nz
        func number(_ name: String) -> Double? { globals[name]?.doubles?.first }
        guard let proj = number("MAP_PROJ"), let dx = number("DX"), let dy = number("DY") else {
            throw MetError.unsupportedFormat(path: path, detail: "WRF output needs the global attributes MAP_PROJ, DX and DY (with TRUELAT1, TRUELAT2, STAND_LON): they are missing; keep the global attributes when cutting the file")
        }
        map = WRFMapParameters(mapProjection: Int(proj.rounded()), trueLatitude1: number("TRUELAT1") ?? 0, trueLatitude2: number("TRUELAT2") ?? number("TRUELAT1") ?? 0,
                               standardLongitude: number("STAND_LON") ?? number("CEN_LON") ?? 0, centreLatitude: number("CEN_LAT") ?? .nan,
                               dx: dx, dy: dy, poleLatitude: number("POLE_LAT") ?? 90, poleLongitude: number("POLE_LON") ?? 0)
        // Times.
        let texts: [String]
        do {
            texts = try byName["Times"].map { try $0.readStrings() } ?? []
        } catch let error as NetCDFError {
            throw MetError.netCDF(error)
        }
        var parsed: [UTCTime] = []
        for t in texts {
            guard let time = WRFFile.parseTime(t) else { throw MetError.badTimeUnits(path: path, variable: "Times", units: t) }
            parsed.append(time)
        }
        guard !parsed.isEmpty else { throw MetError.missingAxis(path: path, variable: "Times", axis: "time", reason: "no times in the file") }
        times = parsed
    }

    /// Parses WRF's `YYYY-MM-DD_HH:MM:SS` (UTC).
    static func parseTime(_ text: String) -> UTCTime? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(whereSeparator: { "-_: ".contains($0) }).map { Int($0) }
        guard parts.count == 6, let y = parts[0], let mo = parts[1], let d = parts[2], let h = parts[3], let mi = parts[4], let s = parts[5],
              (1...12).contains(mo), (1...31).contains(d), (0...23).contains(h), (0...59).contains(mi), (0...60).contains(s) else { return nil }
        return UTCTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }

    /// The start and count that select time `index` of `v` (whole variable when it has no `Time` dimension).
    func selection(_ v: NetCDFVariable, index: Int) -> (start: [Int], count: [Int]) {
        var start = [Int](repeating: 0, count: v.rank), count = v.shape
        if v.dimensions.first?.name == "Time" { start[0] = index; count[0] = 1 }
        return (start, count)
    }

    /// Variable `name` at time `index` as Float, checked to hold `count` values.
    /// - Throws: ``MetError/unsupportedLayout(path:variable:detail:)`` for a wrong size; read errors.
    func read(_ name: String, at index: Int, count expected: Int) throws -> [Float] {
        guard let v = variables[name] else {
            throw MetError.unsupportedFormat(path: path, detail: "WRF output without \(name)")
        }
        let (start, count) = selection(v, index: index)
        let values = try MetError.wrapping { try v.read(Float.self, start: start, count: count) }
        guard values.count == expected else {
            throw MetError.unsupportedLayout(path: path, variable: name, detail: "\(values.count) values per time where the WRF dimensions give \(expected) (dimensions \(v.dimensions.map(\.name).joined(separator: ", ")))")
        }
        return values
    }

    /// ``read(_:at:count:)`` for an optional variable: nil when absent.
    func readOptional(_ name: String, at index: Int, count: Int) throws -> [Float]? {
        guard variables[name] != nil else { return nil }
        return try read(name, at: index, count: count)
    }

    /// `XLAT`, `XLONG` at time `index`, degrees.
    func coordinates(at index: Int) throws -> (lat: [Double], lon: [Double]) {
        let lat = try read("XLAT", at: index, count: nx * ny), lon = try read("XLONG", at: index, count: nx * ny)
        return (lat.map(Double.init), lon.map(Double.init))
    }

    /// `COSALPHA`, `SINALPHA` at time `index`, or nil when the file lacks either.
    func rotation(at index: Int) throws -> (cos: [Float], sin: [Float])? {
        guard let c = try readOptional("COSALPHA", at: index, count: nx * ny), let s = try readOptional("SINALPHA", at: index, count: nx * ny) else { return nil }
        return (c, s)
    }

    /// `ZNU` (η of the mass levels) at time `index`, or nil.
    func znu(at index: Int) throws -> [Double]? {
        try readOptional("ZNU", at: index, count: nz).map { $0.map(Double.init) }
    }

    /// `P_TOP` (Pa) at time `index`, or nil.
    func pTop(at index: Int) throws -> Double? {
        try readOptional("P_TOP", at: index, count: 1).flatMap { $0.first.map(Double.init) }
    }
}
