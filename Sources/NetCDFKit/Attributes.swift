import CNetCDF

/// Attribute reading and writing shared by groups (`varid == NC_GLOBAL`) and variables.
/// Every function here must be called with the library lock held.
enum Attributes {
    /// Outcome of an attribute lookup.
    enum Lookup {
        case missing
        case unsupported(nc_type)
        case value(NetCDFAttributeValue)
    }

    /// All attributes of `varid` (or the group for `NC_GLOBAL`), skipping user-defined types.
    static func listLocked(file: NetCDFFile, ncid: Int32, varid: Int32, variable: String?) throws
        -> [NetCDFAttribute]
    {
        try file.requireOpenLocked(variable: variable)
        var count: Int32 = 0
        if varid == NC_GLOBAL {
            try Library.check(nc_inq_natts(ncid, &count), "nc_inq_natts", path: file.path)
        } else {
            try Library.check(nc_inq_varnatts(ncid, varid, &count), "nc_inq_varnatts",
                              path: file.path, variable: variable)
        }
        var result: [NetCDFAttribute] = []
        for index in 0 ..< max(count, 0) {
            let name = try Library.readName("nc_inq_attname", path: file.path, variable: variable) {
                nc_inq_attname(ncid, varid, index, $0)
            }
            if case .value(let value) = try lookupLocked(file: file, ncid: ncid, varid: varid,
                                                         name: name, variable: variable) {
                result.append(NetCDFAttribute(name: name, value: value))
            }
        }
        return result
    }

    /// One attribute by name; nil when it does not exist.
    /// Throws `.invalidRequest` for attributes of user-defined types.
    static func attributeLocked(file: NetCDFFile, ncid: Int32, varid: Int32, name: String, variable: String?)
        throws -> NetCDFAttribute?
    {
        try file.requireOpenLocked(variable: variable)
        switch try lookupLocked(file: file, ncid: ncid, varid: varid, name: name, variable: variable) {
        case .missing:
            return nil
        case .unsupported(let type):
            throw NetCDFError.invalidRequest(path: file.path, variable: variable,
                                  reason: "attribute '\(name)' has user-defined type \(type), which NetCDFKit cannot read")
        case .value(let value):
            return NetCDFAttribute(name: name, value: value)
        }
    }

