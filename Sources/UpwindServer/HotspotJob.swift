import Foundation
import OpenAPIRuntime
import Upwind

/// A hotspots job (`upwind hotspots` as a job): its request checked against the limits, its
/// inputs written into the job's folder (`inputs/observations.csv`, `inputs/fires.csv`,
/// `inputs/regions.geojson`, `inputs/home_regions.geojson`) and the ``HotspotPipeline`` run
/// on the dataset's files, writing the files `upwind hotspots --out` writes.
struct HotspotJob: Sendable {
    let request: Components.Schemas.HotspotsJobRequest
    let met: [String]
    let rules: HotspotRules
    let heights: [Double]
    let hours: Int
    let every: Int?
    let ensemble: EnsembleMode
    let grid: ReceptorGridSettings
    let bounds: GridBounds?
    let clusters: ClusterCount?
    let places: PlaceOptions
    let report: Bool
    let starts: Int

    /// Checks a request; the settings go through the library's own parsers (the ones
    /// `upwind hotspots` uses), so a value the CLI refuses is refused here too.
    /// - Throws: ``APIError`` 400 for missing parts, 422 for an unknown dataset, limits exceeded
    ///   or settings the library refuses (`invalid_settings`, naming the setting).
    init(request: Components.Schemas.HotspotsJobRequest, config: ServerConfig, datasets: DatasetRegistry) throws {
        self.request = request
        met = try datasets.entry(request.dataset).source.paths
        let observations = request.observations
        guard !observations.isEmpty else {
            throw APIError.badRequest("a hotspots job needs \"observations\": [{site, latitude, longitude, time, value}, …]")
        }
        func invalid(_ message: String) -> APIError { .unprocessable("invalid_settings", message) }
        let s = request.settings
        do {
            rules = try HotspotRules(threshold: s?.hotspotThreshold, percentile: s?.hotspotPercentile, spatialFactor: s?.hotspotSpatialFactor)
        } catch {
            throw invalid("\(error.description) (settings.hotspotThreshold, hotspotPercentile, hotspotSpatialFactor)")
        }
        heights = s?.heights ?? [100, 500, 1000]
        guard !heights.isEmpty, heights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw invalid("settings.heights must be metres above ground, at least one, none negative")
        }
        hours = s?.hours?.value ?? -72
        guard hours != 0 else { throw invalid("settings.hours must not be 0 (negative for backward trajectories)") }
        let limits = config.limits
        guard abs(hours) <= limits.maxHours else {
            throw APIError.unprocessable("limit_exceeded", "settings.hours \(hours) is longer than this server's limit of \(limits.maxHours) h (limits.maxHours)",
                                         details: [("limit", .number(Double(limits.maxHours)))])
        }
        every = s?.every
        if let every, every < 1 { throw invalid("settings.every must be at least 1 hour") }
        guard let mode = EnsembleMode(parsing: s?.ensemble?.rawValue ?? "none") else { throw invalid("settings.ensemble must be none, all or events") }
        ensemble = mode
        if mode != .none && limits.maxMembers < RunLimits.ensembleMembers {
            throw APIError.unprocessable("limit_exceeded", "the ensemble has \(RunLimits.ensembleMembers) members per start, more than this server's limit of \(limits.maxMembers) (limits.maxMembers)")
        }
        // The receptor-grid settings as `upwind hotspots` builds them (GridOptions.settings()).
        do {
            grid = try ReceptorGridSettings(parsingPreset: s?.preset?.rawValue, resolution: s?.resolution, criterion: s?.criterion,
                                            residenceNormalisation: s?.residenceNorm?.rawValue, pscfWeights: s?.pscfWeights,
                                            cwtWeights: s?.cwtWeights, maxHeight: s?.maxHeight, segments: s?.segments ?? false,
                                            includeAgeZero: s?.includeAgeZero ?? false, countsMissingValues: s?.countMissing)
            bounds = try s?.bounds.map { text throws(ReceptorGridError) in try GridBounds(parsing: text) }
        } catch {
            throw invalid("\(error.description) (settings: preset, resolution, criterion, residenceNorm, pscfWeights, cwtWeights, maxHeight, bounds)")
        }
        let clusterText = s?.clusters ?? "auto"
        if clusterText.lowercased() == "none" {
            clusters = nil
        } else if let c = ClusterCount(parsing: clusterText) {
            clusters = c
        } else {
            throw invalid("settings.clusters must be auto, none or a number of clusters ≥ 1, not '\(clusterText.prefix(50))'")
        }
        // The place options as `upwind hotspots` checks them (PlaceCLIOptions.validate()).
        if (request.homeRegions == nil) != (s?.homeRegion == nil) {
            throw invalid("homeRegions and settings.homeRegion go together (a FeatureCollection and the id of the home region in it)")
        }
        let fireRadius = s?.fireRadius ?? 25
        guard fireRadius.isFinite, fireRadius > 0, fireRadius <= 1000 else {
            throw invalid("settings.fireRadius must be a distance in km between 0 and 1000, not \(fireRadius)")
        }
        let bootstrap = s?.bootstrap ?? 200
        guard (0 ... 100_000).contains(bootstrap) else { throw invalid("settings.bootstrap must be between 0 and 100000, not \(bootstrap)") }
        guard (s?.seed ?? 1) >= 0 else { throw invalid("settings.seed must be 0 or more") }
        places = PlaceOptions(regionIDProperty: s?.regionId, fireRadiusKm: fireRadius, homeRegion: s?.homeRegion,
                              rankBy: s?.rankBy ?? "polluted_share", bootstrap: bootstrap, seed: UInt64(s?.seed ?? 1))
        report = s?.report ?? false
        // Starts: one per site and observation hour (every `every` hours) and height, × 27 with
        // the ensemble for every start; counted before anything is written or run.
        let arrivals = Set(observations.map { "\($0.site)\u{1}\($0.time)" }).count
        let perHeight = every.map { (arrivals + $0 - 1) / $0 } ?? arrivals
        let (n, o1) = perHeight.multipliedReportingOverflow(by: heights.count)
        let (total, o2) = n.multipliedReportingOverflow(by: mode == .all ? RunLimits.ensembleMembers : 1)
        guard !o1, !o2, total <= limits.maxStarts else {
            throw APIError.unprocessable("limit_exceeded", "the job makes about \(o1 || o2 ? "too many" : "\(total)") trajectories (\(arrivals) site hours × \(heights.count) heights\(mode == .all ? " × 27 members" : "")), more than this server's limit of \(limits.maxStarts) (limits.maxStarts): send fewer observations or heights, or a larger settings.every",
                                         details: [("limit", .number(Double(limits.maxStarts)))])
        }
        starts = total
    }

    /// Writes the inputs into `folder/inputs` (atomically) and returns the work.
    func prepare(folder: String) throws -> JobWork {
        let inputs = (folder as NSString).appendingPathComponent("inputs")
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: true)
        func path(_ name: String) -> String { (inputs as NSString).appendingPathComponent(name) }
        let observations = request.observations
        let hasPollutant = observations.contains { $0.pollutant != nil }, hasUnit = observations.contains { $0.unit != nil }
        var csv = "site,latitude,longitude,time,value" + (hasPollutant ? ",pollutant" : "") + (hasUnit ? ",unit" : "") + "\n"
        for o in observations {
            var fields = [Self.field(o.site), JSONText.number(o.latitude), JSONText.number(o.longitude), Self.field(o.time), JSONText.number(o.value)]
            if hasPollutant { fields.append(Self.field(o.pollutant ?? "")) }
            if hasUnit { fields.append(Self.field(o.unit ?? "")) }
            csv += fields.joined(separator: ",") + "\n"
        }
        try JobManager.writeAtomically(Data(csv.utf8), to: path("observations.csv"))
        var places = self.places
        if let fires = request.fires {
            try JobManager.writeAtomically(Data(Self.firesCSV(fires.map(\.additionalProperties)).utf8), to: path("fires.csv"))
            places.firesPath = path("fires.csv")
        }
        if let regions = request.regions {
            try JobManager.writeAtomically(try JSONEncoder().encode(regions), to: path("regions.geojson"))
            places.regionsPath = path("regions.geojson")
        }
        if let home = request.homeRegions {
            try JobManager.writeAtomically(try JSONEncoder().encode(home), to: path("home_regions.geojson"))
            places.homeRegionsPath = path("home_regions.geojson")
        }
        let s = request.settings
        let pipelineInputs = (met: met, observations: path("observations.csv"), pollutant: s?.pollutant, timezone: s?.timezone)
        let (rules, heights, hours, every, ensemble, grid, bounds, clusters, report) =
            (self.rules, self.heights, self.hours, self.every, self.ensemble, self.grid, self.bounds, self.clusters, self.report)
        let placeOptions = places
        return JobWork(total: starts) { out, progress in
            let pipeline = HotspotPipeline(met: pipelineInputs.met, observationsPath: pipelineInputs.observations, pollutant: pipelineInputs.pollutant,
                                           timezone: pipelineInputs.timezone, rules: rules, heights: heights, hours: hours, everyHours: every,
                                           ensemble: ensemble, settings: grid, bounds: bounds, outputFolder: out, places: placeOptions, clusters: clusters)
            let result = try await pipeline.run(progress: progress)
            var files = result.outputs.map { ($0 as NSString).lastPathComponent }
            if report {
                // As `upwind hotspots --report`: the HTML report from the folder's files.
                let written = try HTMLReport(try ReportInputs.load(folder: out)).write(to: (out as NSString).appendingPathComponent("report.html"))
                files += written.map { ($0 as NSString).lastPathComponent }
            }
            return (Self.summary(result), files)
        }
    }

    /// The summary (the keys of `upwind hotspots --json` that do not name files).
    static func summary(_ r: HotspotPipeline.Result) -> JSONValue {
        .object([("command", .string("hotspots")), ("events", .number(Double(r.events.count))), ("trajectories", .number(Double(r.run.count))),
                 ("skipped_starts", .number(Double(r.run.skipped.count))), ("matched", .number(Double(r.matches.matched.count))),
                 ("criterion_value", .number(r.criterionValue)), ("polluted_trajectories", .number(Double(r.grid.pollutedTrajectoryCount))),
                 ("cells", .number(Double(r.grid.cellCount))), ("clusters", r.clustering.map { .number(Double($0.clusterCount)) } ?? .null),
                 ("text", .string(r.summary))])
    }

    /// FIRMS rows (objects) as a CSV with the union of their keys as the header.
    static func firesCSV(_ rows: [OpenAPIObjectContainer]) -> String {
        var columns: [String] = []
        var seen: Set<String> = []
        for row in rows { for key in row.value.keys.sorted() where !seen.contains(key) { seen.insert(key); columns.append(key) } }
        var text = columns.map(field).joined(separator: ",") + "\n"
        for row in rows {
            text += columns.map { key -> String in
                guard let v = row.value[key] ?? nil else { return "" }
                switch v {
                case let b as Bool: return b ? "true" : "false"
                case let i as Int: return String(i)
                case let d as Double: return JSONText.number(d)
                case let s as String: return field(s)
                default: return field("\(v)")
                }
            }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// A CSV field, quoted when it holds a comma, quote or line break.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Components.Schemas.Hours {
    /// The run length, hours (either range of the document's `oneOf`).
    var value: Int {
        switch self {
        case .case1(let h), .case2(let h): return h
        }
    }
}
