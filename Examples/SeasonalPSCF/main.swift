// A season of back trajectories from one site, PSCF and clusters, on generated data.
// 1. Synthetic regional weather (UpwindMeteo's generator) over eastern China, written as daily
//    NetCDF files, 3-hourly.
// 2. A RunPlan (saved as plan.json: `upwind trajectories --plan OUT/plan.json` runs it again):
//    Zhengzhou at 500 m every --every hours over the season, 72 h back.
// 3. A PM2.5 series with a planted source: 40 µg/m³ plus 25 for every hour the arriving air spent
//    within 100 km of a source at 33.0°N 107.0°E, ±20 % noise (a textbook PSCF check: we know
//    where the answer should be).
// 4. PSCF on 1° cells (criterion: the 75th percentile) and Ward clusters with HYSPLIT's TSV elbow.
//
// Usage: swift run SeasonalPSCF [--out seasonal-pscf] [--from 2024-09-01T00:00:00Z] [--days 91] [--every 6] [--seed 3]
import Foundation
import Upwind

var options = ["out": "seasonal-pscf", "from": "2024-09-01T00:00:00Z", "days": "91", "every": "6", "seed": "3"]
var arguments = Array(CommandLine.arguments.dropFirst())
while arguments.count >= 2, arguments[0].hasPrefix("--") {
    options[String(arguments.removeFirst().dropFirst(2))] = arguments.removeFirst()
}
let out = options["out"] ?? "seasonal-pscf"
guard arguments.isEmpty, let from = UTCTime(iso8601: options["from"] ?? ""), let days = Int(options["days"] ?? ""), days > 0,
      let every = Int(options["every"] ?? ""), every > 0, let seed = UInt64(options["seed"] ?? "") else {
    FileHandle.standardError.write(Data("usage: SeasonalPSCF [--out DIR] [--from ISO8601] [--days N] [--every HOURS] [--seed N]\n".utf8))
    exit(2)
}
let source = (latitude: 33.0, longitude: 107.0, radiusKm: 100.0)
func km(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
    Geodesy.distance(latitude1: lat1, longitude1: lon1, latitude2: lat2, longitude2: lon2) / 1000
}

do {
    // 1. Met: from 3 days before the first arrival (72 h back) to the end of the season.
    let metFolder = out + "/met"
    try FileManager.default.createDirectory(atPath: metFolder, withIntermediateDirectories: true)
    let field = try SyntheticMet.Field(model: .regional(.init(seed: seed)),
                                       domain: .init(south: 20, north: 55, west: 75, east: 130, resolution: 1),
                                       times: SyntheticMet.hourly(from: from + Int64(-3 * 86_400), count: (days + 3) * 8 + 1, stepHours: 3))
    let metFiles = try field.write(directory: metFolder, name: "synthetic", split: .daily)
    print("met: \(metFiles.count) daily files of synthetic regional weather (seed \(seed)), 20–55°N 75–130°E at 1°, 3-hourly, in \(metFolder)")

    // 2. The plan, saved, then run.
    let last = from + Int64(days * 86_400 - every * 3600)
    let plan = RunPlan(met: .init(files: metFiles),
                       generator: .init(sites: [.init(site: "Zhengzhou", latitude: 34.75, longitude: 113.65)], heights: [500],
                                        from: from, to: last, everyHours: every),
                       hours: -72)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(plan).write(to: URL(fileURLWithPath: out + "/plan.json"))
    let run = try await TrajectoryRunner(plan: plan).run()
    try run.write(to: out + "/trajectories.csv")
    let trajectories = run.trajectories
    print("trajectories: \(run.summary), \(out)/trajectories.csv; plan: \(out)/plan.json")

    // 3. Observations with a planted source, written and read back as any observation file would be.
    var random = SplitMix64(seed: seed)
    var csv = "site,latitude,longitude,time,value\n"
    for t in trajectories {
        let hoursNear = t.endpoints.filter { $0.ageHours < 0 && km($0.latitude, $0.longitude, source.latitude, source.longitude) <= source.radiusKm }.count
        let value = (40 + 25 * Double(hoursNear)) * (0.8 + 0.4 * random.nextUnit())
        csv += "\(t.start.site),\(t.start.latitude),\(t.start.longitude),\(t.start.time.iso8601),\(String(format: "%.1f", value))\n"
    }
    try csv.write(toFile: out + "/observations.csv", atomically: true, encoding: .utf8)
    let observations = try ObservationCSVReader.read(path: out + "/observations.csv")
    let matches = observations.match(trajectories)
    let matched = matches.matched.map { trajectories[$0.index] }, values = matches.matched.map { $0.value }

    // 4. PSCF: n endpoints per cell, m of them from polluted arrivals (value above p75).
    let settings = ReceptorGridSettings(resolution: 1)
    let criterion = try settings.resolveCriterion(trajectories: matched, values: values)
    let grid = try await ReceptorGrid.build(trajectories: matched, values: values, settings: settings, criterionValue: criterion)
    print("observations: \(values.count) arrivals matched, p75 criterion \(String(format: "%.1f", criterion)) µg/m³; "
          + "planted source at \(source.latitude)°N \(source.longitude)°E")
    print("PSCF, 1° cells, top 5 by weighted PSCF:")
    for c in grid.cells().sorted(by: { ($0.wpscf, $0.nEndpoints) > ($1.wpscf, $1.nEndpoints) }).prefix(5) {
        print(String(format: "  %.1f°N %.1f°E: n %d, m %d, PSCF %.3f, WPSCF %.3f, %.0f km from the source", c.latitude, c.longitude,
                     c.nEndpoints, c.nPolluted, c.pscf, c.wpscf, km(c.latitude, c.longitude, source.latitude, source.longitude)))
    }

    // 5. Clusters of the same trajectories (Ward, number from HYSPLIT's TSV curve).
    let clusters = try await TrajectoryClustering.cluster(matched)
    print("clusters (Ward, number from HYSPLIT's TSV elbow): \(clusters.clusterCount)")
    for (row, mean) in zip(clusters.summary(values: values), clusters.means) {
        let end = mean.points.last
        print(String(format: "  %d: %d trajectories (%.1f %%), mean PM2.5 %.1f µg/m³, 72 h back at %.1f°N %.1f°E", row.cluster, row.count,
                     row.sharePct, row.meanValue, end?.latitude ?? Double.nan, end?.longitude ?? Double.nan))
    }
} catch {
    FileHandle.standardError.write(Data("SeasonalPSCF: \(error)\n".utf8))
    exit(1)
}
