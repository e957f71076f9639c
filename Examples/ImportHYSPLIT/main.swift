// Upwind's attribution on trajectories HYSPLIT already computed: read tdump files, pair each
// arrival with the observation at its site and time, grid residence time and PSCF, rank regions
// (counties, provinces) and cluster the trajectories — what `upwind attribute` does, step by step.
//
// Usage: swift run ImportHYSPLIT [--observations obs.csv] [--site NAME] [--regions regions.geojson]
//          [--resolution 0.5] TDUMP...
// Observations: site,latitude,longitude,time,value (time UTC). tdump files name no sites, so each
// trajectory belongs to --site, else to the observation site within 1 km of its start. Without
// observations only residence time is computed (regions ranked by residence hours).
import Foundation
import Upwind

var options: [String: String] = ["resolution": "0.5"]
var paths: [String] = []
var arguments = Array(CommandLine.arguments.dropFirst())
while let first = arguments.first {
    arguments.removeFirst()
    if first.hasPrefix("--"), let value = arguments.first {
        options[String(first.dropFirst(2))] = value
        arguments.removeFirst()
    } else {
        paths.append(first)
    }
}
guard !paths.isEmpty, let resolution = Double(options["resolution"] ?? "") else {
    FileHandle.standardError.write(Data("usage: ImportHYSPLIT [--observations FILE] [--site NAME] [--regions FILE] [--resolution DEG] TDUMP...\n".utf8))
    exit(2)
}
func f(_ x: Double, _ decimals: Int = 3) -> String { String(format: "%.\(decimals)f", x) }
func position(_ latitude: Double, _ longitude: Double) -> String {
    "\(f(abs(latitude), 2))°\(latitude < 0 ? "S" : "N") \(f(abs(longitude), 2))°\(longitude < 0 ? "W" : "E")"
}

do {
    // 1. The tdump files, numbered 1, 2, … across files.
    var trajectories: [Trajectory] = []
    for path in paths {
        for var t in try TdumpReader.read(path: path) {
            t.id = trajectories.count + 1
            trajectories.append(t)
        }
    }
    let times = trajectories.map(\.start.time).sorted()
    print("read \(paths.count) tdump file(s): \(trajectories.count) trajectories "
          + "(\(Set(trajectories.map { $0.isBackward ? "backward" : "forward" }).sorted().joined(separator: ", ")), "
          + "\(Set(trajectories.compactMap(\.provenance.metModel)).sorted().joined(separator: ", ")), "
          + "starts \(times.first?.iso8601 ?? "–") to \(times.last?.iso8601 ?? "–")), \(trajectories.reduce(0) { $0 + $1.endpoints.count }) endpoints")

    // 2. Each arrival's observed value (without observations: 0 for all, nothing polluted).
    var used = trajectories, values = [Double](repeating: 0, count: trajectories.count)
    var settings = ReceptorGridSettings(resolution: resolution)
    var criterion = 0.0
    if let observationsPath = options["observations"] {
        let observations = try ObservationCSVReader.read(path: observationsPath)
        let matches = observations.match(trajectories, by: options["site"].map { .site($0) } ?? .nearestSiteWithin1km)
        used = matches.matched.map { var t = trajectories[$0.index]; t.start.site = $0.site; return t }
        values = matches.matched.map { $0.value }
        criterion = try settings.resolveCriterion(trajectories: used, values: values)
        print("observations: \(used.count) of \(trajectories.count) arrivals matched at "
              + "\(Set(used.map(\.start.site)).sorted().joined(separator: ", ")); p75 criterion \(f(criterion, 1))")
        if !matches.unmatched.isEmpty { print("  unmatched: \(matches.summary)") }
    } else {
        settings.criterion = .value(0)
        print("no observations: residence time only")
    }

    // 3. The grid: endpoints per cell (n), residence, PSCF = polluted endpoints / n.
    let grid = try await ReceptorGrid.build(trajectories: used, values: values, settings: settings, criterionValue: criterion)
    let cells = grid.cells()
    let withValues = options["observations"] != nil
    print("grid: \(cells.count) cells of \(resolution)°, \(grid.endpointCount) endpoints (age 0 left out); top 5 by endpoints:")
    for c in cells.sorted(by: { ($0.nEndpoints, $0.latitude, $0.longitude) > ($1.nEndpoints, $1.latitude, $1.longitude) }).prefix(5) {
        print("  \(position(c.latitude, c.longitude)): n \(c.nEndpoints) from \(c.nTrajectories) trajectories, residence \(f(c.residence))"
              + (withValues ? ", PSCF \(f(c.pscf)) (m \(c.nPolluted)), WPSCF \(f(c.wpscf))" : ""))
    }

    // 4. Regions ranked by the share of polluted residence (by residence without observations).
    if let regionsPath = options["regions"] {
        let regions = try RegionFile.read(path: regionsPath).index()
        let rankBy: RegionScore = withValues ? .pollutedShare : .residenceHours
        let result = try await RegionAttribution.compute(trajectories: used, values: values, settings: settings, criterionValue: criterion,
                                                         regions: regions, cells: cells, rankBy: rankBy)
        print("regions: \(regions.count) in \(URL(fileURLWithPath: regionsPath).lastPathComponent), ranked by \(rankBy.rawValue); top 5:")
        for r in result.rows.prefix(5) where r.residenceHours > 0 {
            print("  \(r.rank). \(r.name) \(r.id): residence \(f(r.residenceHours, 1)) h"
                  + (withValues ? ", polluted \(f(r.pollutedResidenceHours, 1)) h, polluted share \(f(r.pollutedShare)), PSCF \(f(r.pscf))" : ""))
        }
        if result.totals.endpoints == result.totals.endpointsOutside { print("  no endpoint in any region") }
    }

    // 5. Clusters (Ward, HYSPLIT's TSV elbow), when there are enough trajectories.
    do {
        let clusters = try await TrajectoryClustering.cluster(used)
        print("clusters: \(clusters.clusterCount)")
        for (row, mean) in zip(clusters.summary(values: values), clusters.means) {
            let end = mean.points.last
            print("  \(row.cluster): \(row.count) trajectories (\(f(row.sharePct, 1)) %)" + (withValues ? ", mean value \(f(row.meanValue, 1))" : "")
                  + (end.map { ", mean path ends at \(position($0.latitude, $0.longitude)) (\(f($0.ageHours, 0)) h)" } ?? ""))
        }
    } catch {
        print("clusters: none (\(error))")
    }
} catch {
    FileHandle.standardError.write(Data("ImportHYSPLIT: \(error)\n".utf8))
    exit(1)
}
