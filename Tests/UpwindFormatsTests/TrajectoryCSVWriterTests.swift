import CSV
import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindFormats

@Suite("TrajectoryCSVWriter")
struct TrajectoryCSVWriterTests {
    static let baseHeader = "trajectory,site,member,start_time,start_latitude,start_longitude,start_height_m,time,age_h,latitude,longitude,height_agl_m,pressure_hpa"

    @Test("header line is exact with no diagnostics")
    func headerNoDiagnostics() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let writer = try TrajectoryCSVWriter(path: folder.path("t.csv"))
        try writer.finish()
        #expect(try folder.read("t.csv") == Self.baseHeader + ",termination\n")
        #expect(writer.rowCount == 0)
    }

    @Test("diagnostic columns appear in fixed order before termination, only when configured")
    func headerDiagnostics() {
        #expect(TrajectoryCSVWriter.columns(diagnostics: .all).joined(separator: ",")
            == Self.baseHeader + ",terrain_m,temperature_k,theta_k,mixing_depth_m,relative_humidity_pct,termination")
        #expect(TrajectoryCSVWriter.columns(diagnostics: [.relativeHumidity, .terrain]).joined(separator: ",")
            == Self.baseHeader + ",terrain_m,relative_humidity_pct,termination")
        #expect(TrajectoryCSVWriter.columns().last == "termination")
        #expect(TrajectoryCSVWriter.columns().count == 14)
    }

    @Test("backward trajectory rows: ages, precision, empty fields, longitude wrap, no -0.0")
    func backwardRows() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let writer = try TrajectoryCSVWriter(path: folder.path("t.csv"), diagnostics: [.mixingDepth, .terrain, .temperature])
        try writer.write(Fixture.backward())
        try writer.finish()
        let lines = try folder.read("t.csv").components(separatedBy: "\n")
        #expect(lines == [
            Self.baseHeader + ",terrain_m,temperature_k,mixing_depth_m,termination",
            #"1,"Beijing, ""PKU""",0,2024-01-15T06:00:00Z,39.9000,116.4000,500.0,2024-01-15T06:00:00Z,0.00,39.9000,116.4000,500.0,950.0,50.0,270.2,812.3,completed"#,
            #"1,"Beijing, ""PKU""",0,2024-01-15T06:00:00Z,39.9000,116.4000,500.0,2024-01-15T05:00:00Z,-1.00,40.1235,-170.0000,612.4,,48.0,,,completed"#,
            #"1,"Beijing, ""PKU""",0,2024-01-15T06:00:00Z,39.9000,116.4000,500.0,2024-01-15T04:00:00Z,-2.00,0.0000,0.0000,0.0,900.0,0.0,,,completed"#,
            "",
        ])
        #expect(writer.rowCount == 3)
    }

    @Test("quoted site with a comma reads back with CSV.swift's reader; termination is last on every row")
    func readBack() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let writer = try TrajectoryCSVWriter(path: folder.path("t.csv"), diagnostics: .all)
        try writer.write(Fixture.backward(id: 1))
        try writer.write(Fixture.path([(10, 1), (11, 2)], id: 2, site: "plain", reason: .hitTop))
        try writer.finish()
        let reader = try CSVReader(string: try folder.read("t.csv"), hasHeaderRow: true)
        let header = try #require(reader.headerRow)
        #expect(header.count == 19)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        #expect(rows.count == 5)
        #expect(rows.allSatisfy { $0.count == 19 })
        #expect(rows[0][1] == "Beijing, \"PKU\"")
        #expect(rows.map { $0[18] } == ["completed", "completed", "completed", "hitTop", "hitTop"])
        #expect(rows[3][1] == "plain")
        #expect(rows[3][2] == "3")  // member
        #expect(rows[0][17] == "55.6")  // relative_humidity_pct 55.56 -> 1 decimal
        #expect(rows[0][15] == "274.3")  // theta_k
    }

    @Test("start and endpoint longitudes are normalised into [-180, 180)",
          arguments: [(190.0, "-170.0000"), (-190.0, "170.0000"), (180.0, "-180.0000"), (540.0, "-180.0000"),
                      (179.99999, "-180.0000"), (-180.0, "-180.0000"), (359.5, "-0.5000"), (-0.00001, "0.0000"),
                      (-720.25, "-0.2500")])
    func longitudeWrap(longitude: Double, expected: String) throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var trajectory = Fixture.path([(longitude, 5)])
        trajectory.start.longitude = longitude
        let writer = try TrajectoryCSVWriter(path: folder.path("t.csv"))
        try writer.write(trajectory)
        try writer.finish()
        let row = try folder.read("t.csv").components(separatedBy: "\n")[1].components(separatedBy: ",")
        #expect(row[5] == expected)   // start_longitude
        #expect(row[10] == expected)  // longitude
    }

    @Test("fixed-decimal text never shows -0 and rounds half away from zero")
    func numberText() {
        #expect(NumberText.fixed(-0.0, decimals: 2) == "0.00")
        #expect(NumberText.fixed(-0.04, decimals: 1) == "0.0")
        #expect(NumberText.fixed(-0.05, decimals: 1) == "-0.1")
        #expect(NumberText.fixed(-1, decimals: 2) == "-1.00")
        #expect(NumberText.fixed(12.25, decimals: 1) == "12.3")
        #expect(NumberText.fixed(1013.25, decimals: 0) == "1013")
        #expect(NumberText.fixed(0.000049, decimals: 4) == "0.0000")
        #expect(NumberText.fixed(nil, decimals: 1) == nil)
        #expect(NumberText.fixed(.nan, decimals: 1) == nil)
        #expect(NumberText.fixed(.infinity, decimals: 1) == nil)
        #expect(NumberText.fixed(1e300, decimals: 1)?.hasSuffix(".0") == true)  // no trap on huge values
    }

    @Test("a trajectory without endpoints writes no rows")
    func noEndpoints() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let writer = try TrajectoryCSVWriter(path: folder.path("t.csv"))
        try writer.write(Fixture.path([]))
        try writer.finish()
        #expect(try folder.read("t.csv") == Self.baseHeader + ",termination\n")
    }

    @Test("the destination is untouched until finish, then replaced; no temporary file is left")
    func tempThenRename() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("t.csv", "earlier output\n")
        let writer = try TrajectoryCSVWriter(path: folder.path("t.csv"))
        try writer.write(Fixture.backward())
        #expect(try folder.read("t.csv") == "earlier output\n")
        let during = try folder.contents()
        #expect(during.count == 2)
        #expect(during.contains { $0.hasPrefix(".t.csv.") && $0.hasSuffix(".partial") })
        try writer.finish()
        #expect(try folder.contents() == ["t.csv"])
        #expect(try folder.read("t.csv").hasPrefix("trajectory,site,"))
        #expect(throws: TrajectoryOutputError.alreadyFinished(path: folder.path("t.csv"))) {
            try writer.write(Fixture.backward())
        }
        #expect(throws: TrajectoryOutputError.alreadyFinished(path: folder.path("t.csv"))) { try writer.finish() }
    }

    @Test("an abandoned writer removes its temporary file and leaves earlier output alone")
    func abandoned() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        do {
            let writer = try TrajectoryCSVWriter(path: folder.path("new.csv"))
            try writer.write(Fixture.backward())
            #expect(try folder.contents().count == 1)
        }
        #expect(try folder.contents().isEmpty)

        try folder.write("old.csv", "keep me\n")
        do {
            let writer = try TrajectoryCSVWriter(path: folder.path("old.csv"))
            try writer.write(Fixture.backward())
        }
        #expect(try folder.contents() == ["old.csv"])
        #expect(try folder.read("old.csv") == "keep me\n")
    }

    @Test("a missing folder or a folder as destination is a one-line error")
    func badDestination() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let missing = folder.path("nope/t.csv")
        #expect(throws: TrajectoryOutputError.folderMissing(path: missing, folder: folder.path("nope"))) {
            _ = try TrajectoryCSVWriter(path: missing)
        }
        try FileManager.default.createDirectory(atPath: folder.path("dir"), withIntermediateDirectories: false)
        #expect(throws: TrajectoryOutputError.destinationIsFolder(path: folder.path("dir"))) {
            _ = try TrajectoryCSVWriter(path: folder.path("dir"))
        }
        let message = TrajectoryOutputError.folderMissing(path: missing, folder: folder.path("nope")).description
        #expect(message.contains(missing) && message.contains("create it") && !message.contains("\n"))
    }
}

