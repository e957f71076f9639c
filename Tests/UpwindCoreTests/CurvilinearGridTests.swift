import Testing
import UpwindCore

/// A curvilinear grid made of a projected grid's node coordinates (what a file with 2-D
/// latitude/longitude and no grid_mapping holds), and the projection as the truth.
func curvilinear(from g: some ProjectedGrid) throws -> CurvilinearGrid {
    var lats: [Double] = [], lons: [Double] = []
    for j in 0..<g.ny {
        for i in 0..<g.nx {
            let p = g.location(i: i, j: j)
            lats.append(p.latitude); lons.append(p.longitude)
        }
    }
    return try CurvilinearGrid(latitudes: lats, longitudes: lons, nx: g.nx, ny: g.ny)
}

/// A Lambert grid of `nx × ny` nodes `spacingM` apart centred on (`latitude`, `longitude`).
func lambert(nx: Int, ny: Int, spacingM: Double, tangent: Double, centralMeridian: Double, latitude: Double, longitude: Double) -> LambertConformalGrid {
    let probe = LambertConformalGrid(nx: nx, ny: ny, spacingM: spacingM, x0: 0, y0: 0, tangentLatitude: tangent, centralMeridian: centralMeridian)
    let c = probe.project(latitude: latitude, longitude: longitude)
    return LambertConformalGrid(nx: nx, ny: ny, spacingM: spacingM, x0: c.x - Double(nx - 1) / 2 * spacingM, y0: c.y - Double(ny - 1) / 2 * spacingM,
                                tangentLatitude: tangent, centralMeridian: centralMeridian)
}

@Suite("Curvilinear grids: locating points, wind axes, refusals")
struct CurvilinearGridTests {
    /// Named projected grids the inversion is checked on.
    static let cases: [(String, any ProjectedGrid)] = [
        // Lambert conformal over China, 40 km.
        ("Lambert 40 km", lambert(nx: 60, ny: 50, spacingM: 40_000, tangent: 30, centralMeridian: 110, latitude: 33, longitude: 112)),
        // Across the antimeridian: the cone's central meridian is 180°, the grid spans about 170°E…170°W and more.
        ("Lambert across the antimeridian", lambert(nx: 50, ny: 40, spacingM: 30_000, tangent: 50, centralMeridian: 180, latitude: 52, longitude: 180)),
        // Pole in the middle of cell (19, 19).
        ("polar stereographic, pole inside a cell", PolarStereographicGrid(nx: 40, ny: 40, spacingM: 50_000, x0: -975_000, y0: -975_000,
                                                                           standardParallel: 60, centralMeridian: -105)),
        // Pole on node (20, 20); southern hemisphere.
        ("south polar stereographic, pole on a node", PolarStereographicGrid(nx: 41, ny: 41, spacingM: 25_000, x0: -500_000, y0: -500_000,
                                                                             standardParallel: -71, centralMeridian: 0)),
    ]

    @Test("10,000 random points invert to the projection's own fractional index within 1e-6 cell", arguments: 0..<4)
    func inversion(caseIndex: Int) throws {
        let (name, g) = Self.cases[caseIndex]
        let grid = try curvilinear(from: g)
        var rng = SplitMix64(seed: 15 + UInt64(caseIndex))
        var worst = 0.0
        var misses = 0
        for k in 0..<10_000 {
            // Every tenth point within two cells of the grid's centre (the pole, for the polar grids).
            let x = k % 10 == 0 ? Double(g.nx - 1) / 2 + rng.uniform(-2, 2) : rng.uniform(0, Double(g.nx - 1))
            let y = k % 10 == 0 ? Double(g.ny - 1) / 2 + rng.uniform(-2, 2) : rng.uniform(0, Double(g.ny - 1))
            let p = g.unproject(x: g.x0 + x * g.spacingM, y: g.y0 + y * g.spacingM)
            guard let found = grid.locate(latitude: p.latitude, longitude: p.longitude) else { misses += 1; continue }
            worst = max(worst, abs(found.x - x), abs(found.y - y))
        }
        #expect(misses == 0, "\(name): \(misses) points inside the grid not found")
        #expect(worst < 1e-6, "\(name): max inversion error \(worst) cell")
        print("curvilinear inversion, \(name): max error \(worst) cell over 10,000 points")
    }

