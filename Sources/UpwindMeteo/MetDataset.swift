import Foundation
import NetCDFKit
import Synchronization
import UpwindCore

/// Which file variable plays which `MetRole`, overriding detection.
///
/// ```swift
/// let mapping = try MetVariableMapping(parsing: ["u=UGRD", "v=VGRD"])
/// ```
public struct MetVariableMapping: Sendable, Equatable {
    /// Variable names by role.
    public var names: [MetRole: String]

    /// Creates a mapping from role to variable name.
    public init(_ names: [MetRole: String] = [:]) { self.names = names }

    /// Parses `ROLE=NAME` items (roles as in `MetRole`'s raw values, e.g. `u`,
    /// `geopotential_height`, `surface_pressure`).
    /// - Throws: ``MetError/unknownRole(_:)`` for an unknown role or an item without `=`.
    public init(parsing items: [String]) throws {
        var names: [MetRole: String] = [:]
        for item in items {
            for part in item.split(separator: ",") {
                let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2, !kv[1].isEmpty, let role = MetRole(rawValue: kv[0]) else {
                    throw MetError.unknownRole(String(part))
                }
                names[role] = kv[1]
            }
        }
        self.names = names
    }
}

/// What a dataset holds for one role.
public struct MetVariableInfo: Sendable, Equatable {
    /// The role.
    public let role: MetRole
    /// The variable's name in the file(s).
    public let name: String
    /// Its units as stored in the file (before normalisation), or, when the file gives none,
    /// the units its name implies (HYSPLIT's ARL names, e.g. `WWND` hPa s⁻¹; see ``unitsAssumed``).
    public let units: String
    /// What a `MetRole/w` variable holds.
    public let verticalVelocity: VerticalVelocityKind?
    /// The levels the variable has (a subset of the wind's for, e.g., NCEP omega);
    /// empty for surface fields.
    public let levels: [Double]
    /// The rule that tied the variable to its role (standard_name, name, long_name or the user's map).
    public let matchedBy: MetRoleMatch
    /// True when the file has no `units` for the variable and ``units`` are the ones its name implies.
    public let unitsAssumed: Bool
}

/// One or many CF NetCDF files read as one meteorological dataset: a normalised
/// latitude-longitude grid (latitude ascending, longitude continuous), one vertical
/// axis (the wind's; pressure in hPa), valid times concatenated across files, and
/// variables possibly split across files (NCEP one-variable-per-file archives).
///
/// Nothing is decoded on opening but the coordinates. `slice(at:roles:box:)` decodes
/// all requested variables at one time, optionally cut to a box, and keeps recent
/// slices in an LRU cache bounded by ``cacheBudgetBytes``. Thread-safe.
///
/// ```swift
/// let met = try MetDataset(paths: ["era5_2024-07-*.nc"])
/// let s = try met.slice(at: 0, box: BoundingBox(south: 30, north: 40, west: 110, east: 120))
/// let u = s.fields[.u]!   // m s-1, [z][y][x]
/// ```
public final class MetDataset: Sendable {
    /// The files, in the order given (globs expanded and sorted).
    public let paths: [String]
    /// The normalised horizontal grid. For a projected dataset (``projection`` not nil) its
    /// `longitudes` and `latitudes` hold the ascending projection x and y coordinates in
    /// metres instead, and for a curvilinear one the node indices 0, 1, … (use
    /// ``horizontalGrid`` for geography).
    public let grid: LatLonGrid
    /// The map projection of a projected dataset (CF `grid_mapping` polar_stereographic,
    /// lambert_conformal_conic or mercator on a sphere), `.curvilinear` for 2-D
    /// latitude/longitude coordinates without a usable mapping, nil for latitude-longitude data.
    public let projection: MapProjection?
    /// True when a projected or curvilinear dataset's u and v are along the grid's x and y axes
    /// (`x_wind`/`y_wind`, or no standard_name); false for eastward/northward winds.
    public let gridRelativeWinds: Bool
    /// Why the file's `grid_mapping` was set aside for its 2-D coordinates (unusable, or more
    /// than 1 % of a cell away from them), as `upwind inspect` reports it; nil otherwise.
    public let gridNote: String?
    /// The names of the 2-D latitude and longitude variables of a curvilinear dataset; nil otherwise.
    public let curvilinearCoordinates: (latitude: String, longitude: String)?
    /// σ levels: the top pressure p_top of p = p_top + σ·(p_s − p_top), hPa; nil otherwise.
    public let sigmaTopPressure: Double?
    /// Hybrid σ-pressure levels from CF `formula_terms`: p = a + b·p_s with a in hPa, in the
    /// order of ``vertical``'s levels; nil otherwise.
    public let hybridCoefficients: (a: [Double], b: [Double])?

    /// The grid as the engine sees it: the `LatLonGrid` for latitude-longitude data; for
    /// projected data the projection's grid, whose wind axes are the grid axes when
    /// ``gridRelativeWinds`` is true and east/north otherwise.
    public var horizontalGrid: any HorizontalGrid {
        guard let projection else { return grid }
        if gridRelativeWinds { return projection.grid }
        if case .mercator(let g) = projection { return g }
        return EarthRelativeWindGrid(projection.grid)
    }
    /// The wind's vertical axis (normalised; pressure in hPa).
    public let vertical: VerticalAxis
    /// Valid times (UTC), strictly increasing: the wind's times.
    public let times: [UTCTime]
    /// The variables found, by role.
    public let variables: [MetRole: MetVariableInfo]
    /// What `MetRole/w` holds, when the dataset has a vertical velocity.
    public var verticalVelocity: VerticalVelocityKind? { variables[.w]?.verticalVelocity }
    /// Upper bound on the bytes of cached slices (the most recent slice is always kept).
    public let cacheBudgetBytes: Int

