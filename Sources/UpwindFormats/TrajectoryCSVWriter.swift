import CSV
import Foundation
import UpwindCore

/// Which optional per-endpoint diagnostic columns a trajectory CSV carries (a
/// `DiagnosticSet`).
///
/// Decide this before writing from the fields the met has (`MetSource/diagnostics`); the
/// columns always appear in the order `terrain_m` (m above sea level), `temperature_k` (K),
/// `theta_k` (K), `mixing_depth_m` (m), `relative_humidity_pct` (%), each with 1 decimal,
/// whatever order the options were given in.
public typealias DiagnosticColumns = DiagnosticSet

extension DiagnosticSet {
    /// Column names of the selected diagnostics, in output order.
    public var columnNames: [String] {
        DiagnosticColumns.ordered.filter { contains($0.option) }.map(\.name)
    }

    /// Every diagnostic: its option, column name and value accessor, in output order.
    static let ordered: [(option: DiagnosticColumns, name: String, value: @Sendable (EndpointDiagnostics) -> Double?)] = [
        (.terrain, "terrain_m", { $0.terrainM }),
        (.temperature, "temperature_k", { $0.temperatureK }),
        (.theta, "theta_k", { $0.thetaK }),
        (.mixingDepth, "mixing_depth_m", { $0.mixingDepthM }),
        (.relativeHumidity, "relative_humidity_pct", { $0.relativeHumidityPct }),
    ]
}

/// Streams trajectories to a CSV file, one row per endpoint, as trajectories complete.
///
/// The file is written under a temporary name in the destination's folder and renamed onto
/// the destination only by ``finish()``; a writer dropped without `finish()` removes its
/// temporary file, so a failed run never corrupts an earlier output. Only one trajectory's
/// rows are held in memory at a time.
///
/// Columns (exact, in order): `trajectory, site, member, start_time, start_latitude,
/// start_longitude, start_height_m, time, age_h, latitude, longitude, height_agl_m,
/// pressure_hpa`, then the configured ``DiagnosticColumns``, then `termination` (the
/// trajectory's `TerminationReason` raw value, repeated on every row).
///
/// Units and precision: times ISO 8601 UTC with `Z`; `age_h` in hours (negative for backward
/// runs, 2 decimals); latitudes/longitudes in degrees with 4 decimals, longitudes in
/// [−180, 180); heights in metres and pressure in hPa with 1 decimal; diagnostics with 1
/// decimal. A nil, NaN or infinite value is an empty field. Text fields are quoted per RFC 4180
/// when needed. Rows end with LF, including the last.
///
/// ```swift
/// let writer = try TrajectoryCSVWriter(path: "out/trajectories.csv", diagnostics: [.terrain, .mixingDepth])
/// for trajectory in run { try writer.write(trajectory) }
/// try writer.finish()
/// ```
public final class TrajectoryCSVWriter: TrajectoryStreamWriter {
    /// The fixed columns before the diagnostics.
    public static let leadingColumns = [
        "trajectory", "site", "member", "start_time", "start_latitude", "start_longitude", "start_height_m",
        "time", "age_h", "latitude", "longitude", "height_agl_m", "pressure_hpa",
    ]

    /// The header's column names for a diagnostics selection.
    public static func columns(diagnostics: DiagnosticColumns = []) -> [String] {
        leadingColumns + diagnostics.columnNames + ["termination"]
    }

    /// Destination path as given (a sink's name, e.g. `<memory>`, for ``init(sink:diagnostics:)``).
    public var path: String { file.name }
    /// The diagnostic columns this writer emits.
    public let diagnostics: DiagnosticColumns
    /// This writer's columns, in order.
    public let columns: [String]
    /// Rows (endpoints) written so far, header excluded.
    public private(set) var rowCount = 0

    private let file: GuardedSink
    /// One trajectory's rows, reused from trajectory to trajectory.
    private let bytes = ByteWriter()
    private let diagnosticAccessors: [@Sendable (EndpointDiagnostics) -> Double?]

    /// Opens a writer for `path` and writes the header to a temporary file beside it.
    ///
    /// - Parameters:
    ///   - path: Destination CSV path; its folder must exist. Replaced only on ``finish()``.
    ///   - diagnostics: Diagnostic columns to include (default none).
    /// - Throws: ``TrajectoryOutputError``.
    public convenience init(path: String, diagnostics: DiagnosticColumns = []) throws {
        try self.init(sink: FileSink(path: path), diagnostics: diagnostics)
    }

