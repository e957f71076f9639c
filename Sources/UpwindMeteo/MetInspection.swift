import Foundation
import UpwindCore

/// What a met source holds, as `upwind inspect` reports it. The JSON form
/// (``json(pretty:)``) is a stable contract: keys are only ever added.
///
/// Each role under `variables` is null or an object with `name`, `units` (as stored), `kind`
/// (for w: `omega` or `w`), `levels` (when the variable lacks some of the wind's levels),
/// `matched_by` (`"standard_name"`, `"name"`, `"long_name"` or `"map"`: the rule that found it,
/// see ``MetRoleMatch``) and `units_assumed` (present and true only when the file gives no
/// units and `units` are the ones the name implies, e.g. HYSPLIT's `WWND` in hPa s⁻¹).
public struct MetInspection: Sendable {
    /// The dataset described.
    public let dataset: MetDataset
    /// Missing u and v values over the whole dataset, or nil when not scanned.
    public let missingValues: Int?

    /// Describes `dataset`; `scan` counts missing wind values (reads every u and v value).
    /// - Throws: ``MetError`` when scanning fails to read the data.
    public init(_ dataset: MetDataset, scan: Bool = true) throws {
        self.dataset = dataset
        missingValues = scan ? try dataset.countMissingWind() : nil
    }

    /// The inspect document as an ordered JSON value.
    public var jsonValue: JSONValue {
        let d = dataset
        let lon = AxisSummary(values: d.grid.longitudes)
        let lat = AxisSummary(values: d.grid.latitudes)
        func axis(_ a: AxisSummary, global: Bool?) -> JSONValue {
            var fields: [(String, JSONValue)] = [
                ("first", .number(a.first)), ("last", .number(a.last)), ("count", .number(Double(a.count))),
                ("step", a.step.map { .number(JSONValue.rounded($0)) } ?? .null),
            ]
            if let global { fields.append(("global", .bool(global))) }
            return .object(fields)
        }
        let roles: [MetRole] = [.u, .v, .w, .geopotential, .geopotentialHeight, .temperature, .surfacePressure,
                                .orography, .boundaryLayerHeight, .specificHumidity, .relativeHumidity]
        let variables: [(String, JSONValue)] = roles.map { role in
            guard let info = d.variables[role] else { return (role.rawValue, .null) }
            var fields: [(String, JSONValue)] = [("name", .string(info.name)), ("units", .string(info.units))]
            if let kind = info.verticalVelocity { fields.append(("kind", .string(kind.rawValue))) }
            if !info.levels.isEmpty && !MetDataset.same(info.levels, d.vertical.levels) {
                fields.append(("levels", .array(info.levels.map { .number($0) })))
            }
            fields.append(("matched_by", .string(info.matchedBy.rawValue)))
            if info.unitsAssumed { fields.append(("units_assumed", .bool(true))) }
            return (role.rawValue, .object(fields))
        }
        let grid: JSONValue
        if case .curvilinear(let g) = d.projection {
            grid = curvilinearJSON(g)
        } else if let p = d.projection.flatMap(ProjectedGridSummary.init) {
            grid = p.json(nx: d.grid.nx, ny: d.grid.ny)
        } else {
            grid = .object([
                ("kind", .string("latlon")),
                ("longitude", axis(lon, global: d.grid.isGlobal)),
                ("latitude", axis(lat, global: nil)),
            ])
        }
        var vertical: [(String, JSONValue)] = [
            ("kind", .string(d.vertical.kind.rawValue)),
            ("units", d.vertical.units.map { .string($0) } ?? .null),
            ("levels", .array(d.vertical.levels.map { .number($0) })),
        ]
        if let (a, b) = d.hybridCoefficients {
            vertical.append(("a_hpa", .array(a.map { .number(JSONValue.rounded($0)) })))
            vertical.append(("b", .array(b.map { .number(JSONValue.rounded($0)) })))
        }
        if let top = d.sigmaTopPressure, top != 0 { vertical.append(("top_hpa", .number(top))) }
        return .object([
            ("grid", grid),
            ("vertical", .object(vertical)),
            ("time", JSONValue.timeAxis(d.times)),
            ("variables", .object(variables)),
            ("missing_values", missingValues.map { .number(Double($0)) } ?? .null),
            ("files", .array(d.paths.map { .string($0) })),
        ])
    }

