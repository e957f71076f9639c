import Foundation
import NetCDFKit
import UpwindCore

/// One NetCDF file analysed under the CF conventions: its axes, its times, and which
/// variables play which `MetRole` (see the *Reading meteorology* article in Upwind's documentation: attributes first, then
/// well-known names, with a user mapping overriding both).
struct CFFile: Sendable {
    /// A 1-D horizontal coordinate.
    struct HorizontalAxis: Sendable {
        var dimension: String
        var variable: String
        /// Values as stored.
        var raw: [Double]
        /// True when stored descending (the reader flips it).
        var descending: Bool
        /// True when the coordinate variable is float32 (its values carry float32 rounding).
        var float32 = false
        /// Ascending values.
        var ascending: [Double] { descending ? raw.reversed() : raw }
    }

    /// A vertical coordinate dimension.
    struct VerticalDimension: Sendable {
        var dimension: String
        var variable: String?
        var kind: VerticalKind
        /// Normalised levels in file order (hPa for pressure).
        var levels: [Double]
        /// σ levels: the top pressure p_top of p = p_top + σ·(p_s − p_top), hPa (0 when absent).
        var sigmaTop: Double? = nil
        /// Hybrid σ-pressure levels: p = a + b·p_s with a in hPa, in file order (from `formula_terms`).
        var hybridA: [Double]? = nil
        /// Hybrid σ-pressure levels: the dimensionless b, in file order.
        var hybridB: [Double]? = nil
    }

    /// A variable chosen for a role, with how to read it.
    struct RoleVariable: Sendable {
        var role: MetRole
        var variable: CFVariable
        var packing: CFPacking
        var timeDimension: Int?
        var levelDimension: Int?
        var latDimension: Int
        var lonDimension: Int
        /// An `expver` dimension (ERA5 + ERA5T): the first non-missing member is taken.
        var expverDimension: Int?
        /// Vertical velocity kind, for `MetRole/w`.
        var verticalVelocity: VerticalVelocityKind?
        /// The rule that tied the variable to its role.
        var matchedBy: MetRoleMatch = .name
        /// The units its name implies, when the variable has no `units` attribute (`WWND`: hPa s⁻¹).
        var assumedUnits: String? = nil
        /// Units as stored, or the implied ones when the file gives none.
        var units: String { variable.units.isEmpty ? (assumedUnits ?? "") : variable.units }
        /// True when the variable has a vertical dimension of more than one level.
        var hasLevels: Bool { levelDimension.map { variable.dimensions[$0].length > 1 } ?? false }
    }

    let path: String
    let file: NetCDFFile
    let lon: HorizontalAxis
    let lat: HorizontalAxis
    let timeDimension: String?
    let timeVariable: String?
    /// Valid times (UTC), empty when the file has no time axis.
    let times: [UTCTime]
    let verticals: [String: VerticalDimension]
    let roles: [MetRole: RoleVariable]
    let variableNames: [String]
    /// The map projection of a projected file (its `lon`/`lat` axes then hold the projection
    /// x/y in metres); nil for latitude-longitude files.
    let projection: MapProjection?
    /// True when a projected or curvilinear file's winds are along the grid axes (`x_wind`/`y_wind`,
    /// or no standard_name), false when they are eastward/northward.
    let gridRelativeWinds: Bool
    /// Why the file's grid mapping was set aside for its 2-D coordinates (unusable, or more
    /// than 1 % of a cell away from them); nil otherwise.
    let gridNote: String?
    /// The names of the 2-D latitude and longitude of a curvilinear file; nil otherwise.
    let curvilinearCoordinates: (latitude: String, longitude: String)?

    // MARK: - Well-known names (after CF attributes; see the *Reading meteorology* article in Upwind's documentation)

    static let longitudeNames: Set<String> = ["lon", "longitude", "lons", "LON", "Longitude", "XLONG_M", "nav_lon", "x_lon", "g0_lon_0", "lon_0"]
    static let latitudeNames: Set<String> = ["lat", "latitude", "lats", "LAT", "Latitude", "nav_lat", "g0_lat_0", "lat_0"]
    static let timeNames: Set<String> = ["time", "valid_time", "Time", "t", "times", "TIME"]
    static let levelNames: Set<String> = ["level", "pressure_level", "isobaric", "isobaricInhPa", "lev", "plev", "levels", "pressure", "lv_ISBL0", "air_pressure", "sigma", "height", "altitude", "z_level", "hybrid", "bottom_top"]

    // MARK: - Opening

