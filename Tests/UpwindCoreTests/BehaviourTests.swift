import Testing
import UpwindCore

/// An isothermal (Γ = 0) or constant-lapse-rate atmosphere: exact p(z), z(p), T(z).
struct LapseRateAtmosphere {
    var t0 = 288.15
    var lapse = 0.0065
    var p0 = 1013.25
    var g: Double { Earth.gravity }
    var r: Double { Earth.dryAirGasConstant }
    func pressure(height z: Double) -> Double {
        lapse == 0 ? p0 * Math.exp(-g * z / (r * t0)) : p0 * Math.pow(1 - lapse * z / t0, g / (r * lapse))
    }
    func height(pressure p: Double) -> Double {
        lapse == 0 ? r * t0 / g * Math.log(p0 / p) : t0 / lapse * (1 - Math.pow(p / p0, r * lapse / g))
    }
    func temperature(height z: Double) -> Double { t0 - lapse * z }
}

let levels16: [Double] = [1000, 975, 950, 925, 900, 850, 800, 700, 600, 500, 400, 300, 250, 200, 150, 100]

func regionalGrid(lat: ClosedRange<Double>, lon: ClosedRange<Double>, step: Double) -> LatLonGrid {
    LatLonGrid(longitudes: stride(from: lon.lowerBound, through: lon.upperBound + 1e-9, by: step).map { $0 },
               latitudes: stride(from: lat.lowerBound, through: lat.upperBound + 1e-9, by: step).map { $0 }, isGlobal: false)
}