    /// The inspect document as JSON text.
    public func json(pretty: Bool = true) -> String { jsonValue.serialized(pretty: pretty) }

    /// A human-readable summary, one fact per line.
    public var summary: String {
        let d = dataset
        let lon = AxisSummary(values: d.grid.longitudes), lat = AxisSummary(values: d.grid.latitudes)
        func step(_ s: Double?) -> String { s.map { "step \(JSONText.number(JSONValue.rounded($0)))°" } ?? "irregular" }
        var lines: [String] = []
        lines.append("files:      \(d.paths.count == 1 ? d.paths[0] : "\(d.paths.count) files (\(d.paths[0]) …)")")
        if case .curvilinear(let g) = d.projection {
            lines += curvilinearLines(g)
        } else if let p = d.projection.flatMap(ProjectedGridSummary.init) {
            lines += p.summaryLines(grid: d.horizontalGrid, windsGridRelative: d.gridRelativeWinds)
        } else {
            lines.append("grid:       lat-lon \(lon.count)×\(lat.count)")
            lines.append("longitude:  \(JSONText.number(lon.first))…\(JSONText.number(lon.last)) \(step(lon.step))\(d.grid.isGlobal ? ", global (wraps)" : "")")
            lines.append("latitude:   \(JSONText.number(lat.first))…\(JSONText.number(lat.last)) \(step(lat.step))")
        }
        if d.vertical.kind == .surface {
            lines.append("vertical:   single level (no vertical coordinate)")
        } else {
            lines.append("vertical:   \(d.vertical.kind.rawValue), \(d.vertical.levels.count) levels [\(d.vertical.levels.map { JSONText.number($0) }.joined(separator: ", "))] \(d.vertical.units ?? "")")
        }
        if let first = d.times.first, let last = d.times.last {
            let steps = zip(d.times, d.times.dropFirst()).map { $1 - $0 }
            let stepText = Set(steps).count == 1 ? "every \(JSONText.number(Double(steps[0]) / 3600)) h" : (steps.isEmpty ? "one time" : "irregular steps")
            lines.append("time:       \(first.iso8601) … \(last.iso8601), \(d.times.count) times, \(stepText)")
        }
        for role in MetRole.allCases {
            guard let info = d.variables[role] else { continue }
            let kind = info.verticalVelocity.map { " (\($0 == .omega ? "omega" : "w"))" } ?? ""
            let pad = String(repeating: " ", count: max(1, 22 - role.rawValue.count))
            let units = info.unitsAssumed ? "\(info.units), assumed from the name" : info.units
            lines.append("  \(role.rawValue)\(pad)\(info.name) [\(units)]\(kind), by \(info.matchedBy.rawValue)")
        }
        let absent = MetRole.allCases.filter { d.variables[$0] == nil }.map(\.rawValue)
        if !absent.isEmpty { lines.append("absent:     \(absent.joined(separator: ", "))") }
        lines.append("missing u/v values: \(missingValues.map(String.init) ?? "not scanned")")
        return lines.joined(separator: "\n")
    }
}

