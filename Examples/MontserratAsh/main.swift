// Ash from the Soufrière Hills volcano, Montserrat, on real met: the GDAS data of HYSPLIT's
// volcano example (11–13 February 2010). Forward trajectories leave the volcano at a few heights;
// back trajectories arrive at the neighbouring islands every --every hours after the eruption and
// run back to it; for each arrival the example says how close its path came to the volcano (at
// least an hour before arrival), at which age, and whether that is within --within km.
//
// Usage: swift run MontserratAsh [--met Fixtures/met/gdas_042.bin] [--eruption 2010-02-11T15:00:00Z]
//          [--hours 24] [--every 12] [--heights 1000,3000,5000] [--within 30] [--site NAME,LAT,LON[,HEIGHT]]...
// A --site replaces the default islands (HEIGHT, m above ground, replaces --heights for that site).
import Foundation
import Upwind

let volcano = (name: "Soufrière Hills", latitude: 16.72, longitude: -62.18)

// MARK: Arguments
var options = ["met": "Fixtures/met/gdas_042.bin", "eruption": "2010-02-11T15:00:00Z", "hours": "24",
               "every": "12", "heights": "1000,3000,5000", "within": "30"]
var siteTexts: [String] = []
var arguments = Array(CommandLine.arguments.dropFirst())
while arguments.count >= 2, arguments[0].hasPrefix("--") {
    let name = String(arguments.removeFirst().dropFirst(2)), value = arguments.removeFirst()
    if name == "site" { siteTexts.append(value) } else { options[name] = value }
}
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("MontserratAsh: \(message)\n".utf8))
    exit(1)
}
guard arguments.isEmpty, let eruption = UTCTime(iso8601: options["eruption"] ?? ""), let hours = Int(options["hours"] ?? ""), hours > 0,
      let every = Int(options["every"] ?? ""), every > 0, let withinKm = Double(options["within"] ?? "") else {
    fail("usage: MontserratAsh [--met FILE] [--eruption ISO8601] [--hours N>0] [--every N>0] [--heights H,H] [--within KM] [--site NAME,LAT,LON[,HEIGHT]]...")
}
let heights = (options["heights"] ?? "").split(separator: ",").compactMap { Double($0) }
var islands: [(name: String, latitude: Double, longitude: Double, heights: [Double])] = [
    ("Guadeloupe", 16.25, -61.58, heights), ("Antigua", 17.07, -61.80, heights),
    ("St Kitts", 17.30, -62.72, heights), ("Dominica", 15.41, -61.37, heights),
]
if !siteTexts.isEmpty {
    islands = siteTexts.map { text in
        let parts = text.split(separator: ",").map(String.init)
        guard parts.count == 3 || parts.count == 4, let lat = Double(parts[1]), let lon = Double(parts[2]) else {
            fail("--site must be NAME,LAT,LON or NAME,LAT,LON,HEIGHT, not '\(text)'")
        }
        return (parts[0], lat, lon, parts.count == 4 ? [Double(parts[3]) ?? .nan] : heights)
    }
}
let arrivals = stride(from: every, through: hours, by: every).map { eruption + Int64($0 * 3600) }

/// Distance from the volcano, km.
func kmFromVolcano(_ e: TrajectoryEndpoint) -> Double {
    Geodesy.distance(latitude1: e.latitude, longitude1: e.longitude, latitude2: volcano.latitude, longitude2: volcano.longitude) / 1000
}
func place(_ e: TrajectoryEndpoint) -> String {
    String(format: "%.2f°N %.2f°W %.0f m", e.latitude, -e.longitude, e.heightAGL)
}

do {
    // MARK: Met
    let met = try MetSource.open([options["met"] ?? ""])
    let times = met.field.times
    print("met: \(met.paths.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")), \(met.format.rawValue), "
          + "\(times.first?.iso8601 ?? "?") to \(times.last?.iso8601 ?? "?") (\(times.count) times)")

    // MARK: Forward from the volcano
    let forwardStarts = heights.map {
        TrajectoryStart(site: "volcano", latitude: volcano.latitude, longitude: volcano.longitude, height: $0, time: eruption)
    }
    let forward = try await TrajectoryRunner(met: met, starts: forwardStarts, options: TrajectoryOptions(hours: hours)).run()
    print("forward from \(volcano.name) (16.72°N 62.18°W) at \(eruption.iso8601), \(hours) h:")
    for t in forward.trajectories {
        let every = t.endpoints.filter { Int($0.ageHours) % 6 == 0 && $0.ageHours > 0 }
        print("  \(Int(t.start.height)) m: " + every.map { "+\(Int($0.ageHours)) h \(place($0))" }.joined(separator: " | ")
              + " (\(t.termination.reason.rawValue))")
    }

    // MARK: Back from the islands, to the eruption
    print("back from the islands to the eruption; a path within \(withinKm) km of the volcano counts as from it:")
    var fromVolcano = 0, arrivalCount = 0
    for arrival in arrivals {
        let starts = islands.flatMap { island in
            island.heights.map { TrajectoryStart(site: island.name, latitude: island.latitude, longitude: island.longitude, height: $0, time: arrival) }
        }
        var backOptions = TrajectoryOptions(hours: -Int((arrival - eruption) / 3600))
        backOptions.skipInvalidStarts = true
        let back = try await TrajectoryRunner(met: met, starts: starts, options: backOptions).run()
        for t in back.trajectories {
            // The closest endpoint at least an hour before arrival (the island itself may be near the volcano).
            guard let closest = t.endpoints.filter({ $0.ageHours <= -1 }).min(by: { kmFromVolcano($0) < kmFromVolcano($1) }) else { continue }
            let km = kmFromVolcano(closest), traces = km <= withinKm
            arrivalCount += 1
            if traces { fromVolcano += 1 }
            let label = "\(arrival.iso8601) " + t.start.site.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%5.0f m", t.start.height)
            print("  \(label): closest \(String(format: "%.1f", km)) km at \(String(format: "%.0f", closest.ageHours)) h (\(place(closest))): "
                  + (traces ? "traces back to the volcano" : "not from the volcano"))
        }
        for s in back.summary.skipped { print("  skipped: \(s)") }
    }
    print("summary: \(fromVolcano) of \(arrivalCount) arrivals trace back to within \(withinKm) km of the volcano")
} catch {
    fail("\(error)")
}
