import UpwindCore

/// The gridded receptor models of issue 10 item 3 (see the *Receptor models* article in Upwind's documentation) as a mergeable accumulator:
/// sums and counts per cell of the global lattice of cells centred on multiples of the
/// resolution, with the settings and the resolved criterion value fixed.
///
/// Each trajectory is added with its receptor value C (the observed concentration at its site and
/// arrival time); it is polluted when C exceeds ``criterionValue``. Per cell the grid holds: the
/// endpoint count n and polluted count m, the distinct-trajectory count, the time weight τ and its
/// polluted part, Σ C·τ (CWT) and Σ log₂C·τ with its Σ τ over C > 0 (Seibert). Everything
/// ``cells(in:)`` reports is computed from these sums at the end, so grids of disjoint sets of
/// trajectories with equal settings ``merge(_:)`` into the grid of their union: counts exactly,
/// floating sums up to the order of addition (exactly when every partial sum is representable,
/// e.g. whole-number values, powers of two for Seibert).
///
/// ```swift
/// let settings = ReceptorGridSettings()                       // p75, 0.5°, openair weights
/// let c = try settings.resolveCriterion(trajectories: trajs, values: values)
/// var grid = try ReceptorGrid(settings: settings, criterionValue: c)
/// for (t, v) in zip(trajs, values) { try grid.add(trajectory: t, value: v) }
/// let rows = grid.cells(in: try GridBounds(parsing: "30,45,105,125"))
/// ```
///
/// Storage is sparse (non-empty cells only): a dictionary from an integer cell key to a slot in a
/// flat array, so gridding allocates only when a new cell appears.
public struct ReceptorGrid: Sendable {
    /// The settings every sum was accumulated under.
    public let settings: ReceptorGridSettings
    /// The resolved criterion: a trajectory is polluted when its value is above it (or at or
    /// above it, ``ReceptorGridSettings/PollutedTest/atOrAbove``), the values' unit.
    public let criterionValue: Double
    /// Trajectories added (skipped ones not included): N of the residence normalisations.
    public private(set) var trajectoryCount = 0
    /// Of those, trajectories whose value made them polluted.
    public private(set) var pollutedTrajectoryCount = 0
    /// Trajectories not added because their value equals ``ReceptorGridSettings/missingValue``.
    public private(set) var skippedTrajectoryCount = 0
    /// Trajectories added without a value (NaN or ``ReceptorGridSettings/missingValue``) under
    /// ``ReceptorGridSettings/countsMissingValues``: in n and τ, not in m, CWT or Seibert.
    /// Included in ``trajectoryCount``.
    public private(set) var missingValueTrajectoryCount = 0

    /// Sums of one cell.
    struct CellSums: Sendable, Equatable {
        var key: Int64
        var n = 0
        var m = 0
        var trajectories = 0
        /// The add serial of the last trajectory counted here (not part of the sums).
        var stamp = -1
        var tau = 0.0
        var tauPolluted = 0.0
        /// τ of trajectories with a value: CWT's denominator (equal to τ unless missing values count).
        var tauValue = 0.0
        var sumC = 0.0
        var sumLog = 0.0
        var tauLog = 0.0

        init(key: Int64) { self.key = key }

        @inline(__always) mutating func touch(_ serial: Int) {
            if stamp != serial {
                stamp = serial
                trajectories += 1
            }
        }

        /// One endpoint (τ = 1).
        @inline(__always) mutating func addEndpoint(_ c: Contribution, serial: Int) {
            n += 1
            tau += 1
            if c.hasValue {
                tauValue += 1
                sumC += c.value
            }
            if c.polluted {
                m += 1
                tauPolluted += 1
            }
            if c.hasLog {
                sumLog += c.log
                tauLog += 1
            }
            touch(serial)
        }

        /// An endpoint counted without time (segment mode).
        @inline(__always) mutating func countEndpoint(_ c: Contribution, serial: Int) {
            n += 1
            if c.polluted { m += 1 }
            touch(serial)
        }

