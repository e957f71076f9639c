import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
import UpwindFormats

@Suite("StartsCSVReader")
struct StartsCSVReaderTests {
    static let header = "site,latitude,longitude,height_m,time\n"

    static func read(_ text: String) throws -> (folder: TemporaryDirectory, path: String, result: Result<[TrajectoryStart], any Error>) {
        let folder = try TemporaryDirectory()
        try folder.write("starts.csv", text)
        let path = folder.path("starts.csv")
        return (folder, path, Result { try StartsCSVReader.read(path: path) })
    }

    @Test("happy path: BOM, CRLF, any column order and case, extra columns, quoted site, offsets, blank lines")
    func happy() throws {
        let text = "\u{FEFF}Time,HEIGHT_M,note,Site,Longitude,latitude\r\n"
            + "2024-01-15T06:00:00Z,500,x,\"Beijing, Haidian\",116.3,39.99\r\n"
            + "\r\n"
            + "2024-01-15T14:00:00+08:00, 1500 ,y,,-170.5,-45\r\n"
            + "2024-01-15T03:30:00-03:00,10,z,\"He said \"\"hi\"\"\",200,90\r\n"
        let (folder, _, result) = try Self.read(text)
        defer { folder.remove() }
        let starts = try result.get()
        let t = UTCTime(year: 2024, month: 1, day: 15, hour: 6)
        #expect(starts == [
            TrajectoryStart(site: "Beijing, Haidian", latitude: 39.99, longitude: 116.3, height: 500, time: t),
            TrajectoryStart(site: "S2", latitude: -45, longitude: -170.5, height: 1500, time: t),
            TrajectoryStart(site: "He said \"hi\"", latitude: 90, longitude: 200, height: 10, time: t + 1800),
        ])
    }

    @Test("a missing file is a one-line error naming it")
    func missingFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("nope.csv")
        #expect(throws: StartsCSVError.fileNotFound(path: path)) { try StartsCSVReader.read(path: path) }
        #expect(StartsCSVError.fileNotFound(path: path).description == "starts file '\(path)' does not exist; check the path")
    }

    @Test("a folder or non-UTF-8 bytes are unreadable")
    func unreadable() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        #expect(throws: StartsCSVError.unreadable(path: folder.url.path, reason: "it is a folder")) {
            try StartsCSVReader.read(path: folder.url.path)
        }
        try Data([0x73, 0x69, 0x74, 0x65, 0xFF, 0xFE, 0x0A]).write(to: folder.url.appendingPathComponent("latin.csv"))
        #expect(throws: StartsCSVError.unreadable(path: folder.path("latin.csv"), reason: "it is not valid UTF-8")) {
            try StartsCSVReader.read(path: folder.path("latin.csv"))
        }
    }

    @Test("row errors name the line, column and value", arguments: [
        ("S,abc,116,500,2024-01-15T06:00:00Z\n", StartsCSVError.badNumber(path: "", line: 2, column: "latitude", value: "abc")),
        ("S,39,,500,2024-01-15T06:00:00Z\n", StartsCSVError.badNumber(path: "", line: 2, column: "longitude", value: "")),
        ("S,39,116,nan,2024-01-15T06:00:00Z\n", StartsCSVError.badNumber(path: "", line: 2, column: "height_m", value: "nan")),
        ("S,39,116,500,2024-01-15T06:00:00Z\nT,95,116,500,2024-01-15T06:00:00Z\n",
         StartsCSVError.latitudeOutOfRange(path: "", line: 3, value: "95")),
        ("S,-90.5,116,500,2024-01-15T06:00:00Z\n", StartsCSVError.latitudeOutOfRange(path: "", line: 2, value: "-90.5")),
        ("\nS,39,116,500,yesterday\n", StartsCSVError.badTime(path: "", line: 3, value: "yesterday")),
        ("S,39,116,500,2024-01-15T06:00:00\n", StartsCSVError.badTime(path: "", line: 2, value: "2024-01-15T06:00:00")),
        ("S,39,116,500,2024-02-30T06:00:00Z\n", StartsCSVError.badTime(path: "", line: 2, value: "2024-02-30T06:00:00Z")),
        ("\"multi\nline\",39,116,500,2024-01-15T06:00:00Z\nS,39,116,500,\n",
         StartsCSVError.badTime(path: "", line: 4, value: "")),
        ("S,39,116\n", StartsCSVError.badNumber(path: "", line: 2, column: "height_m", value: "")),
    ])
    func rowErrors(rows: String, expected: StartsCSVError) throws {
        let (folder, path, result) = try Self.read(Self.header + rows)
        defer { folder.remove() }
        let error = try #require(result.failure as? StartsCSVError)
        #expect(error == expected.withPath(path))
        let message = error.description
        #expect(message.contains(path) && message.contains("line ") && !message.contains("\n"))
    }

    @Test("a missing column lists what was found")
    func missingColumn() throws {
        let (folder, path, result) = try Self.read("site,lat,longitude,height_m,time\nS,39,116,500,2024-01-15T06:00:00Z\n")
        defer { folder.remove() }
        let error = try #require(result.failure as? StartsCSVError)
        #expect(error == .missingColumn(path: path, column: "latitude", header: ["site", "lat", "longitude", "height_m", "time"]))
        #expect(error.description.contains("no 'latitude' column (found 'site', 'lat',"))
    }

    @Test("empty files and header-only files", arguments: [
        ("", "empty"), ("\u{FEFF}", "empty"), ("\n\r\n  \n", "empty"),
        ("site,latitude,longitude,height_m,time\n", "noRows"), ("site,latitude,longitude,height_m,time\r\n\r\n", "noRows"),
    ])
    func emptyFiles(text: String, kind: String) throws {
        let (folder, path, result) = try Self.read(text)
        defer { folder.remove() }
        let error = try #require(result.failure as? StartsCSVError)
        #expect(error == (kind == "empty" ? .empty(path: path) : .noRows(path: path)))
        #expect(error.description.contains(path))
    }

    @Test("error descriptions say what to do")
    func descriptions() {
        #expect(StartsCSVError.badNumber(path: "s.csv", line: 4, column: "latitude", value: "abc").description
            == "starts file 's.csv' line 4, column latitude: 'abc' is not a number; write a decimal such as 39.9 (degrees north)")
        #expect(StartsCSVError.latitudeOutOfRange(path: "s.csv", line: 2, value: "116.4").description
            == "starts file 's.csv' line 2, column latitude: '116.4' is outside -90…90; give degrees north (are latitude and longitude swapped?)")
        #expect(StartsCSVError.badTime(path: "s.csv", line: 3, value: "2024-01-15 06:00").description
            == "starts file 's.csv' line 3, column time: '2024-01-15 06:00' is not an ISO 8601 time with a zone; write e.g. 2024-01-15T06:00:00Z (UTC) or 2024-01-15T14:00:00+08:00")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

extension StartsCSVError {
    /// The same error with its path replaced (argument tables are built before the temp folder exists).
    func withPath(_ path: String) -> StartsCSVError {
        switch self {
        case .fileNotFound: return .fileNotFound(path: path)
        case let .unreadable(_, reason): return .unreadable(path: path, reason: reason)
        case .empty: return .empty(path: path)
        case let .missingColumn(_, column, header): return .missingColumn(path: path, column: column, header: header)
        case .noRows: return .noRows(path: path)
        case let .badNumber(_, line, column, value): return .badNumber(path: path, line: line, column: column, value: value)
        case let .latitudeOutOfRange(_, line, value): return .latitudeOutOfRange(path: path, line: line, value: value)
        case let .badTime(_, line, value): return .badTime(path: path, line: line, value: value)
        }
    }
}