@Suite("Vertical modes")
struct VerticalModeTests {
    @Test("isobaric keeps p exactly; constant height keeps z AGL within 1 m over a hill (isothermal atmosphere)")
    func isobaricAndHeight() throws {
        let atm = LapseRateAtmosphere(lapse: 0)
        let hill: (Double, Double) -> Double = { lat, lon in 800 * Math.exp(-((lat - 35) * (lat - 35) + (lon - 112) * (lon - 112)) / 2) }
        let field = Analytic.field(grid: regionalGrid(lat: 25...45, lon: 100...130, step: 0.5), levels: levels16, hours: [0, 6, 12, 18, 24, 30],
                                   wind: { _, _, p, _ in (12 + 0.01 * (1000 - p), 3, 0.1) },
                                   height: { _, _, p in atm.height(pressure: p) }, temperature: { _, _, _ in atm.t0 },
                                   surfacePressure: { lat, lon in atm.pressure(height: hill(lat, lon)) }, terrain: hill)
        let start = TrajectoryStart(site: "A", latitude: 35, longitude: 108, height: 500, time: Analytic.t0)
        let high = TrajectoryStart(site: "B", latitude: 35, longitude: 108, height: 2500, time: Analytic.t0)
        let iso = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 24, verticalMode: .isobaric)).run([high]).trajectories[0]
        #expect(iso.termination.reason == .completed)
        let p0 = iso.endpoints[0].pressureHPa
        #expect(iso.endpoints.allSatisfy { $0.pressureHPa == p0 })
        let h = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 24, verticalMode: .height)).run([start]).trajectories[0]
        #expect(h.termination.reason == .completed)
        var worst = 0.0
        for e in h.endpoints {
            // Independent truth: the analytic height of the endpoint's pressure above the model
            // terrain (the analytic hill sampled on the 0.5° grid, bilinearly interpolated here).
            let x = (e.longitude - 100) / 0.5, y = (e.latitude - 25) / 0.5
            let i = Double(Int(x)), j = Double(Int(y)), fx = x - i, fy = y - j
            func node(_ a: Double, _ b: Double) -> Double { hill(25 + b * 0.5, 100 + a * 0.5) }
            let terrain = (1 - fx) * (1 - fy) * node(i, j) + fx * (1 - fy) * node(i + 1, j) + (1 - fx) * fy * node(i, j + 1) + fx * fy * node(i + 1, j + 1)
            let agl = atm.height(pressure: e.pressureHPa) - terrain
            worst = max(worst, abs(agl - 500))
        }
        #expect(worst < 1, "constant-height drift \(worst) m")
        // The path passes over the hill: pressure must change.
        #expect(h.endpoints.map(\.pressureHPa).max()! - h.endpoints.map(\.pressureHPa).min()! > 20)
    }

    @Test("--msl start heights convert to AGL within 1 m; below ground becomes 0 m AGL")
    func msl() throws {
        let atm = LapseRateAtmosphere(lapse: 0)
        let field = Analytic.field(grid: regionalGrid(lat: 25...45, lon: 100...130, step: 0.5), levels: levels16, hours: [0, 6],
                                   wind: { _, _, _, _ in (5, 0, 0) },
                                   height: { _, _, p in atm.height(pressure: p) }, temperature: { _, _, _ in atm.t0 },
                                   surfacePressure: { _, _ in atm.pressure(height: 600) }, terrain: { _, _ in 600 })
        let engine = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 3, verticalMode: .isobaric))
        let run = try engine.run([TrajectoryStart(site: "M", latitude: 35, longitude: 110, height: 1500, heightIsMSL: true, time: Analytic.t0),
                                  TrajectoryStart(site: "L", latitude: 35, longitude: 110, height: 200, heightIsMSL: true, time: Analytic.t0)])
        let e = run.trajectories[0].endpoints[0]
        #expect(abs(e.heightAGL - 900) < 1)
        #expect(abs(e.pressureHPa - atm.pressure(height: 1500)) < 0.01)
        #expect(run.trajectories[1].endpoints[0].heightAGL < 1)
    }

    @Test("isentropic keeps θ within 0.5 K over 72 h on a sloping-isentrope atmosphere")
    func isentropic() throws {
        // T(z, φ) = T0(φ) − Γz with T0 falling 0.8 K per degree northward: isentropes slope.
        func atm(_ lat: Double) -> LapseRateAtmosphere { LapseRateAtmosphere(t0: 300 - 0.8 * (lat - 20), lapse: 0.0065) }
        let field = Analytic.field(grid: regionalGrid(lat: 10...60, lon: 60...160, step: 1), levels: levels16, hours: stride(from: 0.0, through: 72, by: 6).map { $0 },
                                   wind: { lat, lon, _, _ in (15, 6 * Math.sin((lon - 60) * Geodesy.radiansPerDegree * 6), 0) },
                                   height: { lat, _, p in atm(lat).height(pressure: p) },
                                   temperature: { lat, _, p in let a = atm(lat); return a.temperature(height: a.height(pressure: p)) })
        let start = TrajectoryStart(site: "I", latitude: 30, longitude: 80, height: 3000, time: Analytic.t0)
        let tr = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 72, verticalMode: .isentropic)).run([start]).trajectories[0]
        #expect(tr.termination.reason == .completed)
        func theta(_ e: TrajectoryEndpoint) -> Double {
            let a = atm(e.latitude)
            return a.temperature(height: a.height(pressure: e.pressureHPa)) * Math.pow(1000 / e.pressureHPa, Earth.kappa)
        }
        let th0 = theta(tr.endpoints[0])
        let worst = tr.endpoints.map { abs(theta($0) - th0) }.max() ?? .nan
        #expect(worst < 0.5, "θ drift \(worst) K")
        // The parcel really moved across the sloping isentropes: its pressure changed.
        #expect(abs(tr.endpoints.last!.pressureHPa - tr.endpoints[0].pressureHPa) > 10)
    }

    @Test("model vertical velocity: ω moves the parcel, vanishing at the ground; terrain hit with --ground stop; the top stops")
    func omega() throws {
        let atm = LapseRateAtmosphere(lapse: 0)
        let hill: (Double, Double) -> Double = { lat, lon in 2500 * Math.exp(-((lat - 35) * (lat - 35) + (lon - 115) * (lon - 115)) / 2) }
        func make(_ omega: Double, hills: Bool = false) -> InMemoryWindField {
            Analytic.field(grid: regionalGrid(lat: 25...45, lon: 100...130, step: 0.5), levels: levels16, hours: [0, 12, 24, 36],
                           wind: { _, _, _, _ in (5, 0, omega) },
                           height: { _, _, p in atm.height(pressure: p) }, temperature: { _, _, _ in atm.t0 },
                           surfacePressure: { lat, lon in atm.pressure(height: hills ? hill(lat, lon) : 0) },
                           terrain: { lat, lon in hills ? hill(lat, lon) : 0 })
        }
        // ω = +0.5 Pa/s sinks 0.005 hPa/s = 18 hPa per hour.
        let start = TrajectoryStart(site: "W", latitude: 35, longitude: 110, height: 2000, time: Analytic.t0)
        let sink = try TrajectoryEngine(field: make(0.5), options: TrajectoryOptions(hours: 12)).run([start]).trajectories[0]
        #expect(abs(sink.endpoints[1].pressureHPa - sink.endpoints[0].pressureHPa - 18) < 1e-6)
        #expect(sink.termination.reason == .completed)
        // Below the lowest level ω falls to zero at the ground: the parcel settles near it, never under it.
        #expect(sink.endpoints.allSatisfy { $0.heightAGL >= 0 })
        #expect(sink.endpoints.last!.heightAGL < 120)
        // Isobaric flow into a 2500 m hill: clipped and carried over it by default, stopped with --ground stop.
        let low = TrajectoryStart(site: "H", latitude: 35, longitude: 111, height: 800, time: Analytic.t0)
        let clip = try TrajectoryEngine(field: make(0, hills: true), options: TrajectoryOptions(hours: 36, verticalMode: .isobaric)).run([low]).trajectories[0]
        #expect(clip.termination.reason == .completed)
        #expect(clip.endpoints.contains { $0.heightAGL == 0 })
        let stop = try TrajectoryEngine(field: make(0, hills: true), options: TrajectoryOptions(hours: 36, verticalMode: .isobaric, ground: .stop)).run([low]).trajectories[0]
        #expect(stop.termination.reason == .hitGround)
        #expect(stop.endpoints.allSatisfy { $0.heightAGL > 0 })
        let rise = try TrajectoryEngine(field: make(-3), options: TrajectoryOptions(hours: 24, topAGL: 5000)).run([start]).trajectories[0]
        #expect(rise.termination.reason == .hitTop)
        #expect(rise.endpoints.allSatisfy { $0.heightAGL <= 5000 })
    }
}

