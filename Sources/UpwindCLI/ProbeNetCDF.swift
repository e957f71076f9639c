import ArgumentParser
import Foundation
import Synchronization
import Upwind

/// `upwind probe-netcdf PATH` (hidden from the help): opens and closes one netCDF file with
/// NetCDFKit and exits 0 when it opened, 1 when it was refused. Run as a child process by
/// ``NetCDFCrashProbe`` so that a crash inside the netCDF-4/HDF5 library kills the child, not
/// the command the user ran.
struct ProbeNetCDF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe-netcdf",
        abstract: "Open and close one netCDF file (used internally to isolate HDF5 crashes).",
        shouldDisplay: false
    )

    @Argument(help: "The netCDF file.")
    var path: String

    func run() throws {
        let file = try NetCDFFile.open(path)
        try file.close()
    }
}

/// Crash isolation for netCDF-4/HDF5 met files on the command line (issue 13).
///
/// HDF5 1.10.8 frees an invalid pointer inside `nc_open` on some corrupt netCDF-4 files
/// (`Fixtures/fuzz-regressions/known-hdf5/`): the process dies and nothing can catch it. So
/// before NetCDFKit opens a file with an HDF5 signature, `upwind` runs itself as
/// `upwind probe-netcdf PATH`; when that child dies from a signal, the open is refused with
/// ``NetCDFError/libraryCrashed(path:)`` (one line, exit 1). When the child opens the file or
/// exits with an error, the command proceeds and opens the file itself (an error then comes
/// from the usual checks). Classic netCDF files are not probed: their header is validated in
/// Swift. Results are cached per (path, size, modification time), so a season of files costs
/// one child process per file. `UPWIND_NO_PROBE=1` turns the probe off.
enum NetCDFCrashProbe {
    /// The environment variable that turns the probe off when set to `1`.
    static let optOutVariable = "UPWIND_NO_PROBE"

    /// A file's identity for the cache: the probe is repeated when the file changes.
    struct Key: Hashable {
        let path: String
        let size: Int64
        let modified: Double
    }

    /// Probe outcomes so far: true when the child crashed.
    private static let results = Mutex<[Key: Bool]>([:])

    /// Installs the probe as NetCDFKit's open guard, unless `UPWIND_NO_PROBE=1`.
    static func install() {
        guard ProcessInfo.processInfo.environment[optOutVariable] != "1" else { return }
        NetCDFFile.setHDF5OpenGuard { path in
            crashed(path) ? NetCDFError.libraryCrashed(path: path) : nil
        }
    }

    /// Whether opening `path` crashes a child process (cached per path, size and mtime).
    /// False when the child could not be started: the file is then opened in-process as before.
    static func crashed(_ path: String) -> Bool {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: absolute) else { return false }
        let key = Key(path: absolute,
                      size: (attributes[.size] as? NSNumber)?.int64Value ?? -1,
                      modified: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
        if let known = results.withLock({ $0[key] }) { return known }
        guard let outcome = runChild(absolute) else { return false }
        results.withLock { $0[key] = outcome }
        return outcome
    }

    /// This executable: `/proc/self/exe` on Linux, else Foundation's idea of it.
    static var executable: URL? {
        if FileManager.default.isExecutableFile(atPath: "/proc/self/exe") { return URL(fileURLWithPath: "/proc/self/exe") }
        return Bundle.main.executableURL
    }

    /// Runs `upwind probe-netcdf PATH` with its output discarded; true when it died from a
    /// signal, false when it exited (with any status), nil when it could not be started.
    static func runChild(_ path: String) -> Bool? {
        guard let executable else { return nil }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["probe-netcdf", path]
        var environment = ProcessInfo.processInfo.environment
        environment[optOutVariable] = "1"
        environment["SWIFT_BACKTRACE"] = "enable=no"    // a crashing child need not symbolicate its stack
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
    }
}
