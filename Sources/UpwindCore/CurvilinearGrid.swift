/// A curvilinear grid: nodes `(i, j)` placed anywhere on the sphere by 2-D latitude and
/// longitude arrays (WRF's `XLAT`/`XLONG` after post-processing, GRIB-to-NetCDF
/// `gridlat_*`/`gridlon_*`, NEMO's `nav_lat`/`nav_lon`, NetCDF copies of ARL grids), with
/// winds along the grid axes (grid-relative, as WRF's `U`/`V` and CF `x_wind`/`y_wind`).
///
/// **Between the nodes** a point's position is the cubic (4 × 4-node Lagrange) interpolation
/// of the nodes' 3-D unit vectors in the fractional indices, projected radially onto the
/// sphere: it is exact at the nodes, continuous from cell to cell, and reproduces a smooth grid
/// (any map projection sampled at its nodes) to O((Δ/R)³) of a cell, Δ the node spacing and R
/// the Earth's radius (measured: 2e-8 cell on a 40-km Lambert grid, 1e-9 on a 25-km polar
/// stereographic one). Grids shorter than 4 nodes along an axis are interpolated linearly along it.
///
/// **Locating** a point, ``locate(latitude:longitude:)``, finds its cell through a spatial
/// index (a cube map: each of the six faces of the cube around the sphere carries a uniform
/// bucket grid over the cells seen on it, in gnomonic coordinates, so the antimeridian and a
/// pole inside the domain need no special case), keeps the cell whose four great-circle edges
/// enclose the point, inverts that cell's bilinear map (the corners' unit vectors blended
/// bilinearly, projected radially) in closed form, then refines the fractional indices by
/// Newton iteration on the cubic map.
/// Points outside the grid's hull give nil, which the engine turns into `leftDomain`.
///
/// **Wind axes.** The data's `u` points along the grid's x axis, at an angle α
/// counter-clockwise from east, and `v` 90° further (along y): earth-relative winds are
/// `u_e = u cos α − v sin α`, `v_n = u sin α + v cos α`, WRF's `COSALPHA`/`SINALPHA`
/// convention (Skamarock et al., *A Description of the Advanced Research WRF Model*,
/// NCAR/TN-556+STR, and wrf-python's `uvmet`). α comes from the coordinates (the directions of
/// +i and +j at each node, by 5-point differences, averaged), or from the file's
/// `COSALPHA`/`SINALPHA` when given. x is +i; y is +j on a counter-clockwise grid and −j on a
/// clockwise one (rows stored north to south), as for a projection's x and y. For earth-relative data, wrap the grid so its axes are
/// east and north (UpwindMeteo's `EarthRelativeWindGrid`).
///
/// The grid is validated when created: finite coordinates, no repeated points, no folds (every
/// cell turns the same way at all four corners), no degenerate cells, no overlapping cells;
/// each refusal names the node or cell (0-based `i` along x, `j` along y).
///
/// A value type whose arrays and index live in one shared immutable object: copies are cheap,
/// so a moving nest can carry one grid per time slice.
///
/// ```swift
/// let grid = try CurvilinearGrid(latitudes: lat2D, longitudes: lon2D, nx: 40, ny: 30)
/// if let p = grid.locate(latitude: 35.2, longitude: 113.6) { print(p.x, p.y) }
/// ```
public struct CurvilinearGrid: HorizontalGrid, Equatable {
    /// Number of nodes along x (the fastest-varying index of the 2-D arrays).
    public let nx: Int
    /// Number of nodes along y.
    public let ny: Int
    let storage: Storage

    /// Never wraps: a curvilinear grid whose first and last columns meet is refused
    /// (repeated points).
    public var wrapsX: Bool { false }

    /// Creates a grid from row-major node coordinates: node `(i, j)` at index `j·nx + i`.
    /// - Parameters:
    ///   - latitudes: latitudes, degrees north (−90…90), `nx·ny` of them.
    ///   - longitudes: longitudes, degrees east (any range: only the direction on the sphere counts).
    ///   - nx: nodes along x (at least 2).
    ///   - ny: nodes along y (at least 2).
    ///   - rotation: optional per-node cos α and sin α (WRF's `COSALPHA`, `SINALPHA`), α the angle
    ///     of the grid's x axis counter-clockwise from east; nil to compute α from the coordinates.
    /// - Throws: ``CurvilinearGridError`` naming the node or cell that is wrong.
    public init(latitudes: [Double], longitudes: [Double], nx: Int, ny: Int,
                rotation: (cos: [Double], sin: [Double])? = nil) throws(CurvilinearGridError) {
        self.nx = nx
        self.ny = ny
        storage = try Storage(latitudes: latitudes, longitudes: longitudes, nx: nx, ny: ny, rotation: rotation)
    }

    /// Creates a grid from 2-D arrays indexed `[j][i]` (rows along y), degrees; see
    /// ``init(latitudes:longitudes:nx:ny:rotation:)``.
    /// - Throws: ``CurvilinearGridError`` for ragged arrays or bad coordinates.
    public init(latitudes: [[Double]], longitudes: [[Double]]) throws(CurvilinearGridError) {
        let ny = latitudes.count, nx = latitudes.first?.count ?? 0
        guard longitudes.count == ny, latitudes.allSatisfy({ $0.count == nx }), longitudes.allSatisfy({ $0.count == nx }) else {
            throw .shape(detail: "latitude and longitude must be two rectangular arrays of the same shape [ny][nx]")
        }
        try self.init(latitudes: latitudes.flatMap { $0 }, longitudes: longitudes.flatMap { $0 }, nx: nx, ny: ny)
    }

