import Testing
import UpwindCore

func distanceKm(_ a: (latitude: Double, longitude: Double), _ b: (latitude: Double, longitude: Double)) -> Double {
    Geodesy.distance(latitude1: a.latitude, longitude1: a.longitude, latitude2: b.latitude, longitude2: b.longitude) / 1000
}

@Suite("Trajectory accuracy against analytic answers")
struct AccuracyTests {
    @Test("uniform flow: exact displacement to 1 m (zonal, meridional; rhumb line 1 m with RK4, 3 m with Heun)",
          arguments: [(Integrator.heun, 10.0, 0.0, 1.0), (.rk4, 10.0, 0.0, 1.0), (.heun, 0.0, 12.0, 1.0), (.rk4, 0.0, -12.0, 1.0),
                      (.heun, 10.0, 5.0, 3.0), (.rk4, 10.0, 5.0, 1.0)])
    func uniform(integrator: Integrator, u: Double, v: Double, limit: Double) throws {
        let field = Analytic.field(grid: Analytic.globalGrid(step: 2), levels: [1000, 850, 500], hours: [0, 24, 48, 72, 96],
                                   wind: { _, _, _, _ in (u, v, 0) })
        let engine = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 72, verticalMode: .isobaric, integrator: integrator))
        let start = TrajectoryStart(site: "A", latitude: 10, longitude: 20, height: 1500, time: Analytic.t0)
        let tr = try #require(try engine.run([start]).trajectories.first)
        #expect(tr.termination.reason == .completed)
        #expect(tr.endpoints.count == 73)
        var worst = 0.0
        for e in tr.endpoints {
            let t = e.ageHours * 3600
            let phi0 = 10 * Geodesy.radiansPerDegree
            let phi = phi0 + v * t / Earth.radius
            // Loxodrome: λ = λ0 + (u/v)·[ln tan(π/4 + φ/2)] from φ0 to φ; a parallel when v = 0.
            func mercator(_ x: Double) -> Double { Math.log(Math.tan(Double.pi / 4 + x / 2)) }
            let lon = v == 0 ? 20 + u * t / (Earth.radius * Math.cos(phi0)) / Geodesy.radiansPerDegree
                : 20 + (u / v) * (mercator(phi) - mercator(phi0)) / Geodesy.radiansPerDegree
            worst = max(worst, distanceKm((e.latitude, e.longitude), (phi / Geodesy.radiansPerDegree, lon)) * 1000)
        }
        #expect(worst < limit, "worst error \(worst) m")
    }

    static func solidBodyStarts() -> [TrajectoryStart] {
        var starts: [TrajectoryStart] = []
        var n = 0
        for lat in stride(from: -80.0, through: 80, by: 20) {
            for lon in stride(from: -170.0, through: 170, by: 40) {
                n += 1
                starts.append(TrajectoryStart(site: "S\(n)", latitude: lat, longitude: lon, height: 1000, time: Analytic.t0 + 72 * 3600))
            }
        }
        // Near and over the poles and across the antimeridian.
        for (lat, lon) in [(89.8, 0.0), (-89.8, 45.0), (89.9, 179.9), (0.0, 179.9), (30.0, -179.95), (45.0, 90.0), (-45.0, -90.0), (0.0, 90.0)] {
            n += 1
            starts.append(TrajectoryStart(site: "P\(n)", latitude: lat, longitude: lon, height: 1000, time: Analytic.t0 + 72 * 3600))
        }
        return starts
    }

    @Test("solid-body rotation (Williamson TC1) at 1°, 3-hourly, 72 h back: every endpoint near the exact position",
          arguments: [(0.0, Integrator.rk4, 0.5), (45.0, .rk4, 0.5), (90.0, .rk4, 0.5), (0.0, .heun, 0.7), (45.0, .heun, 0.7), (90.0, .heun, 0.7)])
    func solidBody(alpha: Double, integrator: Integrator, limitKm: Double) throws {
        let sb = Analytic.SolidBody(alpha: alpha)
        let field = Analytic.field(grid: Analytic.globalGrid(), levels: [1000, 500], hours: stride(from: 0.0, through: 72, by: 3).map { $0 },
                                   wind: { lat, lon, _, _ in let w = sb.wind(lat, lon); return (w.0, w.1, 0) })
        let engine = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: -72, verticalMode: .isobaric, integrator: integrator))
        let starts = Self.solidBodyStarts()
        let run = try engine.run(starts)
        #expect(run.trajectories.count == starts.count)
        var worst = 0.0
        var polarPass = false
        for tr in run.trajectories {
            #expect(tr.termination.reason == .completed, "\(tr.start.site): \(tr.termination.reason)")
            for e in tr.endpoints {
                let exact = sb.exact(latitude: tr.start.latitude, longitude: tr.start.longitude, seconds: e.ageHours * 3600)
                worst = max(worst, distanceKm((e.latitude, e.longitude), exact))
                if abs(e.latitude) > 89.5 && abs(exact.latitude) > 89.5 { polarPass = true }
            }
        }
        #expect(worst < limitKm, "alpha \(alpha) \(integrator): worst endpoint error \(worst) km")
        if alpha == 90 { #expect(polarPass) }
    }

    @Test("measured convergence order on an ungridded field: Heun ≈ 2, RK4 ≈ 4, in both step frames",
          arguments: [(Integrator.heun, 2.0, StepFrame.geographic), (.rk4, 4.0, .geographic), (.heun, 2.0, .cartesian), (.rk4, 4.0, .cartesian)])
    func convergence(integrator: Integrator, order: Double, frame: StepFrame) throws {
        // Solid-body rotation about a tilted axis whose rate varies in time: ω(t) = ω0(1 + 0.5 sin(2πt/T)).
        let sb = Analytic.SolidBody(alpha: 30)
        let axis = sb.axis, w0 = sb.rate * 4
        let period = 86_400.0
        func angle(_ t: Double) -> Double { w0 * (t - 0.5 * period / (2 * Double.pi) * (Math.cos(2 * Double.pi * t / period) - 1)) }
        let rate: (ParcelState) -> ParcelRate = { s in
            let w = w0 * (1 + 0.5 * Math.sin(2 * Double.pi * s.time / period))
            let v = (w * Earth.radius) * axis.cross(s.position)
            let en = Geodesy.eastNorth(latitude: s.latitude, longitude: s.longitude)
            return ParcelRate(east: v.dot(en.east), north: v.dot(en.north), pressure: 0, speed: v.length)
        }
        let p0 = Geodesy.unitVector(latitude: 20, longitude: 30)
        let exact = Geodesy.rotate(p0, about: axis, angle: angle(86_400))
        func error(steps: Int) -> Double {
            var s = ParcelState(position: p0, pressure: 500, time: 0)
            let dt = 86_400.0 / Double(steps)
            for _ in 0..<steps { s = Stepper.step(s, dt: dt, scheme: integrator, frame: frame, rate: rate).0 }
            return (s.position - exact).length * Earth.radius
        }
        let e1 = error(steps: 24), e2 = error(steps: 48), e3 = error(steps: 96)
        let measured = Math.log(e2 / e3) / Math.log(2)
        #expect(abs(measured - order) < 0.3, "errors \(e1) \(e2) \(e3) m: order \(measured)")
    }

    @Test("forward-then-backward closure, isobaric, 30-minute step, on an analytic time-varying field")
    func closureAnalytic() throws {
        // A travelling wave on a westerly: u = 20 + 10 sin(2(λ − ct)) cos φ, v = 8 cos(2(λ − ct)).
        let c = 10.0 / Earth.radius * 180 / Double.pi // 10 m/s eastward phase speed in °/s at the equator
        let field = Analytic.field(grid: Analytic.globalGrid(), levels: [1000, 500, 250], hours: stride(from: 0.0, through: 96, by: 3).map { $0 },
                                   wind: { lat, lon, _, t in
                                       let phase = 2 * (lon - c * t) * Geodesy.radiansPerDegree
                                       return (20 + 10 * Math.sin(phase) * Math.cos(lat * Geodesy.radiansPerDegree), 8 * Math.cos(phase), 0)
                                   })
        var relative: [Double] = []
        for heun in [true, false] {
            let opts = { (h: Int) in TrajectoryOptions(hours: h, verticalMode: .isobaric, integrator: heun ? .heun : .rk4, fixedStepMinutes: 30) }
            let fwd = try TrajectoryEngine(field: field, options: opts(48))
            let starts = stride(from: -60.0, through: 60, by: 30).flatMap { lat in stride(from: 0.0, to: 360, by: 60).map { lon in
                TrajectoryStart(site: "F", latitude: lat, longitude: lon, height: 3000, time: Analytic.t0 + 6 * 3600) } }
            let forward = try fwd.run(starts).trajectories
            let back = try TrajectoryEngine(field: field, options: opts(-48))
            for f in forward {
                let end = try #require(f.endpoints.last)
                #expect(f.termination.reason == .completed)
                let b = try back.integrate(TrajectoryStart(site: "B", latitude: end.latitude, longitude: end.longitude, height: end.heightAGL, time: end.time), id: 1)
                let ret = try #require(b.endpoints.last)
                let d = distanceKm((ret.latitude, ret.longitude), (f.start.latitude, f.start.longitude))
                let path = zip(f.endpoints, f.endpoints.dropFirst()).reduce(0.0) { $0 + distanceKm(($1.0.latitude, $1.0.longitude), ($1.1.latitude, $1.1.longitude)) }
                relative.append(d / (2 * path))
            }
        }
        let sorted = relative.sorted()
        #expect(sorted[sorted.count / 2] < 1e-4, "median \(sorted[sorted.count / 2])")
        #expect(sorted.last! < 1e-3, "max \(sorted.last!)")
    }
}
