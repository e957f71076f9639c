import Foundation
import UpwindCore

/// What a WRF ARW dataset holds, as `upwind inspect` reports it: the JSON contract of
/// ``MetInspection`` (keys `grid`, `vertical`, `time`, `variables`, `missing_values`, `files`)
/// with keys added.
///
/// - `grid`: a projected grid as ``MetInspection`` gives it (`kind = "projected"`, `projection`,
///   `x`, `y` of the dataset's grid: the union of a moving nest's positions; `kind = "latlon"` with
///   `longitude`/`latitude` axes for `MAP_PROJ = 6`), or a curvilinear one
///   (`kind = "curvilinear"`, `shape`, `latitude`, `longitude`, `moving`); both then add `shape`
///   `[ny, nx]` (one time's mass points), `latitude`/`longitude` `{min, max}` over every time,
///   `moving` (true for a moving nest), `map_proj` (WRF's code), `fit_error_m` (largest distance of
///   a mass point from the projected grid; null for curvilinear), `note` and `rotation_note` (the
///   file's `COSALPHA`/`SINALPHA` disagree with the projection by more than 0.2°; else null).
/// - `vertical`: `kind = "sigma"` with the η `levels` (bottom-up), then `native = "wrf_eta"`,
///   `eta_from_file` (false: nominal labels without `ZNU`), `top_hpa` (`P_TOP`, or null) and
///   `pressure = "P+PB"` (the level pressures the engine uses, per node).
/// - `variables`: the WRF names under the role keys, `matched_by = "name"`; `u`/`v` are `U`/`V`
///   (staggered, grid-relative in the file; de-staggered and turned earth-relative on reading),
///   `geopotential_height` is `PH+PHB`.
/// - `format = "wrf"`.
public struct WRFInspection: Sendable {
    /// The dataset described.
    public let dataset: WRFDataset
    /// Missing u and v values over the whole dataset, or nil when not scanned.
    public let missingValues: Int?
    /// Latitude and longitude range of the mass points over every time, degrees.
    public let latitudeRange: (min: Double, max: Double)
    /// See ``latitudeRange``.
    public let longitudeRange: (min: Double, max: Double)

    /// Describes `dataset`; `scan` reads every `U` and `V` value to count missing ones.
    /// - Throws: ``MetError`` when reading fails.
    public init(_ dataset: WRFDataset, scan: Bool = true) throws {
        self.dataset = dataset
        var latMin = Double.infinity, latMax = -Double.infinity, lonMin = Double.infinity, lonMax = -Double.infinity
        for e in dataset.entries {
            let c = try dataset.files[e.file].coordinates(at: e.index)
            for (la, lo) in zip(c.lat, c.lon) {
                latMin = min(latMin, la); latMax = max(latMax, la); lonMin = min(lonMin, lo); lonMax = max(lonMax, lo)
            }
        }
        latitudeRange = (latMin, latMax)
        longitudeRange = (lonMin, lonMax)
        if scan {
            var n = 0
            for e in dataset.entries {
                let f = dataset.files[e.file]
                let u = try f.read("U", at: e.index, count: dataset.nz * dataset.ny * (dataset.nx + 1))
                let v = try f.read("V", at: e.index, count: dataset.nz * (dataset.ny + 1) * dataset.nx)
                n += u.reduce(0) { $0 + ($1.isFinite ? 0 : 1) } + v.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
            }
            missingValues = n
        } else {
            missingValues = nil
        }
    }

    /// The WRF variable behind each role (nil: absent), with its units.
    var roleVariables: [(role: MetRole, name: String?, units: String)] {
        let has = Set(dataset.variableNames)
        func v(_ name: String) -> String? { has.contains(name) ? name : nil }
        return [
            (.u, "U", "m s-1"), (.v, "V", "m s-1"), (.w, v("W"), "m s-1"), (.geopotential, nil, ""),
            (.geopotentialHeight, "PH+PHB", "m2 s-2"), (.temperature, v("T"), "K"), (.surfacePressure, v("PSFC"), "Pa"),
            (.orography, v("HGT"), "m"), (.boundaryLayerHeight, v("PBLH"), "m"), (.specificHumidity, nil, ""), (.relativeHumidity, nil, ""),
        ]
    }

