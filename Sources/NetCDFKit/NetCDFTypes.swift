import CNetCDF

/// On-disk format of a netCDF file, used by ``NetCDFFile/create(_:format:overwrite:)``
/// and reported by ``NetCDFFile/format``.
public enum NetCDFFormat: Sendable, Equatable {
    /// CDF-1, the original classic format (32-bit offsets).
    case classic
    /// CDF-2, classic format with 64-bit offsets.
    case offset64
    /// CDF-5, classic model with 64-bit sizes and the unsigned/64-bit integer types.
    case cdf5
    /// NetCDF-4 (HDF5 storage): groups, strings, chunking, compression.
    case netcdf4
    /// NetCDF-4 storage restricted to the classic data model.
    case netcdf4Classic

    /// Whether the format stores data in HDF5 (and so supports chunking and compression).
    public var isNetCDF4: Bool { self == .netcdf4 || self == .netcdf4Classic }

    /// Whether the format supports the enhanced data model (groups, `NC_STRING`, user types).
    public var supportsEnhancedModel: Bool { self == .netcdf4 }

    /// Whether values of `type` may be stored in a file of this format.
    public func supports(_ type: NetCDFDataType) -> Bool {
        switch type {
        case .byte, .char, .short, .int, .float, .double:
            return true
        case .ubyte, .ushort, .uint, .int64, .uint64:
            return self == .cdf5 || self == .netcdf4
        case .string:
            return self == .netcdf4
        }
    }

    /// The `nc_create` mode flags selecting this format.
    var createMode: Int32 {
        switch self {
        case .classic: return 0
        case .offset64: return NC_64BIT_OFFSET
        case .cdf5: return NC_64BIT_DATA
        case .netcdf4: return NC_NETCDF4
        case .netcdf4Classic: return NC_NETCDF4 | NC_CLASSIC_MODEL
        }
    }

    /// Maps an `nc_inq_format` code.
    init?(formatCode: Int32) {
        switch formatCode {
        case NC_FORMAT_CLASSIC: self = .classic
        case NC_FORMAT_64BIT_OFFSET: self = .offset64
        case NC_FORMAT_64BIT_DATA: self = .cdf5
        case NC_FORMAT_NETCDF4: self = .netcdf4
        case NC_FORMAT_NETCDF4_CLASSIC: self = .netcdf4Classic
        default: return nil
        }
    }
}

/// The HDF5 chunk cache of one variable of an open netCDF-4 file (see
/// ``NetCDFVariable/chunkCache()`` and ``NetCDFVariable/setChunkCache(_:)``).
public struct NetCDFChunkCache: Sendable, Equatable {
    /// Capacity, bytes of decompressed chunks.
    public var bytes: Int
    /// Number of hash slots (HDF5 advises a prime about 100 times the number of chunks held).
    public var slots: Int
    /// Preemption policy in 0…1: how eagerly fully read chunks are evicted first.
    public var preemption: Double

    /// Creates a cache setting.
    public init(bytes: Int, slots: Int, preemption: Double) {
        self.bytes = bytes; self.slots = slots; self.preemption = preemption
    }
}

/// The atomic external (on-disk) types of libnetcdf.
public enum NetCDFDataType: Sendable, Equatable {
    /// `NC_BYTE`, signed 8-bit integer.
    case byte
    /// `NC_CHAR`, 8-bit character (text).
    case char
    /// `NC_SHORT`, signed 16-bit integer.
    case short
    /// `NC_INT`, signed 32-bit integer.
    case int
    /// `NC_FLOAT`, 32-bit IEEE float.
    case float
    /// `NC_DOUBLE`, 64-bit IEEE float.
    case double
    /// `NC_UBYTE`, unsigned 8-bit integer (CDF-5 / netCDF-4).
    case ubyte
    /// `NC_USHORT`, unsigned 16-bit integer (CDF-5 / netCDF-4).
    case ushort
    /// `NC_UINT`, unsigned 32-bit integer (CDF-5 / netCDF-4).
    case uint
    /// `NC_INT64`, signed 64-bit integer (CDF-5 / netCDF-4).
    case int64
    /// `NC_UINT64`, unsigned 64-bit integer (CDF-5 / netCDF-4).
    case uint64
    /// `NC_STRING`, variable-length string (netCDF-4 only).
    case string

