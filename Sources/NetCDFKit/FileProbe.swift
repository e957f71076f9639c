import Foundation

/// Pre-open checks on a file: existence, kind, size, signature and truncation.
enum FileProbe {
    /// What the probe learnt about a file that passed the checks.
    struct Info: Sendable {
        /// Actual size in bytes.
        let fileSize: Int64
        /// Lower bound of the size the header requires (0 when unknown).
        let minimumSize: Int64
    }

    /// Whether `path` names an existing directory.
    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Validates the file before `nc_open`.
    /// - Returns: Size information, or nil when the file could not be read here
    ///   (e.g. permissions), in which case `nc_open` reports the problem.
    /// - Throws: `.fileNotFound`, `.isDirectory`, `.emptyFile`, `.notNetCDF`, `.truncated`.
    static func validate(_ path: String) throws -> Info? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw NetCDFError.fileNotFound(path: path)
        }
        if isDir.boolValue {
            throw NetCDFError.isDirectory(path: path)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), end <= UInt64(Int64.max) else { return nil }
        let size = Int64(end)
        if size == 0 {
            throw NetCDFError.emptyFile(path: path)
        }
        let reader = ByteReader(handle: handle, fileSize: size)
        guard let magic = reader.bytes(at: 0, count: min(8, Int(size))), magic.count >= 4 else {
            throw NetCDFError.notNetCDF(path: path)
        }
        var minimum: Int64 = 0
        if magic[0] == 0x43, magic[1] == 0x44, magic[2] == 0x46, [1, 2, 5].contains(magic[3]) {
            switch ClassicHeader.minimumFileSize(reader: reader, version: magic[3]) {
            case .size(let needed): minimum = needed
            case .endOfFile(let needed): minimum = needed
            case .malformed: minimum = 0
            }
        } else if let superblock = HDF5Superblock.locate(reader: reader) {
            minimum = HDF5Superblock.endOfFileAddress(reader: reader, at: superblock) ?? 0
        } else {
            throw NetCDFError.notNetCDF(path: path)
        }
        if minimum > size {
            throw NetCDFError.truncated(path: path, expectedBytes: minimum, actualBytes: size)
        }
        return Info(fileSize: size, minimumSize: minimum)
    }
}

/// Random-access reads from an open file handle.
final class ByteReader {
    let handle: FileHandle
    let fileSize: Int64

    init(handle: FileHandle, fileSize: Int64) {
        self.handle = handle
        self.fileSize = fileSize
    }

    /// Exactly `count` bytes at `offset`, or nil when they are not all in the file.
    func bytes(at offset: Int64, count: Int) -> [UInt8]? {
        guard offset >= 0, count >= 0, offset <= fileSize, Int64(count) <= fileSize - offset else { return nil }
        if count == 0 { return [] }
        do {
            try handle.seek(toOffset: UInt64(offset))
            guard let data = try handle.read(upToCount: count), data.count == count else { return nil }
            return [UInt8](data)
        } catch {
            return nil
        }
    }
}

/// Locates the HDF5 superblock and reads its end-of-file address.
enum HDF5Superblock {
    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The offset of the superblock signature (0, 512, 1024, 2048, ...), or nil.
    static func locate(reader: ByteReader) -> Int64? {
        var offset: Int64 = 0
        while offset + 8 <= reader.fileSize {
            if reader.bytes(at: offset, count: 8) == signature { return offset }
            offset = offset == 0 ? 512 : offset * 2
        }
        return nil
    }

    /// The "end of file address" stored in the superblock (versions 0-3), or nil if unreadable/undefined.
    static func endOfFileAddress(reader: ByteReader, at base: Int64) -> Int64? {
        guard let head = reader.bytes(at: base + 8, count: 8) else { return nil }
        let version = head[0]
        let offsetSize: Int
        let eofPosition: Int64
        switch version {
        case 0, 1:
            offsetSize = Int(head[5])
            // 24 bytes of fixed fields (28 for v1), then base, free-space, EOF addresses.
            eofPosition = base + (version == 0 ? 24 : 28) + 2 * Int64(offsetSize)
        case 2, 3:
            offsetSize = Int(head[1])
            // signature, version, sizes, flags (12 bytes), then base, extension, EOF addresses.
            eofPosition = base + 12 + 2 * Int64(offsetSize)
        default:
            return nil
        }
        guard [2, 4, 8].contains(offsetSize), let raw = reader.bytes(at: eofPosition, count: offsetSize) else {
            return nil
        }
        if raw.allSatisfy({ $0 == 0xFF }) { return nil }   // undefined address
        var value: UInt64 = 0
        for (i, byte) in raw.enumerated() { value |= UInt64(byte) << (8 * UInt64(i)) }
        return value <= UInt64(Int64.max) ? Int64(value) : nil
    }
}

