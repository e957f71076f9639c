import Foundation

/// What a finished child process gave back.
public struct ProcessResult: Sendable {
    /// The exit status (or the signal number when the child was killed by a signal).
    public var status: Int32
    /// Whether the child was killed by a signal (then ``status`` is the signal number).
    public var terminatedBySignal = false
    /// Everything the child wrote to standard output.
    public var stdoutData: Data
    /// Everything the child wrote to standard error.
    public var stderrData: Data
    /// Standard output decoded as UTF-8 (invalid bytes replaced).
    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    /// Standard error decoded as UTF-8 (invalid bytes replaced).
    public var stderr: String { String(decoding: stderrData, as: UTF8.self) }
}

/// A command that exited with a non-zero status.
public struct CommandFailed: Error, CustomStringConvertible {
    /// The command line, space-separated.
    public var command: String
    /// The exit status.
    public var status: Int32
    /// What the command wrote to standard error.
    public var message: String
    /// `COMMAND failed (STATUS): MESSAGE`.
    public var description: String { "\(command) failed (\(status)): \(message)" }
}

/// Runs child processes for tests, reading standard output and standard error at the same
/// time (one on a background thread) so a child that fills both pipes cannot deadlock.
public enum ProcessRunner {
    /// Runs `executable` with `arguments` to completion; standard input is `/dev/null`.
    /// - Parameters:
    ///   - executable: The program to run.
    ///   - arguments: Its arguments (without the program name).
    ///   - directory: The child's current directory (default: the test process's).
    ///   - environment: The child's environment (default: the test process's).
    /// - Returns: The exit status and everything written to both streams.
    /// - Throws: Foundation's error when the program cannot be started.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String]? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Standard error is drained on its own thread while this one drains standard output;
        // each read ends at end of file, when the child (and any grandchild) closes the stream.
        let stderrReader = PipeReader(err.fileHandleForReading)
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = stderrReader.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, terminatedBySignal: process.terminationReason == .uncaughtSignal,
                             stdoutData: stdoutData, stderrData: stderrData)
    }

    /// Runs `command` (program name first, looked up in `PATH` through `/usr/bin/env`).
    /// - Throws: Foundation's error when `env` cannot be started.
    public static func run(_ command: [String], in directory: URL? = nil) throws -> ProcessResult {
        try run(URL(fileURLWithPath: "/usr/bin/env"), command, in: directory)
    }

    /// Runs `command` like ``run(_:in:)`` and throws when it exits non-zero.
    /// - Throws: ``CommandFailed`` with its standard error when the exit status is not 0.
    @discardableResult
    public static func check(_ command: [String], in directory: URL? = nil) throws -> ProcessResult {
        let result = try run(command, in: directory)
        guard result.status == 0 else {
            throw CommandFailed(command: command.joined(separator: " "), status: result.status, message: result.stderr)
        }
        return result
    }
}

/// Reads a pipe to its end on a dedicated thread.
final class PipeReader: @unchecked Sendable {
    // `data` is written once by the reader thread before `done` is signalled and read only
    // after waiting on `done`: the semaphore orders the two accesses.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
        thread.start()
    }

    /// Blocks until the pipe reached its end; everything read.
    func wait() -> Data {
        done.wait()
        return data
    }
}

/// The built `upwind` executable, run as a user would.
public enum CLI {
    /// The `upwind` executable next to the test bundle (`.build/<config>/upwind`), nil when it
    /// was not built.
    public static let binary: URL? = {
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("upwind"))
        candidates.append(bundle.appendingPathComponent("upwind"))
        for b in Bundle.allBundles { candidates.append(b.bundleURL.deletingLastPathComponent().appendingPathComponent("upwind")) }
        if let arg0 = CommandLine.arguments.first {
            var u = URL(fileURLWithPath: arg0)
            for _ in 0..<5 {
                u.deleteLastPathComponent()
                candidates.append(u.appendingPathComponent("upwind"))
            }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// The `upwind` executable was not found next to the tests.
    public struct NotBuilt: Error, CustomStringConvertible {
        /// Explains where it was looked for.
        public var description: String { "the upwind executable was not built next to the tests (swift build --build-tests)" }
    }

    /// Runs `upwind ARGUMENTS` (in `directory` when given) and collects its exit status and output.
    /// - Parameter environment: Variables added to (or replacing those of) the test process's environment.
    /// - Throws: ``NotBuilt`` when the executable is missing; Foundation's error when it cannot start.
    public static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
        guard let binary else { throw NotBuilt() }
        let merged = environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return try ProcessRunner.run(binary, arguments, in: directory, environment: merged)
    }
}
