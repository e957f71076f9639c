import Foundation
import Synchronization
import Testing
import Upwind
import UpwindTestSupport

/// Starts inside gdas_042.bin (2010-02-11T12Z … 02-13T00Z, 8–22N × 292–314E): Montserrat and
/// two neighbours, given at negative longitudes as a user types them.
func caribbeanStarts(time: UTCTime = UTCTime(year: 2010, month: 2, day: 13)) -> [TrajectoryStart] {
    [TrajectoryStart(site: "S1", latitude: 16.7, longitude: -62.2, height: 500, time: time),
     TrajectoryStart(site: "S2", latitude: 15.0, longitude: -60.0, height: 1500, time: time),
     TrajectoryStart(site: "S3", latitude: 18.0, longitude: -64.0, height: 100, time: time + -3 * 3600)]
}

@Suite("TrajectoryRunner: one call from met to trajectories")
struct RunnerTests {
    @Test("MetSource gives the same trajectories as the format's own initialisers, bit for bit")
    func sameAsTypeSpecific() async throws {
        let options = TrajectoryOptions(hours: -24)
        let arl = try MetSource.open([Fixtures.met("gdas_042.bin")])
        #expect(arl.format == .arl && arl.diagnostics == .all)
        #expect(arl.provenance.grids.map(\.firstTime) == [UTCTime(year: 2010, month: 2, day: 11, hour: 12)])
        let direct = try TrajectoryEngine(field: ARLWindField(paths: [Fixtures.met("gdas_042.bin")]), options: options).run(caribbeanStarts())
        let viaSource = try await TrajectoryRunner(met: arl, starts: caribbeanStarts(), options: options, maxConcurrency: 1).run()
        #expect(viaSource.trajectories.count == 3)
        for (a, b) in zip(direct.trajectories, viaSource.trajectories) {
            #expect(a.endpoints == b.endpoints && a.termination == b.termination)
            #expect(a.endpoints.allSatisfy { $0.latitude.bitPattern == b.endpoints[0].latitude.bitPattern } || a.endpoints.map(\.latitude) == b.endpoints.map(\.latitude))
        }

        let nc = try MetSource.open([Fixtures.met("grads_model_1987.nc")])
        #expect(nc.format == .netcdf)
        let start = TrajectoryStart(site: "SYD", latitude: -33.9, longitude: 151.2, height: 1000, time: UTCTime(year: 1987, month: 1, day: 5))
        let iso = TrajectoryOptions(hours: -48, verticalMode: .isobaric)
        let ncDirect = try TrajectoryEngine(field: MetWindField(MetDataset(paths: [Fixtures.met("grads_model_1987.nc")])), options: iso).run([start])
        let ncVia = try await TrajectoryRunner(met: nc, starts: [start], options: iso).run()
        #expect(ncDirect.trajectories.map(\.endpoints) == ncVia.trajectories.map(\.endpoints))
        #expect(ncVia.trajectories[0].endpoints.count == 49)
        // MetWindField(paths:) is the same as MetWindField(MetDataset(paths:)).
        let byPaths = try TrajectoryEngine(field: MetWindField(paths: [Fixtures.met("grads_model_1987.nc")]), options: iso).run([start])
        #expect(byPaths.trajectories.map(\.endpoints) == ncDirect.trajectories.map(\.endpoints))
    }