    /// Opens and analyses `path`. `mapping` maps roles to variable names and wins over detection;
    /// `previous` is the grid of the file opened before, reused when a curvilinear grid's
    /// coordinates are the same (so a dataset of many files validates and indexes it once).
    init(path: String, mapping: [MetRole: String], previous: MapProjection? = nil) throws {
        self.path = path
        do {
            file = try NetCDFFile.open(path, mode: .read)
        } catch let error as NetCDFError {
            if case .notNetCDF = error, CFFile.looksLikeARL(path) {
                throw MetError.unsupportedFormat(path: path, detail: "a HYSPLIT ARL packed met file, not NetCDF: open it with ARLWindField / ARLDataset (`upwind inspect` reads it), and do not mix ARL and NetCDF files in one dataset")
            }
            throw MetError.netCDF(error)
        }
        var vars: [CFVariable] = []
        var globals: [String: NetCDFAttributeValue] = [:]
        do {
            for v in try file.root.variables() { vars.append(try CFVariable(v)) }
            for a in try file.root.attributes() { globals[a.name] = a.value }
        } catch let error as NetCDFError {
            throw MetError.netCDF(error)
        }
        variableNames = vars.map(\.name)
        try CFFile.checkDimensions(path: path, variables: vars)
        let byName = Dictionary(vars.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

        let coordinates2D = CFFile.coordinates2D(variables: vars, byName: byName)
        let (mappingVariable, ignoredMapping) = try CFFile.refuseUnsupportedGrids(path: path, variables: vars, byName: byName, globals: globals,
                                                                                   hasCoordinates2D: coordinates2D != nil)

        // Horizontal axes: projection x/y (m) on projected grids, node indices on curvilinear
        // grids, else longitude/latitude. A grid mapping that cannot be used, or that strays
        // from the file's 2-D coordinates by more than 1 % of a cell, gives way to the coordinates.
        var axes: (lon: HorizontalAxis, lat: HorizontalAxis, projection: MapProjection?)?
        var note = ignoredMapping
        if let mappingVariable {
            do {
                let x = try CFFile.projectionAxis(path: path, variables: vars, isY: false)
                let y = try CFFile.projectionAxis(path: path, variables: vars, isY: true)
                let projection = try CFFile.projection(path: path, mapping: mappingVariable, x: x, y: y)
                if let coordinates2D, let miss = try CFFile.coordinateMismatch(path: path, coordinates: coordinates2D, projection: projection, x: x, y: y),
                   miss.cells > 0.01 {
                    note = "the grid_mapping '\(mappingVariable.name)' disagrees with the 2-D coordinates '\(coordinates2D.latitude.name)'/'\(coordinates2D.longitude.name)' by up to \(Int(miss.metres.rounded())) m (\(String(format: "%.2f", miss.cells)) grid cells): the coordinates are used"
                } else {
                    axes = (x, y, projection)
                }
            } catch {
                guard let coordinates2D else { throw error }
                note = "the grid_mapping '\(mappingVariable.name)' cannot be used (\(CFFile.detail(of: error))): the 2-D coordinates '\(coordinates2D.latitude.name)'/'\(coordinates2D.longitude.name)' are used"
            }
        } else if coordinates2D == nil {
            axes = (try CFFile.horizontalAxis(path: path, variables: vars, isLatitude: false),
                    try CFFile.horizontalAxis(path: path, variables: vars, isLatitude: true), nil)
        } else if let lon1D = try? CFFile.horizontalAxis(path: path, variables: vars, isLatitude: false),
                  let lat1D = try? CFFile.horizontalAxis(path: path, variables: vars, isLatitude: true) {
            // Regular 1-D latitude/longitude axes win over 2-D coordinates.
            axes = (lon1D, lat1D, nil)
        }
        if let axes {
            lon = axes.lon
            lat = axes.lat
            projection = axes.projection
            curvilinearCoordinates = nil
        } else if let coordinates2D {
            let (points, overflow) = coordinates2D.nx.multipliedReportingOverflow(by: coordinates2D.ny)
            guard !overflow, points <= GridLimits.maxPointsPerPlane else {
                throw MetError.unsupportedGrid(path: path, detail: "a \(coordinates2D.nx)×\(coordinates2D.ny) grid has more than \(GridLimits.maxPointsPerPlane) points per level; subset the file (e.g. ncks -d) to the region needed")
            }
            let grid = try CFFile.curvilinearGrid(path: path, coordinates: coordinates2D, byName: byName, previous: previous)
            lon = HorizontalAxis(dimension: coordinates2D.xDimension, variable: coordinates2D.longitude.name,
                                 raw: (0..<coordinates2D.nx).map(Double.init), descending: false)
            lat = HorizontalAxis(dimension: coordinates2D.yDimension, variable: coordinates2D.latitude.name,
                                 raw: (0..<coordinates2D.ny).map(Double.init), descending: false)
            projection = .curvilinear(grid)
            curvilinearCoordinates = (coordinates2D.latitude.name, coordinates2D.longitude.name)
        } else {
            throw MetError.unsupportedGrid(path: path, detail: "no usable horizontal grid: the file needs 1-D latitude/longitude coordinates, a CF grid_mapping with projection x/y, or 2-D latitude/longitude")
        }
        gridNote = note
        guard lon.raw.count * lat.raw.count <= GridLimits.maxPointsPerPlane else {
            throw MetError.unsupportedGrid(path: path, detail: "a \(lon.raw.count)×\(lat.raw.count) grid has more than \(GridLimits.maxPointsPerPlane) points per level; subset the file (e.g. ncks -d) to the region needed")
        }

        // Time axis.
        var timeDim: String?
        var timeVar: String?
        var decoded: [UTCTime] = []
        if let tv = CFFile.timeCoordinate(vars) {
            timeDim = tv.dimensions[0].name
            timeVar = tv.name
            decoded = try CFFile.decodeTimes(path: path, variable: tv)
        }
        timeDimension = timeDim
        timeVariable = timeVar
        times = decoded

        // Vertical axes: every dimension of a data variable that is not x, y, t.
        var verticals: [String: VerticalDimension] = [:]
        let horizontal: Set<String> = [lon.dimension, lat.dimension]
        for v in vars where !v.isCoordinate {
            for d in v.dimensions where !horizontal.contains(d.name) && d.name != timeDim && verticals[d.name] == nil {
                if let vd = try CFFile.verticalDimension(path: path, dimension: d, coordinate: byName[d.name], byName: byName) {
                    verticals[d.name] = vd
                }
            }
        }
        self.verticals = verticals

        // Roles (CFRoles.swift).
        let roles = try CFFile.selectRoles(path: path, variables: vars, mapping: mapping, lon: lon, lat: lat,
                                           timeDimension: timeDim, verticals: verticals)
        // Projected winds: along the grid axes unless a standard_name (or, without any, the
        // u/v long_name: eastward, zonal, …) says they are earth-relative.
        if projection != nil {
            let windNames = vars.compactMap(\.standardName)
            let standardSays = windNames.contains { ["eastward_wind", "northward_wind", "x_wind", "y_wind"].contains($0) }
            if standardSays {
                gridRelativeWinds = !(windNames.contains("eastward_wind") || windNames.contains("northward_wind"))
                    || windNames.contains("x_wind") || windNames.contains("y_wind")
            } else {
                let earth = [MetRole.u, .v].contains { role in
                    roles[role].flatMap { CFFile.longNamePhrase($0.variable)?.earthRelative } ?? false
                }
                gridRelativeWinds = !earth
            }
        } else {
            gridRelativeWinds = false
        }
        for (role, name) in mapping where roles[role] == nil && byName[name] != nil {
            throw MetError.unsupportedLayout(path: path, variable: name, detail: "mapped to \(role.rawValue) but it is not on the file's \(projection.map { $0.name == "curvilinear" ? "curvilinear" : "projected" } ?? "latitude-longitude") grid")
        }
        self.roles = roles
    }

    /// True when the file starts with an ARL record label (`INDX` at bytes 14–17).
    static func looksLikeARL(_ path: String) -> Bool {
        guard SpecialFile.kind(path) == nil, let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        guard let data = try? h.read(upToCount: 18), data.count == 18 else { return false }
        return String(decoding: data[14..<18], as: UTF8.self) == "INDX"
    }

    // MARK: - Grid checks

    /// The grid-mapping kinds the reader accepts: latitude_longitude, and the spherical
    /// conformal projections of HYSPLIT's ARL grids.
    static let projectedMappings: Set<String> = ["polar_stereographic", "lambert_conformal_conic", "mercator"]

    /// Refuses WRF output, and unsupported grid mappings unless the file has 2-D coordinates
    /// to fall back on (`hasCoordinates2D`).
    /// - Returns: the grid-mapping variable of a projected file (polar stereographic, Lambert
    ///   conformal, Mercator), nil for latitude-longitude and curvilinear files; and, when an
    ///   unsupported mapping was set aside for the 2-D coordinates, why.
    static func refuseUnsupportedGrids(path: String, variables: [CFVariable], byName: [String: CFVariable],
                                       globals: [String: NetCDFAttributeValue], hasCoordinates2D: Bool) throws -> (CFVariable?, String?) {
        let title = globals["TITLE"]?.string ?? ""
        if title.uppercased().contains("WRF") || (byName["Times"] != nil && byName["XLAT"] != nil) || globals["MAP_PROJ"] != nil && byName["XLAT"] != nil {
            throw MetError.unsupportedGrid(path: path, detail: "WRF output (staggered grid on a map projection) is not CF NetCDF: open it with WRFDataset / WRFWindField (MetSource.open and the upwind commands recognise it by its staggered dimensions west_east_stag and bottom_top_stag)")
        }
        var projected: CFVariable?
        for v in variables {
            guard let gm = v.text("grid_mapping") else { continue }
            let mappingName = gm.split(separator: ":").first.map(String.init) ?? gm
            let kind = byName[mappingName]?.text("grid_mapping_name") ?? "unknown"
            if kind == "latitude_longitude" { continue }
            guard projectedMappings.contains(kind), let m = byName[mappingName] else {
                if hasCoordinates2D {
                    return (nil, "the grid_mapping '\(mappingName)' (\(kind)) is not one Upwind projects: the 2-D coordinates are used")
                }
                throw MetError.unsupportedGrid(path: path, detail: "variable '\(v.name)' is on a projected grid (grid_mapping '\(mappingName)': \(kind)) that is not supported: Upwind reads polar_stereographic, lambert_conformal_conic and mercator grids on a sphere; regrid to one of those or to a regular latitude-longitude grid (e.g. cdo remapbil)")
            }
            if let p = projected, p.name != m.name {
                throw MetError.unsupportedGrid(path: path, detail: "variables use two grid mappings ('\(p.name)' and '\(m.name)'): split the file so that each holds one grid")
            }
            projected = m
        }
        return (projected, nil)
    }

    /// The projection x (or y) coordinate of a projected file, converted to metres: a 1-D
    /// coordinate variable with standard_name `projection_x_coordinate` (`_y_`), else axis
    /// `X` (`Y`), else the name `x` (`y`).
    static func projectionAxis(path: String, variables: [CFVariable], isY: Bool) throws -> HorizontalAxis {
        let name = isY ? "y" : "x"
        let coords = variables.filter(\.isCoordinate)
        let candidate = coords.first { $0.standardName == "projection_\(name)_coordinate" }
            ?? coords.first { $0.text("axis")?.uppercased() == name.uppercased() && !$0.units.lowercased().hasPrefix("degree") }
            ?? coords.first { $0.name == name || $0.name == name.uppercased() }
        guard let v = candidate else {
            throw MetError.missingAxis(path: path, variable: "(none)", axis: "projection \(name)", reason: "not found (a projected grid needs a 1-D coordinate with standard_name projection_\(name)_coordinate in m)")
        }
        let factor: Double
        switch CF.canonicalUnits(v.units) {
        case "", "m": factor = 1
        case "km": factor = 1000
        default:
            throw MetError.unsupportedUnits(path: path, variable: v.name, units: v.units, expected: "m or km")
        }
        try checkAxisLength(path: path, variable: v, axis: "projection \(name)")
        var raw = try MetError.wrapping { try v.handle.read(Double.self) }
        guard raw.count >= 2, raw.allSatisfy(\.isFinite) else {
            throw MetError.missingAxis(path: path, variable: v.name, axis: "projection \(name)", reason: "has fewer than 2 values or missing values")
        }
        let increasing = zip(raw, raw.dropFirst()).allSatisfy { $0 < $1 }
        let decreasing = zip(raw, raw.dropFirst()).allSatisfy { $0 > $1 }
        guard increasing || decreasing else {
            throw MetError.missingAxis(path: path, variable: v.name, axis: "projection \(name)", reason: "is not strictly monotonic")
        }
        // Float32 rounding noise (a few cm on a 2,500 m step) is not unevenness.
        if let even = CF.evenlySpaced(raw, float32: v.type == .float) { raw = even }
        raw = raw.map { $0 * factor }
        return HorizontalAxis(dimension: v.dimensions[0].name, variable: v.name, raw: raw, descending: decreasing, float32: v.type == .float)
    }

    /// The grid a CF grid mapping and the x/y axes define (sphere only), as one of the
    /// conformal grids of `MapProjection`: node (0, 0) is the first ascending x and y.
    /// Lambert cones with two standard parallels become the equivalent tangent cone (n from
    /// the two parallels) scaled to be true at the first parallel.
    static func projection(path: String, mapping m: CFVariable, x: HorizontalAxis, y: HorizontalAxis) throws -> MapProjection {
        func refuse(_ detail: String) -> MetError { MetError.unsupportedGrid(path: path, detail: "grid_mapping '\(m.name)': \(detail)") }
        let kind = m.text("grid_mapping_name") ?? ""
        let xs = x.ascending, ys = y.ascending
        for (axis, values) in [(x, xs), (y, ys)] where AxisSummary.regularStep(values) == nil {
            let step = (values[values.count - 1] - values[0]) / Double(values.count - 1)
            let worst = CF.largestDeviation(values, step: step)
            throw refuse("the projection \(axis.variable) coordinates are not evenly spaced: value \(worst.index) is \(String(format: "%.3g", worst.deviation)) m off the step \(String(format: "%.6g", step)) m taken from the end points (more than 1e-4 of the step); Upwind needs a regular projected grid")
        }
        guard let dxStrict = AxisSummary.regularStep(xs), let dyStrict = AxisSummary.regularStep(ys), dxStrict > 0 else {
            throw refuse("the projection x/y coordinates are not evenly spaced; Upwind needs a regular projected grid")
        }
        // Square cells: one spacing must place every x and y within the evenness tolerance
        // (float32 end points make dx and dy differ by a few mm).
        var dx = dxStrict
        if abs(dxStrict - dyStrict) > 1e-6 * dxStrict {
            dx = xs.count >= ys.count ? dxStrict : dyStrict
            let fits = [(xs, x.float32), (ys, y.float32)].allSatisfy { values, float32 in
                CF.largestDeviation(values, step: dx).deviation <= CF.evennessTolerance(values, step: dx, float32: float32)
            }
            guard fits else {
                throw refuse("x spacing \(dxStrict) m differs from y spacing \(dyStrict) m; Upwind needs square grid cells")
            }
        }
        func number(_ name: String) -> Double? { m.numbers(name)?.first.flatMap { $0.isFinite ? $0 : nil } }
        var radius = number("earth_radius")
        if radius == nil, let a = number("semi_major_axis") {
            let b = number("semi_minor_axis"), f = number("inverse_flattening")
            guard abs((b ?? a) - a) < 1e-3, (f ?? 0) == 0 else {
                throw refuse("the earth is an ellipsoid (semi_major_axis \(a), inverse_flattening \(f.map { "\($0)" } ?? "none")); Upwind's projections are spherical: regrid, or describe the grid on a sphere (earth_radius)")
            }
            radius = a
        }
        let r = radius ?? MapProjection.earthRadius
        guard r > 6_000_000, r < 7_000_000 else { throw refuse("earth radius \(r) m is not an Earth radius in metres") }
        let fe = number("false_easting") ?? 0, fn = number("false_northing") ?? 0
        let nx = xs.count, ny = ys.count
        let x0 = xs[0] - fe
        switch kind {
        case "polar_stereographic":
            let lat0 = number("latitude_of_projection_origin") ?? 90
            guard abs(abs(lat0) - 90) < 1e-9 else { throw refuse("latitude_of_projection_origin \(lat0) is not ±90 (oblique stereographic grids are not supported)") }
            guard let lon0 = number("straight_vertical_longitude_from_pole") ?? number("longitude_of_projection_origin") else {
                throw refuse("straight_vertical_longitude_from_pole is missing")
            }
            var ts: Double
            if let sp = number("standard_parallel") {
                ts = sp
            } else {
                let k0 = number("scale_factor_at_projection_origin") ?? 1
                guard k0 > 0.5, k0 <= 1 else { throw refuse("scale_factor_at_projection_origin \(k0) is outside 0.5…1") }
                ts = Math.asin(2 * k0 - 1) / Geodesy.radiansPerDegree * (lat0 > 0 ? 1 : -1)
            }
            if ts == 0 { ts = lat0 > 0 ? 1e-9 : -1e-9 }
            guard (ts > 0) == (lat0 > 0) else { throw refuse("standard_parallel \(ts) is in the other hemisphere than the projection pole \(lat0)") }
            return .polarStereographic(PolarStereographicGrid(nx: nx, ny: ny, spacingM: dx, x0: x0, y0: ys[0] - fn, standardParallel: ts,
                                                              centralMeridian: lon0, earthRadius: r))
        case "lambert_conformal_conic":
            guard let parallels = m.numbers("standard_parallel"), let p1 = parallels.first, abs(p1) < 90, p1 != 0 else {
                throw refuse("standard_parallel is missing, 0 or ±90")
            }
            guard let lon0 = number("longitude_of_central_meridian") ?? number("longitude_of_projection_origin") else {
                throw refuse("longitude_of_central_meridian is missing")
            }
            let origin = number("latitude_of_projection_origin") ?? p1
            var tangent = p1
            if parallels.count > 1, abs(parallels[1] - p1) > 1e-12 {
                let p2 = parallels[1]
                guard abs(p2) < 90, (p2 > 0) == (p1 > 0) else { throw refuse("standard parallels \(p1) and \(p2) must lie in one hemisphere") }
                let f1 = p1 * Geodesy.radiansPerDegree, f2 = p2 * Geodesy.radiansPerDegree
                let n = Math.log(Math.cos(f1) / Math.cos(f2)) / Math.log(Math.tan(Double.pi / 4 + f2 / 2) / Math.tan(Double.pi / 4 + f1 / 2))
                tangent = Math.asin(n) / Geodesy.radiansPerDegree
            }
            let probe = LambertConformalGrid(nx: nx, ny: ny, spacingM: dx, x0: 0, y0: 0, tangentLatitude: tangent, centralMeridian: lon0,
                                             referenceLatitude: p1, earthRadius: r)
            let rho0 = -probe.project(latitude: origin, longitude: lon0).y
            guard rho0.isFinite, probe.planeScale.isFinite, probe.planeScale > 0 else {
                throw refuse("the cone (standard parallels \(parallels), origin latitude \(origin)) cannot be set up")
            }
            return .lambertConformal(LambertConformalGrid(nx: nx, ny: ny, spacingM: dx, x0: x0, y0: ys[0] - fn - rho0, tangentLatitude: tangent,
                                                          centralMeridian: lon0, referenceLatitude: p1, earthRadius: r))
        case "mercator":
            let lon0 = number("longitude_of_projection_origin") ?? number("longitude_of_central_meridian") ?? 0
            var ts = number("standard_parallel") ?? 0
            if number("standard_parallel") == nil, let k0 = number("scale_factor_at_projection_origin") {
                guard k0 > 0, k0 <= 1 else { throw refuse("scale_factor_at_projection_origin \(k0) is outside 0…1") }
                ts = acos(k0) / Geodesy.radiansPerDegree
            }
            guard abs(ts) < 89 else { throw refuse("standard_parallel \(ts) is too close to a pole for a Mercator grid") }
            return .mercator(MercatorGrid(nx: nx, ny: ny, spacingM: dx, x0: x0, y0: ys[0] - fn, referenceLatitude: ts, centralMeridian: lon0,
                                          earthRadius: r))
        default:
            throw refuse("grid_mapping_name '\(kind)' is not supported")
        }
    }

    /// The longest dimension any variable may have: 10,000,000 (1,141 years of hourly times).
    /// Longer ones are corrupt headers (netCDF-4 may declare them without storing data), refused
    /// before anything is read or allocated from them.
    static let maxDimensionLength = 10_000_000

    /// Refuses dimensions longer than ``maxDimensionLength`` and variables whose shape
    /// overflows, before anything is read.
    static func checkDimensions(path: String, variables: [CFVariable]) throws {
        for v in variables {
            var total = 1
            for d in v.dimensions {
                guard d.length >= 0, d.length <= maxDimensionLength else {
                    throw MetError.unsupportedLayout(path: path, variable: v.name,
                                                     detail: "dimension '\(d.name)' has \(d.length) entries, more than \(maxDimensionLength); the file is corrupt or not a met file")
                }
                let (product, overflow) = total.multipliedReportingOverflow(by: d.length)
                guard !overflow else {
                    throw MetError.unsupportedLayout(path: path, variable: v.name, detail: "its shape \(v.dimensions.map(\.length)) holds more values than can be counted; the file is corrupt")
                }
                total = product
            }
        }
    }

    /// Refuses a 1-D horizontal coordinate longer than `GridLimits.maxPointsPerSide` before it is read.
    static func checkAxisLength(path: String, variable v: CFVariable, axis: String) throws {
        let n = v.dimensions.first?.length ?? 0
        guard n <= GridLimits.maxPointsPerSide else {
            throw MetError.missingAxis(path: path, variable: v.name, axis: axis,
                                       reason: "has \(n) points, more than the \(GridLimits.maxPointsPerSide) a grid side may have; the file is corrupt or not a met grid")
        }
    }

    static func horizontalAxis(path: String, variables: [CFVariable], isLatitude: Bool) throws -> HorizontalAxis {
        let axisName = isLatitude ? "latitude" : "longitude"
        let standard = isLatitude ? "latitude" : "longitude"
        let unitSet: Set<String> = isLatitude
            ? ["degrees_north", "degree_north", "degree_n", "degrees_n", "degreen", "degreesn"]
            : ["degrees_east", "degree_east", "degree_e", "degrees_e", "degreee", "degreese"]
        let axisLetter = isLatitude ? "Y" : "X"
        let names = isLatitude ? latitudeNames : longitudeNames
        let coords = variables.filter(\.isCoordinate)
        let candidate = coords.first { $0.standardName == standard }
            ?? coords.first { unitSet.contains($0.units.lowercased()) }
            ?? coords.first { $0.text("axis")?.uppercased() == axisLetter && $0.units.lowercased().hasPrefix("degree") }
            ?? coords.first { names.contains($0.name) }
        guard let v = candidate else {
            throw MetError.missingAxis(path: path, variable: "(none)", axis: axisName, reason: "not found (no 1-D coordinate variable with standard_name \(standard), units \(isLatitude ? "degrees_north" : "degrees_east") or a usual name)")
        }
        try checkAxisLength(path: path, variable: v, axis: axisName)
        let raw: [Double]
        raw = try MetError.wrapping { try v.handle.read(Double.self) }
        guard !raw.isEmpty, raw.allSatisfy(\.isFinite) else {
            throw MetError.missingAxis(path: path, variable: v.name, axis: axisName, reason: "is empty or holds missing values")
        }
        if isLatitude, let bad = raw.first(where: { abs($0) > 90.000001 }) {
            throw MetError.missingAxis(path: path, variable: v.name, axis: axisName, reason: "holds \(bad), outside −90…90")
        }
        var descending = false
        if raw.count > 1 {
            let increasing = zip(raw, raw.dropFirst()).allSatisfy { $0 < $1 }
            let decreasing = zip(raw, raw.dropFirst()).allSatisfy { $0 > $1 }
            guard increasing || decreasing else {
                throw MetError.missingAxis(path: path, variable: v.name, axis: axisName, reason: "is not strictly monotonic")
            }
            descending = decreasing
        }
        if !isLatitude {
            let asc = descending ? raw.reversed() : raw
            if let f = asc.first, let l = asc.last, l - f >= 360 + 1e-6 {
                throw MetError.missingAxis(path: path, variable: v.name, axis: axisName, reason: "spans more than 360° (\(f)…\(l))")
            }
        }
        // An evenly spaced axis stored as float32 (or rounded like it): the regular axis it means.
        let even = CF.evenlySpaced(raw, float32: v.type == .float)
        return HorizontalAxis(dimension: v.dimensions[0].name, variable: v.name, raw: even ?? raw, descending: descending, float32: v.type == .float)
    }

    // MARK: - Time

    /// The variable holding valid times: a 1-D variable with standard_name `time`
    /// (cfgrib's `valid_time(time)` wins over its `time`, the forecast reference time),
    /// else a coordinate variable with axis `T`, a usual name, or `<unit> since` units.
    static func timeCoordinate(_ variables: [CFVariable]) -> CFVariable? {
        let oneD = variables.filter { $0.dimensions.count == 1 }
        let coords = variables.filter(\.isCoordinate)
        let referenceTimes: Set<String> = ["forecast_reference_time", "reference_time"]
        return oneD.first { $0.standardName == "time" }
            ?? coords.first { $0.text("axis")?.uppercased() == "T" && !referenceTimes.contains($0.standardName ?? "") }
            ?? coords.first { timeNames.contains($0.name) && !referenceTimes.contains($0.standardName ?? "") }
            ?? coords.first { $0.units.lowercased().contains(" since ") && !referenceTimes.contains($0.standardName ?? "") }
    }

    static func decodeTimes(path: String, variable v: CFVariable) throws -> [UTCTime] {
        let calendar = (v.text("calendar") ?? "standard").lowercased()
        guard CF.supportedCalendars.contains(calendar) else {
            throw MetError.unsupportedCalendar(path: path, variable: v.name, calendar: calendar)
        }
        guard var units = CF.parseTimeUnits(v.units) else {
            throw MetError.badTimeUnits(path: path, variable: v.name, units: v.units)
        }
        // The standard calendar is Julian before 1582-10-15: a reference date there is
        // a Julian date (e.g. NCEP's "hours since 1-1-1 00:00:0.0").
        if calendar != "proleptic_gregorian", units.reference < UTCTime(year: 1582, month: 10, day: 15) {
            let c = units.reference.components
            let days = julianDayNumber(year: c.year, month: c.month, day: c.day) - 2_440_588
            units.reference = UTCTime(secondsSince1970: Int64(days) * 86_400 + Int64(c.hour * 3600 + c.minute * 60 + c.second))
        }
        let raw: [Double]
        raw = try MetError.wrapping { try v.handle.read(Double.self) }
        var out: [UTCTime] = []
        out.reserveCapacity(raw.count)
        for (i, value) in raw.enumerated() {
            guard let t = units.time(value) else {
                throw MetError.badTimeUnits(path: path, variable: v.name, units: "\(v.units) (value \(value) at index \(i) is missing or out of range)")
            }
            if let previous = out.last, t <= previous {
                if t == previous {
                    throw MetError.duplicateTime(path: path, otherPath: path, variable: v.name, time: t.iso8601)
                }
                throw MetError.nonMonotonicTime(path: path, variable: v.name, index: i, previous: previous.iso8601, value: t.iso8601)
            }
            out.append(t)
        }
        return out
    }

    /// Julian-calendar day number (JDN) of a Julian-calendar date.
    static func julianDayNumber(year: Int, month: Int, day: Int) -> Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - 32083
    }