    /// Node latitudes, degrees north, row-major (`j·nx + i`).
    public var latitudes: [Double] { storage.latitudes }
    /// Node longitudes, degrees east as given, row-major (`j·nx + i`).
    public var longitudes: [Double] { storage.longitudes }
    /// True when the grid's (i, j) axes turn counter-clockwise seen from above (+j is to the
    /// left of +i, as x and y on a map); false when the rows are stored the other way round.
    public var isCounterClockwise: Bool { storage.orientation > 0 }
    /// True when the wind-axis angle came from the caller (`COSALPHA`/`SINALPHA`), false when
    /// computed from the coordinates.
    public var hasGivenRotation: Bool { storage.givenRotation }

    /// Latitude range of the nodes, degrees (90 or −90 when a pole lies inside the grid).
    public var latitudeRange: (min: Double, max: Double) { storage.latitudeRange }
    /// Longitude range of the nodes, degrees east: `min` in −180…180 and `max ≥ min` (above
    /// 180 when the grid crosses the antimeridian); −180…180 when a pole lies inside the grid.
    public var longitudeRange: (min: Double, max: Double) { storage.longitudeRange }

    /// The grid's box (west > east when it crosses the antimeridian).
    public var boundingBox: BoundingBox {
        let lat = latitudeRange, lon = longitudeRange
        let east = lon.max - lon.min >= 360 ? 180 : Geodesy.normalizedLongitude(lon.max)
        return BoundingBox(south: lat.min, north: lat.max, west: lon.min, east: east == -180 ? 180 : east)
    }

    // MARK: HorizontalGrid

    /// Fractional index `(x, y)` of a point, or `(NaN, NaN)` outside the grid (the engine's
    /// `leftDomain`); see ``locate(latitude:longitude:)``.
    public func index(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
        locate(latitude: latitude, longitude: longitude) ?? (.nan, .nan)
    }

    /// Geographic location of node `(i, j)`, degrees (longitude as given).
    public func location(i: Int, j: Int) -> (latitude: Double, longitude: Double) {
        let n = j * nx + i
        return (storage.latitudes[n], storage.longitudes[n])
    }

    /// The grid's x and y axes at node `(i, j)` as earth-relative unit vectors: x at the
    /// grid angle α counter-clockwise from east, y 90° further.
    public func windAxes(i: Int, j: Int) -> (u: Vec3, v: Vec3) {
        let n = j * nx + i
        let loc = location(i: i, j: j)
        let en = Geodesy.eastNorth(latitude: loc.latitude, longitude: loc.longitude)
        let c = storage.cosAlpha[n], s = storage.sinAlpha[n]
        return (c * en.east + s * en.north, c * en.north - s * en.east)
    }

    /// The grid angle at node `(i, j)`: α of the x axis counter-clockwise from east, degrees.
    public func gridAngle(i: Int, j: Int) -> Double {
        let n = j * nx + i
        return Math.atan2(storage.sinAlpha[n], storage.cosAlpha[n]) / Geodesy.radiansPerDegree
    }

    /// The shortest edge of the cell around fractional index `(x, y)`, m (on ``Earth/radius``).
    public func spacing(x: Double, y: Double) -> Double {
        let i = CurvilinearGrid.cellIndex(x, count: nx), j = CurvilinearGrid.cellIndex(y, count: ny)
        let p = storage.points
        let a = p[j * nx + i], b = p[j * nx + i + 1], c = p[(j + 1) * nx + i], d = p[(j + 1) * nx + i + 1]
        let chord = min((b - a).length, (c - a).length, (d - b).length, (d - c).length)
        return 2 * Math.asin(min(1, chord / 2)) * Earth.radius
    }

    /// Curvilinear grids never reach across a pole (a pole inside the grid is an ordinary point).
    public func acrossPole(i: Int, j: Int) -> (i: Int, j: Int)? { nil }

    // MARK: Locating

    /// Fractional 0-based indices `(x, y)` of a point, `0 ≤ x ≤ nx − 1`, `0 ≤ y ≤ ny − 1`;
    /// exactly `(i, j)` at node `(i, j)`; nil outside the grid or for non-finite input.
    /// Degrees in, any longitude range.
    public func locate(latitude: Double, longitude: Double) -> (x: Double, y: Double)? {
        guard latitude.isFinite, longitude.isFinite, abs(latitude) <= 90 else { return nil }
        let q = Geodesy.unitVector(latitude: latitude, longitude: longitude)
        guard var found = storage.cells.locate(q) else { return nil }
        // Exact at the nodes: the nearest node when the query is that node's coordinates.
        let ri = found.x.rounded(), rj = found.y.rounded()
        if abs(found.x - ri) < 1e-6, abs(found.y - rj) < 1e-6 {
            let n = Int(rj) * nx + Int(ri)
            if storage.latitudes[n] == latitude, Geodesy.normalizedLongitude(storage.longitudes[n] - longitude) == 0 {
                found = (ri, rj)
            }
        }
        return found
    }

    /// The point at fractional indices `(x, y)` on the interpolated grid (the map
    /// ``locate(latitude:longitude:)`` inverts), degrees, longitude in −180…180; NaN outside
    /// `0…nx−1 × 0…ny−1`.
    public func location(x: Double, y: Double) -> (latitude: Double, longitude: Double) {
        guard x.isFinite, y.isFinite, x >= 0, y >= 0, x <= Double(nx - 1), y <= Double(ny - 1) else { return (.nan, .nan) }
        let cell = (i: CurvilinearGrid.cellIndex(x, count: nx), j: CurvilinearGrid.cellIndex(y, count: ny))
        return Geodesy.latLon(storage.cells.cubic(x: x, y: y, cell: cell).value)
    }

