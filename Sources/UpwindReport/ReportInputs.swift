import Foundation
import UpwindAttribution
import UpwindCore
import UpwindFormats

/// Everything a report shows, read from the folder that `upwind hotspots` (or `upwind attribute`)
/// wrote: `events.csv`, `regions.csv`, `regions.geojson`, `fires.csv`, `fire_events.csv`,
/// `fire_trajectories.csv`, `outside_home.csv`, `grid.csv`, `trajectories.csv`, `clusters.csv`,
/// `cluster_means.csv`, `cluster_summary.csv`, `tsv.csv` and `run.json` (their columns are
/// those of the writers in UpwindFormats: `HotspotEventsCSV`, `RegionFiles`, `FiresCSV`,
/// `FireScoreFiles`, `ReceptorGridFiles`, `TrajectoryCSVWriter`, `ClusterFiles`,
/// `RunRecord`).
///
/// Only the folder itself and one of `regions.csv` or `events.csv` are required. Every other
/// file may be absent or unreadable: its part of the report is left out and ``notes`` says
/// which file was missing and why, so a partial run still gives a report.
///
/// Boundaries for the maps come from `regions.geojson` (the counties, with the ranking in their
/// properties) and from the home-regions file named in `run.json` (`settings.home_regions`, the
/// provinces); station positions from the observations file named in `run.json`
/// (`settings.observations`), else from the trajectories' start points. A path in `run.json` is
/// tried as written, then relative to the folder, then as `inputs/<file name>` inside the folder.
///
/// ```swift
/// let inputs = try ReportInputs.load(folder: "demo-output")
/// try HTMLReport(inputs).write(to: "demo-output/report.html")
/// ```
public struct ReportInputs: Sendable {
    /// One hotspot event (`events.csv`).
    public struct Event: Sendable, Equatable {
        /// The station's id.
        public var site: String
        /// The event's number at its site (1-based).
        public var event: Int
        /// First and last hour above the criterion, UTC (nil when unreadable).
        public var start: UTCTime?, end: UTCTime?
        /// Hours in the event.
        public var hours: Int?
        /// Peak and mean concentration over the event, in the observations' unit (µg/m³ for PM2.5).
        public var peakValue: Double, meanValue: Double
        /// The rule that made it an event, e.g. `value>75`.
        public var criterion: String
    }

    /// One region's statistics (`regions.csv`, issue 11).
    public struct RegionRow: Sendable, Equatable {
        /// Rank by the ranking column (1 = most responsible).
        public var rank: Int
        /// The region's id (e.g. the adcode `410423`) and name (e.g. `鲁山县`).
        public var id: String, name: String
        /// Share of all polluted-arrival residence spent over the region (0…1).
        public var pollutedShare: Double
        /// Residence time of all and of polluted arrivals over the region, hours.
        public var residenceHours: Double, pollutedResidenceHours: Double
        /// Polluted share over all-arrivals share (dimensionless).
        public var enhancementRatio: Double
        /// Area-weighted PSCF and weighted PSCF (0…1), CWT and weighted CWT (concentration unit).
        public var pscf: Double, wpscf: Double, cwt: Double, wcwt: Double
        /// Fire score, MW of fire radiative power met by polluted arrivals (NaN without fires).
        public var fireScore: Double
        /// Fires matched in the region (nil without fire matching).
        public var fireCount: Int?
        /// Endpoints and trajectories over the region.
        public var nEndpoints: Int, nTrajectories: Int
        /// The bootstrap's rank range (nil without a bootstrap).
        public var rankLow: Int?, rankHigh: Int?
    }

    /// One region's outline and the properties of its feature (`regions.geojson`).
    public struct RegionShape: Sendable {
        /// The outline (id from the `id` property, name from `name`).
        public var region: Region
        /// The feature's properties in file order.
        public var properties: [(String, JSONValue)]

        /// The property `key` as a number; NaN when absent, null or not a number.
        public func number(_ key: String) -> Double {
            properties.first { $0.0 == key }?.1.numberValue ?? .nan
        }
    }

