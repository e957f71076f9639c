import Foundation
import Testing
import UpwindAttribution
import UpwindCore

/// Degrees of latitude per km along a meridian on the 6371 km sphere: 180/(π·6371).
private let degreesPerKm = 180 / (Double.pi * 6371)
private let t0 = UTCTime(year: 2024, month: 6, day: 10, hour: 6)

/// `t` moved `seconds` earlier.
private func - (t: UTCTime, seconds: Int64) -> UTCTime { UTCTime(secondsSince1970: t.secondsSince1970 - seconds) }

/// One endpoint of a test trajectory: position (degrees), age (h, time = arrival + age), height
/// (m AGL) and mixing depth (m, nil for none).
private struct Point {
    var lat: Double
    var lon: Double
    var age: Double = -1
    var height: Double = 100
    var mixing: Double? = nil
}

/// A backward trajectory arriving at `arrival` through `points`.
private func trajectory(_ id: Int, _ points: [Point], arrival: UTCTime = t0) -> Trajectory {
    let endpoints = points.map { p in
        TrajectoryEndpoint(time: arrival + Int64(p.age * 3600), ageHours: p.age, latitude: p.lat, longitude: p.lon,
                           heightAGL: p.height, pressureHPa: 950, diagnostics: EndpointDiagnostics(mixingDepthM: p.mixing))
    }
    let start = TrajectoryStart(site: "S", latitude: points[0].lat, longitude: points[0].lon, height: 100, time: arrival)
    return Trajectory(id: id, start: start, isBackward: true, verticalMode: .data, endpoints: endpoints,
                      termination: Termination(reason: .completed, time: endpoints.last?.time ?? arrival))
}

private func fire(_ id: String, _ lat: Double, _ lon: Double, time: UTCTime, frp: Double, _ confidence: FireConfidence = .high) -> FirePoint {
    FirePoint(id: id, latitude: lat, longitude: lon, time: time, frpMW: frp, confidence: confidence)
}

/// Matches with every trajectory clean and without events.
private func match(_ fires: [FirePoint], _ trajectories: [Trajectory], _ settings: FireMatchSettings = FireMatchSettings()) async throws -> FireMatchResult {
    let matcher = try FireMatcher(fires: fires, settings: settings)
    return await matcher.match(trajectories: trajectories, polluted: trajectories.map { _ in false },
                               eventOfTrajectory: trajectories.map { _ in nil }, eventCount: 0)
}

/// The (trajectory, fire) pairs of a result.
private func pairs(_ r: FireMatchResult) -> [[Int]] { r.contributions.map { [$0.trajectory, $0.fire] } }

private func close(_ a: Double, _ b: Double, relative: Double = 1e-9) -> Bool {
    abs(a - b) <= relative * max(abs(a), abs(b), 1e-300)
}

/// The textbook haversine distance, km, on the 6371 km sphere.
private func haversine(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
    let r = Double.pi / 180
    let h = pow(sin((lat2 - lat1) * r / 2), 2) + cos(lat1 * r) * cos(lat2 * r) * pow(sin((lon2 - lon1) * r / 2), 2)
    return 2 * 6371 * asin(min(1, h.squareRoot()))
}

@Suite("Fire matching")
struct FireMatcherTests {
    @Test("distance: the haversine formula within 1e-9 relative, from 1 m to 10,000 km, across the dateline and over a pole")
    func distance() {
        let cases: [(Double, Double, Double, Double)] = [
            (35, 114, 35.000009, 114), (35, 114, 35.2, 114.3), (60, 179.9, 60, -179.9), (0, -179.95, 0, 179.95),
            (89.9, 0, 89.9, 180), (90, 0, 89.8, 77), (-33.9, 18.4, 40.7, -74.0), (10, 20, 10, 20),
        ]
        for (a, b, c, d) in cases {
            let ours = FireMatcher.distanceKm(latitude1: a, longitude1: b, latitude2: c, longitude2: d)
            let textbook = haversine(a, b, c, d)
            #expect(abs(ours - textbook) <= 1e-9 * max(textbook, 1e-3), "\(a),\(b) → \(c),\(d): \(ours) vs \(textbook)")
            #expect(abs(ours - Geodesy.distance(latitude1: a, longitude1: b, latitude2: c, longitude2: d) / 1000) <= 1e-9 * max(ours, 1e-3))
        }
        // Hand values: 0.2° of longitude at 60° N across the dateline = 11.1195 km; 0.2° over the pole 22.2390 km.
        #expect(abs(FireMatcher.distanceKm(latitude1: 60, longitude1: 179.9, latitude2: 60, longitude2: -179.9) - 11.119488430) < 1e-8)
        #expect(abs(FireMatcher.distanceKm(latitude1: 89.9, longitude1: 0, latitude2: 89.9, longitude2: 180) - 22.238985329) < 1e-8)
    }