    /// The cell (0…count−2) holding fractional index `v`, clamped to the grid; `v` finite or not.
    static func cellIndex(_ v: Double, count: Int) -> Int {
        guard v.isFinite, v > 0 else { return 0 }
        guard v < Double(count - 1) else { return max(count - 2, 0) }
        return min(Int(v), max(count - 2, 0))
    }

    public static func == (a: CurvilinearGrid, b: CurvilinearGrid) -> Bool {
        a.storage === b.storage
            || (a.nx == b.nx && a.ny == b.ny && a.storage.latitudes == b.storage.latitudes && a.storage.longitudes == b.storage.longitudes
                && a.storage.cosAlpha == b.storage.cosAlpha && a.storage.sinAlpha == b.storage.sinAlpha)
    }
}

/// Why 2-D coordinates do not make a usable ``CurvilinearGrid``. Nodes and cells are named by
/// 0-based indices: `i` along x (the fastest-varying, last dimension), `j` along y; cell
/// `(i, j)` has corners `(i…i+1, j…j+1)`.
public enum CurvilinearGridError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The arrays' sizes do not make an `nx × ny` grid of at least 2 × 2 nodes.
    case shape(detail: String)
    /// A node's latitude or longitude is missing (NaN, a fill value read as NaN), infinite or
    /// outside −90…90.
    case badCoordinate(i: Int, j: Int, latitude: Double, longitude: Double)
    /// Two nodes sit at the same place.
    case repeatedPoint(i: Int, j: Int, otherI: Int, otherJ: Int, latitude: Double, longitude: Double)
    /// A cell has a zero-length edge or a zero angle (collapsed to a line or a point).
    case degenerateCell(i: Int, j: Int, detail: String)
    /// A cell turns the other way from the rest of the grid: the grid folds over itself there.
    case fold(i: Int, j: Int, detail: String)
    /// A node lies inside another cell: the grid overlaps itself.
    case overlap(i: Int, j: Int, cellI: Int, cellJ: Int)
    /// `COSALPHA`/`SINALPHA` have the wrong size or a value that is not a rotation.
    case badRotation(detail: String)

    /// One line: the node or cell, what is wrong and what to do.
    public var description: String {
        func ll(_ lat: Double, _ lon: Double) -> String { "(\(lat), \(lon))" }
        switch self {
        case .shape(let detail):
            return "curvilinear grid: \(detail): give 2-D latitude and longitude of the same shape, at least 2 × 2 nodes"
        case .badCoordinate(let i, let j, let lat, let lon):
            return "curvilinear grid: node (i \(i), j \(j)) has latitude \(lat), longitude \(lon): every node needs finite coordinates with latitude in −90…90; fill the missing coordinates or cut the grid to the valid part"
        case .repeatedPoint(let i, let j, let oi, let oj, let lat, let lon):
            return "curvilinear grid: nodes (i \(i), j \(j)) and (i \(oi), j \(oj)) are the same point \(ll(lat, lon)): a grid must not repeat points (drop a duplicated wrap-around column or pole row)"
        case .degenerateCell(let i, let j, let detail):
            return "curvilinear grid: cell (i \(i), j \(j)) is degenerate (\(detail)): the grid's cells must have four distinct corners and non-zero angles; cut the grid or regrid it (e.g. cdo remapbil)"
        case .fold(let i, let j, let detail):
            return "curvilinear grid: the grid folds at cell (i \(i), j \(j)) (\(detail)): every cell must turn the same way; check the 2-D latitude/longitude for swapped or corrupted values"
        case .overlap(let i, let j, let ci, let cj):
            return "curvilinear grid: node (i \(i), j \(j)) lies inside cell (i \(ci), j \(cj)): the grid overlaps itself; cut it to a part that covers each place once"
        case .badRotation(let detail):
            return "curvilinear grid: COSALPHA/SINALPHA \(detail): they must hold one cos/sin pair per node with cos² + sin² ≈ 1; fix them or drop them (the angle is then computed from the coordinates)"
        }
    }
}

extension CurvilinearGrid {
    /// The immutable arrays and the spatial index, shared by every copy of a grid.
    final class Storage: Sendable {
        let latitudes: [Double]
        let longitudes: [Double]
        /// The node geometry and the cell index.
        let cells: Cells
        /// cos α, sin α per node (α the x axis' angle counter-clockwise from east).
        let cosAlpha: [Double]
        let sinAlpha: [Double]
        let givenRotation: Bool
        /// +1 when +j is to the left of +i seen from outside the sphere, −1 otherwise.
        var orientation: Double { cells.orientation }
        /// Node unit vectors, row-major.
        var points: [Vec3] { cells.points }
        let latitudeRange: (min: Double, max: Double)
        let longitudeRange: (min: Double, max: Double)

