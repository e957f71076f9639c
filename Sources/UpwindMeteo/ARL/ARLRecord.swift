import UpwindCore

/// The 50-byte ASCII header of every ARL record, Fortran format `7I2, A4, I4, 2E14.7`:
/// valid time, forecast hour, level index, grid code, variable name and the packing
/// parameters of the bytes that follow.
public struct ARLRecordHeader: Sendable, Equatable {
    /// Length of the header, bytes.
    public static let length = 50

    /// Four-digit year (two digits in the file, pivot 40: 40–99 → 19xx, 00–39 → 20xx, as HYSPLIT).
    public var year: Int
    /// Month, 1–12.
    public var month: Int
    /// Day of month.
    public var day: Int
    /// Hour, UTC.
    public var hour: Int
    /// Forecast hour (0 for analyses; −1 in some files).
    public var forecastHour: Int
    /// Level index: 0 is the surface, 1… the upper levels bottom-up.
    public var level: Int
    /// The two grid characters: a letter adds thousands to nx (first) or ny (second) for
    /// grids larger than 999 points (A = 1000); digits mean no addition.
    public var gridCode: String
    /// The 4-character variable name (`INDX`, `UWND`, `PRSS`, …).
    public var variable: String
    /// Packing exponent NEXP: differences are scaled by 2^(7 − NEXP).
    public var exponent: Int
    /// Packing precision PREC: unpacked values with |v| < PREC are zero.
    public var precision: Float
    /// VAR1, the unpacked value at grid point (1, 1).
    public var firstValue: Float

    /// Valid time of the record (UTC, minutes from the index not included).
    public var time: UTCTime { UTCTime(year: year, month: month, day: day, hour: hour) }

    /// Thousands added to nx and ny by the grid characters.
    public var gridThousands: (x: Int, y: Int) {
        func value(_ c: Character) -> Int {
            guard let a = c.asciiValue, a >= 65, a <= 90 else { return 0 }
            return Int(a - 64) * 1000
        }
        let chars = Array(gridCode)
        return (chars.count > 0 ? value(chars[0]) : 0, chars.count > 1 ? value(chars[1]) : 0)
    }

    /// Parses a header from its 50 bytes.
    /// - Throws: ``ARLError/brokenHeader(path:record:detail:)`` naming the field that does not parse.
    public init(bytes: ArraySlice<UInt8>, path: String, record: Int) throws {
        guard bytes.count >= ARLRecordHeader.length else {
            throw ARLError.truncated(path: path, record: record, detail: "the record header has \(bytes.count) of 50 bytes")
        }
        let b = Array(bytes.prefix(ARLRecordHeader.length))
        guard b.allSatisfy({ $0 >= 32 && $0 < 127 }) else {
            throw ARLError.brokenHeader(path: path, record: record, detail: "the 50-byte label holds non-text bytes")
        }
        let text = String(decoding: b, as: UTF8.self)
        func field(_ from: Int, _ to: Int) -> String { ARLText.field(text, from, to) }
        func int(_ from: Int, _ to: Int, _ name: String) throws -> Int {
            guard let v = ARLText.int(field(from, to)) else {
                throw ARLError.brokenHeader(path: path, record: record, detail: "\(name) '\(field(from, to))' (bytes \(from + 1)–\(to)) is not an integer")
            }
            return v
        }
        func real(_ from: Int, _ to: Int, _ name: String) throws -> Float {
            guard let v = Float(field(from, to).trimmingSpaces), v.isFinite else {
                throw ARLError.brokenHeader(path: path, record: record, detail: "\(name) '\(field(from, to))' (bytes \(from + 1)–\(to)) is not a number")
            }
            return v
        }
        let yy = try int(0, 2, "year")
        year = yy >= 100 ? yy : (yy >= 40 ? 1900 + yy : 2000 + yy)
        month = try int(2, 4, "month")
        day = try int(4, 6, "day")
        hour = try int(6, 8, "hour")
        forecastHour = try int(8, 10, "forecast hour")
        level = try int(10, 12, "level")
        gridCode = field(12, 14)
        variable = field(14, 18)
        exponent = try int(18, 22, "packing exponent")
        precision = try real(22, 36, "precision")
        firstValue = try real(36, 50, "first value")
        guard (1...12).contains(month), day >= 1, day <= UTCTime.daysInMonth(year: year, month: month), (0...23).contains(hour) else {
            throw ARLError.brokenHeader(path: path, record: record, detail: "date \(year)-\(month)-\(day) \(hour)h is not a valid date")
        }
        guard variable.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " }), variable.trimmingSpaces.count > 0 else {
            throw ARLError.brokenHeader(path: path, record: record, detail: "variable name '\(variable)' is not a 4-character name")
        }
        guard level >= 0, abs(exponent) < 64 else {
            throw ARLError.brokenHeader(path: path, record: record, detail: "level \(level) or packing exponent \(exponent) out of range")
        }
    }
}

