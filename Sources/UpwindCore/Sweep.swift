import Synchronization

/// Progress of a sweep, in trajectories finished and in model time, so that a batch whose
/// trajectories all start together (and so all finish together) still moves smoothly.
public struct SweepProgress: Sendable, Equatable {
    /// Trajectories finished (delivered) so far.
    public var done: Int
    /// Trajectories in the run.
    public var total: Int
    /// The model time (UTC) the sweep has integrated every parcel in flight to: the end of
    /// the last met window advanced (nil before the first window).
    public var modelTime: UTCTime?
    /// Fraction of the run's integration done, 0…1: parcel-hours integrated (a finished
    /// trajectory counts its full run length, one that stopped early too) over
    /// `total` × |hours|.
    public var fraction: Double
    /// Creates a progress report; `fraction` defaults to `done / total`.
    public init(done: Int, total: Int, modelTime: UTCTime? = nil, fraction: Double? = nil) {
        self.done = done
        self.total = total
        self.modelTime = modelTime
        self.fraction = fraction ?? (total > 0 ? Double(done) / Double(total) : 1)
    }
}

/// What a sweep did, besides the trajectories it handed out.
public struct SweepSummary: Sendable {
    /// Trajectories computed.
    public var count: Int
    /// Trajectories by how they ended.
    public var byReason: [TerminationReason: Int]
    /// Starts outside the met coverage (with ``TrajectoryOptions/skipInvalidStarts``).
    public var skipped: [SkippedStart]
    /// Met time slices loaded from the field (each once, unless the window had to reload).
    public var slicesLoaded: Int
    /// The most trajectories in flight at once (what bounds the sweep's memory besides the slices).
    public var peakActive: Int = 0
}

extension TrajectoryEngine {
    /// A window of met slices shared by every parcel during one sweep step; slices outside
    /// it are fetched from the field (never needed when the sweep planned the window right).
    struct SliceWindow: SliceSource, Sendable {
        let slices: [Int: GridSlice]
        let field: any WindField
        /// This window's number: unmanaged buffers from it stay valid while it is current.
        let generation: Int?
        /// The window's slices as unmanaged buffers, by met index (a handful: a linear search).
        let raws: [(index: Int, raw: RawSlice)]

        init(slices: [Int: GridSlice], field: any WindField, generation: Int) {
            self.slices = slices
            self.field = field
            self.generation = generation
            raws = slices.map { ($0.key, $0.value.storage.raw) }
        }

        func get(_ i: Int) throws -> GridSlice {
            if let s = slices[i] { return s }
            return try field.slice(at: i)
        }

        @inline(__always)
        func raw(_ i: Int) -> RawSlice? {
            for entry in raws where entry.index == i { return entry.raw }
            return nil
        }
    }

