import UpwindCore

/// Matches fire points to trajectory endpoints and scores trajectories, fires and hotspot
/// events (issue 11 item 2; see the *Fire matching* article in Upwind's documentation).
///
/// Fire f matches endpoint k of trajectory l under the rule of ``FireMatchSettings`` (distance
/// d ≤ r, t_k − 12 h ≤ t_f ≤ t_k + 3 h, height AGL ≤ mixing depth or 1500 m, age ≠ 0 by
/// default). The pair scores
///
///     s_lf = Σ_k  w_conf(f) · FRP_f · exp(−d_kf² / (2 r²))      (MW; d, r in km)
///
/// over the endpoints k of l that match f, summed in endpoint order, with w_conf from
/// ``FireConfidence/weight`` (MODIS c/100; VIIRS low 0.3, nominal 0.8, high 1.0). From these:
/// S_l = Σ_f s_lf per trajectory, Σ_l s_lf over polluted trajectories per fire, and Σ S_l over
/// each hotspot event's trajectories (``FireMatchResult``).
///
/// The fires are indexed once, when the matcher is made: 0.25° latitude–longitude bins over the
/// globe, the fires of a bin sorted by time. An endpoint examines every bin that can hold a fire
/// within r: the latitudes φ ± r/R, and the longitudes λ ± asin(sin(r/R)/cos φ), taken across
/// the ±180° meridian as needed, or every longitude when the circle holds a pole; in each bin
/// only the fires inside the time window, found by binary search. The result is exactly the
/// pairs the rule selects (the tests compare it with checking every fire against every
/// endpoint).
///
/// ```swift
/// let matcher = try FireMatcher(fires: fires, settings: FireMatchSettings(includeAgeZero: gridSettings.includeAgeZero))
/// let result = await matcher.match(trajectories: trajectories, polluted: polluted,
///                                  eventOfTrajectory: eventIndex, eventCount: events.count)
/// ```
public struct FireMatcher: Sendable {
    /// The settings.
    public let settings: FireMatchSettings
    /// The fires, in the order given (fire indices in results refer to it).
    public let fires: [FirePoint]

    /// Bin size, degrees of latitude and longitude.
    public static let binDegrees = 0.25
    /// Trajectories matched per task by ``match(trajectories:polluted:eventOfTrajectory:eventCount:maxConcurrency:)``.
    public static let chunkTrajectories = 256
    /// The sphere's radius for distances, km (`Earth.radius` / 1000).
    public static let earthRadiusKm = Earth.radius / 1000

    static let columns = 1440
    static let rows = 720
    /// Degrees added around the bins an endpoint examines, so that rounding never hides a fire
    /// on the circle's edge (≈ 0.1 m).
    static let marginDegrees = 1e-6

    /// The first bin row holding a fire, and the number of rows from it to the last one.
    let firstRow: Int
    let rowCount: Int
    /// Offsets into the sorted fire arrays of each bin (row-major from ``firstRow``), plus the end.
    let binStart: [Int32]
    /// The fires in bin order, then time order (then input order): their times as seconds after
    /// ``earliest`` (a small array, so the binary searches stay in cache), what the inner loop
    /// reads of them, and their input positions.
    let times: [Int32]
    let records: [Record]
    let original: [Int32]

    /// A fire's unit vector and weight w_conf·FRP (MW), in one 32-byte record.
    struct Record: Sendable {
        var x: Double
        var y: Double
        var z: Double
        var weight: Double
    }
    /// The earliest and latest fire times, s since 1970 (0 and −1 without fires).
    let earliest: Int64
    let latest: Int64

