/// Validator of the netCDF classic header (CDF-1, CDF-2 and CDF-5), run before `nc_open`.
///
/// libnetcdf 4.9 trusts the header: a corrupted count or size makes it allocate tens of
/// gigabytes or dereference a wild pointer inside `nc_open` (`ncdump -h` crashes on such files
/// too; see `Fixtures/fuzz-regressions/netcdf/`). This parser reads only the header bytes and
/// checks every count, name length, attribute size, type, dimension id, `vsize` and `begin`
/// against the file's real size, following the "NetCDF Classic and 64-bit Offset Format"
/// specification and its CDF-5 extension:
///
/// ```
/// header    = magic numrecs dim_list gatt_list var_list
/// dim_list  = ABSENT | NC_DIMENSION nelems [dim ...]       dim  = name dim_length
/// att_list  = ABSENT | NC_ATTRIBUTE nelems [attr ...]      attr = name nc_type nelems [values]
/// var_list  = ABSENT | NC_VARIABLE nelems [var ...]
/// var       = name nelems [dimid ...] vatt_list nc_type vsize begin
/// ```
/// NON_NEG counts are 4 bytes (CDF-1/2) or 8 bytes (CDF-5); `begin` is 4 bytes (CDF-1) or
/// 8 bytes (CDF-2/5); names and attribute values are padded to 4 bytes; all big-endian.
enum ClassicHeader {
    /// Parse outcome.
    enum Result: Equatable {
        /// The header is consistent; the file must be at least this many bytes (the end of
        /// the header and of every variable's data, the last record included).
        case size(Int64)
        /// A fixed-size header field runs past the end of the file; the file needs at least this many bytes.
        case endOfFile(needed: Int64)
        /// A header field holds a value this file cannot satisfy.
        case corrupt(field: String, value: String, reason: String)
    }

    private enum Failure: Error {
        case endOfFile(needed: Int64)
        case corrupt(field: String, value: String, reason: String)
    }

    private struct Variable {
        let name: String
        let dimIDs: [Int64]
        let type: Int32
        let vsize: Int64
        let begin: Int64
    }

    /// The largest rank libnetcdf accepts (`NC_MAX_VAR_DIMS`).
    static let maximumRank: Int64 = 1024

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

        /// Bytes of a NON_NEG count (4, or 8 in CDF-5).
        var countSize: Int64 { version == 5 ? 8 : 4 }
        /// Bytes of an OFFSET (4 in CDF-1, 8 in CDF-2/5).
        var offsetSize: Int64 { version == 1 ? 4 : 8 }
        /// Header bytes (1 MiB) up to which a count or size that runs past the end of the file is
        /// taken for a cut file (``NetCDFError/truncated(path:expectedBytes:actualBytes:)``)
        /// rather than a corrupt field.
        static let plausibleShortfall: Int64 = 1 << 20
        /// Bytes left after the current position.
        var remaining: Int64 { reader.fileSize - position }

        mutating func take(_ count: Int) throws(Failure) -> ArraySlice<UInt8> {
            let end = position + Int64(count)
            if end > reader.fileSize { throw .endOfFile(needed: end) }
            let bufferEnd = bufferStart + Int64(buffer.count)
            if position < bufferStart || end > bufferEnd {
                let chunk = max(count, 65_536)
                let available = Int(min(Int64(chunk), reader.fileSize - position))
                guard let bytes = reader.bytes(at: position, count: available) else { throw .endOfFile(needed: end) }
                buffer = bytes
                bufferStart = position
            }
            let from = Int(position - bufferStart)
            position = end
            return buffer[from ..< from + count]
        }

        mutating func uint(_ size: Int64) throws(Failure) -> UInt64 {
            var value: UInt64 = 0
            for byte in try take(Int(size)) { value = value << 8 | UInt64(byte) }
            return value
        }

        mutating func int32() throws(Failure) -> Int32 {
            Int32(bitPattern: UInt32(truncatingIfNeeded: try uint(4)))
        }

        /// A NON_NEG value (unsigned 32-bit in CDF-1/2, as libnetcdf reads it; 64-bit in CDF-5).
        mutating func nonNeg(_ field: @autoclosure () -> String) throws(Failure) -> Int64 {
            let value = try uint(countSize)
            guard value <= UInt64(Int64.max) else {
                throw .corrupt(field: field(), value: "\(value)", reason: "it is not a valid count")
            }
            return Int64(value)
        }

