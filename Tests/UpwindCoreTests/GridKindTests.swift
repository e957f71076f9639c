import Testing
import UpwindCore

@Suite("Projected and sigma grids integrate the same analytic flows")
struct GridKindTests {
    /// A north-polar stereographic grid with grid-relative winds from an earth-relative flow.
    func polarField(_ sb: Analytic.SolidBody) -> (PolarStereographicGrid, InMemoryWindField) {
        let n = 121
        let grid = PolarStereographicGrid(nx: n, ny: n, spacingM: 50_000, x0: -3_000_000, y0: -3_000_000, standardParallel: 60, centralMeridian: -105)
        var slices: [GridSlice] = []
        for h in stride(from: 0, through: 48, by: 3) {
            var u = [Float](repeating: 0, count: n * n * 2), v = u
            for k in 0..<2 {
                for j in 0..<n {
                    for i in 0..<n {
                        let loc = grid.location(i: i, j: j)
                        let (ue, vn) = sb.wind(loc.latitude, loc.longitude)
                        let en = Geodesy.eastNorth(latitude: loc.latitude, longitude: loc.longitude)
                        let vec = ue * en.east + vn * en.north
                        let axes = grid.windAxes(i: i, j: j)
                        u[(k * n + j) * n + i] = Float(vec.dot(axes.u)) // grid-relative
                        v[(k * n + j) * n + i] = Float(vec.dot(axes.v))
                    }
                }
            }
            var s = GridSlice(time: Analytic.t0 + Int64(h * 3600), nx: n, ny: n, nz: 2, u: u, v: v)
            s.height = (0..<2).flatMap { k in [Float](repeating: Float(StandardAtmosphere.height(pressure: k == 0 ? 1000 : 500)), count: n * n) }
            s.surfacePressure = [Float](repeating: 1013.25, count: n * n)
            s.terrain = [Float](repeating: 0, count: n * n)
            slices.append(s)
        }
        return (grid, InMemoryWindField(grid: grid, levels: .pressure([1000, 500]), slices: slices))
    }

    @Test("the polar-stereographic projection round-trips and its wind axes are orthonormal")
    func projection() {
        let grid = PolarStereographicGrid(nx: 10, ny: 10, spacingM: 100_000, x0: 0, y0: 0, standardParallel: 60, centralMeridian: -105)
        for (lat, lon) in [(60.0, -105.0), (45.0, 10.0), (89.0, 170.0), (70.0, -179.0)] {
            let p = grid.project(latitude: lat, longitude: lon)
            let back = grid.unproject(x: p.x, y: p.y)
            #expect(abs(back.latitude - lat) < 1e-9 && abs(Geodesy.normalizedLongitude(back.longitude - lon)) < 1e-9)
        }
        // True scale at 60°N: one node step there is 100 km on the ground.
        let a = grid.project(latitude: 60, longitude: -105)
        let b = grid.unproject(x: a.x + 100, y: a.y)
        #expect(abs(Geodesy.distance(latitude1: 60, longitude1: -105, latitude2: b.latitude, longitude2: b.longitude) - 100) < 0.01)
        let axes = grid.windAxes(i: 3, j: 7)
        #expect(abs(axes.u.length - 1) < 1e-12 && abs(axes.v.length - 1) < 1e-12 && abs(axes.u.dot(axes.v)) < 1e-12)
    }

    @Test("solid-body rotation on a polar-stereographic grid with grid-relative winds matches the exact answer and the lat-lon run",
          arguments: [0.0, 45.0])
    func polarStereographic(alpha: Double) throws {
        let sb = Analytic.SolidBody(alpha: alpha)
        let (_, field) = polarField(sb)
        let latlon = Analytic.field(grid: Analytic.globalGrid(), levels: [1000, 500], hours: stride(from: 0.0, through: 48, by: 3).map { $0 },
                                    wind: { lat, lon, _, _ in let w = sb.wind(lat, lon); return (w.0, w.1, 0) })
        let starts = [(75.0, 0.0), (80.0, 120.0), (70.0, -100.0), (88.0, 45.0), (65.0, -160.0)].map {
            TrajectoryStart(site: "P", latitude: $0.0, longitude: $0.1, height: 500, time: Analytic.t0 + 24 * 3600)
        }
        let options = TrajectoryOptions(hours: -24, verticalMode: .isobaric)
        let projected = try TrajectoryEngine(field: field, options: options).run(starts).trajectories
        let regular = try TrajectoryEngine(field: latlon, options: options).run(starts).trajectories
        var worstExact = 0.0, worstPair = 0.0
        // Tilted rotation carries some parcels out of the 6000-km square: those end with leftDomain.
        #expect(projected.filter { $0.termination.reason == .completed }.count >= 3)
        for (p, r) in zip(projected, regular) {
            #expect(p.termination.reason == .completed || p.termination.reason == .leftDomain, "\(p.termination)")
            for (ep, er) in zip(p.endpoints, r.endpoints) {
                let exact = sb.exact(latitude: p.start.latitude, longitude: p.start.longitude, seconds: ep.ageHours * 3600)
                worstExact = max(worstExact, distanceKm((ep.latitude, ep.longitude), exact))
                worstPair = max(worstPair, distanceKm((ep.latitude, ep.longitude), (er.latitude, er.longitude)))
            }
        }
        #expect(worstExact < 1.0, "polar stereographic vs exact: \(worstExact) km")
        #expect(worstPair < 1.0, "polar stereographic vs lat-lon: \(worstPair) km")
    }

