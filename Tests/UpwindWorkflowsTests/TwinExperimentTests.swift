import Foundation
import Testing
import Upwind
import UpwindTestSupport

/// An independent point-in-polygon over `Fixtures/regions/henan-counties.geojson` (even-odd ray
/// casting over every ring), written here so the twin's own placement is not checked by itself.
struct FixtureCounties {
    struct County {
        var adcode: String
        var name: String
        var rings: [[(lon: Double, lat: Double)]]

        func contains(latitude: Double, longitude: Double) -> Bool {
            var inside = false
            for ring in rings {
                for i in ring.indices {
                    let a = ring[i], b = ring[(i + ring.count - 1) % ring.count]
                    if (a.lat > latitude) != (b.lat > latitude), longitude < a.lon + (latitude - a.lat) / (b.lat - a.lat) * (b.lon - a.lon) {
                        inside.toggle()
                    }
                }
            }
            return inside
        }
    }

    let counties: [County]

    init() throws {
        let data = try Data(contentsOf: Fixtures.url("regions/henan-counties.geojson"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let features = try #require(root["features"] as? [[String: Any]])
        counties = try features.map { f in
            let properties = try #require(f["properties"] as? [String: Any])
            let geometry = try #require(f["geometry"] as? [String: Any])
            let coordinates = try #require(geometry["coordinates"] as? [Any])
            let polygons = geometry["type"] as? String == "MultiPolygon" ? coordinates : [coordinates]
            let rings = polygons.flatMap { ($0 as? [[[Double]]]) ?? [] }.map { $0.map { (lon: $0[0], lat: $0[1]) } }
            return County(adcode: try #require(properties["adcode"] as? String), name: properties["name"] as? String ?? "", rings: rings)
        }
    }

    /// The adcodes of every county containing the point.
    func containing(latitude: Double, longitude: Double) -> [String] {
        counties.filter { $0.contains(latitude: latitude, longitude: longitude) }.map(\.adcode)
    }
}

/// One FIRMS row as the test reads it (plain split; the columns are checked by name).
struct FIRMSRow {
    var latitude: Double, longitude: Double, time: UTCTime, frp: Double, confidence: String

    static let columns = ["latitude", "longitude", "bright_ti4", "scan", "track", "acq_date", "acq_time", "satellite", "instrument",
                          "confidence", "version", "bright_ti5", "frp", "daynight"]

    /// Parses a VIIRS FIRMS CSV, checking the header and every field's form.
    static func read(_ path: String) throws -> [FIRMSRow] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: ",").map(String.init) == columns)
        return try lines.dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            try #require(f.count == columns.count, "row \(line)")
            let date = f[5], hhmm = f[6]
            #expect(hhmm.count == 4 && hhmm.allSatisfy(\.isNumber))
            #expect(["l", "n", "h"].contains(f[9]) && f[7] == "N" && f[8] == "VIIRS" && f[10] == "2.0NRT" && f[13] == "D")
            let ti4 = try #require(Double(f[2])), ti5 = try #require(Double(f[11])), scan = try #require(Double(f[3])), track = try #require(Double(f[4]))
            #expect(ti4 > 295 && ti4 <= 367 && ti5 > 270 && ti5 < ti4 && scan >= 0.32 && scan <= 0.8 && track >= 0.36 && track <= 0.8)
            let time = try #require(UTCTime(iso8601: "\(date)T\(hhmm.prefix(2)):\(hhmm.suffix(2)):00Z"))
            return FIRMSRow(latitude: try #require(Double(f[0])), longitude: try #require(Double(f[1])), time: time,
                            frp: try #require(Double(f[12])), confidence: f[9])
        }
    }
}