extension MetInspection {
    /// The `grid` object of a curvilinear dataset: `kind = "curvilinear"`, `shape` `[ny, nx]`,
    /// `latitude` and `longitude` `{min, max}` (degrees; longitude `max` above 180 across the
    /// antimeridian, −180…180 around a pole), `moving` (false: one grid for all times), then
    /// `coordinates` (the 2-D variables' names), `winds` (`grid-relative` or `earth-relative`),
    /// `wind_angle` (`coordinates` or `COSALPHA/SINALPHA`) and `note` (why a grid_mapping was set
    /// aside, or null).
    func curvilinearJSON(_ g: CurvilinearGrid) -> JSONValue {
        let d = dataset
        func range(_ r: (min: Double, max: Double)) -> JSONValue {
            .object([("min", .number(JSONValue.rounded(r.min))), ("max", .number(JSONValue.rounded(r.max)))])
        }
        return .object([
            ("kind", .string("curvilinear")),
            ("shape", .array([.number(Double(g.ny)), .number(Double(g.nx))])),
            ("latitude", range(g.latitudeRange)),
            ("longitude", range(g.longitudeRange)),
            ("moving", .bool(false)),
            ("coordinates", .object([
                ("latitude", d.curvilinearCoordinates.map { .string($0.latitude) } ?? .null),
                ("longitude", d.curvilinearCoordinates.map { .string($0.longitude) } ?? .null),
            ])),
            ("winds", .string(d.gridRelativeWinds ? "grid-relative" : "earth-relative")),
            ("wind_angle", .string(g.hasGivenRotation ? "COSALPHA/SINALPHA" : "coordinates")),
            ("note", d.gridNote.map { .string($0) } ?? .null),
        ])
    }

    /// The `grid:` lines of the text summary of a curvilinear dataset.
    func curvilinearLines(_ g: CurvilinearGrid) -> [String] {
        let d = dataset
        func f(_ x: Double) -> String { JSONText.number((x * 1000).rounded() / 1000) }
        let names = d.curvilinearCoordinates.map { " from 2-D '\($0.latitude)'/'\($0.longitude)'" } ?? ""
        let winds = d.gridRelativeWinds
            ? "grid-relative winds turned with the local grid angle from \(g.hasGivenRotation ? "COSALPHA/SINALPHA" : "the coordinates")"
            : "earth-relative winds"
        var lines = [
            "grid:       curvilinear \(g.nx)×\(g.ny)\(names), fixed, \(winds)",
            "latitude:   \(f(g.latitudeRange.min))…\(f(g.latitudeRange.max))",
            "longitude:  \(f(g.longitudeRange.min))…\(f(g.longitudeRange.max))\(g.longitudeRange.max > 180 ? " (across the antimeridian)" : "")",
        ]
        if let note = d.gridNote { lines.append("note:       \(note)") }
        return lines
    }
}

/// What a HYSPLIT ARL dataset holds, as `upwind inspect` reports it: the same JSON
/// contract as ``MetInspection`` (keys `grid`, `vertical`, `time`, `variables`,
/// `missing_values`, `files`), with the ARL variable names and units under the same role
/// keys, and for conformal grids `grid.kind = "projected"` with a `projection` object and
/// `x`/`y` axes in metres. Two keys are added at the end: `format` (`"arl"`) and
/// `model_id` (the index records' source id).
public struct ARLInspection: Sendable {
    /// The dataset described.
    public let dataset: ARLDataset
    /// Missing u and v values over the whole dataset, or nil when not scanned.
    public let missingValues: Int?

    /// The ARL variable and its units (as HYSPLIT's User's Guide gives them) for each role.
    public static let roleVariables: [(role: MetRole, name: String, units: String)] = [
        (.u, "UWND", "m/s"), (.v, "VWND", "m/s"), (.w, "WWND", "hPa/s"), (.geopotentialHeight, "HGTS", "m"),
        (.temperature, "TEMP", "K"), (.surfacePressure, "PRSS", "hPa"), (.orography, "SHGT", "m"),
        (.boundaryLayerHeight, "PBLH", "m"), (.specificHumidity, "SPHU", "kg/kg"), (.relativeHumidity, "RELH", "%"),
    ]

    /// Describes `dataset`; `scan` reads every u and v record (verifying their checksums)
    /// to count missing values.
    /// - Throws: ``ARLError`` when scanning fails to read the data.
    public init(_ dataset: ARLDataset, scan: Bool = true) throws {
        self.dataset = dataset
        missingValues = scan ? try dataset.countMissingWind() : nil
    }

