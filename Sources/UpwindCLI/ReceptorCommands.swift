import ArgumentParser
import Foundation
import Upwind

/// The observation and output options every attribution command shares.
struct ObservationOptions: ParsableArguments {
    @Option(name: .customLong("observations"), help: ArgumentHelp("Observations CSV: site,latitude,longitude,time,value (+ pollutant, unit).", valueName: "file"))
    var observations: String

    @Option(name: .customLong("out"), help: ArgumentHelp("Output folder (created): the grid files, run.json and the command's own outputs.", valueName: "dir"))
    var out: String

    @Option(name: .customLong("pollutant"), help: "The pollutant to use when the observations hold several.")
    var pollutant: String?

    @Option(name: .customLong("timezone"), help: ArgumentHelp("UTC offset of observation times written without a zone, e.g. +08:00.", valueName: "±hh:mm"))
    var timezone: String?
}

/// The options `upwind pscf`, `cwt` and `residence` share (issue 10 item 3–4).
struct ReceptorOptions: ParsableArguments {
    @Option(name: .customLong("trajectories"), parsing: .upToNextOption,
            help: ArgumentHelp("Trajectory files: engine CSV, tdump or CF trajectory NetCDF (keys <id>, or <n>:<id> with several files).", valueName: "file"))
    var trajectories: [String] = []

    @OptionGroup var input: ObservationOptions

    @Option(name: .customLong("site"), help: "Site name for tdump trajectories (else the nearest observation site within 1 km).")
    var site: String?

    @OptionGroup var grid: GridOptions

    @OptionGroup var terminal: TerminalOptions

    func validate() throws {
        if trajectories.isEmpty { throw ValidationError("give the trajectories with --trajectories FILE... (engine CSV, tdump or NetCDF)") }
    }

    /// Runs the analysis as `command` and prints its summary.
    func run(command: String) async throws {
        let analysis = ReceptorAnalysis(command: command, trajectoryPaths: trajectories, observationsPath: input.observations, pollutant: input.pollutant,
                                        timezone: input.timezone, site: site, settings: try grid.settings(), bounds: try grid.parsedBounds(),
                                        outputFolder: input.out)
        report(try await analysis.run(), command: command)
    }

    /// Prints a receptor analysis's summary (or JSON) and its note on unmatched trajectories.
    func report(_ result: ReceptorAnalysis.Result, command: String) {
        terminal.say(result.summary + ": " + result.outputs.map { URL(fileURLWithPath: input.out).appendingPathComponent($0).path }.joined(separator: ", "))
        if !result.unmatched.unmatched.isEmpty { terminal.note(result.unmatched.summary) }
        var keys: [(String, JSONValue)] = [
            ("command", .string(command)), ("trajectories", JSONSummary.count(result.trajectoryCount)),
            ("matched", JSONSummary.count(result.matchedCount)), ("unmatched", JSONSummary.count(result.unmatched.unmatched.count)),
            ("criterion_value", .number(result.criterionValue)), ("polluted_trajectories", JSONSummary.count(result.grid.pollutedTrajectoryCount)),
            ("cells", JSONSummary.count(result.cells.count)),
        ]
        if command == "attribute" { keys += [("events", JSONSummary.count(result.events.count))] + JSONSummary.places(result.places) }
        terminal.emit(.object(keys + [("outputs", JSONSummary.paths(result.outputs, in: input.out))]))
    }
}

/// The receptor-grid options every attribution command shares (issue 10 item 3).
struct GridOptions: ParsableArguments {
    @Option(name: .customLong("preset"), help: "openair or trajstat: every convention of that tool (explicit flags override its parts).")
    var preset: String?

    @Option(name: .customLong("resolution"), help: ArgumentHelp("Cell size in degrees; cells are centred on its multiples (default 0.5).", valueName: "deg"))
    var resolution: Double?

    @Option(name: .customLong("bounds"), parsing: .unconditional,
            help: ArgumentHelp("Clip what is written: LAT0,LAT1,LON0,LON1 (negative values allowed).", valueName: "lat0,lat1,lon0,lon1"))
    var bounds: String?

    @Option(name: .customLong("criterion"), help: ArgumentHelp("Polluted when the receptor value exceeds p75 (default), p90 or a VALUE.", valueName: "p75|p90|VALUE"))
    var criterion: String?

    @Option(name: .customLong("residence-norm"), help: "trajectories (default), endpoints-per-trajectory, endpoints or max (HYSPLIT's four).")
    var residenceNorm: String?

