import Foundation
import UpwindCore

/// Where a trajectory writer's bytes go: a file (``FileSink``, written atomically), memory
/// (``DataSink``), or any stream a caller supplies (an HTTP response body, a socket, a
/// database blob). Writers call ``write(_:)`` as they produce bytes and ``finish()`` once,
/// when the output is complete.
///
/// ```swift
/// let sink = DataSink()
/// let writer = try TrajectoryGeoJSONWriter(sink: sink)
/// for t in trajectories { try writer.write(t) }
/// try writer.finish()
/// print(sink.string)
/// ```
public protocol ByteSink: AnyObject {
    /// A name for messages (a path, or `<memory>`).
    var name: String { get }
    /// Appends bytes.
    /// - Throws: what the destination throws (a file sink: ``TrajectoryOutputError``).
    func write(_ data: Data) throws
    /// Completes the output (a file sink renames its temporary file onto the destination).
    /// - Throws: what the destination throws.
    func finish() throws
}

/// Bytes collected in memory.
public final class DataSink: ByteSink {
    /// Everything written so far.
    public private(set) var data = Data()
    /// True once ``finish()`` was called.
    public private(set) var isFinished = false
    /// `<memory>`, or the name given.
    public let name: String
    /// Creates an empty sink.
    public init(name: String = "<memory>") { self.name = name }
    /// Appends bytes.
    public func write(_ data: Data) throws { self.data.append(data) }
    /// Marks the output complete.
    public func finish() throws { isFinished = true }
    /// The bytes as UTF-8 text.
    public var string: String { String(decoding: data, as: UTF8.self) }
}

/// A file written under a temporary name in the destination's folder and renamed onto the
/// destination by ``finish()``; dropped unfinished, the temporary file is removed, so a failed
/// or abandoned run never touches an earlier output. A symbolic link is followed and its target
/// replaced (the link stays); `-`, `/dev/stdout`, `/dev/fd/N`, an existing FIFO or character
/// device are written directly, never replaced by a regular file.
public final class FileSink: ByteSink {
    let file: AtomicOutputFile
    /// Prepares the output: the temporary file next to `path` (whose folder must exist), or the
    /// stream `path` names.
    /// - Throws: ``TrajectoryOutputError``.
    public init(path: String) throws { file = try AtomicOutputFile(path: path) }
    /// True when `path` names this process's standard output (`-`, `/dev/stdout`, `/dev/fd/1`,
    /// `/proc/self/fd/1`), where a command must not also print its summary.
    public static func isStandardOutput(_ path: String) -> Bool { AtomicOutputFile.standardDescriptor(path) == 1 }
    /// The destination path as given.
    public var name: String { file.path }
    /// The destination path as given.
    public var path: String { file.path }
    /// Appends bytes to the temporary file.
    /// - Throws: ``TrajectoryOutputError``.
    public func write(_ data: Data) throws { try file.append(data) }
    /// Flushes, closes and renames the temporary file onto the destination.
    /// - Throws: ``TrajectoryOutputError``.
    public func finish() throws { try file.commit() }
}

/// A sink with the writers' rules: nothing after ``finish()`` or after a failed write.
final class GuardedSink {
    let sink: any ByteSink
    private var state: State = .open
    private enum State { case open, finished, failed }
    init(_ sink: any ByteSink) { self.sink = sink }
    var name: String { sink.name }

    func checkUsable() throws {
        switch state {
        case .finished: throw TrajectoryOutputError.alreadyFinished(path: name)
        case .failed: throw TrajectoryOutputError.unusableAfterError(path: name)
        case .open: if let file = sink as? FileSink { try file.file.checkUsable() }
        }
    }

    func write(_ data: Data) throws {
        try checkUsable()
        do { try sink.write(data) } catch { state = .failed; throw error }
    }

    func write(_ text: String) throws { try write(Data(text.utf8)) }

    func finish() throws {
        try checkUsable()
        do { try sink.finish() } catch { state = .failed; throw error }
        state = .finished
    }
}

/// A writer that takes trajectories one at a time, as they finish (CSV, GeoJSON), so a run's
/// output streams to its sink without holding every trajectory.
public protocol TrajectoryStreamWriter: AnyObject {
    /// Writes one trajectory.
    /// - Throws: ``TrajectoryOutputError`` or the sink's error.
    func write(_ trajectory: Trajectory) throws
    /// Completes the output. Call once, after the last ``write(_:)``.
    /// - Throws: ``TrajectoryOutputError`` or the sink's error.
    func finish() throws
}
