/// A start the engine could not run, and why.
public struct SkippedStart: Sendable, Equatable {
    /// The start.
    public var start: TrajectoryStart
    /// Why it is outside the met coverage.
    public var reason: String
}

/// The result of a run: trajectories in start order, and starts skipped with
/// ``TrajectoryOptions/skipInvalidStarts``.
public struct TrajectoryRun: Sendable {
    /// Computed trajectories.
    public var trajectories: [Trajectory]
    /// Starts that were outside the met coverage.
    public var skipped: [SkippedStart]
}

/// Integrates 3-D trajectories through a ``WindField`` (see the *Trajectory integration* article in Upwind's documentation): HYSPLIT's
/// Heun scheme with the TRATIO step rule or RK4, linear interpolation in space and time,
/// hourly endpoints, start heights in m AGL, ground clip-and-continue, model top, and a
/// termination reason for every trajectory that stops early.
///
/// ```swift
/// let engine = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: -72))
/// let run = try engine.run([TrajectoryStart(site: "ZZ", latitude: 34.75, longitude: 113.65,
///                                           height: 500, time: t0)])
/// ```
public struct TrajectoryEngine: Sendable {
    /// The met.
    public let field: any WindField
    /// How to integrate.
    public let options: TrajectoryOptions
    let sampler: Sampler
    let times: [Double]
    /// The field's provenance, read once and stamped on every trajectory.
    let metProvenance: MetProvenance?
    /// The specialised evaluation for regular lat-lon grids on isobaric or single levels.
    let kernel: RegularKernel?
    /// Owns the memory of ``kernel``'s levels (freed with the last copy of this engine): the
    /// kernel is used only through an engine, which holds both.
    let kernelLevels: ReadOnlyBuffer<Double>?
    /// False to force the general path everywhere (tests compare the two).
    var usesFastPath = true

    /// Prepares an engine.
    /// - Throws: ``TrajectoryError`` for inconsistent options or when the met lacks what the
    ///   vertical mode needs (ω for `data`, temperature for `isentropic`).
    public init(field: any WindField, options: TrajectoryOptions) throws {
        try options.validate()
        guard !field.times.isEmpty else { throw TrajectoryError.invalidOptions("the met has no times") }
        self.field = field
        self.options = options
        sampler = Sampler(grid: field.grid, levels: field.levels)
        if let made = RegularKernel.make(sampler) {
            kernel = made.kernel
            kernelLevels = made.levels
        } else {
            kernel = nil
            kernelLevels = nil
        }
        times = field.times.map { Double($0.secondsSince1970) }
        metProvenance = field.provenance
        if case .single = field.levels { return }
        let first = try field.slice(at: 0)
        if options.verticalMode == .data && !first.has(.omega) {
            throw TrajectoryError.missingField(field: "vertical velocity (omega or w)", mode: "vertical mode data",
                                               hint: "choose the isobaric, isentropic or height vertical mode, or add the vertical velocity to the met")
        }
        if options.verticalMode == .isentropic && !first.has(.temperature) {
            throw TrajectoryError.missingField(field: "temperature", mode: "vertical mode isentropic", hint: "add air temperature to the met or choose another vertical mode")
        }
    }

    // MARK: - Run

    /// Checks every start against the met coverage, then integrates each one.
    /// - Throws: ``TrajectoryError/startsOutsideCoverage(starts:coverage:)`` listing every bad
    ///   start (unless ``TrajectoryOptions/skipInvalidStarts``), or a read error from the field.
    public func run(_ starts: [TrajectoryStart]) throws -> TrajectoryRun {
        var valid: [(Int, TrajectoryStart)] = []
        var skipped: [SkippedStart] = []
        for (n, s) in starts.enumerated() {
            if let problem = try check(s) { skipped.append(SkippedStart(start: s, reason: problem)) } else { valid.append((n, s)) }
        }
        if !skipped.isEmpty && !options.skipInvalidStarts {
            throw TrajectoryError.startsOutsideCoverage(starts: skipped.map { describe($0.start) + ": " + $0.reason }, coverage: coverage)
        }
        var out: [Trajectory] = []
        out.reserveCapacity(valid.count)
        for (id, (_, s)) in valid.enumerated() {
            out.append(try integrate(s, id: id + 1))
        }
        return TrajectoryRun(trajectories: out, skipped: skipped)
    }

