import Crypto
import Foundation
import UpwindCore

/// What an analysis command did, written as `run.json` beside its outputs so a result can be
/// traced and reproduced: `{"command", "version", "settings": {every option with its value,
/// defaults included}, "inputs": [{"path", "sha256"}], "outputs": [...]}` (issue 10's
/// contract; keys in this order, pretty-printed).
public struct RunRecord: Sendable, Equatable {
    /// One input file and its SHA-256.
    public struct Input: Sendable, Equatable {
        /// The path as given.
        public var path: String
        /// Lower-case hex SHA-256 of the file's bytes.
        public var sha256: String
        /// Creates an input record.
        public init(path: String, sha256: String) { self.path = path; self.sha256 = sha256 }

        /// Reads `path` and records its SHA-256 (streamed in 1 MiB blocks).
        /// - Throws: ``RunRecordError/unreadable(path:reason:)``.
        public init(hashing path: String) throws {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw RunRecordError.unreadable(path: path, reason: "cannot open it")
            }
            defer { try? handle.close() }
            var hasher = SHA256()
            do {
                while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty { hasher.update(data: block) }
            } catch {
                throw RunRecordError.unreadable(path: path, reason: "\(error)")
            }
            self.init(path: path, sha256: hasher.finalize().map { String(format: "%02x", $0) }.joined())
        }
    }

    /// The command, e.g. `pscf`.
    public var command: String
    /// Upwind's version.
    public var version: String
    /// Every option with its value, defaults included, in a stable order.
    public var settings: [(String, JSONValue)]
    /// Input files with their hashes.
    public var inputs: [Input]
    /// Output file names (relative to the output folder).
    public var outputs: [String]

    /// Creates a record.
    public init(command: String, version: String, settings: [(String, JSONValue)], inputs: [Input], outputs: [String]) {
        self.command = command
        self.version = version
        self.settings = settings
        self.inputs = inputs
        self.outputs = outputs
    }

    /// Records are equal when their JSON is.
    public static func == (a: RunRecord, b: RunRecord) -> Bool { a.json == b.json }

    /// The record as JSON.
    public var json: JSONValue {
        .object([
            ("command", .string(command)),
            ("version", .string(version)),
            ("settings", .object(settings)),
            ("inputs", .array(inputs.map { .object([("path", .string($0.path)), ("sha256", .string($0.sha256))]) })),
            ("outputs", .array(outputs.map(JSONValue.string))),
        ])
    }

    /// Writes the record, pretty-printed with a final newline, to `path` through a temporary
    /// file renamed when complete.
    /// - Throws: ``TrajectoryOutputError``.
    public func write(to path: String) throws {
        let sink = try FileSink(path: path)
        try sink.write(Data((json.serialized(pretty: true) + "\n").utf8))
        try sink.finish()
    }
}

/// Why a run record could not be made.
public enum RunRecordError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// An input file could not be read for hashing.
    case unreadable(path: String, reason: String)

    /// One line: the file, why, and what to do.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the input to record its SHA-256 (\(reason)): check the path and permissions"
        }
    }

    /// The one-line message (`description`).
    public var errorDescription: String? { description }
}
