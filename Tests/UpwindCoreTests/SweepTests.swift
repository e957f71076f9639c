import Foundation
import Synchronization
import Testing
import UpwindCore

/// Counts slice reads of a wrapped field.
final class CountingField: WindField {
    let inner: InMemoryWindField
    let reads = Mutex<[Int: Int]>([:])
    init(_ inner: InMemoryWindField) { self.inner = inner }
    var grid: any HorizontalGrid { inner.grid }
    var levels: VerticalLevels { inner.levels }
    var times: [UTCTime] { inner.times }
    var modelID: String? { nil }
    func slice(at index: Int) throws -> GridSlice {
        reads.withLock { $0[index, default: 0] += 1 }
        return try inner.slice(at: index)
    }
}

func waveField(hours: Int = 240, step: Int = 3) -> InMemoryWindField {
    let c = 8.0 / Earth.radius * 180 / Double.pi
    return Analytic.field(grid: regionalGrid(lat: 0...60, lon: 70...140, step: 1), levels: [1000, 850, 700, 500, 300],
                          hours: stride(from: 0, through: hours, by: step).map(Double.init),
                          wind: { lat, lon, p, t in
                              let phase = 3 * (lon - c * t) * Geodesy.radiansPerDegree
                              return (8 + 0.02 * (1000 - p) + 6 * Math.sin(phase), 5 * Math.cos(phase) * Math.cos(lat * Geodesy.radiansPerDegree), 0.05 * Math.sin(phase))
                          })
}

func sweepStarts(days: Int = 6) -> [TrajectoryStart] {
    var out: [TrajectoryStart] = []
    for d in 0..<(days * 4) {
        for (n, site) in [(30.0, 100.0), (35.0, 113.65), (40.0, 120.0)].enumerated() {
            for h in [100.0, 500.0, 1500.0] {
                out.append(TrajectoryStart(site: "R\(n)", latitude: site.0, longitude: site.1, height: h, time: Analytic.t0 + Int64(72 * 3600 + d * 6 * 3600 + 1800)))
            }
        }
    }
    return out
}

@Suite("Sweep: the population swept through time")
struct SweepTests {
    func collect(_ engine: TrajectoryEngine, _ starts: [TrajectoryStart], ensemble: Bool = false, threads: Int) async throws -> ([Trajectory], SweepSummary) {
        var out: [Trajectory] = []
        let summary = try await engine.sweep(starts, ensemble: ensemble, maxConcurrency: threads) { out.append($0) }
        return (out.sorted { $0.id < $1.id }, summary)
    }

    @Test("same bits for 1 and 2 threads, and the same as integrating one by one")
    func determinism() async throws {
        let engine = try TrajectoryEngine(field: waveField(), options: TrajectoryOptions(hours: -48))
        let starts = sweepStarts()
        let (one, _) = try await collect(engine, starts, threads: 1)
        let (two, _) = try await collect(engine, starts, threads: 2)
        #expect(one.count == starts.count)
        #expect(one == two)
        let serial = try engine.run(starts).trajectories
        #expect(serial == one)
        #expect(one.contains { $0.termination.reason == .completed })
    }