    /// Opens a writer on any sink (memory, a stream) and writes the header to it; the bytes are
    /// the same as a file's.
    /// - Throws: ``TrajectoryOutputError`` or the sink's error.
    public init(sink: any ByteSink, diagnostics: DiagnosticColumns = []) throws {
        self.diagnostics = diagnostics
        self.columns = TrajectoryCSVWriter.columns(diagnostics: diagnostics)
        self.diagnosticAccessors = DiagnosticColumns.ordered.filter { diagnostics.contains($0.option) }.map(\.value)
        self.file = GuardedSink(sink)
        try file.write(try Self.encode(rows: [columns], path: sink.name, lineEnd: true))
    }

    /// Appends one row per endpoint of `trajectory` (nothing for a trajectory without endpoints).
    /// - Throws: ``TrajectoryOutputError``; after a failure the writer refuses further use.
    public func write(_ trajectory: Trajectory) throws {
        try file.checkUsable()
        guard !trajectory.endpoints.isEmpty else { return }
        let start = trajectory.start
        // The per-trajectory leading fields (the site may need quoting) are encoded once by
        // CSV.swift; the per-endpoint fields are numbers, times and enum raw values, which never
        // contain a delimiter, quote or line break, so they are joined directly.
        let fields = [
            String(trajectory.id),
            start.site,
            String(trajectory.member),
            start.time.iso8601,
            NumberText.fixed(start.latitude, decimals: 4) ?? "",
            NumberText.longitude(start.longitude, decimals: 4) ?? "",
            NumberText.fixed(start.height, decimals: 1) ?? "",
        ]
        // A plain site name (letters, digits, space, `_-.()/`) is never quoted: join directly.
        let plain = start.site.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 32 || c == 95 || c == 45 || c == 46 || c == 40 || c == 41 || c == 47
        } && !start.site.isEmpty
        let prefix = plain ? fields.joined(separator: ",") : try Self.encode(rows: [fields], path: path, lineEnd: false)
        let prefixBytes = Array(prefix.utf8)
        let suffix = Array((trajectory.termination.reason.rawValue + "\n").utf8)
        let out = bytes
        out.reset()
        for endpoint in trajectory.endpoints {
            out.append(prefixBytes)
            out.append(44)
            out.appendISO8601(endpoint.time)
            out.append(44)
            out.appendFixed(endpoint.ageHours, decimals: 2)
            out.append(44)
            out.appendFixed(endpoint.latitude, decimals: 4)
            out.append(44)
            out.appendLongitude(endpoint.longitude, decimals: 4)
            out.append(44)
            out.appendFixed(endpoint.heightAGL, decimals: 1)
            out.append(44)
            out.appendFixed(endpoint.pressureHPa, decimals: 1)
            out.append(44)
            for value in diagnosticAccessors {
                out.appendFixed(value(endpoint.diagnostics), decimals: 1)
                out.append(44)
            }
            out.append(suffix)
        }
        try file.write(Data(buffer: out.bytes))
        rowCount += trajectory.endpoints.count
    }

    /// Flushes the file and renames it onto the destination. Call once, after the last ``write(_:)``.
    /// - Throws: ``TrajectoryOutputError``.
    public func finish() throws {
        try file.finish()
    }

    /// RFC 4180 text of `rows` (via CSV.swift), rows separated by LF, with a final LF when `lineEnd`.
    private static func encode(rows: [[String]], path: String, lineEnd: Bool) throws -> String {
        try CSVText.encode(rows: rows, path: path, lineEnd: lineEnd)
    }
}

/// RFC 4180 CSV text through CSV.swift, shared by the CSV writers.
enum CSVText {
    /// The text of `rows`, separated by LF, with a final LF when `lineEnd`.
    /// - Throws: ``TrajectoryOutputError/writeFailed(path:reason:)`` naming `path`.
    static func encode(rows: [[String]], path: String, lineEnd: Bool) throws -> String {
        do {
            let stream = OutputStream.toMemory()
            let writer = try CSVWriter(stream: stream)
            for row in rows { try writer.write(row: row) }
            stream.close()
            guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
                throw TrajectoryOutputError.writeFailed(path: path, reason: "CSV encoding produced no data")
            }
            return String(decoding: data, as: UTF8.self) + (lineEnd ? "\n" : "")
        } catch let error as TrajectoryOutputError {
            throw error
        } catch {
            throw TrajectoryOutputError.writeFailed(path: path, reason: "CSV encoding failed: \(error)")
        }
    }
}