    @Option(name: .customLong("pscf-weights"), help: ArgumentHelp("openair (default), trajstat, none, relative:T1,T2,T3:W0,W1,W2,W3 or absolute:….", valueName: "weights"))
    var pscfWeights: String?

    @Option(name: .customLong("cwt-weights"), help: ArgumentHelp("openair (default), trajstat, none, relative:… or absolute:….", valueName: "weights"))
    var cwtWeights: String?

    @Option(name: .customLong("max-height"), help: ArgumentHelp("Count only endpoints below METRES above ground, or below the mixing depth.", valueName: "metres|mixing-depth"))
    var maxHeight: String?

    @Flag(name: .customLong("segments"), help: "Rasterise segments between endpoints by the time spent in each cell.")
    var segments = false

    @Flag(name: .customLong("include-age-zero"), help: "Count each trajectory's start endpoint (openair does; Upwind does not by default).")
    var includeAgeZero = false

    @Flag(name: .customLong("count-missing"), inversion: .prefixedNo,
          help: "Count endpoints of trajectories whose observation is missing (NA) in n and residence, not in PSCF's m or CWT (openair does; default off, on with --preset openair).")
    var countMissing: Bool?

    func validate() throws {
        _ = try settings()
        _ = try parsedBounds()
    }

    /// A parser's error as a usage error.
    func parse<T>(_ body: () throws(ReceptorGridError) -> T) throws -> T {
        do { return try body() } catch { throw ValidationError(error.description) }
    }

    /// `--bounds`, parsed.
    func parsedBounds() throws -> GridBounds? {
        try bounds.map { b in try parse { () throws(ReceptorGridError) in try GridBounds(parsing: b) } }
    }

    /// The grid settings: the preset's (or Upwind's defaults), then every flag given.
    func settings() throws -> ReceptorGridSettings {
        try parse { () throws(ReceptorGridError) in
            try ReceptorGridSettings(parsingPreset: preset, resolution: resolution, criterion: criterion, residenceNormalisation: residenceNorm,
                                     pscfWeights: pscfWeights, cwtWeights: cwtWeights, maxHeight: maxHeight, segments: segments,
                                     includeAgeZero: includeAgeZero, countsMissingValues: countMissing)
        }
    }
}

/// The discussion every receptor command shares.
private let receptorDiscussion = """
Trajectories (--trajectories: the engine CSV, HYSPLIT tdump or CF trajectory NetCDF) are matched to the observation of their site at their arrival time (tdump starts: --site, else the nearest observation site within 1 km); unmatched trajectories are counted and reported. A trajectory is polluted when its receptor value exceeds --criterion (default p75: R's type-7 quantile over the observations used, strictly greater). Every field is written: endpoint counts, residence time, PSCF and weighted PSCF, CWT and weighted CWT, and the Seibert concentration field, on the global lattice of cells centred on multiples of --resolution. Outputs in --out: grid.csv, grid.nc, grid.geojson and run.json (settings, the resolved criterion, input SHA-256s).

Examples:
  upwind pscf --trajectories back.csv --observations pm25.csv --timezone +08:00 --out pscf/
  upwind cwt --trajectories tdump_zz tdump_ay --site Zhengzhou --observations pm25.csv --preset openair --out cwt/
  upwind residence --trajectories season.nc --observations pm25.csv --residence-norm endpoints --bounds 25,45,100,125 --out rt/
""" + jsonSummaryHelp("command, trajectories (read), matched, unmatched, criterion_value, polluted_trajectories, cells (written) and outputs (paths)")

/// `upwind pscf`.
struct PSCF: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pscf", abstract: "Potential source contribution function (PSCF, weighted PSCF) on a grid.",
                                                    discussion: receptorDiscussion)
    @OptionGroup var options: ReceptorOptions
    func run() async throws { try await options.run(command: "pscf") }
}

/// `upwind cwt`.
struct CWT: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cwt", abstract: "Concentration-weighted trajectory field (CWT, weighted CWT, Seibert) on a grid.",
                                                    discussion: receptorDiscussion)
    @OptionGroup var options: ReceptorOptions
    func run() async throws { try await options.run(command: "cwt") }
}

/// `upwind residence`.
struct Residence: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "residence", abstract: "Residence time of trajectories on a grid (HYSPLIT's four normalisations).",
                                                    discussion: receptorDiscussion)
    @OptionGroup var options: ReceptorOptions
    func run() async throws { try await options.run(command: "residence") }
}

