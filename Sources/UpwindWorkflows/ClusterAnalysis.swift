import Foundation
import UpwindAttribution
import UpwindCore
import UpwindFormats

/// `upwind cluster` as a library call (issue 11 items 3–4): trajectories from files in any
/// readable format (``TrajectoryInputs``, keys `<id>` or `<n>:<id>`), optionally matched to
/// observations (as `upwind pscf` matches them), clustered by
/// `TrajectoryClustering.cluster(_:k:distance:unequal:maxConcurrency:)`, and `clusters.csv`,
/// `cluster_means.csv`, `cluster_summary.csv`, `tsv.csv` (`ClusterFiles`) and `run.json`
/// written into the output folder. ``cluster(_:keys:values:k:distance:unequal:into:maxConcurrency:)``
/// writes the same four files for trajectories already in memory (the hotspots pipeline).
public struct ClusterAnalysis: Sendable {
    /// Trajectory files (engine CSV, tdump or CF trajectory NetCDF).
    public var trajectoryPaths: [String]
    /// The observations CSV, or nil (then `mean_value` is empty).
    public var observationsPath: String?
    /// The pollutant to use when the observations hold several.
    public var pollutant: String?
    /// The UTC offset of observation times written without a zone (e.g. `+08:00`).
    public var timezone: String?
    /// A site name for trajectories from tdump files; without it a tdump start goes to the
    /// nearest observation site within 1 km.
    public var site: String?
    /// The number of clusters, or auto (HYSPLIT's TSV suggestion).
    public var clusters: ClusterCount
    /// The distance clustered by.
    public var distance: ClusterDistance
    /// How trajectories of different lengths are made equal.
    public var unequal: UnequalLengths
    /// The output folder (created when missing).
    public var outputFolder: String
    /// Tasks computing distance matrices at once.
    public var maxConcurrency: Int

    /// Creates an analysis; the defaults are the CLI's.
    public init(trajectoryPaths: [String], observationsPath: String? = nil, pollutant: String? = nil, timezone: String? = nil,
                site: String? = nil, clusters: ClusterCount = .auto, distance: ClusterDistance = .ward, unequal: UnequalLengths = .truncate,
                outputFolder: String, maxConcurrency: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.trajectoryPaths = trajectoryPaths
        self.observationsPath = observationsPath
        self.pollutant = pollutant
        self.timezone = timezone
        self.site = site
        self.clusters = clusters
        self.distance = distance
        self.unequal = unequal
        self.outputFolder = outputFolder
        self.maxConcurrency = max(1, maxConcurrency)
    }

    /// What a clustering wrote (``cluster(_:keys:values:k:distance:unequal:into:maxConcurrency:)``).
    public struct Outputs: Sendable {
        /// The clustering.
        public var clustering: ClusterResult
        /// The rows of `cluster_summary.csv`.
        public var summaryRows: [ClusterSummaryRow]
        /// The files written (names in the folder).
        public var files: [String]
        /// The clustering's part of `run.json` (``runRecordSettings(_:)``), for a pipeline's own record.
        public var settings: [(String, JSONValue)]
    }

    /// What a run found and wrote.
    public struct Result: Sendable {
        /// The clustering.
        public var clustering: ClusterResult
        /// Each trajectory's key, in the order read.
        public var keys: [String]
        /// The rows of `cluster_summary.csv`.
        public var summaryRows: [ClusterSummaryRow]
        /// The matching to observations (nil without observations).
        public var matches: ObservationMatches?
        /// Files written into the output folder.
        public var outputs: [String]
        /// One line for people.
        public var summary: String {
            let p = clustering.preparation
            var text = "\(p.inputCount) trajectories, \(p.usedCount) clustered"
            if p.droppedCount > 0 { text += " (\(p.droppedCount) dropped as shorter than \(p.endpointsPerTrajectory) endpoints)" }
            if p.truncatedCount > 0 { text += ", \(p.truncatedCount) truncated to \(JSONText.number(p.clusteredHours)) h" }
            text += "; \(clustering.clusterCount) clusters by \(clustering.distance) (suggested \(clustering.suggestedClusterCount)), sizes "
            text += clustering.sizes.map(String.init).joined(separator: "/")
            if let matches { text += "; \(matches.matched.count) matched to observations" }
            return text
        }
    }

