import Testing
import UpwindCore
@testable import UpwindAttribution

/// Arrival time of trajectory `id` in the tests: hour `id` of 2024-01-01.
let testEpoch = UTCTime(year: 2024, month: 1, day: 1)

/// A backward trajectory through `points` (degrees): ages 0, −1, −2, … hours unless `ages` is
/// given; heights AGL and mixing depths (m) per endpoint when given.
func makeTrajectory(_ id: Int, site: String = "A", time: UTCTime? = nil, _ points: [(Double, Double)],
                    ages: [Double]? = nil, heights: [Double]? = nil, mixing: [Double?]? = nil) -> Trajectory {
    let t0 = time ?? testEpoch + Int64(id * 3600)
    let endpoints = points.enumerated().map { k, p in
        let age = ages?[k] ?? -Double(k)
        return TrajectoryEndpoint(time: t0 + Int64(age * 3600), ageHours: age, latitude: p.0, longitude: p.1,
                                  heightAGL: heights?[k] ?? 100, pressureHPa: 1000,
                                  diagnostics: EndpointDiagnostics(mixingDepthM: mixing?[k] ?? nil))
    }
    let start = TrajectoryStart(site: site, latitude: points[0].0, longitude: points[0].1, height: 100, time: t0)
    return Trajectory(id: id, start: start, isBackward: true, verticalMode: .data, endpoints: endpoints,
                      termination: Termination(reason: .completed, time: endpoints.last?.time ?? t0))
}

/// A grid filled with `trajectories` and `values` one by one.
func fill(_ settings: ReceptorGridSettings, criterion: Double, _ trajectories: [Trajectory], _ values: [Double]) throws -> ReceptorGrid {
    var g = try ReceptorGrid(settings: settings, criterionValue: criterion)
    for (t, v) in zip(trajectories, values) { try g.add(trajectory: t, value: v) }
    return g
}

/// The cell centred at (lat, lon), if present.
func cell(_ cells: [ReceptorGridCell], _ lat: Double, _ lon: Double) -> ReceptorGridCell? {
    cells.first { abs($0.latitude - lat) < 1e-9 && abs($0.longitude - lon) < 1e-9 }
}

/// |a − b| ≤ tolerance (NaN never close).
func near(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool { abs(a - b) <= tolerance }

/// Bitwise equality of two cell lists (NaN equal to NaN).
func sameBits(_ a: [ReceptorGridCell], _ b: [ReceptorGridCell]) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
        let fx = [x.latitude, x.longitude, x.timeWeight, x.residence, x.pscf, x.pscfWeight, x.wpscf, x.cwt, x.cwtWeight, x.wcwt, x.seibert]
        let fy = [y.latitude, y.longitude, y.timeWeight, y.residence, y.pscf, y.pscfWeight, y.wpscf, y.cwt, y.cwtWeight, y.wcwt, y.seibert]
        guard x.nEndpoints == y.nEndpoints, x.nPolluted == y.nPolluted, x.nTrajectories == y.nTrajectories,
              zip(fx, fy).allSatisfy({ $0.bitPattern == $1.bitPattern }) else { return false }
    }
    return true
}

/// The three-trajectory case of the PSCF/CWT tests, 1° cells (see `ReceptorGridTests`).
let basicTrajectories = [
    makeTrajectory(1, [(0, 0), (0.2, 0.1), (1.1, 0.3), (1.2, 1.4)]),
    makeTrajectory(2, [(0, 0), (0.3, -0.2), (0.9, 0.2), (2.1, 0.0)]),
    makeTrajectory(3, [(0, 0), (1.0, 0.4), (1.3, 0.6), (1.4, 1.2)]),
]
let basicValues = [80.0, 20, 60]

/// Element-wise `near` of two equally long lists.
func allNear(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { near($0, $1, tolerance) }
}