/// HYSPLIT's one-byte differential packing.
public enum ARLPacking {
    /// Unpacks `nx·ny` bytes exactly as HYSPLIT's `PAKINP` does, in single precision:
    /// each byte b gives the difference (b − 127)/2^(7 − NEXP) from the previous value;
    /// the first column runs up from VAR1 and each row runs east from its first value;
    /// values with |v| < PREC are set to 0 (after they have fed the running sum along the
    /// row, and before the next row starts from the row's first value).
    /// - Returns: values in row order from the south-west corner, x fastest.
    public static func unpack(_ bytes: ArraySlice<UInt8>, nx: Int, ny: Int, exponent: Int, precision: Float, firstValue: Float) -> [Float] {
        var out = [Float](repeating: 0, count: nx * ny)
        guard nx > 0, ny > 0, bytes.count >= nx * ny else { return out }
        let scale = Float(powerOfTwo(7 - exponent))
        var vold = firstValue
        var index = bytes.startIndex
        out.withUnsafeMutableBufferPointer { o in
            for j in 0..<ny {
                for i in 0..<nx {
                    var v = (Float(bytes[index]) - 127) / scale + vold
                    index += 1
                    vold = v
                    if abs(v) < precision { v = 0 }
                    o[j * nx + i] = v
                }
                vold = o[j * nx]
            }
        }
        return out
    }

    /// HYSPLIT's checksum of packed bytes: a running sum that wraps by subtracting 255
    /// whenever it reaches 256 (an end-around-carry sum, 0…255), as `PAKREC` computes it.
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> Int {
        var s = 0
        for b in bytes {
            s += Int(b)
            if s >= 256 { s -= 255 }
        }
        return s
    }

    /// 2^e for integer e.
    static func powerOfTwo(_ e: Int) -> Double {
        var r = 1.0
        if e >= 0 { for _ in 0..<e { r *= 2 } } else { for _ in 0 ..< -e { r /= 2 } }
        return r
    }
}

/// Fixed-column text helpers for Fortran-formatted fields.
enum ARLText {
    /// Characters `from..<to` of `text` (fewer when the text is shorter).
    static func field(_ text: String, _ from: Int, _ to: Int) -> String {
        let chars = Array(text.utf8)
        guard from < chars.count else { return "" }
        return String(decoding: chars[from..<min(to, chars.count)], as: UTF8.self)
    }

    /// A Fortran `I` field: blanks are ignored, an all-blank field is 0.
    static func int(_ s: String) -> Int? {
        let t = s.trimmingSpaces
        if t.isEmpty { return 0 }
        return Int(t)
    }

    /// A Fortran `F`/`E` field: an all-blank field is 0.
    static func real(_ s: String) -> Double? {
        let t = s.trimmingSpaces
        if t.isEmpty { return 0 }
        guard let v = Double(t), v.isFinite else { return nil }
        return v
    }
}

extension String {
    /// The string without leading and trailing spaces.
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
