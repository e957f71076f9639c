import Foundation
import Upwind

/// One entry per reader for fuzzing (issue 13): bytes in, the reader (and what a command does
/// next with what it read) run, every thrown error ignored. A trap is the only failure.
///
/// This file is compiled twice: here, where ``FuzzReplayTests`` replays the regression corpus
/// `Fixtures/fuzz-regressions/<reader>/` in `make test`, and (through a symbolic link) in the
/// libFuzzer harnesses of `Fuzz/`, built only by `scripts/fuzz.sh`.
public enum FuzzEntries {
    /// The readers, by the name of their corpus folder.
    public static let readers = ["arl", "tdump", "control", "setup", "starts", "observations", "firms", "runplan", "netcdf"]

    /// Runs reader `name` on `data`.
    public static func run(_ name: String, _ data: Data) {
        switch name {
        case "arl": met(data, suffix: "bin")
        case "tdump": tdump(data)
        case "control": control(data)
        case "setup": setup(data)
        case "starts": starts(data)
        case "observations": observations(data)
        case "firms": firms(data)
        case "runplan": runPlan(data)
        case "netcdf", "netcdf4": met(data, suffix: "nc")
        default: break
        }
    }

    /// What a libFuzzer harness calls: ``run(_:_:)``, except that `netcdf` takes classic-format
    /// inputs only (`CDF` 1, 2 or 5) and `netcdf4` HDF5 ones only, so the HDF5 library's own
    /// crashes on some corrupt netCDF-4 headers (reproduced without Upwind; see
    /// `Fixtures/fuzz-regressions/known-hdf5/README.md`) do not stop the classic fuzzer.
    public static func harness(_ name: String, _ data: Data) {
        switch name {
        case "netcdf": guard data.starts(with: Array("CDF".utf8)) else { return }
        case "netcdf4": guard data.starts(with: [0x89, 0x48, 0x44, 0x46]) else { return }
        default: break
        }
        run(name, data)
    }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    /// tdump: parsed, then written back (the writer reads what the reader kept).
    public static func tdump(_ data: Data) {
        guard let trajectories = try? TdumpReader.parse(text(data)) else { return }
        _ = try? TdumpWriter.text(trajectories)
    }

    /// CONTROL: parsed, then made into a plan and checked as the CLI does before running it.
    public static func control(_ data: Data) {
        guard let control = try? HysplitControl.parse(text(data)) else { return }
        let first = UTCTime(year: 1995, month: 10, day: 16), last = UTCTime(year: 1995, month: 10, day: 18)
        let plan = control.runPlan(firstMetTime: first, lastMetTime: last, workingDirectory: "/tmp")
        if let count = try? plan.checkLimits(), count <= 100_000 { _ = try? plan.expandedStarts() }
    }

    /// SETUP.CFG: parsed, its switches and step read.
    public static func setup(_ data: Data) {
        guard let setup = try? HysplitSetup.parse(text(data)) else { return }
        _ = (setup.fixedStepMinutes, setup.minimumStepMinutes, setup.diagnosticLabels)
        _ = try? TrajectoryOptions(hours: -24, fixedStepMinutes: setup.fixedStepMinutes, tratio: setup.tratio,
                                   outputIntervalMinutes: setup.tout).validate()
    }

    /// Starts CSV.
    public static func starts(_ data: Data) {
        _ = try? StartsCSVReader.parse(text(data), source: "starts.csv")
    }

    /// Observations CSV, zoneless times refused and taken as UTC+8, then hotspot detection.
    public static func observations(_ data: Data) {
        _ = try? ObservationCSVReader.read(text: text(data), name: "obs.csv")
        guard let set = try? ObservationCSVReader.read(text: text(data), name: "obs.csv", timezone: "+08:00") else { return }
        if let rules = try? HotspotRules(percentile: 90, spatialFactor: 1.5) { _ = HotspotDetector.analyse(set, rules: rules) }
    }

    /// FIRMS CSV.
    public static func firms(_ data: Data) {
        _ = try? FIRMSCSVReader.read(text: text(data), name: "fires.csv")
    }

    /// RunPlan JSON: decoded, options validated, starts counted, and expanded when few.
    public static func runPlan(_ data: Data) {
        guard let plan = try? JSONDecoder().decode(RunPlan.self, from: data) else { return }
        _ = try? plan.options.validate()
        if let count = try? plan.checkLimits(), count <= 100_000 { _ = try? plan.expandedStarts() }
    }

    /// Met (ARL or CF NetCDF) from a file: opened, two slices decoded, one short trajectory from
    /// the grid's middle and one from an odd place, then read as a trajectory NetCDF too.
    public static func met(_ data: Data, suffix: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("upwind-fuzz-\(getpid())-\(UUID().uuidString).\(suffix)").path
        guard FileManager.default.createFile(atPath: path, contents: data) else { return }
        defer { try? FileManager.default.removeItem(atPath: path) }
        if suffix == "nc" { _ = try? TrajectoryNetCDF.read(path: path) }
        guard let source = try? MetSource.open([path]) else { return }
        let field = source.field
        for i in 0 ..< min(2, field.times.count) { _ = try? field.slice(at: i) }
        guard let t0 = field.times.first, field.grid.nx > 0, field.grid.ny > 0 else { return }
        let middle = field.grid.location(i: field.grid.nx / 2, j: field.grid.ny / 2)
        let starts = [TrajectoryStart(site: "M", latitude: middle.latitude, longitude: middle.longitude, height: 500, time: t0),
                      TrajectoryStart(site: "X", latitude: 89.99, longitude: 1e7, height: 1e5, time: t0)]
        for mode in [VerticalMode.isobaric, .data] {
            guard let engine = try? TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 2, verticalMode: mode, skipInvalidStarts: true)) else { continue }
            _ = try? engine.run(starts)
        }
    }
}
