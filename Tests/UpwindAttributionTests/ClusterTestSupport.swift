import Testing
import UpwindCore
@testable import UpwindAttribution

/// SplitMix64: a small deterministic generator for the clustering tests.
struct ClusterTestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    /// A uniform value in [0, 1).
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}

/// Three bundles of straight hourly back trajectories (25 endpoints, age 0 … −24) from a
/// receptor at 35° N, 114° E: 6 going west, 5 north, 4 south-east (bearings 270°, 0°, 135°),
/// each member with its own speed (20 + 1.5·j km/h) and a bearing offset of 1.2·j − 2° for
/// member j. Returns the trajectories (ids 1…15) and each one's bundle (0, 1, 2).
func threeBundles() -> (trajectories: [Trajectory], bundle: [Int]) {
    var out: [Trajectory] = [], bundle: [Int] = []
    let bearings = [270.0, 0, 135], sizes = [6, 5, 4]
    var id = 0
    for (b, bearing) in bearings.enumerated() {
        for j in 0..<sizes[b] {
            id += 1
            let speed = 20 + 1.5 * Double(j)
            let theta = (bearing + 1.2 * Double(j) - 2) * Double.pi / 180
            let points = (0...24).map { i -> (Double, Double) in
                let km = speed * Double(i)
                let lat = 35 + km * Math.cos(theta) / 111.2
                let lon = 114 + km * Math.sin(theta) / (111.2 * Math.cos(35 * Double.pi / 180))
                return (lat, lon)
            }
            out.append(makeTrajectory(id, points, heights: (0...24).map { 500 + 10 * Double($0) + Double(b) }))
            bundle.append(b)
        }
    }
    return (out, bundle)
}

/// Each endpoint's unit vector × 6371 km, flat (the test's own embedding).
func embed(_ t: Trajectory) -> [Double] {
    t.endpoints.flatMap { e -> [Double] in
        let phi = e.latitude * Double.pi / 180, lambda = e.longitude * Double.pi / 180
        return [6371 * Math.cos(phi) * Math.cos(lambda), 6371 * Math.cos(phi) * Math.sin(lambda), 6371 * Math.sin(phi)]
    }
}

/// Σ over members of the squared distance to the members' mean (km²), computed directly.
func errorSumOfSquares(_ members: [[Double]]) -> Double {
    guard let first = members.first else { return 0 }
    var mean = [Double](repeating: 0, count: first.count)
    for x in members { for q in x.indices { mean[q] += x[q] } }
    for q in mean.indices { mean[q] /= Double(members.count) }
    var s = 0.0
    for x in members { for q in x.indices { s += (x[q] - mean[q]) * (x[q] - mean[q]) } }
    return s
}

/// |a − b| ≤ relative × max(|a|, |b|, 1).
func closeRelative(_ a: Double, _ b: Double, relative: Double) -> Bool {
    abs(a - b) <= relative * max(abs(a), abs(b), 1)
}
