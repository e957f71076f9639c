import UpwindCore

/// The 12 grid reals of an ARL index record (Fortran `12F7`), as HYSPLIT names them.
/// For a regular latitude-longitude grid (``gridSizeKm`` = 0) the pole fields hold the
/// last grid point, the reference fields the spacing, and the sync point the first point.
public struct ARLGridDefinition: Sendable, Equatable {
    /// Pole latitude of the projection, degrees (lat-lon grids: latitude of the last point).
    public var poleLatitude: Double
    /// Pole longitude, degrees (lat-lon grids: longitude of the last point).
    public var poleLongitude: Double
    /// Latitude where ``gridSizeKm`` is true, degrees (lat-lon grids: latitude spacing, degrees).
    public var referenceLatitude: Double
    /// Reference longitude, degrees: the meridian along which +y points north (lat-lon grids:
    /// longitude spacing, degrees).
    public var referenceLongitude: Double
    /// Grid spacing at the reference latitude, km; 0 for a regular lat-lon grid.
    public var gridSizeKm: Double
    /// Angle of the y axis from north at the reference point, degrees.
    public var orientation: Double
    /// Tangent latitude of the conformal projection, degrees (±90 polar stereographic,
    /// 0 Mercator, otherwise Lambert conformal).
    public var tangentLatitude: Double
    /// 1-based grid x of the sync point.
    public var syncX: Double
    /// 1-based grid y of the sync point.
    public var syncY: Double
    /// Latitude of the sync point, degrees.
    public var syncLatitude: Double
    /// Longitude of the sync point, degrees.
    public var syncLongitude: Double
    /// Reserved (12th real).
    public var reserved: Double

    /// True for a regular latitude-longitude grid (grid size 0).
    public var isLatLon: Bool { gridSizeKm == 0 }

    /// All twelve values in file order.
    public var values: [Double] {
        [poleLatitude, poleLongitude, referenceLatitude, referenceLongitude, gridSizeKm, orientation,
         tangentLatitude, syncX, syncY, syncLatitude, syncLongitude, reserved]
    }
}

/// One variable listed in an index record at one level.
public struct ARLVariableEntry: Sendable, Equatable {
    /// The 4-character name, e.g. `UWND`.
    public var name: String
    /// The checksum of its packed bytes (see ``ARLPacking/checksum(_:)``), nil when blank.
    public var checksum: Int?
}

/// One level of an index record: its coordinate value and variables.
public struct ARLLevel: Sendable, Equatable {
    /// The level's coordinate as written (hPa for pressure, σ for sigma, `a + b` encoded
    /// for hybrid levels, m for terrain-following height; 0 or 1 for the surface level).
    public var value: Double
    /// The variables at the level, in file order.
    public var variables: [ARLVariableEntry]
}

/// An ARL index (INDX) record: the first record(s) of every time period, with the data
/// source, grid, vertical coordinate and the variables and checksums of each level.
/// Fixed part: `A4, I3, I2, 12F7, 3I3, I2, I4` (108 characters); then per level `F6, I2`
/// and per variable `A4, I3, 1X`.
public struct ARLIndex: Sendable, Equatable {
    /// Length of the fixed part of the index text, characters.
    public static let fixedLength = 108

    /// The 4-character data source (model) id, e.g. `GDAS`, `NGM`.
    public var source: String
    /// Forecast hour.
    public var forecastHour: Int
    /// Minutes past the header's hour of the valid time.
    public var minutes: Int
    /// The grid definition.
    public var grid: ARLGridDefinition
    /// Nodes along x (including the thousands of the header's grid code).
    public var nx: Int
    /// Nodes along y (including the thousands of the header's grid code).
    public var ny: Int
    /// Number of levels including the surface (level 0).
    public var nz: Int
    /// Vertical coordinate flag: 1 sigma, 2 pressure, 3 terrain-following height, 4 hybrid.
    public var verticalFlag: Int
    /// Length of the whole index text, characters.
    public var textLength: Int
    /// The levels, surface first.
    public var levels: [ARLLevel]

