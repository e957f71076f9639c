import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
import UpwindMeteo

func distanceKm(_ a: (latitude: Double, longitude: Double), _ b: (latitude: Double, longitude: Double)) -> Double {
    Geodesy.distance(latitude1: a.latitude, longitude1: a.longitude, latitude2: b.latitude, longitude2: b.longitude) / 1000
}

func pathLengthKm(_ t: Trajectory) -> Double {
    zip(t.endpoints, t.endpoints.dropFirst()).reduce(0.0) { $0 + distanceKm(($1.0.latitude, $1.0.longitude), ($1.1.latitude, $1.1.longitude)) }
}

@Suite("Real met files")
struct RealMetTests {
    @Test("forward-then-backward closure on grads_model_1987.nc: isobaric, 30-minute step",
          arguments: [Integrator.heun, .rk4])
    func gradsClosure(integrator: Integrator) throws {
        let field = try MetWindField(try MetDataset(paths: [Fixtures.met("grads_model_1987.nc")]))
        let starts = stride(from: -70.0, through: 70, by: 20).flatMap { lat in stride(from: -180.0, to: 180, by: 30).map { lon in
            TrajectoryStart(site: "G", latitude: lat, longitude: lon, height: 5500, time: UTCTime(year: 1987, month: 1, day: 3)) } }
        let opts = { (h: Int) in TrajectoryOptions(hours: h, verticalMode: .isobaric, integrator: integrator, fixedStepMinutes: 30) }
        let forward = try TrajectoryEngine(field: field, options: opts(48)).run(starts).trajectories
        let back = try TrajectoryEngine(field: field, options: opts(-48))
        var relative: [Double] = []
        for f in forward where f.termination.reason == .completed {
            let end = try #require(f.endpoints.last)
            let b = try returnTrajectory(back: back, from: end)
            guard b.termination.reason == .completed, let ret = b.endpoints.last else { continue }
            let d = distanceKm((ret.latitude, ret.longitude), (f.start.latitude, f.start.longitude))
            relative.append(d / (pathLengthKm(f) + pathLengthKm(b)))
        }
        #expect(relative.count >= 80, "only \(relative.count) closed loops stayed inside the data")
        let sorted = relative.sorted()
        let median = sorted[sorted.count / 2], worst = sorted.last ?? .nan
        #expect(median < 1e-4, "median closure \(median * 100) %")
        #expect(worst < 1e-3, "worst closure \(worst * 100) %")
    }

    /// The backward run from a forward endpoint, started at that endpoint's height above ground.
    func returnTrajectory(back: TrajectoryEngine, from end: TrajectoryEndpoint) throws -> Trajectory {
        try back.integrate(TrajectoryStart(site: "B", latitude: end.latitude, longitude: end.longitude, height: end.heightAGL, time: end.time), id: 1)
    }

    @Test("the single-level storm file: 2-D trajectories keep their height and run to the end or stop with a reason")
    func stormSingleLevel() throws {
        let field = try MetWindField(try MetDataset(paths: [Fixtures.met("ncl_storm1996_500hPa.nc")]))
        let starts = [(40.0, -90.0), (35.0, -100.0), (45.0, -75.0), (55.0, -60.0)].map {
            TrajectoryStart(site: "N", latitude: $0.0, longitude: $0.1, height: 5500, time: UTCTime(year: 1996, month: 1, day: 8))
        }
        let run = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: -48)).run(starts)
        #expect(run.trajectories.count == 4)
        for t in run.trajectories {
            #expect(t.endpoints.allSatisfy { $0.heightAGL == 5500 && $0.pressureHPa.isNaN })
            if t.termination.reason != .completed {
                #expect([.leftDomain, .missingData].contains(t.termination.reason))
            } else {
                #expect(t.endpoints.count == 49)
            }
        }
        #expect(run.trajectories.contains { $0.termination.reason == .completed })
    }
}