        init(latitudes: [Double], longitudes: [Double], nx: Int, ny: Int,
             rotation: (cos: [Double], sin: [Double])?) throws(CurvilinearGridError) {
            guard nx >= 2, ny >= 2 else { throw .shape(detail: "\(nx) × \(ny) nodes") }
            let (count, overflow) = nx.multipliedReportingOverflow(by: ny)
            guard !overflow, count < Int(Int32.max) else { throw .shape(detail: "\(nx) × \(ny) nodes is too many") }
            guard latitudes.count == count, longitudes.count == count else {
                throw .shape(detail: "\(latitudes.count) latitudes and \(longitudes.count) longitudes for \(nx) × \(ny) = \(count) nodes")
            }
            self.latitudes = latitudes; self.longitudes = longitudes
            let cells = try Cells(latitudes: latitudes, longitudes: longitudes, nx: nx, ny: ny)
            self.cells = cells
            let points = cells.points

            // Wind-axis angle.
            if let rotation {
                guard rotation.cos.count == count, rotation.sin.count == count else {
                    throw .badRotation(detail: "hold \(rotation.cos.count) and \(rotation.sin.count) values for \(count) nodes")
                }
                for n in 0..<count {
                    let c = rotation.cos[n], s = rotation.sin[n]
                    guard c.isFinite, s.isFinite, abs(c * c + s * s - 1) < 0.01 else {
                        throw .badRotation(detail: "at node (i \(n % nx), j \(n / nx)) are \(c), \(s)")
                    }
                }
                cosAlpha = rotation.cos; sinAlpha = rotation.sin; givenRotation = true
            } else {
                var ca = [Double](), sa = [Double]()
                ca.reserveCapacity(count); sa.reserveCapacity(count)
                for j in 0..<ny {
                    for i in 0..<nx {
                        let n = j * nx + i
                        let en = Geodesy.eastNorth(latitude: latitudes[n], longitude: longitudes[n])
                        let di = Storage.derivative(count: nx, at: i) { points[j * nx + $0] }
                        let dj = Storage.derivative(count: ny, at: j) { points[$0 * nx + i] }
                        // +i at α; +j at α + 90° (counter-clockwise grids) or α − 90°.
                        let ai = Math.atan2(di.dot(en.north), di.dot(en.east))
                        let aj = Math.atan2(dj.dot(en.north), dj.dot(en.east)) - cells.orientation * Double.pi / 2
                        let x = Math.cos(ai) + Math.cos(aj), y = Math.sin(ai) + Math.sin(aj)
                        let r = (x * x + y * y).squareRoot()
                        ca.append(r > 0 ? x / r : Math.cos(ai)); sa.append(r > 0 ? y / r : Math.sin(ai))
                    }
                }
                cosAlpha = ca; sinAlpha = sa; givenRotation = false
            }

            // Ranges: the nodes' (a pole inside the grid widens them).
            var latRange = (min: latitudes.min() ?? .nan, max: latitudes.max() ?? .nan)
            // Longitudes unwrapped along the grid (each step taken the short way round), so a grid
            // across the antimeridian or with wide cells keeps one continuous range.
            var lonRange = (min: Double.infinity, max: -Double.infinity)
            var rowStart = Geodesy.normalizedLongitude(longitudes[0])
            for j in 0..<ny {
                if j > 0 { rowStart += Geodesy.normalizedLongitude(longitudes[j * nx] - rowStart) }
                var lon = rowStart
                for i in 0..<nx {
                    if i > 0 { lon += Geodesy.normalizedLongitude(longitudes[j * nx + i] - lon) }
                    lonRange = (min(lonRange.min, lon), max(lonRange.max, lon))
                }
            }
            let turns = ((lonRange.min + 180) / 360).rounded(.down) * 360
            lonRange = lonRange.max - lonRange.min >= 360 ? (-180, 180) : (lonRange.min - turns, lonRange.max - turns)
            if cells.locateCell(Vec3(0, 0, 1), tolerance: 0) != nil { latRange.max = 90; lonRange = (-180, 180) }
            if cells.locateCell(Vec3(0, 0, -1), tolerance: 0) != nil { latRange.min = -90; lonRange = (-180, 180) }
            latitudeRange = latRange
            longitudeRange = lonRange
        }

        /// The derivative of the node positions along one axis at node `k`, from the
        /// Lagrange polynomial through up to 5 nodes around it (centred where possible).
        static func derivative(count: Int, at k: Int, _ point: (Int) -> Vec3) -> Vec3 {
            let m = min(count, 5)
            let start = min(max(k - 2, 0), count - m)
            var d = Vec3.zero
            for a in 0..<m {
                // d/dx of the a-th Lagrange basis at x = k (nodes start…start+m−1).
                let xa = Double(start + a), x = Double(k)
                var sum = 0.0
                for b in 0..<m where b != a {
                    var term = 1 / (xa - Double(start + b))
                    for c in 0..<m where c != a && c != b { term *= (x - Double(start + c)) / (xa - Double(start + c)) }
                    sum += term
                }
                d = d + sum * point(start + a)
            }
            return d
        }
    }

    /// The nodes as unit vectors, the cells' caps and the spatial index: validated when made.
    struct Cells: Sendable {
        let nx: Int, ny: Int
        /// Node unit vectors, row-major.
        let points: [Vec3]
        /// +1 when +j is to the left of +i seen from outside the sphere, −1 otherwise.
        let orientation: Double
        /// Per cell (row-major over (nx−1)·(ny−1)): the unit centre and the squared chord
        /// radius of the cap holding the cell.
        let centres: [Vec3]
        let radii2: [Double]
        let index: CubeIndex

