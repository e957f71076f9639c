import ArgumentParser
import Foundation
import Synchronization
import Upwind

/// `upwind probe-netcdf PATH` (hidden from the help): opens one netCDF file with NetCDFKit,
/// reads all its metadata (``NetCDFFile/readAllMetadata()``), closes it and exits 0 when it
/// opened, 1 when it was refused. Run as a child process by
/// ``NetCDFCrashProbe`` so that a crash inside the netCDF-4/HDF5 library kills the child, not
/// the command the user ran.
struct ProbeNetCDF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe-netcdf",
        abstract: "Read one netCDF file's metadata (used internally to isolate HDF5 crashes).",
        shouldDisplay: false
    )

    @Argument(help: "The netCDF file.")
    var path: String

    func run() throws {
        let file = try NetCDFFile.open(path)
        file.readAllMetadata()
        try file.close()
    }
}

/// Crash isolation for netCDF-4/HDF5 met files on the command line (issue 13).
///
/// HDF5 1.10.8 frees invalid pointers, reads freed memory and loops forever on some corrupt
/// netCDF-4 files (`Fixtures/fuzz-regressions/known-hdf5/`): the process dies or hangs and
/// nothing can catch it. So before NetCDFKit opens a file with an HDF5 signature, `upwind` runs
/// itself as `upwind probe-netcdf PATH`, which opens the file, reads all its metadata and the
/// first value of every variable, and closes it. When that child dies from a signal, the open is
/// refused with ``NetCDFError/libraryCrashed(path:)``; when it has not finished after
/// ``timeoutVariable`` seconds (default ``defaultTimeoutSeconds``), it is killed and the open is
/// refused with ``NetCDFError/libraryHung(path:seconds:)`` (one line, exit 1). When the child
/// exits (opened or refused), the command proceeds and opens the file itself (an error then comes
/// from the usual checks). Classic netCDF files are not probed: their header is validated in
/// Swift. Results are cached per (path, size, modification time), so a season of files costs
/// one child process per file. `UPWIND_NO_PROBE=1` turns the probe off.
enum NetCDFCrashProbe {
    /// The environment variable that turns the probe off when set to `1`.
    static let optOutVariable = "UPWIND_NO_PROBE"
    /// The environment variable that sets the probe's time limit, whole seconds ≥ 1.
    static let timeoutVariable = "UPWIND_PROBE_TIMEOUT"
    /// The probe's time limit when ``timeoutVariable`` is not set, s: reading a valid file's
    /// metadata takes well under a second (0.1–0.2 s for the met fixtures, most of it process start).
    static let defaultTimeoutSeconds = 60

    /// A file's identity for the cache: the probe is repeated when the file changes.
    struct Key: Hashable {
        let path: String
        let size: Int64
        let modified: Double
    }

    /// What the child did with a file.
    enum Outcome {
        /// It exited by itself (the file opened, or was refused with an error).
        case exited
        /// It died from a signal.
        case crashed
        /// It was still running after ``timeoutSeconds`` and was killed.
        case hung
    }

    /// Probe outcomes so far.
    private static let results = Mutex<[Key: Outcome]>([:])

    /// Installs the probe as NetCDFKit's open guard, unless `UPWIND_NO_PROBE=1`.
    static func install() {
        guard ProcessInfo.processInfo.environment[optOutVariable] != "1" else { return }
        NetCDFFile.setHDF5OpenGuard { path in
            switch outcome(path) {
            case .exited, nil: nil
            case .crashed: NetCDFError.libraryCrashed(path: path)
            case .hung: NetCDFError.libraryHung(path: path, seconds: timeoutSeconds)
            }
        }
    }

    /// The longest time limit accepted, s (a year).
    static let maximumTimeoutSeconds = 31_536_000

    /// The time limit: ``timeoutVariable`` when it is a whole number of seconds from 1 to
    /// ``maximumTimeoutSeconds``, else the default (with a one-line warning on standard error,
    /// printed once).
    static let timeoutSeconds: Int = {
        guard let text = ProcessInfo.processInfo.environment[timeoutVariable] else { return defaultTimeoutSeconds }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), (1 ... maximumTimeoutSeconds).contains(value) else {
            FileHandle.standardError.write(Data(("upwind: warning: \(timeoutVariable)='\(text)' is not a whole number of seconds "
                + "from 1 to \(maximumTimeoutSeconds); using \(defaultTimeoutSeconds) s\n").utf8))
            return defaultTimeoutSeconds
        }
        return value
    }()

    /// What opening `path` does to a child process (cached per path, size and mtime); nil when
    /// the child could not be started: the file is then opened in-process as before.
    static func outcome(_ path: String) -> Outcome? {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: absolute) else { return nil }
        let key = Key(path: absolute,
                      size: (attributes[.size] as? NSNumber)?.int64Value ?? -1,
                      modified: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
        if let known = results.withLock({ $0[key] }) { return known }
        guard let outcome = runChild(absolute, timeoutSeconds: timeoutSeconds) else { return nil }
        results.withLock { $0[key] = outcome }
        return outcome
    }

    /// This executable: `/proc/self/exe` on Linux, else Foundation's idea of it.
    static var executable: URL? {
        if FileManager.default.isExecutableFile(atPath: "/proc/self/exe") { return URL(fileURLWithPath: "/proc/self/exe") }
        return Bundle.main.executableURL
    }

    /// Runs `upwind probe-netcdf PATH` with its output discarded and waits at most
    /// `timeoutSeconds`; nil when it could not be started.
    static func runChild(_ path: String, timeoutSeconds: Int) -> Outcome? {
        guard let executable else { return nil }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["probe-netcdf", path]
        var environment = ProcessInfo.processInfo.environment
        environment[optOutVariable] = "1"
        environment["SWIFT_BACKTRACE"] = "enable=no"    // a crashing child need not symbolicate its stack
        // Heap errors inside HDF5 depend on the heap's layout, so the parent can crash on a file
        // the child survived. Freed memory filled with a pattern (glibc's MALLOC_PERTURB_) and
        // glibc's checking allocator (MALLOC_CHECK_=3, in libc_malloc_debug.so since glibc 2.34;
        // the loader ignores the preload where it is absent) turn use-after-free and invalid
        // frees into crashes in the child: with them, all 78 crashing inputs of the netcdf4 fuzz
        // run are refused, without them three crashed the parent after the child survived.
        environment["MALLOC_PERTURB_"] = "165"
        #if os(Linux)
        environment["MALLOC_CHECK_"] = "3"
        environment["LD_PRELOAD"] = ([environment["LD_PRELOAD"]].compactMap { $0 } + ["libc_malloc_debug.so.0"]).joined(separator: ":")
        #endif
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        // Polled, so that a child looping inside HDF5 can be killed at the limit.
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        var pause = 0.002    // s, doubling up to 50 ms
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return .hung
            }
            Thread.sleep(forTimeInterval: pause)
            pause = min(pause * 2, 0.05)
        }
        return process.terminationReason == .uncaughtSignal ? .crashed : .exited
    }
}
