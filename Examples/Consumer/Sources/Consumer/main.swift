// The library as another program uses it: open any met, run a plan, stream and cancel,
// serve two runs at once, write to memory and to files, read errors. Run from the repository
// root: `swift run --package-path Examples/Consumer Consumer`. Exits 1 when a check fails.
import Foundation
import Upwind

var failures = 0
@MainActor func check(_ ok: Bool, _ what: String) {
    print((ok ? "ok    " : "FAILED") + " " + what)
    if !ok { failures += 1 }
}

// 1. Opening met: ARL and NetCDF through one entry point, told apart by content.
let arl = try MetSource.open(["Fixtures/met/gdas_042.bin"])
let netcdf = try MetSource.open(["Fixtures/met/grads_model_1987.nc"])
check(arl.format == .arl && netcdf.format == .netcdf, "MetSource.open tells ARL (\(arl.paths[0])) from NetCDF (\(netcdf.paths[0]))")
check(arl.provenance.grids.first?.firstTime == UTCTime(year: 2010, month: 2, day: 11, hour: 12), "ARL provenance: first time \(arl.provenance.grids[0].firstTime)")

// 2. Running: a RunPlan in one call, a stream with progress, cancellation, two runs at once.
let plan = try JSONDecoder().decode(RunPlan.self, from: Data("""
{"met": {"files": ["Fixtures/met/gdas_042.bin"]},
 "generator": {"sites": [{"site": "MSR", "latitude": 16.7, "longitude": -62.2}], "heights": [500, 1500],
               "from": "2010-02-12T12:00:00Z", "to": "2010-02-13T00:00:00Z", "everyHours": 6},
 "hours": -24, "ensemble": true}
""".utf8))
let planned = try await TrajectoryRunner(plan: plan).run()
check(planned.trajectories.count == 3 * 2 * 27, "RunPlan: \(planned.summary)")

let runner = try TrajectoryRunner(plan: plan, met: arl)
let fractions = FractionLog()
var streamed = 0
for try await _ in runner.stream(progress: { fractions.add($0.fraction) }) { streamed += 1 }
check(streamed == planned.trajectories.count && fractions.values.last == 1, "stream: \(streamed) trajectories, progress \(fractions.values.count) reports ending at \(fractions.values.last ?? 0)")

let cancelled = Task {
    var n = 0
    for try await _ in runner.stream() { n += 1; if n == 5 { withUnsafeCurrentTask { $0?.cancel() } } }
    return n
}
let outcome = await cancelled.result
check((try? outcome.get()) == nil, "cancelling the consuming task ends the stream with CancellationError")

async let first = runner.run()
async let second = runner.run()
let (a, b) = try await (first, second)
check(a.trajectories == planned.trajectories && b.trajectories == planned.trajectories, "two concurrent runs over one met give the one-run result")

// 3. Writing: to memory and to a file, the same bytes; tdump's record 2 is the met's first time.
let tdump = try planned.data(format: .tdump)
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upwind-consumer-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
try planned.write(to: folder.appendingPathComponent("plan.tdump").path)
check(tdump == (try Data(contentsOf: folder.appendingPathComponent("plan.tdump"))), "tdump to memory == tdump to a file (\(tdump.count) bytes)")
check(String(decoding: tdump, as: UTF8.self).split(separator: "\n")[1] == "    GDAS    10     2    11    12     0", "tdump record 2 is the met's first time")
let geojson = DataSink()
let writer = try TrajectoryGeoJSONWriter(sink: geojson)
for t in planned.trajectories.prefix(3) { try writer.write(t) }
try writer.finish()
let features = (try JSONSerialization.jsonObject(with: geojson.data) as? [String: Any])?["features"] as? [Any]
check(features?.count == 3, "GeoJSON streamed to memory: \(geojson.data.count) bytes, 3 features")

// 4. Errors in the caller's terms.
do {
    _ = try MetSource.open(["Fixtures/met/missing.nc"])
    check(false, "a missing file is refused")
} catch {
    check(error.localizedDescription.contains("Fixtures/met/missing.nc"), "missing file: \(error.localizedDescription)")
}
do {
    let far = TrajectoryStart(site: "FAR", latitude: 30, longitude: -62.2, height: 500, time: UTCTime(year: 2010, month: 2, day: 13))
    _ = try await TrajectoryRunner(met: arl, starts: [far], options: TrajectoryOptions(hours: -6)).run()
    check(false, "a start outside the met is refused")
} catch {
    let text = error.localizedDescription
    check(text.contains("-62.2") && text.contains("-68.0…-46.0") && !text.contains("--"), "outside the met: \(text)")
}
do {
    _ = try UTCTime(parsing: "2010-02-30T00:00Z")
    check(false, "a bad date is refused")
} catch {
    check(error.localizedDescription.contains("day 30"), "bad time: \(error.localizedDescription)")
}
check(Date(UTCTime(year: 2010, month: 2, day: 13)) == Date(timeIntervalSince1970: 1_266_019_200) && UTCTime(Date(timeIntervalSince1970: 1_266_019_200)) == UTCTime(year: 2010, month: 2, day: 13), "UTCTime <-> Date")

print(failures == 0 ? "consumer: all checks passed" : "consumer: \(failures) checks failed")
exit(failures == 0 ? 0 : 1)

/// Progress fractions, in the order reported.
final class FractionLog: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var list: [Double] = []
    func add(_ value: Double) { lock.lock(); list.append(value); lock.unlock() }
    var values: [Double] { lock.lock(); defer { lock.unlock() }; return list }
}
