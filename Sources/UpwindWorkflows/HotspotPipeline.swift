import Foundation
import UpwindAttribution
import UpwindCore
import UpwindFormats
import UpwindMeteo

/// `upwind hotspots` as a library call (issue 10 item 4): detects hotspot events in the
/// observations, runs back trajectories through the `RunPlan` sweep at every observation hour
/// of every site (or every `everyHours`), not only at event hours (the clean arrivals are the
/// baseline PSCF, CWT and enhancement ratios need), matches them to the observations, grids
/// them and writes `events.csv`, `trajectories.csv`, `grid.csv`, `grid.nc`, `grid.geojson`
/// and `run.json` into the output folder; with places, the files of ``PlaceAttribution``; with
/// clusters, the cluster files (trajectories made equal in length by ``ClusterLength``); with an
/// ensemble (``EnsembleMode``), `event_ensemble.csv` and, for ``EnsembleMode/events``,
/// `ensemble_trajectories.csv` (the members, numbered after the ordinary trajectories).
public struct HotspotPipeline: Sendable {
    /// Met files or globs.
    public var met: [String]
    /// The observations CSV.
    public var observationsPath: String
    /// The pollutant to use when the observations hold several.
    public var pollutant: String?
    /// The UTC offset of observation times written without a zone.
    public var timezone: String?
    /// Which hours are hotspots.
    public var rules: HotspotRules
    /// Start heights, m above ground.
    public var heights: [Double]
    /// Run length in hours (negative: backward).
    public var hours: Int
    /// Hours between arrival times; nil: every observation hour.
    public var everyHours: Int?
    /// Which starts run HYSPLIT's 27-member ensemble: none (default), all (every member a
    /// trajectory of the analysis) or events (members only for starts inside hotspot events,
    /// kept out of the receptor models; ``EnsembleMode``).
    public var ensemble: EnsembleMode
    /// The grid's conventions.
    public var settings: ReceptorGridSettings
    /// Clips what is written.
    public var bounds: GridBounds?
    /// The output folder (created when missing).
    public var outputFolder: String
    /// Regions, fires and the home region to attribute to (inactive by default).
    public var places: PlaceOptions
    /// How many clusters of the trajectories (Ward on HYSPLIT's TSV): auto (default), a number,
    /// or nil for no clustering.
    public var clusters: ClusterCount?
    /// At most this many trajectories are clustered (Ward holds n²/2 doubles: 10,000 take
    /// 400 MB); a longer run clusters an evenly spaced subsample of this size, and `run.json`
    /// says so.
    public static let maximumClusteredTrajectories = 10_000
    /// The share of the run's trajectories that must reach the clustered age (0.9; see
    /// ``clusterLength(_:reaching:)``).
    public static let clusteredReachShare = 0.9

    /// Creates a pipeline; the defaults are the CLI's.
    public init(met: [String], observationsPath: String, pollutant: String? = nil, timezone: String? = nil, rules: HotspotRules,
                heights: [Double] = [100, 500, 1000], hours: Int = -72, everyHours: Int? = nil, ensemble: EnsembleMode = .none,
                settings: ReceptorGridSettings = ReceptorGridSettings(), bounds: GridBounds? = nil, outputFolder: String,
                places: PlaceOptions = PlaceOptions(), clusters: ClusterCount? = .auto) {
        self.places = places
        self.clusters = clusters
        self.met = met
        self.observationsPath = observationsPath
        self.pollutant = pollutant
        self.timezone = timezone
        self.rules = rules
        self.heights = heights
        self.hours = hours
        self.everyHours = everyHours
        self.ensemble = ensemble
        self.settings = settings
        self.bounds = bounds
        self.outputFolder = outputFolder
    }

    /// What a run found and wrote.
    public struct Result: Sendable {
        /// The hotspot events.
        public var events: [HotspotEvent]
        /// The trajectory run's summary (skipped starts outside the met included).
        public var run: TrajectoryRunSummary
        /// The gridded receptor models.
        public var grid: ReceptorGrid
        /// Trajectories matched to an observation / not (by reason).
        public var matches: ObservationMatches
        /// The criterion value.
        public var criterionValue: Double
        /// Attribution to places, or nil without regions, fires or a home region.
        public var places: PlaceAttribution.Result?
        /// The event ensemble (``EnsembleMode/all`` and ``EnsembleMode/events``), or nil.
        public var ensemble: EnsembleOutcome?
        /// The clustering, or nil with `clusters` nil (or when an automatic clustering was not
        /// possible: `run.json` says why).
        public var clustering: ClusterResult?
        /// How the trajectories were made equal in length for clustering (nil without clustering).
        public var clusterLength: ClusterLength?
        /// Files written.
        public var outputs: [String]
        /// Wall time of each phase.
        public var seconds: Timings
        /// One line for people.
        public var summary: String {
            "\(events.count) hotspot events, \(run.count) trajectories (\(run.skipped.count) starts outside the met skipped), \(matches.matched.count) matched, criterion \(JSONText.number(criterionValue)), \(grid.cellCount) cells"
                + (clustering.map { ", \($0.clusterCount) clusters" + (clusterLength.map { " " + $0.summary } ?? "") } ?? "")
                + (places.map { $0.summary.isEmpty ? "" : "; " + $0.summary } ?? "")
                + (ensemble.map { "; " + $0.summary } ?? "") + "; \(seconds)"
        }
    }

