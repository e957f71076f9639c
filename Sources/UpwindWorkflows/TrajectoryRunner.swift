import Foundation
import UpwindCore
import UpwindFormats
import UpwindMeteo

/// One call from met and starts (or a `RunPlan`) to trajectories: opens the met, expands the
/// plan's starts, honours its ensemble flag, interval and options, and runs the population
/// sweep (`TrajectoryEngine/sweep(_:ensemble:maxConcurrency:progress:deliver:)`) on all cores.
/// The CLI, the examples and the HTTP service run trajectories through this type.
///
/// Three ways to take the results:
/// - ``run(progress:)``: every trajectory collected, with the skipped starts and a summary;
/// - ``stream(buffer:progress:)``: an `AsyncSequence` of trajectories as they finish (cancel the
///   consuming task, or stop iterating, to stop the run);
/// - ``sweep(progress:deliver:)``: a closure that may `await` for each trajectory.
///
/// Trajectories are delivered in the sweep's order: by the met window in which they finish,
/// then by id (ids number the starts in order, 27 consecutive ids per start with an ensemble).
///
/// ```swift
/// let met = try MetSource.open(["Fixtures/met/gdas_042.bin"])
/// let start = TrajectoryStart(site: "S1", latitude: 16.7, longitude: -62.2, height: 500,
///                             time: try UTCTime(parsing: "2010-02-13T00:00:00Z"))
/// let result = try await TrajectoryRunner(met: met, starts: [start], options: TrajectoryOptions(hours: -36)).run()
/// try result.write(to: "back.tdump")
/// ```
public struct TrajectoryRunner: Sendable {
    /// The met.
    public let met: MetSource
    /// The starts, in order (ids follow this order).
    public let starts: [TrajectoryStart]
    /// How to integrate.
    public let options: TrajectoryOptions
    /// Run HYSPLIT's 27-member met-offset ensemble for every start.
    public let ensemble: Bool
    /// Parallel chunks at once (default: the active processor count). Results are bitwise
    /// identical for any value.
    public var maxConcurrency: Int
    /// The engine (options checked against the met).
    public let engine: TrajectoryEngine

    /// Prepares a run.
    /// - Parameters:
    ///   - met: the met the trajectories move through.
    ///   - starts: the starts, in order (trajectory ids follow this order).
    ///   - options: how to integrate (checked against the met).
    ///   - ensemble: run HYSPLIT's 27-member met-offset ensemble for every start.
    ///   - maxConcurrency: parallel chunks at once (at least 1; results are bitwise identical
    ///     for any value).
    ///   - maxStarts: the most trajectories (starts × ensemble members) the run may
    ///     make (default `RunLimits.defaultMaxStarts`, 10,000,000).
    /// - Throws: `TrajectoryError` for options that cannot work (see
    ///   `TrajectoryOptions.validate()`), more trajectories than `maxStarts`, or a met without
    ///   what the vertical mode needs.
    public init(met: MetSource, starts: [TrajectoryStart], options: TrajectoryOptions, ensemble: Bool = false,
                maxConcurrency: Int = ProcessInfo.processInfo.activeProcessorCount, maxStarts: Int = RunLimits.defaultMaxStarts) throws {
        try options.validate()
        let members = ensemble ? RunLimits.ensembleMembers : 1
        let (trajectories, overflow) = starts.count.multipliedReportingOverflow(by: members)
        guard !overflow, trajectories <= maxStarts else {
            throw TrajectoryError.invalidOptions("\(starts.count) starts\(ensemble ? " × \(members) ensemble members" : "") make more than the limit of \(maxStarts) trajectories (maxStarts); split the starts into several runs or raise maxStarts")
        }
        self.met = met
        self.starts = starts
        self.options = options
        self.ensemble = ensemble
        self.maxConcurrency = max(1, maxConcurrency)
        engine = try TrajectoryEngine(field: met.field, options: options)
    }

    /// Prepares a `RunPlan`: opens its met (`met.files`, unless `met` is given: a service
    /// passes met it already holds open), expands its starts and takes its options and
    /// ensemble flag.
    /// - Throws: `TrajectoryError` for a plan without starts or with a bad generator or
    ///   options, `MetError` / `ARLError` from opening the met.
    public init(plan: RunPlan, met: MetSource? = nil, mapping: MetVariableMapping = MetVariableMapping(),
                maxConcurrency: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        let starts = try plan.expandedStarts()
        try self.init(met: try met ?? MetSource.open(plan.met, mapping: mapping), starts: starts, options: plan.options,
                      ensemble: plan.ensemble ?? false, maxConcurrency: maxConcurrency,
                      maxStarts: plan.maxStarts ?? RunLimits.defaultMaxStarts)
    }