    /// One fire point and what it met (`fires.csv`).
    public struct Fire: Sendable, Equatable {
        /// The fire's id.
        public var id: String
        /// Position, degrees.
        public var latitude: Double, longitude: Double
        /// Detection time, UTC (nil when unreadable).
        public var time: UTCTime?
        /// Fire radiative power, MW.
        public var frpMW: Double
        /// FIRMS confidence as written.
        public var confidence: String
        /// The region holding the fire (empty when none).
        public var regionID: String, regionName: String
        /// Distinct matched trajectories and hotspot events.
        public var matchedTrajectories: Int, matchedEvents: Int
        /// Score over polluted trajectories, MW.
        public var score: Double
        /// True when the fire met at least one trajectory of a hotspot event.
        public var reachedHotspots: Bool { matchedEvents > 0 }
    }

    /// One event's fire score (`fire_events.csv`).
    public struct FireEvent: Sendable, Equatable {
        /// The station and event number (as in `events.csv`).
        public var site: String, event: Int
        /// Trajectories of the event and their summed fire score, MW.
        public var trajectories: Int?, fireScore: Double
    }

    /// One event's back-trajectory ensemble (`event_ensemble.csv`, written by
    /// `upwind hotspots --ensemble events|all`).
    public struct EventEnsemble: Sendable, Equatable {
        /// The station and event number (as in `events.csv`).
        public var site: String, event: Int
        /// Ensemble members run for the event's starts.
        public var members: Int
        /// Mean distance of the non-central members from the central one at the spread age, km (NaN when undefined).
        public var spreadKm: Double
        /// Share of members that met a fire, 0–1 (NaN without fires).
        public var fireMatchedShare: Double
        /// The region holding the largest share of the members' residence, and that share 0–1 (nil/NaN without regions).
        public var topRegionID: String?, topRegionShare: Double
    }

    /// One trajectory's fire score (`fire_trajectories.csv`).
    public struct FireTrajectory: Sendable, Equatable {
        /// The trajectory's id (as in `trajectories.csv`) and station.
        public var trajectory: Int?, site: String
        /// Arrival time, UTC.
        public var arrival: UTCTime?
        /// Start height, m AGL.
        public var heightM: Double
        /// Concentration at arrival and whether it counts as polluted.
        public var value: Double, polluted: Bool
        /// Fire score, MW, and the number of fires met.
        public var fireScore: Double, fires: Int
    }

    /// One home-regions feature's share (`outside_home.csv`).
    public struct HomeShare: Sendable, Equatable {
        /// The region's id and name (a province such as `河南省`).
        public var id: String, name: String
        /// Polluted residence over the region, hours, and its share of all polluted residence (0…1).
        public var pollutedResidenceHours: Double, pollutedShare: Double
        /// True for the home region.
        public var isHome: Bool
    }

    /// One receptor-grid cell (`grid.csv`).
    public struct GridCell: Sendable, Equatable {
        /// The cell's centre, degrees.
        public var latitude: Double, longitude: Double
        /// Endpoints and polluted endpoints in the cell, trajectories through it.
        public var nEndpoints: Int, nPolluted: Int, nTrajectories: Int
        /// Residence (normalised), PSCF, weighted PSCF (0…1), CWT and weighted CWT (concentration unit).
        public var residence: Double, pscf: Double, wpscf: Double, cwt: Double, wcwt: Double
    }

    /// One point of a cluster's mean trajectory (`cluster_means.csv`).
    public struct ClusterMeanPoint: Sendable, Equatable {
        /// The cluster (1-based).
        public var cluster: Int
        /// Age, hours (negative backward).
        public var ageHours: Double
        /// Position, degrees, and height, m AGL.
        public var latitude: Double, longitude: Double, heightAGL: Double
    }

    /// One cluster (`cluster_summary.csv`).
    public struct ClusterRow: Sendable, Equatable {
        /// The cluster (1-based).
        public var cluster: Int
        /// Trajectories in it and their share, percent.
        public var count: Int, sharePercent: Double
        /// Mean concentration at arrival (NaN without observations).
        public var meanValue: Double
    }

    /// One point of the total-spatial-variance curve (`tsv.csv`).
    public struct TSVRow: Sendable, Equatable {
        /// Number of clusters.
        public var clusters: Int
        /// Total spatial variance, km², and its change from one more cluster, percent.
        public var tsv: Double, changePercent: Double
    }

