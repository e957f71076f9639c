import CNetCDF

/// A variable of a netCDF group, as seen at the time of lookup.
///
/// ```swift
/// let t = try file.root.requiredVariable(named: "t")       // dims (time, lat, lon)
/// let all: [Double] = try t.read()                          // whole variable, row-major
/// let slab: [Float] = try t.read(start: [0, 10, 20], count: [1, 5, 5])
/// let every2nd: [Float] = try t.read(start: [0, 0, 0], count: [1, 5, 5], stride: [1, 2, 2])
/// try t.write([Float](repeating: 0, count: 25), start: [3, 0, 0], count: [1, 5, 5])
/// ```
///
/// `dimensions` holds the lengths at lookup time; reads and writes re-query the current
/// lengths, so whole-variable reads pick up records appended since.
public struct NetCDFVariable: Sendable {
    /// The group holding the variable.
    public let group: NetCDFGroup
    /// The libnetcdf variable id within the group.
    public let id: Int32
    /// The variable name.
    public let name: String
    /// The external type.
    public let type: NetCDFDataType
    /// The dimensions (slowest-varying first) with their lengths at the time of lookup.
    public let dimensions: [NetCDFDimension]

    /// The lengths of ``dimensions`` (at the time of lookup). Empty for a scalar.
    public var shape: [Int] { dimensions.map(\.length) }

    /// The number of dimensions.
    public var rank: Int { dimensions.count }

    var file: NetCDFFile { group.file }
    var path: String { group.file.path }

    private func invalid(_ reason: String) -> NetCDFError {
        .invalidRequest(path: path, variable: name, reason: reason)
    }

    // MARK: - Attributes

    /// The variable's attributes (user-defined types skipped).
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func attributes() throws -> [NetCDFAttribute] {
        try Library.locked { () throws -> [NetCDFAttribute] in
            try Attributes.listLocked(file: file, ncid: group.id, varid: id, variable: name)
        }
    }

    /// The attribute called `named`, or nil.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed or the
    ///   attribute has a user-defined type; ``NetCDFError/library(code:message:path:variable:operation:)``
    ///   on failure.
    public func attribute(named: String) throws -> NetCDFAttribute? {
        try Library.locked { () throws -> NetCDFAttribute? in
            try Attributes.attributeLocked(file: file, ncid: group.id, varid: id, name: named, variable: name)
        }
    }

    /// The attribute called `named`, which must exist.
    /// - Throws: ``NetCDFError/attributeNotFound(path:variable:attribute:)`` when it does not exist,
    ///   or the errors of ``attribute(named:)``.
    public func requiredAttribute(named: String) throws -> NetCDFAttribute {
        guard let attribute = try attribute(named: named) else {
            throw NetCDFError.attributeNotFound(path: path, variable: name, attribute: named)
        }
        return attribute
    }

    /// Creates or replaces an attribute of the variable, entering define mode if needed.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the value's type is not
    ///   supported by the format or the file is closed/read-only;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure
    ///   (e.g. `_FillValue` of a different type than the variable).
    public func setAttribute(_ name: String, _ value: NetCDFAttributeValue) throws {
        try Library.locked { () throws in
            try Attributes.writeLocked(file: file, ncid: group.id, varid: id, name: name, value: value,
                                       variable: self.name)
        }
    }

    // MARK: - Storage

