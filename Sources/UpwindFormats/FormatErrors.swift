import Foundation

/// Why a trajectory output file (CSV or GeoJSON) could not be written.
///
/// Every case's ``description`` is one line naming the file and saying what to do.
public enum TrajectoryOutputError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The destination's folder does not exist or is not a folder.
    case folderMissing(path: String, folder: String)
    /// The destination exists and is a folder, so it cannot be replaced by a file.
    case destinationIsFolder(path: String)
    /// The temporary file next to the destination could not be created or opened.
    case cannotCreate(path: String, temporaryPath: String, reason: String)
    /// Writing to the temporary file failed (disk full, I/O error…).
    case writeFailed(path: String, reason: String)
    /// Renaming the finished temporary file onto the destination failed.
    case cannotReplace(path: String, temporaryPath: String, reason: String)
    /// `write` or `finish` was called after `finish`.
    case alreadyFinished(path: String)
    /// An earlier write failed; the writer refuses further use so no partial output is published.
    case unusableAfterError(path: String)
    /// An endpoint's latitude or longitude is NaN or infinite, which GeoJSON cannot represent.
    case nonFiniteCoordinate(path: String, trajectory: Int, endpoint: Int)

    /// A one-line explanation naming the file and what to do.
    public var description: String {
        switch self {
        case let .folderMissing(path, folder):
            return "cannot write '\(path)': folder '\(folder)' does not exist; create it or choose another output path"
        case let .destinationIsFolder(path):
            return "cannot write '\(path)': it is a folder; give a file name"
        case let .cannotCreate(path, temporaryPath, reason):
            return "cannot write '\(path)': could not create temporary file '\(temporaryPath)' (\(reason)); check the folder is writable"
        case let .writeFailed(path, reason):
            return "cannot write '\(path)': \(reason); check free disk space and permissions, then run again (the previous '\(path)' is untouched)"
        case let .cannotReplace(path, temporaryPath, reason):
            return "cannot replace '\(path)' with the finished output '\(temporaryPath)' (\(reason)); check permissions on the folder"
        case let .alreadyFinished(path):
            return "output '\(path)' was already finished; open a new writer to write again"
        case let .unusableAfterError(path):
            return "output '\(path)' was abandoned after an earlier write error (the previous '\(path)' is untouched); fix that error and run again"
        case let .nonFiniteCoordinate(path, trajectory, endpoint):
            return "cannot write '\(path)': trajectory \(trajectory) endpoint \(endpoint) has a NaN or infinite latitude/longitude, which GeoJSON cannot hold; this is a bug in the trajectory's producer"
        }
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }
}