    struct Entry: Sendable { var file: Int; var timeIndex: Int? }
    struct Source: Sendable {
        /// Per file index: the variable, and for each dataset level the file level index.
        var variables: [Int: CFFile.RoleVariable]
        var levelMaps: [Int: [Int?]]
        /// Per file index: the chunk cache that fits one chunk, for variables whose chunk is
        /// larger than the cache they were opened with.
        var chunkFits: [Int: ChunkFit] = [:]
        /// Per dataset time index, where the data is (nil: absent at that time).
        var entries: [Entry?]
    }
    /// A variable's chunk cache as opened and enlarged to hold one whole chunk.
    struct ChunkFit: Sendable {
        var original: NetCDFChunkCache
        var fitted: NetCDFChunkCache
    }
    struct CacheKey: Hashable, Sendable { var index: Int; var roles: [String]; var box: [Double]? }
    struct CacheState: Sendable {
        var slices: [CacheKey: (slice: MetSlice, lastUse: Int)] = [:]
        var bytes = 0
        var clock = 0
        var bytesDecoded = 0
        /// Per role, the files whose variable currently has its chunk cache enlarged to one
        /// chunk (least recently read first; at most ``MetDataset/fittedFilesPerRole``).
        var fittedFiles: [MetRole: [Int]] = [:]
    }

    /// Chunks larger than this keep the cache a variable was opened with (bytes).
    static let maxFittedChunkBytes = 16 << 20
    /// Files per role whose chunk cache is enlarged at once: the file being read and the one
    /// before it (a sweep crossing midnight between daily files reads both).
    static let fittedFilesPerRole = 2

    let files: [CFFile]
    let sources: [MetRole: Source]
    let state = Mutex(CacheState())
    /// Whether whole stored chunks are inflated by Upwind, outside the library lock and
    /// several variables at once (`NetCDFVariable/storedChunks(start:count:)`), rather than by libnetcdf.
    let decodesStoredChunks: Bool

    /// Opens `paths` (files or glob patterns) as one dataset.
    /// - Parameters:
    ///   - paths: files or glob patterns (`*`, `?`, `[…]`), expanded and sorted.
    ///   - mapping: user-supplied role → variable names, overriding detection.
    ///   - cacheBudgetBytes: bound on cached slice bytes (default 1 GiB).
    /// - Throws: ``MetError`` naming the file, variable and value: unreadable files,
    ///   no recognisable wind, two variables of a file for one role
    ///   (``MetError/ambiguousRole(path:role:rule:variables:)``; see ``MetRoleMatch``), units a
    ///   role cannot convert, grids or units that differ between files, duplicate or
    ///   non-monotonic times, unsupported calendars or grids.
    public convenience init(paths: [String], mapping: MetVariableMapping = MetVariableMapping(), cacheBudgetBytes: Int = 1 << 30) throws {
        try self.init(paths: paths, mapping: mapping, cacheBudgetBytes: cacheBudgetBytes, decodesStoredChunks: true)
    }

