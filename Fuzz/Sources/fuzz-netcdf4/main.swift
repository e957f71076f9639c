import CFuzzerDriver
import Foundation
import FuzzEntries
import Synchronization
import Upwind

// libFuzzer harness for the netcdf4 reader (see FuzzEntries and scripts/fuzz.sh).
//
// HDF5 1.10.8 itself crashes or loops on some corrupt netCDF-4 files
// (Fixtures/fuzz-regressions/known-hdf5/). The `upwind` command line and service never meet those
// in-process: they read each netCDF-4 file's metadata in a child process first and refuse the file
// when the child dies or hangs (Sources/UpwindCLI/ProbeNetCDF.swift). This harness installs the same
// guard, with fork() instead of running `upwind probe-netcdf`, so that it fuzzes what users run: a
// crash reported here is one the probe did not catch, in HDF5 after a successful probe or in Upwind.

/// Opens `path`, reads all its metadata and closes it in a forked child; the refusal the command
/// line would give, or nil when the child exited normally.
func probeInChild(_ path: String) -> NetCDFError? {
    let child = fork()
    if child == 0 {
        // A crash must end the child, not run libFuzzer's handlers (which would report it as the
        // harness's crash): default signal actions, no sanitizer death callback, output discarded.
        for signal in [SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE] { _ = Glibc.signal(signal, SIG_DFL) }
        __sanitizer_set_death_callback(nil)
        let null = open("/dev/null", O_WRONLY)
        if null >= 0 { dup2(null, 1); dup2(null, 2) }
        NetCDFFile.setHDF5OpenGuard(nil)
        if let file = try? NetCDFFile.open(path) {
            file.readAllMetadata()
            try? file.close()
        }
        _exit(0)
    }
    guard child > 0 else { return nil }
    var status: Int32 = 0
    for _ in 0 ..< 2_000 {    // 10 s in 5 ms steps, then the child counts as hung
        let done = waitpid(child, &status, WNOHANG)
        if done == child {
            // Exited 0: the file opened or was refused cleanly. A signal or a sanitizer's exit
            // status: the library crashed (AddressSanitizer exits 1 after its report).
            let signalled = (status & 0x7f) != 0
            let code = (status >> 8) & 0xff
            return signalled || code != 0 ? .libraryCrashed(path: path) : nil
        }
        if done < 0 { return nil }
        usleep(5_000)
    }
    kill(child, SIGKILL)
    waitpid(child, &status, 0)
    return .libraryHung(path: path, seconds: 10)
}

/// Outcomes per path: one input is opened several times (as a trajectory file, then as met), and
/// the harness writes each input to a new path, so one probe per input.
let outcomes = Mutex<[String: NetCDFError?]>([:])

NetCDFFile.setHDF5OpenGuard { path in
    if let known = outcomes.withLock({ $0[path] }) { return known }
    let outcome = probeInChild(path)
    outcomes.withLock { table in
        if table.count > 1_000 { table.removeAll() }
        table[path] = outcome
    }
    return outcome
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { bytes, count in
    FuzzEntries.harness("netcdf4", bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
})