        /// Time τ (hours) of a segment.
        @inline(__always) mutating func addTime(_ t: Double, _ c: Contribution, serial: Int) {
            tau += t
            if c.hasValue {
                tauValue += t
                sumC += c.value * t
            }
            if c.polluted { tauPolluted += t }
            if c.hasLog {
                sumLog += c.log * t
                tauLog += t
            }
            touch(serial)
        }

        mutating func absorb(_ o: CellSums) {
            n += o.n
            m += o.m
            trajectories += o.trajectories
            tau += o.tau
            tauPolluted += o.tauPolluted
            tauValue += o.tauValue
            sumC += o.sumC
            sumLog += o.sumLog
            tauLog += o.tauLog
        }

        func sameSums(_ o: CellSums) -> Bool {
            key == o.key && n == o.n && m == o.m && trajectories == o.trajectories
                && tau.bitPattern == o.tau.bitPattern && tauPolluted.bitPattern == o.tauPolluted.bitPattern
                && tauValue.bitPattern == o.tauValue.bitPattern
                && sumC.bitPattern == o.sumC.bitPattern && sumLog.bitPattern == o.sumLog.bitPattern
                && tauLog.bitPattern == o.tauLog.bitPattern
        }
    }

    /// What one trajectory adds to each of its cells.
    struct Contribution {
        var value: Double
        /// False for a trajectory counted without a value (``ReceptorGridSettings/countsMissingValues``).
        var hasValue = true
        var polluted: Bool
        var hasLog: Bool
        var log: Double
    }

    var sums: [CellSums] = []
    var slots: [Int64: Int] = [:]
    var serial = 0
    var lastKey = Int64.min
    var lastSlot = 0
    /// Per-endpoint cell keys of the trajectory being added (reused, so adding does not allocate).
    var scratch: [Int64] = []
    let resolution: Double
    let longitudeCells: Int
    let halfToEven: Bool

    static let skipKey = Int64.min

    /// An empty grid.
    /// - Parameters:
    ///   - settings: the conventions (checked).
    ///   - criterionValue: the resolved criterion (``ReceptorGridSettings/resolveCriterion(trajectories:values:)``).
    ///   - expectedCells: capacity to reserve, cells (a hint).
    /// - Throws: ``ReceptorGridError/invalidSetting(setting:value:requirement:)`` for bad settings
    ///   or a criterion value that is not finite.
    public init(settings: ReceptorGridSettings, criterionValue: Double, expectedCells: Int = 0) throws(ReceptorGridError) {
        try settings.validate()
        guard criterionValue.isFinite else {
            throw .invalidSetting(setting: "criterionValue", value: "\(criterionValue)", requirement: "a finite value")
        }
        self.settings = settings
        self.criterionValue = criterionValue
        resolution = settings.resolution
        longitudeCells = settings.longitudeCells
        halfToEven = settings.binning == .halfToEven
        if expectedCells > 0 {
            sums.reserveCapacity(expectedCells)
            slots.reserveCapacity(expectedCells)
        }
    }

    /// An empty grid whose criterion is a value (``ReceptorGridSettings/Criterion/value(_:)``).
    /// - Parameter settings: the conventions.
    /// - Throws: ``ReceptorGridError/unresolvedCriterion(percentile:)`` for a percentile
    ///   criterion, or the errors of ``init(settings:criterionValue:expectedCells:)``.
    public init(settings: ReceptorGridSettings) throws(ReceptorGridError) {
        switch settings.criterion {
        case .value(let v): try self.init(settings: settings, criterionValue: v)
        case .percentile(let p): throw .unresolvedCriterion(percentile: p)
        }
    }

    /// Number of non-empty cells (before any bounds clip).
    public var cellCount: Int { sums.count }
    /// True when no endpoint or segment time reached any cell.
    public var isEmpty: Bool { sums.isEmpty }
    /// Endpoints counted in all cells, Σ n.
    public var endpointCount: Int { sums.reduce(0) { $0 + $1.n } }

