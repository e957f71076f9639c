import Foundation
import UpwindAttribution
import UpwindCore

/// `events.csv`: one row per hotspot event (issue 10's contract), columns
/// `site,event,start_time,end_time,hours,peak_value,mean_value,criterion`: the site, the event's
/// 1-based number at that site, its first and last hour (ISO 8601 UTC), its length in hours,
/// its peak and mean observed values (the observations' unit, 2 decimals) and the rules that
/// flagged it (e.g. `value>75`). RFC 4180, LF line ends, a header even with no events.
public enum HotspotEventsCSV {
    /// The header, in order.
    public static let columns = ["site", "event", "start_time", "end_time", "hours", "peak_value", "mean_value", "criterion"]

    /// The CSV text of `events` (in the order given).
    /// - Throws: ``TrajectoryOutputError`` when encoding fails.
    public static func text(_ events: [HotspotEvent], name: String = "<memory>") throws -> String {
        let rows = [columns] + events.map { e in
            [e.site, String(e.number), e.startTime.iso8601, e.endTime.iso8601, String(e.hours),
             NumberText.fixed(e.peakValue, decimals: 2) ?? "", NumberText.fixed(e.meanValue, decimals: 2) ?? "", e.criterion]
        }
        return try CSVText.encode(rows: rows, path: name, lineEnd: true)
    }

    /// Writes `events` to `sink` and finishes it.
    /// - Throws: ``TrajectoryOutputError``, the sink's errors.
    public static func write(_ events: [HotspotEvent], to sink: any ByteSink) throws {
        try sink.write(Data(try text(events, name: sink.name).utf8))
        try sink.finish()
    }

    /// Writes `events` to `path` through a temporary file renamed when complete.
    /// - Throws: ``TrajectoryOutputError``.
    public static func write(_ events: [HotspotEvent], to path: String) throws {
        try write(events, to: FileSink(path: path))
    }
}
