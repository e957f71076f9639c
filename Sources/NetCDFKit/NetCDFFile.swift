import CNetCDF
import Synchronization

/// The check ``NetCDFFile/open(_:mode:)`` runs before libnetcdf opens a netCDF-4/HDF5 file (nil: none).
private let hdf5OpenGuard = Mutex<(@Sendable (String) -> NetCDFError?)?>(nil)

/// An open netCDF file (classic CDF-1/2/5 or netCDF-4/HDF5).
///
/// ```swift
/// let file = try NetCDFFile.open("/data/gfs.nc")
/// defer { try? file.close() }
/// guard let t = try file.root.variable(named: "t") else { return }
/// let block: [Float] = try t.read(start: [0, 0, 0], count: [1, 10, 20])
///
/// let out = try NetCDFFile.create("/tmp/out.nc", format: .netcdf4, overwrite: true)
/// let x = try out.root.defineDimension("x", length: 3)
/// let v = try out.root.defineVariable("v", type: .double, dimensions: [x])
/// try v.write([1.0, 2.0, 3.0])   // leaves define mode automatically
/// try out.close()
/// ```
///
/// Define mode is handled for you: defining dimensions, variables, groups or attributes
/// enters it (`nc_redef`), reading or writing data leaves it (`nc_enddef`).
///
/// Thread safety: instances may be shared between tasks and threads. All libnetcdf calls of
/// the module are serialised through one global lock, because libnetcdf is not thread-safe.
/// The file is closed in `deinit` if ``close()`` was not called.
///
/// `@unchecked Sendable`: the `let`s are immutable and every `var` (closed, define mode, the
/// direct-chunk handles) is read and written only while holding the global library lock
/// (`Library.locked`).
public final class NetCDFFile: @unchecked Sendable {
    /// How an existing file is opened.
    public enum Mode: Sendable {
        /// Read only (`NC_NOWRITE`).
        case read
        /// Read and write (`NC_WRITE`).
        case write
    }

    /// The path the file was opened or created with.
    public let path: String
    /// The on-disk format.
    public let format: NetCDFFormat
    /// The libnetcdf id of the file (and of its root group).
    let ncid: Int32
    /// Whether the file was opened or created for writing.
    let isWritable: Bool

    // Mutable state, accessed only while holding the global library lock.
    private var closed = false
    private var defineMode: Bool
    /// HDF5 handles for direct chunk reads (see ``NetCDFVariable/storedChunks(start:count:)``).
    var storedChunkFile = StoredChunkFile()

    private init(path: String, ncid: Int32, format: NetCDFFormat, isWritable: Bool, defineMode: Bool) {
        self.path = path
        self.ncid = ncid
        self.format = format
        self.isWritable = isWritable
        self.defineMode = defineMode
    }

    deinit {
        try? Library.locked { () throws in
            if !closed {
                closed = true
                storedChunkFile.closeLocked()
                _ = nc_close(ncid)
            }
        }
    }

