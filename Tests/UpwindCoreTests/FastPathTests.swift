import Testing
@testable import UpwindCore

/// The regular-grid kernel and the point profile must be invisible: every trajectory is
/// bitwise identical to the general path's, including where the fast path hands a step back
/// (grid edges, the polar caps, underground nodes, the surface layer, the model top).
@Suite("Fast path: the same bits as the general path")
struct FastPathTests {
    func both(_ field: any WindField, _ options: TrajectoryOptions, _ starts: [TrajectoryStart], ensemble: Bool = false) async throws -> (fast: [Trajectory], general: [Trajectory]) {
        let fast = try TrajectoryEngine(field: field, options: options)
        var general = fast
        general.usesFastPath = false
        #expect(fast.kernel != nil)
        var a: [Trajectory] = [], b: [Trajectory] = []
        _ = try await fast.sweep(starts, ensemble: ensemble, maxConcurrency: 2) { a.append($0) }
        _ = try await general.sweep(starts, ensemble: ensemble, maxConcurrency: 1) { b.append($0) }
        return (a.sorted { $0.id < $1.id }, b.sorted { $0.id < $1.id })
    }

    /// Bitwise equality of two runs (NaN pressures of single-level runs included); the first
    /// difference in words, or nil.
    func difference(_ a: [Trajectory], _ b: [Trajectory]) -> String? {
        guard a.count == b.count else { return "\(a.count) vs \(b.count) trajectories" }
        for (x, y) in zip(a, b) {
            guard x.termination == y.termination, x.endpoints.count == y.endpoints.count else {
                return "trajectory \(x.id): \(x.termination) after \(x.endpoints.count) vs \(y.termination) after \(y.endpoints.count)"
            }
            for (e, f) in zip(x.endpoints, y.endpoints) {
                let same = e.latitude.bitPattern == f.latitude.bitPattern && e.longitude.bitPattern == f.longitude.bitPattern
                    && e.pressureHPa.bitPattern == f.pressureHPa.bitPattern && e.heightAGL.bitPattern == f.heightAGL.bitPattern
                    && e.diagnostics == f.diagnostics && e.time == f.time
                if !same { return "trajectory \(x.id) at \(e.time.iso8601): \(e) vs \(f)" }
            }
        }
        return nil
    }

    /// A field with a 2.5 km plateau: pressure levels under it hold no data (NaN), as ERA5
    /// pressure-level files do under the ground.
    func plateauField() -> InMemoryWindField {
        let ps: (Double, Double) -> Double = { lat, lon in
            let r2 = ((lat - 35) * (lat - 35) + (lon - 105) * (lon - 105)) / 16
            return 1013.25 - 270 * Math.exp(-r2)
        }
        let base = Analytic.field(grid: regionalGrid(lat: 20...50, lon: 90...130, step: 0.5), levels: [1000, 925, 850, 700, 500, 300, 200],
                                  hours: stride(from: 0, through: 120, by: 1).map(Double.init),
                                  wind: { lat, lon, p, t in
                                      let phase = 2 * (lon - 0.0004 * t) * Geodesy.radiansPerDegree
                                      return (-9 - 0.02 * (1000 - p) + 5 * Math.sin(phase), 4 * Math.cos(phase + lat / 20), 0.2 * Math.sin(phase + p / 100))
                                  },
                                  surfacePressure: ps,
                                  terrain: { lat, lon in StandardAtmosphere.height(pressure: ps(lat, lon)) })
        let grid = base.grid as! LatLonGrid
        let levels: [Double] = [1000, 925, 850, 700, 500, 300, 200]
        let masked = base.slices.map { s -> GridSlice in
            var s = s, u = s.u, v = s.v, w = s.omega ?? []
            let nx = grid.nx, ny = grid.ny
            for k in levels.indices {
                for j in 0..<ny {
                    for i in 0..<nx where levels[k] > ps(grid.latitudes[j], grid.longitudes[i]) {
                        let n = (k * ny + j) * nx + i
                        u[n] = .nan; v[n] = .nan; w[n] = .nan
                    }
                }
            }
            s.u = u; s.v = v; s.omega = w
            return s
        }
        return InMemoryWindField(grid: grid, levels: base.levels, slices: masked)
    }

    func starts(_ t: UTCTime, heights: [Double] = [10, 100, 500, 1500, 4000]) -> [TrajectoryStart] {
        var out: [TrajectoryStart] = []
        for (n, site) in [(35.0, 112.0), (33.0, 106.0), (40.0, 125.0), (24.0, 95.0), (45.0, 100.0)].enumerated() {
            for h in heights { out.append(TrajectoryStart(site: "P\(n)", latitude: site.0, longitude: site.1, height: h, time: t)) }
        }
        return out
    }

    @Test("3-D, model vertical velocity, Heun with TRATIO, terrain with underground gaps and the grid edge")
    func threeDimensional() async throws {
        let field = plateauField()
        let starts = starts(Analytic.t0 + Int64(96 * 3600 + 1800))
        let (fast, general) = try await both(field, TrajectoryOptions(hours: -96), starts)
        #expect(fast.count == starts.count)
        #expect(difference(fast, general) == nil)
        // The run reaches the cases the kernel declines: the ground, the edge of the grid.
        let reasons = Set(fast.map(\.termination.reason))
        #expect(reasons.contains(.leftDomain) || reasons.contains(.completed))
        #expect(fast.contains { $0.endpoints.contains { $0.heightAGL == 0 } } || fast.contains { $0.termination.reason == .leftDomain })
        // Endpoint diagnostics came from the point profile on most endpoints: compare values too.
        #expect(fast.flatMap(\.endpoints).contains { $0.diagnostics.temperatureK != nil })
    }

    @Test("isobaric RK4 fixed step, forward, and the 27-member ensemble")
    func isobaricEnsemble() async throws {
        let field = plateauField()
        let starts = starts(Analytic.t0 + Int64(12 * 3600), heights: [300, 2000])
        let (fast, general) = try await both(field, TrajectoryOptions(hours: 48, verticalMode: .isobaric, integrator: .rk4, fixedStepMinutes: 10),
                                             starts, ensemble: true)
        #expect(fast.count == starts.count * 27)
        #expect(difference(fast, general) == nil)
    }

    @Test("single level on a global grid: the antimeridian and the polar caps")
    func globalSingleLevel() async throws {
        let body = Analytic.SolidBody(alpha: 60)
        let field = Analytic.field(grid: Analytic.globalGrid(step: 2), levels: [], hours: stride(from: 0, through: 96, by: 6).map(Double.init),
                                   wind: { lat, lon, _, _ in let w = body.wind(lat, lon); return (w.0, w.1, 0) },
                                   height: nil, temperature: nil, surfacePressure: nil, terrain: nil, omega: false)
        var starts: [TrajectoryStart] = []
        for lat in stride(from: -75.0, through: 75, by: 25) {
            for lon in stride(from: -180.0, to: 180, by: 45) {
                starts.append(TrajectoryStart(site: "G", latitude: lat, longitude: lon, height: 0, time: Analytic.t0 + Int64(96 * 3600)))
            }
        }
        let (fast, general) = try await both(field, TrajectoryOptions(hours: -96, verticalMode: .isobaric), starts)
        #expect(difference(fast, general) == nil)
        // Some trajectories crossed the polar caps (the general path's territory) and came back.
        #expect(fast.contains { $0.endpoints.contains { abs($0.latitude) > 80 } })
    }
}
