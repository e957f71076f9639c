import NetCDFKit
import UpwindCore

/// Why a meteorological source could not be read. Every case names the file (and
/// variable or value where there is one) and its ``description`` is one line that
/// ends with what to do about it.
public enum MetError: Error, CustomStringConvertible, Sendable {
    /// libnetcdf or the file itself failed (missing, truncated, not NetCDF…).
    case netCDF(NetCDFError)
    /// No file was given, or a glob pattern matched nothing.
    case noFiles(pattern: String)
    /// Neither CF attributes nor well-known names identify an eastward and a northward wind.
    case noWind(path: String, variables: [String])
    /// A user mapping names a variable that no file of the dataset holds.
    case mappedVariableMissing(role: String, variable: String, paths: [String])
    /// A user mapping uses a role name Upwind does not know.
    case unknownRole(String)
    /// A needed coordinate axis (latitude, longitude) is missing or malformed.
    case missingAxis(path: String, variable: String, axis: String, reason: String)
    /// The time axis' calendar is not one Upwind decodes.
    case unsupportedCalendar(path: String, variable: String, calendar: String)
    /// The time axis' units are not `<unit> since <date>`.
    case badTimeUnits(path: String, variable: String, units: String)
    /// Times within one file are not strictly increasing.
    case nonMonotonicTime(path: String, variable: String, index: Int, previous: String, value: String)
    /// The same valid time appears twice for the same variable.
    case duplicateTime(path: String, otherPath: String, variable: String, time: String)
    /// A file's grid differs from the first file's grid.
    case gridMismatch(path: String, referencePath: String, detail: String)
    /// A variable's units differ between files.
    case unitsMismatch(path: String, referencePath: String, variable: String, units: String, referenceUnits: String)
    /// A variable's levels cannot be placed on the wind's vertical axis.
    case levelMismatch(path: String, variable: String, detail: String)
    /// The two wind components do not share times or levels.
    case windMismatch(detail: String)
    /// Two variables of one file match one role by the same rule (``MetRoleMatch``), and
    /// their shapes do not settle it: `rule` is the rule's name (`standard_name`, `name`, `long_name`).
    case ambiguousRole(path: String, role: String, rule: String, variables: [String])
    /// Units Upwind cannot convert for a role.
    case unsupportedUnits(path: String, variable: String, units: String, expected: String)
    /// The file is of another format this reader does not take (HYSPLIT ARL given to the NetCDF reader: use ARLWindField).
    case unsupportedFormat(path: String, detail: String)
    /// The grid kind is not supported yet (projected, WRF, curvilinear).
    case unsupportedGrid(path: String, detail: String)
    /// A variable has dimensions Upwind cannot map onto (time, level, lat, lon).
    case unsupportedLayout(path: String, variable: String, detail: String)
    /// A requested bounding box does not overlap the grid.
    case boxOutsideGrid(box: BoundingBox, grid: String)
    /// A requested time index is outside the dataset.
    case timeIndexOutOfRange(index: Int, count: Int)
    /// ARL and NetCDF files were given for one source.
    case mixedFormats(arlPath: String, otherPath: String)
    /// A variable mapping was given for ARL files, whose variable names are fixed.
    case mappingWithARL(paths: [String])

