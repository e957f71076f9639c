import Foundation

/// An output written so that a failed or abandoned run never leaves a partial file, a
/// temporary file, or a damaged earlier output behind, whatever the destination is:
///
/// - a regular file, or a path that does not exist yet: written under a temporary name in the
///   destination's folder and renamed onto it only by ``commit()`` (atomic replacement; an
///   existing file's permissions are kept);
/// - a symbolic link: resolved (through any chain of links, dangling ones included); its
///   final target is replaced atomically as above and the link stays a link;
/// - `-`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: that descriptor of this
///   process, written directly (never renamed over, never reopened);
/// - an existing FIFO or character device (e.g. `/dev/null`, `/dev/full`, a named pipe):
///   opened and written directly (a device is never replaced by a regular file). What was
///   written before a failure has been consumed by the reader: a stream cannot be unwritten.
///
/// A folder, a block device or a socket is refused. Dropped without commit, the temporary file
/// is removed.
///
/// Writers that need a path of their own (libnetcdf) create ``stagingPath`` with `staged: true`:
/// for a stream destination it is a temporary file in the system's temporary folder, copied to
/// the stream by ``commit()`` and removed.
final class AtomicOutputFile {
    /// Destination path as given.
    let path: String
    /// The file callers with `staged: true` write themselves (libnetcdf); for a replaced file the
    /// temporary file in the destination's folder. Removed unless committed.
    let stagingPath: String
    /// The temporary file's path (same as ``stagingPath``; kept for the NetCDF writers).
    var temporaryPath: String { stagingPath }
    private let destination: Destination
    private var handle: FileHandle?
    private var state: State = .open
    /// Whether ``stagingPath`` names a file this object created (and must remove unless committed).
    private let ownsStagingFile: Bool

    private enum State { case open, committed, failed }

    /// Where the bytes end up.
    enum Destination: Equatable {
        /// A regular file (or a path to create) replaced atomically; `resolved` is the final
        /// target of any symbolic links.
        case replace(resolved: String)
        /// A descriptor written directly: standard output, a FIFO, a character device.
        /// `descriptor` is owned (closed at the end) unless it is 0, 1 or 2.
        case stream(descriptor: Int32, kind: String)
    }