    @Test("nodes locate exactly; the interpolated map round-trips to 1e-9 cell; the wind axes match the projection's", arguments: 0..<4)
    func nodesAndAxes(caseIndex: Int) throws {
        let (name, g) = Self.cases[caseIndex]
        let grid = try curvilinear(from: g)
        var worstAngle = 0.0
        for j in 0..<g.ny {
            for i in 0..<g.nx {
                let p = grid.location(i: i, j: j)
                let found = try #require(grid.locate(latitude: p.latitude, longitude: p.longitude))
                #expect(found.x == Double(i) && found.y == Double(j), "\(name): node (\(i), \(j)) → \(found)")
                let a = grid.windAxes(i: i, j: j), b = g.windAxes(i: i, j: j)
                worstAngle = max(worstAngle, (a.u - b.u).length, (a.v - b.v).length)
            }
        }
        // 5-point differences of the coordinates: the angle to about 1e-7 rad.
        #expect(worstAngle < 1e-6, "\(name): wind axes differ by \(worstAngle) rad")
        var rng = SplitMix64(seed: 99)
        var worst = 0.0
        for _ in 0..<2000 {
            let x = rng.uniform(0, Double(g.nx - 1)), y = rng.uniform(0, Double(g.ny - 1))
            let p = grid.location(x: x, y: y)
            let back = try #require(grid.locate(latitude: p.latitude, longitude: p.longitude))
            worst = max(worst, abs(back.x - x), abs(back.y - y))
        }
        #expect(worst < 1e-9, "\(name): round trip \(worst) cell")
    }

    @Test("coarse grids with cells across the cube map's faces (10° and 25° cells, 350° of longitude): round trip to 1e-9 cell", arguments: [10.0, 25.0])
    func coarse(step: Double) throws {
        let nx = Int(350 / step) + 1, ny = Int(140 / step) + 1
        var lats: [Double] = [], lons: [Double] = []
        // A slightly sheared lat-lon mesh, so that no cell is a plain lat-lon box.
        for j in 0..<ny { for i in 0..<nx { lats.append(-70 + step * Double(j) + 0.02 * step * Double(i % 3)); lons.append(-175 + step * Double(i)) } }
        let grid = try CurvilinearGrid(latitudes: lats, longitudes: lons, nx: nx, ny: ny)
        var rng = SplitMix64(seed: 7)
        var worst = 0.0
        for _ in 0..<3000 {
            let x = rng.uniform(0, Double(nx - 1)), y = rng.uniform(0, Double(ny - 1))
            let p = grid.location(x: x, y: y)
            let back = try #require(grid.locate(latitude: p.latitude, longitude: p.longitude), "(\(x), \(y))")
            worst = max(worst, abs(back.x - x), abs(back.y - y))
        }
        #expect(worst < 1e-9, "\(step)° cells: round trip \(worst) cell")
        // The 10° gap between the last and the first column is outside.
        #expect(grid.locate(latitude: 0, longitude: 180) == nil)
        #expect(grid.longitudeRange.min == -175 && grid.longitudeRange.max == 175)
    }

    @Test("outside the hull is nil (and NaN for the engine, which ends the trajectory with leftDomain)")
    func outside() throws {
        let g = lambert(nx: 30, ny: 20, spacingM: 40_000, tangent: 30, centralMeridian: 110, latitude: 35, longitude: 110)
        let grid = try curvilinear(from: g)
        for (x, y) in [(-0.01, 5.0), (29.01, 5.0), (10.0, -0.01), (10.0, 19.01), (-3.0, -3.0), (100.0, 10.0)] {
            let p = g.unproject(x: g.x0 + x * g.spacingM, y: g.y0 + y * g.spacingM)
            #expect(grid.locate(latitude: p.latitude, longitude: p.longitude) == nil, "(\(x), \(y))")
            #expect(grid.index(latitude: p.latitude, longitude: p.longitude).x.isNaN)
        }
        // The antipode of the domain, the poles, and non-finite input.
        let c = grid.location(i: 15, j: 10)
        #expect(grid.locate(latitude: -c.latitude, longitude: c.longitude + 180) == nil)
        #expect(grid.locate(latitude: 90, longitude: 0) == nil && grid.locate(latitude: -90, longitude: 0) == nil)
        #expect(grid.locate(latitude: .nan, longitude: 110) == nil && grid.locate(latitude: 30, longitude: .infinity) == nil)
        // Just inside the edges.
        for (x, y) in [(0.0, 7.3), (29.0, 7.3), (12.2, 0.0), (12.2, 19.0), (1e-7, 1e-7)] {
            let p = g.unproject(x: g.x0 + x * g.spacingM, y: g.y0 + y * g.spacingM)
            let found = try #require(grid.locate(latitude: p.latitude, longitude: p.longitude), "(\(x), \(y))")
            #expect(abs(found.x - x) < 1e-6 && abs(found.y - y) < 1e-6)
        }
    }