/// Parser for the netCDF classic header (CDF-1, CDF-2, CDF-5), computing the minimum
/// file size the header implies, following the "NetCDF Classic and 64-bit Offset Format"
/// and CDF-5 specifications.
enum ClassicHeader {
    /// Parse outcome.
    enum Result: Equatable {
        /// The header parsed; the file must be at least this many bytes.
        case size(Int64)
        /// The header itself runs past the end of the file; it needs at least this many bytes.
        case endOfFile(needed: Int64)
        /// The header is not understood; no conclusion.
        case malformed
    }

    private enum Failure: Error {
        case endOfFile(needed: Int64)
        case malformed
    }

    private struct Variable {
        let dimIDs: [Int64]
        let type: Int32
        let begin: Int64
    }

    /// Sequential big-endian reader over the header.
    private struct Cursor {
        let reader: ByteReader
        let version: UInt8
        var position: Int64 = 4
        var buffer: [UInt8] = []
        var bufferStart: Int64 = 0

        init(reader: ByteReader, version: UInt8) {
            self.reader = reader
            self.version = version
        }

        mutating func take(_ count: Int) throws(Failure) -> ArraySlice<UInt8> {
            let end = position + Int64(count)
            if end > reader.fileSize { throw .endOfFile(needed: end) }
            let bufferEnd = bufferStart + Int64(buffer.count)
            if position < bufferStart || end > bufferEnd {
                let chunk = max(count, 65_536)
                let available = Int(min(Int64(chunk), reader.fileSize - position))
                guard let bytes = reader.bytes(at: position, count: available) else { throw .malformed }
                buffer = bytes
                bufferStart = position
            }
            let from = Int(position - bufferStart)
            position = end
            return buffer[from ..< from + count]
        }

        mutating func skip(_ count: Int64) throws(Failure) {
            guard count >= 0 else { throw .malformed }
            let (end, overflow) = position.addingReportingOverflow(count)
            guard !overflow else { throw .malformed }
            if end > reader.fileSize { throw .endOfFile(needed: end) }
            position = end
        }

        mutating func uint(_ size: Int) throws(Failure) -> UInt64 {
            var value: UInt64 = 0
            for byte in try take(size) { value = value << 8 | UInt64(byte) }
            return value
        }

        mutating func int32() throws(Failure) -> Int32 {
            Int32(bitPattern: UInt32(truncatingIfNeeded: try uint(4)))
        }

        /// NON_NEG: 4 bytes (CDF-1/2) or 8 bytes (CDF-5).
        mutating func nonNeg() throws(Failure) -> Int64 {
            let value = try uint(version == 5 ? 8 : 4)
            guard value <= UInt64(Int64.max) else { throw .malformed }
            return Int64(value)
        }

        /// OFFSET: 4 bytes (CDF-1) or 8 bytes (CDF-2/5).
        mutating func offset() throws(Failure) -> Int64 {
            let value = try uint(version == 1 ? 4 : 8)
            guard value <= UInt64(Int64.max) else { throw .malformed }
            return Int64(value)
        }

        mutating func name() throws(Failure) -> Void {
            let length = try nonNeg()
            guard length <= 4 * 1024 else { throw .malformed }
            try skip(padded(length))
        }

        /// Reads a list header (tag + nelems); returns the element count.
        mutating func list(tag expected: Int32) throws(Failure) -> Int64 {
            let tag = try int32()
            let count = try nonNeg()
            if tag == 0 {
                guard count == 0 else { throw .malformed }
                return 0
            }
            guard tag == expected else { throw .malformed }
            return count
        }

        mutating func attributes() throws(Failure) {
            let count = try list(tag: 0x0C)
            for _ in 0 ..< count {
                try name()
                let type = try int32()
                let elements = try nonNeg()
                guard let size = ClassicHeader.typeSize(type) else { throw .malformed }
                let (bytes, overflow) = elements.multipliedReportingOverflow(by: size)
                guard !overflow else { throw .malformed }
                try skip(padded(bytes))
            }
        }
    }