    /// Wall time of each phase of a run, s.
    public struct Timings: Sendable, Equatable, CustomStringConvertible {
        /// The trajectory sweep, `trajectories.csv` streamed as it goes.
        public var trajectories: Double
        /// Attribution: matching to observations, the criterion, gridding (and places, clusters).
        public var attribution: Double
        /// Writing the other outputs and waiting for the input hashes of `run.json` (hashed
        /// alongside the sweep, so only what is left after it counts here).
        public var recording: Double
        /// The whole run.
        public var total: Double { trajectories + attribution + recording }
        /// `trajectories 9.80 s, attribution 0.41 s, outputs 0.20 s`.
        public var description: String {
            "trajectories \(String(format: "%.2f", trajectories)) s, attribution \(String(format: "%.2f", attribution)) s, outputs \(String(format: "%.2f", recording)) s"
        }
    }

    /// The starts: each site at every observation hour (or every `everyHours` from its first
    /// observation), at every height.
    func starts(_ observations: ObservationSet) -> [TrajectoryStart] {
        var out: [TrajectoryStart] = []
        for site in observations.sites {
            let times = observations.series(site: site.name).filter { $0.value != nil || settings.countsMissingValues }.map(\.time)
            guard let first = times.first else { continue }
            // A step beyond any span (its seconds overflow) keeps the first time only.
            let chosen = everyHours.map { step in
                let (seconds, overflow) = Int64(step).multipliedReportingOverflow(by: 3600)
                return overflow || seconds <= 0 ? [first] : times.filter { ($0 - first) % seconds == 0 }
            } ?? times
            for t in chosen {
                for h in heights { out.append(TrajectoryStart(site: site.name, latitude: site.latitude, longitude: site.longitude, height: h, time: t)) }
            }
        }
        return out
    }