    /// A station: where arrivals were traced from.
    public struct Station: Sendable, Equatable {
        /// The site id as in the observations (may hold any characters).
        public var site: String
        /// Position, degrees.
        public var latitude: Double, longitude: Double
    }

    /// What `run.json` recorded (`RunRecord`).
    public struct RunInfo: Sendable {
        /// The command (`hotspots`, `attribute`) and Upwind's version.
        public var command: String, version: String
        /// Every setting in the order written.
        public var settings: [(String, JSONValue)]
        /// Input paths and their SHA-256.
        public var inputs: [(path: String, sha256: String)]
        /// Output file names.
        public var outputs: [String]

        /// The setting `key`, nil when absent.
        public func setting(_ key: String) -> JSONValue? { settings.first { $0.0 == key }?.1 }
    }

    /// A file the report could not use, and why.
    public struct Note: Sendable, Equatable {
        /// The file name (or path).
        public var file: String
        /// Why: absent, unreadable, lacking a column.
        public var message: String
    }

    /// The folder read.
    public var folder: String
    /// `events.csv` rows, in file order.
    public var events: [Event] = []
    /// `regions.csv` rows, in rank order.
    public var regions: [RegionRow] = []
    /// `regions.geojson` features in file order (or the regions file named in `run.json` when
    /// `regions.geojson` is absent, then without statistics).
    public var regionShapes: [RegionShape] = []
    /// The home-regions file's features (provinces), for context on the maps.
    public var provinces: [Region] = []
    /// The home region's id (`settings.home_region`), nil when not recorded.
    public var homeRegionID: String?
    /// `fires.csv` rows, highest score first.
    public var fires: [Fire] = []
    /// `fire_events.csv` rows.
    public var fireEvents: [FireEvent] = []
    /// `event_ensemble.csv` rows (empty when the run had no ensemble).
    public var eventEnsemble: [EventEnsemble] = []
    /// The age at which `event_ensemble.csv` measures the spread, h (from its `spread_km_<age>h` column; NaN without the file).
    public var ensembleSpreadAgeHours: Double = .nan
    /// `fire_trajectories.csv` rows.
    public var fireTrajectories: [FireTrajectory] = []
    /// `outside_home.csv` rows.
    public var homeShares: [HomeShare] = []
    /// `grid.csv` rows.
    public var grid: [GridCell] = []
    /// The grid's cell size, degrees (`settings.resolution`, else inferred from the cell centres; NaN without a grid).
    public var gridResolution: Double = .nan
    /// The trajectories to draw. ``load(folder:)`` streams `trajectories.csv` and keeps at most
    /// ``ReportMaps/maximumTrajectoriesDrawn`` of them, a uniform random sample (reservoir
    /// sampling driven by SplitMix64 with seed 1, so the same file always gives the same
    /// drawing), in file order; ``trajectorySummary`` describes them all. Set from memory, all
    /// are kept and the map thins them itself.
    public var trajectories: [Trajectory] = []
    /// What all of `trajectories.csv` holds (counted while streaming it), nil when the
    /// trajectories were set from memory; ``trajectoryOverview`` falls back to ``trajectories``.
    public var trajectorySummary: TrajectorySummary?

    /// A description of every trajectory in `trajectories.csv`, gathered in one pass so that a
    /// season of trajectories is reported without holding them in memory.
    public struct TrajectorySummary: Sendable, Equatable {
        /// Trajectories in the file.
        public var count = 0
        /// Trajectories by termination reason (`TerminationReason` raw values).
        public var terminations: [String: Int] = [:]
        /// The earliest and latest endpoint time (UTC), nil without endpoints.
        public var firstTime: UTCTime?, lastTime: UTCTime?
        /// The distinct start heights, m AGL, ascending.
        public var startHeights: [Double] = []
        /// Each site's first start position (degrees), in the order first seen.
        public var sites: [Station] = []

        /// An empty summary.
        public init() {}

        /// The summary of `trajectories`.
        /// - Parameter trajectories: the trajectories to describe.
        public init(_ trajectories: [Trajectory]) {
            var builder = Builder()
            for t in trajectories { builder.add(t) }
            self = builder.summary
        }

        /// Adds one trajectory at a time.
        struct Builder {
            var summary = TrajectorySummary()
            var heights = Set<Double>()
            var seenSites = Set<String>()