    /// Runs the analysis and writes its outputs; nothing is written when reading or clustering fails.
    /// - Throws: ``TrajectoryInputError`` and the trajectory readers' errors, `ObservationCSVError`,
    ///   `ClusterError`, `RunRecordError`, `TrajectoryOutputError`.
    public func run() async throws -> Result {
        let inputs = try TrajectoryInputs.read(trajectoryPaths)
        var values: [Double?]?
        var matches: ObservationMatches?
        if let observationsPath {
            let observations = try ObservationCSVReader.read(path: observationsPath, pollutant: pollutant, timezone: timezone)
            (values, matches) = TrajectoryInputs.match(inputs, fileCount: trajectoryPaths.count, to: observations, site: site)
        }
        let keys = inputs.map(\.key)
        let record = try (trajectoryPaths + (observationsPath.map { [$0] } ?? [])).map(RunRecord.Input.init(hashing:))
        // The folder is created only once clustering has succeeded.
        let written = try await Self.cluster(inputs.map(\.trajectory), keys: keys, values: values, k: clusters, distance: distance,
                                             unequal: unequal, into: outputFolder, maxConcurrency: maxConcurrency)
        var settings: [(String, JSONValue)] = [
            ("trajectories", .array(trajectoryPaths.map(JSONValue.string))),
            ("observations", observationsPath.map(JSONValue.string) ?? .null),
            ("pollutant", pollutant.map(JSONValue.string) ?? .null),
            ("timezone", timezone.map(JSONValue.string) ?? .null),
            ("site", site.map(JSONValue.string) ?? .null),
        ]
        settings += written.settings
        if let matches {
            settings.append(("matched_trajectories", .number(Double(matches.matched.count))))
            settings.append(("unmatched_trajectories", .number(Double(matches.unmatched.count))))
            if !matches.unmatched.isEmpty { settings.append(("unmatched", .string(matches.summary))) }
        }
        let outputs = written.files + ["run.json"]
        try RunRecord(command: "cluster", version: UpwindVersion.current, settings: settings, inputs: record, outputs: outputs)
            .write(to: URL(fileURLWithPath: outputFolder).appendingPathComponent("run.json").path)
        return Result(clustering: written.clustering, keys: keys, summaryRows: written.summaryRows, matches: matches, outputs: outputs)
    }

    /// Clusters trajectories already in memory and writes `clusters.csv`, `cluster_means.csv`,
    /// `cluster_summary.csv` and `tsv.csv` into `folder` (created when missing); no `run.json`
    /// (the caller records ``Outputs/settings`` in its own).
    /// - Parameters:
    ///   - trajectories: the trajectories.
    ///   - keys: each one's key in `clusters.csv` (same order), e.g. ``KeyedTrajectory/key`` or
    ///     `String(trajectory.id)`.
    ///   - values: each one's receptor value (nil when unmatched), or nil without observations
    ///     (then `mean_value` is empty).
    ///   - k: the number of clusters, or auto.
    ///   - distance: the distance.
    ///   - unequal: how trajectories of different lengths are made equal.
    ///   - folder: the output folder.
    ///   - maxConcurrency: tasks computing distance matrices at once.
    /// - Returns: the clustering, the summary rows, the files written and the `run.json` settings.
    /// - Throws: `ClusterError` (before anything is written), `TrajectoryOutputError`.
    public static func cluster(_ trajectories: [Trajectory], keys: [String], values: [Double?]?, k: ClusterCount = .auto,
                               distance: ClusterDistance = .ward, unequal: UnequalLengths = .truncate, into folder: String,
                               maxConcurrency: Int = ProcessInfo.processInfo.activeProcessorCount) async throws -> Outputs {
        let result = try await TrajectoryClustering.cluster(trajectories, k: k, distance: distance, unequal: unequal,
                                                           maxConcurrency: max(1, maxConcurrency))
        let rows = result.summary(values: values ?? [])
        try ReceptorAnalysis.createFolder(folder)
        let files = try ClusterFiles.write(result, keys: keys, summary: rows, withValues: values != nil, into: folder)
        return Outputs(clustering: result, summaryRows: rows, files: files, settings: runRecordSettings(result))
    }

    /// A clustering's settings and counts as `run.json` records them: the options (k as asked,
    /// distance, unequal), the k made and how it was chosen, the suggestion, the embedding,
    /// the counts of the preparation and, for k-medoids, the silhouette and total distance.
    public static func runRecordSettings(_ r: ClusterResult) -> [(String, JSONValue)] {
        let p = r.preparation
        var out: [(String, JSONValue)] = [
            ("k", .string(r.requested.description)),
            ("distance", .string(r.distance.description)),
            ("unequal", .string(p.unequal.rawValue)),
            ("clusters", .number(Double(r.clusterCount))),
            ("suggested_clusters", .number(Double(r.suggestedClusterCount))),
            ("k_rule", .string(r.clusterCountRule)),
            ("tsv_embedding", .string("endpoints as 3-D unit-sphere vectors x \(JSONText.number(TrajectoryDistances.earthRadiusKm)) km (chord distances, km^2)")),
            ("tsv_max_clusters", .number(Double(TrajectoryClustering.tsvCurveMaximumClusters))),
            ("suggestion_range", .array([.number(Double(TrajectoryClustering.suggestionRange.lowerBound)),
                                         .number(Double(TrajectoryClustering.suggestionRange.upperBound))])),
            ("input_trajectories", .number(Double(p.inputCount))),
            ("clustered_trajectories", .number(Double(p.usedCount))),
            ("dropped_trajectories", .number(Double(p.droppedCount))),
            ("truncated_trajectories", .number(Double(p.truncatedCount))),
            ("endpoints_per_trajectory", .number(Double(p.endpointsPerTrajectory))),
            ("age_step_h", .number(p.ageStepHours)),
            ("clustered_hours", .number(p.clusteredHours)),
            ("cluster_sizes", .array(r.sizes.map { .number(Double($0)) })),
        ]
        if let s = r.silhouette { out.append(("silhouette", s.isFinite ? .number(s) : .null)) }
        if let d = r.medoidTotalDistance { out.append(("medoid_total_distance", .number(d))) }
        return out
    }
}