    /// Integrates many starts (and, with `ensemble`, their 27 members each) as one population
    /// swept through time (DESIGN "sweep, don't loop"): the met is walked once, window by
    /// window between consecutive met times, in the run's direction; each window's slices are
    /// loaded once and shared by every parcel in it, the next window's slice is decoded while
    /// the parcels advance, and parcels are advanced in parallel chunks. Each trajectory is
    /// integrated independently of the others (its own time step), so results are bitwise
    /// identical for any `maxConcurrency`. Memory holds the slice window and the trajectories
    /// in flight, not the whole run: finished trajectories go to `deliver` at once.
    ///
    /// - Parameters:
    ///   - starts: the starts (checked against the met coverage first, as ``run(_:)`` does).
    ///   - ensemble: run HYSPLIT's 27 met-offset members per start (see ``EnsembleOffset``).
    ///   - maxConcurrency: parallel chunks at once (1 = serial).
    ///   - progress: called after each met window with the trajectories done, the model time
    ///     reached and the fraction of the integration done.
    ///   - deliver: receives each finished trajectory, in a deterministic order (by window, then
    ///     id); it may `await` (an HTTP body writer, a database): the sweep integrates the next
    ///     window meanwhile and waits for it before handing out more.
    /// - Throws: ``TrajectoryError`` for starts outside the coverage, read errors, `deliver`'s
    ///   errors, or `CancellationError` when the task is cancelled.
    public func sweep(_ starts: [TrajectoryStart], ensemble: Bool = false, maxConcurrency: Int = 2,
                      progress: (@Sendable (SweepProgress) -> Void)? = nil,
                      deliver: (Trajectory) async throws -> Void) async throws -> SweepSummary {
        // Preflight, exactly as `run`.
        var valid: [TrajectoryStart] = []
        var skipped: [SkippedStart] = []
        for s in starts {
            if let problem = try check(s) { skipped.append(SkippedStart(start: s, reason: problem)) } else { valid.append(s) }
        }
        if !skipped.isEmpty && !options.skipInvalidStarts {
            throw TrajectoryError.startsOutsideCoverage(starts: skipped.map { describe($0.start) + ": " + $0.reason }, coverage: coverage)
        }
        let members = ensemble ? EnsembleOffset.members : [0]
        // Pending parcels in sweep order: by run time τ = sign·t (ascending), then id.
        let sign = options.hours < 0 ? -1.0 : 1.0
        struct Pending { var id: Int; var member: Int; var start: TrajectoryStart; var tau: Double }
        var pending: [Pending] = []
        pending.reserveCapacity(valid.count * members.count)
        var nextID = 1
        for s in valid {
            for m in members {
                pending.append(Pending(id: nextID, member: m, start: s, tau: sign * Double(s.time.secondsSince1970)))
                nextID += 1
            }
        }
        pending.sort { $0.tau != $1.tau ? $0.tau < $1.tau : $0.id < $1.id }
        let total = pending.count
        var summary = SweepSummary(count: 0, byReason: [:], skipped: skipped, slicesLoaded: 0)
        guard total > 0 else { return summary }

        // Met times in run order (τ ascending) and the windows between them.
        let order: [Int] = sign > 0 ? Array(times.indices) : Array(times.indices.reversed())
        let tau = order.map { sign * times[$0] }
        let intervalSeconds = Double(options.outputIntervalMinutes * 60)
        var loaded: [Int: GridSlice] = [:]
        var nextPending = 0
        // Parcels in flight, in chunks that persist across windows (a parcel is never copied
        // between windows, so its endpoints grow in place); each chunk is one task's work.
        var chunks: [Chunk] = []
        var activeCount: Int { chunks.reduce(0) { $0 + $1.count } }
        var done = 0
        var windowCount = 0
        // Finished trajectories waiting to be handed out, in delivery order (by window, then id).
        var finished: [Trajectory] = []
        func handOut(_ batch: [Trajectory]) async throws {
            for t in batch {
                try await deliver(t)
                summary.count += 1
                summary.byReason[t.termination.reason, default: 0] += 1
            }
            done += batch.count
        }
        // Progress: parcel-seconds integrated over the run's total.
        let runSeconds = Double(abs(options.hours)) * 3600
        var finishedCount = 0
        var reached = Double.nan
        func report(modelTime: Double) {
            reached = modelTime
            guard let progress else { return }
            var integrated = Double(finishedCount) * runSeconds
            for c in chunks {
                integrated += c.withRuns { runs in
                    var sum = 0.0
                    for k in runs.indices {
                        sum += min(runSeconds, abs(runs[k].state.time - Double(runs[k].trajectory.start.time.secondsSince1970)))
                    }
                    return sum
                }
            }
            let t = modelTime.isFinite ? UTCTime(secondsSince1970: Int64(modelTime.rounded())) : nil
            progress(SweepProgress(done: done, total: total, modelTime: t, fraction: min(1, integrated / (runSeconds * Double(total)))))
        }

        /// Met indices needed to advance parcels whose τ lies in [lo, hi) by one interval.
        func needed(_ lo: Double, _ hi: Double) -> Set<Int> {
            let a = min(sign * lo, sign * (hi + intervalSeconds)), b = max(sign * lo, sign * (hi + intervalSeconds))
            var set = Set<Int>()
            let (i0, _) = bracketIndices(a)
            let (_, i1) = bracketIndices(b)
            for i in i0...i1 { set.insert(i) }
            return set
        }

        for w in 0..<tau.count {
            try Task.checkCancellation()
            let lo = tau[w]
            let hi = w + 1 < tau.count ? tau[w + 1] : Double.infinity
            // Nothing in flight: stop when nothing is left, skip windows before the next start.
            if chunks.isEmpty {
                if nextPending >= pending.count { break }
                if pending[nextPending].tau >= hi { continue }
            }
            // Activate parcels that start in this window.
            var starting: [Pending] = []
            while nextPending < pending.count && pending[nextPending].tau < hi {
                starting.append(pending[nextPending]); nextPending += 1
            }
            let want = needed(lo, hi.isFinite ? hi : lo)
            // Load what this window needs; prefetch the next window's new slice meanwhile.
            for i in want.sorted() where loaded[i] == nil {
                loaded[i] = try field.slice(at: i)
                summary.slicesLoaded += 1
            }
            for i in Array(loaded.keys) where !want.contains(i) { loaded[i] = nil }
            windowCount += 1
            let window = SliceWindow(slices: loaded, field: field, generation: windowCount)
            let moreToCome = !chunks.isEmpty || !starting.isEmpty || nextPending < pending.count
            let nextIndex: Int? = moreToCome && w + 2 < order.count && loaded[order[w + 2]] == nil ? order[w + 2] : nil
            let source = field
            async let prefetched: GridSlice? = {
                guard let j = nextIndex else { return nil }
                return try source.slice(at: j)
            }()
            if !starting.isEmpty {
                var fresh: [ParcelRun] = []
                fresh.reserveCapacity(starting.count)
                for p in starting { fresh.append(try begin(p.start, id: p.id, member: p.member, slices: window)) }
                chunks += Chunk.split(fresh, pieces: 4 * max(maxConcurrency, 1))
            }
            summary.peakActive = max(summary.peakActive, activeCount)
            // Advance every parcel still inside this window until it leaves it or ends, and
            // meanwhile hand out the previous window's finished trajectories (writing them
            // overlaps the integration).
            let inFlight = chunks
            async let advancing: Void = advanceAll(inFlight, until: hi, sign: sign, window: window, maxConcurrency: maxConcurrency)
            let previous = finished
            finished = []
            try await handOut(previous)
            try await advancing
            if let j = nextIndex, let s = try await prefetched {
                loaded[j] = s
                summary.slicesLoaded += 1
            }
            finished = Chunk.removeFinished(&chunks)
            finished.sort { $0.id < $1.id }
            finishedCount += finished.count
            report(modelTime: hi.isFinite ? sign * hi : sign * lo)
        }
        try await handOut(finished)
        finished = []
        // Anything left (e.g. parcels at the very last met time) finishes on direct reads.
        if !chunks.isEmpty {
            windowCount += 1
            let window = SliceWindow(slices: loaded, field: field, generation: windowCount)
            try await advanceAll(chunks, until: .infinity, sign: sign, window: window, maxConcurrency: maxConcurrency)
            let rest = chunks.flatMap { c in c.withRuns { $0.map(\.trajectory) } }.sorted { $0.id < $1.id }
            let lastTime = chunks.flatMap { c in c.withRuns { $0.map(\.state.time) } }.max(by: { sign * $0 < sign * $1 }) ?? .nan
            chunks = []
            finishedCount += rest.count
            try await handOut(rest)
            report(modelTime: lastTime)
        } else {
            report(modelTime: reached)
        }
        return summary
    }

