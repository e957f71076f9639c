import Foundation

/// A file written under a temporary name in the destination's folder and renamed onto the
/// destination only by ``commit()``. Dropped without commit, the temporary file is removed,
/// so a failed or abandoned run never touches an earlier output.
final class AtomicOutputFile {
    /// Destination path as given.
    let path: String
    /// The temporary file's path (same folder as ``path``).
    let temporaryPath: String
    private var handle: FileHandle?
    private var state: State = .open

    private enum State { case open, committed, failed }

    /// Creates the temporary file next to `path`. Throws ``TrajectoryOutputError``.
    init(path: String) throws {
        self.path = path
        let destination = URL(fileURLWithPath: path)
        let folder = destination.deletingLastPathComponent()
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        guard fileManager.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw TrajectoryOutputError.folderMissing(path: path, folder: folder.path)
        }
        if fileManager.fileExists(atPath: destination.path, isDirectory: &isFolder), isFolder.boolValue {
            throw TrajectoryOutputError.destinationIsFolder(path: path)
        }
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).partial")
        temporaryPath = temporary.path
        guard fileManager.createFile(atPath: temporary.path, contents: nil) else {
            throw TrajectoryOutputError.cannotCreate(path: path, temporaryPath: temporary.path,
                                                     reason: "permission denied or read-only folder")
        }
        do {
            handle = try FileHandle(forWritingTo: temporary)
        } catch {
            try? fileManager.removeItem(atPath: temporary.path)
            throw TrajectoryOutputError.cannotCreate(path: path, temporaryPath: temporary.path, reason: "\(error)")
        }
    }

    /// Appends bytes to the temporary file. After a failure the file refuses further use.
    func append(_ data: Data) throws {
        let handle = try usableHandle()
        do {
            try handle.write(contentsOf: data)
        } catch {
            state = .failed
            throw TrajectoryOutputError.writeFailed(path: path, reason: "\(error)")
        }
    }

    /// Appends UTF-8 text.
    func append(_ text: String) throws { try append(Data(text.utf8)) }

    /// Flushes, closes and renames the temporary file onto the destination (replacing it atomically).
    func commit() throws {
        let handle = try usableHandle()
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            state = .failed
            throw TrajectoryOutputError.writeFailed(path: path, reason: "\(error)")
        }
        self.handle = nil
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            state = .failed
            throw TrajectoryOutputError.cannotReplace(path: path, temporaryPath: temporaryPath, reason: reason)
        }
        state = .committed
    }

    /// Ensures the writer is still open.
    func checkUsable() throws { _ = try usableHandle() }

    private func usableHandle() throws -> FileHandle {
        switch state {
        case .committed: throw TrajectoryOutputError.alreadyFinished(path: path)
        case .failed: throw TrajectoryOutputError.unusableAfterError(path: path)
        case .open:
            guard let handle else { throw TrajectoryOutputError.unusableAfterError(path: path) }
            return handle
        }
    }

    deinit {
        if state != .committed {
            try? handle?.close()
            try? FileManager.default.removeItem(atPath: temporaryPath)
        }
    }
}