        /// An OFFSET value.
        mutating func offset(_ field: @autoclosure () -> String) throws(Failure) -> Int64 {
            let value = try uint(offsetSize)
            guard value <= UInt64(Int64.max) else {
                throw .corrupt(field: field(), value: "\(value)", reason: "it is not a valid file offset")
            }
            return Int64(value)
        }

        /// Checks that `count` items of at least `itemSize` bytes each fit in the bytes left.
        func requireFits(_ count: Int64, itemSize: Int64, field: @autoclosure () -> String) throws(Failure) {
            let (bytes, overflow) = count.multipliedReportingOverflow(by: itemSize)
            // A plausible count in a file that ends too early is a cut file (a partial download),
            // reported as truncated; an implausible one is a corrupt field.
            if !overflow, bytes > remaining, bytes <= Self.plausibleShortfall { throw .endOfFile(needed: position + bytes) }
            guard !overflow, bytes <= remaining else {
                throw .corrupt(field: field(), value: "\(count)",
                               reason: "that many need at least \(overflow ? "more than \(Int64.max)" : "\(bytes)") bytes but only \(remaining) remain after byte \(position)")
            }
        }

        /// Skips `bytes` bytes padded to 4, after checking they fit.
        mutating func skipPadded(_ bytes: Int64, field: @autoclosure () -> String, value: @autoclosure () -> String) throws(Failure) {
            let padded = ClassicHeader.padded(bytes)
            if padded > remaining, padded <= Self.plausibleShortfall { throw .endOfFile(needed: position + padded) }
            guard padded <= remaining else {
                throw .corrupt(field: field(), value: value(),
                               reason: "\(padded) bytes would run past the end of the file (\(remaining) remain after byte \(position))")
            }
            position += padded
        }

        /// A name (`nelems namestring`), decoded for messages (at most 64 characters kept).
        mutating func name(_ field: @autoclosure () -> String) throws(Failure) -> String {
            let length = try nonNeg("\(field()) name length")
            let padded = ClassicHeader.padded(length)
            if length <= ClassicHeader.maximumNameBytes, padded > remaining { throw .endOfFile(needed: position + padded) }
            guard length <= ClassicHeader.maximumNameBytes, padded <= remaining else {
                throw .corrupt(field: "\(field()) name length", value: "\(length)",
                               reason: length > ClassicHeader.maximumNameBytes
                                   ? "names have at most \(ClassicHeader.maximumNameBytes) bytes"
                                   : "the name would run past the end of the file (\(remaining) bytes remain after byte \(position))")
            }
            let bytes = try take(Int(length))
            position += padded - length
            let text = String(decoding: bytes.prefix(64), as: UTF8.self)
            return length > 64 ? text + "…" : text
        }

        /// Reads a list header (tag + nelems), checking the tag and that `nelems` items of
        /// at least `itemSize` bytes fit in the file; returns the element count.
        mutating func list(tag expected: Int32, itemSize: Int64, field: String) throws(Failure) -> Int64 {
            let tag = try int32()
            let count = try nonNeg(field)
            if tag == 0 {
                guard count == 0 else {
                    throw .corrupt(field: field, value: "\(count)", reason: "the list is marked absent (tag 0) but has elements")
                }
                return 0
            }
            guard tag == expected else {
                throw .corrupt(field: "\(field) tag", value: "\(tag)", reason: "expected \(expected) or 0 (absent)")
            }
            try requireFits(count, itemSize: itemSize, field: field)
            return count
        }

