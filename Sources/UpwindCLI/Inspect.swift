import ArgumentParser
import Foundation
import Upwind

/// `upwind inspect MET... [--json]`: what a met source holds.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a met source: grid, vertical levels, times and variable roles.",
        discussion: """
        Several MET arguments (files or quoted glob patterns) form one dataset and give one description. Variables are found by CF attributes, then by usual names; --map overrides. HYSPLIT ARL packed files are recognised by their content and described with the same keys (projected grids as grid.kind "projected", x/y in metres); --map does not apply. WRF ARW output (wrfout) is recognised by its staggered dimensions and described with the same keys plus grid.moving, grid.shape, vertical.native = "wrf_eta" and format = "wrf".

        Examples:
          upwind inspect Fixtures/met/grads_model_1987.nc
          upwind inspect 'era5/2024-07-*.nc' --json
          upwind inspect gfs.nc --map u=UGRD --map v=VGRD --json --no-scan
          upwind inspect gdas1.jan10.w1 --json
        """
    )

    @Argument(help: ArgumentHelp("Met files (NetCDF or HYSPLIT ARL) or glob patterns forming one dataset.", valueName: "met"))
    var met: [String]

    @Flag(help: "Print the machine-readable JSON description (a stable contract).")
    var json = false

    @Flag(name: .customLong("no-scan"), help: "Do not read the data to count missing u/v values (reported as null).")
    var noScan = false

    @Option(name: .customLong("map"), help: ArgumentHelp("Use variable NAME for ROLE, e.g. u=UGRD (repeatable). Roles: \(MetRole.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "role=name"))
    var map: [String] = []

    func validate() throws {
        if met.isEmpty { throw ValidationError("give at least one met file") }
    }

    func run() throws {
        let mapping: MetVariableMapping
        do {
            mapping = try MetVariableMapping(parsing: map)
        } catch {
            throw ValidationError("\(error)")
        }
        if let first = met.first, let path = ARLDataset.firstPath(of: first), ARLDataset.isARL(path: path) {
            guard map.isEmpty else { throw ValidationError("--map applies to NetCDF files; ARL files name their variables (UWND, VWND, …)") }
            let inspection = try ARLInspection(try ARLDataset(paths: met), scan: !noScan)
            print(json ? inspection.json() : inspection.summary)
            return
        }
        if let first = met.first, let path = ARLDataset.firstPath(of: first), WRFDataset.isWRF(path: path) {
            guard map.isEmpty else { throw ValidationError("--map applies to CF NetCDF files; WRF output names its variables (U, V, PH, PHB, P, PB, …)") }
            let inspection = try WRFInspection(try WRFDataset(paths: met), scan: !noScan)
            print(json ? inspection.json() : inspection.summary)
            return
        }
        let dataset = try MetDataset(paths: met, mapping: mapping)
        let inspection = try MetInspection(dataset, scan: !noScan)
        print(json ? inspection.json() : inspection.summary)
    }
}
