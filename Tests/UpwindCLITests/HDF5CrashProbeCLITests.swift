import Foundation
import Testing
import UpwindTestSupport

/// Issue 13: HDF5 1.10.8 frees an invalid pointer inside `nc_open` on
/// `Fixtures/fuzz-regressions/known-hdf5/era5_cds-nc4-16102-inverted.nc`. The command line opens
/// netCDF-4/HDF5 met in a child process (`upwind probe-netcdf`) first, so the crash becomes a
/// one-line error instead of killing the command.
@Suite("netCDF-4/HDF5 crash isolation on the command line")
struct HDF5CrashProbeCLITests {
    let crasher = Fixtures.root.appendingPathComponent("fuzz-regressions/known-hdf5/era5_cds-nc4-16102-inverted.nc").path

    func expectIsolated(_ r: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!r.terminatedBySignal && r.status == 1, "status \(r.status), signal \(r.terminatedBySignal)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(r.stderr == "upwind: error: \(crasher): the netCDF-4/HDF5 library crashed while opening this file (it is corrupt); "
                + "check it with `ncdump -h \(crasher)` or re-download it.\n", "\(r.stderr)", sourceLocation: sourceLocation)
    }

    @Test("inspect and trajectories on the file that crashes HDF5 exit 1 (no signal) with the one-line message")
    func crashIsolated() throws {
        expectIsolated(try CLI.run(["inspect", crasher]))
        expectIsolated(try CLI.run(["trajectories", "--met", crasher, "--start", "40,116,1500", "--time", "2024-01-01T00:00:00Z",
                                    "--hours", "-3", "--out", FileManager.default.temporaryDirectory.appendingPathComponent("never-written.csv").path]))
    }

    @Test("the crash is real: with UPWIND_NO_PROBE=1 the file is opened in-process and the command dies from a signal")
    func optOut() throws {
        let r = try CLI.run(["inspect", crasher], environment: ["UPWIND_NO_PROBE": "1"])
        #expect(r.terminatedBySignal, "status \(r.status): \(r.stderr)")
    }

    @Test("probe-netcdf is hidden from the help; it opens a good netCDF-4 file (exit 0) and refuses a missing one (exit 1); good files still open")
    func probeCommand() throws {
        let help = try CLI.run(["--help"])
        #expect(!help.stdout.contains("probe-netcdf") && help.stdout.contains("UPWIND_NO_PROBE=1"), "\(help.stdout)")
        let dir = try TemporaryDirectory()
        let good = try dir.ncgen("era5_cds", kind: "nc4")
        let probe = try CLI.run(["probe-netcdf", good])
        #expect(probe.status == 0 && probe.stdout.isEmpty && probe.stderr.isEmpty, "\(probe.stderr)")
        let missing = try CLI.run(["probe-netcdf", dir.path("missing.nc")])
        #expect(missing.status == 1 && !missing.terminatedBySignal && missing.stderr.contains("not found"), "\(missing.stderr)")
        let inspect = try CLI.run(["inspect", good, "--json"])
        #expect(inspect.status == 0, "\(inspect.stderr)")
    }
}