    /// Runs the pipeline and writes its outputs.
    /// - Throws: `ObservationCSVError`, `MetError`/`ARLError`, `TrajectoryError`,
    ///   `ReceptorGridError`, ``ReceptorAnalysisError``, `TrajectoryOutputError`, `NetCDFError`.
    public func run(progress: (@Sendable (SweepProgress) -> Void)? = nil) async throws -> Result {
        try settings.validate()
        // Every input is read and checked before the sweep: bad input fails in seconds, not after it.
        let placeInputs = places.isActive ? try PlaceAttribution.load(places, includeAgeZero: settings.includeAgeZero) : nil
        let observations = try ObservationCSVReader.read(path: observationsPath, pollutant: pollutant, timezone: timezone)
        let events = HotspotDetector.detect(observations, rules: rules)
        let source = try MetSource.open(met)
        var options = TrajectoryOptions(hours: hours)
        options.skipInvalidStarts = true
        let starts = starts(observations)
        let perStart = ensemble == .all ? EnsembleOffset.members.count : 1
        if case .fixed(let k) = clusters, k > starts.count * perStart {
            throw ClusterError.tooFewTrajectories(clusters: k, trajectories: starts.count * perStart, dropped: 0)
        }
        let runner = try TrajectoryRunner(met: source, starts: starts, options: options, ensemble: ensemble == .all)
        try ReceptorAnalysis.createFolder(outputFolder)
        let folder = URL(fileURLWithPath: outputFolder)
        let clock = ContinuousClock.now
        // run.json's SHA-256s (a season of met is gigabytes) are computed alongside the sweep.
        let inputPaths = source.paths + [observationsPath] + [places.regionsPath, places.firesPath, places.homeRegionsPath].compactMap { $0 }
        let hashing = Task.detached(priority: .utility) { try inputPaths.map(RunRecord.Input.init(hashing:)) }
        // trajectories.csv streams as the sweep delivers; the grid needs them all.
        let csv = try TrajectoryCSVWriter(path: folder.appendingPathComponent("trajectories.csv").path, diagnostics: source.diagnostics)
        var trajectories: [Trajectory] = []
        let summary = try await runner.sweep(progress: progress) { t in
            try csv.write(t)
            trajectories.append(t)
        }
        try csv.finish()
        trajectories.sort { $0.id < $1.id }
        // The members of the event starts: a second sweep over those starts only, kept apart.
        var members: [Trajectory] = []
        var memberRun: TrajectoryRunSummary?
        var memberStarts = 0
        if ensemble == .events {
            let chosen = eventStarts(starts, events: events)
            memberStarts = chosen.count
            (members, memberRun) = try await runEventMembers(chosen, source: source, options: options, idBase: trajectories.last?.id ?? 0,
                                                             folder: folder, progress: progress)
        } else if ensemble == .all {
            members = trajectories
            memberStarts = eventStarts(starts, events: events).count
        }
        let middle = ContinuousClock.now
        let matches = observations.match(trajectories, by: .siteName)
        var matched = matches.matched.map { trajectories[$0.index] }
        var values = matches.matched.map(\.value)
        if settings.countsMissingValues {
            // openair parity: a missing observation still counts its endpoints (value NaN).
            for u in matches.unmatched where u.reason == .missingValue {
                matched.append(trajectories[u.index])
                values.append(.nan)
            }
        }
        let criterion = try settings.resolveCriterion(trajectories: matched, values: values)
        let grid = try await ReceptorGrid.build(trajectories: matched, values: values, settings: settings, criterionValue: criterion,
                                                maxConcurrency: ProcessInfo.processInfo.activeProcessorCount)
        guard !grid.isEmpty else {
            hashing.cancel()
            throw ReceptorAnalysisError.emptyGrid(trajectories: matched.count)
        }
        try HotspotEventsCSV.write(events, to: folder.appendingPathComponent("events.csv").path)
        var outputs = ["events.csv", "trajectories.csv"] + (ensemble == .events ? ["ensemble_trajectories.csv"] : [])
        // Every cell once: the places need them all, the grid files only those inside the bounds.
        let allCells = grid.cells()
        let written = bounds.map { b in allCells.filter { b.contains(latitude: $0.latitude, longitude: $0.longitude) } } ?? allCells
        outputs += try ReceptorGridFiles.write(written, resolution: settings.resolution, into: outputFolder,
                                               attributes: [("upwind_command", "hotspots"), ("criterion_value", JSONText.number(criterion))])
        var placeRecord: [(String, JSONValue)] = []
        var placeResult: PlaceAttribution.Result?
        if let placeInputs {
            let result = try await placeInputs.attribute(trajectories: matched, values: values, settings: settings, criterionValue: criterion,
                                                         cells: allCells, events: events, into: outputFolder,
                                                         maxConcurrency: ProcessInfo.processInfo.activeProcessorCount)
            outputs += result.outputs
            placeRecord = places.record + result.record
            placeResult = result
        }
        var clusterRecord: [(String, JSONValue)] = [("clusters", clusters.map { .string($0.description) } ?? .string("none"))]
        var clustering: ClusterResult?
        var clusterLength: ClusterLength?
        if let clusters {
            let (outcome, length, record) = try await cluster(trajectories, matches: matches, k: clusters)
            if let outcome {
                outputs += outcome.files
                clustering = outcome.clustering
            }
            clusterLength = length
            clusterRecord = record
        }
        var ensembleOutcome: EnsembleOutcome?
        if ensemble != .none {
            let outcome = try await eventEnsemble(members: members, events: events, eventStarts: memberStarts, run: memberRun,
                                                  places: placeInputs, folder: folder)
            outputs.append("event_ensemble.csv")
            ensembleOutcome = outcome
        }
        let attributed = ContinuousClock.now
        outputs.append("run.json")
        var recorded: [(String, JSONValue)] = [
            ("met", .array(met.map(JSONValue.string))),
            ("observations", .string(observationsPath)),
            ("pollutant", pollutant.map(JSONValue.string) ?? .null),
            ("timezone", timezone.map(JSONValue.string) ?? .null),
            ("hotspot_threshold", rules.threshold.map(JSONValue.number) ?? .null),
            ("hotspot_percentile", rules.percentile.map(JSONValue.number) ?? .null),
            ("hotspot_spatial_factor", rules.spatialFactor.map(JSONValue.number) ?? .null),
            ("heights", .array(heights.map(JSONValue.number))),
            ("hours", .number(Double(hours))),
            ("every", everyHours.map { .string("\($0)h") } ?? .string("every observation hour")),
            ("ensemble", .string(ensemble.rawValue)),
            ("events", .number(Double(events.count))),
            ("trajectories_computed", .number(Double(summary.count))),
            ("starts_skipped_outside_met", .number(Double(summary.skipped.count))),
            ("met_coverage", .string(Self.metCoverage(source))),
            ("terminations", .object(TerminationReason.allCases.compactMap { reason in
                summary.byReason[reason].map { (reason.rawValue, .number(Double($0))) }
            })),
        ]
        recorded += ReceptorAnalysis.gridRecord(settings, bounds: bounds, criterion: criterion, matches: matches)
        recorded += ensembleOutcome?.record ?? []
        recorded += placeRecord + clusterRecord
        let record = RunRecord(command: "hotspots", version: UpwindVersion.current, settings: recorded,
                               inputs: try await hashing.value, outputs: outputs)
        try record.write(to: folder.appendingPathComponent("run.json").path)
        let end = ContinuousClock.now
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        return Result(events: events, run: summary, grid: grid, matches: matches, criterionValue: criterion, places: placeResult,
                      ensemble: ensembleOutcome, clustering: clustering, clusterLength: clusterLength, outputs: outputs,
                      seconds: Timings(trajectories: seconds(middle - clock), attribution: seconds(attributed - middle),
                                       recording: seconds(end - attributed)))
    }