@Suite("ByteWriter: the CSV writer's byte formatting")
struct ByteWriterTests {
    func bytes(_ f: (ByteWriter) -> Void) -> String {
        let out = ByteWriter(capacity: 8)
        f(out)
        return out.text
    }

    @Test("fixed decimals and longitudes: the same text as NumberText, over edge cases and 20,000 seeded values")
    func sameAsNumberText() {
        var values: [Double] = [0, -0.0, 0.00004, -0.00004, -0.00005, 0.00005, 0.5, -0.5, 1, -1, 9.99995, 179.99999, -180, 180, 359.99996,
                                -179.99995, 1013.25, -72, 1e15, 8.9e15, 9.1e15, 1e20, -1e20, .nan, .infinity, -.infinity, 123456.789]
        var state: UInt64 = 7
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let unit = Double(state >> 11) / Double(1 << 53)
            values.append((unit - 0.5) * [1, 400, 20_000, 1e7][Int(state % 4)])
        }
        for v in values {
            for d in 0...6 {
                #expect(bytes { $0.appendFixed(v, decimals: d) } == (NumberText.fixed(v, decimals: d) ?? ""), "\(v) \(d)")
            }
            #expect(bytes { $0.appendLongitude(v, decimals: 4) } == (NumberText.longitude(v, decimals: 4) ?? ""), "\(v)")
        }
        #expect(bytes { $0.appendFixed(nil, decimals: 1) } == "")
    }

    @Test("ISO 8601 times: the same text as UTCTime.iso8601, years 1 to 9999 and outside")
    func sameAsISO8601() {
        let times = [UTCTime(secondsSince1970: 0), UTCTime(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59),
                     UTCTime(year: 1, month: 1, day: 1), UTCTime(year: 9999, month: 12, day: 31, hour: 23),
                     UTCTime(year: 10_000, month: 1, day: 1), UTCTime(year: -5, month: 6, day: 1), UTCTime(secondsSince1970: 1_700_000_123)]
        for t in times {
            #expect(bytes { $0.appendISO8601(t) } == t.iso8601)
        }
    }
}
