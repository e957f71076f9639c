import Foundation
import UpwindAttribution
import UpwindCore

/// The region outputs of `upwind attribute` and `upwind hotspots` (issue 11 item 4):
/// - `regions.csv`: `rank,id,name,polluted_share,residence_h,polluted_residence_h,enhancement_ratio,
///   pscf,wpscf,cwt,wcwt,fire_score,fire_count,n_endpoints,n_trajectories,rank_low,rank_high`, one
///   row per region in rank order; numbers with up to 6 decimals (trailing zeros dropped), counts
///   and ranks as integers, an undefined value (NaN, no fires, no bootstrap) empty; RFC 4180
///   quoting, LF line ends, UTF-8;
/// - `regions.geojson`: the input FeatureCollection with every feature's JSON copied as read
///   (geometry byte for byte) and these columns added to its properties (an existing property of
///   the same name is replaced, except `name`, which keeps the feature's own); undefined values
///   `null`; features in file order;
/// - `outside_home.csv`: `id,name,polluted_residence_h,polluted_share,is_home`, one row per feature
///   of the home-regions file in file order, `is_home` `true` or `false`.
///
/// Every file is written under a temporary name and renamed when complete; ``write(_:file:into:)``
/// renames them only once all are written, so a failure leaves earlier outputs untouched.
public enum RegionFiles {
    /// The `regions.csv` columns, in order.
    public static let columns = ["rank", "id", "name", "polluted_share", "residence_h", "polluted_residence_h", "enhancement_ratio",
                                 "pscf", "wpscf", "cwt", "wcwt", "fire_score", "fire_count", "n_endpoints", "n_trajectories",
                                 "rank_low", "rank_high"]
    /// The `outside_home.csv` columns, in order.
    public static let homeColumns = ["id", "name", "polluted_residence_h", "polluted_share", "is_home"]

    /// A number: up to 6 decimals without trailing zeros, empty when undefined.
    static func number(_ x: Double) -> String { ReceptorGridFiles.number(x) }

    /// A row's fields in ``columns`` order, as text (empty when undefined).
    static func fields(_ row: RegionStatistics) -> [String] {
        [String(row.rank), row.id, row.name, number(row.pollutedShare), number(row.residenceHours),
         number(row.pollutedResidenceHours), number(row.enhancementRatio), number(row.pscf), number(row.wpscf),
         number(row.cwt), number(row.wcwt), number(row.fireScore), row.fireCount.map(String.init) ?? "",
         String(row.nEndpoints), String(row.nTrajectories), row.rankLow.map(String.init) ?? "", row.rankHigh.map(String.init) ?? ""]
    }

    /// The `regions.csv` text.
    /// - Parameters:
    ///   - result: the region statistics.
    ///   - name: a name for messages.
    /// - Returns: the CSV text.
    /// - Throws: ``TrajectoryOutputError`` when encoding fails.
    public static func csv(_ result: RegionAttributionResult, name: String = "<memory>") throws -> String {
        try CSVText.encode(rows: [columns] + result.rows.map(fields), path: name, lineEnd: true)
    }

    /// The `outside_home.csv` text.
    /// - Parameters:
    ///   - home: the joint-control view.
    ///   - name: a name for messages.
    /// - Returns: the CSV text.
    /// - Throws: ``TrajectoryOutputError`` when encoding fails.
    public static func outsideHomeCSV(_ home: RegionHomeResult, name: String = "<memory>") throws -> String {
        let rows = home.rows.map { r in
            [r.id, r.name, number(r.pollutedResidenceHours), number(r.pollutedShare), r.isHome ? "true" : "false"]
        }
        return try CSVText.encode(rows: [homeColumns] + rows, path: name, lineEnd: true)
    }

