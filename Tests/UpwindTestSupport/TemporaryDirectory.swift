import Foundation

/// A unique, empty temporary folder for one test, removed (with its contents) when the
/// value is released or ``remove()`` is called.
public final class TemporaryDirectory: Sendable {
    /// The folder.
    public let url: URL

    /// Creates `$TMPDIR/PREFIX-UUID/`.
    /// - Throws: Foundation's error when the folder cannot be created.
    public init(prefix: String = "upwind-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(prefix + "-" + UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The folder's path.
    public var path: String { url.path }

    /// The path of `NAME` (may contain `/`) inside the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The UTF-8 text of the file `NAME` in the folder.
    /// - Throws: Foundation's error when the file is missing or not UTF-8.
    public func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    /// Writes `text` (UTF-8) to the file `NAME` in the folder, replacing it.
    /// - Throws: Foundation's error when the file cannot be written.
    public func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: url.appendingPathComponent(name)) }

    /// The names in the folder, hidden ones included, sorted.
    /// - Throws: Foundation's error when the folder is gone.
    public func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }

    /// Removes the folder now (it is also removed when the value is released).
    public func remove() { try? FileManager.default.removeItem(at: url) }

    /// Builds `Fixtures/cdl/NAME.cdl` (or `cdl` text when given) into `OUTPUT` (default
    /// `NAME.nc`) in this folder with `ncgen`; see ``NCGen/build(cdl:output:kind:)``.
    /// - Returns: The path of the built file.
    /// - Throws: ``CommandFailed`` when `ncgen` fails; Foundation's error when the CDL is missing.
    @discardableResult
    public func ncgen(_ name: String, as output: String? = nil, cdl text: String? = nil, kind: String? = nil) throws -> String {
        let source = try text ?? Fixtures.cdl(name)
        let out = path(output ?? name + ".nc")
        try NCGen.build(cdl: source, output: out, cdlPath: path(name + ".cdl"), kind: kind)
        return out
    }
}

/// Runs `body` with a fresh temporary folder that is removed afterwards.
/// - Throws: What `body` throws, or Foundation's error when the folder cannot be created.
public func withTemporaryDirectory<R>(_ body: (URL) throws -> R) throws -> R {
    let directory = try TemporaryDirectory()
    return try withExtendedLifetime(directory) { try body(directory.url) }
}

/// Async variant of ``withTemporaryDirectory(_:)``.
/// - Throws: What `body` throws, or Foundation's error when the folder cannot be created.
public func withTemporaryDirectory<R>(_ body: (URL) async throws -> R) async throws -> R {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    return try await body(directory.url)
}

/// The size of the file at `path`, bytes.
/// - Throws: Foundation's error when the file is missing.
public func fileSize(_ path: String) throws -> Int64 {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.size] as? NSNumber)?.int64Value ?? -1
}

/// Truncates the file at `path` to `size` bytes.
/// - Throws: Foundation's error when the file cannot be opened for writing.
public func truncate(_ path: String, to size: Int64) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.truncate(atOffset: UInt64(size))
}