        init(latitudes: [Double], longitudes: [Double], nx: Int, ny: Int) throws(CurvilinearGridError) {
            self.nx = nx; self.ny = ny
            let count = nx * ny
            var points = [Vec3]()
            points.reserveCapacity(count)
            for n in 0..<count {
                let lat = latitudes[n], lon = longitudes[n]
                guard lat.isFinite, lon.isFinite, abs(lat) <= 90 else { throw .badCoordinate(i: n % nx, j: n / nx, latitude: lat, longitude: lon) }
                points.append(Geodesy.unitVector(latitude: lat, longitude: lon))
            }
            self.points = points

            // Cells: edges, the turn at every corner, caps.
            let cellsX = nx - 1, cellsY = ny - 1
            var centres = [Vec3](), radii2 = [Double]()
            centres.reserveCapacity(cellsX * cellsY); radii2.reserveCapacity(cellsX * cellsY)
            var orientation = 0.0
            for j in 0..<cellsY {
                for i in 0..<cellsX {
                    // Corners counter-clockwise in (i, j): (i, j), (i+1, j), (i+1, j+1), (i, j+1).
                    let ids = (j * nx + i, j * nx + i + 1, (j + 1) * nx + i + 1, (j + 1) * nx + i)
                    func id(_ k: Int) -> Int {
                        switch k & 3 { case 0: return ids.0; case 1: return ids.1; case 2: return ids.2; default: return ids.3 }
                    }
                    for k in 0..<4 where (points[id(k + 1)] - points[id(k)]).length < 1e-12 {
                        let (n1, n2) = (min(id(k), id(k + 1)), max(id(k), id(k + 1)))
                        throw .repeatedPoint(i: n1 % nx, j: n1 / nx, otherI: n2 % nx, otherJ: n2 / nx, latitude: latitudes[n1], longitude: longitudes[n1])
                    }
                    for k in 0..<4 {
                        let v = points[id(k)], e1 = points[id(k + 1)] - v, e2 = points[id(k + 3)] - v
                        let sine = e1.cross(e2).dot(v) / (e1.length * e2.length)
                        let sign: Double = sine > 0 ? 1 : -1
                        if sine.isFinite, abs(sine) > 1e-9, sign == orientation || orientation == 0 {
                            orientation = sign
                            continue
                        }
                        let corner = id(k)
                        let name = "corner (i \(corner % nx), j \(corner / nx)) at (\(latitudes[corner]), \(longitudes[corner]))"
                        guard sine.isFinite, abs(sine) > 1e-9 else { throw .degenerateCell(i: i, j: j, detail: "zero angle at \(name)") }
                        throw .fold(i: i, j: j, detail: "it turns \(sign > 0 ? "counter-clockwise" : "clockwise") at \(name), the grid's first cell \(orientation > 0 ? "counter-clockwise" : "clockwise")")
                    }
                    let a = points[ids.0], b = points[ids.1], c = points[ids.2], d = points[ids.3]
                    let centre = (a + b + c + d).normalized
                    centres.append(centre)
                    radii2.append(max((a - centre).dot(a - centre), (b - centre).dot(b - centre), (c - centre).dot(c - centre), (d - centre).dot(d - centre)))
                }
            }
            self.orientation = orientation
            self.centres = centres
            self.radii2 = radii2
            index = CubeIndex(points: points, nx: nx, ny: ny, radii2: radii2)

            // Repeated points and overlaps: every node against the cells indexed around it.
            for n in 0..<count {
                let q = points[n]
                let ni = n % nx, nj = n / nx
                let basis = Cells.basis(q)
                var failure: CurvilinearGridError?
                index.forEachCandidate(q) { cell in
                    let ci = cell % cellsX, cj = cell / cellsX
                    if (ci == ni || ci + 1 == ni) && (cj == nj || cj + 1 == nj) { return false }
                    let dq = q - centres[cell]
                    guard dq.dot(dq) <= radii2[cell] * 1.0001 + 1e-24 else { return false }
                    for corner in (0..<4).lazy.map({ (cj + $0 / 2) * nx + ci + $0 % 2 }) where (points[corner] - q).length < 1e-12 {
                        failure = .repeatedPoint(i: ni, j: nj, otherI: corner % nx, otherJ: corner / nx, latitude: latitudes[n], longitude: longitudes[n])
                        return true
                    }
                    if let st = bilinear(q, basis: basis, cell: cell), st.s > 1e-9, st.s < 1 - 1e-9, st.t > 1e-9, st.t < 1 - 1e-9 {
                        failure = .overlap(i: ni, j: nj, cellI: ci, cellJ: cj)
                        return true
                    }
                    return false
                }
                if let failure { throw failure }
            }
        }

        // MARK: Bilinear cells

        /// Local coordinates `(s, t)` of `q` in cell `cell` under the cell's bilinear map
        /// (corner unit vectors blended bilinearly, projected radially), or nil when no
        /// solution lies in front of `q`. Solved in the plane perpendicular to `q`.
        func bilinear(_ q: Vec3, cell: Int) -> (s: Double, t: Double)? {
            bilinear(q, basis: Cells.basis(q), cell: cell)
        }