    /// Reads one attribute's value.
    static func lookupLocked(file: NetCDFFile, ncid: Int32, varid: Int32, name: String, variable: String?)
        throws -> Lookup
    {
        let path = file.path
        var xtype: nc_type = 0
        var length = 0
        let status = nc_inq_att(ncid, varid, name, &xtype, &length)
        if status == NC_ENOTATT { return .missing }
        try Library.check(status, "nc_inq_att", path: path, variable: variable)
        guard let type = NetCDFDataType(ncType: xtype) else { return .unsupported(xtype) }

        func fetch<T>(_ zero: T, _ op: String, _ call: (UnsafeMutablePointer<T>) -> Int32)
            throws -> [T]
        {
            var values = [T](repeating: zero, count: max(length, 1))
            let status = values.withUnsafeMutableBufferPointer { buffer -> Int32 in
                guard let base = buffer.baseAddress else { return NC_ENOMEM }
                return call(base)
            }
            try Library.check(status, op, path: path, variable: variable)
            return Array(values.prefix(length))
        }

        switch type {
        case .char:
            let chars = try fetch(CChar(0), "nc_get_att_text") { nc_get_att_text(ncid, varid, name, $0) }
            var bytes = chars.map { UInt8(bitPattern: $0) }
            while bytes.last == 0 { bytes.removeLast() }
            return .value(.text(String(decoding: bytes, as: UTF8.self)))
        case .string:
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: max(length, 1))
            let status = pointers.withUnsafeMutableBufferPointer { buffer -> Int32 in
                guard let base = buffer.baseAddress else { return NC_ENOMEM }
                return nc_get_att_string(ncid, varid, name, base)
            }
            try Library.check(status, "nc_get_att_string", path: path, variable: variable)
            let strings = pointers.prefix(length).map { Library.string(from: $0.map { UnsafePointer($0) }) }
            if length > 0 {
                _ = pointers.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    nc_free_string(length, buffer.baseAddress)
                }
            }
            return .value(.strings(strings))
        case .byte:
            return .value(.int8(try fetch(Int8(0), "nc_get_att_schar") { nc_get_att_schar(ncid, varid, name, $0) }))
        case .ubyte:
            return .value(.uint8(try fetch(UInt8(0), "nc_get_att_uchar") { nc_get_att_uchar(ncid, varid, name, $0) }))
        case .short:
            return .value(.int16(try fetch(Int16(0), "nc_get_att_short") { nc_get_att_short(ncid, varid, name, $0) }))
        case .ushort:
            return .value(.uint16(try fetch(UInt16(0), "nc_get_att_ushort") { nc_get_att_ushort(ncid, varid, name, $0) }))
        case .int:
            return .value(.int32(try fetch(Int32(0), "nc_get_att_int") { nc_get_att_int(ncid, varid, name, $0) }))
        case .uint:
            return .value(.uint32(try fetch(UInt32(0), "nc_get_att_uint") { nc_get_att_uint(ncid, varid, name, $0) }))
        case .int64:
            return .value(.int64(try fetch(Int64(0), "nc_get_att_longlong") { nc_get_att_longlong(ncid, varid, name, $0) }))
        case .uint64:
            return .value(.uint64(try fetch(UInt64(0), "nc_get_att_ulonglong") { nc_get_att_ulonglong(ncid, varid, name, $0) }))
        case .float:
            return .value(.float(try fetch(Float(0), "nc_get_att_float") { nc_get_att_float(ncid, varid, name, $0) }))
        case .double:
            return .value(.double(try fetch(Double(0), "nc_get_att_double") { nc_get_att_double(ncid, varid, name, $0) }))
        }
    }

    /// Writes (creates or replaces) an attribute, entering define mode first.
    static func writeLocked(file: NetCDFFile, ncid: Int32, varid: Int32, name: String,
                            value: NetCDFAttributeValue, variable: String?) throws
    {
        let path = file.path
        guard file.format.supports(value.dataType) else {
            throw NetCDFError.invalidRequest(path: path, variable: variable,
                                  reason: "attribute '\(name)' of type \(value.dataType) is not supported by the \(file.format) format")
        }
        try file.enterDefineModeLocked(variable: variable)

        func put<T>(_ values: [T], _ op: String,
                    _ call: (Int, UnsafePointer<T>) -> Int32) throws
        {
            let status = values.withUnsafeBufferPointer { buffer -> Int32 in
                withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { spare in
                    guard let base = buffer.baseAddress ?? spare.baseAddress.map({ UnsafePointer($0) }) else {
                        return NC_ENOMEM
                    }
                    return call(values.count, base)
                }
            }
            try Library.check(status, op, path: path, variable: variable)
        }

        switch value {
        case .text(let text):
            let chars = Array(text.utf8).map { CChar(bitPattern: $0) }
            try put(chars, "nc_put_att_text") { nc_put_att_text(ncid, varid, name, $0, $1) }
        case .strings(let strings):
            let owned = CStringArray(strings)
            defer { owned.deallocate() }
            try put(owned.pointers, "nc_put_att_string") { count, base in
                nc_put_att_string(ncid, varid, name, count, UnsafeMutablePointer(mutating: base))
            }
        case .int8(let v):
            try put(v, "nc_put_att_schar") { nc_put_att_schar(ncid, varid, name, NC_BYTE, $0, $1) }
        case .uint8(let v):
            try put(v, "nc_put_att_uchar") { nc_put_att_uchar(ncid, varid, name, NC_UBYTE, $0, $1) }
        case .int16(let v):
            try put(v, "nc_put_att_short") { nc_put_att_short(ncid, varid, name, NC_SHORT, $0, $1) }
        case .uint16(let v):
            try put(v, "nc_put_att_ushort") { nc_put_att_ushort(ncid, varid, name, NC_USHORT, $0, $1) }
        case .int32(let v):
            try put(v, "nc_put_att_int") { nc_put_att_int(ncid, varid, name, NC_INT, $0, $1) }
        case .uint32(let v):
            try put(v, "nc_put_att_uint") { nc_put_att_uint(ncid, varid, name, NC_UINT, $0, $1) }
        case .int64(let v):
            try put(v, "nc_put_att_longlong") { nc_put_att_longlong(ncid, varid, name, NC_INT64, $0, $1) }
        case .uint64(let v):
            try put(v, "nc_put_att_ulonglong") { nc_put_att_ulonglong(ncid, varid, name, NC_UINT64, $0, $1) }
        case .float(let v):
            try put(v, "nc_put_att_float") { nc_put_att_float(ncid, varid, name, NC_FLOAT, $0, $1) }
        case .double(let v):
            try put(v, "nc_put_att_double") { nc_put_att_double(ncid, varid, name, NC_DOUBLE, $0, $1) }
        }
    }
}

/// NUL-terminated copies of Swift strings for libnetcdf's `const char **` arguments.
/// Call ``deallocate()`` when done.
struct CStringArray {
    /// One pointer per string.
    let pointers: [UnsafePointer<CChar>?]
    private let storage: [UnsafeMutablePointer<CChar>]

    init(_ strings: [String]) {
        var storage: [UnsafeMutablePointer<CChar>] = []
        storage.reserveCapacity(strings.count)
        for string in strings {
            let bytes = Array(string.utf8)
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (i, byte) in bytes.enumerated() { pointer[i] = CChar(bitPattern: byte) }
            pointer[bytes.count] = 0
            storage.append(pointer)
        }
        self.storage = storage
        self.pointers = storage.map { UnsafePointer($0) }
    }

    /// Frees the copies.
    func deallocate() {
        for pointer in storage { pointer.deallocate() }
    }
}