    /// Parses the fixed part: enough to know the record length and the text length.
    static func parseFixed(_ text: String, thousands: (x: Int, y: Int), path: String, record: Int) throws -> ARLIndex {
        func bad(_ detail: String) -> ARLError { ARLError.brokenIndex(path: path, record: record, detail: detail) }
        guard text.utf8.count >= fixedLength else { throw bad("the index text has \(text.utf8.count) of at least \(fixedLength) characters") }
        func int(_ from: Int, _ to: Int, _ name: String) throws -> Int {
            guard let v = ARLText.int(ARLText.field(text, from, to)) else {
                throw bad("\(name) '\(ARLText.field(text, from, to))' is not an integer")
            }
            return v
        }
        var reals: [Double] = []
        for k in 0..<12 {
            let f = ARLText.field(text, 9 + 7 * k, 16 + 7 * k)
            guard let v = ARLText.real(f) else { throw bad("grid value \(k + 1) '\(f)' is not a number") }
            reals.append(v)
        }
        let grid = ARLGridDefinition(poleLatitude: reals[0], poleLongitude: reals[1], referenceLatitude: reals[2], referenceLongitude: reals[3],
                                     gridSizeKm: reals[4], orientation: reals[5], tangentLatitude: reals[6], syncX: reals[7], syncY: reals[8],
                                     syncLatitude: reals[9], syncLongitude: reals[10], reserved: reals[11])
        let index = ARLIndex(source: ARLText.field(text, 0, 4).trimmingSpaces, forecastHour: try int(4, 7, "forecast hour"),
                             minutes: try int(7, 9, "minutes"), grid: grid,
                             nx: try int(93, 96, "nx") + thousands.x, ny: try int(96, 99, "ny") + thousands.y, nz: try int(99, 102, "nz"),
                             verticalFlag: try int(102, 104, "vertical coordinate flag"), textLength: try int(104, 108, "index length"), levels: [])
        guard index.nx >= 1, index.ny >= 1, index.nz >= 1 else { throw bad("grid size \(index.nx)×\(index.ny)×\(index.nz) is not positive") }
        guard index.textLength >= fixedLength else { throw bad("index length \(index.textLength) is shorter than its fixed part") }
        guard (0..<60).contains(index.minutes) else { throw bad("minutes \(index.minutes) out of range") }
        return index
    }

    /// Parses the whole index text (fixed part and levels).
    static func parse(_ text: String, thousands: (x: Int, y: Int), path: String, record: Int) throws -> ARLIndex {
        var index = try parseFixed(text, thousands: thousands, path: path, record: record)
        func bad(_ detail: String) -> ARLError { ARLError.brokenIndex(path: path, record: record, detail: detail) }
        var p = fixedLength
        let length = min(index.textLength, text.utf8.count)
        var levels: [ARLLevel] = []
        for k in 0..<index.nz {
            guard p + 8 <= length else { throw bad("the index text ends before level \(k) of \(index.nz)") }
            let vf = ARLText.field(text, p, p + 6), nf = ARLText.field(text, p + 6, p + 8)
            guard let value = ARLText.real(vf) else { throw bad("level \(k) value '\(vf)' is not a number") }
            guard let count = ARLText.int(nf), count >= 0 else { throw bad("level \(k) variable count '\(nf)' is not an integer") }
            p += 8
            var vars: [ARLVariableEntry] = []
            for _ in 0..<count {
                guard p + 7 <= length else { throw bad("the index text ends inside level \(k)'s variable list") }
                let name = ARLText.field(text, p, p + 4)
                guard name.trimmingSpaces.count > 0, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " }) else {
                    throw bad("level \(k) variable name '\(name)' is not a 4-character name")
                }
                let cf = ARLText.field(text, p + 4, p + 7)
                let checksum = cf.trimmingSpaces.isEmpty ? nil : Int(cf.trimmingSpaces)
                if !cf.trimmingSpaces.isEmpty && checksum == nil { throw bad("checksum '\(cf)' of \(name) at level \(k) is not an integer") }
                vars.append(ARLVariableEntry(name: name, checksum: checksum))
                p += 8
            }
            levels.append(ARLLevel(value: value, variables: vars))
        }
        index.levels = levels
        return index
    }

    /// The number of data records the period holds after its index.
    public var dataRecordCount: Int { levels.reduce(0) { $0 + $1.variables.count } }

    /// The vertical coordinate values of the upper levels (1…), in file order (bottom-up).
    public var upperLevelValues: [Double] { levels.dropFirst().map(\.value) }
}

