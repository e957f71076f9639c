import Testing
import UpwindCore
@testable import UpwindAttribution

/// A trajectory from the receptor (lat0, lon0) through offsets (Δlon, Δlat) in degrees.
private func fromReceptor(_ id: Int, _ lat0: Double, _ lon0: Double, _ offsets: [(x: Double, y: Double)]) -> Trajectory {
    makeTrajectory(id, [(lat0, lon0)] + offsets.map { (lat0 + $0.y, lon0 + $0.x) })
}

@Suite("Trajectory distances for k-medoids")
struct ClusterDistanceTests {
    @Test("Sirois–Bottenheim angle against hand values: 90°, 0°, 180° and 60° (minus C), mean over the endpoints after the receptor")
    func angleHandValues() {
        let a = fromReceptor(1, 0, 0, [(1, 0), (0, 1), (1, 1), (1, 0)])
        let b = fromReceptor(2, 0, 0, [(0, 2), (0, 3), (-2, -2), (0.5, 0.75.squareRoot())])
        // Angles at the receptor: 90°, 0°, 180°, 60°: mean (π/2 + 0 + π + π/3)/4.
        let expected = (Double.pi / 2 + 0 + Double.pi + Double.pi / 3) / 4
        #expect(abs(TrajectoryDistances.angleRadians(a, b) - expected) < 1e-12)
        #expect(TrajectoryDistances.angleRadians(a, b) == TrajectoryDistances.angleRadians(b, a))
        // With "+C" the 60° pair would give cos = (A + B + C)/(2√(AB)) = (1 + 1 + 1)/2 > 1: not 60°.
        let sixty = TrajectoryDistances.angleRadians(fromReceptor(3, 0, 0, [(1, 0)]), fromReceptor(4, 0, 0, [(0.5, 0.75.squareRoot())]))
        #expect(abs(sixty - Double.pi / 3) < 1e-12)
    }

    @Test("angle guards: A·B = 0 contributes 0 and still counts in the mean; rounding past ±1 is clamped to 0 and π")
    func angleGuards() {
        // Endpoint 1 of a is on the receptor (A = 0): angle 0; endpoint 2 is at 90°. Mean over 2.
        let a = fromReceptor(1, 30, 100, [(0, 0), (1, 0)])
        let b = fromReceptor(2, 30, 100, [(0, 1), (0, 1)])
        #expect(abs(TrajectoryDistances.angleRadians(a, b) - Double.pi / 4) < 1e-12)
        // Parallel and antiparallel offsets whose law-of-cosines cosine rounds past ±1.
        let (x1, y1, s) = (0.1, 0.3, 3.0)
        func cosine(_ x2: Double, _ y2: Double) -> Double {
            let aa = x1 * x1 + y1 * y1, bb = x2 * x2 + y2 * y2, cc = (x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1)
            return 0.5 * (aa + bb - cc) / (aa * bb).squareRoot()
        }
        #expect(cosine(x1 * s, y1 * s) > 1 && cosine(-x1 * s, -y1 * s) < -1)
        #expect(TrajectoryDistances.angle(x1: x1, y1: y1, x2: x1 * s, y2: y1 * s) == 0)
        #expect(TrajectoryDistances.angle(x1: x1, y1: y1, x2: -x1 * s, y2: -y1 * s) == Double.pi)
        // Through whole trajectories from a receptor at (0, 0).
        let p = fromReceptor(3, 0, 0, [(x1, y1)]), q = fromReceptor(4, 0, 0, [(x1 * s, y1 * s)]), r = fromReceptor(5, 0, 0, [(-x1 * s, -y1 * s)])
        #expect(TrajectoryDistances.angleRadians(p, q) == 0 && TrajectoryDistances.angleRadians(p, r) == Double.pi)
    }

    @Test("angle origin: each trajectory's own age-0 point; longitudes across 180° taken the short way")
    func angleOrigin() {
        // Same displacements from two receptors: angle 0.
        let a = fromReceptor(1, 34, 113, [(1, 1), (2, 2)]), b = fromReceptor(2, 36, 117, [(1, 1), (2, 2)])
        #expect(TrajectoryDistances.angleRadians(a, b) == 0)
        // A receptor at 179.5° E; one goes 1° east (to −179.5), the other 1° west: 180°.
        let east = makeTrajectory(3, [(0, 179.5), (0, -179.5)]), west = makeTrajectory(4, [(0, 179.5), (0, 178.5)])
        #expect(abs(TrajectoryDistances.angleRadians(east, west) - Double.pi) < 1e-9)
        #expect(TrajectoryDistances.angleRadians(east, makeTrajectory(5, [(0, 0)])).isNaN)
    }

    @Test("great-circle sum: 1° of longitude on the equator per endpoint, km; the sum of Geodesy distances elsewhere")
    func greatCircle() {
        let a = makeTrajectory(1, [(0, 10), (0, 11), (0, 12)]), b = makeTrajectory(2, [(0, 11), (0, 12), (0, 13)])
        let perDegree = 6371 * Double.pi / 180
        #expect(abs(TrajectoryDistances.greatCircleKm(a, b) - 3 * perDegree) < 1e-9)
        let c = makeTrajectory(3, [(35, 114), (36, 112), (38.5, 109)]), d = makeTrajectory(4, [(35, 114), (33, 116.5), (30, 120)])
        let expected = zip(c.endpoints, d.endpoints).reduce(0.0) {
            $0 + Geodesy.distance(latitude1: $1.0.latitude, longitude1: $1.0.longitude, latitude2: $1.1.latitude, longitude2: $1.1.longitude) / 1000
        }
        #expect(abs(TrajectoryDistances.greatCircleKm(c, d) - expected) < 1e-9)
        #expect(TrajectoryDistances.greatCircleKm(a, makeTrajectory(5, [(0, 0)])).isNaN)
    }

    @Test("TrajStat Euclidean degrees: sqrt(Σ Δlon² + Δlat²) with no cos φ, short way across 180°")
    func euclideanDegrees() {
        let a = makeTrajectory(1, [(60, 10), (61, 10), (62, 10)]), b = makeTrajectory(2, [(60, 10), (65, 13), (62, 10)])
        #expect(TrajectoryDistances.euclideanDegrees(a, b) == 5)
        let c = makeTrajectory(3, [(10, 179.5), (10, 179)]), d = makeTrajectory(4, [(12, -179.5), (10, -179)])
        #expect(abs(TrajectoryDistances.euclideanDegrees(c, d) - (1 + 4 + 4).squareRoot()) < 1e-12)
    }
}