    /// The conformal grid's projection parameters: name, standard parallel (CF meaning:
    /// the tangent latitude of a Lambert cone, the latitude of true scale otherwise),
    /// central meridian, latitude where the grid spacing is true (degrees), sphere radius (m),
    /// and the projection x, y (m) of node (0, 0) and the spacing (m); nil for lat-lon grids.
    var projected: ProjectedGridSummary? { ProjectedGridSummary(dataset.projection) }

    /// The levels (values as written) where variable `name` is held, nil when it is held
    /// on every upper level (or is a surface field).
    func partialLevels(_ name: String) -> [Double]? {
        guard let ks = dataset.variables[name] else { return nil }
        let upper = ks.filter { $0 >= 1 && $0 <= dataset.levelValues.count }
        guard !upper.isEmpty, upper.count < dataset.levelValues.count else { return nil }
        return upper.map { dataset.levelValues[$0 - 1] }
    }

    /// The inspect document as an ordered JSON value.
    public var jsonValue: JSONValue {
        let d = dataset
        func axis(_ a: AxisSummary, global: Bool?) -> JSONValue {
            var fields: [(String, JSONValue)] = [
                ("first", .number(JSONValue.rounded(a.first))), ("last", .number(JSONValue.rounded(a.last))), ("count", .number(Double(a.count))),
                ("step", a.step.map { .number(JSONValue.rounded($0)) } ?? .null),
            ]
            if let global { fields.append(("global", .bool(global))) }
            return .object(fields)
        }
        let grid: JSONValue
        if case .latLon(let g) = d.projection {
            grid = .object([
                ("kind", .string("latlon")),
                ("longitude", axis(AxisSummary(values: g.longitudes), global: g.isGlobal)),
                ("latitude", axis(AxisSummary(values: g.latitudes), global: nil)),
            ])
        } else if let p = projected {
            grid = p.json(nx: d.nx, ny: d.ny)
        } else {
            grid = .null
        }
        var vertical: [(String, JSONValue)] = [
            ("kind", .string(d.verticalKind.rawValue)),
            ("units", d.verticalKind == .pressure ? .string("hPa") : d.verticalKind == .height ? .string("m") : .string("1")),
            ("levels", .array(d.levelValues.map { .number($0) })),
        ]
        if d.verticalKind == .hybrid {
            let a = d.levelValues.map { $0.rounded(.down) }
            vertical.append(("a_hpa", .array(a.map { .number($0) })))
            vertical.append(("b", .array(zip(d.levelValues, a).map { .number(JSONValue.rounded($0 - $1)) })))
        }
        let held = Dictionary(ARLInspection.roleVariables.map { ($0.role, ($0.name, $0.units)) }, uniquingKeysWith: { a, _ in a })
        let roles: [MetRole] = [.u, .v, .w, .geopotential, .geopotentialHeight, .temperature, .surfacePressure,
                                .orography, .boundaryLayerHeight, .specificHumidity, .relativeHumidity]
        let variables: [(String, JSONValue)] = roles.map { role in
            guard let (name, units) = held[role], d.variables[name] != nil else { return (role.rawValue, .null) }
            var fields: [(String, JSONValue)] = [("name", .string(name)), ("units", .string(units))]
            if role == .w { fields.append(("kind", .string(VerticalVelocityKind.omega.rawValue))) }
            if let levels = partialLevels(name) { fields.append(("levels", .array(levels.map { .number($0) }))) }
            return (role.rawValue, .object(fields))
        }
        return .object([
            ("grid", grid),
            ("vertical", .object(vertical)),
            ("time", JSONValue.timeAxis(d.times)),
            ("variables", .object(variables)),
            ("missing_values", missingValues.map { .number(Double($0)) } ?? .null),
            ("files", .array(d.paths.map { .string($0) })),
            ("format", .string("arl")),
            ("model_id", .string(d.modelID)),
        ])
    }

    /// The inspect document as JSON text.
    public func json(pretty: Bool = true) -> String { jsonValue.serialized(pretty: pretty) }