    @Test("σ levels: pressure per column from surface pressure; a flow linear in p is integrated exactly, as on pressure levels")
    func sigma() throws {
        let scaleHeight = Earth.dryAirGasConstant * 280 / Earth.gravity
        let hill: (Double, Double) -> Double = { lat, lon in 1500 * Math.exp(-((lat - 35) * (lat - 35) + (lon - 110) * (lon - 110)) / 8) }
        let grid = regionalGrid(lat: 25...45, lon: 95...135, step: 0.5)
        let sigmas = [1.0, 0.97, 0.93, 0.88, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
        let uOf: (Double) -> Double = { p in 10 + 0.02 * (1000 - p) }
        var slices: [GridSlice] = []
        let nx = grid.nx, ny = grid.ny, nz = sigmas.count
        for h in [0, 12, 24, 36] {
            var u = [Float](repeating: 0, count: nx * ny * nz), v = u, z = u, t = u
            var ps = [Float](repeating: 0, count: nx * ny), ter = ps
            for j in 0..<ny {
                for i in 0..<nx {
                    let terrain = hill(grid.latitudes[j], grid.longitudes[i])
                    let psurf = 1013.25 * Math.exp(-terrain / scaleHeight)
                    ps[j * nx + i] = Float(psurf); ter[j * nx + i] = Float(terrain)
                    for k in 0..<nz {
                        let p = sigmas[k] * psurf
                        let n = (k * ny + j) * nx + i
                        u[n] = Float(uOf(p)); v[n] = 0
                        z[n] = Float(scaleHeight * Math.log(1013.25 / p)); t[n] = 280
                    }
                }
            }
            var s = GridSlice(time: Analytic.t0 + Int64(h * 3600), nx: nx, ny: ny, nz: nz, u: u, v: v)
            s.height = z; s.temperature = t; s.surfacePressure = ps; s.terrain = ter
            slices.append(s)
        }
        let field = InMemoryWindField(grid: grid, levels: .sigma(sigmas, topPressure: 0), slices: slices)
        let start = TrajectoryStart(site: "S", latitude: 35, longitude: 105, height: 2500, time: Analytic.t0)
        let tr = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 24, verticalMode: .isobaric)).run([start]).trajectories[0]
        #expect(tr.termination.reason == .completed, "\(tr.termination)")
        // The start pressure: isothermal, 2500 m above the terrain there.
        let terrain0 = hill(35, 105)
        let p0 = 1013.25 * Math.exp(-(terrain0 + 2500) / scaleHeight)
        #expect(abs(tr.endpoints[0].pressureHPa - p0) < 0.05, "start p \(tr.endpoints[0].pressureHPa) vs \(p0)")
        var worst = 0.0
        for e in tr.endpoints {
            let lon = 105 + uOf(tr.endpoints[0].pressureHPa) * e.ageHours * 3600 / (Earth.radius * Math.cos(35 * Geodesy.radiansPerDegree)) / Geodesy.radiansPerDegree
            worst = max(worst, distanceKm((e.latitude, e.longitude), (35, lon)) * 1000)
        }
        #expect(worst < 1, "σ-level zonal flow error \(worst) m")
        // Over the hill (≈ 1500 m), 2500 m AGL at the start is about 4000 m MSL: still above ground.
        #expect(tr.endpoints.allSatisfy { $0.heightAGL > 0 })
    }

    @Test("heights by hypsometric integration when there is no geopotential; standard atmosphere only when there is nothing, and flagged")
    func hypsometric() throws {
        let atm = LapseRateAtmosphere(t0: 270, lapse: 0)
        let withT = Analytic.field(grid: regionalGrid(lat: 30...40, lon: 100...110, step: 0.5), levels: levels16, hours: [0, 6],
                                   wind: { _, _, _, _ in (5, 0, 0) }, height: nil, temperature: { _, _, _ in 270 },
                                   surfacePressure: { _, _ in atm.pressure(height: 300) }, terrain: { _, _ in 300 })
        let start = TrajectoryStart(site: "H", latitude: 35, longitude: 105, height: 2000, time: Analytic.t0)
        let a = try TrajectoryEngine(field: withT, options: TrajectoryOptions(hours: 1, verticalMode: .isobaric)).run([start]).trajectories[0]
        #expect(abs(a.endpoints[0].pressureHPa - atm.pressure(height: 2300)) < 0.01)
        #expect(!a.provenance.usedStandardAtmosphere)
        let bare = Analytic.field(grid: regionalGrid(lat: 30...40, lon: 100...110, step: 0.5), levels: levels16, hours: [0, 6],
                                  wind: { _, _, _, _ in (5, 0, 0) }, height: nil, temperature: nil, surfacePressure: nil, terrain: nil)
        let b = try TrajectoryEngine(field: bare, options: TrajectoryOptions(hours: 1, verticalMode: .isobaric)).run([start]).trajectories[0]
        #expect(b.provenance.usedStandardAtmosphere)
        #expect(abs(b.endpoints[0].pressureHPa - StandardAtmosphere.pressure(height: 2000)) < 0.5)
    }
}
