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

    /// A one-line refusal (exit 1, no signal) naming `file` (default the first known file), for an
    /// HDF5 build that reports it as an error instead of crashing on it (the bug is heap-layout
    /// dependent; HDF5 1.14 fixes it), and for every file the probe refuses.
    func expectRefused(_ r: ProcessResult, file: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = file ?? crasher
        #expect(!r.terminatedBySignal && r.status == 1, "\(file): status \(r.status), signal \(r.terminatedBySignal); \(r.stderr)",
                sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("upwind: error: ") && r.stderr.contains(file) && r.stderr.filter { $0 == "\n" }.count == 1,
                "\(r.stderr)", sourceLocation: sourceLocation)
    }

    @Test("inspect and trajectories on the file that crashes HDF5 exit 1 (no signal) with the one-line message; with UPWIND_NO_PROBE=1 the crash is real")
    func crashIsolated() throws {
        // Where this HDF5 crashes on the file (Debian 12's 1.10.8), the opt-out run dies from the
        // signal and the probed runs give the crash message; elsewhere both are plain refusals.
        let raw = try CLI.run(["inspect", crasher], environment: ["UPWIND_NO_PROBE": "1"])
        let check: (ProcessResult, SourceLocation) -> Void = raw.terminatedBySignal
            ? { expectIsolated($0, sourceLocation: $1) } : { expectRefused($0, sourceLocation: $1) }
        if !raw.terminatedBySignal { expectRefused(raw) }
        check(try CLI.run(["inspect", crasher]), #_sourceLocation)
        check(try CLI.run(["trajectories", "--met", crasher, "--start", "40,116,1500", "--time", "2024-01-01T00:00:00Z",
                           "--hours", "-3", "--out", FileManager.default.temporaryDirectory.appendingPathComponent("never-written.csv").path]),
              #_sourceLocation)
    }

    /// The fuzz reports kept in `known-hdf5/` besides the first file (see its README): HDF5 crashes in
    /// `nc_open`, in lazily read variable metadata and in `nc_close`, and loops forever in one.
    static let fuzzReports = ["fuzz-open-link-table-free.nc", "fuzz-inq-var-vlen-attribute.nc", "fuzz-close-cache-free.nc",
                              "fuzz-global-heap-loop.nc"]

    @Test("every file in known-hdf5 is refused by inspect in one line (exit 1, no signal, never a hang): the probe reads all metadata, under a checking allocator and a time limit",
          arguments: fuzzReports)
    func fuzzReportRefused(name: String) throws {
        let file = Fixtures.root.appendingPathComponent("fuzz-regressions/known-hdf5/\(name)").path
        let started = ContinuousClock.now
        // 5 s: the looping file is killed at the limit; the others finish in well under a second.
        let r = try CLI.run(["inspect", file], environment: ["UPWIND_PROBE_TIMEOUT": "5"])
        let elapsed = ContinuousClock.now - started
        expectRefused(r, file: file)
        #expect(r.stdout.isEmpty)
        #expect(elapsed < .seconds(60), "\(name): \(elapsed)")
        if name == "fuzz-global-heap-loop.nc", r.stderr.contains("did not finish") {
            #expect(r.stderr.contains("in 5 s") && elapsed >= .seconds(5), "\(r.stderr) after \(elapsed)")
        }
    }

    @Test("an invalid UPWIND_PROBE_TIMEOUT is named in a one-line warning and the default 60 s is used", arguments: ["0", "abc", "99999999999"])
    func invalidTimeout(value: String) throws {
        let dir = try TemporaryDirectory()
        let good = try dir.ncgen("era5_cds", kind: "nc4")
        let r = try CLI.run(["inspect", good], environment: ["UPWIND_PROBE_TIMEOUT": value])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "upwind: warning: UPWIND_PROBE_TIMEOUT='\(value)' is not a whole number of seconds from 1 to 31536000; using 60 s\n",
                "\(r.stderr)")
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
