import UpwindCore

/// How a set of trajectories was made equal in length before clustering (see the *Trajectory clustering* article in Upwind's documentation):
/// which were used, how many were dropped or truncated, and the common time axis.
///
/// Every clustered trajectory keeps its first ``endpointsPerTrajectory`` endpoints, whose ages
/// are ``ages`` (the same for all: they must share the start age and the time step). Only
/// latitude and longitude are compared, as HYSPLIT does; heights only enter the mean
/// trajectories.
public struct ClusterPreparation: Sendable, Equatable {
    /// The rule that was applied.
    public var unequal: UnequalLengths
    /// Trajectories given.
    public var inputCount: Int
    /// 0-based positions (in the list given) of the clustered trajectories, ascending.
    public var usedIndices: [Int]
    /// Trajectories left out as shorter than the modal length (``UnequalLengths/drop``; always 0
    /// with ``UnequalLengths/truncate``).
    public var droppedCount: Int
    /// Clustered trajectories that had more endpoints than ``endpointsPerTrajectory`` and were
    /// cut to it.
    public var truncatedCount: Int
    /// Endpoints per clustered trajectory, the age-0 point included.
    public var endpointsPerTrajectory: Int
    /// The common time step between endpoints, h (negative for backward trajectories).
    public var ageStepHours: Double
    /// The ages of the common endpoints, h (the first is the start age, normally 0).
    public var ages: [Double]

    /// Creates a record (normally made by ``TrajectoryClustering``).
    public init(unequal: UnequalLengths, inputCount: Int, usedIndices: [Int], droppedCount: Int, truncatedCount: Int,
                endpointsPerTrajectory: Int, ageStepHours: Double, ages: [Double]) {
        self.unequal = unequal
        self.inputCount = inputCount
        self.usedIndices = usedIndices
        self.droppedCount = droppedCount
        self.truncatedCount = truncatedCount
        self.endpointsPerTrajectory = endpointsPerTrajectory
        self.ageStepHours = ageStepHours
        self.ages = ages
    }

    /// Trajectories clustered.
    public var usedCount: Int { usedIndices.count }

    /// The clustered span, h (|step| × (endpoints − 1)).
    public var clusteredHours: Double { abs(ageStepHours) * Double(max(endpointsPerTrajectory - 1, 0)) }
}

/// The clustered trajectories' coordinates, flat: trajectory t's endpoint i at `t * m + i`.
struct PreparedTrajectories: Sendable {
    /// Counts and the time axis.
    var preparation: ClusterPreparation
    /// Latitudes, degrees north (n × m).
    var latitudes: [Double]
    /// Longitudes, degrees east (n × m), as given.
    var longitudes: [Double]
    /// Heights above ground, m (n × m).
    var heights: [Double]

    /// Trajectories clustered.
    var count: Int { preparation.usedIndices.count }
    /// Endpoints per trajectory.
    var length: Int { preparation.endpointsPerTrajectory }

    /// Tolerance for equal ages and steps, h (3.6 ms, × |step| for long steps).
    static let ageToleranceHours = 1e-6

