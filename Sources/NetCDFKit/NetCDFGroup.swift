import CNetCDF

/// A group of a netCDF file: the root group (`/`) of every file, or a nested group of a
/// netCDF-4 file. Holds dimensions, variables, attributes and sub-groups.
///
/// ```swift
/// let root = file.root
/// let time = try root.defineDimension("time", length: nil)       // unlimited
/// let lat = try root.defineDimension("lat", length: 181)
/// let v = try root.defineVariable("t2m", type: .float, dimensions: [time, lat])
/// try root.setAttribute("title", .text("demo"))
/// ```
public struct NetCDFGroup: Sendable {
    /// The file the group belongs to.
    public let file: NetCDFFile
    /// The libnetcdf group id (`ncid`); the root group's id is the file's id.
    public let id: Int32

    var path: String { file.path }

    /// The group's name; `"/"` for the root group.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public var name: String {
        get throws {
            try Library.locked { () throws -> String in
                try file.requireOpenLocked(variable: nil)
                return try Library.readName("nc_inq_grpname", path: path) { nc_inq_grpname(id, $0) }
            }
        }
    }

    // MARK: - Groups

    /// The direct sub-groups (always empty for classic-model files).
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func groups() throws -> [NetCDFGroup] {
        try Library.locked { () throws -> [NetCDFGroup] in
            try file.requireOpenLocked(variable: nil)
            guard file.format.supportsEnhancedModel else { return [] }
            var count: Int32 = 0
            try Library.check(nc_inq_grps(id, &count, nil), "nc_inq_grps", path: path)
            guard count > 0 else { return [] }
            var ids = [Int32](repeating: 0, count: Int(count))
            try Library.check(nc_inq_grps(id, &count, &ids), "nc_inq_grps", path: path)
            return ids.prefix(Int(count)).map { NetCDFGroup(file: file, id: $0) }
        }
    }

    /// The direct sub-group called `named`, or nil.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func group(named: String) throws -> NetCDFGroup? {
        try Library.locked { () throws -> NetCDFGroup? in
            try file.requireOpenLocked(variable: nil)
            guard file.format.supportsEnhancedModel else { return nil }
            var groupID: Int32 = 0
            let status = nc_inq_grp_ncid(id, named, &groupID)
            if status == NC_ENOGRP { return nil }
            try Library.check(status, "nc_inq_grp_ncid", path: path)
            return NetCDFGroup(file: file, id: groupID)
        }
    }

    /// Defines a sub-group (netCDF-4 enhanced model only).
    /// - Parameter name: The new group's name.
    /// - Returns: The new group.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the format has no groups
    ///   or the file is closed/read-only; ``NetCDFError/library(code:message:path:variable:operation:)``
    ///   when `nc_def_grp` fails (e.g. the name exists).
    @discardableResult
    public func defineGroup(_ name: String) throws -> NetCDFGroup {
        try Library.locked { () throws -> NetCDFGroup in
            guard file.format.supportsEnhancedModel else {
                throw NetCDFError.invalidRequest(path: path, variable: nil,
                                      reason: "groups need the netcdf4 format, but the file is \(file.format)")
            }
            try file.enterDefineModeLocked(variable: nil)
            var groupID: Int32 = 0
            try Library.check(nc_def_grp(id, name, &groupID), "nc_def_grp", path: path)
            return NetCDFGroup(file: file, id: groupID)
        }
    }

    // MARK: - Dimensions

    /// The dimensions visible in this group (its own and its ancestors'), with current lengths.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func dimensions() throws -> [NetCDFDimension] {
        try Library.locked { () throws -> [NetCDFDimension] in
            try file.requireOpenLocked(variable: nil)
            var count: Int32 = 0
            try Library.check(nc_inq_dimids(id, &count, nil, 1), "nc_inq_dimids", path: path)
            guard count > 0 else { return [] }
            var ids = [Int32](repeating: 0, count: Int(count))
            try Library.check(nc_inq_dimids(id, &count, &ids, 1), "nc_inq_dimids", path: path)
            let unlimited = try unlimitedDimensionIDsLocked()
            var result: [NetCDFDimension] = []
            for dimID in ids.prefix(Int(count)) {
                result.append(try dimensionLocked(dimID, unlimited: unlimited, variable: nil))
            }
            return result
        }
    }

    /// The dimension called `named` visible from this group, or nil.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func dimension(named: String) throws -> NetCDFDimension? {
        try Library.locked { () throws -> NetCDFDimension? in
            try file.requireOpenLocked(variable: nil)
            var dimID: Int32 = 0
            let status = nc_inq_dimid(id, named, &dimID)
            if status == NC_EBADDIM { return nil }
            try Library.check(status, "nc_inq_dimid", path: path)
            return try dimensionLocked(dimID, unlimited: unlimitedDimensionIDsLocked(), variable: nil)
        }
    }

    /// The dimension called `named`, which must exist.
    /// - Throws: ``NetCDFError/dimensionNotFound(path:dimension:)`` when it does not exist, or the
    ///   errors of ``dimension(named:)``.
    public func requiredDimension(named: String) throws -> NetCDFDimension {
        guard let dimension = try dimension(named: named) else {
            throw NetCDFError.dimensionNotFound(path: path, dimension: named)
        }
        return dimension
    }

    /// Defines a dimension, entering define mode if needed.
    /// - Parameters:
    ///   - name: The dimension name.
    ///   - length: The length (≥ 1), or nil for an unlimited (record) dimension.
    /// - Returns: The new dimension.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` for a length < 1 or a
    ///   closed/read-only file; ``NetCDFError/library(code:message:path:variable:operation:)`` when
    ///   `nc_def_dim` fails (duplicate name, second unlimited dimension in a classic file, ...).
    @discardableResult
    public func defineDimension(_ name: String, length: Int?) throws -> NetCDFDimension {
        if let length, length < 1 {
            throw NetCDFError.invalidRequest(path: path, variable: nil,
                                  reason: "dimension '\(name)' length \(length) is invalid; use a length ≥ 1, or nil for unlimited")
        }
        return try Library.locked { () throws -> NetCDFDimension in
            try file.enterDefineModeLocked(variable: nil)
            var dimID: Int32 = 0
            try Library.check(nc_def_dim(id, name, length ?? Int(NC_UNLIMITED), &dimID), "nc_def_dim", path: path)
            return NetCDFDimension(name: name, length: length ?? 0, isUnlimited: length == nil, id: dimID)
        }
    }

    // MARK: - Variables

    /// The variables of this group, in definition order. Variables of user-defined
    /// (compound, vlen, enum, opaque) types are skipped.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func variables() throws -> [NetCDFVariable] {
        try Library.locked { () throws -> [NetCDFVariable] in
            try file.requireOpenLocked(variable: nil)
            var count: Int32 = 0
            try Library.check(nc_inq_varids(id, &count, nil), "nc_inq_varids", path: path)
            guard count > 0 else { return [] }
            var ids = [Int32](repeating: 0, count: Int(count))
            try Library.check(nc_inq_varids(id, &count, &ids), "nc_inq_varids", path: path)
            let unlimited = try unlimitedDimensionIDsLocked()
            var result: [NetCDFVariable] = []
            for varID in ids.prefix(Int(count)) {
                if case .variable(let v) = try variableLocked(varID, unlimited: unlimited) {
                    result.append(v)
                }
            }
            return result
        }
    }

    /// The variable called `named` in this group, or nil.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed or
    ///   the variable has a user-defined type; ``NetCDFError/library(code:message:path:variable:operation:)``
    ///   on failure.
    public func variable(named: String) throws -> NetCDFVariable? {
        try Library.locked { () throws -> NetCDFVariable? in
            try file.requireOpenLocked(variable: named)
            var varID: Int32 = 0
            let status = nc_inq_varid(id, named, &varID)
            if status == NC_ENOTVAR { return nil }
            try Library.check(status, "nc_inq_varid", path: path, variable: named)
            switch try variableLocked(varID, unlimited: unlimitedDimensionIDsLocked()) {
            case .variable(let v):
                return v
            case .unsupported(let type):
                throw NetCDFError.invalidRequest(path: path, variable: named,
                                      reason: "the variable has user-defined type \(type), which NetCDFKit cannot read")
            }
        }
    }

    /// The variable called `named`, which must exist.
    /// - Throws: ``NetCDFError/variableNotFound(path:variable:)`` when it does not exist, or the
    ///   errors of ``variable(named:)``.
    public func requiredVariable(named: String) throws -> NetCDFVariable {
        guard let variable = try variable(named: named) else {
            throw NetCDFError.variableNotFound(path: path, variable: named)
        }
        return variable
    }

    /// Defines a variable, entering define mode if needed.
    /// - Parameters:
    ///   - name: The variable name.
    ///   - type: The external type; must be supported by the file's format.
    ///   - dimensions: The dimensions, slowest-varying first (empty for a scalar).
    ///   - chunking: Chunk sizes, one per dimension, each ≥ 1; nil for the library default.
    ///     netCDF-4 formats only.
    ///   - deflateLevel: zlib level 0...9; nil for no compression. netCDF-4 formats only.
    ///   - shuffle: Enable the shuffle filter; only valid together with `deflateLevel`.
    /// - Returns: The new variable.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` for an unsupported type,
    ///   chunking/deflate on a classic format, a chunking array of the wrong rank or with entries < 1,
    ///   a deflate level outside 0...9, shuffle without deflate, or a closed/read-only file;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` when libnetcdf refuses.
    @discardableResult
    public func defineVariable(
        _ name: String, type: NetCDFDataType, dimensions: [NetCDFDimension],
        chunking: [Int]? = nil, deflateLevel: Int? = nil, shuffle: Bool = false
    ) throws -> NetCDFVariable {
        let format = file.format
        func invalid(_ reason: String) -> NetCDFError {
            .invalidRequest(path: path, variable: name, reason: reason)
        }
        guard format.supports(type) else {
            throw invalid("type \(type) is not supported by the \(format) format")
        }
        if chunking != nil || deflateLevel != nil || shuffle {
            guard format.isNetCDF4 else {
                throw invalid("chunking, deflate and shuffle need a netcdf4 or netcdf4Classic file, but the file is \(format)")
            }
        }
        guard dimensions.count <= Int(NC_MAX_VAR_DIMS) else {
            throw invalid("\(dimensions.count) dimensions exceed libnetcdf's limit of \(NC_MAX_VAR_DIMS)")
        }
        if let chunking {
            guard chunking.count == dimensions.count, !dimensions.isEmpty else {
                throw invalid("chunking has \(chunking.count) entries but the variable has \(dimensions.count) dimensions")
            }
            guard chunking.allSatisfy({ $0 >= 1 }) else {
                throw invalid("chunk sizes \(chunking) must all be ≥ 1")
            }
        }
        if let deflateLevel, !(0 ... 9).contains(deflateLevel) {
            throw invalid("deflate level \(deflateLevel) is outside 0...9")
        }
        if shuffle && deflateLevel == nil {
            throw invalid("shuffle is only supported together with deflate; pass a deflateLevel")
        }
        return try Library.locked { () throws -> NetCDFVariable in
            try file.enterDefineModeLocked(variable: name)
            var varID: Int32 = 0
            let dimIDs = dimensions.map(\.id)
            try Library.check(nc_def_var(id, name, type.ncType, Int32(dimIDs.count), dimIDs, &varID),
                              "nc_def_var", path: path, variable: name)
            if let chunking {
                try Library.check(nc_def_var_chunking(id, varID, NC_CHUNKED, chunking),
                                  "nc_def_var_chunking", path: path, variable: name)
            }
            if let deflateLevel {
                try Library.check(nc_def_var_deflate(id, varID, shuffle ? 1 : 0, 1, Int32(deflateLevel)),
                                  "nc_def_var_deflate", path: path, variable: name)
            }
            switch try variableLocked(varID, unlimited: unlimitedDimensionIDsLocked()) {
            case .variable(let v):
                return v
            case .unsupported(let t):
                throw invalid("libnetcdf reports unexpected type \(t) for the new variable")
            }
        }
    }

    // MARK: - Attributes

    /// The group's attributes (the global attributes for the root group). Attributes of
    /// user-defined types are skipped.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func attributes() throws -> [NetCDFAttribute] {
        try Library.locked { () throws -> [NetCDFAttribute] in
            try Attributes.listLocked(file: file, ncid: id, varid: NC_GLOBAL, variable: nil)
        }
    }

    /// The group attribute called `named`, or nil.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the file is closed or the
    ///   attribute has a user-defined type; ``NetCDFError/library(code:message:path:variable:operation:)``
    ///   on failure.
    public func attribute(named: String) throws -> NetCDFAttribute? {
        try Library.locked { () throws -> NetCDFAttribute? in
            try Attributes.attributeLocked(file: file, ncid: id, varid: NC_GLOBAL, name: named, variable: nil)
        }
    }

    /// The group attribute called `named`, which must exist.
    /// - Throws: ``NetCDFError/attributeNotFound(path:variable:attribute:)`` when it does not exist,
    ///   or the errors of ``attribute(named:)``.
    public func requiredAttribute(named: String) throws -> NetCDFAttribute {
        guard let attribute = try attribute(named: named) else {
            throw NetCDFError.attributeNotFound(path: path, variable: nil, attribute: named)
        }
        return attribute
    }

    /// Creates or replaces a group (global, for the root) attribute, entering define mode if needed.
    /// - Throws: ``NetCDFError/invalidRequest(path:variable:reason:)`` when the value's type is not
    ///   supported by the format (e.g. `.strings` outside netcdf4) or the file is closed/read-only;
    ///   ``NetCDFError/library(code:message:path:variable:operation:)`` on failure.
    public func setAttribute(_ name: String, _ value: NetCDFAttributeValue) throws {
        try Library.locked { () throws in
            try Attributes.writeLocked(file: file, ncid: id, varid: NC_GLOBAL, name: name, value: value, variable: nil)
        }
    }

    // MARK: - Internal helpers (call with the library lock held)

    enum VariableLookup {
        case variable(NetCDFVariable)
        case unsupported(nc_type)
    }

    /// Ids of the unlimited dimensions of this group and its ancestors.
    func unlimitedDimensionIDsLocked() throws -> Set<Int32> {
        var result = Set<Int32>()
        var groupID = id
        for _ in 0 ..< 1024 {
            var count: Int32 = 0
            try Library.check(nc_inq_unlimdims(groupID, &count, nil), "nc_inq_unlimdims", path: path)
            if count > 0 {
                var ids = [Int32](repeating: 0, count: Int(count))
                try Library.check(nc_inq_unlimdims(groupID, &count, &ids), "nc_inq_unlimdims", path: path)
                result.formUnion(ids.prefix(Int(count)))
            }
            guard file.format.supportsEnhancedModel else { break }
            var parent: Int32 = 0
            guard nc_inq_grp_parent(groupID, &parent) == NC_NOERR else { break }
            groupID = parent
        }
        return result
    }

    /// Builds a dimension value from its id.
    func dimensionLocked(_ dimID: Int32, unlimited: Set<Int32>, variable: String?) throws
        -> NetCDFDimension
    {
        var length = 0
        let name = try Library.readName("nc_inq_dim", path: path, variable: variable) {
            nc_inq_dim(id, dimID, $0, &length)
        }
        return NetCDFDimension(name: name, length: length, isUnlimited: unlimited.contains(dimID), id: dimID)
    }

    /// Builds a variable value from its id.
    func variableLocked(_ varID: Int32, unlimited: Set<Int32>) throws -> VariableLookup {
        var xtype: nc_type = 0
        var rank: Int32 = 0
        let name = try Library.readName("nc_inq_var", path: path) {
            nc_inq_var(id, varID, $0, &xtype, &rank, nil, nil)
        }
        guard let type = NetCDFDataType(ncType: xtype) else { return .unsupported(xtype) }
        var dimIDs = [Int32](repeating: 0, count: Int(max(rank, 0)))
        if rank > 0 {
            try Library.check(nc_inq_vardimid(id, varID, &dimIDs), "nc_inq_vardimid", path: path, variable: name)
        }
        var dimensions: [NetCDFDimension] = []
        for dimID in dimIDs {
            dimensions.append(try dimensionLocked(dimID, unlimited: unlimited, variable: name))
        }
        return .variable(NetCDFVariable(group: self, id: varID, name: name, type: type, dimensions: dimensions))
    }
}
