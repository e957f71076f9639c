import Foundation
import UpwindCore

extension TrajectoryCSVReader {
    /// The bytes read at a time by ``forEach(path:chunkBytes:_:)``: 16 MiB.
    public static let defaultChunkBytes = 16 << 20

    /// Reads `path` one trajectory at a time, holding one chunk of the file (plus the trajectory
    /// being assembled) in memory instead of the whole file: a season's trajectories.csv of
    /// gigabytes is summarised in constant memory.
    ///
    /// The trajectories are the same values, in the same order, that ``read(path:)`` returns,
    /// with one difference: a trajectory without a nonzero age (one that ended at its start)
    /// is marked backward when the trajectories before it were backward and none forward
    /// (``read(path:)`` looks at the whole file). The engine's own layout is parsed from bytes
    /// chunk by chunk; a file that needs the general reader (a quoted field, an exponent,
    /// another time layout) is read by it in one piece, which takes memory in proportion to
    /// the file.
    /// - Parameters:
    ///   - path: the trajectory CSV.
    ///   - chunkBytes: how many bytes to read at a time (at least 1; a line longer than a chunk
    ///     grows the chunk).
    ///   - body: called once per trajectory, in file order; an error it throws stops the read
    ///     and is rethrown.
    /// - Throws: ``TrajectoryReadError`` naming the file, line and column, or what `body` throws.
    public static func forEach(path: String, chunkBytes: Int = defaultChunkBytes, _ body: (Trajectory) throws -> Void) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw TrajectoryReadError.fileNotFound(path: path) }
        if isFolder.boolValue { throw TrajectoryReadError.unreadable(path: path, reason: "it is a folder") }
        if let kind = InputDevice.kind(path) { throw TrajectoryReadError.unreadable(path: path, reason: "it is \(kind), not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TrajectoryReadError.unreadable(path: path, reason: "it cannot be opened for reading (check its permissions)")
        }
        defer { try? handle.close() }
        var delivered = 0
        var direction = (backward: false, forward: false)
        func deliver(_ t: Trajectory) throws {
            var t = t
            if t.isBackward { direction.backward = true }
            if t.endpoints.contains(where: { $0.ageHours > 0 }) { direction.forward = true }
            if !t.isBackward && !t.endpoints.contains(where: { $0.ageHours != 0 }) && direction.backward && !direction.forward {
                t.isBackward = true
            }
            delivered += 1
            try body(t)
        }
        /// Hands over whatever the general reader finds past the trajectories already delivered.
        func general() throws {
            let all = settleDirections(try readGeneral(path: path))
            for t in all.dropFirst(delivered) { try deliver(t) }
        }

        let step = max(1, chunkBytes)
        var header: [UInt8]?
        var pending: [UInt8] = []      // bytes after the last complete line
        var held: Trajectory?          // the last trajectory of a chunk: the next chunk may continue it
        var atEnd = false
        var parsedAny = false          // the fast path has accepted the header and some rows
        while !atEnd {
            let data: Data
            do { data = try handle.read(upToCount: step) ?? Data() } catch {
                throw TrajectoryReadError.unreadable(path: path, reason: error.localizedDescription)
            }
            atEnd = data.isEmpty
            pending.append(contentsOf: data)
            // Complete lines only, unless the file has ended.
            let cut: Int
            if atEnd {
                cut = pending.count
            } else if let lastNewline = pending.lastIndex(of: 10) {
                cut = lastNewline + 1
            } else {
                continue
            }
            var lines = Array(pending[..<cut])
            pending.removeFirst(cut)
            if header == nil {
                guard let end = lines.firstIndex(of: 10) ?? (atEnd ? lines.count : nil) else { continue }
                header = Array(lines[..<min(lines.count, end + 1)])
                lines.removeFirst(min(lines.count, end + 1))
                if header?.last != 10 { header?.append(10) }
            }
            guard let header, !lines.isEmpty else { continue }
            guard let parsed = TrajectoryCSVFastReader.read(header + lines) else {
                // The held trajectory may go on in this chunk: the general reader delivers it whole.
                return try general()
            }
            parsedAny = true
            for t in parsed {
                if var h = held {
                    // Rows with the same `trajectory` value belong together, as in read(path:).
                    if h.id == t.id {
                        h.endpoints += t.endpoints
                        h.termination = t.termination
                        h.isBackward = h.isBackward || t.isBackward
                        held = h
                        continue
                    }
                    try deliver(h)
                }
                held = t
            }
        }
        // No rows parsed (an empty file, a header alone or a bad header): the general reader
        // says what is wrong, or that there is nothing.
        guard parsedAny else { return try general() }
        if let held { try deliver(held) }
    }
}