    /// Selects and truncates the trajectories by `unequal` and checks that the used parts share
    /// the start age and the time step and have valid positions.
    /// - Throws: ``ClusterError`` (`noTrajectories`, `tooShort`, `startAgeMismatch`,
    ///   `timeStepMismatch`, `irregularTimeStep`, `invalidEndpoint`).
    init(_ trajectories: [Trajectory], unequal: UnequalLengths) throws(ClusterError) {
        guard !trajectories.isEmpty else { throw .noTrajectories }
        let lengths = trajectories.map(\.endpoints.count)
        var m: Int
        var used: [Int]
        switch unequal {
        case .truncate:
            m = lengths.min() ?? 0
            used = Array(trajectories.indices)
        case .drop:
            var tally: [Int: Int] = [:]
            for l in lengths { tally[l, default: 0] += 1 }
            m = tally.max { a, b in a.value != b.value ? a.value < b.value : a.key < b.key }?.key ?? 0
            used = trajectories.indices.filter { lengths[$0] >= m }
        }
        if m < 2 {
            let i = trajectories.indices.first { lengths[$0] == m } ?? 0
            throw .tooShort(trajectoryIndex: i, trajectoryID: trajectories[i].id, endpoints: m, unequal: unequal)
        }
        let first = trajectories[used[0]].endpoints
        let startAge = first[0].ageHours
        let step = first[1].ageHours - first[0].ageHours
        guard step.isFinite, step != 0, startAge.isFinite else {
            throw .irregularTimeStep(trajectoryIndex: used[0], trajectoryID: trajectories[used[0]].id, endpoint: 1,
                                     stepHours: step, expectedHours: step)
        }
        let tolerance = Self.ageToleranceHours * max(1, abs(step))
        let n = used.count
        var latitudes = [Double](repeating: 0, count: n * m)
        var longitudes = latitudes, heights = latitudes
        for (t, index) in used.enumerated() {
            let e = trajectories[index].endpoints
            let id = trajectories[index].id
            guard abs(e[0].ageHours - startAge) <= tolerance else {
                throw .startAgeMismatch(trajectoryIndex: index, trajectoryID: id, ageHours: e[0].ageHours, expectedHours: startAge)
            }
            let own = e[1].ageHours - e[0].ageHours
            guard abs(own - step) <= tolerance else {
                throw .timeStepMismatch(trajectoryIndex: index, trajectoryID: id, stepHours: own, expectedHours: step)
            }
            for i in 0..<m {
                if i >= 2 {
                    let s = e[i].ageHours - e[i - 1].ageHours
                    guard abs(s - step) <= tolerance else {
                        throw .irregularTimeStep(trajectoryIndex: index, trajectoryID: id, endpoint: i, stepHours: s, expectedHours: step)
                    }
                }
                let lat = e[i].latitude, lon = e[i].longitude
                guard lat.isFinite, lon.isFinite else {
                    throw .invalidEndpoint(trajectoryIndex: index, trajectoryID: id, endpoint: i, reason: "latitude or longitude is not a number")
                }
                guard abs(lat) <= 90 else {
                    throw .invalidEndpoint(trajectoryIndex: index, trajectoryID: id, endpoint: i, reason: "latitude \(lat) is outside ±90°")
                }
                latitudes[t * m + i] = lat
                longitudes[t * m + i] = lon
                heights[t * m + i] = e[i].heightAGL
            }
        }
        let truncated = used.reduce(0) { $0 + (lengths[$1] > m ? 1 : 0) }
        preparation = ClusterPreparation(unequal: unequal, inputCount: trajectories.count, usedIndices: used,
                                         droppedCount: trajectories.count - n, truncatedCount: truncated, endpointsPerTrajectory: m,
                                         ageStepHours: step, ages: (0..<m).map { first[$0].ageHours })
        self.latitudes = latitudes
        self.longitudes = longitudes
        self.heights = heights
    }

    /// Every endpoint as (x, y, z) of its unit-sphere vector × `scale`, trajectory t's values at
    /// `t * stride ..< t * stride + 3m`, zero-padded to `stride` (3m rounded up to a multiple of 16).
    func embedded(scale: Double) -> (values: [Double], stride: Int) {
        let m = length
        let stride = (3 * m + 15) / 16 * 16
        var out = [Double](repeating: 0, count: count * stride)
        for t in 0..<count {
            for i in 0..<m {
                let u = Geodesy.unitVector(latitude: latitudes[t * m + i], longitude: longitudes[t * m + i])
                out[t * stride + 3 * i] = scale * u.x
                out[t * stride + 3 * i + 1] = scale * u.y
                out[t * stride + 3 * i + 2] = scale * u.z
            }
        }
        return (out, stride)
    }
}