    /// Indexes the fires.
    /// - Parameters:
    ///   - fires: the fire points (latitudes within ±90°, finite longitudes, FRP finite and ≥ 0,
    ///     MODIS confidence 0–100).
    ///   - settings: the matching rule (checked).
    /// - Throws: ``FireMatchError/invalidSetting(setting:value:requirement:)`` for bad settings,
    ///   ``FireMatchError/invalidFire(index:id:reason:)`` for the first bad fire (also one more than
    ///   68 years from an earlier fire of the list, as times are indexed in 32-bit seconds).
    public init(fires: [FirePoint], settings: FireMatchSettings = FireMatchSettings()) throws(FireMatchError) {
        try settings.validate()
        guard fires.count < Int(Int32.max) else {
            throw .invalidSetting(setting: "fires", value: "\(fires.count) fires", requirement: "fewer than 2,147,483,647")
        }
        var cells = [Int](repeating: 0, count: fires.count)
        var lowRow = Int.max, highRow = Int.min
        var earliest = Int64.max, latest = Int64.min
        for (i, f) in fires.enumerated() {
            guard f.latitude.isFinite, abs(f.latitude) <= 90, f.longitude.isFinite else {
                throw .invalidFire(index: i, id: f.id, reason: "position \(f.latitude), \(f.longitude) is not a latitude within ±90° and a finite longitude")
            }
            guard f.frpMW.isFinite, f.frpMW >= 0 else {
                throw .invalidFire(index: i, id: f.id, reason: "fire radiative power \(f.frpMW) MW is not a finite number ≥ 0")
            }
            guard f.confidence.isValid else {
                throw .invalidFire(index: i, id: f.id, reason: "confidence \(f.confidence) % is outside 0–100")
            }
            earliest = min(earliest, f.time.secondsSince1970)
            latest = max(latest, f.time.secondsSince1970)
            let (span, overflow) = latest.subtractingReportingOverflow(earliest)
            guard !overflow, span <= Int64(Int32.max) else {
                throw .invalidFire(index: i, id: f.id, reason: "its time \(f.time.iso8601) is more than 68 years from another fire's")
            }
            let row = FireMatcher.row(f.latitude)
            lowRow = min(lowRow, row)
            highRow = max(highRow, row)
            cells[i] = row * FireMatcher.columns + FireMatcher.column(f.longitude)
        }
        self.settings = settings
        self.fires = fires
        guard !fires.isEmpty else {
            firstRow = 0
            rowCount = 0
            binStart = [0]
            times = []; records = []; original = []
            self.earliest = 0
            self.latest = -1
            return
        }
        firstRow = lowRow
        rowCount = highRow - lowRow + 1
        let binCount = rowCount * FireMatcher.columns
        let base = lowRow * FireMatcher.columns
        // Counting sort by bin, then each bin sorted by time (stable: input order breaks ties).
        var start = [Int32](repeating: 0, count: binCount + 1)
        for c in cells { start[c - base + 1] += 1 }
        for b in 0..<binCount { start[b + 1] += start[b] }
        var order = [Int32](repeating: 0, count: fires.count)
        var fill = start
        for (i, c) in cells.enumerated() {
            let b = c - base
            order[Int(fill[b])] = Int32(i)
            fill[b] += 1
        }
        for b in 0..<binCount where start[b + 1] - start[b] > 1 {
            let range = Int(start[b])..<Int(start[b + 1])
            let sorted = order[range].sorted { fires[Int($0)].time != fires[Int($1)].time ? fires[Int($0)].time < fires[Int($1)].time : $0 < $1 }
            order.replaceSubrange(range, with: sorted)
        }
        var times = [Int32](), records = [Record]()
        times.reserveCapacity(fires.count)
        records.reserveCapacity(fires.count)
        for i in order {
            let f = fires[Int(i)]
            let u = Geodesy.unitVector(latitude: f.latitude, longitude: f.longitude)
            times.append(Int32(f.time.secondsSince1970 - earliest))
            records.append(Record(x: u.x, y: u.y, z: u.z, weight: f.confidence.weight * f.frpMW))
        }
        binStart = start
        self.times = times
        self.records = records
        original = order
        self.earliest = earliest
        self.latest = latest
    }

    // MARK: - Geometry