    /// True when `value` makes a trajectory polluted under these settings.
    /// - Parameter value: a receptor value, the criterion's unit.
    /// - Returns: whether it is polluted.
    public func isPolluted(_ value: Double) -> Bool {
        settings.pollutedTest == .above ? value > criterionValue : value >= criterionValue
    }

    // MARK: - Binning

    /// The largest longitude magnitude an endpoint may have, degrees (see ``check(_:keys:)``).
    static let maxLongitudeMagnitude = 100_000.0

    /// The lattice index of a coordinate in units of the resolution (see the *Receptor models* article in Upwind's documentation).
    @inline(__always) func index(_ x: Double) -> Int {
        if halfToEven { return Int(x.rounded(.toNearestOrEven)) }
        let f = x.rounded(.down)
        return Int(f) + (x - f >= 0.5 ? 1 : 0)
    }

    /// The cell key of a position (degrees): latitude index in the high 32 bits, longitude
    /// index (wrapped to centres in −180…180) in the low 32.
    @inline(__always) func key(latitude: Double, longitude: Double) -> Int64 {
        let i = index(latitude / resolution)
        var j = index(longitude / resolution)
        let n = longitudeCells
        if 2 * j >= n || 2 * j < -n {
            j %= n
            if j < 0 { j += n }
            if 2 * j >= n { j -= n }
        }
        return Int64(i) << 32 | Int64(UInt32(truncatingIfNeeded: j))
    }

    /// The centre (degrees) of a cell key.
    func centre(_ key: Int64) -> (latitude: Double, longitude: Double) {
        let i = Int(key >> 32), j = Int(Int32(truncatingIfNeeded: key))
        return (Double(i) * resolution, Double(j) * resolution)
    }

    @inline(__always) mutating func slot(_ key: Int64) -> Int {
        if key == lastKey { return lastSlot }
        let s: Int
        if let found = slots[key] {
            s = found
        } else {
            s = sums.count
            sums.append(CellSums(key: key))
            slots[key] = s
        }
        lastKey = key
        lastSlot = s
        return s
    }

    /// log₂ x for x > 0 from its binary exponent and significand, so that powers of two give
    /// whole numbers exactly (the Seibert sums then merge exactly); within a few ulps elsewhere.
    static func log2(_ x: Double) -> Double {
        Double(x.exponent) + Math.log(x.significand) / 0.693_147_180_559_945_3
    }

    // MARK: - Adding

    /// Adds one trajectory with its receptor value. A value equal to
    /// ``ReceptorGridSettings/missingValue`` (or NaN, which means missing) is skipped, or, under
    /// ``ReceptorGridSettings/countsMissingValues``, counted in n and τ only. Endpoints of age 0 count only with
    /// ``ReceptorGridSettings/includeAgeZero``; with ``ReceptorGridSettings/maxHeight`` only
    /// endpoints at or below the limit count (and, with segments, the part of each segment below
    /// it, heights and limits interpolated linearly along it).
    /// - Parameters:
    ///   - trajectory: the trajectory (positions in degrees, ages in hours).
    ///   - value: its receptor value C, the criterion's unit; NaN for a missing observation
    ///     (accepted only under ``ReceptorGridSettings/countsMissingValues``).
    /// - Throws: ``ReceptorGridError/invalidValue(trajectoryID:site:value:)`` (an infinite value,
    ///   or NaN without ``ReceptorGridSettings/countsMissingValues``),
    ///   ``ReceptorGridError/invalidEndpoint(trajectoryID:index:reason:)``,
    ///   ``ReceptorGridError/missingMixingDepth(trajectoryID:index:)``; the grid is unchanged
    ///   when it throws.
    public mutating func add(trajectory: Trajectory, value: Double) throws(ReceptorGridError) {
        let missing = value.isNaN || settings.missingValue.map { value == $0 } == true
        guard value.isFinite || (value.isNaN && settings.countsMissingValues) else {
            throw .invalidValue(trajectoryID: trajectory.id, site: trajectory.start.site, value: value)
        }
        if missing && !settings.countsMissingValues {
            skippedTrajectoryCount += 1
            return
        }
        var keys: [Int64] = []
        swap(&keys, &scratch)
        defer { swap(&keys, &scratch) }
        try check(trajectory, keys: &keys)
        let polluted = !missing && isPolluted(value)
        let hasLog = !missing && value > 0
        let contribution = Contribution(value: missing ? 0 : value, hasValue: !missing, polluted: polluted, hasLog: hasLog,
                                        log: hasLog ? ReceptorGrid.log2(value) : 0)
        trajectoryCount += 1
        if missing { missingValueTrajectoryCount += 1 }
        if polluted { pollutedTrajectoryCount += 1 }
        serial += 1
        let serial = self.serial
        if settings.segments {
            for k in keys.indices where keys[k] != ReceptorGrid.skipKey {
                sums[slot(keys[k])].countEndpoint(contribution, serial: serial)
            }
            rasterise(trajectory.endpoints, contribution, serial: serial)
        } else {
            for k in keys.indices where keys[k] != ReceptorGrid.skipKey {
                sums[slot(keys[k])].addEndpoint(contribution, serial: serial)
            }
        }
    }

