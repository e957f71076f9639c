import Foundation
import Testing
import UpwindAttribution
import UpwindCore
import UpwindFormats
import UpwindTestSupport

@Suite("ObservationCSVReader")
struct ObservationCSVReaderTests {
    static let header = "site,latitude,longitude,time,value\n"

    /// Reads `text` as in-memory CSV named `obs.csv`.
    static func read(_ text: String, pollutant: String? = nil, timezone: String? = nil) throws(ObservationCSVError) -> ObservationSet {
        try ObservationCSVReader.read(text: text, name: "obs.csv", pollutant: pollutant, timezone: timezone)
    }

    /// The error reading `text` throws (nil when it reads).
    static func error(_ text: String, pollutant: String? = nil, timezone: String? = nil) -> ObservationCSVError? {
        do {
            _ = try read(text, pollutant: pollutant, timezone: timezone)
            return nil
        } catch {
            return error
        }
    }

    @Test("a good file: any column order and case, BOM, CRLF, blank lines, quoted site, Z and offsets, NA and empty values kept as missing")
    func goodFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("obs.csv", "\u{FEFF}Time,VALUE,Site,Latitude,longitude,Unit\r\n"
            + "2024-01-15T06:00:00Z,88.5,Zhengzhou,34.75,113.62,µg/m³\r\n"
            + "\r\n"
            + "2024-01-15T15:00:00+08:00, 92 ,Zhengzhou,34.75,113.62,µg/m³\r\n"
            + "2024-01-15T08:00:00Z,NA,Zhengzhou,34.75,113.62,\r\n"
            + "2024-01-15T06:00:00Z,,\"Kaifeng, East\",34.80,114.30,µg/m³\r\n"
            + "2024-01-15T01:30:00-05:00,-1.5,Kaifeng, East,34.8,114.3,µg/m³\r\n")
        // The last row has an unquoted comma in its site: 7 fields.
        #expect(throws: ObservationCSVError.fieldCount(path: folder.path("obs.csv"), line: 7, count: 7, expected: 6)) {
            try ObservationCSVReader.read(path: folder.path("obs.csv"))
        }
        var text = try folder.read("obs.csv")
        text = text.replacingOccurrences(of: "-1.5,Kaifeng, East", with: "-1.5,\"Kaifeng, East\"")
        try folder.write("obs.csv", text)
        let set = try ObservationCSVReader.read(path: folder.path("obs.csv"))
        let z = "Zhengzhou", k = "Kaifeng, East"
        let t6 = UTCTime(year: 2024, month: 1, day: 15, hour: 6)
        #expect(set.count == 5)
        #expect(set.missingCount == 2)
        #expect(set.value(site: z, time: t6) == 88.5)
        #expect(set.value(site: z, time: t6 + 3600) == 92)             // 15:00+08:00 = 07:00Z
        #expect(set.observation(site: z, time: t6 + 7200)?.value == nil) // NA
        #expect(set.observation(site: z, time: t6 + 7200) != nil)
        #expect(set.observation(site: k, time: t6)?.value == nil)       // empty
        #expect(set.value(site: k, time: t6 + 1800) == -1.5)            // 01:30-05:00 = 06:30Z
        #expect(set.sites == [ObservationSite(name: z, latitude: 34.75, longitude: 113.62),
                              ObservationSite(name: k, latitude: 34.8, longitude: 114.3)])
        #expect(set.observation(site: z, time: t6)?.unit == "µg/m³")
        #expect(set.observation(site: z, time: t6 + 7200)?.unit == nil)
        #expect(set.observation(site: z, time: t6)?.pollutant == nil)
    }

    @Test("times without a zone are refused unless a timezone is given; with +08:00 they are Beijing time")
    func timezone() throws {
        let text = Self.header + "A,34,113,2024-01-15 14:00,10\nA,34,113,2024-01-15T07:00:00Z,11\n"
        #expect(Self.error(text) == .badTime(path: "obs.csv", line: 2, value: "2024-01-15 14:00",
                                             reason: "it has no time zone: add Z (UTC) or an offset such as +08:00"))
        #expect(Self.error(text)?.description == "observations file 'obs.csv' line 2, column time: '2024-01-15 14:00' is not usable: it has no time zone: add Z (UTC) or an offset such as +08:00; write e.g. 2024-01-15T06:00:00Z or 2024-01-15T14:00:00+08:00, or give the timezone of zoneless times (--timezone +08:00)")
        let set = try Self.read(text, timezone: "+08:00")
        let t6 = UTCTime(year: 2024, month: 1, day: 15, hour: 6)
        #expect(set.value(site: "A", time: t6) == 10)         // 14:00 Beijing = 06:00Z
        #expect(set.value(site: "A", time: t6 + 3600) == 11)  // a zoned time keeps its own zone
        #expect(try Self.read(text, timezone: "-0330").value(site: "A", time: t6 + 11 * 3600 + 30 * 60) == 10)
        #expect(Self.error(text, timezone: "+8h") == .badTimezone(path: "obs.csv", value: "+8h"))
        #expect(Self.error(text, timezone: "Asia/Shanghai") == .badTimezone(path: "obs.csv", value: "Asia/Shanghai"))
    }

    @Test("timezone texts", arguments: [
        ("+08:00", 28_800), ("+08", 28_800), ("+0800", 28_800), ("-05:30", -19_800), ("Z", 0), ("UTC", 0), (" +14:00 ", 50_400),
    ])
    func timezoneTexts(text: String, seconds: Int) {
        #expect(ObservationCSVReader.offsetSeconds(timezone: text) == seconds)
    }

    @Test("bad timezone texts", arguments: ["", "8", "+15:00", "+08:60", "+08:00:00", "+8:0:0", "+０８:00", "GMT+8"])
    func badTimezoneTexts(text: String) {
        #expect(ObservationCSVReader.offsetSeconds(timezone: text) == nil)
    }

    @Test("row errors name the line, column and value", arguments: [
        ("A,abc,113,2024-01-15T06:00:00Z,1\n", ObservationCSVError.badNumber(path: "obs.csv", line: 2, column: "latitude", value: "abc")),
        ("A,34,,2024-01-15T06:00:00Z,1\n", .badNumber(path: "obs.csv", line: 2, column: "longitude", value: "")),
        ("A,34,113,2024-01-15T06:00:00Z,1\nA,34,113,2024-01-15T07:00:00Z,high\n", .badNumber(path: "obs.csv", line: 3, column: "value", value: "high")),
        ("A,34,113,2024-01-15T06:00:00Z,inf\n", .badNumber(path: "obs.csv", line: 2, column: "value", value: "inf")),
        ("A,95,113,2024-01-15T06:00:00Z,1\n", .latitudeOutOfRange(path: "obs.csv", line: 2, value: "95")),
        ("\n , 34,113,2024-01-15T06:00:00Z,1\n", .emptySite(path: "obs.csv", line: 3)),
        ("A,34,113,2024-01-15T06:00:00Z\n", .fieldCount(path: "obs.csv", line: 2, count: 4, expected: 5)),
        ("A,34,113,2024-02-30T06:00:00Z,1\n", .badTime(path: "obs.csv", line: 2, value: "2024-02-30T06:00:00Z", reason: "day 30 is not in 2024-02 (1–29)")),
        ("A,34,113,,1\n", .badTime(path: "obs.csv", line: 2, value: "", reason: "it is empty")),
    ])
    func rowErrors(row: String, expected: ObservationCSVError) {
        let error = Self.error(Self.header + row)
        #expect(error == expected)
        guard case let .fieldCount(_, line, _, _) = expected else {
            #expect(error?.description.contains("line \(Self.line(of: expected)),") == true)
            return
        }
        #expect(error?.description.contains("line \(line):") == true)
    }

    static func line(of error: ObservationCSVError) -> Int {
        switch error {
        case let .badNumber(_, line, _, _), let .latitudeOutOfRange(_, line, _), let .emptySite(_, line),
             let .badTime(_, line, _, _), let .emptyPollutant(_, line):
            return line
        default:
            return -1
        }
    }

    @Test("row error messages say what to write")
    func rowMessages() {
        #expect(ObservationCSVError.badNumber(path: "obs.csv", line: 3, column: "value", value: "high").description
            == "observations file 'obs.csv' line 3, column value: 'high' is not a number; write a decimal such as 88.5, or leave it empty (or NA) for a missing reading")
        #expect(ObservationCSVError.latitudeOutOfRange(path: "obs.csv", line: 2, value: "95").description
            == "observations file 'obs.csv' line 2, column latitude: '95' is outside -90…90; give degrees north (are latitude and longitude swapped?)")
    }

    @Test("header errors: unknown columns list the allowed ones; missing and repeated columns; empty file; no rows")
    func headerErrors() {
        let unknown = Self.error("site,latitude,longitude,time,value,station_id\nA,34,113,2024-01-15T06:00:00Z,1,7\n")
        #expect(unknown == .unknownColumn(path: "obs.csv", line: 1, column: "station_id",
                                          allowed: ["site", "latitude", "longitude", "time", "value", "pollutant", "unit"]))
        #expect(unknown?.description == "observations file 'obs.csv' line 1 (header): unknown column 'station_id'; the allowed columns are site, latitude, longitude, time, value, pollutant, unit (any order, any letter case); remove or rename it")
        #expect(Self.error("\nsite,latitude,longitude,time,value,\n") == .unknownColumn(
            path: "obs.csv", line: 2, column: "", allowed: ObservationCSVReader.requiredColumns + ObservationCSVReader.optionalColumns))
        #expect(Self.error("site,latitude,longitude,time\nA,34,113,2024-01-15T06:00:00Z\n") == .missingColumn(
            path: "obs.csv", line: 1, column: "value", header: ["site", "latitude", "longitude", "time"]))
        #expect(Self.error("site,latitude,longitude,time,value,Value\n") == .duplicateColumn(path: "obs.csv", line: 1, column: "value"))
        #expect(Self.error(" \n\n") == .empty(path: "obs.csv"))
        #expect(Self.error(Self.header + "\n") == .noRows(path: "obs.csv"))
    }

    @Test("a file that is missing, a folder, or not UTF-8")
    func fileErrors() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        #expect(throws: ObservationCSVError.fileNotFound(path: folder.path("none.csv"))) {
            try ObservationCSVReader.read(path: folder.path("none.csv"))
        }
        #expect(throws: ObservationCSVError.unreadable(path: folder.path, reason: "it is a folder")) {
            try ObservationCSVReader.read(path: folder.path)
        }
        try Data([0x73, 0x69, 0x74, 0x65, 0xB5, 0x0A]).write(to: folder.url.appendingPathComponent("latin1.csv"))
        #expect(throws: ObservationCSVError.unreadable(path: folder.path("latin1.csv"), reason: "it is not valid UTF-8")) {
            try ObservationCSVReader.read(path: folder.path("latin1.csv"))
        }
        // The timezone is checked before the file is opened.
        #expect(throws: ObservationCSVError.badTimezone(path: folder.path("none.csv"), value: "+99")) {
            try ObservationCSVReader.read(path: folder.path("none.csv"), timezone: "+99")
        }
    }

    @Test("a repeated site and time is refused naming both lines, also when written in another zone")
    func duplicates() {
        let text = Self.header
            + "A,34,113,2024-01-15T06:00:00Z,1\n"
            + "B,35,113,2024-01-15T06:00:00Z,2\n"
            + "A,34,113,2024-01-15T14:00:00+08:00,3\n"
        let error = Self.error(text)
        #expect(error == .duplicateObservation(path: "obs.csv", site: "A", time: UTCTime(year: 2024, month: 1, day: 15, hour: 6),
                                               firstLine: 2, line: 4))
        #expect(error?.description == "observations file 'obs.csv' line 4: site 'A' at 2024-01-15T06:00:00Z already has a reading on line 2; keep one row per site and hour")
        // A missing reading still occupies its site and hour.
        #expect(Self.error(Self.header + "A,34,113,2024-01-15T06:00:00Z,NA\nA,34,113,2024-01-15T06:00:00Z,5\n")
            == .duplicateObservation(path: "obs.csv", site: "A", time: UTCTime(year: 2024, month: 1, day: 15, hour: 6), firstLine: 2, line: 3))
    }

    @Test("a site whose coordinates change between rows is refused naming both lines")
    func movingSite() {
        let text = Self.header + "A,34.75,113.62,2024-01-15T06:00:00Z,1\n\nA,34.76,113.62,2024-01-15T07:00:00Z,2\n"
        let error = Self.error(text)
        #expect(error == .conflictingCoordinates(path: "obs.csv", site: "A", firstLine: 2, line: 4, first: "34.75,113.62", second: "34.76,113.62"))
        #expect(error?.description == "observations file 'obs.csv' line 4: site 'A' is at 34.76,113.62 but at 34.75,113.62 on line 2; give a site the same latitude,longitude on every row, or name the two positions as different sites")
        // The same numbers written differently are the same position.
        #expect(Self.error(Self.header + "A,34.750,113.62,2024-01-15T06:00:00Z,1\nA,34.75,113.620,2024-01-15T07:00:00Z,2\n") == nil)
    }

    static let pollutants = "site,latitude,longitude,time,value,pollutant,unit\n"
        + "A,34,113,2024-01-15T06:00:00Z,80,PM2.5,µg/m³\n"
        + "A,34,113,2024-01-15T06:00:00Z,40,NO2,µg/m³\n"
        + "A,34,113,2024-01-15T07:00:00Z,90,PM2.5,µg/m³\n"
        + "B,35,113,2024-01-15T06:00:00Z,1.2,CO,mg/m³\n"

    @Test("several pollutants: one must be picked (ignoring case); only its rows are kept")
    func pollutantChoice() throws {
        let error = Self.error(Self.pollutants)
        #expect(error == .pollutantRequired(path: "obs.csv", pollutants: ["PM2.5", "NO2", "CO"], lines: [2, 3, 5]))
        #expect(error?.description == "observations file 'obs.csv' holds several pollutants: 'PM2.5' (first on line 2), 'NO2' (first on line 3), 'CO' (first on line 5); pick one (--pollutant NAME)")
        let pm = try Self.read(Self.pollutants, pollutant: "pm2.5")
        let t6 = UTCTime(year: 2024, month: 1, day: 15, hour: 6)
        #expect(pm.count == 2)
        #expect(pm.value(site: "A", time: t6) == 80)
        #expect(pm.value(site: "A", time: t6 + 3600) == 90)
        #expect(pm.sites.map(\.name) == ["A"])
        #expect(pm.observations.allSatisfy { $0.pollutant == "PM2.5" && $0.unit == "µg/m³" })
        let co = try Self.read(Self.pollutants, pollutant: "CO")
        #expect(co.value(site: "B", time: t6) == 1.2)
        #expect(Self.error(Self.pollutants, pollutant: "O3") == .pollutantNotFound(
            path: "obs.csv", requested: "O3", available: ["PM2.5", "NO2", "CO"], lines: [2, 3, 5]))
        // One pollutant needs no choice; a choice needs a pollutant column.
        let single = "site,latitude,longitude,time,value,pollutant\nA,34,113,2024-01-15T06:00:00Z,80,PM2.5\n"
        #expect(try Self.read(single).count == 1)
        #expect(Self.error(Self.header + "A,34,113,2024-01-15T06:00:00Z,80\n", pollutant: "PM2.5")
            == .noPollutantColumn(path: "obs.csv", line: 1, requested: "PM2.5"))
        #expect(Self.error(single + "A,34,113,2024-01-15T07:00:00Z,81,\n") == .emptyPollutant(path: "obs.csv", line: 3))
    }

    @Test("the kept rows must agree on the unit")
    func units() {
        let text = "site,latitude,longitude,time,value,unit\n"
            + "A,34,113,2024-01-15T06:00:00Z,80,µg/m³\nA,34,113,2024-01-15T07:00:00Z,0.09,mg/m³\n"
        #expect(Self.error(text) == .conflictingUnit(path: "obs.csv", firstLine: 2, line: 3, first: "µg/m³", second: "mg/m³"))
        // Rows of other pollutants may have their own units.
        #expect((try? Self.read(Self.pollutants, pollutant: "CO"))?.count == 1)
    }

    @Test("in-memory text and a file give the same observations")
    func textAndFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("obs.csv", Self.pollutants)
        let fromFile = try ObservationCSVReader.read(path: folder.path("obs.csv"), pollutant: "PM2.5")
        let fromText = try ObservationCSVReader.read(text: Self.pollutants, name: "upload.csv", pollutant: "PM2.5")
        #expect(fromFile.observations == fromText.observations)
        #expect((Self.error(Self.pollutants) as (any Error)?)?.localizedDescription.hasPrefix("observations file 'obs.csv' holds several") == true)
    }
}