    /// The inspect document as an ordered JSON value.
    public var jsonValue: JSONValue {
        let d = dataset
        func range(_ r: (min: Double, max: Double)) -> JSONValue {
            .object([("min", .number(JSONValue.rounded(r.min))), ("max", .number(JSONValue.rounded(r.max)))])
        }
        var gridFields: [(String, JSONValue)]
        if case .curvilinear(let g) = d.projection {
            gridFields = [("kind", .string("curvilinear")), ("shape", .array([.number(Double(g.ny)), .number(Double(g.nx))])),
                          ("latitude", range(latitudeRange)), ("longitude", range(longitudeRange)), ("moving", .bool(d.isMoving)),
                          ("coordinates", .object([("latitude", .string("XLAT")), ("longitude", .string("XLONG"))])),
                          ("winds", .string("grid-relative")),
                          ("wind_angle", .string(g.hasGivenRotation ? "COSALPHA/SINALPHA" : "coordinates"))]
        } else if let p = ProjectedGridSummary(d.projection), case .object(let fields) = p.json(nx: d.projection.grid.nx, ny: d.projection.grid.ny) {
            gridFields = fields + [("shape", .array([.number(Double(d.ny)), .number(Double(d.nx))])),
                                   ("latitude", range(latitudeRange)), ("longitude", range(longitudeRange)), ("moving", .bool(d.isMoving))]
        } else if case .latLon(let g) = d.projection {
            func axis(_ a: AxisSummary) -> JSONValue {
                .object([("first", .number(JSONValue.rounded(a.first))), ("last", .number(JSONValue.rounded(a.last))), ("count", .number(Double(a.count))),
                         ("step", a.step.map { .number(JSONValue.rounded($0)) } ?? .null)])
            }
            gridFields = [("kind", .string("latlon")), ("longitude", axis(AxisSummary(values: g.longitudes))), ("latitude", axis(AxisSummary(values: g.latitudes))),
                          ("shape", .array([.number(Double(d.ny)), .number(Double(d.nx))])), ("moving", .bool(d.isMoving))]
        } else {
            gridFields = [("kind", .string("unknown"))]
        }
        gridFields += [("map_proj", .number(Double(d.map.mapProjection))),
                       ("fit_error_m", d.fitErrorM.map { .number(JSONValue.rounded($0)) } ?? .null),
                       ("note", d.gridNote.map { .string($0) } ?? .null),
                       ("rotation_note", d.rotationNote.map { .string($0) } ?? .null)]
        let vertical: [(String, JSONValue)] = [
            ("kind", .string(VerticalKind.sigma.rawValue)), ("units", .string("1")),
            ("levels", .array(d.eta.map { .number(JSONValue.rounded($0)) })),
            ("native", .string("wrf_eta")), ("eta_from_file", .bool(d.etaFromFile)),
            ("top_hpa", d.topPressureHPa.map { .number(JSONValue.rounded($0)) } ?? .null),
            ("pressure", .string("P+PB")),
        ]
        let variables: [(String, JSONValue)] = roleVariables.map { r in
            guard let name = r.name else { return (r.role.rawValue, .null) }
            var fields: [(String, JSONValue)] = [("name", .string(name)), ("units", .string(r.units))]
            if r.role == .w { fields.append(("kind", .string(VerticalVelocityKind.w.rawValue))) }
            fields.append(("matched_by", .string(MetRoleMatch.name.rawValue)))
            return (r.role.rawValue, .object(fields))
        }
        return .object([
            ("grid", .object(gridFields)),
            ("vertical", .object(vertical)),
            ("time", JSONValue.timeAxis(d.times)),
            ("variables", .object(variables)),
            ("missing_values", missingValues.map { .number(Double($0)) } ?? .null),
            ("files", .array(d.paths.map { .string($0) })),
            ("format", .string("wrf")),
        ])
    }