    /// A human-readable summary, one fact per line.
    public var summary: String {
        let d = dataset
        func f(_ x: Double) -> String { JSONText.number(JSONValue.rounded(x)) }
        var lines: [String] = []
        lines.append("files:      \(d.paths.count == 1 ? d.paths[0] : "\(d.paths.count) files (\(d.paths[0]) …)")")
        lines.append("format:     HYSPLIT ARL packed, model \(d.modelID.isEmpty ? "unknown" : d.modelID)")
        switch d.projection {
        case .latLon(let g):
            let lon = AxisSummary(values: g.longitudes), lat = AxisSummary(values: g.latitudes)
            func step(_ s: Double?) -> String { s.map { "step \(f($0))°" } ?? "irregular" }
            lines.append("grid:       lat-lon \(lon.count)×\(lat.count)")
            lines.append("longitude:  \(f(lon.first))…\(f(lon.last)) \(step(lon.step))\(g.isGlobal ? ", global (wraps)" : "")")
            lines.append("latitude:   \(f(lat.first))…\(f(lat.last)) \(step(lat.step))")
        default:
            if let p = projected { lines += p.summaryLines(grid: d.grid, windsGridRelative: true) }
        }
        let unit = d.verticalKind == .pressure ? "hPa" : d.verticalKind == .height ? "m" : ""
        lines.append("vertical:   \(d.verticalKind.rawValue), \(d.levelValues.count) levels [\(d.levelValues.map { f($0) }.joined(separator: ", "))] \(unit)")
        if let first = d.times.first, let last = d.times.last {
            let steps = zip(d.times, d.times.dropFirst()).map { $1 - $0 }
            let stepText = Set(steps).count == 1 ? "every \(JSONText.number(Double(steps[0]) / 3600)) h" : (steps.isEmpty ? "one time" : "irregular steps")
            lines.append("time:       \(first.iso8601) … \(last.iso8601), \(d.times.count) times, \(stepText)")
        }
        for (role, name, units) in ARLInspection.roleVariables where d.variables[name] != nil {
            let pad = String(repeating: " ", count: max(1, 22 - role.rawValue.count))
            let partial = partialLevels(name).map { " on \($0.count) of \(d.levelValues.count) levels" } ?? ""
            lines.append("  \(role.rawValue)\(pad)\(name) [\(units)]\(role == .w ? " (omega)" : "")\(partial)")
        }
        let absent = ARLInspection.roleVariables.filter { d.variables[$0.name] == nil }.map(\.role.rawValue)
        if !absent.isEmpty { lines.append("absent:     \(absent.joined(separator: ", "))") }
        let others = d.variables.keys.filter { n in !ARLInspection.roleVariables.contains { $0.name == n } }.sorted()
        if !others.isEmpty { lines.append("other:      \(others.joined(separator: " "))") }
        lines.append("missing u/v values: \(missingValues.map(String.init) ?? "not scanned")")
        return lines.joined(separator: "\n")
    }
}

/// The parameters `upwind inspect` reports for a conformal (projected) grid, shared by the
/// ARL and the CF NetCDF descriptions so that both give the same keys and values.
struct ProjectedGridSummary: Sendable {
    /// `polar_stereographic`, `lambert_conformal` or `mercator`.
    var name: String
    /// CF meaning: the tangent latitude of a Lambert cone, the latitude of true scale otherwise, degrees.
    var standardParallel: Double
    /// Central meridian, degrees.
    var centralMeridian: Double
    /// Latitude where the grid spacing is true, degrees.
    var trueScale: Double
    /// Sphere radius, m.
    var radius: Double
    /// Projection x, y of node (0, 0), m.
    var x0: Double, y0: Double
    /// Grid spacing, m.
    var step: Double