    /// Opens an existing file.
    ///
    /// Before handing the file to libnetcdf it checks that the path exists, is not a
    /// directory, is not empty, starts with a netCDF classic or HDF5 signature, and is not
    /// shorter than its header (classic formats) or HDF5 superblock (netCDF-4) require.
    /// - Parameters:
    ///   - path: The file path.
    ///   - mode: `.read` (default) or `.write`.
    /// - Returns: The open file.
    /// - Throws: ``NetCDFError/fileNotFound(path:)``, ``NetCDFError/isDirectory(path:)``,
    ///   ``NetCDFError/emptyFile(path:)``, ``NetCDFError/notNetCDF(path:)``,
    ///   ``NetCDFError/truncated(path:expectedBytes:actualBytes:)``,
    ///   ``NetCDFError/corruptHeader(path:field:value:reason:)`` (a classic header that fails
    ///   the checks in `ClassicHeader.swift`), ``NetCDFError/libraryCrashed(path:)`` or
    ///   ``NetCDFError/libraryHung(path:seconds:)`` (from the guard set with ``setHDF5OpenGuard(_:)``), or
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` when `nc_open` fails otherwise.
    public static func open(_ path: String, mode: Mode = .read) throws -> NetCDFFile {
        let probe = try FileProbe.validate(path)
        if let probe, probe.isHDF5, let check = hdf5OpenGuard.withLock({ $0 }), let refusal = check(path) {
            throw refusal
        }
        return try Library.locked { () throws -> NetCDFFile in
            try openLocked(path, mode: mode, probe: probe)
        }
    }

    /// Installs (or, with nil, removes) a check that ``open(_:mode:)`` runs, outside the library
    /// lock, before libnetcdf opens a netCDF-4/HDF5 file: when it returns an error, that error is
    /// thrown and libnetcdf never sees the file.
    ///
    /// HDF5 1.10 can crash the process (an invalid `free` inside `nc_open`) on some corrupt
    /// netCDF-4 files, which no Swift code can catch. A program can therefore open the file in a
    /// child process first and return ``NetCDFError/libraryCrashed(path:)`` when the child dies
    /// from a signal (the `upwind` command line does; see `Fixtures/fuzz-regressions/known-hdf5`).
    /// NetCDFKit itself never spawns processes: without a guard every file is opened in-process.
    /// Classic files do not need it: their header is validated in Swift (``NetCDFError/corruptHeader(path:field:value:reason:)``).
    /// - Parameter check: Called with the path as given to `open`; returns nil to proceed.
    public static func setHDF5OpenGuard(_ check: (@Sendable (String) -> NetCDFError?)?) {
        hdf5OpenGuard.withLock { $0 = check }
    }

    /// For tests: tries to open `path` (a corrupt netCDF-4 file) and returns how many HDF5
    /// identifiers the attempt left open, with NetCDFKit's release of what a failed `nc_open`
    /// leaks (`releasing`) or without it (libnetcdf's own behaviour; the leak is then released
    /// before returning). Counted under the library lock, so other threads cannot interfere.
    /// Nil when the file opens or HDF5 is absent.
    static func identifiersLeftByFailedOpen(_ path: String, releasing: Bool) -> Int? {
        // A file that opens is returned out of the lock and closed by its deinit there.
        let outcome = try? Library.locked { () -> (left: Int?, opened: NetCDFFile?) in
            guard let before = HDF5Diagnostics.openIdentifierCount() else { return (nil, nil) }
            let ids = HDF5Diagnostics.openIdentifiers()
            do {
                return (nil, try openLocked(path, mode: .read, probe: nil, releaseLeaks: releasing))
            } catch {
                let left = (HDF5Diagnostics.openIdentifierCount() ?? before) - before
                HDF5Diagnostics.closeLeaked(since: ids)
                return (left, nil)
            }
        }
        return outcome?.left
    }

    /// `nc_open` and the checks of ``open(_:mode:)``; call with the library lock held.
    private static func openLocked(_ path: String, mode: Mode, probe: FileProbe.Info?, releaseLeaks: Bool = true) throws -> NetCDFFile {
            Library.applyDefaultChunkCache()
            var ncid: Int32 = -1
            // A netCDF-4 open that fails part-way leaves HDF5 identifiers open: released below.
            let before = HDF5Diagnostics.openIdentifiers()
            let status = nc_open(path, mode == .write ? NC_WRITE : NC_NOWRITE, &ncid)
            if status != NC_NOERR {
                if releaseLeaks { HDF5Diagnostics.closeLeaked(since: before) }
                if status == NC_ENOTNC || status == NC_ENOTBUILT {
                    if let probe, probe.fileSize < probe.minimumSize {
                        throw NetCDFError.truncated(path: path, expectedBytes: probe.minimumSize, actualBytes: probe.fileSize)
                    }
                    throw NetCDFError.notNetCDF(path: path)
                }
                try Library.check(status, "nc_open", path: path)
            }
            var code: Int32 = 0
            let formatStatus = nc_inq_format(ncid, &code)
            guard formatStatus == NC_NOERR, let format = NetCDFFormat(formatCode: code) else {
                _ = nc_close(ncid)
                if formatStatus != NC_NOERR {
                    try Library.check(formatStatus, "nc_inq_format", path: path)
                }
                throw NetCDFError.invalidRequest(path: path, variable: nil,
                                      reason: "unsupported on-disk format (nc_inq_format code \(code))")
            }
            let file = NetCDFFile(path: path, ncid: ncid, format: format,
                                  isWritable: mode == .write, defineMode: false)
            if format.isNetCDF4 && mode == .read { file.storedChunkFile.identity = StoredChunkFile.FileIdentity(path: path) }
            return file
    }

    /// Creates a new file, left in define mode.
    /// - Parameters:
    ///   - path: The file path (its directory must exist).
    ///   - format: The on-disk format.
    ///   - overwrite: Replace an existing file (`NC_CLOBBER`); otherwise an existing file
    ///     makes the call fail (`NC_NOCLOBBER`).
    /// - Returns: The new file, open for writing.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file exists and
    ///   `overwrite` is false or the path is a directory;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` when `nc_create` fails.
    public static func create(
        _ path: String, format: NetCDFFormat, overwrite: Bool = false
    ) throws -> NetCDFFile {
        if FileProbe.isDirectory(path) {
            throw NetCDFError.isDirectory(path: path)
        }
        return try Library.locked { () throws -> NetCDFFile in
            var ncid: Int32 = -1
            let mode = format.createMode | (overwrite ? NC_CLOBBER : NC_NOCLOBBER)
            let status = nc_create(path, mode, &ncid)
            if status == NC_EEXIST {
                throw NetCDFError.invalidRequest(path: path, variable: nil,
                                      reason: "the file already exists; pass overwrite: true to replace it")
            }
            try Library.check(status, "nc_create", path: path)
            return NetCDFFile(path: path, ncid: ncid, format: format, isWritable: true, defineMode: true)
        }
    }

