import Foundation
import UpwindAttribution
import UpwindCore

/// `fires.csv` (issue 11 item 4's contract): one row per fire point, columns
/// `fire_id,latitude,longitude,time,frp_mw,confidence,region_id,region_name,matched_trajectories,matched_events,score`.
///
/// - `fire_id` the fire's id; `latitude`, `longitude` degrees (up to 5 decimals, trailing zeros
///   dropped; longitude in [−180, 180)); `time` the detection time, ISO 8601 UTC with `Z`;
///   `frp_mw` the fire radiative power, MW (up to 3 decimals, trailing zeros dropped);
///   `confidence` the FIRMS confidence (`85`, or `l`, `n`, `h`: a VIIRS class read as
///   `low`/`nominal`/`high` is written as its letter).
/// - `region_id`, `region_name` the region holding the fire, as the caller located it (empty
///   when outside every region or not located).
/// - `matched_trajectories`, `matched_events`, `score` from `FireSummary`: distinct matched
///   trajectories (polluted or not), distinct hotspot events among them, and the score (MW,
///   3 decimals) summed over polluted trajectories only (`FireMatchResult`).
/// Rows are ordered by score, highest first, then by fire id (ids that are whole numbers first, in
/// numeric order, then the others by their UTF-8 text), then by input order. RFC 4180 quoting, LF line ends, a header even
/// with no fires.
public enum FiresCSV {
    /// The header, in order.
    public static let columns = ["fire_id", "latitude", "longitude", "time", "frp_mw", "confidence", "region_id", "region_name",
                                 "matched_trajectories", "matched_events", "score"]

    /// The region a fire lies in (`region_id`, `region_name`).
    public struct Region: Sendable, Equatable {
        /// The region's id (e.g. an adcode such as `410102`).
        public var id: String
        /// The region's name.
        public var name: String

        /// Creates a region label.
        /// - Parameters:
        ///   - id: the id.
        ///   - name: the name.
        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// The row order: indices into `fires`, by score descending, then fire id (whole-number ids
    /// first, numerically, then the others by UTF-8 text), then input order.
    /// - Parameters:
    ///   - fires: the fires.
    ///   - summaries: one summary per fire, same order.
    /// - Returns: the fire indices in row order.
    /// - Precondition: `summaries.count == fires.count`.
    public static func rowOrder(fires: [FirePoint], summaries: [FireSummary]) -> [Int] {
        precondition(summaries.count == fires.count, "one summary per fire")
        let numbers = fires.map { Int($0.id) }
        return fires.indices.sorted { a, b in
            let sa = summaries[a].score, sb = summaries[b].score
            if sa != sb { return sa > sb }
            switch (numbers[a], numbers[b]) {
            case let (na?, nb?) where na != nb: return na < nb
            case (.some, .none): return true
            case (.none, .some): return false
            case (.none, .none) where fires[a].id != fires[b].id:
                return Array(fires[a].id.utf8).lexicographicallyPrecedes(Array(fires[b].id.utf8))
            default: return a < b
            }
        }
    }

    /// The CSV text of the fires with their summaries.
    /// - Parameters:
    ///   - fires: the fires.
    ///   - summaries: one summary per fire, same order (`FireMatchResult.perFire`).
    ///   - regions: each fire's region, same order, nil for a fire in none; nil for no regions.
    ///   - name: what errors call the output.
    /// - Returns: the text.
    /// - Throws: ``TrajectoryOutputError`` when encoding fails.
    /// - Precondition: `summaries` (and `regions`, when given) have one entry per fire.
    public static func text(fires: [FirePoint], summaries: [FireSummary], regions: [Region?]? = nil,
                            name: String = "<memory>") throws -> String {
        if let regions { precondition(regions.count == fires.count, "one region entry per fire") }
        var rows = [columns]
        rows.reserveCapacity(fires.count + 1)
        for i in rowOrder(fires: fires, summaries: summaries) {
            let f = fires[i], s = summaries[i]
            let region = regions?[i] ?? nil
            rows.append([f.id, trimmed(f.latitude, decimals: 5), trimmed(Geodesy.normalizedLongitude(f.longitude), decimals: 5),
                         f.time.iso8601, trimmed(f.frpMW, decimals: 3), f.confidence.description, region?.id ?? "",
                         region?.name ?? "", String(s.matchedTrajectories), String(s.matchedEvents),
                         NumberText.fixed(s.score, decimals: 3) ?? ""])
        }
        return try CSVText.encode(rows: rows, path: name, lineEnd: true)
    }

    /// Writes the fires to `sink` and finishes it.
    /// - Parameters:
    ///   - fires: the fires.
    ///   - summaries: one summary per fire, same order.
    ///   - regions: each fire's region, or nil.
    ///   - sink: the destination.
    /// - Throws: ``TrajectoryOutputError``, the sink's errors.
    public static func write(fires: [FirePoint], summaries: [FireSummary], regions: [Region?]? = nil, to sink: any ByteSink) throws {
        try sink.write(Data(try text(fires: fires, summaries: summaries, regions: regions, name: sink.name).utf8))
        try sink.finish()
    }

    /// Writes the fires to `path` through a temporary file renamed when complete (nothing is left
    /// at `path` when it fails).
    /// - Parameters:
    ///   - fires: the fires.
    ///   - summaries: one summary per fire, same order.
    ///   - regions: each fire's region, or nil.
    ///   - path: the file.
    /// - Throws: ``TrajectoryOutputError``.
    public static func write(fires: [FirePoint], summaries: [FireSummary], regions: [Region?]? = nil, to path: String) throws {
        try write(fires: fires, summaries: summaries, regions: regions, to: FileSink(path: path))
    }

    /// `value` with at most `decimals` decimals, trailing zeros (and a bare point) dropped; empty
    /// when not finite.
    static func trimmed(_ value: Double, decimals: Int) -> String {
        guard var text = NumberText.fixed(value, decimals: decimals) else { return "" }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