    /// Opens `paths` as ``init(paths:mapping:cacheBudgetBytes:)`` does; with `decodesStoredChunks`
    /// false every read goes through libnetcdf's own decompression (for comparisons in tests).
    init(paths: [String], mapping: MetVariableMapping, cacheBudgetBytes: Int, decodesStoredChunks: Bool) throws {
        let expanded = try MetDataset.expand(paths)
        self.paths = expanded
        self.cacheBudgetBytes = cacheBudgetBytes
        self.decodesStoredChunks = decodesStoredChunks
        var files: [CFFile] = []
        for p in expanded { files.append(try CFFile(path: p, mapping: mapping.names, previous: files.last?.projection)) }
        self.files = files

        guard let uFile = files.firstIndex(where: { $0.roles[.u] != nil }),
              files.contains(where: { $0.roles[.v] != nil }) else {
            let vars = files.flatMap { f in f.variableNames.map { files.count > 1 ? "\(($0)) in \((f.path as NSString).lastPathComponent)" : $0 } }
            throw MetError.noWind(path: files.first { $0.roles[.u] == nil || $0.roles[.v] == nil }?.path ?? expanded[0], variables: vars)
        }
        for (role, name) in mapping.names where !files.contains(where: { $0.roles[role]?.variable.name == name }) {
            throw MetError.mappedVariableMissing(role: role.rawValue, variable: name, paths: expanded)
        }

        // One grid for all files.
        let ref = files[uFile]
        let lons = ref.lon.ascending, lats = ref.lat.ascending
        for f in files {
            if let d = MetDataset.axisDifference(f.lon.ascending, lons, name: "longitude") ?? MetDataset.axisDifference(f.lat.ascending, lats, name: "latitude") {
                throw MetError.gridMismatch(path: f.path, referencePath: ref.path, detail: d)
            }
        }
        for f in files where f.projection != ref.projection
            || ((f.roles[.u] != nil || f.roles[.v] != nil) && f.gridRelativeWinds != ref.gridRelativeWinds) {
            let describe = { (p: MapProjection?) in p.map { "\($0.name) \($0.grid.nx)×\($0.grid.ny)" } ?? "latitude-longitude" }
            throw MetError.gridMismatch(path: f.path, referencePath: ref.path,
                                        detail: "projection \(describe(f.projection))\(f.gridRelativeWinds ? ", grid-relative winds" : "") vs \(describe(ref.projection))\(ref.gridRelativeWinds ? ", grid-relative winds" : "")")
        }
        projection = ref.projection
        gridRelativeWinds = ref.projection != nil && ref.gridRelativeWinds
        gridNote = ref.gridNote
        curvilinearCoordinates = ref.curvilinearCoordinates
        grid = LatLonGrid(longitudes: lons, latitudes: lats, isGlobal: ref.projection == nil && LatLonGrid.detectGlobal(lons))

        // The wind's vertical axis.
        func axis(_ f: CFFile, _ rv: CFFile.RoleVariable) -> VerticalAxis {
            guard let zi = rv.levelDimension, let vd = f.verticals[rv.variable.dimensions[zi].name] else {
                return VerticalAxis(kind: .surface, levels: [])
            }
            return VerticalAxis(kind: vd.kind, levels: vd.levels)
        }
        guard let uVar = ref.roles[.u] else { throw MetError.noWind(path: ref.path, variables: ref.variableNames) }
        let vertical = axis(ref, uVar)
        self.vertical = vertical
        let uVertical = uVar.levelDimension.flatMap { ref.verticals[uVar.variable.dimensions[$0].name] }
        sigmaTopPressure = vertical.kind == .sigma ? (uVertical?.sigmaTop ?? 0) : nil
        if vertical.kind == .hybrid, let a = uVertical?.hybridA, let b = uVertical?.hybridB {
            hybridCoefficients = (a, b)
        } else {
            hybridCoefficients = nil
        }
        for f in files {
            for role in [MetRole.u, .v] {
                guard let rv = f.roles[role] else { continue }
                let a = axis(f, rv)
                if a.kind != vertical.kind || !MetDataset.same(a.levels, vertical.levels) {
                    throw MetError.windMismatch(detail: "\(role.rawValue) in \(f.path) has \(a.kind.rawValue) levels \(a.levels) but u in \(ref.path) has \(vertical.kind.rawValue) levels \(vertical.levels)")
                }
                guard rv.timeDimension != nil, f.timeDimension != nil else {
                    throw MetError.missingAxis(path: f.path, variable: rv.variable.name, axis: "time", reason: "not found (the wind needs a CF time coordinate)")
                }
            }
        }

        // Dataset times: the union of u's times.
        var timeOwner: [UTCTime: String] = [:]
        for f in files where f.roles[.u] != nil {
            for t in f.times {
                if let other = timeOwner[t] {
                    throw MetError.duplicateTime(path: f.path, otherPath: other, variable: f.roles[.u]?.variable.name ?? "u", time: t.iso8601)
                }
                timeOwner[t] = f.path
            }
        }
        let times = timeOwner.keys.sorted()
        self.times = times
        let timeIndex = Dictionary(uniqueKeysWithValues: times.enumerated().map { ($1, $0) })

        // Sources for every role.
        var sources: [MetRole: Source] = [:]
        var infos: [MetRole: MetVariableInfo] = [:]
        var firstPathOfRole: [MetRole: String] = [:]
        for (fi, f) in files.enumerated() {
            for (_, original) in f.roles.sorted(by: { $0.key < $1.key }) {
                var rv = original
                let hasLevels = rv.levelDimension.map { rv.variable.dimensions[$0].length > 1 } ?? false
                // Place the variable on the wind's vertical axis.
                if vertical.kind == .surface {
                    if hasLevels { continue }
                } else if rv.role.isThreeDimensional && !hasLevels {
                    guard rv.role == .geopotential || rv.role == .geopotentialHeight else { continue }
                    rv.role = .orography // surface geopotential (ERA5 single levels)
                    try CFFile.setConversion(path: f.path, &rv)
                } else if !rv.role.isThreeDimensional && hasLevels {
                    continue
                }
                let role = rv.role
                var levelMap: [Int?] = []
                var varLevels: [Double] = []
                if role.isThreeDimensional && vertical.kind != .surface {
                    let fileAxis = axis(f, rv)
                    varLevels = fileAxis.levels
                    guard fileAxis.kind == vertical.kind else {
                        throw MetError.levelMismatch(path: f.path, variable: rv.variable.name, detail: "\(fileAxis.kind.rawValue) levels, but the wind is on \(vertical.kind.rawValue) levels")
                    }
                    levelMap = vertical.levels.map { level in fileAxis.levels.firstIndex { MetDataset.close($0, level) } }
                    let placed = levelMap.compactMap { $0 }.count
                    if placed != fileAxis.levels.count {
                        let extra = fileAxis.levels.filter { l in !vertical.levels.contains { MetDataset.close($0, l) } }
                        throw MetError.levelMismatch(path: f.path, variable: rv.variable.name, detail: "levels \(extra) are not among the wind's levels \(vertical.levels)")
                    }
                }
                if let refPath = firstPathOfRole[role], let refInfo = infos[role],
                   CF.canonicalUnits(refInfo.units) != CF.canonicalUnits(rv.units) {
                    throw MetError.unitsMismatch(path: f.path, referencePath: refPath, variable: rv.variable.name, units: rv.units, referenceUnits: refInfo.units)
                }
                var source = sources[role] ?? Source(variables: [:], levelMaps: [:], entries: Array(repeating: nil, count: times.count))
                if source.variables[fi] != nil { continue }
                source.variables[fi] = rv
                source.levelMaps[fi] = levelMap
                source.chunkFits[fi] = MetDataset.chunkFit(rv.variable)
                if rv.timeDimension != nil {
                    for (ti, t) in f.times.enumerated() {
                        guard let di = timeIndex[t] else { continue }
                        if let existing = source.entries[di], existing.file != fi, existing.timeIndex != nil {
                            throw MetError.duplicateTime(path: f.path, otherPath: files[existing.file].path, variable: rv.variable.name, time: t.iso8601)
                        }
                        source.entries[di] = Entry(file: fi, timeIndex: ti)
                    }
                } else {
                    for di in times.indices where source.entries[di] == nil { source.entries[di] = Entry(file: fi, timeIndex: nil) }
                }
                sources[role] = source
                if infos[role] == nil {
                    infos[role] = MetVariableInfo(role: role, name: rv.variable.name, units: rv.units,
                                                  verticalVelocity: rv.verticalVelocity, levels: varLevels,
                                                  matchedBy: rv.matchedBy, unitsAssumed: rv.assumedUnits != nil)
                    firstPathOfRole[role] = f.path
                }
            }
        }
        if let u = sources[.u], let v = sources[.v] {
            for i in times.indices where (u.entries[i] == nil) != (v.entries[i] == nil) {
                throw MetError.windMismatch(detail: "at \(times[i].iso8601) only \(u.entries[i] == nil ? "v" : "u") is present")
            }
        }
        self.sources = sources
        self.variables = infos
    }

