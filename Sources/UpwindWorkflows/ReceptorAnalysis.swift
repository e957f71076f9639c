import Foundation
import UpwindAttribution
import UpwindCore
import UpwindFormats

/// `upwind pscf | cwt | residence | attribute` as a library call (issues 10 and 11): trajectories
/// from files in any readable format (``TrajectoryInputs``), observations from a CSV, each
/// trajectory matched to the observation of its site at its arrival time, the criterion resolved,
/// the receptor grid accumulated (`ReceptorGrid`; see the *Receptor models* article in Upwind's documentation) and `grid.csv`, `grid.geojson`,
/// `grid.nc` and `run.json` written into the output folder; with ``places`` active (`attribute`)
/// also the hotspot events, the region ranking, fire scores and the home view
/// (``PlaceAttribution``: `events.csv`, `regions.csv`, `regions.geojson`, `fires.csv`,
/// `outside_home.csv`).
public struct ReceptorAnalysis: Sendable {
    /// The command name recorded in `run.json` (`pscf`, `cwt`, `residence` — all three write
    /// every field — or `attribute`).
    public var command: String
    /// Trajectory files (engine CSV, tdump or CF trajectory NetCDF).
    public var trajectoryPaths: [String]
    /// The observations CSV.
    public var observationsPath: String
    /// The pollutant to use when the observations hold several.
    public var pollutant: String?
    /// The UTC offset of observation times written without a zone (e.g. `+08:00`).
    public var timezone: String?
    /// A site name for trajectories from tdump files (which carry none); without it a tdump
    /// start goes to the nearest observation site within 1 km.
    public var site: String?
    /// The grid's conventions.
    public var settings: ReceptorGridSettings
    /// Clips what is written (not what is accumulated).
    public var bounds: GridBounds?
    /// The output folder (created when missing).
    public var outputFolder: String
    /// Parallel chunks when gridding.
    public var maxConcurrency: Int
    /// Regions, fires and the home region to attribute to (`attribute`); inactive by default.
    public var places: PlaceOptions
    /// The hotspot rules whose events `fires.csv` counts (`matched_events`); nil: events are the
    /// runs of consecutive hours above the resolved criterion.
    public var hotspotRules: HotspotRules?

    /// Creates an analysis.
    public init(command: String, trajectoryPaths: [String], observationsPath: String, pollutant: String? = nil, timezone: String? = nil,
                site: String? = nil, settings: ReceptorGridSettings = ReceptorGridSettings(), bounds: GridBounds? = nil,
                outputFolder: String, maxConcurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
                places: PlaceOptions = PlaceOptions(), hotspotRules: HotspotRules? = nil) {
        self.places = places
        self.hotspotRules = hotspotRules
        self.command = command
        self.trajectoryPaths = trajectoryPaths
        self.observationsPath = observationsPath
        self.pollutant = pollutant
        self.timezone = timezone
        self.site = site
        self.settings = settings
        self.bounds = bounds
        self.outputFolder = outputFolder
        self.maxConcurrency = max(1, maxConcurrency)
    }

    /// What a run found and wrote.
    public struct Result: Sendable {
        /// The accumulated grid (mergeable with others of the same settings and criterion).
        public var grid: ReceptorGrid
        /// The cells written (inside the bounds).
        public var cells: [ReceptorGridCell]
        /// Trajectories read.
        public var trajectoryCount: Int
        /// Trajectories matched to an observation.
        public var matchedCount: Int
        /// Trajectories without an observation, by reason (also in `run.json`).
        public var unmatched: ObservationMatches
        /// The criterion in the observations' unit (a percentile resolved to its value).
        public var criterionValue: Double
        /// Files written into the output folder.
        public var outputs: [String]
        /// The hotspot events (with ``places`` active), else empty.
        public var events: [HotspotEvent] = []
        /// Attribution to places, or nil when ``places`` is inactive.
        public var places: PlaceAttribution.Result?
        /// One line for people.
        public var summary: String {
            "\(trajectoryCount) trajectories, \(matchedCount) matched to observations (\(trajectoryCount - matchedCount) unmatched), criterion \(JSONText.number(criterionValue)), \(grid.pollutedTrajectoryCount) polluted, \(cells.count) cells written"
                + (places.map { p in p.summary.isEmpty ? "" : "; \(events.count) hotspot events; " + p.summary } ?? "")
        }
    }

