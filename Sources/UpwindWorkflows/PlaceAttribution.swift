import Foundation
import UpwindAttribution
import UpwindCore
import UpwindFormats

/// Attribution to places (issue 11 items 1–2, 4) for trajectories already matched to
/// observations: ranks regions (counties) by residence, polluted share, enhancement ratio, the
/// grid scores and fire scores with a bootstrap rank range, scores fire points, and gives the
/// joint-control view of the home region. `upwind attribute` and `upwind hotspots` call it
/// through ``ReceptorAnalysis`` and ``HotspotPipeline``; a service or script can call it directly.
///
/// Its inputs are read and checked by ``load(_:includeAgeZero:)`` before any trajectory is computed, so a bad
/// region file, FIRMS file or home id fails a run at once and leaves nothing half-written.
public struct PlaceAttribution: Sendable {
    /// The options.
    public let options: PlaceOptions
    /// The regions ranked (`--regions`), or nil.
    public let regions: RegionFile?
    /// The joint-control view's regions (`--home-regions`), or nil.
    public let homeRegions: RegionFile?
    /// The fire points (`--fires`), or nil.
    public let fires: [FirePoint]?
    /// The fire matcher, built once (nil without fires).
    let matcher: FireMatcher?
    let regionIndex: RegionIndex?
    let homeIndex: RegionIndex?

    /// Reads and checks every place input of `options`.
    /// - Parameters:
    ///   - options: the options.
    ///   - includeAgeZero: whether age-0 endpoints may match fires (the receptor grid's setting).
    /// - Returns: the loaded inputs.
    /// - Throws: `RegionFileError` (bad GeoJSON, unknown `--region-id` property, unknown home
    ///   id), `FIRMSCSVError` (missing columns, bad rows, with the line), `FireMatchError`
    ///   (bad radius or window), `RegionError` for an unknown `--rank-by` column or home id.
    public static func load(_ options: PlaceOptions, includeAgeZero: Bool) throws -> PlaceAttribution {
        _ = try RegionScore(parsing: options.rankBy)
        let regions = try options.regionsPath.map { try RegionFile.read(path: $0, idProperty: options.regionIDProperty) }
        let home = try options.homeRegionsPath.map { try RegionFile.read(path: $0) }
        let regionIndex = try regions?.index()
        let homeIndex = try home?.index()
        if let homeIndex, let id = options.homeRegion, homeIndex.index(ofID: id) == nil {
            throw RegionError.unknownHomeRegion(id: id, available: Array(homeIndex.regions.prefix(10).map(\.id)), count: homeIndex.count)
        }
        let fires = try options.firesPath.map { try FIRMSCSVReader.read(path: $0) }
        let matcher = try fires.map {
            try FireMatcher(fires: $0, settings: FireMatchSettings(radiusKm: options.fireRadiusKm, hoursBefore: options.fireHoursBefore,
                                                                   hoursAfter: options.fireHoursAfter,
                                                                   fallbackMaxHeightM: options.fireFallbackMaxHeight,
                                                                   includeAgeZero: includeAgeZero))
        }
        return PlaceAttribution(options: options, regions: regions, homeRegions: home, fires: fires, matcher: matcher,
                                regionIndex: regionIndex, homeIndex: homeIndex)
    }

    /// What attribution to places found and wrote.
    public struct Result: Sendable {
        /// The regions ranked, with the home view; nil without regions.
        public var regions: RegionAttributionResult?
        /// The fire scores; nil without fires.
        public var fires: FireMatchResult?
        /// Each fire's region (position in the regions file), nil outside every region.
        public var fireRegions: [Int?]
        /// Files written, relative to the output folder.
        public var outputs: [String]
        /// What `run.json` records of the results (beyond the options).
        public var record: [(String, JSONValue)]
        /// One line for people, e.g. `157 regions (top: 中原区 0.183), 42 of 120 fires matched, 61.2 % of polluted residence outside 河南省`.
        public var summary: String
    }