    /// Checks every endpoint and writes the cell key of each counted endpoint (``skipKey`` for
    /// filtered ones) into `keys`, before anything is accumulated.
    func check(_ trajectory: Trajectory, keys: inout [Int64]) throws(ReceptorGridError) {
        keys.removeAll(keepingCapacity: true)
        keys.reserveCapacity(trajectory.endpoints.count)
        let includeAgeZero = settings.includeAgeZero
        let limit = settings.maxHeight
        for (k, e) in trajectory.endpoints.enumerated() {
            // Longitudes beyond ±100,000° (a corrupt file, not a path that circled the Earth) would
            // make cell indices beyond `Int` and segment rasterising that cannot advance.
            guard e.latitude.isFinite, e.longitude.isFinite, abs(e.latitude) <= 90, abs(e.longitude) <= ReceptorGrid.maxLongitudeMagnitude else {
                throw .invalidEndpoint(trajectoryID: trajectory.id, index: k,
                                       reason: "position \(e.latitude), \(e.longitude) is not a latitude within ±90 and a longitude within ±100000")
            }
            guard e.ageHours.isFinite else {
                throw .invalidEndpoint(trajectoryID: trajectory.id, index: k, reason: "age \(e.ageHours) h is not finite")
            }
            var counted = includeAgeZero || e.ageHours != 0
            if let limit {
                guard e.heightAGL.isFinite else {
                    throw .invalidEndpoint(trajectoryID: trajectory.id, index: k,
                                           reason: "height \(e.heightAGL) m AGL is not finite, which the height limit needs")
                }
                switch limit {
                case .metres(let h):
                    counted = counted && e.heightAGL <= h
                case .mixingDepth:
                    guard let md = e.diagnostics.mixingDepthM, md.isFinite else {
                        throw .missingMixingDepth(trajectoryID: trajectory.id, index: k)
                    }
                    counted = counted && e.heightAGL <= md
                }
            }
            keys.append(counted ? key(latitude: e.latitude, longitude: e.longitude) : ReceptorGrid.skipKey)
        }
    }

    /// The height limit at an endpoint, m AGL (checked finite by ``check(_:keys:)``).
    @inline(__always) func heightLimit(_ e: TrajectoryEndpoint) -> Double {
        switch settings.maxHeight {
        case .none: return .infinity
        case .metres(let h): return h
        case .mixingDepth: return e.diagnostics.mixingDepthM ?? -.infinity
        }
    }