    @Test("a RunPlan runs in one call: met opened, generator expanded, ensemble honoured")
    func plan() async throws {
        let json = """
        {"met": {"files": ["\(Fixtures.met("gdas_042.bin"))"]},
         "generator": {"sites": [{"site": "MSR", "latitude": 16.7, "longitude": -62.2}], "heights": [500, 1500],
                       "from": "2010-02-12T18:00:00Z", "to": "2010-02-13T00:00:00Z", "everyHours": 6},
         "hours": -12, "ensemble": true, "outputIntervalMinutes": 30, "topAGL": 8000}
        """
        let plan = try JSONDecoder().decode(RunPlan.self, from: Data(json.utf8))
        #expect(plan.topAGL == 8000 && plan.generator?.heights == [500, 1500])
        let result = try await TrajectoryRunner(plan: plan).run()
        // 2 times × 2 heights × 27 members.
        #expect(result.trajectories.count == 108 && result.summary.count == 108)
        #expect(Set(result.trajectories.map(\.member)) == Set(1...27))
        #expect(result.trajectories.map(\.id) == Array(1...108))
        let full = try #require(result.trajectories.first { $0.termination.reason == .completed })
        #expect(full.endpoints.count == 25)  // 12 h every 30 min, and the start
        #expect(result.summary.byReason.values.reduce(0, +) == 108 && result.summary.wallSeconds > 0)
        // The old keys still read.
        let legacy = try JSONDecoder().decode(RunPlan.self, from: Data(json.replacingOccurrences(of: "\"heights\"", with: "\"heightsM\"")
            .replacingOccurrences(of: "\"topAGL\"", with: "\"topM\"").utf8))
        #expect(legacy == plan)
        // Encoding writes the current keys.
        let encoded = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        #expect(encoded.contains("\"heights\"") && encoded.contains("\"topAGL\"") && !encoded.contains("heightsM"))
    }

    @Test("the stream delivers the sweep's trajectories in the sweep's order")
    func streamOrder() async throws {
        let met = try MetSource.open([Fixtures.met("gdas_042.bin")])
        var starts: [TrajectoryStart] = []
        for h in stride(from: 0, through: 18, by: 3) {
            starts += caribbeanStarts(time: UTCTime(year: 2010, month: 2, day: 12) + Int64(h * 3600))
        }
        let runner = try TrajectoryRunner(met: met, starts: starts, options: TrajectoryOptions(hours: -12), maxConcurrency: 2)
        var swept: [Trajectory] = []
        _ = try await runner.engine.sweep(starts, maxConcurrency: 2) { swept.append($0) }
        let stream = runner.stream(buffer: 2)
        var streamed: [Trajectory] = []
        for try await t in stream { streamed.append(t) }
        #expect(streamed.count == 21 && streamed == swept)
        #expect(stream.summary?.count == 21)
        // One run per stream: iterating again gets nothing more.
        var again = 0
        for try await _ in stream { again += 1 }
        #expect(again == 0)
        // A delivery closure that awaits sees the same order.
        var awaited: [Int] = []
        _ = try await runner.sweep { t in
            await Task.yield()
            awaited.append(t.id)
        }
        #expect(awaited == swept.map(\.id))
    }