    // MARK: - Vertical

    static func verticalDimension(path: String, dimension d: NetCDFDimension, coordinate: CFVariable?,
                                  byName: [String: CFVariable] = [:]) throws -> VerticalDimension? {
        guard d.length <= GridLimits.maxLevels else {
            throw MetError.unsupportedLayout(path: path, variable: coordinate?.name ?? d.name,
                                             detail: "dimension '\(d.name)' has \(d.length) levels, more than the \(GridLimits.maxLevels) a met grid may have; the file is corrupt or not a met file")
        }
        guard let c = coordinate, c.isCoordinate else {
            // A dimension without coordinate values: a vertical one only by name.
            if levelNames.contains(d.name) {
                return VerticalDimension(dimension: d.name, variable: nil, kind: .hybrid, levels: (1...max(1, d.length)).map(Double.init))
            }
            return nil
        }
        let sn = c.standardName ?? ""
        let units = c.units
        let isZ = c.text("axis")?.uppercased() == "Z" || c.text("positive") != nil
        var kind: VerticalKind?
        switch sn {
        case "air_pressure": kind = .pressure
        case "atmosphere_sigma_coordinate": kind = .sigma
        case let s where s.hasPrefix("atmosphere_hybrid") || s == "model_level_number" || s == "atmosphere_ln_pressure_coordinate": kind = .hybrid
        case "height", "altitude", "height_above_ground_level", "height_above_mean_sea_level": kind = .height
        default: break
        }
        if kind == nil, CF.pressureToHPa(units) != nil, isZ || levelNames.contains(c.name) || sn.isEmpty { kind = .pressure }
        if kind == nil, isZ || levelNames.contains(c.name) {
            if CF.isMetres(units) { kind = .height }
            else if c.name.lowercased().contains("sigma") || units.lowercased() == "sigma" { kind = .sigma }
            else { kind = .hybrid }
        }
        guard let kind else { return nil }
        var levels: [Double]
        levels = try MetError.wrapping { try c.handle.read(Double.self) }
        if kind == .pressure, let f = CF.pressureToHPa(units) { levels = levels.map { $0 * f } }
        guard levels.allSatisfy(\.isFinite) else {
            throw MetError.levelMismatch(path: path, variable: c.name, detail: "vertical coordinate holds missing values")
        }
        var vd = VerticalDimension(dimension: d.name, variable: c.name, kind: kind, levels: levels)
        try formulaTerms(path: path, coordinate: c, byName: byName, into: &vd)
        return vd
    }

