import Foundation

/// Why a report could not be made or written. Every message names the folder or file and says
/// what to do. A missing or unreadable *optional* file is not an error: the report lists it
/// (``ReportInputs/notes``) and leaves its part out.
public enum ReportError: Error, CustomStringConvertible, Sendable, Equatable, LocalizedError {
    /// The folder does not exist or is not a folder.
    case folderMissing(path: String)
    /// The folder holds neither `regions.csv` nor `events.csv`: nothing `upwind hotspots` or
    /// `upwind attribute` wrote is there.
    case nothingToReport(folder: String)
    /// A template shipped with the library is missing or does not parse (a broken build).
    case template(name: String, reason: String)
    /// An output file could not be written (the reason from the file system).
    case writeFailed(path: String, reason: String)

    /// One line: what is wrong, where, and what to do.
    public var description: String {
        switch self {
        case .folderMissing(let path):
            return "\(path): no such folder; give the folder that upwind hotspots or upwind attribute wrote (the one holding events.csv and regions.csv)"
        case .nothingToReport(let folder):
            return "\(folder) holds neither regions.csv nor events.csv, so there is nothing to report; run upwind hotspots --out \(folder) (or upwind attribute) first, or give the folder it wrote"
        case .template(let name, let reason):
            return "the report template \(name) cannot be used (\(reason)); the UpwindReport resources are missing or damaged: rebuild Upwind"
        case .writeFailed(let path, let reason):
            return "cannot write \(path): \(reason); check that the folder exists and is writable"
        }
    }

    /// The one-line message (`description`).
    public var errorDescription: String? { description }
}
