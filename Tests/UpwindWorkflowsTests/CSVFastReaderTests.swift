import Foundation
import Testing
@testable import UpwindFormats
import Upwind
import UpwindTestSupport

@Suite("Engine CSV: the byte-level reader equals the general reader")
struct CSVFastReaderTests {
    /// Writes the engine CSV of 24-h GDAS ensemble back trajectories from the Caribbean starts plus
    /// one start at the met's first time (it ends at once: a single age-0 endpoint), 108 in all.
    static func writeGDASTrajectories(to path: String) async throws {
        let met = try MetSource.open([Fixtures.met("gdas_042.bin")])
        var starts = caribbeanStarts()
        starts.append(TrajectoryStart(site: "EDGE", latitude: 12, longitude: -61, height: 500, time: UTCTime(year: 2010, month: 2, day: 11, hour: 12)))
        let result = try await TrajectoryRunner(met: met, starts: starts, options: TrajectoryOptions(hours: -24), ensemble: true).run()
        try result.write(to: path)
    }

    @Test("GDAS trajectories with every diagnostic, an ensemble, one trajectory that ends at its start")
    func sameTrajectories() async throws {
        let dir = try TemporaryDirectory()
        try await Self.writeGDASTrajectories(to: dir.path("t.csv"))
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir.path("t.csv"))))
        let fast = try #require(TrajectoryCSVFastReader.read(bytes))
        let general = try TrajectoryCSVReader.readGeneral(path: dir.path("t.csv"))
        #expect(fast.count == 108 && fast == general)
        // Bit for bit, every number.
        for (a, b) in zip(fast, general) {
            for (e, f) in zip(a.endpoints, b.endpoints) {
                #expect(e.latitude.bitPattern == f.latitude.bitPattern && e.longitude.bitPattern == f.longitude.bitPattern
                        && e.heightAGL.bitPattern == f.heightAGL.bitPattern && e.ageHours.bitPattern == f.ageHours.bitPattern)
            }
        }
        // The trajectory that stopped at its start is backward like the rest after reading.
        let reread = try TrajectoryCSVReader.read(path: dir.path("t.csv"))
        #expect(reread.allSatisfy { $0.isBackward })
        #expect(reread.contains { $0.endpoints.count == 1 })
    }

    @Test("a quoted site or an exponent falls back to the general reader with the same result")
    func fallback() throws {
        let dir = try TemporaryDirectory()
        let header = "trajectory,site,member,start_time,start_latitude,start_longitude,start_height_m,time,age_h,latitude,longitude,height_agl_m,pressure_hpa,termination\n"
        let quoted = header + "1,\"Kaifeng, east\",0,2010-02-13T00:00:00Z,34.8,114.3,500.0,2010-02-13T00:00:00Z,0.00,34.8000,114.3000,500.0,950.0,completed\n"
        #expect(TrajectoryCSVFastReader.read(Array(quoted.utf8)) == nil)
        try dir.write("q.csv", quoted)
        #expect(try TrajectoryCSVReader.read(path: dir.path("q.csv")).first?.start.site == "Kaifeng, east")
        let exponent = header + "1,A,0,2010-02-13T00:00:00Z,34.8,114.3,5e2,2010-02-13T00:00:00Z,0.00,34.8000,114.3000,500.0,,completed\n"
        #expect(TrajectoryCSVFastReader.read(Array(exponent.utf8)) == nil)
        try dir.write("e.csv", exponent)
        let e = try #require(try TrajectoryCSVReader.read(path: dir.path("e.csv")).first)
        #expect(e.start.height == 500 && e.endpoints[0].pressureHPa.isNaN)
        // A bad value still gets the general reader's line-numbered error.
        try dir.write("bad.csv", header + "1,A,0,2010-02-13T00:00:00Z,34.8,114.3,500,2010-02-13T00:00:00Z,0.00,34.8x,114.3000,500.0,,completed\n")
        #expect(throws: TrajectoryReadError.badValue(path: dir.path("bad.csv"), line: 2, column: "latitude", value: "34.8x", expected: "a number")) {
            _ = try TrajectoryCSVReader.read(path: dir.path("bad.csv"))
        }
    }

    @Test("forEach streams the same trajectories as read at any chunk size, across chunk edges and a fallback mid-file")
    func streaming() async throws {
        let dir = try TemporaryDirectory()
        try await Self.writeGDASTrajectories(to: dir.path("t.csv"))
        let whole = try TrajectoryCSVReader.read(path: dir.path("t.csv"))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: dir.path("t.csv"))[.size] as? Int)
        // Chunks shorter than a line (97 bytes), a few lines, a trajectory and a half, and the whole file.
        for chunk in [97, 1_000, 4_096, 40_000, size + 1] {
            var streamed: [Trajectory] = []
            try TrajectoryCSVReader.forEach(path: dir.path("t.csv"), chunkBytes: chunk) { streamed.append($0) }
            #expect(streamed == whole, "chunk \(chunk)")
        }
        // A quoted site in the last trajectory: the chunks before it are parsed from bytes, then
        // the general reader finishes, and nothing is delivered twice or cut.
        var text = try dir.read("t.csv")
        let columns = text.prefix { $0 != "\n" }.split(separator: ",").count
        #expect(columns >= 14)
        // The 13 leading columns, empty diagnostics, the termination.
        text += "999,\"Kaifeng, east\",0,2010-02-13T00:00:00Z,34.8,114.3,500.0,2010-02-13T00:00:00Z,0.00,34.8000,114.3000,500.0,950.0,"
            + String(repeating: ",", count: columns - 14) + "completed\n"
        try dir.write("q.csv", text)
        let wholeQuoted = try TrajectoryCSVReader.read(path: dir.path("q.csv"))
        #expect(wholeQuoted.count == whole.count + 1 && wholeQuoted.last?.start.site == "Kaifeng, east")
        for chunk in [500, 20_000] {
            var streamed: [Trajectory] = []
            try TrajectoryCSVReader.forEach(path: dir.path("q.csv"), chunkBytes: chunk) { streamed.append($0) }
            #expect(streamed == wholeQuoted, "chunk \(chunk)")
        }
        // Errors are the general reader's; a missing file is named.
        #expect(throws: TrajectoryReadError.fileNotFound(path: dir.path("none.csv"))) {
            try TrajectoryCSVReader.forEach(path: dir.path("none.csv")) { _ in }
        }
        try dir.write("empty.csv", "")
        #expect(throws: TrajectoryReadError.self) { try TrajectoryCSVReader.forEach(path: dir.path("empty.csv")) { _ in } }
    }
}