        /// ``bilinear(_:cell:)`` with the plane's basis ``basis(_:)`` of `q` given.
        func bilinear(_ q: Vec3, basis: (Vec3, Vec3), cell: Int) -> (s: Double, t: Double)? {
            let cellsX = nx - 1
            let i = cell % cellsX, j = cell / cellsX
            let p00 = points[j * nx + i], p10 = points[j * nx + i + 1], p01 = points[(j + 1) * nx + i], p11 = points[(j + 1) * nx + i + 1]
            let (e1, e2) = basis
            // f(s, t) = a + b s + c t + d s t in the plane ⊥ q (zero ⇔ the blend is parallel to q).
            func plane(_ v: Vec3) -> (Double, Double) { (v.dot(e1), v.dot(e2)) }
            let a = plane(p00), b = plane(p10 - p00), c = plane(p01 - p00), d = plane(p11 - p10 - p01 + p00)
            func cross(_ u: (Double, Double), _ v: (Double, Double)) -> Double { u.0 * v.1 - u.1 * v.0 }
            // Eliminate t: cross(a + b s, c + d s) = 0, a quadratic A s² + B s + C.
            let qa = cross(b, d), qb = cross(a, d) + cross(b, c), qc = cross(a, c)
            // At most two roots, NaN for none.
            var roots = (Double.nan, Double.nan)
            let scale = abs(qa) + abs(qb) + abs(qc)
            guard scale > 0, scale.isFinite else { return nil }
            if abs(qa) <= 1e-12 * scale {
                if qb != 0 { roots.0 = -qc / qb }
            } else {
                var disc = qb * qb - 4 * qa * qc
                if disc < 0 { if disc > -1e-12 * qb * qb { disc = 0 } else { return nil } }
                let r = -0.5 * (qb + (qb >= 0 ? 1 : -1) * disc.squareRoot())
                roots = r != 0 ? (r / qa, qc / r) : (-qb / (2 * qa), .nan)
            }
            var best: (s: Double, t: Double, miss: Double)?
            for s0 in [roots.0, roots.1] where s0.isFinite {
                let den = (c.0 + d.0 * s0, c.1 + d.1 * s0)
                let len2 = den.0 * den.0 + den.1 * den.1
                guard len2 > 0 else { continue }
                let num = (a.0 + b.0 * s0, a.1 + b.1 * s0)
                var s = s0, t = -(num.0 * den.0 + num.1 * den.1) / len2
                // Newton polish of f(s, t) = 0 (the closed form loses digits on thin cells).
                for _ in 0..<2 {
                    let f0 = a.0 + b.0 * s + c.0 * t + d.0 * s * t, f1 = a.1 + b.1 * s + c.1 * t + d.1 * s * t
                    let j00 = b.0 + d.0 * t, j01 = c.0 + d.0 * s, j10 = b.1 + d.1 * t, j11 = c.1 + d.1 * s
                    let det = j00 * j11 - j01 * j10
                    guard det != 0, det.isFinite else { break }
                    s -= (f0 * j11 - f1 * j01) / det
                    t -= (j00 * f1 - j10 * f0) / det
                }
                // In front of q (not the antipodal solution).
                let blend = (1 - s) * (1 - t) * p00.dot(q) + s * (1 - t) * p10.dot(q) + (1 - s) * t * p01.dot(q) + s * t * p11.dot(q)
                guard blend > 0, s.isFinite, t.isFinite else { continue }
                let miss = max(0, -s, s - 1, -t, t - 1)
                if best == nil || miss < best?.miss ?? .infinity { best = (s, t, miss) }
            }
            return best.map { ($0.s, $0.t) }
        }

        /// Two unit vectors spanning the plane perpendicular to unit `q`.
        static func basis(_ q: Vec3) -> (Vec3, Vec3) {
            let ax = abs(q.x), ay = abs(q.y), az = abs(q.z)
            let helper = ax <= ay && ax <= az ? Vec3(1, 0, 0) : (ay <= az ? Vec3(0, 1, 0) : Vec3(0, 0, 1))
            let e1 = q.cross(helper).normalized
            return (e1, q.cross(e1))
        }

        /// The cell holding `q` and its local `(s, t)`: a cell containing it within `tolerance`
        /// (in local coordinates), else, with a positive tolerance, the closest miss of a cell
        /// on the grid's edge, within `tolerance`, when the miss is across that edge.
        func locateCell(_ q: Vec3, tolerance: Double) -> (cell: Int, s: Double, t: Double)? {
            let cellsX = nx - 1, cellsY = ny - 1
            var near: (cell: Int, s: Double, t: Double, miss: Double)?
            var hit: (cell: Int, s: Double, t: Double)?
            let basis = Cells.basis(q)
            index.forEachCandidate(q) { cell in
                let dq = q - centres[cell]
                guard dq.dot(dq) <= radii2[cell] * 1.1 + 1e-20 else { return false }
                let i = cell % cellsX, j = cell / cellsX
                // Inside the cell's four great-circle edges (the bilinear map's image): on their
                // inner side, the side the grid turns to.
                let p00 = points[j * nx + i], p10 = points[j * nx + i + 1], p01 = points[(j + 1) * nx + i], p11 = points[(j + 1) * nx + i + 1]
                let slack = -1e-12 * radii2[cell].squareRoot()
                let inside = orientation * q.dot(p00.cross(p10)) >= slack && orientation * q.dot(p10.cross(p11)) >= slack
                    && orientation * q.dot(p11.cross(p01)) >= slack && orientation * q.dot(p01.cross(p00)) >= slack
                let boundary = i == 0 || j == 0 || i == cellsX - 1 || j == cellsY - 1
                guard inside || (tolerance > 0 && boundary), let st = bilinear(q, basis: basis, cell: cell) else { return false }
                let eps = 1e-9
                if inside || (st.s >= -eps && st.s <= 1 + eps && st.t >= -eps && st.t <= 1 + eps) {
                    hit = (cell, min(max(st.s, 0), 1), min(max(st.t, 0), 1))
                    return true
                }
                // Only misses across the grid's outer edges count.
                let acrossEdge = (st.s >= -eps || i == 0) && (st.s <= 1 + eps || i == cellsX - 1)
                    && (st.t >= -eps || j == 0) && (st.t <= 1 + eps || j == cellsY - 1)
                let miss = max(0, -st.s, st.s - 1, -st.t, st.t - 1)
                if acrossEdge, miss <= tolerance, miss < near?.miss ?? .infinity { near = (cell, st.s, st.t, miss) }
                return false
            }
            return hit ?? near.map { ($0.cell, $0.s, $0.t) }
        }

        // MARK: Cubic map

        /// The Lagrange weights (and their derivatives) along one axis of `count` nodes at
        /// fractional index `v` in cell `c`: 4 nodes from `start` (2 when count < 4).
        static func weights(_ v: Double, cell c: Int, count: Int) -> (start: Int, n: Int, w: (Double, Double, Double, Double), dw: (Double, Double, Double, Double)) {
            guard count >= 4 else {
                let f = v - Double(c)
                return (c, 2, (1 - f, f, 0, 0), (-1, 1, 0, 0))
            }
            let start = min(max(c - 1, 0), count - 4)
            let u = v - Double(start)  // nodes at 0, 1, 2, 3
            let a = u, b = u - 1, cc = u - 2, d = u - 3
            let w0 = -b * cc * d / 6, w1 = a * cc * d / 2, w2 = -a * b * d / 2, w3 = a * b * cc / 6
            let d0 = -(cc * d + b * d + b * cc) / 6
            let d1 = (cc * d + a * d + a * cc) / 2
            let d2 = -(b * d + a * d + a * b) / 2
            let d3 = (b * cc + a * cc + a * b) / 6
            return (start, 4, (w0, w1, w2, w3), (d0, d1, d2, d3))
        }

