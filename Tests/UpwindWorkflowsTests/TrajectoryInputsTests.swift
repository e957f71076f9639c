import Foundation
import Testing
import Upwind
import UpwindTestSupport

@Suite("Trajectory inputs: every readable format, keyed <id> or <n>:<id>")
struct TrajectoryInputsTests {
    @Test("one file keys by id; several by file position and id; formats told apart by name")
    func keys() async throws {
        let dir = try TemporaryDirectory()
        let result = try await TrajectoryRunner(met: try MetSource.open([Fixtures.met("gdas_042.bin")]), starts: caribbeanStarts(),
                                                options: TrajectoryOptions(hours: -12)).run()
        try result.write(to: dir.path("a.csv"))
        try result.write(to: dir.path("b.tdump"))
        try result.write(to: dir.path("c.nc"))
        let one = try TrajectoryInputs.read([dir.path("a.csv")])
        #expect(one.map(\.key) == ["1", "2", "3"] && one.allSatisfy { $0.file == 1 })
        let three = try TrajectoryInputs.read([dir.path("a.csv"), dir.path("b.tdump"), dir.path("c.nc")])
        #expect(three.map(\.key) == ["1:1", "1:2", "1:3", "2:1", "2:2", "2:3", "3:1", "3:2", "3:3"])
        // The same endpoints at print precision from each format (tdump: 3 decimals).
        for k in 0..<3 {
            let a = three[k].trajectory.endpoints, b = three[3 + k].trajectory.endpoints, c = three[6 + k].trajectory.endpoints
            #expect(a.count == 13 && b.count == 13 && c.count == 13)
            #expect(zip(a, b).allSatisfy { abs($0.latitude - $1.latitude) < 0.001 && abs($0.longitude - $1.longitude) < 0.001 })
            #expect(zip(a, c).allSatisfy { abs($0.latitude - $1.latitude) < 1e-4 })
        }
        #expect(throws: TrajectoryInputError.unknownFormat(path: dir.path("x.txt"))) { _ = try TrajectoryInputs.read([dir.path("x.txt")]) }
        #expect(throws: TrajectoryInputError.self) { _ = try TrajectoryInputs.read([dir.path("x.geojson")]) }
    }
}
