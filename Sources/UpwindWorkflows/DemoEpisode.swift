import Foundation
import UpwindAttribution
import UpwindCore
import UpwindReport

/// The demo as a library call (`upwind demo`, `make demo`): an autumn straw-burning episode over
/// Henan, entirely offline. It writes the twin experiment's inputs (``TwinExperiment``: a week
/// of synthetic weather as ERA5-legacy NetCDF, PM2.5 at Henan's 18 prefecture cities, FIRMS fire
/// points of the planted county and of decoys, the embedded county and province boundaries)
/// into `<outputFolder>/inputs`, then runs the whole chain through ``HotspotPipeline`` into
/// `outputFolder`: hotspot events, back trajectories every 3 h at 100, 500 and 1000 m,
/// HYSPLIT's 27-member ensemble for the starts inside hotspot events only (``EnsembleMode/events``:
/// `event_ensemble.csv`, `ensemble_trajectories.csv`; the members stay out of the grid, the ranking
/// and the clusters), PSCF/CWT grids, county ranking with a bootstrap, fire scores, the share
/// outside Henan and trajectory clusters (the ordinary trajectories, 3,024 with the defaults:
/// within ``HotspotPipeline/maximumClusteredTrajectories``); writes the HTML report (`HTMLReport` in UpwindReport: `report.html` and the SVG maps) into
/// `outputFolder`; and says whether the ranking found the planted county.
///
/// Analyst settings (as `TwinAttributionTests` documents them): hotspot threshold and PSCF
/// criterion 75 µg/m³ (the national 24-h PM2.5 standard), endpoints below the mixing depth only
/// (surface smoke), 0.25° cells, 48-h back trajectories.
public struct DemoEpisode: Sendable {
    /// The output folder (default `demo-output`); inputs go to its `inputs` subfolder.
    public var outputFolder: String
    /// The twin's seed (default 1).
    public var seed: UInt64
    /// Hours between arrival times (default 3).
    public var everyHours: Int
    /// Start heights, m above ground (default 100, 500, 1000).
    public var heights: [Double]
    /// Bootstrap resamples for the county rank ranges (default 200).
    public var bootstrap: Int

    /// Creates the demo; the defaults are `upwind demo`'s.
    public init(outputFolder: String = "demo-output", seed: UInt64 = 1, everyHours: Int = 3, heights: [Double] = [100, 500, 1000],
                bootstrap: Int = 200) {
        self.outputFolder = outputFolder
        self.seed = seed
        self.everyHours = everyHours
        self.heights = heights
        self.bootstrap = bootstrap
    }

    /// What the demo wrote and found.
    public struct Result: Sendable {
        /// The twin's files and truth.
        public var twin: TwinExperiment.Manifest
        /// The episode analysis.
        public var episode: HotspotPipeline.Result
        /// Seconds writing the twin's inputs.
        public var inputSeconds: Double
        /// Seconds writing the HTML report and its SVG maps (after the analysis).
        public var reportSeconds: Double
        /// The planted county's rank by polluted share and by fire score (1-based), nil when absent.
        public var plantedRank: (pollutedShare: Int?, fireScore: Int?)
        /// Lines for people: the steps, the top counties and fires, the truth, and how long each
        /// part took (`timings: inputs 6.3 s, trajectories 6.9 s (…), attribution 1.6 s, outputs 0.01 s, report 3.0 s`).
        public var report: [String]
        /// The HTML report's path (`<outputFolder>/report.html`).
        public var reportPath: String
        /// Every report file written: the HTML first, then the SVG maps.
        public var reportFiles: [String]
    }