    /// Adds the time of every segment between consecutive endpoints to the cells it crosses, in
    /// proportion to the length of the segment (in latitude–longitude, the longitude step taken
    /// the short way round) inside each cell (see the *Receptor models* article in Upwind's documentation).
    mutating func rasterise(_ endpoints: [TrajectoryEndpoint], _ c: Contribution, serial: Int) {
        guard endpoints.count > 1 else { return }
        let hasLimit = settings.maxHeight != nil
        for k in 0..<(endpoints.count - 1) {
            let a = endpoints[k], b = endpoints[k + 1]
            let hours = abs(b.ageHours - a.ageHours)
            guard hours > 0 else { continue }
            // The part of the segment, s in [s0, s1] of [0, 1], at or below the height limit.
            var s0 = 0.0, s1 = 1.0
            if hasLimit {
                let g0 = a.heightAGL - heightLimit(a), g1 = b.heightAGL - heightLimit(b)
                if g0 > 0 && g1 > 0 { continue }
                if g0 > 0 { s0 = g0 / (g0 - g1) }
                if g1 > 0 { s1 = g0 / (g0 - g1) }
            }
            segment(a, b, from: s0, to: s1, hours: hours, c, serial: serial)
        }
    }

    /// Rasterises the part [s0, s1] of the segment a→b lasting `hours`: cell edges lie at
    /// half-integers of position/resolution; the pieces between consecutive edge crossings each go
    /// to the cell of their midpoint.
    mutating func segment(_ a: TrajectoryEndpoint, _ b: TrajectoryEndpoint, from s0: Double, to s1: Double,
                          hours: Double, _ c: Contribution, serial: Int) {
        guard s1 > s0 else { return }
        var dlon = b.longitude - a.longitude
        dlon -= 360 * ((dlon + 180) / 360).rounded(.down)
        let dlat = b.latitude - a.latitude
        // Edge coordinates: u = lon/r + 0.5, v = lat/r + 0.5; edges at whole u, v.
        let u0 = a.longitude / resolution + 0.5, du = dlon / resolution
        let v0 = a.latitude / resolution + 0.5, dv = dlat / resolution
        // Next edge crossings after s0 along u and v, as edge numbers and steps.
        var ku = 0.0, stepU = 0.0, kv = 0.0, stepV = 0.0
        if du > 0 { ku = (u0 + s0 * du).rounded(.down) + 1; stepU = 1 }
        if du < 0 { ku = (u0 + s0 * du).rounded(.up) - 1; stepU = -1 }
        if dv > 0 { kv = (v0 + s0 * dv).rounded(.down) + 1; stepV = 1 }
        if dv < 0 { kv = (v0 + s0 * dv).rounded(.up) - 1; stepV = -1 }
        var s = s0
        while s < s1 {
            let su = stepU != 0 ? (ku - u0) / du : .infinity
            let sv = stepV != 0 ? (kv - v0) / dv : .infinity
            let next = min(su, sv, s1)
            if next > s {
                let mid = 0.5 * (s + next)
                let key = key(latitude: a.latitude + mid * dlat, longitude: a.longitude + mid * dlon)
                sums[slot(key)].addTime((next - s) * hours, c, serial: serial)
                s = next
            }
            if su <= next { ku += stepU }
            if sv <= next { kv += stepV }
        }
    }

    // MARK: - Merging

    /// Adds the sums of `other`, a grid of other trajectories under the same settings and
    /// criterion value (issue 10 item 3, DESIGN decision 8).
    /// - Parameter other: the grid to add.
    /// - Throws: ``ReceptorGridError/incompatibleMerge(difference:)`` naming the first difference
    ///   in settings or criterion value; the grid is unchanged when it throws.
    public mutating func merge(_ other: ReceptorGrid) throws(ReceptorGridError) {
        if let d = settings.difference(from: other.settings) { throw .incompatibleMerge(difference: d) }
        guard criterionValue.bitPattern == other.criterionValue.bitPattern else {
            throw .incompatibleMerge(difference: "criterionValue \(criterionValue) vs \(other.criterionValue)")
        }
        trajectoryCount += other.trajectoryCount
        pollutedTrajectoryCount += other.pollutedTrajectoryCount
        skippedTrajectoryCount += other.skippedTrajectoryCount
        missingValueTrajectoryCount += other.missingValueTrajectoryCount
        for o in other.sums {
            let s = slot(o.key)
            sums[s].absorb(o)
        }
    }