    /// The met coverage in words.
    public var coverage: String {
        let t = "\(field.times.first?.iso8601 ?? "?")…\(field.times.last?.iso8601 ?? "?")"
        if let g = field.grid as? LatLonGrid {
            let west = g.longitudes.first.map(Self.displayLongitude) ?? .nan
            let east = g.longitudes.last.map(Self.displayLongitude) ?? .nan
            return "times \(t), latitude \(g.latitudes.first ?? .nan)…\(g.latitudes.last ?? .nan), \(g.isGlobal ? "all longitudes (global)" : "longitude \(west)…\(east)")"
        }
        if let g = field.grid as? CurvilinearGrid {
            let lat = g.latitudeRange, lon = g.longitudeRange
            return "times \(t), a \(g.nx)×\(g.ny) curvilinear grid within latitude \(lat.min)…\(lat.max), longitude \(Self.displayLongitude(lon.min))…\(Self.displayLongitude(lon.max))"
        }
        return "times \(t), a \(field.grid.nx)×\(field.grid.ny) projected grid"
    }

    /// A start in words, its longitude in −180…180 (the caller's convention, whatever the met's).
    func describe(_ s: TrajectoryStart) -> String {
        "\(s.site) \(s.latitude),\(Self.displayLongitude(s.longitude)) \(s.height) m \(s.heightIsMSL ? "MSL" : "AGL") at \(s.time.iso8601)"
    }

    /// A longitude for messages: in −180…180, without float noise from the normalisation.
    static func displayLongitude(_ lon: Double) -> Double {
        guard lon.isFinite else { return lon }
        let n = Geodesy.normalizedLongitude(lon)
        return (n * 1e6).rounded() / 1e6
    }

    /// Why a start cannot run, or nil when it can.
    func check(_ s: TrajectoryStart) throws -> String? {
        let t = Double(s.time.secondsSince1970)
        guard s.latitude.isFinite, s.longitude.isFinite, abs(s.latitude) <= 90 else { return "not a valid position" }
        guard s.height.isFinite else { return "not a valid height" }
        guard let first = times.first, let last = times.last, t >= first, t <= last else { return "time outside the met" }
        do {
            let st = try sampler.stencil(latitude: s.latitude, longitude: s.longitude)
            _ = try startPressure(s, stencil: st)
        } catch let f as SampleFailure {
            switch f.reason {
            case .leftDomain: return "outside the met grid"
            case .missingData: return "missing met data at the start"
            case .hitTop: return "above the top of the met data"
            default: return "cannot start (\(f.reason.rawValue))"
            }
        }
        return nil
    }

    // MARK: - Slices

    /// Where the engine gets slices from: a per-trajectory cache, or a sweep's shared window.
    protocol SliceSource {
        func get(_ i: Int) throws -> GridSlice
        /// Non-nil when the source keeps the slices ``raw(_:)`` hands out alive, unchanged,
        /// for as long as this number stays the source's generation (a sweep's window).
        var generation: Int? { get }
        /// The unmanaged buffers of slice `i` when the source holds it (no reference counting).
        func raw(_ i: Int) -> RawSlice?
    }

    /// A small per-trajectory cache in front of the field.
    final class Slices: SliceSource {
        let field: any WindField
        var cache: [Int: GridSlice] = [:]
        init(field: any WindField) { self.field = field }
        func get(_ i: Int) throws -> GridSlice {
            if let s = cache[i] { return s }
            let s = try field.slice(at: i)
            if cache.count >= 4 { cache.removeAll(keepingCapacity: true) }
            cache[i] = s
            return s
        }
        /// Slices may be evicted: the bracket cache holds what it uses.
        var generation: Int? { nil }
        func raw(_ i: Int) -> RawSlice? { nil }
    }

    /// The slices bracketing absolute time `t` (s).
    func bracket(_ t: Double, _ slices: some SliceSource) throws -> Bracket {
        guard let first = times.first, let last = times.last, t >= first, t <= last else { throw SampleFailure(reason: .outOfMetTime) }
        if times.count == 1 {
            let s = try slices.get(0)
            return Bracket(first: s, second: s, weight: 0)
        }
        let (lo, hi) = bracketIndices(t)
        let w = (t - times[lo]) / (times[hi] - times[lo])
        let a = try slices.get(lo)
        if w == 0 { return Bracket(first: a, second: a, weight: 0) }
        if w == 1 { let b = try slices.get(hi); return Bracket(first: b, second: b, weight: 0) }
        return Bracket(first: a, second: try slices.get(hi), weight: w)
    }

