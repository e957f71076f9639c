import Upwind

let met = try MetSource.open(["Fixtures/met/gdas_042.bin"])
let time = try UTCTime(parsing: "2010-02-13T00:00:00Z")
let starts = [TrajectoryStart(site: "S1", latitude: 16.7, longitude: -62.2, height: 500, time: time),
              TrajectoryStart(site: "S2", latitude: 15.0, longitude: -60.0, height: 1500, time: time)]
let runner = try TrajectoryRunner(met: met, starts: starts, options: TrajectoryOptions(hours: -36))
let result = try await runner.run()
try result.write(to: "back.tdump")
print(result.summary)
