import Foundation
import UpwindAttribution
import UpwindCore

/// The clustering outputs of `upwind cluster` and `upwind hotspots` (issue 11's contract),
/// RFC 4180 CSV with LF line ends and a header even when empty:
/// - `clusters.csv`: `trajectory,cluster`, one row per trajectory given, in the order given:
///   its key (`<id>`, or `<n>:<id>` with several files) and its cluster number 1 … k (clusters
///   numbered by size, largest first); the cluster is empty for a trajectory dropped as
///   shorter than the modal length (`--unequal drop`).
/// - `cluster_means.csv`: `cluster,age_h,latitude,longitude,height_agl_m`, each cluster's mean
///   trajectory, one row per common age (h, negative backward): the members' unit vectors
///   averaged and projected back onto the sphere (degrees, 4 decimals), the mean height above
///   ground (m, 1 decimal).
/// - `cluster_summary.csv`: `cluster,n,share_pct,mean_value`: trajectories in the cluster,
///   their share of the clustered trajectories (%, 2 decimals) and the mean receptor value of
///   the members matched to an observation (the observations' unit; empty without
///   observations or when none matched).
/// - `tsv.csv`: `clusters,tsv,change_pct`: HYSPLIT's total spatial variance of the Ward
///   partition into k clusters (km², whatever the distance clustered by) for k = 1 … min(n, 30),
///   and its percent change at the merge that leaves k clusters,
///   `100·(TSV(k) − TSV(k+1))/TSV(k+1)` (empty for k = n and when TSV(k+1) = 0).
///
/// Numbers have no exponent and no trailing zeros beyond the stated decimals; undefined
/// values are empty, never 0.
public enum ClusterFiles {
    /// `clusters.csv` header.
    public static let assignmentColumns = ["trajectory", "cluster"]
    /// `cluster_means.csv` header.
    public static let meanColumns = ["cluster", "age_h", "latitude", "longitude", "height_agl_m"]
    /// `cluster_summary.csv` header.
    public static let summaryColumns = ["cluster", "n", "share_pct", "mean_value"]
    /// `tsv.csv` header.
    public static let tsvColumns = ["clusters", "tsv", "change_pct"]
    /// The files ``write(_:keys:summary:withValues:into:)`` writes, in order.
    public static let fileNames = ["clusters.csv", "cluster_means.csv", "cluster_summary.csv", "tsv.csv"]

    /// The text of `clusters.csv`.
    /// - Parameters:
    ///   - keys: each trajectory's key, in the order given.
    ///   - assignments: each trajectory's cluster (nil: not clustered), same order.
    ///   - name: what errors call the output.
    /// - Throws: ``TrajectoryOutputError`` when the counts differ or encoding fails.
    public static func assignmentsText(keys: [String], assignments: [Int?], name: String = "<memory>") throws -> String {
        guard keys.count == assignments.count else {
            throw TrajectoryOutputError.writeFailed(path: name, reason: "\(keys.count) trajectory keys for \(assignments.count) cluster assignments")
        }
        let rows = [assignmentColumns] + zip(keys, assignments).map { [$0, $1.map(String.init) ?? ""] }
        return try CSVText.encode(rows: rows, path: name, lineEnd: true)
    }

    /// The text of `cluster_means.csv`.
    /// - Parameters:
    ///   - means: the clusters' mean trajectories.
    ///   - name: what errors call the output.
    /// - Throws: ``TrajectoryOutputError`` when encoding fails.
    public static func meansText(_ means: [ClusterMeanTrajectory], name: String = "<memory>") throws -> String {
        var rows = [meanColumns]
        for m in means {
            for p in m.points {
                rows.append([String(m.cluster), ReceptorGridFiles.number(p.ageHours), NumberText.fixed(p.latitude, decimals: 4) ?? "",
                             NumberText.longitude(p.longitude, decimals: 4) ?? "", NumberText.fixed(p.heightAGL, decimals: 1) ?? ""])
            }
        }
        return try CSVText.encode(rows: rows, path: name, lineEnd: true)
    }

    /// The text of `cluster_summary.csv`.
    /// - Parameters:
    ///   - rows: the summary rows.
    ///   - withValues: false without observations: `mean_value` is then empty in every row.
    ///   - name: what errors call the output.
    /// - Throws: ``TrajectoryOutputError`` when encoding fails.
    public static func summaryText(_ rows: [ClusterSummaryRow], withValues: Bool = true, name: String = "<memory>") throws -> String {
        let body = rows.map { r in
            [String(r.cluster), String(r.count), NumberText.fixed(r.sharePct, decimals: 2) ?? "",
             withValues ? ReceptorGridFiles.number(r.meanValue) : ""]
        }
        return try CSVText.encode(rows: [summaryColumns] + body, path: name, lineEnd: true)
    }

    /// The text of `tsv.csv`.
    /// - Parameters:
    ///   - curve: the TSV curve.
    ///   - name: what errors call the output.
    /// - Throws: ``TrajectoryOutputError`` when encoding fails.
    public static func tsvText(_ curve: [TSVPoint], name: String = "<memory>") throws -> String {
        let body = curve.map { [String($0.clusters), ReceptorGridFiles.number($0.tsvKm2), ReceptorGridFiles.number($0.changePct)] }
        return try CSVText.encode(rows: [tsvColumns] + body, path: name, lineEnd: true)
    }

    /// Writes the four files of a clustering into `folder` (which must exist): every text is
    /// made first, then each file is written through a temporary file renamed when complete,
    /// so a failure leaves no half-written file.
    /// - Parameters:
    ///   - result: the clustering.
    ///   - keys: each trajectory's key, in the order clustered.
    ///   - summary: the rows of `cluster_summary.csv` (`ClusterResult.summary(values:)`).
    ///   - withValues: false without observations (`mean_value` left empty).
    ///   - folder: the output folder.
    /// - Returns: the names written (``fileNames``).
    /// - Throws: ``TrajectoryOutputError``.
    @discardableResult
    public static func write(_ result: ClusterResult, keys: [String], summary: [ClusterSummaryRow], withValues: Bool = true,
                             into folder: String) throws -> [String] {
        let base = URL(fileURLWithPath: folder)
        let texts = [
            try assignmentsText(keys: keys, assignments: result.assignments, name: base.appendingPathComponent(fileNames[0]).path),
            try meansText(result.means, name: base.appendingPathComponent(fileNames[1]).path),
            try summaryText(summary, withValues: withValues, name: base.appendingPathComponent(fileNames[2]).path),
            try tsvText(result.tsv, name: base.appendingPathComponent(fileNames[3]).path),
        ]
        for (name, text) in zip(fileNames, texts) {
            let sink = try FileSink(path: base.appendingPathComponent(name).path)
            try sink.write(Data(text.utf8))
            try sink.finish()
        }
        return fileNames
    }
}

// UpwindAttribution is pure Swift; its errors meet Foundation here (beside the other bridges
// in AttributionErrorBridges.swift) so that `error.localizedDescription` reads the message.
extension ClusterError: LocalizedError {
    /// The one-line message (`description`).
    public var errorDescription: String? { description }
}