    /// The great-circle distance between two points, km, on a sphere of radius
    /// ``earthRadiusKm``: the haversine distance, evaluated in its chord form from unit vectors
    /// u (hav θ = |u₁ − u₂|²/4, so d = 2R·asin(|u₁ − u₂|/2)), accurate to about 1e-9 km at all
    /// distances. This is the d of the matching rule and the score kernel, bit for bit.
    /// - Parameters:
    ///   - latitude1: degrees north.
    ///   - longitude1: degrees east.
    ///   - latitude2: degrees north.
    ///   - longitude2: degrees east.
    /// - Returns: the distance, km.
    public static func distanceKm(latitude1: Double, longitude1: Double, latitude2: Double, longitude2: Double) -> Double {
        let a = Geodesy.unitVector(latitude: latitude1, longitude: longitude1)
        let b = Geodesy.unitVector(latitude: latitude2, longitude: longitude2)
        return chordDistanceKm(squaredChord(a.x - b.x, a.y - b.y, a.z - b.z))
    }

    @inline(__always) static func squaredChord(_ dx: Double, _ dy: Double, _ dz: Double) -> Double {
        dx * dx + dy * dy + dz * dz
    }

    @inline(__always) static func chordDistanceKm(_ squaredChord: Double) -> Double {
        2 * earthRadiusKm * Math.asin(min(1, squaredChord.squareRoot() / 2))
    }

    /// The kernel's share of a match at distance d: exp(−d²/(2r²)), d and r in km.
    /// - Parameters:
    ///   - d: the distance, km.
    ///   - r: the radius, km.
    /// - Returns: the kernel value, 0…1.
    @inline(__always) public static func kernel(distanceKm d: Double, radiusKm r: Double) -> Double {
        Math.exp(-(d * d) / (2 * r * r))
    }

    /// The bin row of a latitude (degrees), 0 at −90°; 90° falls in the last row.
    @inline(__always) static func row(_ latitude: Double) -> Int {
        min(rows - 1, max(0, Int(((latitude + 90) / binDegrees).rounded(.down))))
    }

    /// The bin column of a longitude (degrees, any), 0 at −180°.
    @inline(__always) static func column(_ longitude: Double) -> Int {
        let c = Int(((Geodesy.normalizedLongitude(longitude) + 180) / binDegrees).rounded(.down))
        return min(columns - 1, max(0, c))
    }

    // MARK: - Matching

    /// Matches every trajectory's endpoints with the fires and scores trajectories, fires and
    /// events (see ``FireMatchResult`` for the formulas). Endpoints whose position, height or
    /// mixing depth is not finite never match (a missing mixing depth uses the fallback height).
    /// Trajectories are matched in fixed chunks of ``chunkTrajectories`` concurrently; the
    /// result is bit for bit the same for every `maxConcurrency`.
    /// - Parameters:
    ///   - trajectories: the trajectories (positions in degrees, heights m AGL).
    ///   - polluted: whether each trajectory is polluted, same order (only polluted ones add to
    ///     fire scores).
    ///   - eventOfTrajectory: each trajectory's hotspot event as a 0-based index below
    ///     `eventCount`, or nil, same order.
    ///   - eventCount: the number of hotspot events.
    ///   - maxConcurrency: chunks matched at once (default 2; 1 = serial).
    /// - Returns: the scores.
    /// - Precondition: `polluted` and `eventOfTrajectory` have one entry per trajectory, and
    ///   every event index is in 0..<eventCount.
    public func match(trajectories: [Trajectory], polluted: [Bool], eventOfTrajectory: [Int?], eventCount: Int,
                      maxConcurrency: Int = 2) async -> FireMatchResult {
        precondition(polluted.count == trajectories.count, "one polluted flag per trajectory")
        precondition(eventOfTrajectory.count == trajectories.count, "one event entry per trajectory")
        precondition(eventCount >= 0 && eventOfTrajectory.allSatisfy { $0.map { (0..<eventCount).contains($0) } ?? true },
                     "event indices within 0..<eventCount")
        let size = FireMatcher.chunkTrajectories
        let chunks = stride(from: 0, to: trajectories.count, by: size).map { $0..<min($0 + size, trajectories.count) }
        var parts = [Chunk?](repeating: nil, count: chunks.count)
        if maxConcurrency <= 1 || chunks.count < 2 {
            for (k, r) in chunks.enumerated() { parts[k] = matchChunk(trajectories, r) }
        } else {
            await withTaskGroup(of: (Int, Chunk).self) { group in
                var next = 0
                while next < min(maxConcurrency, chunks.count) {
                    let k = next, r = chunks[k]
                    group.addTask { (k, self.matchChunk(trajectories, r)) }
                    next += 1
                }
                while let (k, part) = await group.next() {
                    parts[k] = part
                    if next < chunks.count {
                        let k2 = next, r2 = chunks[k2]
                        group.addTask { (k2, self.matchChunk(trajectories, r2)) }
                        next += 1
                    }
                }
            }
        }
        var contributions: [FireContribution] = []
        contributions.reserveCapacity(parts.reduce(0) { $0 + ($1?.contributions.count ?? 0) })
        var perTrajectory: [Double] = []
        perTrajectory.reserveCapacity(trajectories.count)
        for part in parts {
            guard let part else { continue }
            contributions.append(contentsOf: part.contributions)
            perTrajectory.append(contentsOf: part.perTrajectory)
        }
        return summarise(contributions: contributions, perTrajectory: perTrajectory, polluted: polluted,
                         eventOfTrajectory: eventOfTrajectory, eventCount: eventCount)
    }