@Suite("Terminations and timing")
struct TerminationTests {
    @Test("leaving a regional grid ends with leftDomain when the stencil would leave the data")
    func leftDomain() throws {
        let field = Analytic.field(grid: regionalGrid(lat: 30...40, lon: 100...110, step: 0.5), levels: [1000, 500], hours: [0, 24],
                                   wind: { _, _, _, _ in (20, 0, 0) })
        let start = TrajectoryStart(site: "E", latitude: 35, longitude: 108, height: 500, time: Analytic.t0)
        let tr = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 12, verticalMode: .isobaric)).run([start]).trajectories[0]
        #expect(tr.termination.reason == .leftDomain)
        // Exact exit: 2° of longitude at 35°N at 20 m/s.
        let exit = 2 * Geodesy.radiansPerDegree * Earth.radius * Math.cos(35 * Geodesy.radiansPerDegree) / 20
        let stopped = Double(tr.termination.time - Analytic.t0)
        #expect(stopped <= exit && exit - stopped <= 3600, "stopped at \(stopped) s, exit at \(exit) s")
        #expect(tr.endpoints.count == Int(exit / 3600) + 1)
        #expect(tr.endpoints.allSatisfy { $0.longitude <= 110 })
    }

    @Test("a missing value in the stencil ends with missingData, never read as zero")
    func missing() throws {
        var field = Analytic.field(grid: regionalGrid(lat: 30...40, lon: 100...120, step: 0.5), levels: [1000, 500], hours: [0, 24],
                                   wind: { _, _, _, _ in (20, 0, 0) })
        // A NaN column at 110°E, 35°N (node i = 20, j = 10) on both levels and times.
        var slices = field.slices
        for s in slices.indices { for k in 0..<2 { slices[s].u[(k * 21 + 10) * 41 + 20] = .nan } }
        field = InMemoryWindField(grid: field.grid, levels: field.levels, slices: slices)
        let start = TrajectoryStart(site: "N", latitude: 35, longitude: 106, height: 500, time: Analytic.t0)
        let tr = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 12, verticalMode: .isobaric)).run([start]).trajectories[0]
        #expect(tr.termination.reason == .missingData)
        // The stencil first touches 110°E when the parcel passes 109.5°E.
        let reach = 3.5 * Geodesy.radiansPerDegree * Earth.radius * Math.cos(35 * Geodesy.radiansPerDegree) / 20
        let stopped = Double(tr.termination.time - Analytic.t0)
        #expect(stopped <= reach && reach - stopped <= 3600, "stopped at \(stopped) s, NaN reached at \(reach) s")
    }

    @Test("running past the met ends with outOfMetTime at the last met time")
    func outOfTime() throws {
        let field = Analytic.field(grid: Analytic.globalGrid(step: 5), levels: [1000, 500], hours: [0, 6, 12, 18, 24], wind: { _, _, _, _ in (5, 1, 0) })
        let start = TrajectoryStart(site: "T", latitude: 10, longitude: 10, height: 500, time: Analytic.t0 + 2 * 3600)
        let tr = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 48, verticalMode: .isobaric)).run([start]).trajectories[0]
        #expect(tr.termination.reason == .outOfMetTime)
        #expect(tr.termination.time == Analytic.t0 + 24 * 3600)
        #expect(tr.endpoints.count == 23)
        let back = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: -48, verticalMode: .isobaric)).run([start]).trajectories[0]
        #expect(back.termination.reason == .outOfMetTime && back.termination.time == Analytic.t0)
        #expect(back.endpoints.map(\.ageHours) == [0, -1, -2])
    }

    @Test("endpoints land on whole hours from a start between met times at a non-whole hour, forward and backward")
    func timing() throws {
        let field = Analytic.field(grid: Analytic.globalGrid(step: 5), levels: [1000, 500], hours: stride(from: 0.0, through: 48, by: 3).map { $0 },
                                   wind: { lat, _, _, t in (10 + t / 36_000, 2, 0) })
        let t = Analytic.t0 + Int64(20 * 3600 + 37 * 60 + 30)
        let start = TrajectoryStart(site: "H", latitude: 40, longitude: 100, height: 500, time: t)
        for hours in [-6, 6] {
            let tr = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: hours, verticalMode: .isobaric)).run([start]).trajectories[0]
            #expect(tr.termination.reason == .completed)
            #expect(tr.endpoints.map { $0.time - t } == (0...6).map { Int64($0 * 3600 * hours.signum()) })
            #expect(tr.endpoints.map(\.ageHours) == (0...6).map { Double($0 * hours.signum()) })
        }
    }

    @Test("starts outside the met coverage fail the run with one message listing them; --skip-invalid-starts runs the rest")
    func preflight() throws {
        let field = Analytic.field(grid: regionalGrid(lat: 30...40, lon: 100...110, step: 0.5), levels: [1000, 500], hours: [0, 24],
                                   wind: { _, _, _, _ in (5, 0, 0) })
        let good = TrajectoryStart(site: "G", latitude: 35, longitude: 105, height: 500, time: Analytic.t0 + 12 * 3600)
        let early = TrajectoryStart(site: "EARLY", latitude: 35, longitude: 105, height: 500, time: Analytic.t0 + Int64(-3600))
        let away = TrajectoryStart(site: "AWAY", latitude: 50, longitude: 105, height: 500, time: Analytic.t0)
        let engine = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: -6, verticalMode: .isobaric))
        do {
            _ = try engine.run([good, early, away])
            Issue.record("expected an error")
        } catch let e as TrajectoryError {
            guard case .startsOutsideCoverage(let starts, let coverage) = e else { Issue.record("\(e)"); return }
            #expect(starts.count == 2 && starts[0].contains("EARLY") && starts[1].contains("AWAY"))
            #expect(coverage.contains("2024-01-01T00:00:00Z"))
            #expect(!e.description.contains("\n"))
        }
        let skipping = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: -6, verticalMode: .isobaric, skipInvalidStarts: true))
        let run = try skipping.run([good, early, away])
        #expect(run.trajectories.map(\.start.site) == ["G"])
        #expect(run.skipped.map(\.start.site) == ["EARLY", "AWAY"])
    }
}