    /// The last bracketing pair of slices a trajectory used, so consecutive evaluations in
    /// the same met interval need no lookups. Owned by one trajectory (its ``ParcelRun``) and
    /// so used by one task at a time (not `Sendable`: a sweep's `Chunk` moves parcels between
    /// tasks under its lock); emptied when the trajectory ends.
    final class BracketCache {
        var lo = -1, hi = -1
        var first: GridSlice?
        var second: GridSlice?
        /// Unmanaged views of `first` and `second` (valid while they are held here).
        var rawFirst: RawSlice?
        var rawSecond: RawSlice?
        /// The interval before the current one, kept alive so a step that crosses a met time
        /// can still read the unmanaged buffers of the interval it started in.
        var previous: (GridSlice?, GridSlice?)
        /// The source generation the unmanaged buffers belong to (−1: held by this cache).
        var generation = -1

        /// Drops the slices (the trajectory has ended).
        func clear() {
            lo = -1; hi = -1; first = nil; second = nil; rawFirst = nil; rawSecond = nil; previous = (nil, nil); generation = -1
        }
    }

    /// The bracketing buffers for `t`, with no reference counting once `cache` holds them.
    @inline(__always)
    func rawBracket(_ t: Double, _ slices: some SliceSource, cache: BracketCache) throws -> RawBracket {
        try rawInterval(t, slices, cache: cache).bracket(t)
    }

    /// Points `cache` at the met interval containing `t` unless it already does (for the
    /// source's current generation). From a sweep's window the cache keeps only unmanaged
    /// buffers (the window keeps the slices alive; no reference counting); otherwise it holds
    /// the slices, and the previous interval's, itself.
    @inline(__always)
    func refresh(_ t: Double, _ slices: some SliceSource, cache: BracketCache) throws {
        let generation = slices.generation ?? -1
        if cache.lo >= 0, cache.generation == generation, t >= times[cache.lo], t <= times[cache.hi] { return }
        guard let first = times.first, let last = times.last, t >= first, t <= last else { throw SampleFailure(reason: .outOfMetTime) }
        let (lo, hi) = times.count == 1 ? (0, 0) : bracketIndices(t)
        if slices.generation != nil, let ra = slices.raw(lo), let rb = slices.raw(hi) {
            // Slices the cache held (not from the window) stay held one interval longer: a step
            // that began in them still reads their buffers.
            if cache.first != nil { cache.previous = (cache.first, cache.second); cache.first = nil; cache.second = nil }
            cache.rawFirst = ra; cache.rawSecond = rb
            cache.generation = generation
        } else {
            let a = try slices.get(lo)
            let b = lo == hi ? a : try slices.get(hi)
            cache.previous = (cache.first, cache.second)
            cache.first = a; cache.second = b
            cache.rawFirst = a.storage.raw; cache.rawSecond = b.storage.raw
            // Held by the cache itself: valid whatever the source's generation.
            cache.generation = generation
        }
        cache.lo = lo; cache.hi = hi
    }

    /// The slices bracketing `t`, reusing `cache` while `t` stays in the same met interval.
    @inline(__always)
    func bracket(_ t: Double, _ slices: some SliceSource, cache: BracketCache) throws -> Bracket {
        try refresh(t, slices, cache: cache)
        let a = try cache.first ?? slices.get(cache.lo)
        if cache.lo == cache.hi { return Bracket(first: a, second: a, weight: 0) }
        let b = try cache.second ?? slices.get(cache.hi)
        return Bracket(first: a, second: b, weight: (t - times[cache.lo]) / (times[cache.hi] - times[cache.lo]))
    }

