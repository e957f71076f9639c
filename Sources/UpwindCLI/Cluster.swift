import ArgumentParser
import Foundation
import Upwind

/// `upwind cluster`: trajectory clustering (issue 11 items 3–4).
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Cluster trajectories into transport pathways: HYSPLIT's Ward/TSV clustering or k-medoids.",
        discussion: """
        Only latitude and longitude are clustered, endpoint by endpoint at equal age, so every trajectory must have the same time step and start age; lengths are made equal by --unequal (truncate: all cut to the shortest; drop: those shorter than the most common length left out, longer ones cut to it). Ward (the default) is HYSPLIT's criterion: merge the pair that raises the total spatial variance (TSV, km²) least, with distances as chords between endpoints on a sphere of radius 6371 km. The other distances use k-medoids (PAM): greatcircle (Σ of endpoint great-circle distances, km), euclidean-degrees (TrajStat's sqrt(Σ Δlon² + Δlat²), degrees) and angle (Sirois & Bottenheim, radians, from each trajectory's start). --k auto takes the k in 2–10 just before the largest jump in HYSPLIT's %change of TSV (the Ward curve of the same trajectories, for every distance).

        Outputs in --out: clusters.csv (trajectory,cluster; clusters numbered by size, largest first; empty for a dropped trajectory), cluster_means.csv (cluster,age_h,latitude,longitude,height_agl_m), cluster_summary.csv (cluster,n,share_pct,mean_value; mean_value = mean observed value of the cluster's trajectories, with --observations), tsv.csv (clusters,tsv,change_pct: TSV in km² for k = 1–30 and its % change from k+1 to k clusters) and run.json.

        Examples:
          upwind cluster --trajectories season.csv --out clusters/
          upwind cluster --trajectories tdump_2024* --k 6 --distance angle --unequal drop --out angle6/
          upwind cluster --trajectories back.nc --observations pm25.csv --timezone +08:00 --out clusters/
        """ + jsonSummaryHelp("command, trajectories (read), clustered, dropped, truncated, clusters, suggested_clusters, distance, sizes (largest first), mean_values (per cluster; null without --observations), matched (null without --observations) and outputs (paths)")
    )

    @Option(name: .customLong("trajectories"), parsing: .upToNextOption,
            help: ArgumentHelp("Trajectory files: engine CSV, tdump or CF trajectory NetCDF (keys <id>, or <n>:<id> with several files).", valueName: "file"))
    var trajectories: [String] = []

    @Option(name: .customLong("k"), help: ArgumentHelp("Number of clusters, or auto (HYSPLIT's TSV elbow, 2–10).", valueName: "N|auto"))
    var k: String = "auto"

    @Option(name: .customLong("distance"), help: ArgumentHelp("ward (HYSPLIT TSV, km²), greatcircle (km), euclidean-degrees or angle (radians).", valueName: "name"))
    var distance: String = "ward"

    @Option(name: .customLong("unequal"), help: ArgumentHelp("Unequal lengths: truncate to the shortest, or drop those shorter than the modal length.", valueName: "truncate|drop"))
    var unequal: String = "truncate"

    @Option(name: .customLong("observations"), help: ArgumentHelp("Observations CSV (site,latitude,longitude,time,value): mean_value per cluster.", valueName: "file"))
    var observations: String?

    @Option(name: .customLong("pollutant"), help: "The pollutant to use when the observations hold several.")
    var pollutant: String?

    @Option(name: .customLong("timezone"), help: ArgumentHelp("UTC offset of observation times written without a zone, e.g. +08:00.", valueName: "±hh:mm"))
    var timezone: String?

    @Option(name: .customLong("site"), help: "Site name for tdump trajectories (else the nearest observation site within 1 km).")
    var site: String?

    @Option(name: .customLong("out"), help: ArgumentHelp("Output folder (created): the cluster files and run.json.", valueName: "dir"))
    var out: String

    @OptionGroup var terminal: TerminalOptions

    func validate() throws {
        if trajectories.isEmpty { throw ValidationError("give the trajectories with --trajectories FILE... (engine CSV, tdump or NetCDF)") }
        _ = try options()
        if observations == nil {
            for (flag, value) in [("--pollutant", pollutant), ("--timezone", timezone), ("--site", site)] where value != nil {
                throw ValidationError("\(flag) applies to --observations, which was not given")
            }
        }
    }

    /// `--k`, `--distance` and `--unequal`, parsed.
    func options() throws -> (ClusterCount, ClusterDistance, UnequalLengths) {
        guard let count = ClusterCount(parsing: k) else { throw ValidationError("--k must be a whole number of clusters ≥ 1 or auto, not '\(k)'") }
        guard let d = ClusterDistance(parsing: distance) else {
            throw ValidationError("--distance must be ward, greatcircle, euclidean-degrees or angle, not '\(distance)'")
        }
        guard let u = UnequalLengths(parsing: unequal) else { throw ValidationError("--unequal must be truncate or drop, not '\(unequal)'") }
        return (count, d, u)
    }

    func run() async throws {
        let (count, d, u) = try options()
        let analysis = ClusterAnalysis(trajectoryPaths: trajectories, observationsPath: observations, pollutant: pollutant, timezone: timezone,
                                       site: site, clusters: count, distance: d, unequal: u, outputFolder: out)
        let result: ClusterAnalysis.Result
        do {
            result = try await analysis.run()
        } catch let error as ClusterError {
            throw CommandLineClusterError(error: error)
        }
        terminal.say(result.summary + ": " + result.outputs.map { URL(fileURLWithPath: out).appendingPathComponent($0).path }.joined(separator: ", "))
        if let matches = result.matches, !matches.unmatched.isEmpty { terminal.note(matches.summary) }
        let c = result.clustering, p = c.preparation
        terminal.emit(.object([
            ("command", .string("cluster")), ("trajectories", JSONSummary.count(p.inputCount)), ("clustered", JSONSummary.count(p.usedCount)),
            ("dropped", JSONSummary.count(p.droppedCount)), ("truncated", JSONSummary.count(p.truncatedCount)),
            ("clusters", JSONSummary.count(c.clusterCount)), ("suggested_clusters", JSONSummary.count(c.suggestedClusterCount)),
            ("distance", .string(c.distance.description)), ("sizes", .array(c.sizes.map(JSONSummary.count))),
            ("mean_values", result.matches == nil ? .null : .array(result.summaryRows.map { .number($0.meanValue) })),
            ("matched", result.matches.map { JSONSummary.count($0.matched.count) } ?? .null),
            ("outputs", JSONSummary.paths(result.outputs, in: out)),
        ]))
    }
}

/// A clustering error in the command line's terms (flag names for the library's settings).
struct CommandLineClusterError: Error, CustomStringConvertible {
    /// The library's error.
    var error: ClusterError
    /// The message with flags.
    var description: String {
        switch error {
        case .tooShort(_, _, _, let unequal) where unequal == .truncate:
            return error.description.replacingOccurrences(of: "(unequal lengths: drop)", with: "(--unequal drop)")
        case .tooFewTrajectories:
            return error.description.replacingOccurrences(of: "ask for at most", with: "use --k with at most")
        case .invalidClusterCount:
            return error.description.replacingOccurrences(of: "(or auto)", with: "(--k N or --k auto)")
        default:
            return error.description
        }
    }
}