/// `upwind hotspots`: detect, trace, attribute.
struct Hotspots: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotspots",
        abstract: "Detect hotspot events, run back trajectories at every observation hour, and grid PSCF, CWT and residence time.",
        discussion: """
        Hotspot hours are those above --hotspot-threshold, above --hotspot-percentile P of the site's period, or above --hotspot-spatial-factor F × the median over all sites at that hour (any rule given flags an hour; at least one is required); contiguous hours form events. Back trajectories run at every observation hour of every site (or every --every), at every --heights, through the sweep; starts outside the met are skipped and counted. Outputs in --out: events.csv (site,event,start_time,end_time,hours,peak_value,mean_value,criterion), trajectories.csv (the engine CSV), grid.csv, grid.nc, grid.geojson (as upwind pscf), the cluster files (as upwind cluster; --clusters none skips them), with --ensemble all|events event_ensemble.csv (and with events ensemble_trajectories.csv), and run.json; with --regions, --fires or --home-regions also the files of upwind attribute (regions.csv, regions.geojson, fires.csv, outside_home.csv).

        Examples:
          upwind hotspots --met 'era5/2024-10-*.nc' --observations pm25.csv --timezone +08:00 --hotspot-threshold 75 --out episode/
          upwind hotspots --met gdas.bin --observations pm25.csv --hotspot-percentile 90 --heights 500 --hours -48 --every 3h --out hot/
          upwind hotspots --met 'era5/*.nc' --observations pm25.csv --hotspot-threshold 75 --regions henan-counties.geojson --fires firms.csv \\
            --home-regions china-provinces.geojson --home-region 410000 --out episode/
        """ + jsonSummaryHelp(hotspotsJSONKeys)
    )

    @Option(name: .customLong("met"), help: ArgumentHelp("Met file or quoted glob (repeatable).", valueName: "file|glob"))
    var met: [String] = []

    @OptionGroup var input: ObservationOptions

    @OptionGroup var hotspot: HotspotRuleOptions

    @Option(name: .customLong("heights"), help: ArgumentHelp("Start heights, m above ground (default 100,500,1000).", valueName: "h1,h2,..."))
    var heights: String = "100,500,1000"

    @Option(name: .customLong("hours"), parsing: .unconditional, help: ArgumentHelp("Run length in hours (default -72: backward).", valueName: "n"))
    var hours: Int = -72

    @Option(name: .customLong("every"), help: ArgumentHelp("Hours between arrival times, e.g. 3h (default: every observation hour).", valueName: "Nh"))
    var every: String?

    @Option(name: .customLong("ensemble"), defaultAsFlag: "all",
            help: ArgumentHelp("HYSPLIT's 27-member met-offset ensemble: none (default); all (every start, every member analysed; a bare --ensemble means all); events (members only for starts inside hotspot events, kept out of the grid, written to ensemble_trajectories.csv with each event's spread, fire-matched share and top region in event_ensemble.csv).", valueName: "none|all|events"))
    var ensemble: String? = nil

    @OptionGroup var grid: GridOptions

    @OptionGroup var places: PlaceCLIOptions

    @Option(name: .customLong("clusters"), help: ArgumentHelp("Cluster the trajectories (Ward, HYSPLIT's TSV): auto (default), N clusters, or none.", valueName: "auto|N|none"))
    var clusters: String = "auto"

    @OptionGroup var terminal: TerminalOptions

    @Flag(name: .customLong("report"), help: "Also write the HTML report (report.html and its SVG maps) into --out, as upwind report does.")
    var report = false

    func validate() throws {
        if met.isEmpty { throw ValidationError("give the met with --met FILE (repeatable)") }
        _ = try clusterCount()
        _ = try rules()
        _ = try parsedHeights()
        _ = try everyHours()
        _ = try ensembleMode()
        if hours == 0 { throw ValidationError("--hours must not be 0 (negative for backward trajectories)") }
    }

    func rules() throws -> HotspotRules {
        guard let rules = try hotspot.rules() else {
            throw ValidationError("give at least one hotspot rule: --hotspot-threshold VALUE, --hotspot-percentile P or --hotspot-spatial-factor F")
        }
        return rules
    }

    func parsedHeights() throws -> [Double] {
        let parts = heights.split(separator: ",", omittingEmptySubsequences: false)
        let list = parts.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }.filter { $0.isFinite && $0 >= 0 }
        guard !parts.isEmpty, list.count == parts.count else {
            throw ValidationError("--heights must be metres above ground separated by commas, e.g. 100,500,1000, not '\(heights)'")
        }
        return list
    }

    /// `--clusters`: nil for none.
    func clusterCount() throws -> ClusterCount? {
        if clusters.lowercased() == "none" { return nil }
        guard let count = ClusterCount(parsing: clusters) else {
            throw ValidationError("--clusters must be auto, none or a number of clusters ≥ 1, not '\(clusters)'")
        }
        return count
    }

    /// `--ensemble`: none without it, all when bare.
    func ensembleMode() throws -> EnsembleMode {
        guard let ensemble else { return .none }
        guard let mode = EnsembleMode(parsing: ensemble) else { throw ValidationError("--ensemble must be none, all or events, not '\(ensemble)'") }
        return mode
    }

    func everyHours() throws -> Int? {
        guard let every else { return nil }
        let text = every.lowercased().hasSuffix("h") ? String(every.dropLast()) : every
        guard let n = Int(text), n >= 1 else { throw ValidationError("--every must be whole hours, e.g. 3h, not '\(every)'") }
        return n
    }

    func run() async throws {
        let pipeline = HotspotPipeline(met: met, observationsPath: input.observations, pollutant: input.pollutant, timezone: input.timezone, rules: try rules(),
                                       heights: try parsedHeights(), hours: hours, everyHours: try everyHours(), ensemble: try ensembleMode(),
                                       settings: try grid.settings(), bounds: try grid.parsedBounds(), outputFolder: input.out,
                                       places: places.options, clusters: try clusterCount())
        let bar = terminal.progressBar()
        let result = try await bar.around { try await pipeline.run(progress: { bar.update($0) }) }
        terminal.say(result.summary + ": " + result.outputs.map { URL(fileURLWithPath: input.out).appendingPathComponent($0).path }.joined(separator: ", "))
        if !result.matches.unmatched.isEmpty { terminal.note(result.matches.summary) }
        var json = Self.json(result, out: input.out)
        if report {
            let written = try HTMLReport(try ReportInputs.load(folder: input.out))
                .write(to: URL(fileURLWithPath: input.out).appendingPathComponent("report.html").path)
            terminal.say("report: \(written[0])")
            if case .object(var pairs) = json { pairs.append(("report", JSONSummary.path(written[0]))); json = .object(pairs) }
        }
        terminal.emit(json)
    }

    /// The JSON summary of a hotspots run (the keys the help lists).
    static func json(_ result: HotspotPipeline.Result, out: String) -> JSONValue {
        .object([("command", .string("hotspots")), ("events", JSONSummary.count(result.events.count))] + JSONSummary.run(result.run)
                + [("matched", JSONSummary.count(result.matches.matched.count)), ("criterion_value", .number(result.criterionValue)),
                   ("polluted_trajectories", JSONSummary.count(result.grid.pollutedTrajectoryCount)),
                   ("cells", JSONSummary.count(result.grid.cellCount)),
                   ("clusters", result.clustering.map { JSONSummary.count($0.clusterCount) } ?? .null)]
                + JSONSummary.places(result.places)
                + [("seconds", .object([("trajectories", JSONSummary.seconds(result.seconds.trajectories)),
                                        ("attribution", JSONSummary.seconds(result.seconds.attribution)),
                                        ("outputs", JSONSummary.seconds(result.seconds.recording))])),
                   ("outputs", JSONSummary.paths(result.outputs, in: out))])
    }
}