    /// Prepares the output. Throws ``TrajectoryOutputError``.
    /// - Parameters:
    ///   - path: the destination (see the type's documentation for what each kind becomes).
    ///   - staged: the caller writes ``stagingPath`` itself instead of calling ``append(_:)``.
    init(path: String, staged: Bool = false) throws {
        self.path = path
        destination = try Self.destination(of: path)
        let fileManager = FileManager.default
        switch destination {
        case .replace(let resolved):
            let target = URL(fileURLWithPath: resolved)
            let folder = target.deletingLastPathComponent()
            let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).partial")
            stagingPath = temporary.path
            // O_EXCL: never follow or reuse something already at the temporary name.
            let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            guard fd >= 0 else {
                throw TrajectoryOutputError.cannotCreate(path: path, temporaryPath: temporary.path, reason: String(cString: strerror(errno)))
            }
            // Keep the permissions of the file being replaced.
            var info = stat()
            if stat(resolved, &info) == 0 { _ = fchmod(fd, info.st_mode & 0o7777) }
            ownsStagingFile = true
            if staged {
                close(fd)
            } else {
                handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            }
        case .stream(let descriptor, _):
            if staged {
                let temporary = fileManager.temporaryDirectory.appendingPathComponent("upwind-\(UUID().uuidString).partial")
                guard fileManager.createFile(atPath: temporary.path, contents: nil) else {
                    if descriptor > 2 { close(descriptor) }
                    throw TrajectoryOutputError.cannotCreate(path: path, temporaryPath: temporary.path, reason: "the temporary folder is not writable")
                }
                stagingPath = temporary.path
                ownsStagingFile = true
            } else {
                stagingPath = path
                ownsStagingFile = false
            }
            handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: descriptor > 2)
        }
    }

    /// How `path` is written (see the type's documentation).
    /// - Throws: ``TrajectoryOutputError`` for a missing folder, a folder, a block device, a
    ///   socket, a link loop, or a stream that cannot be opened for writing.
    static func destination(of path: String) throws -> Destination {
        if let fd = standardDescriptor(path) {
            let copy = fd <= 2 ? fd : dup(fd)
            guard copy >= 0 else { throw TrajectoryOutputError.writeFailed(path: path, reason: "descriptor \(fd) is not open") }
            return .stream(descriptor: copy, kind: "descriptor \(fd)")
        }
        let resolved = try resolveLinks(path)
        var info = stat()
        if lstat(resolved, &info) != 0 {
            guard errno == ENOENT else {
                throw TrajectoryOutputError.cannotCreate(path: path, temporaryPath: resolved, reason: String(cString: strerror(errno)))
            }
            let folder = URL(fileURLWithPath: resolved).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw TrajectoryOutputError.folderMissing(path: path, folder: folder)
            }
            return .replace(resolved: resolved)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return .replace(resolved: resolved)
        case S_IFDIR:
            throw TrajectoryOutputError.destinationIsFolder(path: path)
        case S_IFIFO, S_IFCHR:
            let kind = info.st_mode & S_IFMT == S_IFIFO ? "FIFO" : "character device"
            let fd = open(resolved, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw TrajectoryOutputError.writeFailed(path: path, reason: "cannot open the \(kind) for writing: \(String(cString: strerror(errno)))")
            }
            return .stream(descriptor: fd, kind: kind)
        default:
            let kind = info.st_mode & S_IFMT == S_IFBLK ? "a block device" : "a socket or special file"
            throw TrajectoryOutputError.writeFailed(path: path, reason: "it is \(kind), which Upwind does not write to; give a file path")
        }
    }

    /// The descriptor `path` names without a file of its own: `-` and `/dev/stdout` (1),
    /// `/dev/stderr` (2), `/dev/fd/N` and `/proc/self/fd/N` (N).
    static func standardDescriptor(_ path: String) -> Int32? {
        switch path {
        case "-", "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                if let n = Int32(path.dropFirst(prefix.count)), n >= 0 { return n }
            }
            return nil
        }
    }

    /// `path` with every symbolic link along its last component followed (relative targets taken
    /// from the link's folder), up to 40 links; a dangling link gives its final target.
    static func resolveLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0 ..< 40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n >= 0 else { return current }
            let target = String(decoding: buffer[0 ..< n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(target).path
        }
        throw TrajectoryOutputError.cannotCreate(path: path, temporaryPath: current, reason: "too many levels of symbolic links")
    }

    /// Appends bytes to the temporary file (or the stream). After a failure the file refuses
    /// further use.
    func append(_ data: Data) throws {
        let handle = try usableHandle()
        do {
            try handle.write(contentsOf: data)
        } catch {
            state = .failed
            throw TrajectoryOutputError.writeFailed(path: path, reason: Self.reason(error))
        }
    }

    /// Appends UTF-8 text.
    func append(_ text: String) throws { try append(Data(text.utf8)) }

    /// Completes the output: flushes, closes and renames the temporary file onto the destination
    /// (replacing it atomically), or, for a stream, copies a staged file to it and closes it.
    func commit() throws {
        switch destination {
        case .replace(let resolved):
            if handle != nil {
                let handle = try usableHandle()
                do {
                    try handle.synchronize()
                    try handle.close()
                } catch {
                    state = .failed
                    throw TrajectoryOutputError.writeFailed(path: path, reason: Self.reason(error))
                }
                self.handle = nil
            } else {
                try checkState()
            }
            guard rename(stagingPath, resolved) == 0 else {
                let reason = String(cString: strerror(errno))
                state = .failed
                throw TrajectoryOutputError.cannotReplace(path: path, temporaryPath: stagingPath, reason: reason)
            }
        case .stream:
            let handle = try usableHandle()
            if ownsStagingFile {
                guard let input = FileHandle(forReadingAtPath: stagingPath) else {
                    state = .failed
                    throw TrajectoryOutputError.writeFailed(path: path, reason: "the staged output '\(stagingPath)' cannot be read")
                }
                defer { try? input.close() }
                do {
                    while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try handle.write(contentsOf: chunk) }
                } catch {
                    state = .failed
                    throw TrajectoryOutputError.writeFailed(path: path, reason: Self.reason(error))
                }
                try? FileManager.default.removeItem(atPath: stagingPath)
            }
            // Streams are not synchronised (fsync fails on pipes); descriptors 0–2 stay open.
            self.handle = nil
        }
        state = .committed
    }

    /// Ensures the writer is still open.
    func checkUsable() throws {
        if handle == nil { try checkState() } else { _ = try usableHandle() }
    }

    private func checkState() throws {
        switch state {
        case .committed: throw TrajectoryOutputError.alreadyFinished(path: path)
        case .failed: throw TrajectoryOutputError.unusableAfterError(path: path)
        case .open: return
        }
    }

    private func usableHandle() throws -> FileHandle {
        try checkState()
        guard let handle else { throw TrajectoryOutputError.unusableAfterError(path: path) }
        return handle
    }

    /// A write error in words: the POSIX reason when there is one (`No space left on device`).
    private static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return "\(error.localizedDescription)"
    }

    deinit {
        if state != .committed {
            // A stream's descriptor is closed by its handle when owned (never 0, 1 or 2).
            if case .replace = destination { try? handle?.close() }
            handle = nil
            if ownsStagingFile { try? FileManager.default.removeItem(atPath: stagingPath) }
        }
    }
}
