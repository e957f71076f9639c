import Foundation
import UpwindCore

/// One or several HYSPLIT ARL packed met files read as one dataset: every record header and
/// index is scanned at opening (grid, levels, variables, checksums, completeness of every
/// time period); data are unpacked on demand, checksums verified as records are read.
/// Times of all files are concatenated in time order. Thread-safe.
///
/// ```swift
/// let met = try ARLDataset(paths: ["gdas1.jan10.w*"])
/// let u = try met.fields([("UWND", 1)], at: 0)[0]   // m s-1, lowest level, nil if absent
/// ```
public final class ARLDataset: Sendable {
    /// The files, in the order given (globs expanded and sorted).
    public let paths: [String]
    /// The data source id of the first index (`GDAS`, `NGM`, …), spaces trimmed.
    public let modelID: String
    /// The horizontal grid.
    public let projection: MapProjection
    /// The first time period's index (grid definition, levels, variables).
    public let firstIndex: ARLIndex
    /// Vertical coordinate: pressure (flag 2), sigma (1), height (3, terrain-following) or hybrid (4).
    public let verticalKind: VerticalKind
    /// The upper levels' coordinate values as written (level 1 up; hPa, σ, m or encoded a + b).
    public let levelValues: [Double]
    /// Valid times, strictly increasing.
    public let times: [UTCTime]
    /// Variable names and the level indices (0 = surface) where some period lists them.
    public let variables: [String: [Int]]

    struct Entry: Sendable { var file: Int; var period: Int }
    let files: [ARLFile]
    let entries: [Entry]

    /// The horizontal grid as a `HorizontalGrid`.
    public var grid: any HorizontalGrid { projection.grid }
    /// Nodes along x and y.
    public var nx: Int { firstIndex.nx }
    /// Nodes along y.
    public var ny: Int { firstIndex.ny }

    /// True when `path` starts with an ARL index record label (content, not name).
    public static func isARL(path: String) -> Bool { ARLFile.looksLikeARL(path) }

    /// Opens `paths` (files or glob patterns) as one dataset.
    /// - Throws: ``ARLError`` for broken headers or indexes and truncated files;
    ///   ``MetError/noFiles(pattern:)``, ``MetError/gridMismatch(path:referencePath:detail:)``
    ///   when a file's grid or levels differ from the first file's,
    ///   ``MetError/duplicateTime(path:otherPath:variable:time:)``,
    ///   ``MetError/nonMonotonicTime(path:variable:index:previous:value:)``,
    ///   ``MetError/unsupportedGrid(path:detail:)`` for grids and vertical coordinates
    ///   that cannot be read.
    public init(paths: [String]) throws {
        let expanded = try MetDataset.expand(paths)
        self.paths = expanded
        var files: [ARLFile] = []
        for p in expanded { files.append(try ARLFile(path: p)) }
        guard let ref = files.first, let first = ref.periods.first else {
            throw ARLError.truncated(path: expanded.first ?? "", record: 1, detail: "the file holds no time period")
        }
        self.files = files
        firstIndex = first.index
        modelID = first.index.source
        projection = try MapProjection(index: first.index, path: ref.path)
        switch first.index.verticalFlag {
        case 1: verticalKind = .sigma
        case 2: verticalKind = .pressure
        case 3: verticalKind = .height
        case 4: verticalKind = .hybrid
        default:
            throw MetError.unsupportedGrid(path: ref.path, detail: "ARL vertical coordinate flag \(first.index.verticalFlag) is not one of 1 (sigma), 2 (pressure), 3 (terrain-following height), 4 (hybrid)")
        }
        levelValues = first.index.upperLevelValues
        if verticalKind == .pressure {
            for k in 1..<max(levelValues.count, 1) where !(levelValues[k] < levelValues[k - 1]) {
                throw MetError.unsupportedGrid(path: ref.path, detail: "ARL pressure levels are not decreasing upward (\(levelValues[k - 1]) then \(levelValues[k]) hPa)")
            }
        }

        // One grid and one set of levels for every period of every file.
        func difference(_ a: ARLIndex) -> String? {
            let b = first.index
            if a.nx != b.nx || a.ny != b.ny { return "grid \(a.nx)×\(a.ny) vs \(b.nx)×\(b.ny)" }
            if zip(a.grid.values, b.grid.values).contains(where: { abs($0 - $1) > 1e-4 }) {
                return "grid definition [\(a.grid.values.map { "\($0)" }.joined(separator: " "))] vs [\(b.grid.values.map { "\($0)" }.joined(separator: " "))]"
            }
            if a.verticalFlag != b.verticalFlag { return "vertical coordinate flag \(a.verticalFlag) vs \(b.verticalFlag)" }
            if !MetDataset.same(a.upperLevelValues, b.upperLevelValues) {
                return "\(a.upperLevelValues.count) levels \(a.upperLevelValues.first ?? .nan)…\(a.upperLevelValues.last ?? .nan) vs \(b.upperLevelValues.count) levels \(b.upperLevelValues.first ?? .nan)…\(b.upperLevelValues.last ?? .nan)"
            }
            return nil
        }
        var all: [(time: UTCTime, entry: Entry)] = []
        var names: [String: Set<Int>] = [:]
        for (fi, f) in files.enumerated() {
            for (pi, period) in f.periods.enumerated() {
                if let d = difference(period.index) {
                    throw MetError.gridMismatch(path: f.path, referencePath: ref.path, detail: "time period \(period.time.iso8601): \(d)")
                }
                if pi > 0, !(period.time > f.periods[pi - 1].time) {
                    throw MetError.nonMonotonicTime(path: f.path, variable: "INDX", index: pi, previous: f.periods[pi - 1].time.iso8601, value: period.time.iso8601)
                }
                all.append((period.time, Entry(file: fi, period: pi)))
                for (k, level) in period.index.levels.enumerated() {
                    for v in level.variables { names[v.name, default: []].insert(k) }
                }
            }
        }
        all.sort { $0.time < $1.time }
        for k in 1..<max(all.count, 1) where all[k].time == all[k - 1].time {
            throw MetError.duplicateTime(path: files[all[k].entry.file].path, otherPath: files[all[k - 1].entry.file].path, variable: "INDX",
                                         time: all[k].time.iso8601)
        }
        times = all.map(\.time)
        entries = all.map(\.entry)
        variables = names.mapValues { $0.sorted() }
    }