    /// Size in bytes of one value. For `.string` this is the size of the C pointer
    /// libnetcdf uses in memory (`MemoryLayout<UnsafePointer<CChar>>.size`), not of the text.
    public var byteSize: Int {
        switch self {
        case .byte, .char, .ubyte: return 1
        case .short, .ushort: return 2
        case .int, .float, .uint: return 4
        case .double, .int64, .uint64: return 8
        case .string: return MemoryLayout<UnsafePointer<CChar>>.size
        }
    }

    /// Whether the type holds numbers (everything but `.char` and `.string`).
    public var isNumeric: Bool { self != .char && self != .string }

    /// The libnetcdf `nc_type` code.
    var ncType: nc_type {
        switch self {
        case .byte: return NC_BYTE
        case .char: return NC_CHAR
        case .short: return NC_SHORT
        case .int: return NC_INT
        case .float: return NC_FLOAT
        case .double: return NC_DOUBLE
        case .ubyte: return NC_UBYTE
        case .ushort: return NC_USHORT
        case .uint: return NC_UINT
        case .int64: return NC_INT64
        case .uint64: return NC_UINT64
        case .string: return NC_STRING
        }
    }

    /// Maps an `nc_type` code; nil for user-defined (compound, vlen, enum, opaque) types.
    init?(ncType: nc_type) {
        switch ncType {
        case NC_BYTE: self = .byte
        case NC_CHAR: self = .char
        case NC_SHORT: self = .short
        case NC_INT: self = .int
        case NC_FLOAT: self = .float
        case NC_DOUBLE: self = .double
        case NC_UBYTE: self = .ubyte
        case NC_USHORT: self = .ushort
        case NC_UINT: self = .uint
        case NC_INT64: self = .int64
        case NC_UINT64: self = .uint64
        case NC_STRING: self = .string
        default: return nil
        }
    }
}

/// The value of an attribute, of any atomic type.
public enum NetCDFAttributeValue: Sendable, Equatable {
    /// `NC_CHAR` text (trailing NUL bytes are dropped when reading).
    case text(String)
    /// `NC_STRING` array (netCDF-4 enhanced model only).
    case strings([String])
    /// `NC_BYTE` values.
    case int8([Int8])
    /// `NC_UBYTE` values.
    case uint8([UInt8])
    /// `NC_SHORT` values.
    case int16([Int16])
    /// `NC_USHORT` values.
    case uint16([UInt16])
    /// `NC_INT` values.
    case int32([Int32])
    /// `NC_UINT` values.
    case uint32([UInt32])
    /// `NC_INT64` values.
    case int64([Int64])
    /// `NC_UINT64` values.
    case uint64([UInt64])
    /// `NC_FLOAT` values.
    case float([Float])
    /// `NC_DOUBLE` values.
    case double([Double])

    /// Numeric values converted to `Double` (64-bit integers beyond 2^53 lose precision);
    /// nil for `.text` and `.strings`.
    public var doubles: [Double]? {
        switch self {
        case .text, .strings: return nil
        case .int8(let v): return v.map { Double($0) }
        case .uint8(let v): return v.map { Double($0) }
        case .int16(let v): return v.map { Double($0) }
        case .uint16(let v): return v.map { Double($0) }
        case .int32(let v): return v.map { Double($0) }
        case .uint32(let v): return v.map { Double($0) }
        case .int64(let v): return v.map { Double($0) }
        case .uint64(let v): return v.map { Double($0) }
        case .float(let v): return v.map { Double($0) }
        case .double(let v): return v
        }
    }

    /// The text of `.text`, or the strings of `.strings` joined by "\n"; nil for numeric values.
    public var string: String? {
        switch self {
        case .text(let s): return s
        case .strings(let s): return s.joined(separator: "\n")
        default: return nil
        }
    }

    /// The first numeric value as `Double` (convenient for `scale_factor`, `_FillValue`, ...);
    /// nil for text or an empty array.
    public var firstDouble: Double? { doubles?.first }

