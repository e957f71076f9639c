import ArgumentParser
import Foundation
import Upwind

/// `upwind convert`: converts trajectories between file formats.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert trajectories between tdump, CSV, openair CSV, GeoJSON and CF NetCDF.",
        discussion: """
        Formats come from the file names unless --from/--to say otherwise: '.tdump' or a name starting with 'tdump' (HYSPLIT endpoints), '.csv' (Upwind's CSV; read as openair when its header has 'receptor' and 'hour.inc'), '.geojson'/'.json' (GeoJSON, output only), '.nc' (CF trajectory NetCDF-4). openair output needs --to openair. HYSPLIT-made trajectories are named T1, T2, ... (a tdump has no site names). The output is written to a temporary file and renamed when complete.

        Examples:
          upwind convert tdump_2024011506 back.nc
          upwind convert back.csv tdump_back --to tdump
          upwind convert tdump_003 openair.csv --to openair
        """ + jsonSummaryHelp("command, trajectories, endpoints, from, to and output (path)")
    )

    @Argument(help: ArgumentHelp("Input trajectory file.", valueName: "in"))
    var input: String

    @Argument(help: ArgumentHelp("Output file (replaced only when the conversion succeeds).", valueName: "out"))
    var output: String

    @OptionGroup var terminal: TerminalOptions

    @Option(name: .customLong("to"), help: "Output format: tdump, csv, openair, geojson or netcdf (default: from OUT's name).")
    var to: String?

    @Option(name: .customLong("from"), help: "Input format: tdump, csv, openair or netcdf (default: from IN's name and header).")
    var from: String?

    @Option(name: .customLong("century"), help: ArgumentHelp("Century for 2-digit tdump years, e.g. 19 (default: <40 → 20xx, else 19xx).", valueName: "cc"))
    var century: Int?

    func validate() throws {
        _ = try formats()
        if let century, !(0...99).contains(century) { throw ValidationError("--century must be 0…99 (e.g. 19 or 20), not \(century)") }
    }

    /// The input and output formats from the flags or the file names.
    func formats() throws -> (input: TrajectoryFileFormat, output: TrajectoryFileFormat) {
        try Self.formats(input: input, output: output, from: from, to: to)
    }

    /// Resolves the formats; throws `ValidationError` (bad usage) when one is unknown or unreadable.
    static func formats(input: String, output: String, from: String?, to: String?) throws -> (input: TrajectoryFileFormat, output: TrajectoryFileFormat) {
        let names = TrajectoryFileFormat.allCases.map(\.rawValue).joined(separator: ", ")
        let inFormat: TrajectoryFileFormat
        if let from {
            guard let f = TrajectoryFileFormat(rawValue: from.lowercased()) else { throw ValidationError("--from must be one of \(names), not '\(from)'") }
            inFormat = f
        } else {
            guard let f = TrajectoryFileFormat.detect(path: input) else {
                throw ValidationError("cannot tell the format of '\(input)' from its name; add --from tdump|csv|openair|netcdf")
            }
            inFormat = f
        }
        guard inFormat.isReadable else {
            throw ValidationError("'\(input)': GeoJSON is an output-only format; convert from the CSV, tdump or NetCDF it was made from")
        }
        let outFormat: TrajectoryFileFormat
        if let to {
            guard let f = TrajectoryFileFormat(rawValue: to.lowercased()) else { throw ValidationError("--to must be one of \(names), not '\(to)'") }
            outFormat = f
        } else {
            guard let f = TrajectoryFileFormat.fromName(output) else {
                throw ValidationError("cannot tell the output format from '\(output)'; use a .tdump, .csv, .geojson or .nc name, or add --to")
            }
            outFormat = f
        }
        return (inFormat, outFormat)
    }

    func run() throws {
        let (inFormat, outFormat) = try formats()
        let trajectories = try TrajectoryFiles.read(path: input, format: inFormat, tdumpOptions: TdumpReadOptions(century: century))
        try TrajectoryFiles.write(trajectories, to: output, format: outFormat)
        let endpoints = trajectories.reduce(0) { $0 + $1.endpoints.count }
        let summary = "\(trajectories.count) trajectories (\(endpoints) endpoints) converted from \(inFormat) to \(outFormat): \(output)"
        if FileSink.isStandardOutput(output) {
            // The trajectories went to standard output (`-`, /dev/stdout): the summary goes to standard error.
            if !terminal.quiet { FileHandle.standardError.write(Data((summary + "\n").utf8)) }
        } else {
            terminal.say(summary)
            terminal.emit(.object([("command", .string("convert")), ("trajectories", JSONSummary.count(trajectories.count)),
                                   ("endpoints", JSONSummary.count(endpoints)), ("from", .string(inFormat.rawValue)), ("to", .string(outFormat.rawValue)),
                                   ("output", JSONSummary.path(output))]))
        }
    }
}
