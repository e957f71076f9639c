import CNetCDF

/// Dispatch from a ``NetCDFNumeric`` element type to libnetcdf's typed `nc_get_vara_<type>`,
/// `nc_get_vars_<type>` and `nc_put_vara_<type>` functions. Call with the library lock held,
/// after ``isUsable(_:)`` returned true for `T`.
enum TypedIO {
    /// Whether `T`'s declared external type is numeric and matches its memory layout.
    static func isUsable<T: NetCDFNumeric>(_: T.Type) -> Bool {
        let type = T.netCDFType
        return type.isNumeric && MemoryLayout<T>.size == type.byteSize && MemoryLayout<T>.stride == type.byteSize
    }

    static func getVara<T: NetCDFNumeric>(
        _ ncid: Int32, _ varid: Int32, _ start: [Int], _ count: [Int],
        _ out: UnsafeMutablePointer<T>, _ n: Int
    ) -> Int32 {
        switch T.netCDFType {
        case .byte: return out.withMemoryRebound(to: Int8.self, capacity: n) { nc_get_vara_schar(ncid, varid, start, count, $0) }
        case .ubyte: return out.withMemoryRebound(to: UInt8.self, capacity: n) { nc_get_vara_uchar(ncid, varid, start, count, $0) }
        case .short: return out.withMemoryRebound(to: Int16.self, capacity: n) { nc_get_vara_short(ncid, varid, start, count, $0) }
        case .ushort: return out.withMemoryRebound(to: UInt16.self, capacity: n) { nc_get_vara_ushort(ncid, varid, start, count, $0) }
        case .int: return out.withMemoryRebound(to: Int32.self, capacity: n) { nc_get_vara_int(ncid, varid, start, count, $0) }
        case .uint: return out.withMemoryRebound(to: UInt32.self, capacity: n) { nc_get_vara_uint(ncid, varid, start, count, $0) }
        case .int64: return out.withMemoryRebound(to: Int64.self, capacity: n) { nc_get_vara_longlong(ncid, varid, start, count, $0) }
        case .uint64: return out.withMemoryRebound(to: UInt64.self, capacity: n) { nc_get_vara_ulonglong(ncid, varid, start, count, $0) }
        case .float: return out.withMemoryRebound(to: Float.self, capacity: n) { nc_get_vara_float(ncid, varid, start, count, $0) }
        case .double: return out.withMemoryRebound(to: Double.self, capacity: n) { nc_get_vara_double(ncid, varid, start, count, $0) }
        case .char, .string: return NC_EBADTYPE
        }
    }

    static func getVars<T: NetCDFNumeric>(
        _ ncid: Int32, _ varid: Int32, _ start: [Int], _ count: [Int], _ stride: [Int],
        _ out: UnsafeMutablePointer<T>, _ n: Int
    ) -> Int32 {
        switch T.netCDFType {
        case .byte: return out.withMemoryRebound(to: Int8.self, capacity: n) { nc_get_vars_schar(ncid, varid, start, count, stride, $0) }
        case .ubyte: return out.withMemoryRebound(to: UInt8.self, capacity: n) { nc_get_vars_uchar(ncid, varid, start, count, stride, $0) }
        case .short: return out.withMemoryRebound(to: Int16.self, capacity: n) { nc_get_vars_short(ncid, varid, start, count, stride, $0) }
        case .ushort: return out.withMemoryRebound(to: UInt16.self, capacity: n) { nc_get_vars_ushort(ncid, varid, start, count, stride, $0) }
        case .int: return out.withMemoryRebound(to: Int32.self, capacity: n) { nc_get_vars_int(ncid, varid, start, count, stride, $0) }
        case .uint: return out.withMemoryRebound(to: UInt32.self, capacity: n) { nc_get_vars_uint(ncid, varid, start, count, stride, $0) }
        case .int64: return out.withMemoryRebound(to: Int64.self, capacity: n) { nc_get_vars_longlong(ncid, varid, start, count, stride, $0) }
        case .uint64: return out.withMemoryRebound(to: UInt64.self, capacity: n) { nc_get_vars_ulonglong(ncid, varid, start, count, stride, $0) }
        case .float: return out.withMemoryRebound(to: Float.self, capacity: n) { nc_get_vars_float(ncid, varid, start, count, stride, $0) }
        case .double: return out.withMemoryRebound(to: Double.self, capacity: n) { nc_get_vars_double(ncid, varid, start, count, stride, $0) }
        case .char, .string: return NC_EBADTYPE
        }
    }

    static func putVara<T: NetCDFNumeric>(
        _ ncid: Int32, _ varid: Int32, _ start: [Int], _ count: [Int],
        _ values: UnsafePointer<T>, _ n: Int
    ) -> Int32 {
        switch T.netCDFType {
        case .byte: return values.withMemoryRebound(to: Int8.self, capacity: n) { nc_put_vara_schar(ncid, varid, start, count, $0) }
        case .ubyte: return values.withMemoryRebound(to: UInt8.self, capacity: n) { nc_put_vara_uchar(ncid, varid, start, count, $0) }
        case .short: return values.withMemoryRebound(to: Int16.self, capacity: n) { nc_put_vara_short(ncid, varid, start, count, $0) }
        case .ushort: return values.withMemoryRebound(to: UInt16.self, capacity: n) { nc_put_vara_ushort(ncid, varid, start, count, $0) }
        case .int: return values.withMemoryRebound(to: Int32.self, capacity: n) { nc_put_vara_int(ncid, varid, start, count, $0) }
        case .uint: return values.withMemoryRebound(to: UInt32.self, capacity: n) { nc_put_vara_uint(ncid, varid, start, count, $0) }
        case .int64: return values.withMemoryRebound(to: Int64.self, capacity: n) { nc_put_vara_longlong(ncid, varid, start, count, $0) }
        case .uint64: return values.withMemoryRebound(to: UInt64.self, capacity: n) { nc_put_vara_ulonglong(ncid, varid, start, count, $0) }
        case .float: return values.withMemoryRebound(to: Float.self, capacity: n) { nc_put_vara_float(ncid, varid, start, count, $0) }
        case .double: return values.withMemoryRebound(to: Double.self, capacity: n) { nc_put_vara_double(ncid, varid, start, count, $0) }
        case .char, .string: return NC_EBADTYPE
        }
    }
}
