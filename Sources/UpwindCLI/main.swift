import ArgumentParser
import Foundation
import Upwind

/// The `upwind` command line. Errors are one line on stderr with nothing on stdout:
/// exit 1 for bad data, 2 for bad usage (not swift-argument-parser's 64).
struct UpwindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upwind",
        abstract: "Trace polluted air back to where it came from: back trajectories and source attribution.",
        discussion: """
        Examples:
          upwind inspect era5_2024-07-*.nc
          upwind inspect uwnd.2023.nc vwnd.2023.nc omega.2023.nc --json
          upwind trajectories --met 'era5/*.nc' --start 34.75,113.65,500 --time 2024-01-15T06:00Z --hours -72 --out zz.csv

        Environment:
          UPWIND_NO_PROBE=1  open netCDF-4/HDF5 met directly, without first reading each file's metadata
                             once in a child process (which turns a crash or an endless loop of the HDF5
                             library on a corrupt file into a one-line error)
          UPWIND_PROBE_TIMEOUT=SECONDS
                             how long that child may take per file before the file is refused (default 60)
        """,
        version: "0.1.0",
        subcommands: [Inspect.self, Trajectories.self, Convert.self, ConvertMet.self, PSCF.self, CWT.self, Residence.self, Hotspots.self,
                      Attribute.self, ClusterCommand.self, Twin.self, Demo.self, Report.self, Serve.self, ProbeNetCDF.self]
    )
}

/// Exit codes of every `upwind` command.
enum ExitStatus: Int32 {
    case ok = 0
    case badData = 1
    case badUsage = 2
}

/// Prints `message` on one line to standard error.
func printError(_ message: String) {
    let oneLine = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }.joined(separator: "; ")
    FileHandle.standardError.write(Data(("upwind: error: " + oneLine + "\n").utf8))
}

/// A library error in the command line's terms: option names become flags.
func commandLineMessage(_ error: TrajectoryError) -> String {
    let flags = ["hours": "--hours", "tratio": "--tratio", "topAGL": "--top", "fixedStepMinutes": "--step",
                 "outputIntervalMinutes": "the plan's outputIntervalMinutes", "verticalMode": "--vertical"]
    switch error {
    case .invalidOption(let option, let value, let requirement):
        return "\(flags[option] ?? option) \(value): \(requirement)"
    case .startsOutsideCoverage:
        return error.description.replacingOccurrences(of: "set skipInvalidStarts", with: "pass --skip-invalid-starts")
    case .missingField(let field, let mode, let hint):
        let flagMode = mode.replacingOccurrences(of: "vertical mode ", with: "--vertical ")
        let flagHint = hint.replacingOccurrences(of: "choose the isobaric, isentropic or height vertical mode", with: "use --vertical isobaric, isentropic or height")
            .replacingOccurrences(of: "choose another vertical mode", with: "choose another --vertical")
        return "the met has no \(field), which \(flagMode) needs: \(flagHint)"
    default:
        return error.description
    }
}

/// `upwind SUBCOMMAND --help` when the command line names a subcommand, else `upwind --help`.
func helpCommand() -> String {
    let arguments = CommandLine.arguments.dropFirst()
    guard let name = arguments.first,
          UpwindCommand.configuration.subcommands.contains(where: { $0._commandName == name }) else { return "upwind --help" }
    return "upwind \(name) --help"
}

func runMain() async -> Int32 {
    // No arguments at all is a usage error: the help, on standard error, and exit 2.
    if CommandLine.arguments.count <= 1 {
        FileHandle.standardError.write(Data((UpwindCommand.helpMessage() + "\n").utf8))
        return ExitStatus.badUsage.rawValue
    }
    let command: ParsableCommand
    do {
        command = try UpwindCommand.parseAsRoot()
    } catch {
        let code = UpwindCommand.exitCode(for: error)
        if code == .success {
            print(UpwindCommand.fullMessage(for: error))
            return ExitStatus.ok.rawValue
        }
        printError(UpwindCommand.message(for: error) + " (see '\(helpCommand())')")
        return ExitStatus.badUsage.rawValue
    }
    // A netCDF-4/HDF5 met file is opened once in a child process first (not by the child itself).
    if !(command is ProbeNetCDF) { NetCDFCrashProbe.install() }
    do {
        if var asyncCommand = command as? AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            var command = command
            try command.run()
        }
        return ExitStatus.ok.rawValue
    } catch let error as MetError {
        if case .noWind = error {
            printError(error.description + "; on the command line: --map u=NAME --map v=NAME")
        } else {
            printError(error.description)
        }
        return ExitStatus.badData.rawValue
    } catch let error as NetCDFError {
        printError(error.description)
        return ExitStatus.badData.rawValue
    } catch let error as TrajectoryError {
        printError(commandLineMessage(error))
        switch error {
        case .invalidOptions, .invalidOption: return ExitStatus.badUsage.rawValue
        default: return ExitStatus.badData.rawValue
        }
    } catch let error as ReceptorGridError {
        if case .noValues = error {
            printError(error.description + ": no trajectory was paired with an observation value; trajectories pair with the observation of their site "
                       + "(tdump files: --site NAME, else an observation site within 1 km of their start) at their arrival time (UTC; --timezone for local times), of the --pollutant chosen")
        } else {
            printError(error.description)
        }
        return ExitStatus.badData.rawValue
    } catch let error as ValidationError {
        printError(error.message)
        return ExitStatus.badUsage.rawValue
    } catch let error as CustomStringConvertible where !(error is CleanExit) {
        printError(error.description)
        return ExitStatus.badData.rawValue
    } catch {
        if UpwindCommand.exitCode(for: error) == .success {
            print(UpwindCommand.fullMessage(for: error))
            return ExitStatus.ok.rawValue
        }
        printError(UpwindCommand.message(for: error))
        return ExitStatus.badData.rawValue
    }
}

// A reader that goes away (a closed pipe or FIFO) is a write error reported on one line, not a
// silent kill by SIGPIPE.
signal(SIGPIPE, SIG_IGN)
exit(await runMain())
