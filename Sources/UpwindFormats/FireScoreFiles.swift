import Foundation
import UpwindAttribution
import UpwindCore

/// The fire scores per hotspot event and per trajectory (issue 11 item 2: "scores per
/// trajectory, hotspot event, fire and region"; fires and regions are in `fires.csv` and
/// `regions.csv`):
///
/// - `fire_events.csv`: `site,event,start_time,end_time,peak_value,trajectories,fire_score` — one
///   row per hotspot event, `trajectories` the event's trajectories, `fire_score` the sum of
///   their scores (MW, 3 decimals);
/// - `fire_trajectories.csv`: `trajectory,site,arrival_time,height_m,value,polluted,fire_score,fires`
///   — one row per trajectory with at least one matching fire, `fire_score` its S_l (MW, 3
///   decimals, `FireMatchResult.perTrajectory`), `fires` the fires it met.
///
/// Scores follow `FireMatcher`: each match adds w_conf · FRP · exp(−d²/2r²). RFC 4180, LF line
/// ends, written through a temporary file renamed when complete.
public enum FireScoreFiles {
    /// The header of `fire_events.csv`.
    public static let eventColumns = ["site", "event", "start_time", "end_time", "peak_value", "trajectories", "fire_score"]
    /// The header of `fire_trajectories.csv`.
    public static let trajectoryColumns = ["trajectory", "site", "arrival_time", "height_m", "value", "polluted", "fire_score", "fires"]

    /// Writes `fire_events.csv`.
    /// - Parameters:
    ///   - events: the hotspot events.
    ///   - trajectoryCounts: each event's number of trajectories, same order.
    ///   - scores: each event's fire score (`FireMatchResult.perEvent`), same order.
    ///   - path: the file.
    /// - Throws: ``TrajectoryOutputError``.
    public static func writeEvents(_ events: [HotspotEvent], trajectoryCounts: [Int], scores: [Double], to path: String) throws {
        var rows = [eventColumns]
        for (k, e) in events.enumerated() {
            rows.append([e.site, String(e.number), e.startTime.iso8601, e.endTime.iso8601, NumberText.fixed(e.peakValue, decimals: 2) ?? "",
                         String(k < trajectoryCounts.count ? trajectoryCounts[k] : 0),
                         NumberText.fixed(k < scores.count ? scores[k] : .nan, decimals: 3) ?? ""])
        }
        try write(rows, to: path)
    }

    /// Writes `fire_trajectories.csv` (trajectories with a match only).
    /// - Parameters:
    ///   - keys: each trajectory's key (`<id>` or `<n>:<id>`).
    ///   - trajectories: the trajectories, same order.
    ///   - values: their receptor values (NaN for a missing one).
    ///   - polluted: whether each is polluted.
    ///   - result: the fire matching of these trajectories.
    ///   - path: the file.
    /// - Throws: ``TrajectoryOutputError``.
    public static func writeTrajectories(keys: [String], trajectories: [Trajectory], values: [Double], polluted: [Bool],
                                         result: FireMatchResult, to path: String) throws {
        var fires = [Int](repeating: 0, count: trajectories.count)
        for c in result.contributions where c.trajectory < fires.count { fires[c.trajectory] += 1 }
        var rows = [trajectoryColumns]
        for (l, t) in trajectories.enumerated() where fires[l] > 0 {
            rows.append([l < keys.count ? keys[l] : String(t.id), t.start.site, t.start.time.iso8601, FiresCSV.trimmed(t.start.height, decimals: 1),
                         l < values.count ? FiresCSV.trimmed(values[l], decimals: 3) : "", l < polluted.count && polluted[l] ? "true" : "false",
                         NumberText.fixed(l < result.perTrajectory.count ? result.perTrajectory[l] : .nan, decimals: 3) ?? "", String(fires[l])])
        }
        try write(rows, to: path)
    }

    static func write(_ rows: [[String]], to path: String) throws {
        let sink = try FileSink(path: path)
        try sink.write(Data(try CSVText.encode(rows: rows, path: path, lineEnd: true).utf8))
        try sink.finish()
    }
}
