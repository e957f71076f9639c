import Foundation

/// Every failure reported by NetCDFKit.
///
/// `description` is always a single line naming what failed, the file path, the
/// variable (when there is one), libnetcdf's own message (when there is one) and
/// what to do about it, so it can be shown to a user or written to a log as is.
public enum NetCDFError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Nothing exists at `path`.
    case fileNotFound(path: String)
    /// `path` names a directory, not a file.
    case isDirectory(path: String)
    /// The file at `path` has zero bytes.
    case emptyFile(path: String)
    /// The file exists but is not a netCDF classic (CDF-1/2/5) or netCDF-4/HDF5 file.
    case notNetCDF(path: String)
    /// The file is shorter than its header says it must be.
    /// `expectedBytes` is a lower bound of the required size, or -1 when unknown.
    case truncated(path: String, expectedBytes: Int64, actualBytes: Int64)
    /// A classic (CDF-1/2/5) header field holds a value the file cannot satisfy (a count or
    /// size larger than the bytes left, an invalid type, a dimension id out of range, data
    /// starting inside the header…), found before libnetcdf is called (libnetcdf 4.9 crashes
    /// or allocates tens of gigabytes on such headers). `field` names the field (e.g.
    /// "variable 't2m' type"), `value` is what the file holds, `reason` why it is refused.
    case corruptHeader(path: String, field: String, value: String, reason: String)
    /// The netCDF-4/HDF5 library crashed while a separate probe process opened the file (see
    /// ``NetCDFFile/setHDF5OpenGuard(_:)``): the file is corrupt and is not opened in this process.
    case libraryCrashed(path: String)
    /// The netCDF-4/HDF5 library did not finish reading the file's metadata within `seconds` in a
    /// separate probe process (see ``NetCDFFile/setHDF5OpenGuard(_:)``): HDF5 loops forever on some
    /// corrupt files, so the file is not opened in this process.
    case libraryHung(path: String, seconds: Int)
    /// No variable of that name exists in the group.
    case variableNotFound(path: String, variable: String)
    /// No dimension of that name is visible from the group.
    case dimensionNotFound(path: String, dimension: String)
    /// No attribute of that name exists (`variable` nil means a global/group attribute).
    case attributeNotFound(path: String, variable: String?, attribute: String)
    /// The call's arguments are invalid: bad start/count/stride, wrong rank, wrong type,
    /// an operation the file's format does not support, use after close, and so on.
    case invalidRequest(path: String, variable: String?, reason: String)
    /// libnetcdf returned a non-zero status.
    /// `message` is `nc_strerror(code)`, `operation` the name of the failing C function.
    case library(code: Int32, message: String, path: String, variable: String?, operation: String)

    /// The path of the file concerned.
    public var path: String {
        switch self {
        case .fileNotFound(let path), .isDirectory(let path), .emptyFile(let path), .notNetCDF(let path):
            return path
        case .truncated(let path, _, _), .variableNotFound(let path, _), .dimensionNotFound(let path, _):
            return path
        case .corruptHeader(let path, _, _, _), .libraryCrashed(let path), .libraryHung(let path, _):
            return path
        case .attributeNotFound(let path, _, _), .invalidRequest(let path, _, _):
            return path
        case .library(_, _, let path, _, _):
            return path
        }
    }

    /// A one-line, human-readable explanation including the path and a remedy.
    public var description: String {
        let text: String
        switch self {
        case .fileNotFound(let path):
            text = "NetCDF file not found: '\(path)'. Check the path and that the file exists."
        case .isDirectory(let path):
            text = "Expected a NetCDF file but '\(path)' is a directory. Pass the path of a .nc file instead."
        case .emptyFile(let path):
            text = "NetCDF file '\(path)' is empty (0 bytes). It was not written completely; regenerate or re-download it."
        case .libraryHung(let path, let seconds):
            text = "\(path): the netCDF-4/HDF5 library did not finish reading this file's metadata in \(seconds) s (HDF5 loops on some corrupt files); check it with `ncdump -h \(path)` or re-download it; if the file is on slow storage, allow more time with UPWIND_PROBE_TIMEOUT=SECONDS."
        case .notNetCDF(let path):
            text = "'\(path)' is not a NetCDF file (no netCDF classic CDF1/CDF2/CDF5 or netCDF-4/HDF5 signature). Check that you passed the right file."
        case .truncated(let path, let expected, let actual):
            let need = expected >= 0 ? "at least \(expected) bytes" : "more bytes"
            text = "NetCDF file '\(path)' is truncated: it has \(actual) bytes but its header requires \(need). The file is incomplete; re-download or regenerate it."
        case .corruptHeader(let path, let field, let value, let reason):
            text = "NetCDF file '\(path)' has a corrupt header: \(field) = \(value) (\(reason)); the file is corrupt or truncated; re-download it or check it with `ncdump -h`."
        case .libraryCrashed(let path):
            text = "\(path): the netCDF-4/HDF5 library crashed while opening this file (it is corrupt); check it with `ncdump -h \(path)` or re-download it."
        case .variableNotFound(let path, let variable):
            text = "Variable '\(variable)' not found in NetCDF file '\(path)'. List the available variables with `ncdump -h` and check the name."
        case .dimensionNotFound(let path, let dimension):
            text = "Dimension '\(dimension)' not found in NetCDF file '\(path)'. List the available dimensions with `ncdump -h` and check the name."
        case .attributeNotFound(let path, let variable, let attribute):
            let owner = variable.map { "of variable '\($0)'" } ?? "(global)"
            text = "Attribute '\(attribute)' \(owner) not found in NetCDF file '\(path)'. List the attributes with `ncdump -h` and check the name."
        case .invalidRequest(let path, let variable, let reason):
            let owner = variable.map { ", variable '\($0)'" } ?? ""
            text = "Invalid NetCDF request on '\(path)'\(owner): \(reason). Fix the arguments of the call."
        case .library(let code, let message, let path, let variable, let operation):
            let owner = variable.map { ", variable '\($0)'" } ?? ""
            text = "libnetcdf error \(code) in \(operation) on '\(path)'\(owner): \(message). Check that the file is a valid, accessible NetCDF file and that the operation suits its format."
        }
        return Self.singleLine(text)
    }

    /// Replaces line breaks and other control characters with spaces.
    static func singleLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control ? " " : scalar
        }))
    }
}

extension NetCDFError: LocalizedError {
    /// The one-line message (``description``), so `localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
