// Fire matching (issue 11, Performance): 50,000 FIRMS points against 2,000,054 endpoints over the
// North China Plain, generated in memory, deterministic.
// Trajectories: 27,398 back trajectories of 72 h (73 hourly endpoints, age 0 … −72) from 24 sites
// on a 6 × 4 grid over 33–38.5° N, 112–119° E, at 100/500/1000 m, arriving at hours spread over
// one week (2024-06-05 … 06-12); each a random walk of ~25 km/h with its own drift, heights
// wandering 20–2500 m AGL, a diurnal mixing depth (300 m at night to 1800 m by day; every fifth
// trajectory without one, so the 1500 m fallback is used).
// Fires: 50,000 points over 32–40° N, 110–120° E and the same week, FRP 0.5–500 MW (log-normal
// around 5 MW), 70 % VIIRS (l/n/h) and 30 % MODIS (percent). Default settings: 25 km, −12/+3 h.
import Benchmark
import Foundation
import Upwind

struct FireScene {
    var trajectories: [Trajectory] = []
    var polluted: [Bool] = []
    var events: [Int?] = []
    var eventCount = 0
    var fires: [FirePoint] = []

    init() {
        var state: UInt64 = 0x5DEE_CE66_D1CE_4E5B
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        func normal() -> Double { // Box–Muller
            let u = max(next(), 1e-300), v = next()
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
        let weekStart = UTCTime(year: 2024, month: 6, day: 5)
        let week = 7 * 24 * 3600.0
        trajectories.reserveCapacity(27_398)
        for id in 1...27_398 {
            let site = (id - 1) % 24
            let height = [100.0, 500, 1000][(id - 1) / 24 % 3]
            let arrival = weekStart + Int64(Int(next() * 168) * 3600)
            var lat = 33 + Double(site % 6) * 1.1, lon = 112 + Double(site / 6) * 2.3
            let (dlat, dlon) = (0.25 * (next() - 0.5), 0.3 * (next() - 0.3))
            var h = height
            let hasMixing = id % 5 != 0
            var endpoints: [TrajectoryEndpoint] = []
            endpoints.reserveCapacity(73)
            for k in 0...72 {
                let time = arrival + Int64(-k * 3600)
                let localHour = Double((time.hour + 8) % 24)
                let mixing = 300 + 1500 * max(0, sin((localHour - 6) / 12 * Double.pi))
                endpoints.append(TrajectoryEndpoint(time: time, ageHours: -Double(k), latitude: lat, longitude: lon, heightAGL: h,
                                                    pressureHPa: 950, diagnostics: EndpointDiagnostics(mixingDepthM: hasMixing ? mixing : nil)))
                lat += dlat + 0.08 * (next() - 0.5)
                lon -= dlon + 0.08 * (next() - 0.5)
                h = min(2500, max(20, h + 120 * (next() - 0.5)))
            }
            let start = TrajectoryStart(site: "S\(site)", latitude: endpoints[0].latitude, longitude: endpoints[0].longitude,
                                        height: height, time: arrival)
            trajectories.append(Trajectory(id: id, start: start, isBackward: true, verticalMode: .data, endpoints: endpoints,
                                           termination: Termination(reason: .completed, time: arrival + Int64(-72 * 3600))))
            let isPolluted = next() < 0.25
            polluted.append(isPolluted)
            events.append(isPolluted ? Int(next() * 40) : nil)
        }
        eventCount = 40
        let classes: [FireConfidence] = [.low, .nominal, .nominal, .nominal, .high]
        fires.reserveCapacity(50_000)
        for i in 1...50_000 {
            let confidence = next() < 0.7 ? classes[Int(next() * 5)] : .percent(Int(next() * 101))
            fires.append(FirePoint(id: "\(i)", latitude: 32 + 8 * next(), longitude: 110 + 10 * next(),
                                   time: weekStart + Int64(next() * week), frpMW: min(500, max(0.5, 5 * exp(1.2 * normal()))),
                                   confidence: confidence))
        }
    }

    var endpointCount: Int { trajectories.reduce(0) { $0 + $1.endpoints.count } }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(30), maxIterations: 10)
    let scene = FireScene()
    guard let matcher = try? FireMatcher(fires: scene.fires) else { return }
    let n = scene.endpointCount

    Benchmark("index 50,000 fires") { b in
        for _ in b.scaledIterations {
            blackHole(try? FireMatcher(fires: scene.fires))
        }
    }

    for cores in [1, 2] {
        Benchmark("match 50,000 fires × \(n) endpoints (index built once), \(cores) core\(cores == 1 ? "" : "s")") { b in
            for _ in b.scaledIterations {
                let r = await matcher.match(trajectories: scene.trajectories, polluted: scene.polluted,
                                            eventOfTrajectory: scene.events, eventCount: scene.eventCount, maxConcurrency: cores)
                blackHole(r)
            }
        }
    }

    // The fires as a FIRMS VIIRS-style CSV (50,000 rows), read back.
    let csvPath = FileManager.default.temporaryDirectory.appendingPathComponent("upwind-bench-firms-\(ProcessInfo.processInfo.processIdentifier).csv").path
    var csv = "latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight\n"
    for f in scene.fires {
        let c = f.time.components
        let date = String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
        csv += String(format: "%.5f,%.5f,330.5,0.39,0.36,", f.latitude, f.longitude) + date
            + ",\(c.hour * 100 + c.minute),N,VIIRS,\(f.confidence),2.0NRT,290.1," + String(format: "%.2f", f.frpMW) + ",D\n"
    }
    if (try? csv.write(toFile: csvPath, atomically: true, encoding: .utf8)) != nil {
        Benchmark("read a FIRMS CSV of 50,000 fires") { b in
            for _ in b.scaledIterations {
                blackHole(try? FIRMSCSVReader.read(path: csvPath))
            }
        }
    }

    Benchmark("index and match 50,000 fires × \(n) endpoints, 2 cores") { b in
        for _ in b.scaledIterations {
            guard let m = try? FireMatcher(fires: scene.fires) else { return }
            blackHole(await m.match(trajectories: scene.trajectories, polluted: scene.polluted,
                                    eventOfTrajectory: scene.events, eventCount: scene.eventCount))
        }
    }
}