    /// Clusters the run's trajectories and writes the cluster files: first made equal in length
    /// by ``clusterLength(_:reaching:)`` (the longest age at least 90 % of them reach; shorter
    /// ones dropped, longer ones truncated), then all of those kept or an evenly spaced
    /// subsample of ``maximumClusteredTrajectories``; `mean_value` is each cluster's mean
    /// receptor value over its matched trajectories. An automatic clustering that is not
    /// possible (e.g. too few trajectories) is skipped and `run.json` says why; a fixed number
    /// that cannot be made is an error.
    func cluster(_ trajectories: [Trajectory], matches: ObservationMatches, k: ClusterCount) async throws
        -> (ClusterAnalysis.Outputs?, ClusterLength, [(String, JSONValue)]) {
        var value = [Double?](repeating: nil, count: trajectories.count)
        for m in matches.matched { value[m.index] = m.value }
        let length = Self.clusterLength(trajectories)
        var chosen = length.kept
        let limit = Self.maximumClusteredTrajectories
        if chosen.count > limit {
            let all = chosen
            chosen = (0..<limit).map { all[$0 * all.count / limit] }
        }
        var record: [(String, JSONValue)] = [("clusters", .string(k.description))] + length.record
        if chosen.count < length.kept.count {
            record.append(("clustered_subsample", .string("\(chosen.count) of \(length.kept.count) trajectories, evenly spaced in id order")))
        }
        do {
            let outcome = try await ClusterAnalysis.cluster(chosen.map { trajectories[$0] }, keys: chosen.map { String(trajectories[$0].id) },
                                                            values: chosen.map { value[$0] }, k: k, into: outputFolder)
            // `clusters` stays the option as given; the number made is `clusters_made`.
            let made = outcome.settings.filter { $0.0 != "k" }.map { ($0.0 == "clusters" ? "clusters_made" : $0.0, $0.1) }
            return (outcome, length, record + made)
        } catch let error as ClusterError where k == .auto {
            return (nil, length, record + [("clusters_skipped", .string(error.description))])
        }
    }
}

extension HotspotPipeline {
    /// The met's coverage in one line for run.json and the report: the first and last time (UTC),
    /// the number of times and their step (hours), and the grid's size and latitude/longitude
    /// extent (degrees, from the nodes along its edges).
    static func metCoverage(_ source: MetSource) -> String {
        let field = source.field
        var parts: [String] = []
        if let first = field.times.first, let last = field.times.last {
            var text = "\(first.iso8601) to \(last.iso8601), \(field.times.count) time\(field.times.count == 1 ? "" : "s")"
            if field.times.count > 1 {
                let step = Double(last.secondsSince1970 - first.secondsSince1970) / Double(field.times.count - 1) / 3600
                text += " every \(JSONText.number((step * 100).rounded() / 100)) h"
            }
            parts.append(text)
        }
        let grid = field.grid
        var south = Double.infinity, north = -Double.infinity, west = Double.infinity, east = -Double.infinity
        func visit(_ i: Int, _ j: Int) {
            let p = grid.location(i: i, j: j)
            guard p.latitude.isFinite, p.longitude.isFinite else { return }
            south = min(south, p.latitude); north = max(north, p.latitude)
            west = min(west, p.longitude); east = max(east, p.longitude)
        }
        if grid.nx > 0, grid.ny > 0 {
            for i in 0..<grid.nx { visit(i, 0); visit(i, grid.ny - 1) }
            for j in 0..<grid.ny { visit(0, j); visit(grid.nx - 1, j) }
        }
        var text = "\(grid.nx)×\(grid.ny) grid"
        if south <= north {
            func f(_ x: Double) -> String { JSONText.number((x * 100).rounded() / 100) }
            text += " over \(f(south))…\(f(north))°N, \(f(west))…\(f(east))°E"
        }
        parts.append(text)
        parts.append("\(field.levels.count) level\(field.levels.count == 1 ? "" : "s")")
        return parts.joined(separator: "; ")
    }
}