    /// Writes the inputs and runs the analysis.
    /// - Parameters:
    ///   - progress: called as the trajectory sweep advances.
    ///   - inputProgress: called as the twin's inputs are written (before the sweep).
    /// - Throws: what ``TwinExperiment/write(to:progress:)``, ``HotspotPipeline/run(progress:)``,
    ///   `ReportInputs.load(folder:)` and `HTMLReport.write(to:)` (UpwindReport) throw.
    public func run(progress: (@Sendable (SweepProgress) -> Void)? = nil,
                    inputProgress: (@Sendable (TwinExperiment.Progress) -> Void)? = nil) async throws -> Result {
        let clock = ContinuousClock.now
        let inputs = URL(fileURLWithPath: outputFolder).appendingPathComponent("inputs").path
        let twin = try await TwinExperiment(seed: seed).write(to: inputs, progress: inputProgress)
        let written = ContinuousClock.now
        var settings = ReceptorGridSettings(resolution: 0.25, criterion: .value(75))
        settings.maxHeight = .mixingDepth
        let places = PlaceOptions(regionsPath: twin.countiesPath, firesPath: twin.firesPath, homeRegionsPath: twin.provincesPath,
                                  homeRegion: "410000", bootstrap: bootstrap, seed: 1)
        let pipeline = HotspotPipeline(met: twin.metPaths, observationsPath: twin.observationsPath, rules: try HotspotRules(threshold: 75),
                                       heights: heights, hours: -48, everyHours: everyHours, ensemble: .events, settings: settings,
                                       outputFolder: outputFolder, places: places, clusters: .auto)
        let episode = try await pipeline.run(progress: progress)
        let rows = episode.places?.regions?.rows ?? []
        func rank(_ key: (RegionStatistics) -> Double) -> Int? {
            let sorted = rows.sorted { (key($0).isNaN ? -.infinity : key($0)) > (key($1).isNaN ? -.infinity : key($1)) }
            return sorted.firstIndex { $0.id == twin.planted.adcode }.map { $0 + 1 }
        }
        let seconds = written - clock
        let inputSeconds = Double(seconds.components.seconds) + Double(seconds.components.attoseconds) / 1e18
        var report = ["inputs: \(twin.files.count) files in \(inputs) (\(String(format: "%.1f", inputSeconds)) s)", "analysis: " + episode.summary,
                      "counties by polluted share (rank range over \(bootstrap) bootstrap resamples):"]
        for r in rows.prefix(5) {
            report.append("  \(r.rank). \(r.name) \(r.id): polluted share \(JSONText.number(r.pollutedShare, decimals: 3)), fire score \(JSONText.number(r.fireScore, decimals: 0)) MW, ranks \(r.rankLow.map(String.init) ?? "–")–\(r.rankHigh.map(String.init) ?? "–")")
        }
        let byShare = rank { $0.pollutedShare }, byFire = rank { $0.fireScore }
        report.append("truth: the planted county is \(twin.planted.name) \(twin.planted.adcode); Upwind ranks it \(byShare.map(String.init) ?? "–") by polluted share and \(byFire.map(String.init) ?? "–") by fire score; decoys: "
                      + twin.decoys.map { "\($0.name) (\(JSONText.number($0.totalFRPMW, decimals: 0)) MW)" }.joined(separator: ", "))
        let reportPath = URL(fileURLWithPath: outputFolder).appendingPathComponent("report.html").path
        let analysed = ContinuousClock.now
        let reportFiles = try HTMLReport(try ReportInputs.load(folder: outputFolder)).write(to: reportPath)
        let reporting = ContinuousClock.now - analysed
        let reportSeconds = Double(reporting.components.seconds) + Double(reporting.components.attoseconds) / 1e18
        let t = episode.seconds
        func s(_ x: Double) -> String { String(format: "%.2f s", x) }
        let members = episode.ensemble?.run.map { " (of which \(s($0.wallSeconds)) for the event ensemble's \($0.count) members)" } ?? ""
        report.append("timings: inputs \(s(inputSeconds)), trajectories \(s(t.trajectories))\(members), attribution \(s(t.attribution)), outputs \(s(t.recording)), report \(s(reportSeconds))")
        return Result(twin: twin, episode: episode, inputSeconds: inputSeconds, reportSeconds: reportSeconds, plantedRank: (byShare, byFire),
                      report: report, reportPath: reportPath, reportFiles: reportFiles)
    }
}