            mutating func add(_ t: Trajectory) {
                summary.count += 1
                summary.terminations[t.termination.reason.rawValue, default: 0] += 1
                for e in [t.endpoints.first, t.endpoints.last].compactMap({ $0 }) {
                    summary.firstTime = min(summary.firstTime ?? e.time, e.time)
                    summary.lastTime = max(summary.lastTime ?? e.time, e.time)
                }
                if heights.insert(t.start.height).inserted { summary.startHeights = heights.sorted() }
                if t.start.latitude.isFinite, t.start.longitude.isFinite, seenSites.insert(t.start.site).inserted {
                    summary.sites.append(Station(site: t.start.site, latitude: t.start.latitude, longitude: t.start.longitude))
                }
            }
        }
    }

    /// ``trajectorySummary`` when `trajectories.csv` was streamed, else the summary of
    /// ``trajectories``.
    public var trajectoryOverview: TrajectorySummary { trajectorySummary ?? TrajectorySummary(trajectories) }
    /// `clusters.csv`: trajectory id → cluster (1-based).
    public var clusters: [Int: Int] = [:]
    /// `cluster_means.csv` rows.
    public var clusterMeans: [ClusterMeanPoint] = []
    /// `cluster_summary.csv` rows.
    public var clusterSummary: [ClusterRow] = []
    /// `tsv.csv` rows.
    public var tsv: [TSVRow] = []
    /// `run.json`, nil when absent or unreadable.
    public var run: RunInfo?
    /// The stations, in the order first seen.
    public var stations: [Station] = []
    /// Files that were missing or unreadable, and why.
    public var notes: [Note] = []

    /// An empty set of inputs for `folder` (fill the properties to render a report from memory).
    /// - Parameter folder: the folder the outputs belong to (shown in the report).
    public init(folder: String) { self.folder = folder }

    /// The file names read, in the order the report uses them.
    public static let fileNames = ["events.csv", "event_ensemble.csv", "regions.csv", "regions.geojson", "fires.csv", "fire_events.csv", "fire_trajectories.csv",
                                   "outside_home.csv", "grid.csv", "trajectories.csv", "clusters.csv", "cluster_means.csv",
                                   "cluster_summary.csv", "tsv.csv", "run.json"]