    /// One line: the file, variable or value, what is wrong and what to do.
    public var description: String {
        switch self {
        case .netCDF(let e):
            return e.description
        case .noFiles(let pattern):
            return "no met file matches '\(pattern)': check the path or glob pattern (quote globs so the shell passes them through)"
        case .noWind(let path, let variables):
            return "\(path): no eastward/northward wind found among variables [\(variables.joined(separator: ", "))]: map them explicitly (MetVariableMapping([.u: NAME, .v: NAME]))"
        case .mappedVariableMissing(let role, let variable, let paths):
            return "mapping \(role)=\(variable): no variable '\(variable)' in \(paths.joined(separator: ", ")): check the name with ncdump -h"
        case .unknownRole(let role):
            return "unknown variable role '\(role)': use one of \(MetRole.allCases.map(\.rawValue).joined(separator: ", "))"
        case .missingAxis(let path, let variable, let axis, let reason):
            return "\(path): variable '\(variable)': \(axis) axis \(reason): the file needs 1-D CF coordinate variables (units degrees_north/degrees_east)"
        case .unsupportedCalendar(let path, let variable, let calendar):
            return "\(path): variable '\(variable)': calendar '\(calendar)' is not supported: only standard, gregorian and proleptic_gregorian times are decoded; convert the file's time axis (e.g. cdo setcalendar,standard)"
        case .badTimeUnits(let path, let variable, let units):
            return "\(path): variable '\(variable)': time units '\(units)' are not '<seconds|minutes|hours|days> since <date>': fix the units attribute (ncatted -a units,\(variable),o,c,'hours since 1900-01-01')"
        case .nonMonotonicTime(let path, let variable, let index, let previous, let value):
            return "\(path): variable '\(variable)': times are not increasing at index \(index) (\(previous) then \(value)): sort the file in time (e.g. cdo sorttimestamp)"
        case .duplicateTime(let path, let otherPath, let variable, let time):
            return "\(path): variable '\(variable)': time \(time) also appears in \(otherPath): remove the duplicate file or time step"
        case .gridMismatch(let path, let referencePath, let detail):
            return "\(path): grid differs from \(referencePath) (\(detail)): all files of one dataset must share one grid; regrid or pass the files separately"
        case .unitsMismatch(let path, let referencePath, let variable, let units, let referenceUnits):
            return "\(path): variable '\(variable)' has units '\(units)' but \(referencePath) has '\(referenceUnits)': use files from one product"
        case .levelMismatch(let path, let variable, let detail):
            return "\(path): variable '\(variable)': \(detail): its levels must be the wind's levels or a subset of them"
        case .windMismatch(let detail):
            return "u and v do not match: \(detail): give both wind components for the same times and levels"
        case .ambiguousRole(let path, let role, let rule, let variables):
            let list = variables.map { "'\($0)'" }.joined(separator: " and ")
            return "\(path): variables \(list) both match role \(role) by \(rule): choose one with a mapping (--map \(role)=\(variables.first ?? "NAME"), or MetVariableMapping)"
        case .unsupportedUnits(let path, let variable, let units, let expected):
            return "\(path): variable '\(variable)' has units '\(units)', expected \(expected): fix the units attribute or map another variable"
        case .unsupportedFormat(let path, let detail):
            return "\(path): \(detail)"
        case .unsupportedGrid(let path, let detail):
            return "\(path): \(detail)"
        case .unsupportedLayout(let path, let variable, let detail):
            return "\(path): variable '\(variable)': \(detail)"
        case .boxOutsideGrid(let box, let grid):
            return "bounding box \(box) does not overlap the met grid (\(grid)): choose a box inside the grid"
        case .timeIndexOutOfRange(let index, let count):
            return "time index \(index) is outside the dataset's \(count) times: use 0..<\(count)"
        case .mixedFormats(let arlPath, let otherPath):
            return "met files of one source must all be ARL packed or all NetCDF: '\(arlPath)' is ARL but '\(otherPath)' is not; convert them to one kind or run them separately"
        case .mappingWithARL(let paths):
            return "\(paths.first ?? "ARL met"): a variable mapping applies to NetCDF met only; ARL files use HYSPLIT's fixed variable names (UWND, VWND, WWND, TEMP, HGTS, …): drop the mapping"
        }
    }
}

extension MetError {
    /// Runs a NetCDFKit call, turning its `NetCDFError` into ``MetError/netCDF(_:)``.
    static func wrapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as NetCDFError {
            throw MetError.netCDF(error)
        }
    }
}