    /// The contributions and S_l of one chunk of trajectories.
    struct Chunk: Sendable {
        var contributions: [FireContribution] = []
        var perTrajectory: [Double] = []
    }

    /// The per-fire and per-event sums.
    func summarise(contributions: [FireContribution], perTrajectory: [Double], polluted: [Bool], eventOfTrajectory: [Int?],
                   eventCount: Int) -> FireMatchResult {
        var perFire = [FireSummary](repeating: FireSummary(), count: fires.count)
        // Contributions are grouped by trajectory: the range of each.
        var first = [Int](repeating: 0, count: perTrajectory.count + 1)
        for c in contributions {
            first[c.trajectory + 1] += 1
            perFire[c.fire].matchedTrajectories += 1
            if polluted[c.trajectory] {
                perFire[c.fire].matchedPollutedTrajectories += 1
                perFire[c.fire].score += c.score
            }
        }
        for l in 0..<perTrajectory.count { first[l + 1] += first[l] }
        var perEvent = [Double](repeating: 0, count: eventCount)
        var members = [[Int]](repeating: [], count: eventCount)
        for (l, e) in eventOfTrajectory.enumerated() {
            guard let e else { continue }
            members[e].append(l)
            perEvent[e] += perTrajectory[l]
        }
        // Distinct events per fire: the last event that counted each fire.
        var stamp = [Int](repeating: -1, count: fires.count)
        for (e, list) in members.enumerated() {
            for l in list {
                for c in contributions[first[l]..<first[l + 1]] where stamp[c.fire] != e {
                    stamp[c.fire] = e
                    perFire[c.fire].matchedEvents += 1
                }
            }
        }
        return FireMatchResult(settings: settings, contributions: contributions, perTrajectory: perTrajectory,
                               perFire: perFire, perEvent: perEvent)
    }