    /// Reads the CF `formula_terms` of σ (`sigma: … ps: … ptop: …`) and hybrid σ-pressure
    /// (`a: … b: … ps: … p0: …` or `ap: … b: … ps: …`) coordinates into p_top, a (hPa) and b.
    static func formulaTerms(path: String, coordinate c: CFVariable, byName: [String: CFVariable], into vd: inout VerticalDimension) throws {
        guard let text = c.text("formula_terms") else { return }
        var terms: [String: String] = [:]
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var k = 0
        while k + 1 < words.count {
            if words[k].hasSuffix(":") { terms[String(words[k].dropLast())] = words[k + 1]; k += 2 } else { k += 1 }
        }
        func fail(_ detail: String) -> MetError { MetError.levelMismatch(path: path, variable: c.name, detail: "formula_terms '\(text)': \(detail)") }
        /// A term's values converted to hPa (pressure units) or as stored (dimensionless).
        func values(_ term: String, pressure: Bool) throws -> [Double]? {
            guard let name = terms[term] else { return nil }
            guard let v = byName[name] else { throw fail("variable '\(name)' of term '\(term)' is not in the file") }
            var raw = try MetError.wrapping { try v.handle.read(Double.self) }
            if pressure {
                guard let f = CF.pressureToHPa(v.units) else { throw fail("term '\(term)' ('\(name)') has units '\(v.units)', not a pressure") }
                raw = raw.map { $0 * f }
            }
            guard raw.allSatisfy(\.isFinite) else { throw fail("term '\(term)' ('\(name)') holds missing values") }
            return raw
        }
        let sn = c.standardName ?? ""
        if sn == "atmosphere_sigma_coordinate" {
            vd.kind = .sigma
            if let top = try values("ptop", pressure: true) { vd.sigmaTop = top.first ?? 0 } else { vd.sigmaTop = 0 }
            if let sigma = try values("sigma", pressure: false), sigma.count == vd.levels.count { vd.levels = sigma }
        } else if sn == "atmosphere_hybrid_sigma_pressure_coordinate" {
            vd.kind = .hybrid
            guard let b = try values("b", pressure: false), b.count == vd.levels.count else { throw fail("term 'b' is missing or not one value per level") }
            let a: [Double]
            if let ap = try values("ap", pressure: true) {
                a = ap
            } else if let aa = try values("a", pressure: false) {
                guard let p0 = try values("p0", pressure: true)?.first else { throw fail("term 'a' needs 'p0'") }
                a = aa.map { $0 * p0 }
            } else {
                throw fail("neither 'ap' nor 'a' is given")
            }
            guard a.count == b.count else { throw fail("'a' and 'b' have different lengths") }
            vd.hybridA = a
            vd.hybridB = b
        }
    }