    /// `a` merged with `b` (see ``merge(_:)``).
    /// - Throws: ``ReceptorGridError/incompatibleMerge(difference:)``.
    public static func merged(_ a: ReceptorGrid, _ b: ReceptorGrid) throws(ReceptorGridError) -> ReceptorGrid {
        var out = a
        try out.merge(b)
        return out
    }

    // MARK: - Results

    /// The non-empty cells with every field (issue 10 item 3), sorted by latitude then
    /// longitude, optionally clipped to a box. Normalisations and weights use all cells (the
    /// clip changes only what is returned): N = ``trajectoryCount``, Στ and max τ over all cells,
    /// n̄ = the mean τ over cells with τ > 0.
    /// - Parameter bounds: a box on the cell centres, or nil for every cell.
    /// - Returns: the cells (empty for an empty grid).
    public func cells(in bounds: GridBounds? = nil) -> [ReceptorGridCell] {
        var totalTau = 0.0, maxTau = 0.0, timed = 0
        for c in sums where c.tau > 0 {
            totalTau += c.tau
            maxTau = max(maxTau, c.tau)
            timed += 1
        }
        let meanTau = timed > 0 ? totalTau / Double(timed) : .nan
        let n = Double(trajectoryCount)
        var out: [ReceptorGridCell] = []
        out.reserveCapacity(sums.count)
        let ordered = sums.sorted { a, b in
            let (ia, ib) = (a.key >> 32, b.key >> 32)
            return ia != ib ? ia < ib : Int32(truncatingIfNeeded: a.key) < Int32(truncatingIfNeeded: b.key)
        }
        for c in ordered {
            let (lat, lon) = centre(c.key)
            if let bounds, !bounds.contains(latitude: lat, longitude: lon) { continue }
            let residence: Double
            switch settings.residenceNormalisation {
            case .trajectories: residence = n > 0 ? 100 * Double(c.trajectories) / n : .nan
            case .endpointsPerTrajectory: residence = n > 0 ? 100 * c.tau / n : .nan
            case .endpoints: residence = totalTau > 0 ? 100 * c.tau / totalTau : .nan
            case .max: residence = maxTau > 0 ? 100 * c.tau / maxTau : .nan
            }
            let pscf = c.tau > 0 ? c.tauPolluted / c.tau : .nan
            let cwt = c.tauValue > 0 ? c.sumC / c.tauValue : .nan
            let wp = settings.pscfWeights.weight(for: .pscf, count: c.tau, meanCount: meanTau, trajectories: c.trajectories)
            let wc = settings.cwtWeights.weight(for: .cwt, count: c.tau, meanCount: meanTau, trajectories: c.trajectories)
            let seibert = c.tauLog > 0 ? Math.pow(2, c.sumLog / c.tauLog) : .nan
            out.append(ReceptorGridCell(latitude: lat, longitude: lon, nEndpoints: c.n, nPolluted: c.m,
                                        nTrajectories: c.trajectories, timeWeight: c.tau, residence: residence,
                                        pscf: pscf, pscfWeight: wp, wpscf: wp * pscf, cwt: cwt, cwtWeight: wc,
                                        wcwt: wc * cwt, seibert: seibert))
        }
        return out
    }
}

extension ReceptorGrid: Equatable {
    /// Equal settings, criterion value and counts, and the same sums in every cell (bit for bit),
    /// whatever order the cells were first reached in.
    public static func == (a: ReceptorGrid, b: ReceptorGrid) -> Bool {
        guard a.settings == b.settings, a.criterionValue.bitPattern == b.criterionValue.bitPattern,
              a.trajectoryCount == b.trajectoryCount, a.pollutedTrajectoryCount == b.pollutedTrajectoryCount,
              a.skippedTrajectoryCount == b.skippedTrajectoryCount,
              a.missingValueTrajectoryCount == b.missingValueTrajectoryCount, a.sums.count == b.sums.count else { return false }
        for c in a.sums {
            guard let s = b.slots[c.key], b.sums[s].sameSums(c) else { return false }
        }
        return true
    }
}