    /// Matches the trajectories in `range`.
    func matchChunk(_ trajectories: [Trajectory], _ range: Range<Int>) -> Chunk {
        var chunk = Chunk()
        chunk.perTrajectory.reserveCapacity(range.count)
        guard !fires.isEmpty else {
            chunk.perTrajectory = [Double](repeating: 0, count: range.count)
            return chunk
        }
        // Accumulators of the current trajectory per fire (by position in `records`, so that fires
        // near each other in space are near in memory), and the fires it touched (input positions
        // in the high 32 bits, record positions in the low 32, so sorting orders by input position).
        var score = [Double](repeating: 0, count: fires.count)
        var count = [Int32](repeating: 0, count: fires.count)
        var touched: [Int64] = []
        let r = settings.radiusKm
        let twoR2 = 2 * r * r
        let alpha = r / FireMatcher.earthRadiusKm
        let alphaDegrees = alpha / Geodesy.radiansPerDegree
        let chord = 2 * Math.sin(alpha / 2)
        let chordLimit = chord * chord * (1 + 1e-9)
        let sinAlpha = Math.sin(alpha)
        let before = Int64((settings.hoursBefore * 3600).rounded(.down))
        let after = Int64((settings.hoursAfter * 3600).rounded(.down))
        let fallback = settings.fallbackMaxHeightM
        let includeAgeZero = settings.includeAgeZero
        let margin = FireMatcher.marginDegrees
        let columns = FireMatcher.columns, bin = FireMatcher.binDegrees
        let lastRow = firstRow + rowCount - 1
        times.withUnsafeBufferPointer { times in
        records.withUnsafeBufferPointer { records in
        original.withUnsafeBufferPointer { original in
        binStart.withUnsafeBufferPointer { binStart in
            for l in range {
                for e in trajectories[l].endpoints {
                    if !includeAgeZero && e.ageHours == 0 { continue }
                    let lat = e.latitude, lon = e.longitude
                    guard lat.isFinite, lon.isFinite, abs(lat) <= 90 else { continue }
                    var limit = fallback
                    if let md = e.diagnostics.mixingDepthM, md.isFinite { limit = md }
                    guard e.heightAGL <= limit else { continue }
                    let tk = e.time.secondsSince1970
                    let low = tk - before, high = tk + after
                    guard high >= earliest, low <= latest else { continue }
                    // The window in seconds after `earliest`, within Int32 (the guard bounds it).
                    let lowAfter = Int32(max(low - earliest, -1)), highAfter = Int32(min(high - earliest, Int64(Int32.max)))
                    let south = lat - alphaDegrees - margin, north = lat + alphaDegrees + margin
                    let rowLow = max(firstRow, FireMatcher.row(south)), rowHigh = min(lastRow, FireMatcher.row(north))
                    guard rowLow <= rowHigh else { continue }
                    let u = Geodesy.unitVector(latitude: lat, longitude: lon)
                    var columnLow = 0, columnHigh = columns - 1
                    if south > -90 && north < 90 {
                        // sin α / cos φ, cos φ taken from the unit vector (the margin covers its rounding).
                        let s = sinAlpha / (u.x * u.x + u.y * u.y).squareRoot()
                        if s < 1 {
                            let half = Math.asin(s) / Geodesy.radiansPerDegree + margin
                            if half < 180 {
                                let centre = Geodesy.normalizedLongitude(lon) + 180
                                columnLow = Int(((centre - half) / bin).rounded(.down))
                                columnHigh = Int(((centre + half) / bin).rounded(.down))
                                if columnHigh - columnLow + 1 >= columns { columnLow = 0; columnHigh = columns - 1 }
                            }
                        }
                    }
                    for row in rowLow...rowHigh {
                        let rowBase = (row - firstRow) * columns
                        for c in columnLow...columnHigh {
                            var column = c
                            if column < 0 { column += columns } else if column >= columns { column -= columns }
                            let b = rowBase + column
                            var i = Int(binStart[b])
                            let end = Int(binStart[b &+ 1])
                            guard i < end else { continue }
                            // First fire of the bin at or after `low`.
                            var n = end &- i
                            while n > 0 {
                                let h = n &>> 1
                                if times[i &+ h] < lowAfter { i &+= h &+ 1; n &-= h &+ 1 } else { n = h }
                            }
                            while i < end {
                                if times[i] > highAfter { break }
                                let f = records[i]
                                let q = FireMatcher.squaredChord(u.x - f.x, u.y - f.y, u.z - f.z)
                                if q <= chordLimit {
                                    let d = FireMatcher.chordDistanceKm(q)
                                    if d <= r {
                                        if count[i] == 0 { touched.append(Int64(original[i]) << 32 | Int64(i)) }
                                        count[i] &+= 1
                                        score[i] += f.weight * Math.exp(-(d * d) / twoR2)
                                    }
                                }
                                i &+= 1
                            }
                        }
                    }
                }
                touched.sort()
                var total = 0.0
                for key in touched {
                    let i = Int(truncatingIfNeeded: key & 0xFFFF_FFFF), f = Int(key >> 32)
                    chunk.contributions.append(FireContribution(trajectory: l, fire: f, score: score[i], endpoints: Int(count[i])))
                    total += score[i]
                    score[i] = 0
                    count[i] = 0
                }
                touched.removeAll(keepingCapacity: true)
                chunk.perTrajectory.append(total)
            }
        }}}}
        return chunk
    }
}