    // MARK: - Roles

    static func roleVariable(path: String, variable v: CFVariable, role: MetRole, lon: HorizontalAxis, lat: HorizontalAxis,
                             timeDimension: String?, verticals: [String: VerticalDimension], strict: Bool) throws -> RoleVariable? {
        let names = v.dimensionNames
        guard let xi = names.firstIndex(of: lon.dimension), let yi = names.firstIndex(of: lat.dimension) else {
            if strict {
                throw MetError.unsupportedLayout(path: path, variable: v.name, detail: "has dimensions (\(names.joined(separator: ", "))) without the latitude/longitude dimensions (\(lat.dimension), \(lon.dimension))")
            }
            return nil
        }
        guard xi == names.count - 1, yi == names.count - 2 else {
            throw MetError.unsupportedLayout(path: path, variable: v.name, detail: "dimensions (\(names.joined(separator: ", "))) must end with (\(lat.dimension), \(lon.dimension)); transpose the file (e.g. ncpdq)")
        }
        var ti: Int?, zi: Int?, ei: Int?
        for (i, d) in v.dimensions.enumerated().dropLast(2) {
            if d.name == timeDimension { ti = i; continue }
            if verticals[d.name] != nil && d.name != "expver" {
                if zi != nil {
                    throw MetError.unsupportedLayout(path: path, variable: v.name, detail: "has two vertical dimensions")
                }
                zi = i; continue
            }
            if d.name.lowercased() == "expver" { ei = i; continue }
            if d.length == 1 { continue } // squeezed, e.g. ERA5 `number`
            if strict {
                throw MetError.unsupportedLayout(path: path, variable: v.name, detail: "dimension '\(d.name)' of size \(d.length) is neither time, level, latitude nor longitude; select one index first (e.g. ncks -d \(d.name),0)")
            }
            return nil
        }
        var rv = RoleVariable(role: role, variable: v, packing: CFPacking(v), timeDimension: ti, levelDimension: zi,
                              latDimension: yi, lonDimension: xi, expverDimension: ei, verticalVelocity: nil)
        rv.assumedUnits = impliedUnits(of: v, role: role)
        if role == .w {
            let sn = v.standardName
            let units = rv.units
            if sn == "upward_air_velocity" || (sn == nil && CF.speedToMetresPerSecond(units) != nil) {
                rv.verticalVelocity = .w
            } else if CF.omegaToPaPerSecond(units) != nil || sn != nil {
                rv.verticalVelocity = .omega
            } else if CF.speedToMetresPerSecond(units) != nil {
                rv.verticalVelocity = .w
            } else {
                rv.verticalVelocity = .omega
            }
        }
        return rv
    }