    @Test("ranges and box: across the antimeridian and with a pole inside")
    func ranges() throws {
        let am = try curvilinear(from: Self.cases[1].1)
        #expect(am.longitudeRange.min > 150 && am.longitudeRange.min < 180 && am.longitudeRange.max > 180 && am.longitudeRange.max < 210,
                "\(am.longitudeRange)")
        #expect(am.boundingBox.west > am.boundingBox.east)
        let polar = try curvilinear(from: Self.cases[2].1)
        #expect(polar.latitudeRange.max == 90 && polar.longitudeRange == (-180, 180))
        let south = try curvilinear(from: Self.cases[3].1)
        #expect(south.latitudeRange.min == -90 && south.latitudeRange.max < -80)
        #expect(south.isCounterClockwise && !south.hasGivenRotation)
    }

    @Test("rows stored north to south: same locations, clockwise grid, wind axes still x east-ish and y north-ish")
    func clockwise() throws {
        let g = lambert(nx: 12, ny: 10, spacingM: 40_000, tangent: 30, centralMeridian: 110, latitude: 35, longitude: 115)
        var lats: [Double] = [], lons: [Double] = []
        for j in stride(from: g.ny - 1, through: 0, by: -1) {
            for i in 0..<g.nx { let p = g.location(i: i, j: j); lats.append(p.latitude); lons.append(p.longitude) }
        }
        let grid = try CurvilinearGrid(latitudes: lats, longitudes: lons, nx: g.nx, ny: g.ny)
        #expect(!grid.isCounterClockwise)
        let p = g.unproject(x: g.x0 + 4.25 * g.spacingM, y: g.y0 + 3.5 * g.spacingM)
        let found = try #require(grid.locate(latitude: p.latitude, longitude: p.longitude))
        #expect(abs(found.x - 4.25) < 1e-6 && abs(found.y - (Double(g.ny - 1) - 3.5)) < 1e-6)
        let a = grid.windAxes(i: 4, j: 6), b = g.windAxes(i: 4, j: 3)
        #expect((a.u - b.u).length < 1e-6 && (a.v - b.v).length < 1e-6)
    }

    @Test("COSALPHA/SINALPHA override the computed angle")
    func givenRotation() throws {
        let g = lambert(nx: 8, ny: 6, spacingM: 40_000, tangent: 30, centralMeridian: 110, latitude: 35, longitude: 115)
        let base = try curvilinear(from: g)
        let n = g.nx * g.ny
        let angle = 0.3
        let grid = try CurvilinearGrid(latitudes: base.latitudes, longitudes: base.longitudes, nx: g.nx, ny: g.ny,
                                       rotation: (cos: Array(repeating: Math.cos(angle), count: n), sin: Array(repeating: Math.sin(angle), count: n)))
        #expect(grid.hasGivenRotation)
        #expect(abs(grid.gridAngle(i: 3, j: 2) - angle / Geodesy.radiansPerDegree) < 1e-12)
        #expect(throws: CurvilinearGridError.self) {
            try CurvilinearGrid(latitudes: base.latitudes, longitudes: base.longitudes, nx: g.nx, ny: g.ny, rotation: (cos: [1], sin: [0]))
        }
    }

    @Test("spacing is the cell's shortest edge in metres")
    func spacing() throws {
        let g = lambert(nx: 10, ny: 10, spacingM: 40_000, tangent: 30, centralMeridian: 110, latitude: 45, longitude: 100)
        let grid = try curvilinear(from: g)
        let s = grid.spacing(x: 4.5, y: 4.5)
        #expect(abs(s - g.spacing(x: 4.5, y: 4.5)) < 0.01 * s, "\(s) vs \(g.spacing(x: 4.5, y: 4.5))")
    }

    // MARK: Bad input

    /// A 6 × 5 regular patch of nodes, 0.5° apart, to corrupt.
    func patch() -> (lats: [Double], lons: [Double]) {
        var lats: [Double] = [], lons: [Double] = []
        for j in 0..<5 { for i in 0..<6 { lats.append(30 + 0.5 * Double(j)); lons.append(110 + 0.5 * Double(i)) } }
        return (lats, lons)
    }

    func error(_ lats: [Double], _ lons: [Double], nx: Int = 6, ny: Int = 5) -> CurvilinearGridError? {
        do {
            _ = try CurvilinearGrid(latitudes: lats, longitudes: lons, nx: nx, ny: ny)
            return nil
        } catch {
            return error
        }
    }

    @Test("NaN, out-of-range latitude, wrong shape: the node is named")
    func badCoordinates() throws {
        var (lats, lons) = patch()
        lats[2 * 6 + 3] = .nan
        let e = try #require(error(lats, lons))
        #expect(e == .badCoordinate(i: 3, j: 2, latitude: .nan, longitude: 111.5) || "\(e)".contains("node (i 3, j 2)"), "\(e)")
        #expect("\(e)".contains("node (i 3, j 2)") && "\(e)".contains("nan"))
        (lats, lons) = patch()
        lats[7] = 91
        #expect("\(try #require(error(lats, lons)))".contains("node (i 1, j 1)"))
        #expect(error(patch().lats, patch().lons, nx: 5, ny: 5).map { "\($0)" }?.contains("30 latitudes") == true)
        #expect(error([1, 2], [1, 2], nx: 2, ny: 1) == .shape(detail: "2 × 1 nodes"))
    }

    @Test("repeated points: adjacent and a duplicated wrap-around column, both nodes named")
    func repeated() throws {
        var (lats, lons) = patch()
        lats[1 * 6 + 2] = lats[1 * 6 + 1]; lons[1 * 6 + 2] = lons[1 * 6 + 1]
        let e = try #require(error(lats, lons))
        guard case .repeatedPoint = e else { Issue.record("\(e)"); return }
        #expect("\(e)".contains("(i 1, j 1)") && "\(e)".contains("(i 2, j 1)"), "\(e)")
        // A band round the globe whose last column repeats the first (0° and 360°).
        var bl: [Double] = [], bo: [Double] = []
        for j in 0..<3 { for i in 0...36 { bl.append(10 * Double(j)); bo.append(10 * Double(i)) } }
        let wrap = try #require(error(bl, bo, nx: 37, ny: 3))
        #expect("\(wrap)".contains("(i 0, j 0) and (i 36, j 0) are the same point"), "\(wrap)")
    }

    @Test("a fold and a degenerate cell are refused with the cell named")
    func foldAndDegenerate() throws {
        var (lats, lons) = patch()
        // Swap two nodes of one row: cells (1…3, 1…2) turn the other way.
        lons.swapAt(2 * 6 + 2, 2 * 6 + 3)
        let fold = try #require(error(lats, lons))
        guard case .fold(let i, let j, _) = fold else { Issue.record("\(fold)"); return }
        #expect((1...3).contains(i) && (1...2).contains(j))
        #expect("\(fold)".contains("folds at cell (i \(i), j \(j))"), "\(fold)")
        // Node (3, 3) moved onto the great circle between (3, 2) and (2, 3): cell (2, 2) has a straight angle there.
        (lats, lons) = patch()
        let a = Geodesy.unitVector(latitude: lats[2 * 6 + 3], longitude: lons[2 * 6 + 3])
        let b = Geodesy.unitVector(latitude: lats[3 * 6 + 2], longitude: lons[3 * 6 + 2])
        let mid = Geodesy.latLon((a + b).normalized)
        lats[3 * 6 + 3] = mid.latitude; lons[3 * 6 + 3] = mid.longitude
        let bad = try #require(error(lats, lons))
        #expect(bad == .degenerateCell(i: 2, j: 2, detail: "zero angle at corner (i 3, j 3) at (\(mid.latitude), \(mid.longitude))"), "\(bad)")
        #expect("\(bad)".contains("cell (i 2, j 2) is degenerate"))
        // A cell collapsed to a line: two corners on one point.
        (lats, lons) = patch()
        lats[6 + 1] = lats[0]; lons[6 + 1] = lons[0]
        #expect(error(lats, lons) != nil)
    }

    @Test("a grid that overlaps itself (a spiral over 360°) is refused")
    func overlap() throws {
        // Concentric rings of 30 nodes over 400° of longitude: the last columns lie over the first ones.
        var lats: [Double] = [], lons: [Double] = []
        for j in 0..<3 { for i in 0..<30 { lats.append(60 + 2 * Double(j)); lons.append(Double(i) * 400 / 29) } }
        let e = try #require(error(lats, lons, nx: 30, ny: 3))
        #expect("\(e)".contains("overlaps itself") || "\(e)".contains("same point") || "\(e)".contains("folds"), "\(e)")
    }

    @Test("trajectories on the curvilinear copy of a Lambert grid match the Lambert grid's (grid-relative winds)")
    func engine() throws {
        let g = lambert(nx: 40, ny: 40, spacingM: 40_000, tangent: 30, centralMeridian: 110, latitude: 30, longitude: 110)
        let grid = try curvilinear(from: g)
        let sb = Analytic.SolidBody(alpha: 30)
        var slices: [GridSlice] = []
        let n = g.nx * g.ny
        for h in stride(from: 0, through: 24, by: 6) {
            var u = [Float](repeating: 0, count: n * 2), v = u
            for k in 0..<2 {
                for j in 0..<g.ny {
                    for i in 0..<g.nx {
                        let loc = g.location(i: i, j: j)
                        let (ue, vn) = sb.wind(loc.latitude, loc.longitude)
                        let en = Geodesy.eastNorth(latitude: loc.latitude, longitude: loc.longitude)
                        let vec = ue * en.east + vn * en.north
                        let axes = g.windAxes(i: i, j: j)
                        u[k * n + j * g.nx + i] = Float(vec.dot(axes.u)); v[k * n + j * g.nx + i] = Float(vec.dot(axes.v))
                    }
                }
            }
            var s = GridSlice(time: Analytic.t0 + Int64(h * 3600), nx: g.nx, ny: g.ny, nz: 2, u: u, v: v)
            s.height = (0..<2).flatMap { k in [Float](repeating: Float(StandardAtmosphere.height(pressure: k == 0 ? 1000 : 500)), count: n) }
            s.surfacePressure = [Float](repeating: 1013.25, count: n)
            s.terrain = [Float](repeating: 0, count: n)
            slices.append(s)
        }
        let options = TrajectoryOptions(hours: -24, verticalMode: .isobaric)
        let starts = [(30.0, 110.0), (33.0, 106.0), (27.5, 114.0)].map {
            TrajectoryStart(site: "C", latitude: $0.0, longitude: $0.1, height: 500, time: Analytic.t0 + 24 * 3600)
        }
        let a = try TrajectoryEngine(field: InMemoryWindField(grid: g, levels: .pressure([1000, 500]), slices: slices), options: options).run(starts).trajectories
        let b = try TrajectoryEngine(field: InMemoryWindField(grid: grid, levels: .pressure([1000, 500]), slices: slices), options: options).run(starts).trajectories
        var worst = 0.0
        for (ta, tb) in zip(a, b) {
            #expect(ta.termination.reason == tb.termination.reason)
            #expect(ta.endpoints.count == tb.endpoints.count)
            for (ea, eb) in zip(ta.endpoints, tb.endpoints) { worst = max(worst, distanceKm((ea.latitude, ea.longitude), (eb.latitude, eb.longitude))) }
        }
        #expect(worst < 0.01, "curvilinear vs Lambert: \(worst) km")
        print("curvilinear vs Lambert, 24-h trajectories: max difference \(worst) km")
    }
}