    /// Runs the analysis and writes its outputs.
    /// - Throws: ``TrajectoryInputError`` and the trajectory readers' errors, `ObservationCSVError`,
    ///   `ReceptorGridError` (including `ReceptorGridError/noValues(what:)` when no trajectory
    ///   matches an observation), ``ReceptorAnalysisError/emptyGrid(trajectories:)``,
    ///   `TrajectoryOutputError`, `NetCDFError`.
    public func run() async throws -> Result {
        try settings.validate()
        // Place inputs are read and checked first: a bad region or FIRMS file fails at once.
        let placeInputs = places.isActive ? try PlaceAttribution.load(places, includeAgeZero: settings.includeAgeZero) : nil
        let inputs = try TrajectoryInputs.read(trajectoryPaths)
        let observations = try ObservationCSVReader.read(path: observationsPath, pollutant: pollutant, timezone: timezone)
        // Match per file: tdump files carry no site names.
        let (_, unmatched) = TrajectoryInputs.match(inputs, fileCount: trajectoryPaths.count, to: observations, site: site)
        var trajectories: [Trajectory] = []
        var keys: [String] = []
        var values: [Double] = []
        for m in unmatched.matched {
            var t = inputs[m.index].trajectory
            t.start.site = m.site
            trajectories.append(t)
            keys.append(inputs[m.index].key)
            values.append(m.value)
        }
        // openair parity: a missing observation still counts its endpoints (value NaN).
        for u in unmatched.unmatched where settings.countsMissingValues && u.reason == .missingValue {
            guard let site = u.site else { continue }
            var t = inputs[u.index].trajectory
            t.start.site = site
            trajectories.append(t)
            keys.append(inputs[u.index].key)
            values.append(.nan)
        }
        let criterion = try settings.resolveCriterion(trajectories: trajectories, values: values)
        let grid = try await ReceptorGrid.build(trajectories: trajectories, values: values, settings: settings, criterionValue: criterion,
                                                maxConcurrency: maxConcurrency)
        guard !grid.isEmpty else { throw ReceptorAnalysisError.emptyGrid(trajectories: trajectories.count) }
        // Every cell once: the places need them all, the grid files only those inside the bounds.
        let allCells = grid.cells()
        let cells = bounds.map { b in allCells.filter { b.contains(latitude: $0.latitude, longitude: $0.longitude) } } ?? allCells

        try Self.createFolder(outputFolder)
        var outputs = try ReceptorGridFiles.write(cells, resolution: settings.resolution, into: outputFolder,
                                                  attributes: [("upwind_command", command), ("criterion_value", JSONText.number(criterion))])
        var settingsRecord = runSettings(criterion: criterion, unmatched: unmatched)
        var events: [HotspotEvent] = []
        var placeResult: PlaceAttribution.Result?
        if let placeInputs {
            let rules = try hotspotRules ?? HotspotRules(threshold: criterion)
            events = HotspotDetector.detect(observations, rules: rules)
            try HotspotEventsCSV.write(events, to: URL(fileURLWithPath: outputFolder).appendingPathComponent("events.csv").path)
            outputs.append("events.csv")
            let result = try await placeInputs.attribute(trajectories: trajectories, keys: keys, values: values, settings: settings, criterionValue: criterion,
                                                         cells: allCells, events: events, into: outputFolder, maxConcurrency: maxConcurrency)
            outputs += result.outputs
            settingsRecord += [("hotspot_threshold", hotspotRules?.threshold.map(JSONValue.number) ?? .string("criterion value")),
                               ("hotspot_percentile", hotspotRules?.percentile.map(JSONValue.number) ?? .null),
                               ("hotspot_spatial_factor", hotspotRules?.spatialFactor.map(JSONValue.number) ?? .null),
                               ("events", .number(Double(events.count)))]
                + places.record + result.record
            placeResult = result
        }
        outputs.append("run.json")
        let placePaths = [places.regionsPath, places.firesPath, places.homeRegionsPath].compactMap { $0 }
        let record = RunRecord(command: command, version: UpwindVersion.current, settings: settingsRecord,
                               inputs: try (trajectoryPaths + [observationsPath] + (placeInputs == nil ? [] : placePaths)).map(RunRecord.Input.init(hashing:)),
                               outputs: outputs)
        try record.write(to: URL(fileURLWithPath: outputFolder).appendingPathComponent("run.json").path)
        return Result(grid: grid, cells: cells, trajectoryCount: inputs.count, matchedCount: unmatched.matched.count, unmatched: unmatched,
                      criterionValue: criterion, outputs: outputs, events: events, places: placeResult)
    }

