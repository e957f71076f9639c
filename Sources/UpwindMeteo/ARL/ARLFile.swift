import Foundation
import UpwindCore

/// Where one field of one time period lies in an ARL file.
struct ARLFieldLocation: Sendable {
    /// 0-based record number.
    var record: Int
    /// The record's header (packing parameters).
    var header: ARLRecordHeader
    /// The checksum the index lists, nil when blank.
    var checksum: Int?
}

/// One time period of an ARL file: its index and the records that follow.
struct ARLPeriod: Sendable {
    /// Valid time (header date and hour plus the index's minutes).
    var time: UTCTime
    /// The index.
    var index: ARLIndex
    /// 0-based record number of the first index record.
    var firstRecord: Int
    /// Data records by level and variable name.
    var fields: [String: ARLFieldLocation]

    static func key(_ variable: String, _ level: Int) -> String { "\(variable)@\(level)" }

    func field(_ variable: String, level: Int) -> ARLFieldLocation? { fields[ARLPeriod.key(variable, level)] }
}

/// One ARL packed file scanned at opening: record length, periods and where every field
/// lies. Data are read on demand.
struct ARLFile: Sendable {
    let path: String
    /// `50 + nx·ny`, bytes.
    let recordLength: Int
    let nx: Int, ny: Int
    let periods: [ARLPeriod]

    /// True when the file starts with an ARL record label (`INDX` at bytes 15–18).
    static func looksLikeARL(_ path: String) -> Bool {
        // Never read a device or FIFO to probe it (a FIFO would block; the caller names it).
        guard SpecialFile.kind(path) == nil, let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        guard let data = try? h.read(upToCount: 18), data.count == 18 else { return false }
        return String(decoding: data[data.startIndex + 14 ..< data.startIndex + 18], as: UTF8.self) == "INDX"
    }