    /// The inspect document as JSON text.
    public func json(pretty: Bool = true) -> String { jsonValue.serialized(pretty: pretty) }

    /// A human-readable summary, one fact per line.
    public var summary: String {
        let d = dataset
        func f(_ x: Double) -> String { JSONText.number((x * 1000).rounded() / 1000) }
        var lines: [String] = []
        lines.append("files:      \(d.paths.count == 1 ? d.paths[0] : "\(d.paths.count) files (\(d.paths[0]) …)")")
        lines.append("format:     WRF ARW output, MAP_PROJ \(d.map.mapProjection) (\(d.map.name)), \(d.nx)×\(d.ny) mass points, DX \(f(d.map.dx / 1000)) km")
        if case .curvilinear(let g) = d.projection {
            lines.append("grid:       curvilinear \(g.nx)×\(g.ny) from 2-D 'XLAT'/'XLONG', fixed, grid-relative winds turned with \(g.hasGivenRotation ? "COSALPHA/SINALPHA" : "the local grid angle from the coordinates")")
        } else if let p = ProjectedGridSummary(d.projection) {
            lines += p.summaryLines(grid: EarthRelativeWindGrid(d.projection.grid), windsGridRelative: false)
            lines.append("fit:        XLAT/XLONG within \(f(d.fitErrorM ?? .nan)) m of the projected grid")
        } else if case .latLon(let g) = d.projection {
            let lon = AxisSummary(values: g.longitudes), lat = AxisSummary(values: g.latitudes)
            lines.append("grid:       lat-lon \(g.nx)×\(g.ny), step \(f(lon.step ?? .nan))° × \(f(lat.step ?? .nan))°, earth-relative winds")
            lines.append("fit:        XLAT/XLONG within \(f(d.fitErrorM ?? .nan)) m of the regular grid")
        }
        if d.isMoving {
            let offsets = d.placements.map { "(\($0.i0),\($0.j0))" }.joined(separator: " ")
            lines.append("moving:     yes, a moving nest: \(d.times.count) positions of the \(d.nx)×\(d.ny) grid at offsets \(offsets) in a \(d.projection.grid.nx)×\(d.projection.grid.ny) union")
        } else {
            lines.append("moving:     no (fixed domain)")
        }
        lines.append("latitude:   \(f(latitudeRange.min))…\(f(latitudeRange.max))")
        lines.append("longitude:  \(f(longitudeRange.min))…\(f(longitudeRange.max))")
        if let note = d.gridNote { lines.append("note:       \(note)") }
        if let note = d.rotationNote { lines.append("note:       \(note)") }
        let top = d.topPressureHPa.map { ", P_TOP \(f($0)) hPa" } ?? ""
        lines.append("vertical:   WRF terrain-following eta, \(d.nz) mass levels [\(d.eta.map { f($0) }.joined(separator: ", "))]\(d.etaFromFile ? " (ZNU)" : " (nominal: no ZNU in the file)")\(top); pressure P+PB per node")
        if let first = d.times.first, let last = d.times.last {
            let steps = zip(d.times, d.times.dropFirst()).map { $1 - $0 }
            let stepText = Set(steps).count == 1 ? "every \(JSONText.number(Double(steps[0]) / 3600)) h" : (steps.isEmpty ? "one time" : "irregular steps")
            lines.append("time:       \(first.iso8601) … \(last.iso8601), \(d.times.count) times, \(stepText)")
        }
        for r in roleVariables {
            guard let name = r.name else { continue }
            let pad = String(repeating: " ", count: max(1, 22 - r.role.rawValue.count))
            lines.append("  \(r.role.rawValue)\(pad)\(name) [\(r.units)]\(r.role == .w ? " (w)" : "")")
        }
        let absent = roleVariables.filter { $0.name == nil }.map(\.role.rawValue)
        if !absent.isEmpty { lines.append("absent:     \(absent.joined(separator: ", "))") }
        lines.append("missing u/v values: \(missingValues.map(String.init) ?? "not scanned")")
        return lines.joined(separator: "\n")
    }
}