    @Test("radius: 24.99 km matches, 25.01 km does not (also across the dateline); the kernel at 24.99 km gives 0.8·10·exp(−24.99²/1250) = 4.8541862")
    func radius() async throws {
        let e = trajectory(1, [Point(lat: 35, lon: 114)])
        let inside = fire("in", 35 + 24.99 * degreesPerKm, 114, time: t0 - 3600, frp: 10, .percent(80))
        let outside = fire("out", 35 - 25.01 * degreesPerKm, 114, time: t0 - 3600, frp: 10, .percent(80))
        let r = try await match([outside, inside], [e])
        #expect(pairs(r) == [[0, 1]])
        #expect(r.contributions[0].endpoints == 1)
        #expect(close(r.contributions[0].score, 4.854186175708623))
        #expect(close(r.perTrajectory[0], 4.854186175708623))
        // Just inside and outside by 1 m.
        let edge = [fire("a", 35 + 24.999 * degreesPerKm, 114, time: t0 - 3600, frp: 1),
                    fire("b", 35 - 25.001 * degreesPerKm, 114, time: t0 - 3600, frp: 1)]
        #expect(pairs(try await match(edge, [e])) == [[0, 0]])
        // A 10 km radius drops the 24.99 km fire.
        #expect(try await match([outside, inside], [e], FireMatchSettings(radiusKm: 10)).contributions.isEmpty)
        // On the equator across the dateline: 179.95 and −179.95 are 11.12 km apart; 179.7 is 33.2 km from 179.999.
        let east = trajectory(2, [Point(lat: 0, lon: -179.95), Point(lat: 0, lon: 179.999, age: -2)])
        let fires = [fire("w", 0, 179.95, time: t0 - 3600, frp: 1), fire("far", 0, 179.7, time: t0 - 7200, frp: 1)]
        let across = try await match(fires, [east])
        #expect(pairs(across) == [[0, 0]])
        #expect(across.contributions[0].endpoints == 2) // 179.999 is 5.45 km from 179.95 (its hour is within the window too)
        let d1 = haversine(0, -179.95, 0, 179.95), d2 = haversine(0, 179.999, 0, 179.95)
        #expect(close(across.perTrajectory[0], exp(-d1 * d1 / 1250) + exp(-d2 * d2 / 1250)))
    }

    @Test("time window: fires 12 h before and 3 h after the endpoint match, a second beyond either does not")
    func timeWindow() async throws {
        let tk = t0 - 3600  // the endpoint of age −1 h
        let fires = [fire("-12h", 35, 114, time: tk - 12 * 3600, frp: 1), fire("-12h-1s", 35, 114, time: tk - 12 * 3600 - 1, frp: 2),
                     fire("+3h", 35, 114, time: tk + 3 * 3600, frp: 4), fire("+3h+1s", 35, 114, time: tk + 3 * 3600 + 1, frp: 8),
                     fire("0", 35, 114, time: tk, frp: 16)]
        let r = try await match(fires, [trajectory(1, [Point(lat: 35, lon: 114)])])
        #expect(pairs(r) == [[0, 0], [0, 2], [0, 4]])
        #expect(r.perTrajectory == [21])  // 1 + 4 + 16, d = 0, w = 1
        // A narrower window: 1 h before, 0 after.
        let narrow = try await match(fires, [trajectory(1, [Point(lat: 35, lon: 114)])], FireMatchSettings(hoursBefore: 1, hoursAfter: 0))
        #expect(pairs(narrow) == [[0, 4]])
    }