    /// Reads the outputs in `folder`.
    /// - Parameter folder: the folder `upwind hotspots` or `upwind attribute` wrote.
    /// - Returns: what could be read; ``notes`` lists what could not.
    /// - Throws: ``ReportError/folderMissing(path:)`` when `folder` is not a folder,
    ///   ``ReportError/nothingToReport(folder:)`` when it holds neither `regions.csv` nor `events.csv`.
    public static func load(folder: String) throws(ReportError) -> ReportInputs {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw .folderMissing(path: folder)
        }
        let base = URL(fileURLWithPath: folder)
        func path(_ name: String) -> String { base.appendingPathComponent(name).path }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }
        guard exists("regions.csv") || exists("events.csv") else { throw .nothingToReport(folder: folder) }

        var inputs = ReportInputs(folder: folder)
        /// Reads one CSV file into rows, or records why not.
        func table(_ name: String, _ required: [String], absentReason: String) -> ReportTable? {
            guard exists(name) else {
                inputs.notes.append(Note(file: name, message: "absent (\(absentReason))"))
                return nil
            }
            do { return try ReportTable(path: path(name), required: required) } catch {
                inputs.notes.append(Note(file: name, message: error.description))
                return nil
            }
        }

        inputs.readRun(path: path("run.json"))
        if let t = table("events.csv", ["site", "event"], absentReason: "no hotspot events table") {
            inputs.events = t.rows.map { r in
                Event(site: t.text(r, "site"), event: t.integer(r, "event") ?? 0, start: UTCTime(iso8601: t.text(r, "start_time")),
                      end: UTCTime(iso8601: t.text(r, "end_time")), hours: t.integer(r, "hours"), peakValue: t.number(r, "peak_value"),
                      meanValue: t.number(r, "mean_value"), criterion: t.text(r, "criterion"))
            }
        }
        // The event ensemble: expected only when run.json says the run had one.
        let ensembleMode = inputs.run?.setting("ensemble")?.stringValue ?? "none"
        if exists("event_ensemble.csv") || (ensembleMode != "none" && !ensembleMode.isEmpty),
           let t = table("event_ensemble.csv", ["site", "event", "members"], absentReason: "the run had an ensemble but its event table is missing") {
            let spreadColumn = t.header.first { $0.hasPrefix("spread_km_") && $0.hasSuffix("h") }
            if let spreadColumn {
                inputs.ensembleSpreadAgeHours = Double(spreadColumn.dropFirst("spread_km_".count).dropLast()) ?? .nan
            }
            inputs.eventEnsemble = t.rows.map { r in
                let top = t.text(r, "top_region_id")
                return EventEnsemble(site: t.text(r, "site"), event: t.integer(r, "event") ?? 0, members: t.integer(r, "members") ?? 0,
                                     spreadKm: spreadColumn.map { t.number(r, $0) } ?? .nan, fireMatchedShare: t.number(r, "fire_matched_share"),
                                     topRegionID: top.isEmpty ? nil : top, topRegionShare: t.number(r, "top_region_share"))
            }
        }
        if let t = table("regions.csv", ["rank", "id", "name"], absentReason: "no region ranking: run with --regions") {
            inputs.regions = t.rows.map { r in
                RegionRow(rank: t.integer(r, "rank") ?? 0, id: t.text(r, "id"), name: t.text(r, "name"), pollutedShare: t.number(r, "polluted_share"),
                          residenceHours: t.number(r, "residence_h"), pollutedResidenceHours: t.number(r, "polluted_residence_h"),
                          enhancementRatio: t.number(r, "enhancement_ratio"), pscf: t.number(r, "pscf"), wpscf: t.number(r, "wpscf"),
                          cwt: t.number(r, "cwt"), wcwt: t.number(r, "wcwt"), fireScore: t.number(r, "fire_score"),
                          fireCount: t.integer(r, "fire_count"), nEndpoints: t.integer(r, "n_endpoints") ?? 0,
                          nTrajectories: t.integer(r, "n_trajectories") ?? 0, rankLow: t.integer(r, "rank_low"), rankHigh: t.integer(r, "rank_high"))
            }
        }
        inputs.readRegionShapes(path: path("regions.geojson"))
        if let t = table("fires.csv", ["latitude", "longitude", "frp_mw"], absentReason: "no fire matching: run with --fires") {
            inputs.fires = t.rows.map { r in
                Fire(id: t.text(r, "fire_id"), latitude: t.number(r, "latitude"), longitude: t.number(r, "longitude"),
                     time: UTCTime(iso8601: t.text(r, "time")), frpMW: t.number(r, "frp_mw"), confidence: t.text(r, "confidence"),
                     regionID: t.text(r, "region_id"), regionName: t.text(r, "region_name"),
                     matchedTrajectories: t.integer(r, "matched_trajectories") ?? 0, matchedEvents: t.integer(r, "matched_events") ?? 0,
                     score: t.number(r, "score"))
            }
        }
        if let t = table("fire_events.csv", ["site", "event"], absentReason: "no fire scores per event") {
            inputs.fireEvents = t.rows.map { r in
                FireEvent(site: t.text(r, "site"), event: t.integer(r, "event") ?? 0, trajectories: t.integer(r, "trajectories"),
                          fireScore: t.number(r, "fire_score"))
            }
        }
        if let t = table("fire_trajectories.csv", ["trajectory", "fire_score"], absentReason: "no fire scores per trajectory") {
            inputs.fireTrajectories = t.rows.map { r in
                FireTrajectory(trajectory: t.integer(r, "trajectory"), site: t.text(r, "site"), arrival: UTCTime(iso8601: t.text(r, "arrival_time")),
                               heightM: t.number(r, "height_m"), value: t.number(r, "value"), polluted: t.bool(r, "polluted") ?? false,
                               fireScore: t.number(r, "fire_score"), fires: t.integer(r, "fires") ?? 0)
            }
        }
        if let t = table("outside_home.csv", ["id", "name", "polluted_share"], absentReason: "no home-region shares: run with --home-regions") {
            inputs.homeShares = t.rows.map { r in
                HomeShare(id: t.text(r, "id"), name: t.text(r, "name"), pollutedResidenceHours: t.number(r, "polluted_residence_h"),
                          pollutedShare: t.number(r, "polluted_share"), isHome: t.bool(r, "is_home") ?? false)
            }
        }
        if let t = table("grid.csv", ["latitude", "longitude"], absentReason: "no PSCF/CWT grid") {
            inputs.grid = t.rows.map { r in
                GridCell(latitude: t.number(r, "latitude"), longitude: t.number(r, "longitude"), nEndpoints: t.integer(r, "n_endpoints") ?? 0,
                         nPolluted: t.integer(r, "n_polluted") ?? 0, nTrajectories: t.integer(r, "n_trajectories") ?? 0,
                         residence: t.number(r, "residence"), pscf: t.number(r, "pscf"), wpscf: t.number(r, "wpscf"), cwt: t.number(r, "cwt"),
                         wcwt: t.number(r, "wcwt"))
            }
            inputs.gridResolution = inputs.run?.setting("resolution")?.numberValue ?? Self.inferredResolution(inputs.grid)
        }
        if exists("trajectories.csv") {
            // Streamed: a reservoir sample to draw, and a summary of them all.
            var builder = TrajectorySummary.Builder()
            var sample: [(index: Int, trajectory: Trajectory)] = []
            var random = SplitMix64(seed: 1)
            let keep = ReportMaps.maximumTrajectoriesDrawn
            do {
                try TrajectoryCSVReader.forEach(path: path("trajectories.csv")) { t in
                    let k = builder.summary.count
                    builder.add(t)
                    if k < keep {
                        sample.append((k, t))
                    } else {
                        let j = random.nextIndex(below: k + 1)
                        if j < keep { sample[j] = (k, t) }
                    }
                }
                inputs.trajectories = sample.sorted { $0.index < $1.index }.map(\.trajectory)
                inputs.trajectorySummary = builder.summary
            } catch {
                inputs.notes.append(Note(file: "trajectories.csv", message: "cannot be read (\(error.localizedDescription))"))
            }
        } else {
            inputs.notes.append(Note(file: "trajectories.csv", message: "absent (no trajectories to draw)"))
        }
        if let t = table("clusters.csv", ["trajectory", "cluster"], absentReason: "no trajectory clusters") {
            for r in t.rows {
                if let id = t.integer(r, "trajectory"), let c = t.integer(r, "cluster") { inputs.clusters[id] = c }
            }
        }
        if let t = table("cluster_means.csv", ["cluster", "latitude", "longitude"], absentReason: "no cluster mean trajectories") {
            inputs.clusterMeans = t.rows.map { r in
                ClusterMeanPoint(cluster: t.integer(r, "cluster") ?? 0, ageHours: t.number(r, "age_h"), latitude: t.number(r, "latitude"),
                                 longitude: t.number(r, "longitude"), heightAGL: t.number(r, "height_agl_m"))
            }
        }
        if let t = table("cluster_summary.csv", ["cluster", "n"], absentReason: "no cluster summary") {
            inputs.clusterSummary = t.rows.map { r in
                ClusterRow(cluster: t.integer(r, "cluster") ?? 0, count: t.integer(r, "n") ?? 0, sharePercent: t.number(r, "share_pct"),
                           meanValue: t.number(r, "mean_value"))
            }
        }
        if let t = table("tsv.csv", ["clusters", "tsv"], absentReason: "no total-spatial-variance curve") {
            inputs.tsv = t.rows.map { r in
                TSVRow(clusters: t.integer(r, "clusters") ?? 0, tsv: t.number(r, "tsv"), changePercent: t.number(r, "change_pct"))
            }
        }
        inputs.readProvinces()
        inputs.readStations()
        return inputs
    }

    /// The grid's cell size inferred from the smallest spacing of the cell centres, degrees.
    static func inferredResolution(_ cells: [GridCell]) -> Double {
        var best = Double.infinity
        for values in [Set(cells.map(\.latitude)).sorted(), Set(cells.map(\.longitude)).sorted()] where values.count > 1 {
            for k in 1..<values.count where values[k] - values[k - 1] > 1e-9 { best = min(best, values[k] - values[k - 1]) }
        }
        return best.isFinite ? best : .nan
    }

    /// Reads `run.json`, or notes why not.
    mutating func readRun(path: String) {
        guard FileManager.default.fileExists(atPath: path) else {
            notes.append(Note(file: "run.json", message: "absent (no run metadata: settings, inputs and boundaries are unknown)"))
            return
        }
        let json: JSONValue
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            json = try JSONValue.parse([UInt8](data))
        } catch {
            notes.append(Note(file: "run.json", message: "cannot be read (\(error))"))
            return
        }
        let inputs = (json["inputs"]?.arrayValue ?? []).compactMap { item -> (path: String, sha256: String)? in
            guard let p = item["path"]?.stringValue else { return nil }
            return (p, item["sha256"]?.stringValue ?? "")
        }
        run = RunInfo(command: json["command"]?.stringValue ?? "?", version: json["version"]?.stringValue ?? "?",
                      settings: json["settings"]?.objectValue ?? [], inputs: inputs,
                      outputs: (json["outputs"]?.arrayValue ?? []).compactMap(\.stringValue))
        homeRegionID = run?.setting("home_region")?.stringValue
    }

    /// A path recorded in `run.json`, found as written, relative to the folder, or in `inputs/`.
    func recordedFile(_ recorded: String) -> String? {
        let base = URL(fileURLWithPath: folder)
        let name = URL(fileURLWithPath: recorded).lastPathComponent
        let candidates = [recorded, base.appendingPathComponent(recorded).path, base.appendingPathComponent("inputs").appendingPathComponent(name).path]
        return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// Reads `regions.geojson` (outlines and properties), else the regions file named in `run.json`.
    mutating func readRegionShapes(path: String) {
        if FileManager.default.fileExists(atPath: path) {
            do {
                let file = try RegionFile.read(path: path, idProperty: "id")
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                let features = (try JSONValue.parse(bytes))["features"]?.arrayValue ?? []
                regionShapes = file.regions.enumerated().map { i, region in
                    RegionShape(region: region, properties: i < features.count ? features[i]["properties"]?.objectValue ?? [] : [])
                }
                return
            } catch {
                notes.append(Note(file: "regions.geojson", message: "cannot be read (\(error)); outlines from the regions file in run.json"))
            }
        } else {
            notes.append(Note(file: "regions.geojson", message: "absent (no region outlines with statistics)"))
        }
        guard let recorded = run?.setting("regions")?.stringValue else { return }
        guard let file = recordedFile(recorded) else {
            notes.append(Note(file: recorded, message: "the regions file named in run.json cannot be found; no county outlines"))
            return
        }
        do {
            regionShapes = try RegionFile.read(path: file, idProperty: nil).regions.map { RegionShape(region: $0, properties: []) }
        } catch {
            notes.append(Note(file: recorded, message: "cannot be read (\(error)); no county outlines"))
        }
    }

    /// Reads the home-regions file named in `run.json` (the provinces).
    mutating func readProvinces() {
        guard let recorded = run?.setting("home_regions")?.stringValue else { return }
        guard let file = recordedFile(recorded) else {
            notes.append(Note(file: recorded, message: "the home-regions file named in run.json cannot be found; no province outlines"))
            return
        }
        do { provinces = try RegionFile.read(path: file, idProperty: nil).regions } catch {
            notes.append(Note(file: recorded, message: "cannot be read (\(error)); no province outlines"))
        }
    }

    /// Stations from the observations named in `run.json`, else from the trajectories' starts.
    mutating func readStations() {
        var seen = Set<String>()
        var found: [Station] = []
        if let recorded = run?.setting("observations")?.stringValue, let file = recordedFile(recorded),
           let t = try? ReportTable(path: file, required: ["site", "latitude", "longitude"]) {
            for r in t.rows {
                let site = t.text(r, "site")
                let lat = t.number(r, "latitude"), lon = t.number(r, "longitude")
                guard !seen.contains(site), lat.isFinite, lon.isFinite else { continue }
                seen.insert(site)
                found.append(Station(site: site, latitude: lat, longitude: lon))
            }
        }
        for site in trajectoryOverview.sites where !seen.contains(site.site) {
            seen.insert(site.site)
            found.append(site)
        }
        stations = found
        if stations.isEmpty && !(events.isEmpty && trajectories.isEmpty) {
            notes.append(Note(file: "observations", message: "no station positions (the observations in run.json and trajectories.csv are unavailable); stations are not drawn"))
        }
    }
}