/// The keys of `upwind hotspots --json` (and of the analysis part of `upwind demo --json`).
let hotspotsJSONKeys = "command, events, trajectories, terminated (reason → count), skipped_starts, matched, criterion_value, polluted_trajectories, cells, clusters (null with --clusters none), top_regions (the first 10 rows of regions.csv: rank, id, name, polluted_share, residence_h, fire_score, rank_low, rank_high; null without --regions), outside_home_share (0–1; null without a home region), fires_matched (null without --fires), seconds (trajectories, attribution, outputs), outputs (paths) and, with --report, report (the HTML report's path)"

/// `--hotspot-threshold`, `--hotspot-percentile`, `--hotspot-spatial-factor` (issue 10 item 2).
struct HotspotRuleOptions: ParsableArguments {
    @Option(name: .customLong("hotspot-threshold"), help: ArgumentHelp("Hours above VALUE are hotspots (e.g. 75).", valueName: "value"))
    var threshold: Double?

    @Option(name: .customLong("hotspot-percentile"), help: ArgumentHelp("Hours above the site's P-th percentile are hotspots.", valueName: "P"))
    var percentile: Double?

    @Option(name: .customLong("hotspot-spatial-factor"), help: ArgumentHelp("Hours above F × the median over all sites are hotspots.", valueName: "F"))
    var spatialFactor: Double?