    /// The chunk sizes, or nil when the variable is stored contiguously/compactly or the file is classic.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func chunking() throws -> [Int]? {
        try Library.locked { () throws -> [Int]? in
            try file.requireOpenLocked(variable: name)
            guard file.format.isNetCDF4, !dimensions.isEmpty else { return nil }
            var storage: Int32 = 0
            var sizes = [Int](repeating: 0, count: dimensions.count)
            try Library.check(nc_inq_var_chunking(group.id, id, &storage, &sizes),
                              "nc_inq_var_chunking", path: path, variable: name)
            return storage == NC_CHUNKED ? sizes : nil
        }
    }

    /// The zlib deflate level, or nil when the variable is not compressed (always nil for classic files).
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func deflateLevel() throws -> Int? {
        try deflateSettings().level
    }

    /// Whether the shuffle filter is enabled (always false for classic files).
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func isShuffled() throws -> Bool {
        try deflateSettings().shuffle
    }

    /// The variable's HDF5 chunk cache (`nc_get_var_chunk_cache`), or nil for a classic file or a
    /// variable that is not chunked (which have none).
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func chunkCache() throws -> NetCDFChunkCache? {
        try Library.locked { () throws -> NetCDFChunkCache? in
            try file.requireOpenLocked(variable: name)
            guard file.format.isNetCDF4, !dimensions.isEmpty else { return nil }
            var storage: Int32 = 0
            try Library.check(nc_inq_var_chunking(group.id, id, &storage, nil),
                              "nc_inq_var_chunking", path: path, variable: name)
            guard storage == NC_CHUNKED else { return nil }
            var bytes = 0, slots = 0
            var preemption: Float = 0
            try Library.check(nc_get_var_chunk_cache(group.id, id, &bytes, &slots, &preemption),
                              "nc_get_var_chunk_cache", path: path, variable: name)
            return NetCDFChunkCache(bytes: bytes, slots: slots, preemption: Double(preemption))
        }
    }

    /// Resizes the variable's HDF5 chunk cache (`nc_set_var_chunk_cache`) for this open file only.
    /// Decompressed chunks already cached are dropped (libnetcdf reopens the dataset). A cache
    /// that holds one whole chunk lets a read that touches a chunk several times (a box across
    /// a global grid's seam, several time steps per chunk) decompress it once.
    /// - Parameter cache: The new size; `bytes` ≥ 0, `slots` ≥ 1, `preemption` in 0…1.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` for out-of-range settings, a
    ///   classic file or a closed file; ``NetCDFError/library(code:message:path:variable:operation:)``
    ///   on failure.
    public func setChunkCache(_ cache: NetCDFChunkCache) throws {
        guard cache.bytes >= 0, cache.slots >= 1, (0...1).contains(cache.preemption) else {
            throw invalid("chunk cache of \(cache.bytes) bytes, \(cache.slots) slots, preemption \(cache.preemption): bytes must be ≥ 0, slots ≥ 1 and preemption in 0…1")
        }
        try Library.locked { () throws in
            try file.requireOpenLocked(variable: name)
            guard file.format.isNetCDF4 else {
                throw invalid("chunk caches exist only in netcdf4 files, but the file is \(file.format)")
            }
            // HDF5 shares an open dataset between handles: while a direct-read handle is open,
            // libnetcdf's reopen with the new cache would keep the old one.
            file.storedChunkFile.closeDatasetLocked(named: name)
            try Library.check(nc_set_var_chunk_cache(group.id, id, cache.bytes, cache.slots, Float(cache.preemption)),
                              "nc_set_var_chunk_cache", path: path, variable: name)
        }
    }

    private struct DeflateSettings: Sendable {
        let shuffle: Bool
        let level: Int?
    }

    private func deflateSettings() throws -> DeflateSettings {
        try Library.locked { () throws -> DeflateSettings in
            try file.requireOpenLocked(variable: name)
            guard file.format.isNetCDF4 else { return DeflateSettings(shuffle: false, level: nil) }
            var shuffle: Int32 = 0
            var deflate: Int32 = 0
            var level: Int32 = 0
            try Library.check(nc_inq_var_deflate(group.id, id, &shuffle, &deflate, &level),
                              "nc_inq_var_deflate", path: path, variable: name)
            return DeflateSettings(shuffle: shuffle != 0, level: deflate != 0 ? Int(level) : nil)
        }
    }

    // MARK: - Reading

    /// Reads a hyperslab, converting to `T` (`nc_get_vara_<type>`).
    /// - Parameters:
    ///   - type: The element type (inferable from context).
    ///   - start: Index of the first element per dimension; default all zeros. `[]` for a scalar.
    ///   - count: Number of elements per dimension; default the rest of each dimension from `start`
    ///     using the current lengths (so unlimited dimensions include all records written so far).
    /// - Returns: The values in row-major order (`product(count)` of them).
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` for a wrong rank, negative or
    ///   out-of-bounds start/count, a text variable, or a closed file;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` when libnetcdf fails
    ///   (e.g. `NC_ERANGE` when a value does not fit in `T`).
    public func read<T: NetCDFNumeric>(
        _ type: T.Type = T.self, start: [Int]? = nil, count: [Int]? = nil
    ) throws -> [T] {
        try Library.locked { () throws -> [T] in
            try prepareNumericLocked(T.self)
            let shape = try currentShapeLocked()
            let (s, c) = try resolve(start: start, count: count, stride: nil, shape: shape, forWrite: false)
            return try readBufferLocked(count: c, operation: "nc_get_vara") { buffer, n in
                TypedIO.getVara(group.id, id, s, c, buffer, n)
            }
        }
    }

    /// Reads a hyperslab into caller-owned memory, converting to `T` (`nc_get_vara_<type>`):
    /// the allocation-free form of ``read(_:start:count:)`` for callers that decode many
    /// slabs through one reusable buffer.
    /// - Parameters:
    ///   - buffer: Receives the values in row-major order; must hold at least `product(count)`
    ///     elements (only that many are written).
    ///   - start: Index of the first element per dimension. `[]` for a scalar.
    ///   - count: Number of elements per dimension.
    /// - Returns: The number of values written, `product(count)`.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` for a wrong rank, negative or
    ///   out-of-bounds start/count, a buffer smaller than the hyperslab, a text variable, or a closed
    ///   file; ``NetCDFError/library(code:message:path:variable:operation:)`` when libnetcdf fails.
    @discardableResult
    public func read<T: NetCDFNumeric>(
        into buffer: UnsafeMutableBufferPointer<T>, start: [Int], count: [Int]
    ) throws -> Int {
        try Library.locked { () throws -> Int in
            try prepareNumericLocked(T.self)
            let shape = try currentShapeLocked()
            let (s, c) = try resolve(start: start, count: count, stride: nil, shape: shape, forWrite: false)
            guard let n = Sizes.product(c) else { throw invalid("count \(c) is too large") }
            guard n <= buffer.count else {
                throw invalid("count \(c) selects \(n) values but the buffer holds \(buffer.count)")
            }
            guard n > 0 else { return 0 }
            guard let base = buffer.baseAddress else { throw invalid("the buffer has no storage") }
            try Library.check(TypedIO.getVara(group.id, id, s, c, base, n), "nc_get_vara", path: path, variable: name)
            return n
        }
    }

    /// Reads a strided hyperslab, converting to `T` (`nc_get_vars_<type>`).
    /// - Parameters:
    ///   - type: The element type (inferable from context).
    ///   - start: Index of the first element per dimension.
    ///   - count: Number of elements to read per dimension.
    ///   - stride: Step between read elements per dimension (each ≥ 1).
    /// - Returns: The values in row-major order (`product(count)` of them).
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` for a wrong rank, negative or
    ///   out-of-bounds start/count/stride, a text variable, or a closed file;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` when libnetcdf fails.
    public func read<T: NetCDFNumeric>(
        _ type: T.Type = T.self, start: [Int], count: [Int], stride: [Int]
    ) throws -> [T] {
        try Library.locked { () throws -> [T] in
            try prepareNumericLocked(T.self)
            let shape = try currentShapeLocked()
            let (s, c) = try resolve(start: start, count: count, stride: stride, shape: shape, forWrite: false)
            return try readBufferLocked(count: c, operation: "nc_get_vars") { buffer, n in
                TypedIO.getVars(group.id, id, s, c, stride, buffer, n)
            }
        }
    }

    /// Reads the whole of an `NC_STRING` or `NC_CHAR` variable as strings.
    ///
    /// For `NC_CHAR` the last dimension is the string length: a variable of shape `[n, len]`
    /// gives `n` strings; trailing NULs and spaces are trimmed. A scalar or 1-D char variable
    /// gives one string.
    /// - Returns: The strings in row-major order.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` for a numeric variable or a
    ///   closed file; ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func readStrings() throws -> [String] {
        try Library.locked { () throws -> [String] in
            try file.enterDataModeLocked(variable: name)
            let shape = try currentShapeLocked()
            guard let total = Sizes.product(shape) else { throw invalid("shape \(shape) is too large") }
            let zeros = [Int](repeating: 0, count: shape.count)
            switch type {
            case .string:
                guard total > 0 else { return [] }
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: total)
                let status = pointers.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    nc_get_vara_string(group.id, id, zeros, shape, buffer.baseAddress)
                }
                try Library.check(status, "nc_get_vara_string", path: path, variable: name)
                let strings = pointers.map { Library.string(from: $0.map { UnsafePointer($0) }) }
                _ = pointers.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    nc_free_string(total, buffer.baseAddress)
                }
                return strings
            case .char:
                let length = shape.last ?? 1
                let stringCount = shape.isEmpty ? 1 : (Sizes.product(Array(shape.dropLast())) ?? 0)
                guard total > 0 else { return [String](repeating: "", count: shape.count <= 1 ? 1 : stringCount) }
                var chars = [CChar](repeating: 0, count: total)
                let status = chars.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    nc_get_vara_text(group.id, id, zeros, shape, buffer.baseAddress)
                }
                try Library.check(status, "nc_get_vara_text", path: path, variable: name)
                let bytes = chars.map { UInt8(bitPattern: $0) }
                var result: [String] = []
                result.reserveCapacity(stringCount)
                var offset = 0
                while offset < bytes.count {
                    var slice = bytes[offset ..< min(offset + length, bytes.count)]
                    while let last = slice.last, last == 0 || last == 0x20 { slice = slice.dropLast() }
                    result.append(String(decoding: slice, as: UTF8.self))
                    offset += length
                }
                return result
            default:
                throw invalid("the variable has numeric type \(type); use read(_:start:count:) instead of readStrings()")
            }
        }
    }

    // MARK: - Writing

    /// Writes a hyperslab, converting from `T` (`nc_put_vara_<type>`), leaving define mode if needed.
    /// - Parameters:
    ///   - values: `product(count)` values in row-major order.
    ///   - start: Index of the first element per dimension; default all zeros.
    ///   - count: Number of elements per dimension; default the rest of each dimension from `start`
    ///     using the current lengths. Pass it explicitly to append records along an unlimited
    ///     dimension (which may be written beyond its current length).
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` for a wrong rank, negative or
    ///   out-of-bounds start/count, a value count that differs from `product(count)`, a text variable,
    ///   or a closed/read-only file; ``NetCDFError/library(code:message:path:variable:operation:)``
    ///   when libnetcdf fails (e.g. `NC_ERANGE` when a value does not fit the external type).
    public func write<T: NetCDFNumeric>(
        _ values: [T], start: [Int]? = nil, count: [Int]? = nil
    ) throws {
        try Library.locked { () throws in
            try file.requireWritableLocked(variable: name)
            try prepareNumericLocked(T.self)
            let shape = try currentShapeLocked()
            let (s, c) = try resolve(start: start, count: count, stride: nil, shape: shape, forWrite: true)
            guard let n = Sizes.product(c) else { throw invalid("count \(c) is too large") }
            guard n == values.count else {
                throw invalid("\(values.count) values given but count \(c) selects \(n)")
            }
            guard n > 0 else { return }
            let status = values.withUnsafeBufferPointer { buffer -> Int32 in
                guard let base = buffer.baseAddress else { return NC_ENOMEM }
                return TypedIO.putVara(group.id, id, s, c, base, n)
            }
            try Library.check(status, "nc_put_vara", path: path, variable: name)
        }
    }

    /// Writes strings to an `NC_STRING` or `NC_CHAR` variable, leaving define mode if needed.
    ///
    /// For `NC_STRING`, `start`/`count` cover all dimensions. For `NC_CHAR`, the last dimension
    /// is the string length: `start`/`count` cover only the leading dimensions, and each string
    /// is NUL-padded to that length (a scalar or 1-D char variable takes one string).
    /// - Parameters:
    ///   - values: `product(count)` strings in row-major order.
    ///   - start: Default all zeros.
    ///   - count: Default the rest of each dimension from `start`.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` for a numeric variable, bad
    ///   start/count, a value count that differs from `product(count)`, a string longer than the
    ///   char dimension, or a closed/read-only file;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func writeStrings(_ values: [String], start: [Int]? = nil, count: [Int]? = nil) throws {
        try Library.locked { () throws in
            try file.requireWritableLocked(variable: name)
            try file.enterDataModeLocked(variable: name)
            let shape = try currentShapeLocked()
            switch type {
            case .string:
                let (s, c) = try resolve(start: start, count: count, stride: nil, shape: shape, forWrite: true)
                guard let n = Sizes.product(c) else { throw invalid("count \(c) is too large") }
                guard n == values.count else {
                    throw invalid("\(values.count) strings given but count \(c) selects \(n)")
                }
                guard n > 0 else { return }
                let owned = CStringArray(values)
                defer { owned.deallocate() }
                let status = owned.pointers.withUnsafeBufferPointer { buffer -> Int32 in
                    guard let base = buffer.baseAddress else { return NC_ENOMEM }
                    return nc_put_vara_string(group.id, id, s, c, UnsafeMutablePointer(mutating: base))
                }
                try Library.check(status, "nc_put_vara_string", path: path, variable: name)
            case .char:
                let encoded = values.map { Array($0.utf8) }
                let longest = encoded.map(\.count).max() ?? 0
                var length = shape.last ?? 1
                if let last = dimensions.last, last.isUnlimited { length = max(length, longest) }
                guard longest <= length else {
                    throw invalid("a string of \(longest) bytes does not fit the char dimension of length \(length)")
                }
                let leading = Array(shape.dropLast())
                var unlimitedLeading = dimensions.map(\.isUnlimited)
                if !unlimitedLeading.isEmpty { unlimitedLeading.removeLast() }
                let (s, c) = try resolve(start: start, count: count, stride: nil, shape: leading,
                                         forWrite: true, unlimited: unlimitedLeading)
                guard let n = Sizes.product(c) else { throw invalid("count \(c) is too large") }
                guard n == values.count, shape.count > 0 || values.count == 1 else {
                    throw invalid("\(values.count) strings given but count \(c) selects \(n)")
                }
                guard n > 0, length > 0 else { return }
                var chars = [CChar](repeating: 0, count: n * length)
                for (i, bytes) in encoded.enumerated() {
                    for (j, byte) in bytes.enumerated() { chars[i * length + j] = CChar(bitPattern: byte) }
                }
                let fullStart = shape.isEmpty ? [] : s + [0]
                let fullCount = shape.isEmpty ? [] : c + [length]
                let status = chars.withUnsafeBufferPointer { buffer -> Int32 in
                    nc_put_vara_text(group.id, id, fullStart, fullCount, buffer.baseAddress)
                }
                try Library.check(status, "nc_put_vara_text", path: path, variable: name)
            default:
                throw invalid("the variable has numeric type \(type); use write(_:start:count:) instead of writeStrings()")
            }
        }
    }

    // MARK: - Helpers (call with the library lock held)

    /// Checks the element type and variable type, and leaves define mode.
    private func prepareNumericLocked<T: NetCDFNumeric>(_: T.Type) throws {
        try file.enterDataModeLocked(variable: name)
        guard TypedIO.isUsable(T.self) else {
            throw invalid("element type \(T.self) declares netCDFType \(T.netCDFType), which does not match its memory layout")
        }
        guard type.isNumeric else {
            throw invalid("the variable has type \(type); use readStrings()/writeStrings() for text")
        }
    }

    /// The current dimension lengths (unlimited dimensions may have grown since lookup).
    func currentShapeLocked() throws -> [Int] {
        var shape: [Int] = []
        shape.reserveCapacity(dimensions.count)
        for dimension in dimensions {
            var length = 0
            try Library.check(nc_inq_dimlen(group.id, dimension.id, &length), "nc_inq_dimlen",
                              path: path, variable: name)
            shape.append(length)
        }
        return shape
    }

    /// Fills a new array of `product(count)` elements with `call`.
    private func readBufferLocked<T: NetCDFNumeric>(
        count: [Int], operation: String, _ call: (UnsafeMutablePointer<T>, Int) -> Int32
    ) throws -> [T] {
        guard let n = Sizes.product(count) else { throw invalid("count \(count) is too large") }
        guard n > 0 else { return [] }
        var status: Int32 = NC_NOERR
        let values = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            guard let base = buffer.baseAddress else {
                status = NC_ENOMEM
                initialized = 0
                return
            }
            status = call(base, n)
            initialized = status == NC_NOERR ? n : 0
        }
        try Library.check(status, operation, path: path, variable: name)
        return values
    }

    /// Validates start/count/stride against the shape and fills in defaults.
    func resolve(
        start: [Int]?, count: [Int]?, stride: [Int]?, shape: [Int], forWrite: Bool, unlimited: [Bool]? = nil
    ) throws -> (start: [Int], count: [Int]) {
        let rank = shape.count
        let unlimited = unlimited ?? dimensions.map(\.isUnlimited)
        let s = start ?? [Int](repeating: 0, count: rank)
        guard s.count == rank else {
            throw invalid("start \(s) has \(s.count) entries but the variable has rank \(rank) (shape \(shape))")
        }
        guard s.allSatisfy({ $0 >= 0 }) else { throw invalid("start \(s) has a negative entry") }
        let c = count ?? zip(shape, s).map { max($0 - $1, 0) }
        guard c.count == rank else {
            throw invalid("count \(c) has \(c.count) entries but the variable has rank \(rank) (shape \(shape))")
        }
        guard c.allSatisfy({ $0 >= 0 }) else { throw invalid("count \(c) has a negative entry") }
        if let stride {
            guard stride.count == rank else {
                throw invalid("stride \(stride) has \(stride.count) entries but the variable has rank \(rank)")
            }
            guard stride.allSatisfy({ $0 >= 1 }) else { throw invalid("stride \(stride) has an entry < 1") }
        }
        for i in 0 ..< rank {
            if forWrite && i < unlimited.count && unlimited[i] { continue }
            let step = stride?[i] ?? 1
            var extent = 0   // one past the last index touched
            if c[i] > 0 {
                let (span, o1) = (c[i] - 1).multipliedReportingOverflow(by: step)
                let (last, o2) = s[i].addingReportingOverflow(span)
                guard !o1, !o2 else { throw invalid("start/count/stride overflow in dimension \(i)") }
                extent = last + 1
            }
            let dimName = i < dimensions.count ? " ('\(dimensions[i].name)')" : ""
            guard s[i] <= shape[i], extent <= shape[i] else {
                let strideText = stride.map { " stride \($0)" } ?? ""
                throw invalid("hyperslab start \(s) count \(c)\(strideText) exceeds shape \(shape) in dimension \(i)\(dimName)")
            }
        }
        return (s, c)
    }
}