    @Test("cancelling the consumer stops the run within one met interval and leaves no task running")
    func streamCancellation() async throws {
        // A long run: 200 h forward over a 10-day single-level field of 6-hourly slices that counts its reads.
        let grid = LatLonGrid(longitudes: Array(stride(from: 70.0, through: 140, by: 1)), latitudes: Array(stride(from: 0.0, through: 60, by: 1)), isGlobal: false)
        let t0 = UTCTime(year: 2024, month: 1, day: 1)
        let n = grid.nx * grid.ny
        let slices = (0...40).map { GridSlice(time: t0 + Int64($0 * 6 * 3600), nx: grid.nx, ny: grid.ny, nz: 1,
                                              u: [Float](repeating: 5, count: n), v: [Float](repeating: 2, count: n)) }
        let field = CountingField(base: InMemoryWindField(grid: grid, levels: .single, slices: slices))
        let met = MetSource(format: .netcdf, paths: [], field: field, diagnostics: [])
        let starts = (0..<200).map { TrajectoryStart(site: "P\($0)", latitude: 20 + Double($0 % 20), longitude: 80 + Double($0 / 20), height: 500,
                                                        time: t0) }
        let runner = try TrajectoryRunner(met: met, starts: starts, options: TrajectoryOptions(hours: 200), maxConcurrency: 2)
        let stream = runner.stream(buffer: 1, progress: { p in
            guard p.fraction > 0.1 else { return }
            let reads = field.reads.withLock { count in count }
            field.stopAt.withLock { stop in if stop == nil { stop = reads } }
        })
        let consumer = Task {
            var n = 0
            for try await _ in stream { n += 1 }
            return n
        }
        // Wait until the run is well under way, then cancel the consumer.
        while field.stopAt.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(5)) }
        consumer.cancel()
        _ = try? await consumer.value
        // The run's task ends promptly.
        var waited = 0
        while !stream.isRunFinished && waited < 400 { try await Task.sleep(for: .milliseconds(5)); waited += 1 }
        #expect(stream.isRunFinished)
        let readsAtEnd = field.reads.withLock { $0 }
        try await Task.sleep(for: .milliseconds(100))
        #expect(field.reads.withLock { $0 } == readsAtEnd, "no task keeps reading after the run ended")
        // 41 slices in all; cancelled after about a tenth of the run: at most a couple of windows more.
        let readsAtCancel = try #require(field.stopAt.withLock { $0 })
        #expect(readsAtEnd <= readsAtCancel + 3, "read \(readsAtEnd) slices, \(readsAtCancel) when cancelled")
        // The forward run never reached the end of the met (41 slices, 6-hourly).
        #expect(field.maxIndex.withLock { $0 } < 30, "read up to slice \(field.maxIndex.withLock { $0 })")
    }

    @Test("two concurrent runs over one shared met give what one run gives")
    func concurrentRuns() async throws {
        let met = try MetSource.open([Fixtures.met("gdas_042.bin")])
        let runner = try TrajectoryRunner(met: met, starts: caribbeanStarts(), options: TrajectoryOptions(hours: -24), ensemble: true)
        let alone = try await runner.run().trajectories
        async let a = runner.run()
        async let b = runner.run()
        let (ra, rb) = try await (a, b)
        #expect(ra.trajectories == alone && rb.trajectories == alone && alone.count == 81)
    }

    @Test("a start outside the met is reported with the caller's longitude and the coverage in −180…180")
    func coverageMessage() async throws {
        let met = try MetSource.open([Fixtures.met("gdas_042.bin")])
        let outside = TrajectoryStart(site: "FAR", latitude: 30, longitude: -62.2, height: 500, time: UTCTime(year: 2010, month: 2, day: 13))
        let runner = try TrajectoryRunner(met: met, starts: [outside], options: TrajectoryOptions(hours: -6))
        do {
            _ = try await runner.run()
            Issue.record("expected an error")
        } catch let error as TrajectoryError {
            let text = error.localizedDescription
            #expect(text.contains("30.0,-62.2"), "\(text)")
            #expect(text.contains("longitude -68.0…-46.0"), "\(text)")
            #expect(!text.contains("292") && !text.contains("--skip"), "\(text)")
            #expect(text.contains("skipInvalidStarts"))
        }
        var options = TrajectoryOptions(hours: -6)
        options.skipInvalidStarts = true
        let result = try await TrajectoryRunner(met: met, starts: [outside] + caribbeanStarts(), options: options).run()
        #expect(result.summary.skipped.map(\.start.site) == ["FAR"] && result.trajectories.count == 3)
        #expect(result.summary.description.contains("1 start skipped"))
    }

    @Test("options are refused in library terms")
    func optionErrors() throws {
        let met = try MetSource.open([Fixtures.met("gdas_042.bin")])
        #expect(throws: TrajectoryError.invalidOption(option: "hours", value: "0", requirement: "must not be 0 (negative for backward trajectories)")) {
            _ = try TrajectoryRunner(met: met, starts: [], options: TrajectoryOptions(hours: 0))
        }
        var o = TrajectoryOptions(hours: -6)
        o.tratio = 2
        do {
            _ = try TrajectoryRunner(met: met, starts: [], options: o)
        } catch {
            #expect(error.localizedDescription == "invalid trajectory option tratio = 2.0: must be in (0, 1]")
        }
        #expect(throws: MetError.self) { _ = try MetSource.open([Fixtures.met("gdas_042.bin")], mapping: [.u: "UGRD"]) }
    }
}

/// A field that counts slice reads (and remembers the count at a moment the test chooses).
final class CountingField: WindField {
    let base: InMemoryWindField
    let reads = Mutex(0)
    let stopAt = Mutex<Int?>(nil)
    let maxIndex = Mutex(0)
    init(base: InMemoryWindField) { self.base = base }
    var grid: any HorizontalGrid { base.grid }
    var levels: VerticalLevels { base.levels }
    var times: [UTCTime] { base.times }
    var modelID: String? { nil }
    func slice(at index: Int) throws -> GridSlice {
        reads.withLock { $0 += 1 }
        maxIndex.withLock { $0 = max($0, index) }
        return try base.slice(at: index)
    }
}