    @Test("height: below the mixing depth when it is given, else below 1500 m (both inclusive); age 0 only when asked")
    func height() async throws {
        // One fire per endpoint, each 1° apart so each endpoint can only match its own.
        let cases: [(height: Double, mixing: Double?, matches: Bool)] = [
            (1400, nil, true), (1500, nil, true), (1600, nil, false), (800, 700, false), (800, 900, true),
            (2000, 2500, true), (900, 900, true), (100, Double.nan, true), (1600, Double.nan, false), (Double.nan, nil, false),
        ]
        let points = cases.enumerated().map { k, c in Point(lat: 30 + Double(k), lon: 114, age: -Double(k + 1), height: c.height, mixing: c.mixing) }
        let fires = cases.indices.map { k in fire("f\(k)", 30 + Double(k), 114, time: t0 - Int64(k + 1) * 3600, frp: 1) }
        let r = try await match(fires, [trajectory(1, points)])
        #expect(r.contributions.map(\.fire) == cases.indices.filter { cases[$0].matches })
        // A 1000 m fallback: 1400 m and 1500 m without a mixing depth no longer match.
        let low = try await match(fires, [trajectory(1, points)], FireMatchSettings(fallbackMaxHeightM: 1000))
        #expect(low.contributions.map(\.fire) == [4, 5, 6, 7])
        // Age 0: the receptor endpoint.
        let receptor = trajectory(2, [Point(lat: 35, lon: 114, age: 0)])
        let here = [fire("r", 35, 114, time: t0, frp: 3)]
        #expect(try await match(here, [receptor]).contributions.isEmpty)
        #expect(try await match(here, [receptor], FireMatchSettings(includeAgeZero: true)).perTrajectory == [3])
    }

