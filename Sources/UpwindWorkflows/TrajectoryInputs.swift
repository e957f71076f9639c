import Foundation
import UpwindAttribution
import UpwindCore
import UpwindFormats

/// A trajectory read from one of several files, with the key every analysis output names it
/// by: `<id>` with one file, `<n>:<id>` with several (n = the file's 1-based position), so
/// ids that repeat across files stay distinct.
public struct KeyedTrajectory: Sendable, Equatable {
    /// `<id>` or `<n>:<id>`.
    public var key: String
    /// The 1-based position of the file the trajectory came from.
    public var file: Int
    /// That file's format (a tdump carries no site names).
    public var format: TrajectoryFileFormat
    /// The trajectory.
    public var trajectory: Trajectory
    /// Creates a keyed trajectory.
    public init(key: String, file: Int, format: TrajectoryFileFormat, trajectory: Trajectory) {
        self.key = key
        self.file = file
        self.format = format
        self.trajectory = trajectory
    }
}

/// Reads the trajectory files an analysis takes (`--trajectories FILE...`): the engine's CSV,
/// HYSPLIT tdump or CF trajectory NetCDF, each told apart as `upwind convert` does (the name,
/// and an openair CSV by its header).
public enum TrajectoryInputs {
    /// Reads `paths` in order and keys every trajectory.
    /// - Throws: ``TrajectoryInputError/unknownFormat(path:)`` for a name no format claims,
    ///   ``TrajectoryInputError/notReadable(path:format:)`` for GeoJSON, and the readers' errors
    ///   (`TdumpError`, `TrajectoryReadError`, `NetCDFError`).
    public static func read(_ paths: [String], tdumpOptions: TdumpReadOptions = TdumpReadOptions()) throws -> [KeyedTrajectory] {
        var out: [KeyedTrajectory] = []
        for (n, path) in paths.enumerated() {
            guard let format = TrajectoryFileFormat.detect(path: path) else { throw TrajectoryInputError.unknownFormat(path: path) }
            guard format.isReadable else { throw TrajectoryInputError.notReadable(path: path, format: format.rawValue) }
            for t in try TrajectoryFiles.read(path: path, format: format, tdumpOptions: tdumpOptions) {
                out.append(KeyedTrajectory(key: paths.count == 1 ? "\(t.id)" : "\(n + 1):\(t.id)", file: n + 1, format: format, trajectory: t))
            }
        }
        return out
    }
}

/// Why trajectory files could not be read for an analysis.
public enum TrajectoryInputError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The file's name matches no trajectory format.
    case unknownFormat(path: String)
    /// The format is output-only.
    case notReadable(path: String, format: String)

    /// One line: the file, why, and what to do.
    public var description: String {
        switch self {
        case .unknownFormat(let path):
            return "\(path): cannot tell the trajectory format from the name: use a .csv (engine or openair CSV), .tdump/tdump* or .nc name (upwind convert converts others)"
        case .notReadable(let path, let format):
            return "\(path): \(format) is an output-only format; give the CSV, tdump or NetCDF it was made from"
        }
    }

    /// The one-line message (`description`).
    public var errorDescription: String? { description }
}

extension TrajectoryInputs {
    /// Each trajectory's receptor value (nil when unmatched), matched per file as every
    /// attribution command does: tdump trajectories by `site`, else the nearest observation
    /// site within 1 km; the others by their site name. Indices in the matches are positions
    /// in `inputs`.
    static func match(_ inputs: [KeyedTrajectory], fileCount: Int, to observations: ObservationSet,
                      site: String?) -> (values: [Double?], matches: ObservationMatches) {
        var values = [Double?](repeating: nil, count: inputs.count)
        var matched: [MatchedTrajectory] = []
        var unmatched: [UnmatchedTrajectory] = []
        for n in 0..<fileCount {
            let positions = inputs.indices.filter { inputs[$0].file == n + 1 }
            guard let first = positions.first else { continue }
            let rule: TrajectorySiteRule
            if inputs[first].format == .tdump {
                rule = site.map(TrajectorySiteRule.site) ?? .nearestSite(maximumDistanceMetres: ObservationSet.nearestSiteMaximumDistanceMetres)
            } else {
                rule = .siteName
            }
            let result = observations.match(positions.map { inputs[$0].trajectory }, by: rule)
            for var m in result.matched {
                m.index = positions[m.index]
                values[m.index] = m.value
                matched.append(m)
            }
            for var u in result.unmatched {
                u.index = positions[u.index]
                unmatched.append(u)
            }
        }
        return (values, ObservationMatches(matched: matched, unmatched: unmatched))
    }
}