        /// The cubic map at `(x, y)` with the stencil of `cell` (not normalised) and its
        /// derivatives along x and y.
        func cubic(x: Double, y: Double, cell: (i: Int, j: Int)) -> (value: Vec3, dx: Vec3, dy: Vec3) {
            let wx = Cells.weights(x, cell: cell.i, count: nx), wy = Cells.weights(y, cell: cell.j, count: ny)
            func pick(_ t: (Double, Double, Double, Double), _ k: Int) -> Double {
                switch k { case 0: return t.0; case 1: return t.1; case 2: return t.2; default: return t.3 }
            }
            var value = Vec3.zero, dx = Vec3.zero, dy = Vec3.zero
            for b in 0..<wy.n {
                var row = Vec3.zero, rowD = Vec3.zero
                let base = (wy.start + b) * nx + wx.start
                for a in 0..<wx.n {
                    let p = points[base + a]
                    row = row + pick(wx.w, a) * p
                    rowD = rowD + pick(wx.dw, a) * p
                }
                value = value + pick(wy.w, b) * row
                dx = dx + pick(wy.w, b) * rowD
                dy = dy + pick(wy.dw, b) * row
            }
            return (value, dx, dy)
        }

        /// Fractional indices of `q`: the bilinear cell, then Newton on the cubic map, redone
        /// with the stencil of the cell it lands in when that is a neighbour (so that locating
        /// inverts ``cubic(x:y:cell:)`` with the stencil ``CurvilinearGrid/location(x:y:)`` uses).
        func locate(_ q: Vec3) -> (x: Double, y: Double)? {
            guard let hit = locateCell(q, tolerance: 0.02) else { return nil }
            let cellsX = nx - 1
            var cell = (i: hit.cell % cellsX, j: hit.cell / cellsX)
            var x = Double(cell.i) + hit.s, y = Double(cell.j) + hit.t
            let (e1, e2) = Cells.basis(q)
            for _ in 0..<3 {
                for _ in 0..<8 {
                    let m = cubic(x: x, y: y, cell: cell)
                    let f0 = m.value.dot(e1), f1 = m.value.dot(e2)
                    let j00 = m.dx.dot(e1), j01 = m.dy.dot(e1), j10 = m.dx.dot(e2), j11 = m.dy.dot(e2)
                    let det = j00 * j11 - j01 * j10
                    guard det != 0, det.isFinite else { break }
                    let sx = (f0 * j11 - f1 * j01) / det, sy = (j00 * f1 - j10 * f0) / det
                    guard sx.isFinite, sy.isFinite, abs(sx) < 0.5, abs(sy) < 0.5 else { break }
                    x -= sx; y -= sy
                    // Quadratic convergence: after a step of 1e-9 cell the error is far below 1e-15.
                    if abs(sx) < 1e-9 && abs(sy) < 1e-9 { break }
                }
                let landed = (i: CurvilinearGrid.cellIndex(x, count: nx), j: CurvilinearGrid.cellIndex(y, count: ny))
                if landed == cell { break }
                cell = landed
            }
            let maxX = Double(nx - 1), maxY = Double(ny - 1)
            // Outside the hull by more than the cubic map's own accuracy (about 1e-7 cell): the
            // bilinear edge let it in, the cubic one does not.
            guard x >= -1e-6, y >= -1e-6, x <= maxX + 1e-6, y <= maxY + 1e-6 else { return nil }
            return (min(max(x, 0), maxX), min(max(y, 0), maxY))
        }
    }

    /// A cube-map spatial index over the cells: for each face of the cube around the sphere,
    /// a uniform bucket grid in gnomonic coordinates over the cells seen on that face
    /// (compressed rows: `starts` and `cells`). Cells larger than a cube face's reach are
    /// kept in ``large`` and always tried.
    struct CubeIndex: Sendable {
        struct Face: Sendable {
            var u0 = 0.0, v0 = 0.0, du = 1.0, dv = 1.0
            var nu = 0, nv = 0
            var starts: [Int32] = []
            var cells: [Int32] = []
        }
        var faces: [Face] = Array(repeating: Face(), count: 6)
        var large: [Int32] = []

        /// The face (0…5: +x, −x, +y, −y, +z, −z) a direction falls on.
        @inline(__always) static func face(_ v: Vec3) -> Int {
            let ax = abs(v.x), ay = abs(v.y), az = abs(v.z)
            if ax >= ay && ax >= az { return v.x >= 0 ? 0 : 1 }
            if ay >= az { return v.y >= 0 ? 2 : 3 }
            return v.z >= 0 ? 4 : 5
        }

        /// Gnomonic coordinates of `v` on face `f`, or nil when `v` is not in front of it.
        @inline(__always) static func project(_ v: Vec3, face f: Int) -> (u: Double, v: Double)? {
            switch f {
            case 0: return v.x > 0 ? (v.y / v.x, v.z / v.x) : nil
            case 1: return v.x < 0 ? (v.y / -v.x, v.z / -v.x) : nil
            case 2: return v.y > 0 ? (v.z / v.y, v.x / v.y) : nil
            case 3: return v.y < 0 ? (v.z / -v.y, v.x / -v.y) : nil
            case 4: return v.z > 0 ? (v.x / v.z, v.y / v.z) : nil
            default: return v.z < 0 ? (v.x / -v.z, v.y / -v.z) : nil
            }
        }

