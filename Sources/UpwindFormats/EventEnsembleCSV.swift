import Foundation
import UpwindAttribution
import UpwindCore

/// `event_ensemble.csv` (issue 12 item 1): one row per hotspot event with the uncertainty of its
/// back trajectories from HYSPLIT's 27-member ensemble (`EventEnsemble`):
/// `site,event,members,spread_km_24h,fire_matched_share,top_region_id,top_region_share`.
///
/// `spread_km_24h` is the mean distance (km, 3 decimals) of the non-central members from the
/// central one at 24 h (the run's length when shorter; `run.json` records the age used);
/// `fire_matched_share` and `top_region_share` are shares 0–1 (4 decimals). Undefined values
/// (no pair, no member, no residence) and values of inputs not given (no fires, no regions)
/// are empty. RFC 4180, LF line ends, written through a temporary file renamed when complete.
public enum EventEnsembleCSV {
    /// The header.
    public static let columns = ["site", "event", "members", "spread_km_24h", "fire_matched_share", "top_region_id", "top_region_share"]

    /// Writes the rows.
    /// - Parameters:
    ///   - rows: one per event (`EventEnsemble.compute`).
    ///   - path: the file.
    /// - Throws: ``TrajectoryOutputError``.
    public static func write(_ rows: [EventEnsembleRow], to path: String) throws {
        var table = [columns]
        for r in rows {
            table.append([r.site, String(r.event), String(r.members), NumberText.fixed(r.spreadKm, decimals: 3) ?? "",
                          NumberText.fixed(r.fireMatchedShare, decimals: 4) ?? "", r.topRegionID ?? "",
                          NumberText.fixed(r.topRegionShare, decimals: 4) ?? ""])
        }
        try FireScoreFiles.write(table, to: path)
    }
}