    static func padded(_ n: Int64) -> Int64 { n % 4 == 0 ? n : n + (4 - n % 4) }

    static func typeSize(_ type: Int32) -> Int64? {
        switch type {
        case 1, 2, 7: return 1          // byte, char, ubyte
        case 3, 8: return 2             // short, ushort
        case 4, 5, 9: return 4          // int, float, uint
        case 6, 10, 11: return 8        // double, int64, uint64
        default: return nil
        }
    }

    /// The minimum size of a file whose header starts with magic `CDF<version>`.
    static func minimumFileSize(reader: ByteReader, version: UInt8) -> Result {
        do throws(Failure) {
            return .size(try parse(reader: reader, version: version))
        } catch .endOfFile(let needed) {
            return .endOfFile(needed: needed)
        } catch {
            return .malformed
        }
    }

    private static func parse(reader: ByteReader, version: UInt8) throws(Failure) -> Int64 {
        var cursor = Cursor(reader: reader, version: version)
        let rawRecords = try cursor.uint(version == 5 ? 8 : 4)
        let streaming = rawRecords == (version == 5 ? UInt64.max : UInt64(UInt32.max))
        guard streaming || rawRecords <= UInt64(Int64.max) else { throw .malformed }
        let numRecords: Int64? = streaming ? nil : Int64(rawRecords)

        var dimLengths: [Int64] = []
        let dimCount = try cursor.list(tag: 0x0A)
        for _ in 0 ..< dimCount {
            try cursor.name()
            dimLengths.append(try cursor.nonNeg())
        }
        try cursor.attributes()

        var variables: [Variable] = []
        let varCount = try cursor.list(tag: 0x0B)
        for _ in 0 ..< varCount {
            try cursor.name()
            let rank = try cursor.nonNeg()
            guard rank <= 1024 else { throw .malformed }
            var ids: [Int64] = []
            for _ in 0 ..< rank { ids.append(try cursor.nonNeg()) }
            try cursor.attributes()
            let type = try cursor.int32()
            _ = try cursor.nonNeg()          // vsize: recomputed below (it saturates for huge variables)
            let begin = try cursor.offset()
            variables.append(Variable(dimIDs: ids, type: type, begin: begin))
        }
        let headerEnd = cursor.position

        // Size of one record's (or the whole fixed variable's) data, unpadded.
        func dataSize(_ v: Variable) throws(Failure) -> (size: Int64, isRecord: Bool) {
            guard var size = typeSize(v.type) else { throw .malformed }
            var isRecord = false
            for (index, id) in v.dimIDs.enumerated() {
                guard id >= 0, id < Int64(dimLengths.count) else { throw .malformed }
                let length = dimLengths[Int(id)]
                if length == 0 {
                    guard index == 0 else { throw .malformed }   // only the first dim may be the record dim
                    isRecord = true
                    continue
                }
                let (next, overflow) = size.multipliedReportingOverflow(by: length)
                guard !overflow else { throw .malformed }
                size = next
            }
            return (size, isRecord)
        }

        var sizes: [(variable: Variable, size: Int64, isRecord: Bool)] = []
        for v in variables {
            let (size, isRecord) = try dataSize(v)
            sizes.append((v, size, isRecord))
        }
        let recordVars = sizes.filter(\.isRecord)
        var recordSize: Int64 = 0
        if recordVars.count == 1, let only = recordVars.first {
            recordSize = only.size     // a single record variable is not padded
        } else {
            for r in recordVars {
                let (next, overflow) = recordSize.addingReportingOverflow(padded(r.size))
                guard !overflow else { throw .malformed }
                recordSize = next
            }
        }

        var minimum = headerEnd
        for entry in sizes where entry.size > 0 {
            var end: Int64
            if entry.isRecord {
                guard let numRecords, numRecords > 0 else { continue }
                let (skipped, o1) = (numRecords - 1).multipliedReportingOverflow(by: recordSize)
                let (start, o2) = entry.variable.begin.addingReportingOverflow(skipped)
                let (last, o3) = start.addingReportingOverflow(entry.size)
                guard !o1, !o2, !o3 else { throw .malformed }
                end = last
            } else {
                let (last, overflow) = entry.variable.begin.addingReportingOverflow(entry.size)
                guard !overflow else { throw .malformed }
                end = last
            }
            minimum = max(minimum, end)
        }
        return minimum
    }
}