    @Test("each met slice is decoded once for the whole population; trajectories in flight stay few")
    func slicesOnce() async throws {
        let field = CountingField(waveField())
        let engine = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: -24, verticalMode: .isobaric))
        let starts = sweepStarts()
        let (trs, summary) = try await collect(engine, starts, threads: 2)
        #expect(trs.count == starts.count)
        // The sweep loads each met slice at most once (the preflight's few reads aside).
        let readIndices = field.reads.withLock { Set($0.keys) }
        #expect(summary.slicesLoaded <= readIndices.count)
        #expect(summary.slicesLoaded > 0)
        // 72 starts spread over 6 days, 24 h each: at most ~5 start times (×9) in flight.
        #expect(summary.peakActive <= 5 * 9, "peak \(summary.peakActive)")
        #expect(summary.byReason[.completed] == starts.count)
    }

    @Test("ensemble: 27 members numbered 1 + (ix+1) + 3(iy+1) + 9(iz+1); member 14 is the unperturbed run; spread grows with age")
    func ensemble() async throws {
        #expect(EnsembleOffset.member(dx: 0, dy: 0, dz: 0) == 14)
        #expect(EnsembleOffset(member: 1) == EnsembleOffset(member: EnsembleOffset.member(dx: -1, dy: -1, dz: -1)))
        for m in 1...27 { let o = EnsembleOffset(member: m); #expect(EnsembleOffset.member(dx: o.dx, dy: o.dy, dz: o.dz) == m) }
        let engine = try TrajectoryEngine(field: waveField(), options: TrajectoryOptions(hours: -48))
        let start = TrajectoryStart(site: "E", latitude: 35, longitude: 113.65, height: 1000, time: Analytic.t0 + 96 * 3600)
        let (members, _) = try await collect(engine, [start], ensemble: true, threads: 2)
        #expect(members.map(\.member) == Array(1...27))
        let plain = try engine.integrate(start, id: 14)
        let m14 = try #require(members.first { $0.member == 14 })
        #expect(m14.endpoints == plain.endpoints)
        let spread = ensembleSpread(members)
        #expect((spread.first?.meanKm ?? 1) < 1e-9)
        let at6 = try #require(spread.first { $0.ageHours == -6 }).meanKm
        let at24 = try #require(spread.first { $0.ageHours == -24 }).meanKm
        let at48 = try #require(spread.first { $0.ageHours == -48 }).meanKm
        #expect(at6 > 0 && at24 > at6 && at48 > at24, "spread \(at6) \(at24) \(at48) km")
    }

    @Test("one start time: progress moves in model time and fraction while no trajectory has finished")
    func progressInModelTime() async throws {
        let engine = try TrajectoryEngine(field: waveField(), options: TrajectoryOptions(hours: -48))
        let t0 = Analytic.t0 + 96 * 3600
        let starts = (0..<20).map { TrajectoryStart(site: "P\($0)", latitude: 30 + Double($0) * 0.5, longitude: 110, height: 1000, time: t0) }
        let reports = Mutex<[SweepProgress]>([])
        _ = try await engine.sweep(starts, maxConcurrency: 2, progress: { p in reports.withLock { $0.append(p) } }) { _ in }
        let all = reports.withLock { $0 }
        // 48 h backward over 6-hourly met: several windows, every one reported.
        #expect(all.count >= 8, "\(all.count) reports")
        let before = all.filter { $0.done == 0 }
        #expect(before.count >= 6, "reports before any trajectory finished: \(before.count)")
        // The fraction is the model time run so far over 48 h, the model time goes backward.
        for (a, b) in zip(all, all.dropFirst()) {
            #expect(b.fraction >= a.fraction)
            if let ta = a.modelTime, let tb = b.modelTime { #expect(tb <= ta) }
        }
        for p in before {
            let t = try #require(p.modelTime)
            let elapsed = Double(t0.secondsSince1970 - t.secondsSince1970) / (48 * 3600)
            #expect(abs(p.fraction - elapsed) < 1e-9, "fraction \(p.fraction) vs model time \(elapsed)")
        }
        #expect(all.last?.fraction == 1 && all.last?.done == 20)
    }

    @Test("a sweep is cancellable and reports progress up to the total")
    func cancellation() async throws {
        let engine = try TrajectoryEngine(field: waveField(), options: TrajectoryOptions(hours: -48))
        let starts = sweepStarts()
        let last = Mutex(SweepProgress(done: 0, total: 0))
        _ = try await engine.sweep(starts, maxConcurrency: 2, progress: { p in last.withLock { $0 = p } }) { _ in }
        let final = last.withLock { $0 }
        #expect(final.done == starts.count && final.total == starts.count && final.fraction == 1)
        #expect(final.modelTime != nil)
        let task = Task { try await engine.sweep(starts, maxConcurrency: 2) { _ in } }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test("a RunPlan expands sites × heights × times and decodes from JSON")
    func plan() throws {
        let json = """
        {"met": {"files": ["era5/*.nc"]},
         "generator": {"sites": [{"site": "ZZ", "latitude": 34.75, "longitude": 113.65}, {"site": "AY", "latitude": 36.1, "longitude": 114.35}],
                       "heightsM": [100, 500, 1000], "from": "2024-01-01T00:00:00Z", "to": "2024-01-07T18:00:00Z", "everyHours": 6},
         "starts": [{"site": "X", "latitude": 30, "longitude": 110, "heightM": 50, "time": "2024-01-02T03:00:00Z"}],
         "hours": -72, "vertical": "isobaric", "integrator": "rk4", "ensemble": true, "outputIntervalMinutes": 60}
        """
        let plan = try JSONDecoder().decode(RunPlan.self, from: Data(json.utf8))
        let starts = try plan.expandedStarts()
        #expect(starts.count == 1 + 2 * 3 * 28)
        #expect(starts[0].site == "X" && starts[0].height == 50)
        #expect(starts.last?.time.iso8601 == "2024-01-07T18:00:00Z")
        #expect(plan.options.verticalMode == .isobaric && plan.options.integrator == .rk4 && plan.options.hours == -72)
        #expect(plan.ensemble == true && plan.met.files == ["era5/*.nc"])
    }
}

@Suite("Sweep memory bound")
struct SweepMemoryTests {
    @Test("100,000 trajectories stream through the sweep with a bounded number in flight")
    func hundredThousand() async throws {
        // 100 days of 6-hourly met on a small grid; 100,000 starts spread over the period.
        let field = Analytic.field(grid: regionalGrid(lat: 20...50, lon: 90...130, step: 2), levels: [1000, 500], hours: stride(from: 0, through: 2400, by: 6).map(Double.init),
                                   wind: { _, _, _, _ in (8, 2, 0) })
        var starts: [TrajectoryStart] = []
        starts.reserveCapacity(100_000)
        for n in 0..<100_000 {
            let hour = 12 + (n % 396) * 6
            starts.append(TrajectoryStart(site: "S", latitude: 30 + Double(n % 7), longitude: 100 + Double(n % 11), height: 500,
                                          time: Analytic.t0 + Int64(hour * 3600)))
        }
        let engine = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: -3, verticalMode: .isobaric))
        var delivered = 0, endpoints = 0
        let summary = try await engine.sweep(starts, maxConcurrency: 2) { t in
            delivered += 1
            endpoints += t.endpoints.count
        }
        #expect(delivered == 100_000 && summary.count == 100_000)
        #expect(endpoints == 400_000)
        // Starts share 396 start times: at most two start times' trajectories are in flight.
        #expect(summary.peakActive <= 2 * 100_000 / 396 + 2, "peak in flight \(summary.peakActive)")
        #expect(summary.slicesLoaded <= field.times.count)
    }
}