        /// An attribute list: names, types and value sizes checked, values skipped.
        mutating func attributes(of owner: String) throws(Failure) {
            // name length, type, nelems (the name and values may be empty)
            let count = try list(tag: 0x0C, itemSize: 2 * countSize + 4, field: "number of attributes of \(owner)")
            for index in 0 ..< count {
                let name = try name("attribute \(index) of \(owner)")
                let field = "attribute '\(name)' of \(owner)"
                let type = try int32()
                guard let size = ClassicHeader.typeSize(type, version: version) else {
                    throw .corrupt(field: "\(field) type", value: "\(type)", reason: ClassicHeader.typeRange(version))
                }
                let elements = try nonNeg("\(field) number of values")
                let (bytes, overflow) = elements.multipliedReportingOverflow(by: size)
                guard !overflow else {
                    throw .corrupt(field: "\(field) number of values", value: "\(elements)",
                                   reason: "\(elements) × \(size) bytes overflows")
                }
                try skipPadded(bytes, field: "\(field) number of values", value: "\(elements)")
            }
        }
    }

    /// Longest name accepted, bytes: libnetcdf's `NC_MAX_NAME` is 256 characters of UTF-8
    /// (normalised), so no valid name is longer than 4 bytes per character.
    static let maximumNameBytes: Int64 = 4 * 256

    /// `n` rounded up to a multiple of 4.
    /// (Saturates at `Int64.max`, which no file reaches.)
    static func padded(_ n: Int64) -> Int64 {
        let (rounded, overflow) = n.addingReportingOverflow(3)
        return overflow ? Int64.max : rounded / 4 * 4
    }

    /// Bytes of one value of classic type code `type` (1–6; 7–11 in CDF-5 only), or nil.
    static func typeSize(_ type: Int32, version: UInt8 = 5) -> Int64? {
        switch type {
        case 1, 2: return 1             // byte, char
        case 3: return 2                // short
        case 4, 5: return 4             // int, float
        case 6: return 8                // double
        case 7 where version == 5: return 1          // ubyte
        case 8 where version == 5: return 2          // ushort
        case 9 where version == 5: return 4          // uint
        case 10, 11: return version == 5 ? 8 : nil  // int64, uint64
        default: return nil
        }
    }

    /// The valid type codes of a format version, for messages.
    static func typeRange(_ version: UInt8) -> String {
        version == 5 ? "valid types are 1–11 in CDF-5" : "valid types are 1–6 in CDF-\(version)"
    }

    /// Checks the header of a file starting with magic `CDF<version>` against the file's size.
    static func validate(reader: ByteReader, version: UInt8) -> Result {
        do throws(Failure) {
            return .size(try parse(reader: reader, version: version))
        } catch {
            switch error {
            case .endOfFile(let needed): return .endOfFile(needed: needed)
            case .corrupt(let field, let value, let reason): return .corrupt(field: field, value: value, reason: reason)
            }
        }
    }

    private static func parse(reader: ByteReader, version: UInt8) throws(Failure) -> Int64 {
        var cursor = Cursor(reader: reader, version: version)
        let fileSize = reader.fileSize
        let N = cursor.countSize
        let rawRecords = try cursor.uint(N)
        let streaming = rawRecords == (version == 5 ? UInt64.max : UInt64(UInt32.max))
        guard streaming || rawRecords <= UInt64(Int64.max) else {
            throw .corrupt(field: "numrecs", value: "\(rawRecords)", reason: "it is not a valid count")
        }
        let numRecords: Int64? = streaming ? nil : Int64(rawRecords)

        // Dimensions: a name (length + at least 0 bytes) and a length each.
        var dimensions: [(name: String, length: Int64)] = []
        let dimCount = try cursor.list(tag: 0x0A, itemSize: 2 * N, field: "number of dimensions")
        for index in 0 ..< dimCount {
            let name = try cursor.name("dimension \(index)")
            let length = try cursor.nonNeg("dimension '\(name)' length")
            if length == 0, let first = dimensions.first(where: { $0.length == 0 }) {
                throw .corrupt(field: "dimension '\(name)' length", value: "0",
                               reason: "a second record (unlimited) dimension; '\(first.name)' is already one")
            }
            dimensions.append((name, length))
        }
        try cursor.attributes(of: "the file (global)")

        // Variables: name, rank, attribute list, type, vsize, begin.
        var variables: [Variable] = []
        let varCount = try cursor.list(tag: 0x0B, itemSize: 4 * N + 8 + cursor.offsetSize, field: "number of variables")
        for index in 0 ..< varCount {
            let name = try cursor.name("variable \(index)")
            let rank = try cursor.nonNeg("variable '\(name)' number of dimensions")
            guard rank <= maximumRank else {
                throw .corrupt(field: "variable '\(name)' number of dimensions", value: "\(rank)",
                               reason: "netCDF allows at most \(maximumRank)")
            }
            try cursor.requireFits(rank, itemSize: N, field: "variable '\(name)' number of dimensions")
            var ids: [Int64] = []
            for _ in 0 ..< rank {
                let id = try cursor.nonNeg("variable '\(name)' dimension id")
                guard id < Int64(dimensions.count) else {
                    throw .corrupt(field: "variable '\(name)' dimension id", value: "\(id)",
                                   reason: "the file has \(dimensions.count) dimension(s)")
                }
                ids.append(id)
            }
            try cursor.attributes(of: "variable '\(name)'")
            let type = try cursor.int32()
            guard typeSize(type, version: version) != nil else {
                throw .corrupt(field: "variable '\(name)' type", value: "\(type)", reason: typeRange(version))
            }
            let vsize = try cursor.nonNeg("variable '\(name)' vsize")
            let begin = try cursor.offset("variable '\(name)' begin")
            variables.append(Variable(name: name, dimIDs: ids, type: type, vsize: vsize, begin: begin))
        }
        let headerEnd = cursor.position

        // Size of one record's (or the whole fixed variable's) data, unpadded.
        func dataSize(_ v: Variable) throws(Failure) -> (size: Int64, isRecord: Bool) {
            var size = typeSize(v.type, version: version) ?? 1
            var isRecord = false
            for (index, id) in v.dimIDs.enumerated() {
                let length = dimensions[Int(id)].length
                if length == 0 {
                    guard index == 0 else {
                        throw .corrupt(field: "variable '\(v.name)' dimension id", value: "\(id)",
                                       reason: "the record dimension '\(dimensions[Int(id)].name)' may only be a variable's first dimension")
                    }
                    isRecord = true
                    continue
                }
                let (next, overflow) = size.multipliedReportingOverflow(by: length)
                guard !overflow else {
                    throw .corrupt(field: "variable '\(v.name)' size", value: "more than \(Int64.max) bytes",
                                   reason: "the product of its dimension lengths overflows")
                }
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
                guard !overflow else {
                    throw .corrupt(field: "record size", value: "more than \(Int64.max) bytes",
                                   reason: "the record variables' sizes overflow")
                }
                recordSize = next
            }
        }

        // Records: numrecs × record size must not overflow, and the records may run past the
        // end of the file by at most one record (a last record being written).
        if let numRecords, numRecords > 0, let recordBegin = recordVars.map(\.variable.begin).min() {
            let (bytes, o1) = numRecords.multipliedReportingOverflow(by: recordSize)
            let (end, o2) = recordBegin.addingReportingOverflow(bytes)
            let (allowed, o3) = fileSize.addingReportingOverflow(recordSize)
            guard !o1, !o2, o3 || end <= allowed else {
                throw .corrupt(field: "numrecs", value: "\(numRecords)",
                               reason: "\(numRecords) records of \(recordSize) bytes from byte \(recordBegin) need \(o1 || o2 ? "more than \(Int64.max)" : "\(end)") bytes but the file has \(fileSize)")
            }
        }

        var minimum = headerEnd
        for entry in sizes {
            let v = entry.variable
            let hasData = entry.size > 0 && (!entry.isRecord || (numRecords ?? 1) > 0)
            guard hasData else { continue }
            guard v.begin >= headerEnd else {
                throw .corrupt(field: "variable '\(v.name)' begin", value: "\(v.begin)",
                               reason: "its data would start inside the header, which ends at byte \(headerEnd)")
            }
            // vsize is the padded size (of one record), saturating for huge variables: never
            // above the size computed from the dimensions, unless the header is corrupt.
            guard v.vsize <= padded(entry.size) || v.vsize <= fileSize else {
                throw .corrupt(field: "variable '\(v.name)' vsize", value: "\(v.vsize)",
                               reason: "larger than the variable (\(entry.size) bytes) and than the whole file (\(fileSize) bytes)")
            }
            var end: Int64
            if entry.isRecord {
                guard let numRecords else { continue }
                let (skipped, o1) = (numRecords - 1).multipliedReportingOverflow(by: recordSize)
                let (start, o2) = v.begin.addingReportingOverflow(skipped)
                let (last, o3) = start.addingReportingOverflow(entry.size)
                guard !o1, !o2, !o3 else {
                    throw .corrupt(field: "variable '\(v.name)' begin", value: "\(v.begin)",
                                   reason: "its last record would end past byte \(Int64.max)")
                }
                end = last
            } else {
                let (last, overflow) = v.begin.addingReportingOverflow(entry.size)
                guard !overflow else {
                    throw .corrupt(field: "variable '\(v.name)' begin", value: "\(v.begin)",
                                   reason: "its data would end past byte \(Int64.max)")
                }
                end = last
            }
            minimum = max(minimum, end)
        }
        return minimum
    }
}