    /// The rules given, or nil when none is.
    func rules() throws -> HotspotRules? {
        guard threshold != nil || percentile != nil || spatialFactor != nil else { return nil }
        do {
            return try HotspotRules(threshold: threshold, percentile: percentile, spatialFactor: spatialFactor)
        } catch {
            throw ValidationError("\(error.description) (--hotspot-threshold, --hotspot-percentile, --hotspot-spatial-factor)")
        }
    }
}

/// `upwind attribute`: rank regions and fire points from trajectories and observations (issue 11 item 4).
struct Attribute: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribute",
        abstract: "Rank the regions (counties) and fire points behind polluted arrivals, with the receptor grids.",
        discussion: """
        Trajectories are matched to observations and gridded as by upwind pscf (every receptor-model option applies). Each region of --regions then gets its residence time of all and of polluted trajectories (hours; an endpoint weighs its spacing, normally 1 h), its polluted share (of all polluted-trajectory residence, 0-1), its enhancement ratio (polluted over clean residence share), the area-weighted PSCF, WPSCF, CWT and WCWT of the grid cells over it, and its fire score; regions are ranked by --rank-by (descending) with rank_low/rank_high, the 5th-95th percentile of the rank over --bootstrap resamples of the trajectories (SplitMix64 from --seed). Fire points (--fires, NASA FIRMS CSV) match an endpoint within --fire-radius km, detected from 12 h before to 3 h after it, with the endpoint below its mixing depth (else 1500 m); a match adds w·FRP·exp(-d²/2r²) (w: MODIS confidence/100, VIIRS l 0.3, n 0.8, h 1.0); a fire's score sums the matches of polluted trajectories, a region's fire score the scores of its fires and fire_count the fires with a score. Hotspot events (events.csv; matched_events in fires.csv) follow the --hotspot-* rules, else the runs of hours above the criterion. --home-regions/--home-region give the share of polluted residence outside the home region (outside_home.csv).
        Outputs in --out: regions.csv, regions.geojson, fires.csv, fire_events.csv and fire_trajectories.csv (with --fires), outside_home.csv (with a home region), events.csv, grid.csv, grid.nc, grid.geojson and run.json.

        Examples:
          upwind attribute --trajectories back.csv --observations pm25.csv --timezone +08:00 --regions henan-counties.geojson --out counties/
          upwind attribute --trajectories back.csv --observations pm25.csv --regions henan-counties.geojson --fires firms_viirs.csv \\
            --home-regions china-provinces.geojson --home-region 410000 --rank-by fire_score --bootstrap 200 --seed 1 --out attribution/
        """ + jsonSummaryHelp("command, trajectories (read), matched, unmatched, criterion_value, polluted_trajectories, cells, events, top_regions (the first 10 rows of regions.csv: rank, id, name, polluted_share, residence_h, fire_score, rank_low, rank_high), outside_home_share (0–1, null without a home region), fires_matched (null without --fires) and outputs (paths)")
    )

    @OptionGroup var receptor: ReceptorOptions

    @OptionGroup var places: PlaceCLIOptions

    @OptionGroup var hotspot: HotspotRuleOptions

    func validate() throws {
        if places.regions == nil { throw ValidationError("give the regions to rank with --regions FILE.geojson (e.g. counties)") }
        _ = try hotspot.rules()
    }

    func run() async throws {
        let input = receptor.input
        let analysis = ReceptorAnalysis(command: "attribute", trajectoryPaths: receptor.trajectories, observationsPath: input.observations,
                                        pollutant: input.pollutant, timezone: input.timezone, site: receptor.site,
                                        settings: try receptor.grid.settings(), bounds: try receptor.grid.parsedBounds(), outputFolder: input.out,
                                        places: places.options, hotspotRules: try hotspot.rules())
        receptor.report(try await analysis.run(), command: "attribute")
    }
}