    /// The external type the value is stored as.
    public var dataType: NetCDFDataType {
        switch self {
        case .text: return .char
        case .strings: return .string
        case .int8: return .byte
        case .uint8: return .ubyte
        case .int16: return .short
        case .uint16: return .ushort
        case .int32: return .int
        case .uint32: return .uint
        case .int64: return .int64
        case .uint64: return .uint64
        case .float: return .float
        case .double: return .double
        }
    }
}

/// A named attribute of a variable or group.
public struct NetCDFAttribute: Sendable, Equatable {
    /// The attribute name.
    public let name: String
    /// The attribute value.
    public let value: NetCDFAttributeValue

    /// Creates an attribute value pair (for comparison or to pass around; it is not written anywhere).
    public init(name: String, value: NetCDFAttributeValue) {
        self.name = name
        self.value = value
    }
}

/// A dimension as seen at the time of lookup.
public struct NetCDFDimension: Sendable, Equatable {
    /// The dimension name.
    public let name: String
    /// The current length (for an unlimited dimension: the number of records so far).
    public let length: Int
    /// Whether this is an unlimited (record) dimension.
    public let isUnlimited: Bool
    /// The libnetcdf dimension id.
    public let id: Int32
}

/// Numeric Swift element types usable in typed reads and writes:
/// `Int8`, `UInt8`, `Int16`, `UInt16`, `Int32`, `UInt32`, `Int64`, `UInt64`, `Float`, `Double`.
///
/// libnetcdf converts between the element type and the variable's external type
/// (e.g. reading an `NC_SHORT` variable as `Double`). Conversions out of range fail with
/// ``NetCDFError/library(code:message:path:variable:operation:)`` (`NC_ERANGE`).
public protocol NetCDFNumeric: Sendable, BitwiseCopyable {
    /// The external type whose in-memory representation this Swift type has
    /// (also the natural type to define a variable holding such values).
    static var netCDFType: NetCDFDataType { get }
}

/// `Int8` reads and writes through libnetcdf's matching typed functions.
extension Int8: NetCDFNumeric {
    /// `.byte` (`NC_BYTE`).
    public static var netCDFType: NetCDFDataType { .byte }
}
/// `UInt8` reads and writes through libnetcdf's matching typed functions.
extension UInt8: NetCDFNumeric {
    /// `.ubyte` (`NC_UBYTE`).
    public static var netCDFType: NetCDFDataType { .ubyte }
}
/// `Int16` reads and writes through libnetcdf's matching typed functions.
extension Int16: NetCDFNumeric {
    /// `.short` (`NC_SHORT`).
    public static var netCDFType: NetCDFDataType { .short }
}
/// `UInt16` reads and writes through libnetcdf's matching typed functions.
extension UInt16: NetCDFNumeric {
    /// `.ushort` (`NC_USHORT`).
    public static var netCDFType: NetCDFDataType { .ushort }
}
/// `Int32` reads and writes through libnetcdf's matching typed functions.
extension Int32: NetCDFNumeric {
    /// `.int` (`NC_INT`).
    public static var netCDFType: NetCDFDataType { .int }
}
/// `UInt32` reads and writes through libnetcdf's matching typed functions.
extension UInt32: NetCDFNumeric {
    /// `.uint` (`NC_UINT`).
    public static var netCDFType: NetCDFDataType { .uint }
}
/// `Int64` reads and writes through libnetcdf's matching typed functions.
extension Int64: NetCDFNumeric {
    /// `.int64` (`NC_INT64`).
    public static var netCDFType: NetCDFDataType { .int64 }
}
/// `UInt64` reads and writes through libnetcdf's matching typed functions.
extension UInt64: NetCDFNumeric {
    /// `.uint64` (`NC_UINT64`).
    public static var netCDFType: NetCDFDataType { .uint64 }
}
/// `Float` reads and writes through libnetcdf's matching typed functions.
extension Float: NetCDFNumeric {
    /// `.float` (`NC_FLOAT`).
    public static var netCDFType: NetCDFDataType { .float }
}
/// `Double` reads and writes through libnetcdf's matching typed functions.
extension Double: NetCDFNumeric {
    /// `.double` (`NC_DOUBLE`).
    public static var netCDFType: NetCDFDataType { .double }
}
