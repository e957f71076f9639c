import ArgumentParser
import Foundation
import Upwind

/// `upwind convert-met IN... OUT [--to arl|netcdf]`: converts meteorology between CF NetCDF
/// and HYSPLIT ARL packed files.
struct ConvertMet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert-met",
        abstract: "Convert meteorology between CF NetCDF and HYSPLIT ARL packed files.",
        discussion: """
        The inputs form one dataset: NetCDF files of any layout 'upwind inspect' reads (ERA5, GFS, NCEP, several files per dataset), WRF ARW output (wrfout, fixed domains; to ARL only, as HYSPLIT's arw2arl: η levels as ARL hybrid levels, winds de-staggered; a moving nest is refused), or ARL files (recognised by their content). The output format comes from OUT's extension ('.arl' or '.bin': ARL; '.nc': NetCDF) or --to.

        NetCDF → ARL writes UWND, VWND, WWND (hPa/s), TEMP, HGTS (from geopotential), RELH/SPHU and surface PRSS, SHGT, PBLH with HYSPLIT's packing, checksums and 2-digit years. Without surface fields, SHGT is the orography or 0 m, and PRSS the pressure at SHGT from the height profile (or the standard atmosphere). Masked cells are filled from the nearest node. ARL → NetCDF writes CF-1.8 NetCDF-4: projected grids with a CF grid_mapping, 2-D lat/lon and grid-relative winds (x_wind/y_wind), σ and hybrid levels with CF formula_terms. The output is written to a temporary file and renamed when complete.

        Examples:
          upwind convert-met era5_2024-07-*.nc era5_202407.arl
          upwind convert-met uwnd.2023.nc vwnd.2023.nc omega.2023.nc hgt.2023.nc air.2023.nc ncep2023.bin
          upwind convert-met oct1618.BIN oct1618.nc
          upwind convert-met wrfout_d01_2024-07-01_00:00:00 wrf_d01.arl
        """ + jsonSummaryHelp("command, format (arl or netcdf), times, levels, vertical, records (ARL records; null for NetCDF), variables (NetCDF variables; null for ARL), max_packing_error (variable → largest error; null for NetCDF), filled_values (null for NetCDF), notes and output (path)")
    )

    @Argument(help: ArgumentHelp("Input met files or quoted glob patterns (one dataset), then the output file.", valueName: "in... out"))
    var paths: [String]

    @Option(name: .customLong("to"), help: "Output format: arl or netcdf (default: from OUT's extension).")
    var to: String?

    @Option(name: .customLong("model"), help: ArgumentHelp("Data source id written to ARL index records (4 characters; default: from the input, else CF).", valueName: "id"))
    var model: String?

    @Option(name: .customLong("map"), help: ArgumentHelp("Use NetCDF variable NAME for ROLE, e.g. u=UGRD (repeatable).", valueName: "role=name"))
    var map: [String] = []

    @OptionGroup var terminal: TerminalOptions

    /// Output formats.
    enum Format: String { case arl, netcdf }

    func validate() throws {
        guard paths.count >= 2 else { throw ValidationError("give at least one input file and the output file") }
        _ = try format()
        if let model, model.isEmpty || model.count > 4 || !model.allSatisfy({ $0.isLetter || $0.isNumber }) {
            throw ValidationError("--model must be 1–4 letters or digits, not '\(model)'")
        }
    }

    /// The output format from --to or the output's extension.
    func format() throws -> Format {
        if let to {
            switch to.lowercased() {
            case "arl", "bin": return .arl
            case "netcdf", "nc", "cf": return .netcdf
            default: throw ValidationError("--to must be arl or netcdf, not '\(to)'")
            }
        }
        guard let out = paths.last else { throw ValidationError("give the output file") }
        switch (out as NSString).pathExtension.lowercased() {
        case "arl", "bin": return .arl
        case "nc", "nc4", "netcdf": return .netcdf
        default: throw ValidationError("cannot tell the output format from '\(out)': use a .arl, .bin or .nc name, or add --to arl|netcdf")
        }
    }

    func run() throws {
        let output = paths[paths.count - 1]
        let inputs = Array(paths.dropLast())
        let outFormat = try format()
        let mapping: MetVariableMapping
        do { mapping = try MetVariableMapping(parsing: map) } catch { throw ValidationError("\(error)") }
        let isARL = ARLDataset.firstPath(of: inputs[0]).map { ARLDataset.isARL(path: $0) } ?? false
        if inputs.contains(output) { throw ValidationError("the output '\(output)' is also an input") }
        let source: GriddedMetSource
        if isARL {
            guard map.isEmpty else { throw ValidationError("--map applies to NetCDF inputs; ARL files name their variables (UWND, VWND, …)") }
            source = GriddedMetSource(arl: try ARLDataset(paths: inputs))
        } else if let first = ARLDataset.firstPath(of: inputs[0]), WRFDataset.isWRF(path: first) {
            guard map.isEmpty else { throw ValidationError("--map applies to CF NetCDF inputs; WRF output names its variables (U, V, PH, PHB, P, PB, …)") }
            guard outFormat == .arl else { throw ValidationError("WRF output converts to ARL only (--to arl or a .arl/.bin output); it is read directly by upwind trajectories") }
            source = try GriddedMetSource(wrf: try WRFDataset(paths: inputs), modelID: model ?? "WRF")
        } else {
            let dataset = try MetDataset(paths: inputs, mapping: mapping)
            source = try GriddedMetSource(met: dataset, modelID: model ?? "CF")
        }
        var described = source
        if let model { described.source = model }
        let levels = "\(described.levels.count) \(described.verticalKind.rawValue) levels"
        var json: [(String, JSONValue)] = [("command", .string("convert-met")), ("format", .string(outFormat.rawValue)),
                                           ("times", JSONSummary.count(described.times.count)), ("levels", JSONSummary.count(described.levels.count)),
                                           ("vertical", .string(described.verticalKind.rawValue))]
        switch outFormat {
        case .arl:
            let report = try ARLWriter.write(described, to: output)
            terminal.say("\(described.times.count) times, \(levels), \(report.records.count) ARL records written: \(output)")
            for name in report.maxErrorByVariable.keys.sorted() {
                let e = report.maxErrorByVariable[name] ?? 0, b = report.boundByVariable[name] ?? 0
                terminal.say("  \(name) max packing error \(String(format: "%.3g", e)) (bound \(String(format: "%.3g", b)))")
            }
            if report.filledValues > 0 { terminal.say("  \(report.filledValues) missing values filled from the nearest grid node") }
            json += [("records", JSONSummary.count(report.records.count)), ("variables", .null),
                     ("max_packing_error", .object(report.maxErrorByVariable.keys.sorted().map { ($0, .number(report.maxErrorByVariable[$0] ?? .nan)) })),
                     ("filled_values", JSONSummary.count(report.filledValues))]
        case .netcdf:
            try CFMetWriter.write(described, to: output)
            terminal.say("\(described.times.count) times, \(levels), \(described.variables.count) variables written as CF NetCDF: \(output)")
            json += [("records", .null), ("variables", JSONSummary.count(described.variables.count)), ("max_packing_error", .null),
                     ("filled_values", .null)]
        }
        for note in described.notes { terminal.say("  note: \(note)") }
        terminal.emit(.object(json + [("notes", .array(described.notes.map(JSONValue.string))), ("output", JSONSummary.path(output))]))
    }
}