    /// Sets the conversion from the variable's units to the role's normalised units.
    static func setConversion(path: String, _ rv: inout RoleVariable) throws {
        let units = rv.units
        let blank = units.trimmingCharacters(in: .whitespaces).isEmpty
        func fail(_ expected: String) -> MetError {
            .unsupportedUnits(path: path, variable: rv.variable.name, units: units, expected: expected)
        }
        var scale = 1.0, offset = 0.0
        switch rv.role {
        case .u, .v:
            if !blank { guard let f = CF.speedToMetresPerSecond(units) else { throw fail("m s-1 (m/s, m s**-1, knots, …)") }; scale = f }
        case .w:
            if rv.verticalVelocity == .w {
                if !blank { guard let f = CF.speedToMetresPerSecond(units) else { throw fail("m s-1") }; scale = f }
            } else if !blank {
                guard let f = CF.omegaToPaPerSecond(units) else { throw fail("Pa s-1 or hPa s-1 (omega) or m s-1 (w)") }
                scale = f
            }
        case .geopotential:
            if !blank && !CF.isGeopotential(units) { throw fail("m2 s-2") }
        case .geopotentialHeight, .boundaryLayerHeight:
            if !blank && !CF.isMetres(units) {
                switch CF.canonicalUnits(units) {
                case "km": scale = 1000
                case "dam": scale = 10
                default: throw fail("m")
                }
            }
        case .orography:
            if CF.isGeopotential(units) { scale = 1 / standardGravity }
            else if !blank && !CF.isMetres(units) { throw fail("m or m2 s-2") }
        case .temperature:
            if !blank { guard let (s, o) = CF.temperatureToKelvin(units) else { throw fail("K or degC") }; scale = s; offset = o }
        case .surfacePressure:
            if blank { throw fail("Pa or hPa (the units attribute is missing)") }
            guard let f = CF.pressureToHPa(units) else { throw fail("Pa or hPa") }
            scale = f
        case .specificHumidity:
            switch CF.canonicalUnits(units) {
            case "", "1", "kg kg-1": scale = 1
            case "g kg-1": scale = 0.001
            default: throw fail("kg kg-1")
            }
        case .relativeHumidity:
            switch CF.canonicalUnits(units) {
            case "%", "percent", "": scale = 1
            case "1", "fraction": scale = 100
            default: throw fail("%")
            }
        }
        rv.packing.unitScale = scale
        rv.packing.unitOffset = offset
    }
}