    /// A chunk of parcels in flight, advanced in place (no copy-on-write of the trajectories'
    /// endpoint arrays) by one task at a time.
    ///
    /// `@unchecked Sendable` because its parcels (whose bracket caches are not `Sendable`) move
    /// between tasks: they are reached only through ``withRuns(_:)``, under the chunk's lock,
    /// which the one task advancing the chunk in a window takes once (never contended).
    final class Chunk: @unchecked Sendable {
        private let lock = Mutex<Void>(())
        /// Guarded by `lock`.
        private var runs: [ParcelRun]
        init(_ runs: [ParcelRun]) { self.runs = runs }

        /// Runs `body` on the parcels, in place, holding the chunk's lock.
        func withRuns<R: Sendable, E: Error>(_ body: (inout [ParcelRun]) throws(E) -> R) throws(E) -> R {
            try lock.withLock { (_: inout Void) throws(E) -> R in try body(&runs) }
        }

        /// Parcels in the chunk.
        var count: Int { withRuns { $0.count } }

        /// Moves `other`'s parcels to the end of this chunk's, holding both locks (this one's
        /// first; only the sweep's own task merges chunks, between windows).
        func absorb(_ other: Chunk) {
            precondition(other !== self, "a chunk cannot absorb itself")
            lock.withLock { _ in
                other.lock.withLock { _ in
                    runs.append(contentsOf: other.runs)
                    other.runs = []
                }
            }
        }