    /// Unpacks fields at one time. Each request is a variable name and a level index
    /// (0 = surface, 1… upper levels bottom-up); the answer is nil where the period does
    /// not hold that variable at that level. Values are in the file's units, `Float`,
    /// row order from the south-west corner (x fastest).
    /// - Throws: ``MetError/timeIndexOutOfRange(index:count:)``, ``ARLError`` for unreadable
    ///   data and bad checksums.
    public func fields(_ requests: [(variable: String, level: Int)], at timeIndex: Int) throws -> [[Float]?] {
        guard entries.indices.contains(timeIndex) else { throw MetError.timeIndexOutOfRange(index: timeIndex, count: entries.count) }
        let e = entries[timeIndex]
        let file = files[e.file]
        let period = file.periods[e.period]
        var locations: [ARLFieldLocation] = []
        var slots: [Int?] = []
        for r in requests {
            if let loc = period.field(r.variable, level: r.level) {
                slots.append(locations.count)
                locations.append(loc)
            } else {
                slots.append(nil)
            }
        }
        let values = try file.read(locations, time: period.time)
        return slots.map { $0.map { values[$0] } }
    }

    /// Reads every data record of every file and compares its checksum with its index.
    /// - Returns: the number of records whose checksums were verified.
    /// - Throws: ``ARLError/badChecksum(path:record:variable:level:time:expected:computed:)``
    ///   naming the first bad record.
    @discardableResult
    public func verifyChecksums() throws -> Int {
        var n = 0
        for f in files {
            for p in f.periods {
                let locs = p.fields.values.sorted { $0.record < $1.record }
                _ = try f.read(locs, time: p.time, verify: true)
                n += locs.filter { $0.checksum != nil }.count
            }
        }
        return n
    }

    /// Missing u and v values over the whole dataset: NaNs, and every grid point of a
    /// level where a period holds no `UWND`/`VWND`.
    /// - Throws: ``ARLError`` when reading fails.
    public func countMissingWind() throws -> Int {
        var missing = 0
        let nz = levelValues.count
        for t in times.indices {
            var requests: [(variable: String, level: Int)] = []
            for k in stride(from: 1, through: nz, by: 1) { requests += [("UWND", k), ("VWND", k)] }
            for f in try fields(requests, at: t) {
                if let f { missing += f.reduce(0) { $0 + ($1.isNaN ? 1 : 0) } } else { missing += nx * ny }
            }
        }
        return missing
    }
}

extension ARLDataset {
    /// The first file a path or glob pattern names (sorted as ``init(paths:)`` sorts them),
    /// nil when a pattern matches nothing.
    public static func firstPath(of pattern: String) -> String? {
        (try? MetDataset.expand([pattern]))?.first
    }
}