    /// Every option with its value (defaults included), the resolved criterion and the
    /// matching counts, for `run.json`.
    func runSettings(criterion: Double, unmatched: ObservationMatches) -> [(String, JSONValue)] {
        [("trajectories", .array(trajectoryPaths.map(JSONValue.string))),
         ("observations", .string(observationsPath)),
         ("pollutant", pollutant.map(JSONValue.string) ?? .null),
         ("timezone", timezone.map(JSONValue.string) ?? .null),
         ("site", site.map(JSONValue.string) ?? .null)]
            + Self.gridRecord(settings, bounds: bounds, criterion: criterion, matches: unmatched)
    }

    /// The grid's settings (defaults included), the resolved criterion and the matching counts,
    /// as `run.json` records them for every attribution command.
    static func gridRecord(_ s: ReceptorGridSettings, bounds: GridBounds?, criterion: Double, matches: ObservationMatches) -> [(String, JSONValue)] {
        var out: [(String, JSONValue)] = [
            ("resolution", .number(s.resolution)),
            ("bounds", bounds.map { .array([.number($0.latitudeMin), .number($0.latitudeMax), .number($0.longitudeMin), .number($0.longitudeMax)]) } ?? .null),
            ("criterion", .string(s.criterion.description)),
            ("criterion_value", .number(criterion)),
            ("percentile_convention", .string(s.percentileConvention.rawValue)),
            ("polluted_test", .string(s.pollutedTest.rawValue)),
            ("missing_value", s.missingValue.map(JSONValue.number) ?? .null),
            ("residence_norm", .string(s.residenceNormalisation.rawValue)),
            ("pscf_weights", .string(s.pscfWeights.description)),
            ("cwt_weights", .string(s.cwtWeights.description)),
            ("include_age_zero", .bool(s.includeAgeZero)),
            ("binning", .string(s.binning.rawValue)),
            ("max_height", s.maxHeight.map { .string($0.description) } ?? .null),
            ("segments", .bool(s.segments)),
            ("count_missing", .bool(s.countsMissingValues)),
            ("matched_trajectories", .number(Double(matches.matched.count))),
            ("unmatched_trajectories", .number(Double(matches.unmatched.count))),
        ]
        if !matches.unmatched.isEmpty { out.append(("unmatched", .string(matches.summary))) }
        return out
    }

    /// Creates the output folder (and its parents) when missing.
    /// - Throws: ``TrajectoryOutputError/cannotCreate(path:temporaryPath:reason:)``.
    static func createFolder(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw TrajectoryOutputError.cannotCreate(path: path, temporaryPath: path, reason: "\(error)")
        }
    }
}

/// Why a receptor analysis produced nothing.
public enum ReceptorAnalysisError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// No endpoint fell in any cell (every one filtered out).
    case emptyGrid(trajectories: Int)

    /// One line: what happened and what to do.
    public var description: String {
        switch self {
        case .emptyGrid(let n):
            return "the grid is empty: none of the \(n) matched trajectories left an endpoint in a cell (check --max-height and that the trajectories have endpoints after age 0)"
        }
    }

    /// The one-line message (`description`).
    public var errorDescription: String? { description }
}

/// Upwind's version, recorded in `run.json`.
public enum UpwindVersion {
    /// The version string.
    public static let current = "0.1.0"
}