    /// Indices of the met times bracketing `t` (clamped to the ends).
    func bracketIndices(_ t: Double) -> (Int, Int) {
        var lo = 0, hi = times.count - 1
        if t <= times[0] { return (0, min(1, hi)) }
        if t >= times[hi] { return (max(hi - 1, 0), hi) }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid } else { hi = mid }
        }
        return (lo, hi)
    }

    func startPressure(_ s: TrajectoryStart, stencil: Stencil) throws -> (pressure: Double, column: Column) {
        let slices = Slices(field: field)
        let b = try bracket(Double(s.time.secondsSince1970), slices)
        let col = try sampler.column(b, stencil: stencil)
        if col.isSingleLevel { return (.nan, col) }
        let agl = s.heightIsMSL ? max(0, s.height - col.terrain) : max(0, s.height)
        return (col.pressure(heightAGL: agl), col)
    }

    // MARK: - Integration

    /// Integrates one start (already checked) into a trajectory.
    /// - Parameters:
    ///   - start: where and when the trajectory starts.
    ///   - id: the trajectory's id (1-based).
    ///   - member: ensemble member (1–27, see ``EnsembleOffset``) or 0.
    /// - Throws: read errors from the field only; early stops are recorded in ``Trajectory/termination``.
    public func integrate(_ start: TrajectoryStart, id: Int, member: Int = 0) throws -> Trajectory {
        let slices = Slices(field: field)
        var run = try begin(start, id: id, member: member, slices: slices)
        while run.termination == nil { try advance(&run, slices: slices) }
        return run.trajectory
    }

    /// A trajectory being integrated: resumable one output interval at a time, so a sweep
    /// can advance a whole population through each met time window together.
    struct ParcelRun {
        var trajectory: Trajectory
        var state: ParcelState
        var umax: Double
        var intervalsDone: Int
        var termination: Termination?
        let theta0: Double
        let startAGL: Double
        let offset: EnsembleOffset
        /// The met interval the parcel last sampled (kept between output intervals).
        let cache = BracketCache()
        /// Time of the parcel (s since 1970).
        var time: Double { state.time }
    }

    var isSingleLevel: Bool { sampler.isSingle }

    /// Sets up a trajectory at its start (the first endpoint), or ends it at once when the
    /// start cannot be sampled.
    func begin(_ start: TrajectoryStart, id: Int, member: Int, slices: some SliceSource) throws -> ParcelRun {
        let t0 = Double(start.time.secondsSince1970)
        let offset = EnsembleOffset(member: member)
        var trajectory = Trajectory(id: id, start: start, member: member, isBackward: options.hours < 0, verticalMode: options.verticalMode,
                                    endpoints: [], termination: Termination(reason: .completed, time: start.time),
                                    provenance: TrajectoryProvenance(metModel: field.modelID, met: metProvenance))
        var run = ParcelRun(trajectory: trajectory, state: ParcelState(latitude: start.latitude, longitude: Geodesy.normalizedLongitude(start.longitude), pressure: .nan, time: t0),
                            umax: 0, intervalsDone: 0, termination: nil, theta0: .nan, startAGL: start.height, offset: offset)
        func stop(_ reason: TerminationReason) -> ParcelRun {
            var r = run
            r.termination = Termination(reason: reason, time: start.time)
            r.trajectory.termination = r.termination!
            return r
        }
        let startColumn: Column
        let pressure: Double
        do {
            let st = try sampler.stencil(latitude: start.latitude, longitude: start.longitude)
            (pressure, startColumn) = try startPressure(start, stencil: st)
        } catch let f as SampleFailure {
            return stop(f.reason)
        }
        let single = isSingleLevel
        trajectory.provenance.usedStandardAtmosphere = startColumn.usedStandardAtmosphere
        let startAGL = single ? start.height : startColumn.heightAGL(pressure: pressure)
        let theta0 = startColumn.t.allSatisfy(\.isFinite) && !single
            ? startColumn.temperature(pressure: pressure) * Math.pow(1000 / pressure, Earth.kappa) : .nan
        let state = ParcelState(latitude: run.state.latitude, longitude: run.state.longitude, pressure: pressure, time: t0)
        // Storage grows with the trajectory as it is integrated: a long request that ends early
        // (or a huge one) never reserves its whole requested length up front.
        trajectory.endpoints.reserveCapacity(min(options.outputIntervalCount + 1, 128))
        trajectory.endpoints.append(endpoint(state, t0: t0, column: startColumn, singleHeight: startAGL, single: single))
        run = ParcelRun(trajectory: trajectory, state: state, umax: 0, intervalsDone: 0, termination: nil,
                        theta0: theta0, startAGL: startAGL, offset: offset)
        do {
            run.umax = try rate(state, offset: offset, slices: slices).speed
        } catch let f as SampleFailure {
            return stop(f.reason)
        }
        return run
    }

    /// The flow at a state: tangent velocity of the unit position (s⁻¹), dp/dt (hPa s⁻¹), speed.
    /// An ensemble member samples the met at its offset (see the *Trajectory integration* article in Upwind's documentation), not at the parcel.
    func rate(_ s: ParcelState, offset: EnsembleOffset, slices: some SliceSource, cache: BracketCache? = nil) throws -> ParcelRate {
        let ll = (latitude: s.latitude, longitude: s.longitude)
        let st: Stencil
        var pressure = s.pressure
        if offset.isZero {
            st = try sampler.stencil(latitude: ll.latitude, longitude: ll.longitude)
        } else {
            let idx = sampler.index(latitude: ll.latitude, longitude: ll.longitude)
            st = try sampler.stencil(x: idx.x + Double(offset.dx), y: idx.y + Double(offset.dy))
            // ±250 m as a pressure offset with a 7.5 km scale height (HYSPLIT's ±0.01σ of 25 km).
            if offset.dz != 0 && pressure.isFinite { pressure *= Math.exp(-Double(offset.dz) * EnsembleOffset.verticalMetres / 7_500) }
        }
        let w: (east: Double, north: Double, omega: Double)
        if let cache {
            // The cache holds the slices for as long as the unmanaged buffers are used.
            w = try sampler.wind(try rawBracket(s.time, slices, cache: cache), stencil: st, pressure: pressure, latitude: ll.latitude, longitude: ll.longitude)
        } else {
            let full = try bracket(s.time, slices)
            w = try sampler.wind(full, stencil: st, pressure: pressure, latitude: ll.latitude, longitude: ll.longitude)
        }
        let vertical = options.verticalMode == .data && !isSingleLevel
        return ParcelRate(east: w.east, north: w.north, pressure: vertical ? w.omega / 100 : 0, speed: (w.east * w.east + w.north * w.north).squareRoot())
    }

    /// Advances a trajectory by one output interval (or ends it).
    func advance(_ run: inout ParcelRun, slices: some SliceSource) throws {
        guard run.termination == nil else { return }
        let nIntervals = options.outputIntervalCount
        func stop(_ reason: TerminationReason, _ t: Double) {
            let term = Termination(reason: reason, time: UTCTime(secondsSince1970: Int64(t.rounded())))
            run.termination = term
            run.trajectory.termination = term
            run.cache.clear()
        }
        if run.intervalsDone >= nIntervals { stop(.completed, run.state.time); return }
        let single = isSingleLevel
        let sign = options.hours < 0 ? -1.0 : 1.0
        let interval = options.outputIntervalMinutes
        let dtMinutes = stepMinutes(umax: run.umax, at: run.state)
        let n = interval / dtMinutes
        let dt = sign * Double(dtMinutes * 60)
        let offset = run.offset
        let cache = run.cache
        func rateFunction(_ s: ParcelState) throws -> ParcelRate { try rate(s, offset: offset, slices: slices, cache: cache) }
        var umax = 0.0
        var state = run.state
        let kernel = usesFastPath ? self.kernel : nil
        let pressureFactor = Math.exp(-Double(offset.dz) * EnsembleOffset.verticalMetres / 7_500)
        for _ in 0..<n {
            if let kernel, let (fast, speed) = fastStep(kernel, state, dt: dt, offset: offset, pressureFactor: pressureFactor, slices: slices, cache: cache) {
                umax = max(umax, speed)
                state = fast
                continue
            }
            let next: ParcelState
            do {
                let frame = StepFrame.at(latitude: state.latitude)
                let (s, speed) = try Stepper.step(state, dt: dt, scheme: options.integrator, frame: frame, rate: rateFunction)
                umax = max(umax, speed)
                next = s
            } catch let f as SampleFailure {
                run.state = state
                stop(f.reason, state.time)
                return
            }
            if single {
                state = next
                continue
            }
            do {
                state = try applyVertical(next, theta0: run.theta0, heightAGL0: run.startAGL, slices: slices)
            } catch let f as SampleFailure {
                run.state = state
                stop(f.reason, f.reason == .hitGround || f.reason == .hitTop ? next.time : state.time)
                return
            }
        }
        run.state = state
        run.umax = umax
        run.intervalsDone += 1
        do {
            let ll = (latitude: state.latitude, longitude: state.longitude)
            let st = try sampler.stencil(latitude: ll.latitude, longitude: ll.longitude)
            // The cache holds the slices the unmanaged bracket points into.
            let raw = try rawBracket(state.time, slices, cache: cache)
            let profile = try (usesFastPath ? sampler.pointProfile(raw, stencil: st, pressure: state.pressure) : nil)
                ?? sampler.column(try bracket(state.time, slices, cache: cache), stencil: st).profile(at: state.pressure)
            run.trajectory.endpoints.append(endpoint(state, t0: Double(run.trajectory.start.time.secondsSince1970), profile: profile,
                                                     singleHeight: run.startAGL, single: single))
        } catch let f as SampleFailure {
            stop(f.reason, state.time)
            return
        }
        if run.intervalsDone >= nIntervals { stop(.completed, state.time) }
    }

    /// The met interval containing `t`, through the trajectory's bracket cache.
    /// - Throws: `SampleFailure` (`outOfMetTime`) past the met, or the source's read error.
    @inline(__always)
    func rawInterval(_ t: Double, _ slices: some SliceSource, cache: BracketCache) throws -> MetInterval {
        try refresh(t, slices, cache: cache)
        guard let ra = cache.rawFirst, let rb = cache.rawSecond else { throw SampleFailure(reason: .outOfMetTime) }
        return MetInterval(t0: times[cache.lo], t1: times[cache.hi], first: ra, second: rb)
    }

    /// One step through ``RegularKernel``, with the ground and top rules of
    /// ``applyVertical(_:theta0:heightAGL0:slices:)`` for the cases that need no column:
    /// the same arithmetic as the general path, or nil when the general path must take the
    /// step (anything unusual: polar caps, grid edges, missing data, the surface layer, the
    /// top, ground contact with `stop` or `reflect`, isentropic and constant-height runs).
    /// The evaluations touch no reference counts: the step's one or two met intervals are
    /// looked up first (the trajectory's cache holds their slices).
    @inline(__always)
    func fastStep(_ kernel: RegularKernel, _ s: ParcelState, dt: Double, offset: EnsembleOffset, pressureFactor: Double,
                  slices: some SliceSource, cache: BracketCache) -> (ParcelState, Double)? {
        guard abs(s.latitude) <= 80 else { return nil }
        let single = isSingleLevel
        let mode = options.verticalMode
        guard single || mode == .data || mode == .isobaric else { return nil }
        guard let i1 = try? rawInterval(s.time, slices, cache: cache) else { return nil }
        let end = s.time + dt
        var i2 = i1
        if !i1.contains(end) {
            guard let next = try? rawInterval(end, slices, cache: cache) else { return nil }
            i2 = next
        }
        guard let (next, speed) = kernel.step(s, dt: dt, scheme: options.integrator, intervals: (i1, i2), offset: offset,
                                              pressureFactor: pressureFactor, vertical: mode == .data && !single) else { return nil }
        if single { return (next, speed) }
        let last = i2.contains(next.time) ? i2 : i1
        guard options.ground != .reflect, last.contains(next.time),
              let ps = kernel.surfacePressure(last.bracket(next.time), latitude: next.latitude, longitude: next.longitude), ps > 0 else { return nil }
        var out = next
        if next.pressure > ps {
            guard options.ground == .clip else { return nil }
            out.pressure = ps
        }
        guard 9_000 * Math.log(ps / out.pressure) < options.topAGL else { return nil }
        return (out, speed)
    }

    /// The step in minutes for the next output interval: the fixed step, or HYSPLIT's rule
    /// Umax·Δt < TRATIO·Δx, clamped to 1–60 min and rounded down to a divisor of the interval.
    func stepMinutes(umax: Double, at state: ParcelState) -> Int {
        let interval = options.outputIntervalMinutes
        if let fixed = options.fixedStepMinutes { return fixed }
        var limit = 60
        if umax > 0 {
            let ll = (latitude: state.latitude, longitude: state.longitude)
            let idx = sampler.index(latitude: ll.latitude, longitude: ll.longitude)
            let dx = sampler.spacing(x: idx.x, y: idx.y)
            let seconds = options.tratio * dx / umax
            // NaN (a degenerate spacing) or a tiny speed must not reach `Int(_:)`: 1–60 min only.
            let minutes = (seconds / 60).rounded(.down)
            limit = minutes >= 60 ? 60 : (minutes >= 1 ? Int(minutes) : 1)
        }
        var d = min(limit, interval)
        while d > 1 && interval % d != 0 { d -= 1 }
        return max(d, 1)
    }

    /// Applies the vertical mode and the ground and top rules after a step.
    func applyVertical(_ s: ParcelState, theta0: Double, heightAGL0: Double, slices: some SliceSource) throws -> ParcelState {
        let ll = (latitude: s.latitude, longitude: s.longitude)
        let st = try sampler.stencil(latitude: ll.latitude, longitude: ll.longitude)
        let b = try bracket(s.time, slices)
        // Fast path for data and isobaric runs on met with surface pressure: the ground is
        // p > p_surface (clip or stop there), and the top cannot be reached while even a
        // 9 km scale height puts the parcel below it; only otherwise is the column built.
        if (options.verticalMode == .data || options.verticalMode == .isobaric) && options.ground != .reflect {
            // `b` holds the slices while their views are read.
            let w = b.weight, first = b.first.storage.raw, second = b.second.storage.raw
            let ps0 = sampler.surface(first.surfacePressure, stencil: st, nx: first.nx)
            let ps = w == 0 ? ps0 : (1 - w) * ps0 + w * sampler.surface(second.surfacePressure, stencil: st, nx: second.nx)
            if ps.isFinite && ps > 0 {
                var out = s
                if s.pressure > ps {
                    if options.ground == .stop { throw SampleFailure(reason: .hitGround) }
                    out.pressure = ps
                }
                if 9_000 * Math.log(ps / out.pressure) < options.topAGL { return out }
            }
        }
        let col = try sampler.column(b, stencil: st)
        var out = s
        switch options.verticalMode {
        case .data, .isobaric:
            let agl = col.heightAGL(pressure: s.pressure)
            if agl < 0 {
                switch options.ground {
                case .clip: out.pressure = col.surfacePressure
                case .stop: throw SampleFailure(reason: .hitGround)
                case .reflect: out.pressure = col.pressure(heightAGL: -agl)
                }
            }
        case .isentropic:
            guard let p = col.pressure(theta: theta0) else { throw SampleFailure(reason: .hitTop) }
            out.pressure = p
        case .height:
            out.pressure = col.pressure(heightAGL: heightAGL0)
        }
        if col.heightAGL(pressure: out.pressure) > options.topAGL { throw SampleFailure(reason: .hitTop) }
        return out
    }

    func endpoint(_ s: ParcelState, t0: Double, column col: Column, singleHeight: Double, single: Bool) -> TrajectoryEndpoint {
        endpoint(s, t0: t0, profile: col.profile(at: s.pressure), singleHeight: singleHeight, single: single)
    }

    /// The endpoint of a state, with the diagnostics of the column at its pressure.
    func endpoint(_ s: ParcelState, t0: Double, profile: PointProfile, singleHeight: Double, single: Bool) -> TrajectoryEndpoint {
        var d = EndpointDiagnostics()
        if !single {
            let t = profile.temperature
            if t.isFinite {
                d.temperatureK = t
                d.thetaK = t * Math.pow(1000 / s.pressure, Earth.kappa)
            }
            if profile.relativeHumidity.isFinite { d.relativeHumidityPct = profile.relativeHumidity }
            if !profile.usedStandardAtmosphere { d.terrainM = profile.terrain }
        } else if profile.terrain != 0 {
            d.terrainM = profile.terrain
        }
        if profile.mixingDepth.isFinite { d.mixingDepthM = profile.mixingDepth }
        let time = UTCTime(secondsSince1970: Int64(s.time.rounded()))
        return TrajectoryEndpoint(time: time, ageHours: (s.time - t0) / 3600, latitude: s.latitude, longitude: s.longitude,
                                  heightAGL: single ? singleHeight : max(0, profile.heightAGL),
                                  pressureHPa: s.pressure, diagnostics: d)
    }

}