    /// Runs the sweep, handing each finished trajectory to `deliver` (which may `await`).
    /// - Parameters:
    ///   - progress: called after each met window with trajectories done, the model time
    ///     reached and the fraction of the integration done.
    ///   - deliver: receives each trajectory in delivery order.
    /// - Throws: `TrajectoryError` (starts outside the met unless `skipInvalidStarts`), read
    ///   errors, `deliver`'s errors, `CancellationError`.
    public func sweep(progress: (@Sendable (SweepProgress) -> Void)? = nil,
                      deliver: (Trajectory) async throws -> Void) async throws -> TrajectoryRunSummary {
        let clock = ContinuousClock.now
        let s = try await engine.sweep(starts, ensemble: ensemble, maxConcurrency: maxConcurrency, progress: progress, deliver: deliver)
        let elapsed = ContinuousClock.now - clock
        return TrajectoryRunSummary(count: s.count, byReason: s.byReason, skipped: s.skipped, slicesLoaded: s.slicesLoaded,
                                    peakActive: s.peakActive,
                                    wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Runs and collects every trajectory, sorted by id.
    /// - Throws: what ``sweep(progress:deliver:)`` throws.
    public func run(progress: (@Sendable (SweepProgress) -> Void)? = nil) async throws -> TrajectoryResult {
        var trajectories: [Trajectory] = []
        let summary = try await sweep(progress: progress) { trajectories.append($0) }
        trajectories.sort { $0.id < $1.id }
        return TrajectoryResult(trajectories: trajectories, summary: summary, met: met)
    }

    /// Runs and writes the trajectories to `sink` as `format`: CSV (with the met's diagnostic
    /// columns) and GeoJSON as each trajectory finishes, without holding them; tdump
    /// (interleaved by time step), openair and NetCDF once every trajectory has finished, sorted
    /// by id. The bytes are what `upwind trajectories --out` writes.
    /// - Throws: what ``sweep(progress:deliver:)`` throws, `TrajectoryOutputError`,
    ///   `TdumpError`, `NetCDFError`, the sink's errors. On error the sink is not finished (a
    ///   `FileSink` leaves the destination untouched).
    public func run(writingTo sink: any ByteSink, format: TrajectoryFileFormat, tdumpOptions: TdumpWriteOptions = TdumpWriteOptions(),
                    progress: (@Sendable (SweepProgress) -> Void)? = nil) async throws -> TrajectoryRunSummary {
        let streaming: (any TrajectoryStreamWriter)? = format == .csv ? try TrajectoryCSVWriter(sink: sink, diagnostics: met.diagnostics)
            : format == .geojson ? try TrajectoryGeoJSONWriter(sink: sink) : nil
        var collected: [Trajectory] = []
        let summary = try await sweep(progress: progress) { t in
            if let streaming { try streaming.write(t) } else { collected.append(t) }
        }
        if let streaming {
            try streaming.finish()
        } else {
            collected.sort { $0.id < $1.id }
            try TrajectoryResult(trajectories: collected, summary: summary, met: met).write(to: sink, format: format, tdumpOptions: tdumpOptions)
        }
        return summary
    }

    /// Runs and writes the trajectories to `path` (through a temporary file renamed when
    /// complete) as `format`, by default the one the name implies, else CSV; see
    /// the sink variant.
    /// - Throws: as the sink variant.
    public func run(writingTo path: String, format: TrajectoryFileFormat? = nil, tdumpOptions: TdumpWriteOptions = TdumpWriteOptions(),
                    progress: (@Sendable (SweepProgress) -> Void)? = nil) async throws -> TrajectoryRunSummary {
        let f = format ?? TrajectoryFileFormat.fromName(path) ?? .csv
        if f == .netcdf {
            let result = try await run(progress: progress)
            try TrajectoryNetCDF.write(result.trajectories, to: path)
            return result.summary
        }
        return try await run(writingTo: FileSink(path: path), format: f, tdumpOptions: tdumpOptions, progress: progress)
    }

    /// The trajectories as they finish, in delivery order. The run starts when iteration
    /// starts and stops (within one met window) when the consuming task is cancelled or
    /// iteration ends early; at most `buffer` finished trajectories wait for the consumer
    /// (the sweep pauses meanwhile). The summary is ``TrajectoryStream/summary`` once the
    /// stream has ended.
    public func stream(buffer: Int = 256, progress: (@Sendable (SweepProgress) -> Void)? = nil) -> TrajectoryStream {
        TrajectoryStream(runner: self, capacity: max(1, buffer), progress: progress)
    }
}

/// What a run did besides the trajectories it handed out.
public struct TrajectoryRunSummary: Sendable, CustomStringConvertible {
    /// Trajectories computed.
    public var count: Int
    /// Trajectories by how they ended.
    public var byReason: [TerminationReason: Int]
    /// Starts outside the met coverage (run with `TrajectoryOptions/skipInvalidStarts`).
    public var skipped: [SkippedStart]
    /// Met time slices decoded.
    public var slicesLoaded: Int
    /// The most trajectories in flight at once.
    public var peakActive: Int
    /// Wall-clock time of the sweep, s.
    public var wallSeconds: Double

    /// Creates a summary.
    public init(count: Int, byReason: [TerminationReason: Int], skipped: [SkippedStart], slicesLoaded: Int, peakActive: Int,
                wallSeconds: Double) {
        self.count = count
        self.byReason = byReason
        self.skipped = skipped
        self.slicesLoaded = slicesLoaded
        self.peakActive = peakActive
        self.wallSeconds = wallSeconds
    }

    /// One line, e.g. `27 trajectories, 25 completed, terminated: leftDomain 2, 1 start skipped (outside the met coverage), 0.42 s`.
    public var description: String {
        let stopped = TerminationReason.allCases.compactMap { r in r == .completed ? nil : byReason[r].map { "\(r.rawValue) \($0)" } }
        var line = "\(count) trajectories, \(byReason[.completed] ?? 0) completed"
        if !stopped.isEmpty { line += ", terminated: " + stopped.joined(separator: ", ") }
        if !skipped.isEmpty { line += ", \(skipped.count) start\(skipped.count == 1 ? "" : "s") skipped (outside the met coverage)" }
        return line + String(format: ", %.2f s", wallSeconds)
    }
}

/// Trajectories collected by ``TrajectoryRunner/run(progress:)``, with what outputs need.
public struct TrajectoryResult: Sendable {
    /// The trajectories, sorted by id.
    public var trajectories: [Trajectory]
    /// What the run did.
    public var summary: TrajectoryRunSummary
    /// The met they were computed from (its diagnostics set the CSV columns).
    public var met: MetSource

    /// Creates a result.
    public init(trajectories: [Trajectory], summary: TrajectoryRunSummary, met: MetSource) {
        self.trajectories = trajectories
        self.summary = summary
        self.met = met
    }

    /// Writes the trajectories to `path` (through a temporary file renamed when complete) as
    /// `format`, by default the one the name implies (`.csv`, `.geojson`, `.tdump`/`tdump*`,
    /// `.nc`), else CSV; the same bytes `upwind trajectories --out` writes.
    /// - Throws: `TrajectoryOutputError`, `TdumpError`, `NetCDFError`.
    public func write(to path: String, format: TrajectoryFileFormat? = nil, tdumpOptions: TdumpWriteOptions = TdumpWriteOptions()) throws {
        let f = format ?? TrajectoryFileFormat.fromName(path) ?? .csv
        if f == .csv {
            try write(to: FileSink(path: path), format: .csv)
        } else {
            try TrajectoryFiles.write(trajectories, to: path, format: f, tdumpOptions: tdumpOptions)
        }
    }

    /// Writes the trajectories as `format` to any sink (memory, a stream) and finishes it.
    /// The CSV has the diagnostic columns the met can give, as the CLI writes it.
    /// - Throws: `TrajectoryOutputError`, `TdumpError`, `NetCDFError`, the sink's errors.
    public func write(to sink: any ByteSink, format: TrajectoryFileFormat, tdumpOptions: TdumpWriteOptions = TdumpWriteOptions()) throws {
        if format == .csv {
            let writer = try TrajectoryCSVWriter(sink: sink, diagnostics: met.diagnostics)
            for t in trajectories { try writer.write(t) }
            try writer.finish()
        } else {
            try TrajectoryFiles.write(trajectories, to: sink, format: format, tdumpOptions: tdumpOptions)
        }
    }

    /// The bytes of the trajectories written as `format`.
    /// - Throws: what `write(to:format:tdumpOptions:)` throws.
    public func data(format: TrajectoryFileFormat, tdumpOptions: TdumpWriteOptions = TdumpWriteOptions()) throws -> Data {
        let sink = DataSink()
        try write(to: sink, format: format, tdumpOptions: tdumpOptions)
        return sink.data
    }
}