    // MARK: - Slices

    /// Total bytes of stored values decoded from the files so far (for tests and diagnostics).
    public var bytesDecoded: Int { state.withLock { $0.bytesDecoded } }

    /// All requested variables at time index `index`, normalised, optionally cut to the
    /// smallest sub-grid that covers `box` plus one grid point on every side (the
    /// interpolation stencil). A box across a global grid's seam is read as two blocks.
    /// - Parameters:
    ///   - index: index into ``times``.
    ///   - roles: roles to load (default: all the dataset has).
    ///   - box: geographic box in degrees, or nil for the whole grid.
    /// - Throws: ``MetError/timeIndexOutOfRange(index:count:)``, ``MetError/boxOutsideGrid(box:grid:)``,
    ///   or a read error naming the file and variable.
    public func slice(at index: Int, roles: Set<MetRole>? = nil, box: BoundingBox? = nil) throws -> MetSlice {
        try slice(at: index, roles: roles, box: box, cached: true)
    }

    /// The slice at time index `index`; with `cached` false it is decoded without entering the
    /// LRU cache (for a consumer that keeps its own, like ``MetWindField`` during a sweep).
    /// - Throws: as `slice(at:roles:box:)`.
    public func slice(at index: Int, roles: Set<MetRole>?, box: BoundingBox?, cached: Bool) throws -> MetSlice {
        guard times.indices.contains(index) else { throw MetError.timeIndexOutOfRange(index: index, count: times.count) }
        let wanted = (roles ?? Set(sources.keys)).filter { sources[$0] != nil }.sorted()
        let key = CacheKey(index: index, roles: wanted.map(\.rawValue), box: box.map { [$0.south, $0.north, $0.west, $0.east] })
        if let hit = state.withLock({ s -> MetSlice? in
            guard let e = s.slices[key] else { return nil }
            s.clock += 1
            s.slices[key] = (e.slice, s.clock)
            return e.slice
        }) { return hit }

        let window = try self.window(for: box)
        var fields: [MetRole: MetField] = [:]
        let read = try readFields(wanted.map { FieldRequest(role: $0) }, timeIndex: index, window: window)
        for (role, field) in zip(wanted, read) { fields[role] = field }
        let slice = MetSlice(time: times[index], grid: LatLonGrid(longitudes: window.lons, latitudes: window.lats, isGlobal: window.isGlobal),
                             vertical: vertical, verticalVelocity: fields[.w] == nil ? nil : verticalVelocity, fields: fields)
        guard cached else { return slice }
        let budget = cacheBudgetBytes
        state.withLock { s in
            s.clock += 1
            if let old = s.slices[key] { s.bytes -= old.slice.byteCount }
            s.slices[key] = (slice, s.clock)
            s.bytes += slice.byteCount
            while s.bytes > budget, s.slices.count > 1,
                  let oldest = s.slices.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                s.bytes -= oldest.value.slice.byteCount
                s.slices[oldest.key] = nil
            }
        }
        return slice
    }

    /// What ``MetWindField`` needs of one time: the engine's fields on the whole grid.
    struct EngineFields: Sendable {
        var time: UTCTime
        var nx: Int
        var ny: Int
        /// What the w field holds (nil when there is none).
        var verticalVelocity: VerticalVelocityKind?
        /// By role, in normalised units, 3-D fields with their levels in the requested order;
        /// a geopotential is returned as `MetRole/geopotentialHeight` (divided by g₀).
        var fields: [MetRole: MetField]
    }

    /// The roles the trajectory engine reads (besides the height, see ``engineFields(at:levelOrder:)``).
    static let engineRoles: [MetRole] = [.u, .v, .w, .temperature, .relativeHumidity, .surfacePressure, .orography, .boundaryLayerHeight]

    /// Decodes only what the trajectory engine uses at time index `index`, on the whole grid,
    /// without entering the LRU cache: ``engineRoles`` and the height (geopotential height, or
    /// else geopotential divided by g₀ during decoding), 3-D levels placed in `levelOrder`
    /// (the dataset level of each output level) while decoding.
    /// - Throws: ``MetError/timeIndexOutOfRange(index:count:)`` or a read error naming the file and variable.
    func engineFields(at index: Int, levelOrder: [Int]) throws -> EngineFields {
        guard times.indices.contains(index) else { throw MetError.timeIndexOutOfRange(index: index, count: times.count) }
        let window = try self.window(for: nil)
        var requests = MetDataset.engineRoles.map { FieldRequest(role: $0, levelOrder: levelOrder) }
        // The height after the 3-D winds (the largest reads first balance the parallel decoding).
        if has(.geopotentialHeight, at: index) {
            requests.insert(FieldRequest(role: .geopotentialHeight, levelOrder: levelOrder), at: 3)
        } else if has(.geopotential, at: index) {
            requests.insert(FieldRequest(role: .geopotential, levelOrder: levelOrder, divisor: Float(standardGravity)), at: 3)
        }
        var fields: [MetRole: MetField] = [:]
        for (request, field) in zip(requests, try readFields(requests, timeIndex: index, window: window)) {
            fields[request.role == .geopotential ? .geopotentialHeight : request.role] = field
        }
        return EngineFields(time: times[index], nx: window.lons.count, ny: window.lats.count,
                            verticalVelocity: fields[.w] == nil ? nil : verticalVelocity, fields: fields)
    }

    /// The slice at time `time`, which must be one of ``times``.
    /// - Throws: ``MetError/timeIndexOutOfRange(index:count:)`` when `time` is not a met time.
    public func slice(at time: UTCTime, roles: Set<MetRole>? = nil, box: BoundingBox? = nil) throws -> MetSlice {
        guard let i = times.firstIndex(of: time) else { throw MetError.timeIndexOutOfRange(index: -1, count: times.count) }
        return try slice(at: i, roles: roles, box: box)
    }

    /// Bytes currently held by cached slices.
    public var cachedBytes: Int { state.withLock { $0.bytes } }

    /// Counts missing (NaN) u and v values over the whole dataset, one time at a time,
    /// without filling the cache.
    public func countMissingWind() throws -> Int {
        let w = try window(for: nil)
        var n = 0
        for i in times.indices {
            for role in [MetRole.u, .v] {
                if let f = try readField(role: role, timeIndex: i, window: w) { n += f.missingCount }
            }
        }
        return n
    }

    // MARK: - Windows

    struct Window: Sendable {
        var y0: Int, y1: Int
        var xSegments: [(start: Int, count: Int)]
        var lons: [Double], lats: [Double]
        var isGlobal: Bool
    }

    func window(for box: BoundingBox?) throws -> Window {
        let lats = grid.latitudes, lons = grid.longitudes
        let nx = lons.count
        guard let box else {
            return Window(y0: 0, y1: lats.count - 1, xSegments: [(0, nx)], lons: lons, lats: lats, isGlobal: grid.isGlobal)
        }
        if let projection { return try projectedWindow(box, projection: projection) }
        guard let lat0 = lats.first, let latN = lats.last, let l0 = lons.first, let l1 = lons.last else {
            throw MetError.boxOutsideGrid(box: box, grid: "an empty grid")
        }
        let describe = "lat \(lat0)..\(latN), lon \(l0)..\(l1)"
        guard box.south <= box.north, box.south.isFinite, box.north.isFinite, box.west.isFinite, box.east.isFinite,
              abs(box.west) <= 720, abs(box.east) <= 720, box.north >= lat0, box.south <= latN else {
            throw MetError.boxOutsideGrid(box: box, grid: describe)
        }
        let y0 = lats.lastIndex { $0 <= box.south } ?? 0
        let y1 = lats.firstIndex { $0 >= box.north } ?? lats.count - 1
        var west = box.west, east = box.east
        if east < west { east += 360 }
        var segments: [(start: Int, count: Int)]
        var outLons: [Double]
        var isGlobal = false
        if grid.isGlobal, let step = AxisSummary.regularStep(lons) {
            let shift = ((west - l0) / 360).rounded(.down) * 360
            west -= shift; east -= shift
            let x0 = max(0, Int(((west - l0) / step + 1e-9).rounded(.down)))
            let x1 = Int(((east - l0) / step - 1e-9).rounded(.up))
            if x1 - x0 + 1 >= nx || east - west >= 360 {
                segments = [(0, nx)]; outLons = lons; isGlobal = true
            } else {
                segments = x1 < nx ? [(x0, x1 - x0 + 1)] : [(x0, nx - x0), (0, x1 - nx + 1)]
                outLons = (x0...x1).map { lons[$0 % nx] + Double($0 / nx) * 360 }
            }
        } else {
            var best: (overlap: Double, shift: Double)?
            for k in -2...2 {
                let s = Double(k) * 360
                let overlap = min(east + s, l1) - max(west + s, l0)
                if overlap >= 0, overlap > (best?.overlap ?? -1) { best = (overlap, s) }
            }
            guard let best else { throw MetError.boxOutsideGrid(box: box, grid: describe) }
            let w = west + best.shift, e = east + best.shift
            let x0 = lons.lastIndex { $0 <= w } ?? 0
            let x1 = lons.firstIndex { $0 >= e } ?? nx - 1
            segments = [(x0, x1 - x0 + 1)]
            outLons = Array(lons[x0...x1])
        }
        return Window(y0: y0, y1: y1, xSegments: segments, lons: outLons, lats: Array(lats[y0...y1]), isGlobal: isGlobal)
    }

    /// The index window of a projected grid covering `box` (sampled on a 33×33 lattice of
    /// the box, edges included) plus one node on every side.
    func projectedWindow(_ box: BoundingBox, projection: MapProjection) throws -> Window {
        let g = projection.grid
        let describe = "\(projection.name) grid \(g.nx)×\(g.ny)"
        guard box.south <= box.north, box.south.isFinite, box.north.isFinite, box.west.isFinite, box.east.isFinite else {
            throw MetError.boxOutsideGrid(box: box, grid: describe)
        }
        var east = box.east
        if east < box.west { east += 360 }
        var lo = (x: Double.infinity, y: Double.infinity), hi = (x: -Double.infinity, y: -Double.infinity)
        let n = 32
        for a in 0...n {
            for b in 0...n {
                let lat = box.south + (box.north - box.south) * Double(a) / Double(n)
                let lon = box.west + (east - box.west) * Double(b) / Double(n)
                let p = g.index(latitude: lat, longitude: lon)
                guard p.x.isFinite, p.y.isFinite else { continue }
                lo = (min(lo.x, p.x), min(lo.y, p.y)); hi = (max(hi.x, p.x), max(hi.y, p.y))
            }
        }
        // Checked in Double before any conversion: no finite point leaves ±∞ here, which `Int(_:)` traps on.
        guard lo.x.isFinite, hi.x.isFinite, lo.y.isFinite, hi.y.isFinite, hi.x >= -1, lo.x <= Double(g.nx), hi.y >= -1, lo.y <= Double(g.ny) else {
            throw MetError.boxOutsideGrid(box: box, grid: describe)
        }
        let x0 = max(0, Int(max(lo.x, -2).rounded(.down)) - 1), x1 = min(g.nx - 1, Int(min(hi.x, Double(g.nx)).rounded(.up)) + 1)
        let y0 = max(0, Int(max(lo.y, -2).rounded(.down)) - 1), y1 = min(g.ny - 1, Int(min(hi.y, Double(g.ny)).rounded(.up)) + 1)
        guard x0 <= x1, y0 <= y1 else { throw MetError.boxOutsideGrid(box: box, grid: describe) }
        return Window(y0: y0, y1: y1, xSegments: [(x0, x1 - x0 + 1)], lons: Array(grid.longitudes[x0...x1]),
                      lats: Array(grid.latitudes[y0...y1]), isGlobal: false)
    }

    // MARK: - Decoding

    /// One field to read: its role, the order of its levels and a divisor (see ``readField(role:timeIndex:window:levelOrder:divisor:)``).
    struct FieldRequest: Sendable {
        var role: MetRole
        var levelOrder: [Int]? = nil
        var divisor: Float = 1
    }

    /// True when `role` has data at dataset time `index` (``readField(role:timeIndex:window:levelOrder:divisor:)`` is not nil).
    func has(_ role: MetRole, at index: Int) -> Bool {
        guard let source = sources[role], source.entries.indices.contains(index), let entry = source.entries[index] else { return false }
        return source.variables[entry.file] != nil && source.levelMaps[entry.file] != nil
    }

    /// Reads `requests` at dataset time `timeIndex`, several at once on a multi-core machine:
    /// libnetcdf calls take turns under its lock, but the decoding of stored chunks (and the
    /// conversions) of different variables overlap. The result is in the order of `requests`.
    /// - Throws: the first read error, as ``readField(role:timeIndex:window:levelOrder:divisor:)``.
    func readFields(_ requests: [FieldRequest], timeIndex: Int, window: Window) throws -> [MetField?] {
        guard requests.count > 1, ProcessInfo.processInfo.activeProcessorCount > 1 else {
            return try requests.map { try readField(role: $0.role, timeIndex: timeIndex, window: window, levelOrder: $0.levelOrder, divisor: $0.divisor) }
        }
        let results = Mutex([Result<MetField?, any Error>?](repeating: nil, count: requests.count))
        DispatchQueue.concurrentPerform(iterations: requests.count) { i in
            let r = requests[i]
            let result = Result { try readField(role: r.role, timeIndex: timeIndex, window: window, levelOrder: r.levelOrder, divisor: r.divisor) }
            results.withLock { $0[i] = result }
        }
        return try results.withLock { all in
            try all.map { result -> MetField? in
                guard let result else { return nil }
                return try result.get()
            }
        }
    }

    /// Reads one role at one dataset time on a window; nil when the role is absent then.
    ///
    /// Each block (one per x segment of the window) goes into one scratch buffer, as stored
    /// chunks inflated here (`NetCDFVariable/storedChunks(start:count:)`) or with a single
    /// `nc_get_vara` call, then is decoded (fill → NaN, unpacking, units), flipped to ascending
    /// latitude/longitude and placed in the output, levels in `levelOrder`, in one pass.
    /// - Parameters:
    ///   - levelOrder: for 3-D roles, the dataset level of each output level (nil: the
    ///     dataset's order); ignored for surface roles.
    ///   - divisor: divides every decoded value (g₀ turns geopotential into height).
    func readField(role: MetRole, timeIndex: Int, window: Window, levelOrder: [Int]? = nil, divisor: Float = 1) throws -> MetField? {
        guard let source = sources[role], let entry = source.entries[timeIndex],
              let rv = source.variables[entry.file], let levelMap = source.levelMaps[entry.file] else { return nil }
        if let fit = source.chunkFits[entry.file] { fitChunkCache(role: role, file: entry.file, fit: fit) }
        let file = files[entry.file]
        let dims = rv.variable.dimensions
        let threeD = !levelMap.isEmpty
        // The file level of every output level (nil: the variable lacks that level).
        let planeLevels: [Int?] = threeD
            ? (levelOrder ?? Array(levelMap.indices)).map { levelMap.indices.contains($0) ? levelMap[$0] : nil }
            : [0]
        let ny = window.y1 - window.y0 + 1
        let nxOut = window.xSegments.reduce(0) { $0 + $1.count }
        let fileLevels = planeLevels.compactMap { $0 }
        let zMin = fileLevels.min() ?? 0
        let zCount = threeD ? (fileLevels.max() ?? 0) - zMin + 1 : 1
        let nyFile = file.lat.raw.count, nxFile = file.lon.raw.count
        let rawY0 = file.lat.descending ? nyFile - 1 - window.y1 : window.y0

        // The blocks to read, one per x segment.
        var blocks: [ReadBlock] = []
        var scratchCount = 0
        for segment in window.xSegments {
            let rawX0 = file.lon.descending ? nxFile - 1 - (segment.start + segment.count - 1) : segment.start
            var start = [Int](repeating: 0, count: dims.count)
            var count = [Int](repeating: 1, count: dims.count)
            if let ti = rv.timeDimension, let t = entry.timeIndex { start[ti] = t }
            if let zi = rv.levelDimension { start[zi] = threeD ? zMin : 0; count[zi] = threeD ? zCount : 1 }
            if let ei = rv.expverDimension { count[ei] = dims[ei].length }
            start[rv.latDimension] = rawY0; count[rv.latDimension] = ny
            start[rv.lonDimension] = rawX0; count[rv.lonDimension] = segment.count
            let size = count.reduce(1, *)
            blocks.append(ReadBlock(start: start, count: count, offset: scratchCount, size: size))
            scratchCount += size
        }
        // Float variables are read as Float (half the traffic), everything else as Double.
        if rv.variable.type == .float {
            return try readBlocks(Float.self, rv: rv, blocks: blocks, scratchCount: scratchCount,
                                  planeLevels: planeLevels, zMin: zMin, ny: ny, nxOut: nxOut, window: window, file: file, divisor: divisor)
        }
        return try readBlocks(Double.self, rv: rv, blocks: blocks, scratchCount: scratchCount,
                              planeLevels: planeLevels, zMin: zMin, ny: ny, nxOut: nxOut, window: window, file: file, divisor: divisor)
    }

    /// One hyperslab of a variable and where its values go in the scratch buffer.
    struct ReadBlock: Sendable {
        var start: [Int]
        var count: [Int]
        /// Offset in the scratch buffer, values.
        var offset: Int
        /// Number of values, `product(count)`.
        var size: Int
    }

    /// Reads `blocks` into one scratch buffer of `T`, then decodes them into a field of
    /// `planeLevels.count` levels.
    private func readBlocks<T: NetCDFNumeric & BinaryFloatingPoint>(
        _: T.Type, rv: CFFile.RoleVariable, blocks: [ReadBlock], scratchCount: Int,
        planeLevels: [Int?], zMin: Int, ny: Int, nxOut: Int, window: Window, file: CFFile, divisor: Float
    ) throws -> MetField {
        let scratch = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, scratchCount))
        defer { scratch.deallocate() }
        for b in blocks {
            let part = UnsafeMutableBufferPointer(rebasing: scratch[b.offset ..< b.offset + b.size])
            // Stored chunks of a float variable: copied under the library lock, inflated here.
            // (Not across a global grid's seam: both blocks may need the same chunks, which
            // libnetcdf's chunk cache inflates once.)
            if decodesStoredChunks, T.self == Float.self, blocks.count == 1,
               let stored = try MetError.wrapping({ try rv.variable.handle.storedChunks(start: b.start, count: b.count) }) {
                try MetError.wrapping { try part.withMemoryRebound(to: Float.self) { try stored.decode(into: $0) } }
                continue
            }
            _ = try MetError.wrapping { try rv.variable.handle.read(into: part, start: b.start, count: b.count) }
        }
        let bytes = scratchCount * max(1, rv.variable.type.byteSize)
        state.withLock { $0.bytesDecoded += bytes }

        let decoder = rv.packing.decoder
        let nzOut = planeLevels.count
        let lonDescending = file.lon.descending, latDescending = file.lat.descending
        let eCount = rv.expverDimension.map { blocks.first?.count[$0] ?? 1 } ?? 1
        let total = nzOut * ny * nxOut
        let values = [Float](unsafeUninitializedCapacity: total) { dst, initialized in
            guard let out = dst.baseAddress, let src = UnsafePointer(scratch.baseAddress) else {
                initialized = 0
                return
            }
            var xOffset = 0
            for (segment, b) in zip(window.xSegments, blocks) {
                // Strides of the block as read.
                let count = b.count
                var strides = [Int](repeating: 1, count: count.count)
                for d in stride(from: count.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * count[d + 1] }
                let eStride = rv.expverDimension.map { strides[$0] } ?? 0
                let zStride = rv.levelDimension.map { strides[$0] } ?? 0
                let yStride = strides[rv.latDimension], xStride = strides[rv.lonDimension]
                let n = segment.count
                let block = src + b.offset
                let contiguous = eCount == 1 && xStride == 1 && !lonDescending
                for z in 0..<nzOut {
                    guard let level = planeLevels[z] else {
                        // A level the variable lacks: missing.
                        for y in 0..<ny { (out + (z * ny + y) * nxOut + xOffset).initialize(repeating: .nan, count: n) }
                        continue
                    }
                    let fz = level - zMin
                    for y in 0..<ny {
                        let ry = latDescending ? ny - 1 - y : y
                        let row = block + fz * zStride + ry * yStride
                        let outRow = out + (z * ny + y) * nxOut + xOffset
                        if contiguous {
                            // The common case: a contiguous row, decoded as is.
                            MetDataset.decodeRow(row, into: outRow, count: n, decoder: decoder, divisor: divisor)
                            continue
                        }
                        for x in 0..<n {
                            let rx = lonDescending ? n - 1 - x : x
                            let base = row + rx * xStride
                            // ERA5 + ERA5T: the first experiment version that is not missing.
                            var value = Float.nan
                            for e in 0..<eCount {
                                let v = decoder.value(Double(base[e * eStride]))
                                if !v.isNaN { value = v; break }
                            }
                            outRow[x] = divisor == 1 ? value : value / divisor
                        }
                    }
                }
                xOffset += n
            }
            initialized = total
        }
        return MetField(nz: nzOut, ny: ny, nx: nxOut, values: values)
    }

    /// Decodes one contiguous row of stored values.
    @inline(__always)
    static func decodeRow<T: BinaryFloatingPoint>(_ src: UnsafePointer<T>, into dst: UnsafeMutablePointer<Float>, count: Int,
                                                  decoder: CFDecoder, divisor: Float) {
        if T.self == Float.self {
            src.withMemoryRebound(to: Float.self, capacity: count) { decoder.decode($0, into: dst, count: count, divisor: divisor) }
        } else if T.self == Double.self {
            src.withMemoryRebound(to: Double.self, capacity: count) { decoder.decode($0, into: dst, count: count, divisor: divisor) }
        } else {
            for i in 0..<count { dst[i] = divisor == 1 ? decoder.value(Double(src[i])) : decoder.value(Double(src[i])) / divisor }
        }
    }

    // MARK: - Chunk cache

    /// The chunk cache that holds one whole chunk of `variable`, when its chunk is larger than
    /// the cache it was opened with (and at most ``maxFittedChunkBytes``); nil otherwise.
    static func chunkFit(_ variable: CFVariable) -> ChunkFit? {
        // A query that fails only costs the enlargement: the read reports the real error.
        guard let chunks = try? variable.handle.chunking(), let cache = try? variable.handle.chunkCache() else { return nil }
        var bytes = max(1, variable.type.byteSize)
        for c in chunks {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: c)
            guard !overflow else { return nil }
            bytes = product
        }
        guard bytes > cache.bytes, bytes <= maxFittedChunkBytes else { return nil }
        return ChunkFit(original: cache, fitted: NetCDFChunkCache(bytes: bytes, slots: cache.slots, preemption: cache.preemption))
    }

    /// Enlarges the chunk cache of `role`'s variable in file `file` to one chunk, so that a
    /// chunk read several times (several steps per chunk, a box across the seam) is
    /// decompressed once and HDF5 does not allocate and free a chunk-sized buffer per read;
    /// the file read least recently for that role gets its original cache back, which frees its
    /// chunk (memory stays at ``fittedFilesPerRole`` chunks per role however many files are open).
    func fitChunkCache(role: MetRole, file: Int, fit: ChunkFit) {
        state.withLock { s in
            var list = s.fittedFiles[role] ?? []
            if list.last == file { return }
            if let i = list.firstIndex(of: file) {
                list.remove(at: i)
                list.append(file)
                s.fittedFiles[role] = list
                return
            }
            // Resizing is only an optimisation: a failure leaves the cache as it was (reads work either way).
            guard let variable = sources[role]?.variables[file]?.variable.handle,
                  (try? variable.setChunkCache(fit.fitted)) != nil else { return }
            list.append(file)
            while list.count > MetDataset.fittedFilesPerRole {
                let old = list.removeFirst()
                if let oldFit = sources[role]?.chunkFits[old], let oldVariable = sources[role]?.variables[old]?.variable.handle {
                    try? oldVariable.setChunkCache(oldFit.original)
                }
            }
            s.fittedFiles[role] = list
        }
    }

    // MARK: - Helpers

    static func expand(_ patterns: [String]) throws -> [String] {
        guard !patterns.isEmpty else { throw MetError.noFiles(pattern: "(no files given)") }
        var out: [String] = []
        for p in patterns {
            if p.contains(where: { "*?[".contains($0) }) && !FileManager.default.fileExists(atPath: p) {
                let matches = globPaths(p)
                guard !matches.isEmpty else { throw MetError.noFiles(pattern: p) }
                out += matches
            } else {
                out.append(p)
            }
        }
        try SpecialFile.refuse(out)
        return out
    }

    static func globPaths(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let c = g.gl_pathv[i] { out.append(String(cString: c)) }
        }
        return out.sorted()
    }

    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(a), abs(b)) }

    static func same(_ a: [Double], _ b: [Double]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { close($0, $1) } }

    static func axisDifference(_ a: [Double], _ b: [Double], name: String) -> String? {
        if a.count == b.count && zip(a, b).allSatisfy({ abs($0 - $1) <= 1e-4 }) { return nil }
        func d(_ x: [Double]) -> String { "\(x.count) points \(x.first ?? .nan)…\(x.last ?? .nan)" }
        return "\(name): \(d(a)) vs \(d(b))"
    }
}
