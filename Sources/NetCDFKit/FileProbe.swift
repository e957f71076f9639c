import Foundation

/// Pre-open checks on a file: existence, kind, size, signature and truncation.
enum FileProbe {
    /// What the probe learnt about a file that passed the checks.
    struct Info: Sendable {
        /// Actual size in bytes.
        let fileSize: Int64
        /// Lower bound of the size the header requires (0 when unknown).
        let minimumSize: Int64
        /// Whether the file is netCDF-4/HDF5 (an HDF5 superblock signature), not classic.
        let isHDF5: Bool
    }

    /// Whether `path` names an existing directory.
    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Validates the file before `nc_open`.
    /// - Returns: Size information, or nil when the file could not be read here
    ///   (e.g. permissions), in which case `nc_open` reports the problem.
    /// - Throws: `.fileNotFound`, `.isDirectory`, `.emptyFile`, `.notNetCDF`, `.truncated`, and
    ///   `.corruptHeader` when a classic header fails the checks in `ClassicHeader.swift`.
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
        var isHDF5 = false
        if magic[0] == 0x43, magic[1] == 0x44, magic[2] == 0x46, [1, 2, 5].contains(magic[3]) {
            switch ClassicHeader.validate(reader: reader, version: magic[3]) {
            case .size(let needed): minimum = needed
            case .endOfFile(let needed): minimum = needed
            case .corrupt(let field, let value, let reason):
                throw NetCDFError.corruptHeader(path: path, field: field, value: value, reason: reason)
            }
        } else if let superblock = HDF5Superblock.locate(reader: reader) {
            isHDF5 = true
            minimum = HDF5Superblock.endOfFileAddress(reader: reader, at: superblock) ?? 0
        } else {
            throw NetCDFError.notNetCDF(path: path)
        }
        if minimum > size {
            throw NetCDFError.truncated(path: path, expectedBytes: minimum, actualBytes: size)
        }
        return Info(fileSize: size, minimumSize: minimum, isHDF5: isHDF5)
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
