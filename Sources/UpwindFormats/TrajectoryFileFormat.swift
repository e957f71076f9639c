import Foundation
import UpwindCore

/// The trajectory file formats Upwind reads and writes (`upwind convert`).
public enum TrajectoryFileFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// HYSPLIT trajectory endpoints (``TdumpReader``, ``TdumpWriter``).
    case tdump
    /// Upwind's engine CSV (``TrajectoryCSVWriter``, ``TrajectoryCSVReader``).
    case csv
    /// openair-ready CSV (``OpenAirCSV``).
    case openair
    /// RFC 7946 GeoJSON (``TrajectoryGeoJSONWriter``); written only.
    case geojson
    /// CF trajectory NetCDF-4 (``TrajectoryNetCDF``).
    case netcdf

    /// The raw value.
    public var description: String { rawValue }

    /// Whether Upwind can read this format (GeoJSON is written only: its geometry splits at
    /// the antimeridian and it lacks diagnostics and positions' full precision).
    public var isReadable: Bool { self != .geojson }

    /// The format a file name implies, or nil.
    ///
    /// Rules, on the last path component, letter case ignored: `.tdump` → tdump; `.csv` → csv;
    /// `.geojson` or `.json` → geojson; `.nc`, `.nc4`, `.cdf` or `.netcdf` → netcdf; otherwise
    /// a name starting with `tdump` (HYSPLIT's `tdump`, `tdump_003`, `tdump.txt`) → tdump.
    /// A `.csv` name is always csv here; see ``detect(path:sniff:)`` for openair files.
    public static func fromName(_ path: String) -> TrajectoryFileFormat? {
        let name = URL(fileURLWithPath: path).lastPathComponent.lowercased()
        let ext = name.contains(".") ? String(name[name.index(after: name.lastIndex(of: ".") ?? name.startIndex)...]) : ""
        switch ext {
        case "tdump": return .tdump
        case "csv": return .csv
        case "geojson", "json": return .geojson
        case "nc", "nc4", "cdf", "netcdf": return .netcdf
        default: return name.hasPrefix("tdump") ? .tdump : nil
        }
    }

    /// The format of an existing input file: ``fromName(_:)``, except that when `sniff` is true
    /// a `.csv` file whose header line names both `receptor` and `hour.inc` is openair.
    public static func detect(path: String, sniff: Bool = true) -> TrajectoryFileFormat? {
        guard let format = fromName(path) else { return nil }
        guard sniff, format == .csv, let handle = FileHandle(forReadingAtPath: path) else { return format }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        let firstLine = String(decoding: head, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let names = firstLine.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" \u{FEFF}")) }
        return names.contains("receptor") && names.contains("hour.inc") ? .openair : .csv
    }
}

/// Reads and writes trajectories in any ``TrajectoryFileFormat``.
public enum TrajectoryFiles {
    /// Reads `path` as `format`.
    /// - Throws: the format reader's error (``TdumpError``, ``TrajectoryReadError``,
    ///   `NetCDFError`), or ``TrajectoryReadError/notTrajectoryFile(path:reason:)`` for GeoJSON.
    public static func read(path: String, format: TrajectoryFileFormat, tdumpOptions: TdumpReadOptions = TdumpReadOptions()) throws -> [Trajectory] {
        switch format {
        case .tdump: return try TdumpReader.read(path: path, options: tdumpOptions)
        case .csv: return try TrajectoryCSVReader.read(path: path)
        case .openair: return try OpenAirCSV.read(path: path)
        case .netcdf: return try TrajectoryNetCDF.read(path: path)
        case .geojson:
            throw TrajectoryReadError.notTrajectoryFile(path: path, reason: "GeoJSON is an output-only format in Upwind (read the CSV, tdump or NetCDF it was made from)")
        }
    }

    /// Writes `trajectories` to `path` as `format`, through a temporary file renamed onto `path`
    /// when complete. The engine CSV includes every diagnostic column that any endpoint has; a
    /// tdump takes its header from the trajectories' met provenance (``TdumpWriter``).
    /// - Throws: ``TrajectoryOutputError``, ``TdumpError``, `NetCDFError`.
    public static func write(_ trajectories: [Trajectory], to path: String, format: TrajectoryFileFormat,
                             tdumpOptions: TdumpWriteOptions = TdumpWriteOptions()) throws {
        if format == .netcdf { return try TrajectoryNetCDF.write(trajectories, to: path) }
        try write(trajectories, to: FileSink(path: path), format: format, tdumpOptions: tdumpOptions)
    }

    /// Writes `trajectories` as `format` to any sink (memory, a stream) and finishes it: the
    /// same bytes as `write(_:to:format:tdumpOptions:)` with a path writes to a file.
    /// NetCDF is built in a temporary file and its bytes copied to the sink.
    /// - Throws: ``TrajectoryOutputError``, ``TdumpError``, `NetCDFError`, the sink's errors.
    public static func write(_ trajectories: [Trajectory], to sink: any ByteSink, format: TrajectoryFileFormat,
                             tdumpOptions: TdumpWriteOptions = TdumpWriteOptions()) throws {
        switch format {
        case .tdump:
            try sink.write(Data(try TdumpWriter.text(trajectories, options: tdumpOptions, path: sink.name).utf8))
            try sink.finish()
        case .openair:
            try sink.write(Data(OpenAirCSV.text(trajectories).utf8))
            try sink.finish()
        case .netcdf:
            try sink.write(try TrajectoryNetCDF.data(trajectories))
            try sink.finish()
        case .geojson:
            let writer = try TrajectoryGeoJSONWriter(sink: sink)
            for t in trajectories { try writer.write(t) }
            try writer.finish()
        case .csv:
            let writer = try TrajectoryCSVWriter(sink: sink, diagnostics: DiagnosticSet.present(in: trajectories))
            for t in trajectories { try writer.write(t) }
            try writer.finish()
        }
    }

    /// The bytes of `trajectories` written as `format` (what a file would hold).
    /// - Throws: what `write(_:to:format:tdumpOptions:)` with a sink throws.
    public static func data(_ trajectories: [Trajectory], format: TrajectoryFileFormat,
                            tdumpOptions: TdumpWriteOptions = TdumpWriteOptions()) throws -> Data {
        let sink = DataSink()
        try write(trajectories, to: sink, format: format, tdumpOptions: tdumpOptions)
        return sink.data
    }
}