    /// Attributes matched trajectories to the places and writes `regions.csv`, `regions.geojson`,
    /// `fires.csv`, `fire_events.csv`, `fire_trajectories.csv` and `outside_home.csv` (each only
    /// when its input was given) into `folder`.
    /// - Parameters:
    ///   - trajectories: the trajectories matched to observations (their `start.site` is the site).
    ///   - keys: each trajectory's key in `fire_trajectories.csv` (default: its id).
    ///   - values: each trajectory's receptor value (NaN for a missing one counted under
    ///     `countsMissingValues`).
    ///   - settings: the receptor-grid settings (the same filters and polluted test apply).
    ///   - criterionValue: the resolved criterion.
    ///   - cells: the grid's cells for the area-weighted grid scores.
    ///   - events: the hotspot events (for `matched_events` and event scores).
    ///   - folder: the output folder (exists).
    ///   - maxConcurrency: tasks at once.
    /// - Returns: the result.
    public func attribute(trajectories: [Trajectory], keys: [String]? = nil, values: [Double], settings: ReceptorGridSettings,
                          criterionValue: Double, cells: [ReceptorGridCell], events: [HotspotEvent], into folder: String,
                          maxConcurrency: Int = 2) async throws -> Result {
        let probe = try ReceptorGrid(settings: settings, criterionValue: criterionValue)
        let polluted = values.map { !$0.isNaN && $0 != settings.missingValue && probe.isPolluted($0) }
        var outputs: [String] = []
        var record: [(String, JSONValue)] = []
        var lines: [String] = []
        let url = URL(fileURLWithPath: folder)

        // Fires: scores per trajectory, event and fire; each fire located in a region.
        var fireResult: FireMatchResult?
        var fireRegions: [Int?] = []
        if let matcher, let fires {
            let eventOf = HotspotEventIndex(events).events(of: trajectories)
            let result = await matcher.match(trajectories: trajectories, polluted: polluted, eventOfTrajectory: eventOf,
                                             eventCount: events.count, maxConcurrency: maxConcurrency)
            fireResult = result
            fireRegions = fires.map { regionIndex?.locate(latitude: $0.latitude, longitude: $0.longitude) }
            let labels: [FiresCSV.Region?]? = regionIndex.map { index in
                fireRegions.map { $0.map { FiresCSV.Region(id: index.regions[$0].id, name: index.regions[$0].name) } }
            }
            try FiresCSV.write(fires: fires, summaries: result.perFire, regions: labels, to: url.appendingPathComponent("fires.csv").path)
            var perEvent = [Int](repeating: 0, count: events.count)
            for e in eventOf { if let e { perEvent[e] += 1 } }
            try FireScoreFiles.writeEvents(events, trajectoryCounts: perEvent, scores: result.perEvent,
                                           to: url.appendingPathComponent("fire_events.csv").path)
            try FireScoreFiles.writeTrajectories(keys: keys ?? trajectories.map { String($0.id) }, trajectories: trajectories, values: values,
                                                 polluted: polluted, result: result, to: url.appendingPathComponent("fire_trajectories.csv").path)
            outputs += ["fires.csv", "fire_events.csv", "fire_trajectories.csv"]
            let reached = result.perFire.filter { $0.score > 0 }.count
            record += [("fires_read", .number(Double(fires.count))),
                       ("fires_matched", .number(Double(result.matchedFireCount))),
                       ("fires_reaching_polluted_arrivals", .number(Double(reached)))]
            lines.append("\(result.matchedFireCount) of \(fires.count) fires matched (\(reached) reached polluted arrivals)")
        }

        // Regions: statistics, ranking, bootstrap, home view.
        var regionResult: RegionAttributionResult?
        if let regions, let regionIndex {
            let rankBy = try RegionScore(parsing: options.rankBy)
            var regionFires: RegionFires?
            if let fireResult {
                var counts = [Int](repeating: 0, count: regionIndex.count)
                for (f, r) in fireRegions.enumerated() where fireResult.perFire[f].score > 0 { if let r { counts[r] += 1 } }
                let contributions = fireResult.contributions.compactMap { c -> RegionFireContribution? in
                    guard polluted[c.trajectory], let r = fireRegions[c.fire] else { return nil }
                    return RegionFireContribution(trajectory: c.trajectory, region: r, score: c.score)
                }
                regionFires = RegionFires(contributions: contributions, counts: counts)
            }
            let home = homeIndex.flatMap { index in options.homeRegion.map { RegionHome(index: index, id: $0) } }
            let result = try await RegionAttribution.compute(trajectories: trajectories, values: values, settings: settings,
                                                             criterionValue: criterionValue, regions: regionIndex, cells: cells,
                                                             fires: regionFires, home: home, rankBy: rankBy, resamples: options.bootstrap,
                                                             seed: options.seed, maxConcurrency: maxConcurrency)
            regionResult = result
            outputs += try RegionFiles.write(result, file: regions, into: folder)
            if let top = result.rows.first {
                lines.append("\(result.rows.count) regions ranked by \(options.rankBy) (first: \(top.name) \(top.id), \(JSONText.number(top.value(of: rankBy), decimals: 3)))")
            }
            record.append(("regions_ranked", .number(Double(result.rows.count))))
            if let h = result.home {
                record.append(("polluted_residence_outside_home_share", .number(h.outsideHomeShare)))
                lines.append("\(JSONText.number(100 * h.outsideHomeShare, decimals: 1)) % of polluted residence outside \(options.homeRegion ?? "")")
            }
        }
        return Result(regions: regionResult, fires: fireResult, fireRegions: fireRegions, outputs: outputs, record: record,
                      summary: lines.joined(separator: "; "))
    }
}