        /// `runs` in about `pieces` chunks of at least 16 parcels.
        static func split(_ runs: [ParcelRun], pieces: Int) -> [Chunk] {
            let size = max(16, (runs.count + pieces - 1) / max(pieces, 1))
            return stride(from: 0, to: runs.count, by: size).map { Chunk(Array(runs[$0..<min($0 + size, runs.count)])) }
        }

        /// Takes the finished trajectories out of `chunks` (in place), drops empty chunks and
        /// merges small neighbours so the number of chunks stays proportionate to the work.
        static func removeFinished(_ chunks: inout [Chunk]) -> [Trajectory] {
            var finished: [Trajectory] = []
            for c in chunks {
                let done: [Trajectory] = c.withRuns { all in
                    var done: [Trajectory] = []
                    // In place through the buffer: kept parcels move down, none is copied.
                    let kept = all.withUnsafeMutableBufferPointer { runs -> Int in
                        var kept = 0
                        for k in runs.indices {
                            if runs[k].termination != nil {
                                done.append(runs[k].trajectory)
                            } else {
                                if k != kept { runs.swapAt(k, kept) }
                                kept += 1
                            }
                        }
                        return kept
                    }
                    all.removeLast(all.count - kept)
                    return done
                }
                finished += done
            }
            chunks.removeAll { $0.count == 0 }
            var merged: [Chunk] = []
            for c in chunks {
                if let last = merged.last, last.count + c.count < 32 {
                    last.absorb(c)
                } else {
                    merged.append(c)
                }
            }
            chunks = merged
            return finished
        }
    }

    /// Advances the parcels of `chunks` whose run time is below `until` one interval at a time
    /// until each reaches `until` or ends; chunks run in parallel, each in place.
    func advanceAll(_ chunks: [Chunk], until: Double, sign: Double, window: SliceWindow, maxConcurrency: Int) async throws {
        @Sendable func work(_ chunk: Chunk) throws {
            // Through the buffer: a parcel is read and advanced in place, never copied.
            try chunk.withRuns { (all: inout [ParcelRun]) throws in
                try all.withUnsafeMutableBufferPointer { runs in
                    for k in runs.indices {
                        while runs[k].termination == nil && sign * runs[k].state.time < until {
                            try advance(&runs[k], slices: window)
                        }
                    }
                }
            }
        }
        if maxConcurrency <= 1 || chunks.count < 2 {
            for c in chunks { try work(c) }
            return
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            while next < min(maxConcurrency, chunks.count) {
                let c = chunks[next]
                group.addTask { try work(c) }
                next += 1
            }
            while try await group.next() != nil {
                if next < chunks.count {
                    let c = chunks[next]
                    group.addTask { try work(c) }
                    next += 1
                }
            }
        }
    }
}