/// The former name of `MapProjection`, when only ARL files had projected grids.
@available(*, deprecated, renamed: "MapProjection")
public typealias ARLProjection = MapProjection

extension MapProjection {
    /// Builds the grid an index defines, as HYSPLIT does: for conformal grids `STLMBR`
    /// (tangent latitude, reference longitude) then `STCM1P` (sync point, grid size at the
    /// reference latitude on the reference meridian, orientation) on a sphere of
    /// 6371.2 km.
    /// - Throws: ``MetError/unsupportedGrid(path:detail:)`` for rotated grids and
    ///   definitions that do not describe a grid.
    public init(index: ARLIndex, path: String) throws {
        let g = index.grid
        let nx = index.nx, ny = index.ny
        func refuse(_ detail: String) -> MetError { MetError.unsupportedGrid(path: path, detail: detail) }
        // Physical sanity before anything is sized or indexed from the header.
        guard (1...GridLimits.maxPointsPerSide).contains(nx), (1...GridLimits.maxPointsPerSide).contains(ny) else {
            throw refuse("ARL grid of \(nx)×\(ny) points: each side must have 1…\(GridLimits.maxPointsPerSide) points; the index record is corrupt")
        }
        guard g.syncX.isFinite, g.syncY.isFinite, abs(g.syncX) <= 1e7, abs(g.syncY) <= 1e7,
              g.syncLatitude.isFinite, abs(g.syncLatitude) <= 90, g.syncLongitude.isFinite, abs(g.syncLongitude) <= 720 else {
            throw refuse("ARL sync point (\(g.syncX), \(g.syncY)) at \(g.syncLatitude)°, \(g.syncLongitude)° is not a point of a grid; the index record is corrupt")
        }
        if g.isLatLon {
            let dlat = g.referenceLatitude, dlon = g.referenceLongitude
            guard dlat >= GridLimits.minSpacingDegrees, dlon >= GridLimits.minSpacingDegrees, dlat <= 180, dlon <= 360 else {
                throw refuse("ARL latitude-longitude grid with spacing \(dlat)° × \(dlon)°: the spacing must be \(GridLimits.minSpacingDegrees)°…180° (latitude) and …360° (longitude); the index record is corrupt")
            }
            let lats = (0..<ny).map { g.syncLatitude + (Double($0 + 1) - g.syncY) * dlat }
            let lons = (0..<nx).map { g.syncLongitude + (Double($0 + 1) - g.syncX) * dlon }
            guard let south = lats.first, let north = lats.last, south >= -90 - 1e-6, north <= 90 + 1e-6 else {
                throw refuse("ARL latitude-longitude grid reaches beyond the poles (latitudes \(lats.first ?? .nan)…\(lats.last ?? .nan))")
            }
            let global = LatLonGrid.detectGlobal(lons) || (nx >= 3 && abs(Double(nx) * dlon - 360) < 1e-3)
            self = .latLon(LatLonGrid(longitudes: lons, latitudes: lats, isGlobal: global))
            return
        }
        guard g.orientation == 0 else {
            throw refuse("rotated ARL grid (orientation \(g.orientation)° at the reference point) is not supported yet: regrid the data to an unrotated grid")
        }
        guard g.gridSizeKm > 0, g.gridSizeKm.isFinite else { throw refuse("ARL grid size \(g.gridSizeKm) km is not positive") }
        guard g.gridSizeKm * 1000 >= GridLimits.minSpacingM, g.gridSizeKm * 1000 <= GridLimits.maxSpacingM else {
            throw refuse("ARL grid size \(g.gridSizeKm) km is outside \(GridLimits.minSpacingM / 1000)…\(GridLimits.maxSpacingM / 1000) km; the index record is corrupt")
        }
        guard g.referenceLatitude.isFinite, abs(g.referenceLatitude) <= 90, g.referenceLongitude.isFinite, abs(g.referenceLongitude) <= 720 else {
            throw refuse("ARL reference point \(g.referenceLatitude)°, \(g.referenceLongitude)° is outside the globe; the index record is corrupt")
        }
        let d = g.gridSizeKm * 1000
        let r = MapProjection.earthRadius
        let tangent = g.tangentLatitude
        func origin(_ p: (x: Double, y: Double)) -> (Double, Double) {
            (p.x - (g.syncX - 1) * d, p.y - (g.syncY - 1) * d)
        }
        if abs(abs(tangent) - 90) < 1e-9 {
            let north = tangent > 0
            let ref = g.referenceLatitude
            guard north ? ref >= 0 : ref < 0 else {
                throw refuse("polar stereographic ARL grid (tangent latitude \(tangent)) with its grid size given at latitude \(ref) in the other hemisphere")
            }
            let probe = PolarStereographicGrid(nx: nx, ny: ny, spacingM: d, x0: 0, y0: 0, standardParallel: ref,
                                               centralMeridian: g.referenceLongitude, earthRadius: r)
            let (x0, y0) = origin(probe.project(latitude: g.syncLatitude, longitude: g.syncLongitude))
            self = .polarStereographic(PolarStereographicGrid(nx: nx, ny: ny, spacingM: d, x0: x0, y0: y0, standardParallel: ref,
                                                              centralMeridian: g.referenceLongitude, earthRadius: r))
        } else if tangent == 0 {
            let probe = MercatorGrid(nx: nx, ny: ny, spacingM: d, x0: 0, y0: 0, referenceLatitude: g.referenceLatitude,
                                     centralMeridian: g.referenceLongitude, earthRadius: r)
            guard abs(g.referenceLatitude) < 89 else { throw refuse("Mercator ARL grid with its grid size given at latitude \(g.referenceLatitude)") }
            let (x0, y0) = origin(probe.project(latitude: g.syncLatitude, longitude: g.syncLongitude))
            self = .mercator(MercatorGrid(nx: nx, ny: ny, spacingM: d, x0: x0, y0: y0, referenceLatitude: g.referenceLatitude,
                                          centralMeridian: g.referenceLongitude, earthRadius: r))
        } else {
            guard abs(tangent) < 90 else { throw refuse("ARL tangent latitude \(tangent) is outside −90…90") }
            let probe = LambertConformalGrid(nx: nx, ny: ny, spacingM: d, x0: 0, y0: 0, tangentLatitude: tangent,
                                             centralMeridian: g.referenceLongitude, referenceLatitude: g.referenceLatitude, earthRadius: r)
            let sync = probe.project(latitude: g.syncLatitude, longitude: g.syncLongitude)
            guard sync.x.isFinite, sync.y.isFinite, probe.planeScale.isFinite, probe.planeScale > 0 else {
                throw refuse("Lambert conformal ARL grid (tangent \(tangent)°, reference latitude \(g.referenceLatitude)°) cannot place its sync point")
            }
            let (x0, y0) = origin(sync)
            self = .lambertConformal(LambertConformalGrid(nx: nx, ny: ny, spacingM: d, x0: x0, y0: y0, tangentLatitude: tangent,
                                                          centralMeridian: g.referenceLongitude, referenceLatitude: g.referenceLatitude,
                                                          earthRadius: r))
        }
    }
}