@Suite("Twin experiment: synthetic Henan burning week with a known source")
struct TwinExperimentTests {
    @Test("the files read back through the normal readers and the truth holds: planted fires in the planted county, decoys outburn it without reaching a station, the plume lifts stations far above background")
    func twin() async throws {
        let dir = try TemporaryDirectory(prefix: "upwind-twin")
        let experiment = TwinExperiment(seed: 1)
        let clock = ContinuousClock.now
        let m = try await experiment.write(to: dir.path)
        print("twin written in \(ContinuousClock.now - clock): \(m.summary)")

        // Files.
        #expect(try dir.contents().filter { !$0.hasPrefix(".") } == ["china-provinces.geojson", "firms.csv", "henan-counties.geojson", "henan-prefectures.geojson",
                                                                     "met", "observations.csv", "regions-SOURCES.md", "twin.json"])
        #expect(m.metPaths.count == 11 && m.files.count == 11 + 7 && m.files.last == "twin.json")
        for name in ["henan-counties.geojson", "henan-prefectures.geojson", "china-provinces.geojson"] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path(name))) == Data(contentsOf: Fixtures.url("regions/" + name)))
        }

        // Met: ERA5 legacy layout on disk (int16 packed, latitude descending) on the default
        // 22–46°N × 90–128°E grid at 0.5° (49 latitudes, 77 longitudes) …
        #expect(experiment.domain == BoundingBox(south: 22, north: 46, west: 90, east: 128) && experiment.resolution == 0.5)
        let (ny, nx) = (49, 77)
        let file = try NetCDFFile.open(m.metPaths[3])
        let lat: [Float] = try file.root.requiredVariable(named: "latitude").read()
        #expect(lat.count == ny && lat.first == 46 && lat.last == 22)
        let lon: [Float] = try file.root.requiredVariable(named: "longitude").read()
        #expect(lon.count == nx && lon.first == 90 && lon.last == 128)
        let u = try file.root.requiredVariable(named: "u")
        #expect(u.type == .short && u.shape == [24, 8, ny, nx])
        let scale = try #require(try u.attribute(named: "scale_factor")), offset = try #require(try u.attribute(named: "add_offset"))
        guard case .double(let s) = scale.value, case .double(let o) = offset.value, let packing = s.first, o.count == 1 else {
            Issue.record("u has no double scale_factor/add_offset"); return
        }
        try file.close()
        // … read back through MetSource, normalised (ascending latitude), values within half a packing step.
        let met = try MetSource.open(m.metPaths)
        #expect(met.format == .netcdf && met.field.times.count == 241)
        #expect(met.field.times.first == UTCTime(year: 2025, month: 10, day: 7) && met.field.times.last == UTCTime(year: 2025, month: 10, day: 17))
        let dataset = try #require((met.field as? MetWindField)?.dataset)
        #expect(dataset.grid.latitudes.first == 22 && dataset.grid.latitudes.last == 46)
        let field = try SyntheticMet.Field(model: .regional(.init(seed: 1)), domain: .init(south: 22, north: 46, west: 90, east: 128, resolution: 0.5),
                                           levels: experiment.levels, times: experiment.metTimes)
        let index = 3 * 24 + 5  // 2025-10-10T05Z, in the fourth daily file
        let truth = try #require(try field.values(at: index)["u"])
        let read = try #require(try dataset.slice(at: index, roles: [.u]).fields[.u]?.values)
        var worst = 0.0
        for k in 0..<8 {
            for y in 0..<ny {
                for x in 0..<nx {
                    // File row y is latitude 46 − y/2; the reader's row is 22 + y'/2.
                    worst = max(worst, abs(Double(truth[(k * ny + y) * nx + x]) - Double(read[(k * ny + (ny - 1 - y)) * nx + x])))
                }
            }
        }
        #expect(worst <= packing / 2 * 1.0001 + 1e-6 && packing < 0.01)

        // Observations: 18 sites × 168 hours of PM2.5.
        let obs = try ObservationCSVReader.read(path: m.observationsPath)
        #expect(obs.count == 18 * 168 && obs.sites.count == 18 && obs.missingCount == 0)
        #expect(obs.sites.map(\.name) == TwinExperiment.stations.map(\.id))
        #expect(obs.observations.allSatisfy { $0.pollutant == "PM2.5" && $0.unit == "µg/m3" && ($0.value ?? 0) > 0 })
        #expect(obs.times.first == UTCTime(year: 2025, month: 10, day: 10) && obs.times.last == UTCTime(year: 2025, month: 10, day: 16, hour: 23))
        let csvText = try String(contentsOfFile: m.observationsPath, encoding: .utf8)
        #expect(csvText.hasPrefix("site,latitude,longitude,time,value,pollutant,unit\nZhengzhou,34.7466,113.6254,2025-10-10T00:00:00Z,"))

        // The plume: above the demo's hotspot threshold (75 µg/m³, about twice the background) at
        // several stations during the episode, far above it at the most affected one, never on
        // day 0 (no fires yet). Seed 1 on the 22–46°N × 90–128°E met: plume peaks 202, 155, 94, 86
        // and 79 µg/m³ at Pingdingshan, Xuchang, Luohe, Zhoukou and Shangqiu.
        let affected = m.affectedStations(above: 75)
        #expect(affected.count >= 4, "\(affected.map { ($0.station.id, $0.plumePeak) })")
        #expect((affected.first?.plumePeak ?? 0) > 150)
        let peakSite = try #require(affected.first).station.id
        let series = obs.series(site: peakSite).compactMap(\.value)
        #expect((series.max() ?? 0) > 3 * experiment.backgroundPM25)
        #expect(series.prefix(24).allSatisfy { $0 < 2 * experiment.backgroundPM25 })

        // Fires: FIRMS columns; the planted ones in the planted county (and no other), the decoys in theirs.
        let counties = try FixtureCounties()
        let fires = try FIRMSRow.read(m.firesPath)
        #expect(fires.count == m.fireCount && fires.count == m.planted.fireCount + m.decoys.reduce(0) { $0 + $1.fireCount })
        var frpByCounty: [String: Double] = [:]
        var countByCounty: [String: Int] = [:]
        for f in fires {
            let inside = counties.containing(latitude: f.latitude, longitude: f.longitude)
            #expect(inside.count == 1, "fire at \(f.latitude), \(f.longitude) lies in \(inside)")
            frpByCounty[inside.first ?? "", default: 0] += f.frp
            countByCounty[inside.first ?? "", default: 0] += 1
        }
        #expect(countByCounty[m.planted.adcode] == m.planted.fireCount && m.planted.fireCount > 100)
        let plantedFRP = try #require(frpByCounty[m.planted.adcode])
        #expect(abs(plantedFRP - m.planted.totalFRPMW) < 0.01 * Double(m.planted.fireCount))
        #expect(m.decoys.count == 3)
        for d in m.decoys { #expect(countByCounty[d.adcode] == d.fireCount && d.adcode != m.planted.adcode) }
        #expect(Set(countByCounty.keys) == Set([m.planted.adcode] + m.decoys.map(\.adcode)))
        let biggestDecoy = m.decoys.map { frpByCounty[$0.adcode] ?? 0 }.max() ?? 0
        #expect(biggestDecoy > 1.5 * plantedFRP)
        // Fires burn in the afternoon overpass of burning days (05:05–06:15 UTC, 11–16 October).
        #expect(fires.allSatisfy { f in
            let c = f.time.components
            return (5 * 60 + 5...6 * 60 + 15).contains(c.hour * 60 + c.minute) && (11...16).contains(c.day)
        })

        // Decoys: the plume model's check kept them at least the clearance from every station …
        #expect(m.decoys.allSatisfy { $0.closestParticleKm >= m.decoyClearanceKm })
        // … and, independently, back trajectories from every station every 6 h at 100, 500 and 1000 m
        // (the library's engine, not the plume model) never pass within 25 km of a decoy fire from
        // 3 h before to 12 h after its detection, while they do pass over the planted fires.
        let starts = TwinExperiment.stations.flatMap { s in
            stride(from: 0, to: 168, by: 6).flatMap { h in
                [100.0, 500, 1000].map { TrajectoryStart(site: s.id, latitude: s.latitude, longitude: s.longitude, height: $0,
                                                          time: experiment.periodStart + Int64(h * 3600)) }
            }
        }
        let run = try await TrajectoryRunner(met: met, starts: starts, options: TrajectoryOptions(hours: -72)).run()
        #expect(run.trajectories.count == 18 * 28 * 3)
        let decoyCodes = Set(m.decoys.map(\.adcode))
        let decoyFires = fires.filter { decoyCodes.contains(counties.containing(latitude: $0.latitude, longitude: $0.longitude).first ?? "") }
        let plantedFires = fires.filter { counties.containing(latitude: $0.latitude, longitude: $0.longitude).first == m.planted.adcode }
        // An endpoint matches a fire within 25 km detected from 12 h before to 3 h after the endpoint's
        // time (issue 11 item 2, height ignored: stricter); fires grouped by detection day.
        func matches(_ list: [FIRMSRow]) -> Int {
            let byDay = Dictionary(grouping: list) { $0.time.secondsSince1970 / 86_400 }
            let boxes = byDay.mapValues { fires in
                (fires.map(\.latitude).min()! - 0.3, fires.map(\.latitude).max()! + 0.3, fires.map(\.longitude).min()! - 0.35, fires.map(\.longitude).max()! + 0.35)
            }
            var n = 0
            for t in run.trajectories {
                for e in t.endpoints {
                    let day = e.time.secondsSince1970 / 86_400
                    for d in [day - 1, day] {
                        guard let fires = byDay[d], let box = boxes[d], e.latitude >= box.0, e.latitude <= box.1, e.longitude >= box.2, e.longitude <= box.3 else { continue }
                        for f in fires where (f.time + -3 * 3600 ... f.time + 12 * 3600).contains(e.time)
                            && Geodesy.distance(latitude1: f.latitude, longitude1: f.longitude, latitude2: e.latitude, longitude2: e.longitude) < 25_000 {
                            n += 1
                        }
                    }
                }
            }
            return n
        }
        #expect(matches(decoyFires) == 0)
        #expect(matches(plantedFires) > 50)
    }

    @Test("negative control: without the planted source the stations see background and noise only, and the rest is unchanged")
    func negativeControl() async throws {
        let dir = try TemporaryDirectory(prefix: "upwind-twin-control")
        let m = try await TwinExperiment(seed: 1, plantSource: false).write(to: dir.path)
        #expect(!m.plantSource && m.planted.fireCount == 0 && m.planted.adcode == "410423")
        let obs = try ObservationCSVReader.read(path: m.observationsPath)
        let values = obs.observations.compactMap(\.value)
        #expect(values.count == 18 * 168)
        // Background 35 µg/m³ × (1 ± 0.25) × (1 ± 0.2·3) at most: below 2 × 35.
        #expect((values.max() ?? .infinity) < 70 && (values.min() ?? 0) > 35 * 0.75 * 0.4)
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(abs(mean - 35) < 1.5)
        #expect(m.stations.allSatisfy { $0.plumePeak == 0 && $0.hoursAbove75 == 0 })
        // Only the decoys burn.
        let fires = try FIRMSRow.read(m.firesPath)
        #expect(fires.count == m.decoys.reduce(0) { $0 + $1.fireCount } && m.decoys.count == 3)
        let json = try dir.read("twin.json")
        #expect(json.contains("\"plant_source\": false") && json.contains("\"adcode\": \"410423\""))
    }

    @Test("determinism: the same seed writes the same bytes in every file; another seed changes the weather")
    func determinism() async throws {
        var small = TwinExperiment(seed: 7)
        small.periodEnd = UTCTime(year: 2025, month: 10, day: 12)
        small.spinUpHours = 6
        small.burningDays = [1]
        small.decoyCount = 1
        let a = try TemporaryDirectory(prefix: "upwind-twin-a"), b = try TemporaryDirectory(prefix: "upwind-twin-b")
        let ma = try await small.write(to: a.path)
        let mb = try await small.write(to: b.path)
        #expect(ma.files == mb.files && ma.files.count == 4 + 7)
        for name in ma.files {
            let da = try Data(contentsOf: a.url.appendingPathComponent(name)), db = try Data(contentsOf: b.url.appendingPathComponent(name))
            #expect(da == db, "\(name) differs")
            #expect(!da.isEmpty)
        }
        var other = small
        other.seed = 8
        let c = try TemporaryDirectory(prefix: "upwind-twin-c")
        let mc = try await other.write(to: c.path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: mc.metPaths[0])) != Data(contentsOf: URL(fileURLWithPath: ma.metPaths[0])))
        #expect(try c.read("observations.csv") != a.read("observations.csv"))
    }

    @Test("bad settings are refused with the setting named")
    func badSettings() async throws {
        var e = TwinExperiment()
        e.periodEnd = e.periodStart
        #expect(throws: TwinExperimentError.self) { try e.validate() }
        e = TwinExperiment()
        e.burningDays = [9]
        do {
            try e.validate()
            Issue.record("burning day 9 of a 7-day period was accepted")
        } catch {
            #expect(error.description.contains("burningDays") && error.description.contains("0…6"))
        }
        e = TwinExperiment()
        e.plume.stepMinutes = 7
        #expect(throws: TwinExperimentError.self) { try e.validate() }
        let dir = try TemporaryDirectory(prefix: "upwind-twin-bad")
        try dir.write("blocker", "a file where the folder should be")
        await #expect(throws: TwinExperimentError.self) { try await TwinExperiment().write(to: dir.path("blocker")) }
    }
}