    @Test("confidence weights and the kernel: MODIS 85 % at 10 km, VIIRS n at 0, l at 20 km, h at 15 km")
    func weights() async throws {
        #expect(FireConfidence.percent(85).weight == 0.85)
        #expect(FireConfidence.percent(0).weight == 0)
        #expect(FireConfidence.low.weight == 0.3 && FireConfidence.nominal.weight == 0.8 && FireConfidence.high.weight == 1)
        #expect(FireConfidence.percent(120).isValid == false && FireConfidence.low.isValid)
        #expect(["\(FireConfidence.percent(85))", "\(FireConfidence.low)", "\(FireConfidence.nominal)", "\(FireConfidence.high)"] == ["85", "l", "n", "h"])
        let tf = t0 - 3 * 3600
        let fires = [fire("modis", 40 + 10 * degreesPerKm, 114, time: tf, frp: 20, .percent(85)),
                     fire("n", 40, 114, time: tf, frp: 5, .nominal),
                     fire("l", 40 - 20 * degreesPerKm, 114, time: tf, frp: 10, .low),
                     fire("h", 40 + 15 * degreesPerKm, 114, time: tf, frp: 3, .high)]
        let r = try await match(fires, [trajectory(1, [Point(lat: 40, lon: 114)])])
        // 0.85·20·e^−0.08, 0.8·5, 0.3·10·e^−0.32, 1·3·e^−0.18 (d²/2r² with r = 25 km).
        let expected = [15.692977888572807, 4.0, 2.1784471112210726, 2.505810634233816]
        #expect(r.contributions.count == 4)
        for (c, want) in zip(r.contributions, expected) { #expect(close(c.score, want), "fire \(c.fire): \(c.score) vs \(want)") }
        #expect(close(r.perTrajectory[0], expected.reduce(0, +)))
        #expect(close(FireMatcher.kernel(distanceKm: 10, radiusKm: 25), exp(-0.08)))
    }

    @Test("sums per trajectory, fire and event: polluted-only fire scores, distinct trajectories and events")
    func sums() async throws {
        // Fires at d = 0 with w = 1 (VIIRS h), so every score is a sum of FRPs.
        let fires = [fire("F0", 35, 114, time: t0 - 3600, frp: 10), fire("F1", 36, 114, time: t0 - 3600, frp: 3),
                     fire("F2", 37, 114, time: t0 - 3600, frp: 7), fire("F3", 20, 100, time: t0, frp: 50)]
        let trajectories = [
            trajectory(1, [Point(lat: 35, lon: 114, age: -1), Point(lat: 35, lon: 114, age: -2), Point(lat: 36, lon: 114, age: -3)]),
            trajectory(2, [Point(lat: 35, lon: 114, age: -1)]),
            trajectory(3, [Point(lat: 35, lon: 114, age: -1), Point(lat: 37, lon: 114, age: -2)]),
            trajectory(4, [Point(lat: 35, lon: 114, age: -1)]),
            trajectory(5, [Point(lat: 50, lon: 10, age: -1)]),
        ]
        let polluted = [true, true, false, true, true]
        let events: [Int?] = [0, 1, nil, 0, 1]
        let matcher = try FireMatcher(fires: fires)
        let r = await matcher.match(trajectories: trajectories, polluted: polluted, eventOfTrajectory: events, eventCount: 3)
        #expect(r.contributions == [
            FireContribution(trajectory: 0, fire: 0, score: 20, endpoints: 2), FireContribution(trajectory: 0, fire: 1, score: 3, endpoints: 1),
            FireContribution(trajectory: 1, fire: 0, score: 10, endpoints: 1),
            FireContribution(trajectory: 2, fire: 0, score: 10, endpoints: 1), FireContribution(trajectory: 2, fire: 2, score: 7, endpoints: 1),
            FireContribution(trajectory: 3, fire: 0, score: 10, endpoints: 1),
        ])
        #expect(r.perTrajectory == [23, 10, 17, 10, 0])
        #expect(r.perFire == [
            FireSummary(matchedTrajectories: 4, matchedPollutedTrajectories: 3, matchedEvents: 2, score: 40),  // 20 + 10 + 10; trajectory 3 is clean
            FireSummary(matchedTrajectories: 1, matchedPollutedTrajectories: 1, matchedEvents: 1, score: 3),
            FireSummary(matchedTrajectories: 1, matchedPollutedTrajectories: 0, matchedEvents: 0, score: 0),   // only clean air passed it
            FireSummary(),
        ])
        #expect(r.perEvent == [33, 10, 0])  // event 0: 23 + 10; event 1: 10 + 0; event 2 has no trajectories
        #expect(r.matchedFireCount == 3 && r.matchedTrajectoryCount == 4)
        // Serial gives the same result.
        #expect(await matcher.match(trajectories: trajectories, polluted: polluted, eventOfTrajectory: events, eventCount: 3,
                                    maxConcurrency: 1) == r)
    }

    @Test("near the dateline and the poles: every bin that can hold a fire within r is examined")
    func datelineAndPoles() async throws {
        let trajectories = [
            trajectory(1, [Point(lat: 60, lon: 179.9)]),
            trajectory(2, [Point(lat: 50, lon: -179.9)]),
            trajectory(3, [Point(lat: 89.9, lon: 0)]),
            trajectory(4, [Point(lat: 90, lon: 0)]),
            trajectory(5, [Point(lat: -89.95, lon: 45)]),
        ]
        let tf = t0 - 3600
        let fires = [fire("east", 60, -179.8, time: tf, frp: 1),    // 16.68 km from trajectory 1
                     fire("west", 50, 179.85, time: tf, frp: 1),    // 17.87 km from trajectory 2
                     fire("pole", 89.9, 180, time: tf, frp: 1),     // 22.24 km from trajectory 3 over the pole, 11.12 from 4
                     fire("pole2", 89.85, -90, time: tf, frp: 1),   // 16.68 km from 4, 20.05 km from 3
                     fire("south", -89.95, -135, time: tf, frp: 1), // 11.12 km from trajectory 5, across the South Pole
                     fire("far", 50, 179.5, time: tf, frp: 1)]      // 42.9 km from trajectory 2: no
        let r = try await match(fires, trajectories)
        #expect(pairs(r) == [[0, 0], [1, 1], [2, 2], [2, 3], [3, 2], [3, 3], [4, 4]])
        let d = haversine(89.9, 0, 89.9, 180)
        #expect(close(r.contributions[2].score, exp(-d * d / 1250)))
    }

    @Test("brute force: every pair and score equal to checking every fire against every endpoint", arguments: [
        FireMatchSettings(), FireMatchSettings(radiusKm: 60, hoursBefore: 6, hoursAfter: 6, fallbackMaxHeightM: 1000, includeAgeZero: true),
    ])
    func bruteForce(settings: FireMatchSettings) async throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        // Two areas: the North China Plain, and the dateline up to the North Pole.
        func position(_ area: Int) -> (Double, Double) {
            area == 0 ? (34 + 2 * next(), 113 + 3 * next()) : (86 + 4 * next(), next() < 0.5 ? 178 + 2 * next() : -180 + 2 * next())
        }
        let confidences: [FireConfidence] = [.low, .nominal, .high, .percent(0), .percent(55), .percent(100)]
        let fires = (0..<300).map { i -> FirePoint in
            let (lat, lon) = position(i % 3 == 0 ? 1 : 0)
            return FirePoint(id: "\(i)", latitude: lat, longitude: lon, time: t0 - Int64(next() * 72 * 3600), frpMW: 50 * next(),
                             confidence: confidences[Int(next() * 6)])
        }
        let trajectories = (0..<200).map { l -> Trajectory in
            let area = l % 4 == 0 ? 1 : 0
            let arrival = t0 - Int64(next() * 48) * 3600
            let points = (0..<20).map { k -> Point in
                let (lat, lon) = position(area)
                let mixing: Double? = [nil, 800 + 1000 * next(), Double.nan][Int(next() * 3)]
                return Point(lat: lat, lon: lon, age: -Double(k), height: 2500 * next(), mixing: mixing)
            }
            return trajectory(l + 1, points, arrival: arrival)
        }
        let polluted = trajectories.indices.map { _ in next() < 0.4 }
        let events: [Int?] = polluted.map { $0 ? Int(next() * 7) : nil }
        let matcher = try FireMatcher(fires: fires, settings: settings)
        let r = await matcher.match(trajectories: trajectories, polluted: polluted, eventOfTrajectory: events, eventCount: 7)

        // Brute force, written from the rule.
        let r2 = settings.radiusKm * settings.radiusKm
        var expected: [FireContribution] = []
        var perTrajectory = [Double](repeating: 0, count: trajectories.count)
        for (l, t) in trajectories.enumerated() {
            var score = [Double](repeating: 0, count: fires.count), count = [Int](repeating: 0, count: fires.count)
            for e in t.endpoints where settings.includeAgeZero || e.ageHours != 0 {
                let limit = e.diagnostics.mixingDepthM.flatMap { $0.isFinite ? $0 : nil } ?? settings.fallbackMaxHeightM
                guard e.heightAGL <= limit else { continue }
                for (f, fire) in fires.enumerated() {
                    let dt = Double(fire.time - e.time)
                    guard dt >= -settings.hoursBefore * 3600, dt <= settings.hoursAfter * 3600 else { continue }
                    let d = FireMatcher.distanceKm(latitude1: fire.latitude, longitude1: fire.longitude, latitude2: e.latitude, longitude2: e.longitude)
                    guard d <= settings.radiusKm else { continue }
                    score[f] += fire.confidence.weight * fire.frpMW * exp(-d * d / (2 * r2))
                    count[f] += 1
                }
            }
            for f in fires.indices where count[f] > 0 {
                expected.append(FireContribution(trajectory: l, fire: f, score: score[f], endpoints: count[f]))
                perTrajectory[l] += score[f]
            }
        }
        #expect(expected.count > 200, "the case should have many matches: \(expected.count)")
        let got = r.contributions.map { [$0.trajectory, $0.fire, $0.endpoints] }, want = expected.map { [$0.trajectory, $0.fire, $0.endpoints] }
        let firstDifference = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(got.count == want.count && firstDifference == nil,
                "\(got.count) vs \(want.count) pairs; first difference \(firstDifference.map { "at \($0): \(got[$0]) vs \(want[$0])" } ?? "none")")
        #expect(zip(r.contributions, expected).allSatisfy { close($0.score, $1.score) })
        #expect(zip(r.perTrajectory, perTrajectory).allSatisfy { close($0, $1) })
        for f in fires.indices {
            let mine = expected.filter { $0.fire == f }
            let score = mine.filter { polluted[$0.trajectory] }.reduce(0) { $0 + $1.score }
            let eventSet = Set(mine.compactMap { events[$0.trajectory] })
            #expect(r.perFire[f].matchedTrajectories == mine.count)
            #expect(r.perFire[f].matchedPollutedTrajectories == mine.filter { polluted[$0.trajectory] }.count)
            #expect(r.perFire[f].matchedEvents == eventSet.count)
            #expect(close(r.perFire[f].score, score) || (score == 0 && r.perFire[f].score == 0))
        }
        for e in 0..<7 {
            let want = trajectories.indices.filter { events[$0] == e }.reduce(0) { $0 + perTrajectory[$1] }
            #expect(close(r.perEvent[e], want) || (want == 0 && r.perEvent[e] == 0))
        }
        // Serial equals parallel bit for bit.
        #expect(await matcher.match(trajectories: trajectories, polluted: polluted, eventOfTrajectory: events, eventCount: 7,
                                    maxConcurrency: 1) == r)
    }

    @Test("no fires, no trajectories")
    func empty() async throws {
        let t = [trajectory(1, [Point(lat: 35, lon: 114)])]
        let none = try await match([], t)
        #expect(none.contributions.isEmpty && none.perTrajectory == [0] && none.perFire.isEmpty)
        let noTrajectories = try await match([fire("a", 35, 114, time: t0, frp: 1)], [])
        #expect(noTrajectories.perFire == [FireSummary()] && noTrajectories.perTrajectory.isEmpty)
    }

    @Test("bad settings and fires are refused with the setting or fire named")
    func badInput() {
        let good = [fire("a", 35, 114, time: t0, frp: 1)]
        let bad: [(FireMatchSettings, String)] = [
            (FireMatchSettings(radiusKm: 0), "invalid fire-matching setting radiusKm = 0.0: kilometres, > 0 and ≤ 1000"),
            (FireMatchSettings(radiusKm: .nan), "invalid fire-matching setting radiusKm = nan: kilometres, > 0 and ≤ 1000"),
            (FireMatchSettings(radiusKm: 5000), "invalid fire-matching setting radiusKm = 5000.0: kilometres, > 0 and ≤ 1000"),
            (FireMatchSettings(hoursBefore: -1), "invalid fire-matching setting hoursBefore = -1.0: hours, ≥ 0 and ≤ 10000"),
            (FireMatchSettings(hoursAfter: .infinity), "invalid fire-matching setting hoursAfter = inf: hours, ≥ 0 and ≤ 10000"),
            (FireMatchSettings(fallbackMaxHeightM: -5), "invalid fire-matching setting fallbackMaxHeightM = -5.0: metres AGL, finite and ≥ 0"),
        ]
        for (settings, message) in bad {
            do {
                _ = try FireMatcher(fires: good, settings: settings)
                Issue.record("\(settings) was accepted")
            } catch {
                #expect(error.description == message)
            }
        }
        let fires: [(FirePoint, String)] = [
            (fire("x", 95, 114, time: t0, frp: 1), "position 95.0, 114.0 is not a latitude within ±90° and a finite longitude"),
            (fire("y", 35, .nan, time: t0, frp: 1), "position 35.0, nan is not a latitude within ±90° and a finite longitude"),
            (fire("z", 35, 114, time: t0, frp: -1), "fire radiative power -1.0 MW is not a finite number ≥ 0"),
            (fire("w", 35, 114, time: t0, frp: 1, .percent(120)), "confidence 120 % is outside 0–100"),
            (fire("v", 35, 114, time: UTCTime(year: 2100, month: 1, day: 1), frp: 1), "its time 2100-01-01T00:00:00Z is more than 68 years from another fire's"),
        ]
        for (f, reason) in fires {
            do {
                _ = try FireMatcher(fires: good + [f])
                Issue.record("fire \(f.id) was accepted")
            } catch {
                #expect(error == .invalidFire(index: 1, id: f.id, reason: reason))
                #expect(error.description == "fire \(f.id) (number 2 in the list): \(reason); correct or remove it")
            }
        }
    }
}