        /// The component of `v` along face `f`'s outward axis.
        @inline(__always) static func axisComponent(_ v: Vec3, face f: Int) -> Double {
            switch f {
            case 0: return v.x
            case 1: return -v.x
            case 2: return v.y
            case 3: return -v.y
            case 4: return v.z
            default: return -v.z
            }
        }

        init(points: [Vec3], nx: Int, ny: Int, radii2: [Double]) {
            let cellsX = nx - 1, cellsCount = (nx - 1) * (ny - 1)
            // Per face: the cells and their gnomonic boxes (slightly enlarged).
            var boxes: [[(cell: Int32, u0: Double, u1: Double, v0: Double, v1: Double)]] = Array(repeating: [], count: 6)
            for cell in 0..<cellsCount {
                let i = cell % cellsX, j = cell / cellsX
                func corner(_ k: Int) -> Vec3 { points[(j + k / 2) * nx + i + k % 2] }
                // Large cells (caps over about 8.6°) are always tried.
                guard radii2[cell].squareRoot() < 0.15 else { large.append(Int32(cell)); continue }
                for f in 0..<6 {
                    // A point on face f has a component ≥ 1/√3 along its axis, and the corners of a
                    // small cell lie within 0.3 of it: a corner below 0.2 means no point of the cell
                    // is on f. Otherwise all corners project (gnomonic coordinates within ±5).
                    var u0 = Double.infinity, u1 = -Double.infinity, v0 = Double.infinity, v1 = -Double.infinity
                    var onFace = true
                    for k in 0..<4 {
                        let c = corner(k)
                        guard CubeIndex.axisComponent(c, face: f) >= 0.2, let p = CubeIndex.project(c, face: f) else { onFace = false; break }
                        u0 = min(u0, p.u); u1 = max(u1, p.u); v0 = min(v0, p.v); v1 = max(v1, p.v)
                    }
                    guard onFace else { continue }
                    // Margin: 5 % of the box, for the boundary tolerance of `locateCell`.
                    let mu = 0.05 * (u1 - u0) + 1e-12, mv = 0.05 * (v1 - v0) + 1e-12
                    boxes[f].append((Int32(cell), u0 - mu, u1 + mu, v0 - mv, v1 + mv))
                }
            }
            for f in 0..<6 where !boxes[f].isEmpty {
                let list = boxes[f]
                var face = Face()
                let u0 = list.map(\.u0).min() ?? 0, u1 = list.map(\.u1).max() ?? 0
                let v0 = list.map(\.v0).min() ?? 0, v1 = list.map(\.v1).max() ?? 0
                let w = max(u1 - u0, 1e-12), h = max(v1 - v0, 1e-12)
                // About one bucket per cell, at most 2048 × 2048 buckets.
                let target = Double(max(list.count, 1))
                // Clamped as Double before the conversion (w and h are finite, within ±10).
                let nu = Int(min(2048, max(1, (target * w / h).squareRoot().rounded(.up))))
                let nv = Int(min(2048, max(1, (target * h / w).squareRoot().rounded(.up))))
                face.u0 = u0; face.v0 = v0; face.du = w / Double(nu); face.dv = h / Double(nv); face.nu = nu; face.nv = nv
                func range(_ lo: Double, _ hi: Double, origin: Double, step: Double, n: Int) -> ClosedRange<Int> {
                    let a = CubeIndex.bucket((lo - origin) / step, n: n), b = CubeIndex.bucket((hi - origin) / step, n: n)
                    return a...b
                }
                var counts = [Int32](repeating: 0, count: nu * nv + 1)
                for b in list {
                    for bv in range(b.v0, b.v1, origin: v0, step: face.dv, n: nv) {
                        for bu in range(b.u0, b.u1, origin: u0, step: face.du, n: nu) { counts[bv * nu + bu + 1] += 1 }
                    }
                }
                for k in 1..<counts.count { counts[k] += counts[k - 1] }
                var fill = counts
                var cells = [Int32](repeating: 0, count: Int(counts[nu * nv]))
                for b in list {
                    for bv in range(b.v0, b.v1, origin: v0, step: face.dv, n: nv) {
                        for bu in range(b.u0, b.u1, origin: u0, step: face.du, n: nu) {
                            cells[Int(fill[bv * nu + bu])] = b.cell
                            fill[bv * nu + bu] += 1
                        }
                    }
                }
                face.starts = counts
                face.cells = cells
                faces[f] = face
            }
        }

        /// The bucket (0…n−1) of a fractional bucket coordinate, clamped; finite or not.
        @inline(__always) static func bucket(_ r: Double, n: Int) -> Int {
            guard r.isFinite, r > 0 else { return 0 }
            guard r < Double(n) else { return n - 1 }
            return min(Int(r), n - 1)
        }

        /// Calls `body` with each cell that may hold `q` (the large cells, then those of its
        /// face's bucket) until it returns true.
        @inline(__always)
        func forEachCandidate(_ q: Vec3, _ body: (Int) -> Bool) {
            for cell in large where body(Int(cell)) { return }
            let f = CubeIndex.face(q)
            let face = faces[f]
            guard face.nu > 0, let p = CubeIndex.project(q, face: f) else { return }
            let ru = (p.u - face.u0) / face.du, rv = (p.v - face.v0) / face.dv
            guard ru.isFinite, rv.isFinite, ru >= 0, rv >= 0, ru <= Double(face.nu), rv <= Double(face.nv) else { return }
            let b = CubeIndex.bucket(rv, n: face.nv) * face.nu + CubeIndex.bucket(ru, n: face.nu)
            for k in Int(face.starts[b])..<Int(face.starts[b + 1]) where body(Int(face.cells[k])) { return }
        }
    }
}