    /// nil for latitude-longitude grids.
    init?(_ projection: MapProjection) {
        switch projection {
        case .latLon: return nil
        case .polarStereographic(let g):
            self.init(name: "polar_stereographic", standardParallel: g.standardParallel, centralMeridian: g.centralMeridian, trueScale: g.standardParallel,
                      radius: g.earthRadius, x0: g.x0, y0: g.y0, step: g.spacingM)
        case .lambertConformal(let g):
            self.init(name: "lambert_conformal", standardParallel: g.tangentLatitude, centralMeridian: g.centralMeridian, trueScale: g.referenceLatitude,
                      radius: g.earthRadius, x0: g.x0, y0: g.y0, step: g.spacingM)
        case .mercator(let g):
            self.init(name: "mercator", standardParallel: g.referenceLatitude, centralMeridian: g.centralMeridian, trueScale: g.referenceLatitude,
                      radius: g.earthRadius, x0: g.x0, y0: g.y0, step: g.spacingM)
        case .curvilinear: return nil
        }
    }

    init(name: String, standardParallel: Double, centralMeridian: Double, trueScale: Double, radius: Double, x0: Double, y0: Double, step: Double) {
        self.name = name; self.standardParallel = standardParallel; self.centralMeridian = centralMeridian; self.trueScale = trueScale
        self.radius = radius; self.x0 = x0; self.y0 = y0; self.step = step
    }

    /// The `grid` object: `kind = "projected"`, `projection {name, standard_parallel,
    /// central_meridian, earth_radius_m, true_scale_latitude}`, `x` and `y` axes in metres.
    func json(nx: Int, ny: Int) -> JSONValue {
        func axis(_ a: AxisSummary) -> JSONValue {
            .object([
                ("first", .number(JSONValue.rounded(a.first))), ("last", .number(JSONValue.rounded(a.last))), ("count", .number(Double(a.count))),
                ("step", a.step.map { .number(JSONValue.rounded($0)) } ?? .null),
            ])
        }
        let xs = (0..<nx).map { x0 + Double($0) * step }, ys = (0..<ny).map { y0 + Double($0) * step }
        return .object([
            ("kind", .string("projected")),
            ("projection", .object([
                ("name", .string(name)), ("standard_parallel", .number(JSONValue.rounded(standardParallel))),
                ("central_meridian", .number(JSONValue.rounded(centralMeridian))), ("earth_radius_m", .number(radius)),
                ("true_scale_latitude", .number(JSONValue.rounded(trueScale))),
            ])),
            ("x", axis(AxisSummary(values: xs))),
            ("y", axis(AxisSummary(values: ys))),
        ])
    }

    /// The `grid:` and `corners:` lines of the text summary.
    func summaryLines(grid: any HorizontalGrid, windsGridRelative: Bool) -> [String] {
        func f(_ x: Double) -> String { JSONText.number(JSONValue.rounded(x)) }
        let sw = grid.location(i: 0, j: 0), ne = grid.location(i: grid.nx - 1, j: grid.ny - 1)
        return [
            "grid:       \(name.replacingOccurrences(of: "_", with: " ")) \(grid.nx)×\(grid.ny), \(f(step / 1000)) km at \(f(trueScale))°, central meridian \(f(centralMeridian))°, standard parallel \(f(standardParallel))°, sphere \(f(radius / 1000)) km, \(windsGridRelative ? "grid-relative" : "earth-relative") winds",
            "corners:    SW \(String(format: "%.2f, %.2f", sw.latitude, sw.longitude))  NE \(String(format: "%.2f, %.2f", ne.latitude, ne.longitude))",
        ]
    }
}

extension JSONValue {
    /// `x` rounded to 10 significant decimals, so 0.1° steps print as 0.1.
    static func rounded(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        let scale = pow(10, 10 - log10(abs(x)).rounded(.down))
        return (x * scale).rounded() / scale
    }

    /// The inspect document's `time` object: first, last, count and `step_seconds`
    /// (null when there are fewer than two times or the steps differ).
    static func timeAxis(_ times: [UTCTime]) -> JSONValue {
        let steps = zip(times, times.dropFirst()).map { $1 - $0 }
        let step: JSONValue = !steps.isEmpty && Set(steps).count == 1 ? .number(Double(steps[0])) : .null
        return .object([
            ("first", times.first.map { .string($0.iso8601) } ?? .null),
            ("last", times.last.map { .string($0.iso8601) } ?? .null),
            ("count", .number(Double(times.count))),
            ("step_seconds", step),
        ])
    }
}