    /// Scans `path`: every record header, every index, and the completeness of every period.
    /// - Throws: ``ARLError`` naming the record for broken headers and indexes and truncation.
    init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw exists ? ARLError.unreadable(path: path, detail: "permission denied or not a regular file") : MetError.noFiles(pattern: path)
        }
        defer { try? handle.close() }
        func read(_ offset: Int, _ count: Int) throws -> [UInt8] {
            do {
                try handle.seek(toOffset: UInt64(offset))
                return [UInt8](try handle.read(upToCount: count) ?? Data())
            } catch {
                throw ARLError.unreadable(path: path, detail: "\(error)")
            }
        }
        let size: Int
        do { size = Int(try handle.seekToEnd()) } catch { throw ARLError.unreadable(path: path, detail: "\(error)") }

        // The first record fixes the record length.
        let first = try read(0, ARLRecordHeader.length + ARLIndex.fixedLength)
        guard first.count >= ARLRecordHeader.length else {
            throw ARLError.truncated(path: path, record: 1, detail: "the file has \(size) bytes, less than one 50-byte record label")
        }
        let h0 = try ARLRecordHeader(bytes: first[0..<ARLRecordHeader.length], path: path, record: 1)
        guard h0.variable == "INDX" else {
            throw ARLError.brokenHeader(path: path, record: 1, detail: "the first record is '\(h0.variable)', not an INDX index record")
        }
        guard first.count >= ARLRecordHeader.length + ARLIndex.fixedLength else {
            throw ARLError.truncated(path: path, record: 1, detail: "the file ends inside the first index record")
        }
        let fixed = try ARLIndex.parseFixed(String(decoding: first[ARLRecordHeader.length...], as: UTF8.self), thousands: h0.gridThousands,
                                            path: path, record: 1)
        nx = fixed.nx
        ny = fixed.ny
        let (plane, overflow) = nx.multipliedReportingOverflow(by: ny)
        guard !overflow, plane < 1 << 31 else { throw ARLError.brokenIndex(path: path, record: 1, detail: "grid \(nx)×\(ny) is too large") }
        recordLength = ARLRecordHeader.length + plane
        let count = size / recordLength
        if size % recordLength != 0 {
            throw ARLError.truncated(path: path, record: count + 1,
                                     detail: "the file has \(size) bytes, not a whole number of \(recordLength)-byte records (\(nx)×\(ny) grid): the last record has \(size % recordLength) bytes")
        }

        var periods: [ARLPeriod] = []
        var r = 0
        while r < count {
            let label = try read(r * recordLength, recordLength)
            guard label.count == recordLength else {
                throw ARLError.truncated(path: path, record: r + 1, detail: "the record has \(label.count) of \(recordLength) bytes")
            }
            let h = try ARLRecordHeader(bytes: label[0..<ARLRecordHeader.length], path: path, record: r + 1)
            guard h.variable == "INDX" else {
                throw ARLError.brokenHeader(path: path, record: r + 1,
                                            detail: "expected the INDX record that starts a time period, found \(h.variable) at level \(h.level) (the previous period holds more records than its index lists)")
            }
            let head = try ARLIndex.parseFixed(String(decoding: label[ARLRecordHeader.length...], as: UTF8.self), thousands: h.gridThousands,
                                               path: path, record: r + 1)
            guard head.nx == nx, head.ny == ny else {
                throw ARLError.brokenIndex(path: path, record: r + 1, detail: "grid \(head.nx)×\(head.ny) differs from the file's first index (\(nx)×\(ny))")
            }
            // The index text may span several records.
            let indexRecords = (head.textLength + plane - 1) / plane
            guard r + indexRecords <= count else {
                throw ARLError.truncated(path: path, record: count + 1, detail: "the file ends inside the index of the period starting at record \(r + 1)")
            }
            var text = [UInt8](label[ARLRecordHeader.length...])
            for k in 1..<max(indexRecords, 1) {
                let more = try read((r + k) * recordLength, recordLength)
                guard more.count == recordLength else { throw ARLError.truncated(path: path, record: r + k + 1, detail: "the record has \(more.count) of \(recordLength) bytes") }
                let hk = try ARLRecordHeader(bytes: more[0..<ARLRecordHeader.length], path: path, record: r + k + 1)
                guard hk.variable == "INDX" else {
                    throw ARLError.brokenIndex(path: path, record: r + k + 1, detail: "the index text (\(head.textLength) characters) continues into a \(hk.variable) record")
                }
                text += more[ARLRecordHeader.length...]
            }
            let index = try ARLIndex.parse(String(decoding: text.prefix(head.textLength), as: UTF8.self), thousands: h.gridThousands, path: path, record: r + 1)
            let time = h.time + Int64(index.minutes * 60)
            var expected: [String: (level: Int, checksum: Int?)] = [:]
            for (k, level) in index.levels.enumerated() {
                for v in level.variables { expected[ARLPeriod.key(v.name, k)] = (k, v.checksum) }
            }
            let n = index.dataRecordCount
            let start = r + indexRecords
            var fields: [String: ARLFieldLocation] = [:]
            for q in start..<(start + n) {
                guard q < count else {
                    throw ARLError.truncated(path: path, record: q + 1,
                                             detail: "the period at \(time.iso8601) lists \(n) data records but the file ends after \(q - start)")
                }
                let bytes = try read(q * recordLength, ARLRecordHeader.length)
                let hq = try ARLRecordHeader(bytes: bytes[0...], path: path, record: q + 1)
                if hq.variable == "INDX" {
                    throw ARLError.truncated(path: path, record: q + 1,
                                             detail: "the period at \(time.iso8601) ends after \(q - start) of the \(n) data records its index lists")
                }
                let key = ARLPeriod.key(hq.variable, hq.level)
                guard let entry = expected[key] else {
                    throw ARLError.brokenHeader(path: path, record: q + 1,
                                                detail: "\(hq.variable) at level \(hq.level) is not listed in the index of the period at \(time.iso8601)")
                }
                guard hq.time == h.time else {
                    throw ARLError.brokenHeader(path: path, record: q + 1,
                                                detail: "its date \(hq.time.iso8601) differs from its period's index (\(h.time.iso8601))")
                }
                guard fields[key] == nil else {
                    throw ARLError.brokenHeader(path: path, record: q + 1, detail: "\(hq.variable) at level \(hq.level) appears twice in the period at \(time.iso8601)")
                }
                fields[key] = ARLFieldLocation(record: q, header: hq, checksum: entry.checksum)
            }
            periods.append(ARLPeriod(time: time, index: index, firstRecord: r, fields: fields))
            r = start + n
        }
        self.periods = periods
    }

    /// Reads and unpacks fields of one period. The records are read in one contiguous span.
    /// - Parameter verify: compare each record's checksum with its index.
    /// - Returns: the unpacked values (row order from the south-west, x fastest) of each
    ///   requested location, in the order given.
    /// - Throws: ``ARLError`` for unreadable data, truncation or bad checksums.
    func read(_ locations: [ARLFieldLocation], time: UTCTime, verify: Bool = true) throws -> [[Float]] {
        guard let lo = locations.map(\.record).min(), let hi = locations.map(\.record).max() else { return [] }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ARLError.unreadable(path: path, detail: "the file can no longer be opened")
        }
        defer { try? handle.close() }
        let bytes: [UInt8]
        do {
            try handle.seek(toOffset: UInt64(lo * recordLength))
            bytes = [UInt8](try handle.read(upToCount: (hi - lo + 1) * recordLength) ?? Data())
        } catch {
            throw ARLError.unreadable(path: path, detail: "\(error)")
        }
        var out: [[Float]] = []
        out.reserveCapacity(locations.count)
        let plane = nx * ny
        for loc in locations {
            let start = (loc.record - lo) * recordLength
            guard start + recordLength <= bytes.count else {
                throw ARLError.truncated(path: path, record: loc.record + 1, detail: "the file is shorter than when it was opened")
            }
            let data = bytes[(start + ARLRecordHeader.length)..<(start + ARLRecordHeader.length + plane)]
            if verify, let expected = loc.checksum {
                let computed = ARLPacking.checksum(data)
                if computed != expected {
                    throw ARLError.badChecksum(path: path, record: loc.record + 1, variable: loc.header.variable, level: loc.header.level,
                                               time: time.iso8601, expected: expected, computed: computed)
                }
            }
            out.append(ARLPacking.unpack(data, nx: nx, ny: ny, exponent: loc.header.exponent, precision: loc.header.precision,
                                         firstValue: loc.header.firstValue))
        }
        return out
    }
}