    /// The root group (`/`).
    public var root: NetCDFGroup { NetCDFGroup(file: self, id: ncid) }

    /// Turns filling of newly allocated data with fill values on or off (`nc_set_fill`).
    /// Turning it off makes creating large, sparsely written files fast.
    /// - Parameter fill: `true` for `NC_FILL`, `false` for `NC_NOFILL`.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed or
    ///   read-only; ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func setFillMode(_ fill: Bool) throws {
        try Library.locked { () throws in
            try requireWritableLocked(variable: nil)
            var old: Int32 = 0
            try Library.check(nc_set_fill(ncid, fill ? NC_FILL : NC_NOFILL, &old), "nc_set_fill", path: path)
        }
    }

    /// Leaves define mode (`nc_enddef`) if the file is in it; otherwise does nothing.
    /// Reads and writes do this automatically.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` when `nc_enddef` fails.
    public func endDefine() throws {
        try Library.locked { () throws in
            try enterDataModeLocked(variable: nil)
        }
    }

    /// Leaves define mode if needed and flushes buffers to disk (`nc_sync`).
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func sync() throws {
        try Library.locked { () throws in
            try enterDataModeLocked(variable: nil)
            try Library.check(nc_sync(ncid), "nc_sync", path: path)
        }
    }

    /// Closes the file (`nc_close`). Idempotent; any later use of the file throws
    /// ``NetCDFError/invalidRequest(path:variable:reason:)``.
    /// - Throws: ``NetCDFError/library(code:message:path:variable:operation:)`` when `nc_close` fails
    ///   (the file is considered closed anyway).
    public func close() throws {
        try Library.locked { () throws in
            guard !closed else { return }
            closed = true
            storedChunkFile.closeLocked()
            try Library.check(nc_close(ncid), "nc_close", path: path)
        }
    }

    /// Reads, once, everything a reader of the file could touch besides the bulk data: every
    /// group's dimensions and attributes, every variable's metadata, attributes, chunking and
    /// compression, and the first value of each variable with no empty dimension (which walks its
    /// chunk index). Errors are ignored.
    ///
    /// For crash probes (see ``setHDF5OpenGuard(_:)``): libnetcdf 4.9 reads a netCDF-4 variable's
    /// metadata lazily, after `nc_open`, and HDF5 frees what it cached at `nc_close`, so opening
    /// and closing alone misses the crashes and endless loops a corrupt file causes later
    /// (`Fixtures/fuzz-regressions/known-hdf5/`).
    public func readAllMetadata() {
        func walk(_ group: NetCDFGroup) {
            _ = try? group.dimensions()
            _ = try? group.attributes()
            for variable in (try? group.variables()) ?? [] {
                _ = try? variable.attributes()
                _ = try? variable.chunking()
                _ = try? variable.deflateLevel()
                if variable.shape.allSatisfy({ $0 > 0 }) {
                    _ = try? variable.read(Double.self, start: variable.shape.map { _ in 0 }, count: variable.shape.map { _ in 1 })
                }
            }
            for child in (try? group.groups()) ?? [] { walk(child) }
        }
        walk(root)
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool {
        (try? Library.locked { () throws -> Bool in closed }) ?? true
    }

    // MARK: - Internal state helpers (call with the library lock held)

    /// Throws when the file is closed.
    func requireOpenLocked(variable: String?) throws {
        if closed {
            throw NetCDFError.invalidRequest(path: path, variable: variable, reason: "the file has been closed")
        }
    }

    /// Throws when the file is closed or read-only.
    func requireWritableLocked(variable: String?) throws {
        try requireOpenLocked(variable: variable)
        if !isWritable {
            throw NetCDFError.invalidRequest(path: path, variable: variable,
                                  reason: "the file is open read-only; open it with mode: .write to modify it")
        }
    }

    /// Enters define mode if needed (`nc_redef`).
    func enterDefineModeLocked(variable: String?) throws {
        try requireWritableLocked(variable: variable)
        guard !defineMode else { return }
        try Library.check(nc_redef(ncid), "nc_redef", path: path, variable: variable)
        defineMode = true
    }

    /// Leaves define mode if needed (`nc_enddef`).
    func enterDataModeLocked(variable: String?) throws {
        try requireOpenLocked(variable: variable)
        guard defineMode else { return }
        try Library.check(nc_enddef(ncid), "nc_enddef", path: path, variable: variable)
        defineMode = false
    }
}