    /// The `regions.geojson` text: `file`'s features with the statistics added to their properties.
    /// - Parameters:
    ///   - result: statistics computed on `file`'s regions (same regions, same order).
    ///   - file: the regions file read.
    /// - Returns: the GeoJSON text.
    /// - Throws: ``RegionFileError/resultMismatch(path:reason:)`` when the result's regions are not the file's.
    public static func geojson(_ result: RegionAttributionResult, file: RegionFile) throws(RegionFileError) -> String {
        guard result.rows.count == file.regions.count else {
            throw .resultMismatch(path: file.path, reason: "the result has \(result.rows.count) regions, the file \(file.regions.count) features")
        }
        var byRegion = [RegionStatistics?](repeating: nil, count: file.regions.count)
        for row in result.rows {
            guard (0..<file.regions.count).contains(row.region), file.regions[row.region].id == row.id else {
                throw .resultMismatch(path: file.path, reason: "region \(row.region) (id \(row.id)) is not the file's feature \(row.region)")
            }
            byRegion[row.region] = row
        }
        func raw(_ range: Range<Int>) -> String { String(decoding: file.source[range], as: UTF8.self) }
        var out = "{"
        for m in file.collection { out += JSONText.quoted(m.key) + ":" + raw(m.range) + "," }
        out += "\"features\":[\n"
        for (f, members) in file.features.enumerated() {
            guard let row = byRegion[f] else {
                throw .resultMismatch(path: file.path, reason: "the result has no row for feature \(f)")
            }
            let texts = fields(row)
            let added: [(key: String, value: String)] = columns.enumerated().map { k, column in
                let text = texts[k]
                switch column {
                case "id", "name": return (column, JSONText.quoted(text))
                default: return (column, text.isEmpty ? "null" : text)
                }
            }
            // The feature's own properties, with the statistics replacing or following them.
            var properties: [(key: String, value: String)] = file.properties[f].map { ($0.key, raw($0.range)) }
            for (key, value) in added {
                if let k = properties.firstIndex(where: { $0.key == key }) {
                    if key != "name" { properties[k].value = value }
                } else {
                    properties.append((key, value))
                }
            }
            var featureMembers: [(key: String, value: String)] = members.map { ($0.key, $0.key == "properties" ? "" : raw($0.range)) }
            if let k = featureMembers.firstIndex(where: { $0.key == "properties" }) {
                featureMembers[k].value = JSONText.object(properties)
            } else {
                featureMembers.append(("properties", JSONText.object(properties)))
            }
            out += (f > 0 ? ",\n" : "") + JSONText.object(featureMembers)
        }
        return out + "\n]}\n"
    }

    /// Writes `regions.csv` through a temporary file renamed when complete.
    /// - Throws: ``TrajectoryOutputError``.
    public static func writeCSV(_ result: RegionAttributionResult, to path: String) throws {
        let sink = try FileSink(path: path)
        try sink.write(Data(try csv(result, name: path).utf8))
        try sink.finish()
    }

    /// Writes `outside_home.csv` through a temporary file renamed when complete.
    /// - Throws: ``TrajectoryOutputError``.
    public static func writeOutsideHome(_ home: RegionHomeResult, to path: String) throws {
        let sink = try FileSink(path: path)
        try sink.write(Data(try outsideHomeCSV(home, name: path).utf8))
        try sink.finish()
    }

    /// Writes `regions.geojson` through a temporary file renamed when complete.
    /// - Throws: ``RegionFileError``, ``TrajectoryOutputError``.
    public static func writeGeoJSON(_ result: RegionAttributionResult, file: RegionFile, to path: String) throws {
        let text = try geojson(result, file: file)
        let sink = try FileSink(path: path)
        try sink.write(Data(text.utf8))
        try sink.finish()
    }

    /// Writes `regions.csv`, `regions.geojson` and, with a home view, `outside_home.csv` into
    /// `folder`: every file is written to a temporary name first and all are renamed only when
    /// all are complete.
    /// - Parameters:
    ///   - result: the region statistics.
    ///   - file: the regions file they were computed on.
    ///   - folder: an existing folder.
    /// - Returns: the names written.
    /// - Throws: ``RegionFileError``, ``TrajectoryOutputError``.
    @discardableResult
    public static func write(_ result: RegionAttributionResult, file: RegionFile, into folder: String) throws -> [String] {
        let base = URL(fileURLWithPath: folder)
        var texts: [(String, String)] = [
            ("regions.csv", try csv(result, name: base.appendingPathComponent("regions.csv").path)),
            ("regions.geojson", try geojson(result, file: file)),
        ]
        if let home = result.home {
            texts.append(("outside_home.csv", try outsideHomeCSV(home, name: base.appendingPathComponent("outside_home.csv").path)))
        }
        var sinks: [FileSink] = []
        for (name, text) in texts {
            let sink = try FileSink(path: base.appendingPathComponent(name).path)
            try sink.write(Data(text.utf8))
            sinks.append(sink)
        }
        for sink in sinks { try sink.finish() }
        return texts.map(\.0)
    }
}
