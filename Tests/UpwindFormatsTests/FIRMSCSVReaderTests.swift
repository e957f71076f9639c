import Foundation
import Testing
import UpwindAttribution
import UpwindCore
import UpwindFormats
import UpwindTestSupport

@Suite("FIRMSCSVReader")
struct FIRMSCSVReaderTests {
    /// A MODIS Collection 6.1 archive extract (fire_archive_M-C61), as FIRMS writes it: Terra and
    /// Aqua over Henan, acq_time without leading zeros, a `type` column.
    static let modis = """
    latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_t31,frp,daynight,type
    34.5912,114.1783,318.4,1.1,1,2024-06-10,255,Terra,MODIS,72,6.03,297.1,14.2,D,0
    34.6037,114.2011,325.9,1.1,1,2024-06-10,255,Terra,MODIS,85,6.03,298.4,25.8,D,0
    35.0128,113.6502,310.2,1,1,2024-06-10,530,Aqua,MODIS,45,6.03,296,7.1,D,0
    33.7420,115.3301,301.6,1.2,1.1,2024-06-11,1805,Aqua,MODIS,0,6.03,289.9,3.4,N,2
    32.1100,114.0700,305.0,1.0,1.0,2024-06-11,5,Terra,MODIS,100,6.03,290.0,0,N,

    """

    /// A VIIRS S-NPP near-real-time extract (SUOMI_VIIRS_C2), CRLF line ends, no `type`.
    static let viirs = "latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight\r\n"
        + "34.71234,114.35678,335.6,0.39,0.36,2024-06-10,518,N,VIIRS,n,2.0NRT,295.4,5.3,D\r\n"
        + "34.71589,114.36012,367,0.39,0.36,2024-06-10,518,N,VIIRS,h,2.0NRT,297.1,18.9,D\r\n"
        + "\r\n"
        + "33.98765,115.01234,301.2,0.4,0.37,2024-06-10,1742,N,VIIRS,l,2.0NRT,285,1.1,N\r\n"
        + "-16.5,179.99999,330.1,0.41,0.38,2024-06-12,0105,N20,VIIRS,nominal,2.0NRT,290,2.25,D\r\n"
        + "0.5,180,330.1,0.41,0.38,2024-06-12,05:30,N20,VIIRS,HIGH,2.0NRT,290,2.25,D\r\n"

    static func read(_ text: String) throws(FIRMSCSVError) -> [FirePoint] {
        try FIRMSCSVReader.read(text: text, name: "fires.csv")
    }

    static func error(_ text: String) -> FIRMSCSVError? {
        do {
            _ = try read(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("MODIS: percent confidence, HHMM times without leading zeros, type, ids by data row")
    func modis() throws {
        let folder = try TemporaryDirectory()
        try folder.write("modis.csv", Self.modis)
        let fires = try FIRMSCSVReader.read(path: folder.path("modis.csv"))
        #expect(fires.count == 5)
        #expect(fires[0] == FirePoint(id: "1", latitude: 34.5912, longitude: 114.1783, time: UTCTime(year: 2024, month: 6, day: 10, hour: 2, minute: 55),
                                      frpMW: 14.2, confidence: .percent(72), satellite: "Terra", instrument: "MODIS", detectionType: 0))
        #expect(fires[2].time == UTCTime(year: 2024, month: 6, day: 10, hour: 5, minute: 30))
        #expect(fires[2].confidence == .percent(45) && fires[2].satellite == "Aqua")
        #expect(fires[3].time == UTCTime(year: 2024, month: 6, day: 11, hour: 18, minute: 5))
        #expect(fires[3].confidence == .percent(0) && fires[3].detectionType == 2)
        #expect(fires[4].time == UTCTime(year: 2024, month: 6, day: 11, hour: 0, minute: 5))  // "5" is 00:05
        #expect(fires[4].frpMW == 0 && fires[4].confidence == .percent(100) && fires[4].detectionType == nil)
        #expect(fires.map(\.id) == ["1", "2", "3", "4", "5"])
        #expect(fires.map(\.confidence.weight) == [0.72, 0.85, 0.45, 0, 1])
    }

    @Test("VIIRS: l/n/h and low/nominal/high, CRLF, a blank line (not counted as a row), 180° read as −180°")
    func viirs() throws {
        let fires = try Self.read(Self.viirs)
        #expect(fires.map(\.confidence) == [.nominal, .high, .low, .nominal, .high])
        #expect(fires.map(\.id) == ["1", "2", "3", "4", "5"])
        #expect(fires[0] == FirePoint(id: "1", latitude: 34.71234, longitude: 114.35678, time: UTCTime(year: 2024, month: 6, day: 10, hour: 5, minute: 18),
                                      frpMW: 5.3, confidence: .nominal, satellite: "N", instrument: "VIIRS"))
        #expect(fires[2].time == UTCTime(year: 2024, month: 6, day: 10, hour: 17, minute: 42))
        #expect(fires[3].time == UTCTime(year: 2024, month: 6, day: 12, hour: 1, minute: 5) && fires[3].longitude == 179.99999)
        #expect(fires[4].time == UTCTime(year: 2024, month: 6, day: 12, hour: 5, minute: 30) && fires[4].longitude == -180)
        #expect(fires[4].satellite == "N20" && fires[4].frpMW == 2.25)
    }

    @Test("an id or fire_id column gives the ids; a header without rows gives no fires; other columns are ignored")
    func idsAndExtras() throws {
        let text = "fire_id,ID,Latitude,LONGITUDE,acq_date,acq_time,frp,confidence,country_id\nA7,x,34.5,114.5,2024-06-10,1230,3.5,n,CHN\nB2,y,34.6,114.6,2024-06-10,1230,1,85,CHN\n"
        let fires = try Self.read(text)
        #expect(fires.map(\.id) == ["A7", "B2"])
        #expect(fires[1].confidence == .percent(85) && fires[1].satellite == nil && fires[1].instrument == nil)
        #expect(try Self.read("id,latitude,longitude,acq_date,acq_time,frp,confidence\n9,1,2,2024-01-01,0,1,l\n").map(\.id) == ["9"])
        #expect(try Self.read(FIRMSCSVReader.requiredColumns.joined(separator: ",") + "\n").isEmpty)
    }

    static let header = "latitude,longitude,acq_date,acq_time,frp,confidence\n"

    @Test("errors name the file, line and column", arguments: [
        ("34.5,abc,2024-06-10,530,1,n\n", FIRMSCSVError.badNumber(path: "fires.csv", line: 2, column: "longitude", value: "abc"),
         "FIRMS fire file 'fires.csv' line 2, column longitude: 'abc' is not a number; write degrees east such as 113.62"),
        ("34.5,114,2024-06-10,530,1,n\nnan,114,2024-06-10,530,1,n\n", .badNumber(path: "fires.csv", line: 3, column: "latitude", value: "nan"),
         "FIRMS fire file 'fires.csv' line 3, column latitude: 'nan' is not a number; write degrees north such as 34.75"),
        ("95,114,2024-06-10,530,1,n\n", .latitudeOutOfRange(path: "fires.csv", line: 2, value: "95"),
         "FIRMS fire file 'fires.csv' line 2, column latitude: '95' is outside -90…90; give degrees north (are latitude and longitude swapped?)"),
        ("34,190.5,2024-06-10,530,1,n\n", .longitudeOutOfRange(path: "fires.csv", line: 2, value: "190.5"),
         "FIRMS fire file 'fires.csv' line 2, column longitude: '190.5' is outside -180…180; give degrees east"),
        ("34,114,2024-13-01,530,1,n\n", .badDate(path: "fires.csv", line: 2, value: "2024-13-01", reason: "month 13 is not 1–12"),
         "FIRMS fire file 'fires.csv' line 2, column acq_date: '2024-13-01' is not usable: month 13 is not 1–12; write the UTC date as YYYY-MM-DD, e.g. 2024-06-10"),
        ("34,114,2023-02-29,530,1,n\n", .badDate(path: "fires.csv", line: 2, value: "2023-02-29", reason: "day 29 is not in 2023-02 (1–28)"),
         "FIRMS fire file 'fires.csv' line 2, column acq_date: '2023-02-29' is not usable: day 29 is not in 2023-02 (1–28); write the UTC date as YYYY-MM-DD, e.g. 2024-06-10"),
        ("34,114,10/06/2024,530,1,n\n", .badDate(path: "fires.csv", line: 2, value: "10/06/2024", reason: "it is not YYYY-MM-DD"),
         "FIRMS fire file 'fires.csv' line 2, column acq_date: '10/06/2024' is not usable: it is not YYYY-MM-DD; write the UTC date as YYYY-MM-DD, e.g. 2024-06-10"),
        ("34,114,2024-06-10,2460,1,n\n", .badTime(path: "fires.csv", line: 2, value: "2460", reason: "hour 24 is not 0–23"),
         "FIRMS fire file 'fires.csv' line 2, column acq_time: '2460' is not usable: hour 24 is not 0–23; write the UTC time as HHMM, e.g. 0530 or 530 for 05:30, 5 for 00:05"),
        ("34,114,2024-06-10,175,1,n\n", .badTime(path: "fires.csv", line: 2, value: "175", reason: "minute 75 is not 0–59"),
         "FIRMS fire file 'fires.csv' line 2, column acq_time: '175' is not usable: minute 75 is not 0–59; write the UTC time as HHMM, e.g. 0530 or 530 for 05:30, 5 for 00:05"),
        ("34,114,2024-06-10,12345,1,n\n", .badTime(path: "fires.csv", line: 2, value: "12345", reason: "it is not HHMM (up to 4 digits)"),
         "FIRMS fire file 'fires.csv' line 2, column acq_time: '12345' is not usable: it is not HHMM (up to 4 digits); write the UTC time as HHMM, e.g. 0530 or 530 for 05:30, 5 for 00:05"),
        ("34,114,2024-06-10,,1,n\n", .badTime(path: "fires.csv", line: 2, value: "", reason: "it is empty"),
         "FIRMS fire file 'fires.csv' line 2, column acq_time: '' is not usable: it is empty; write the UTC time as HHMM, e.g. 0530 or 530 for 05:30, 5 for 00:05"),
        ("34,114,2024-06-10,530,1,101\n", .confidenceOutOfRange(path: "fires.csv", line: 2, value: "101"),
         "FIRMS fire file 'fires.csv' line 2, column confidence: '101' is outside 0–100; a MODIS confidence is a percent"),
        ("34,114,2024-06-10,530,1,-3\n", .confidenceOutOfRange(path: "fires.csv", line: 2, value: "-3"),
         "FIRMS fire file 'fires.csv' line 2, column confidence: '-3' is outside 0–100; a MODIS confidence is a percent"),
        ("34,114,2024-06-10,530,1,medium\n", .badConfidence(path: "fires.csv", line: 2, value: "medium"),
         "FIRMS fire file 'fires.csv' line 2, column confidence: 'medium' is neither a MODIS percent (0–100) nor a VIIRS class (l, n, h or low, nominal, high)"),
        ("34,114,2024-06-10,530,1,85.5\n", .badConfidence(path: "fires.csv", line: 2, value: "85.5"),
         "FIRMS fire file 'fires.csv' line 2, column confidence: '85.5' is neither a MODIS percent (0–100) nor a VIIRS class (l, n, h or low, nominal, high)"),
        ("34,114,2024-06-10,530,-2.5,n\n", .badFRP(path: "fires.csv", line: 2, value: "-2.5"),
         "FIRMS fire file 'fires.csv' line 2, column frp: '-2.5' is not a fire radiative power; give megawatts, a finite number ≥ 0"),
        ("34,114,2024-06-10,530,inf,n\n", .badFRP(path: "fires.csv", line: 2, value: "inf"),
         "FIRMS fire file 'fires.csv' line 2, column frp: 'inf' is not a fire radiative power; give megawatts, a finite number ≥ 0"),
        ("34,114,2024-06-10,530,NaN,n\n", .badFRP(path: "fires.csv", line: 2, value: "NaN"),
         "FIRMS fire file 'fires.csv' line 2, column frp: 'NaN' is not a fire radiative power; give megawatts, a finite number ≥ 0"),
        ("34,114,2024-06-10,530,,n\n", .badNumber(path: "fires.csv", line: 2, column: "frp", value: ""),
         "FIRMS fire file 'fires.csv' line 2, column frp: an empty value is not a number; write megawatts such as 12.3"),
        ("34,114,2024-06-10,530,1\n", .fieldCount(path: "fires.csv", line: 2, count: 5, expected: 6),
         "FIRMS fire file 'fires.csv' line 2: 5 fields but the header has 6; give every column on every row"),
    ])
    func rowErrors(row: String, expected: FIRMSCSVError, message: String) {
        let error = Self.error(Self.header + row)
        #expect(error == expected)
        #expect(error?.description == message)
    }

    @Test("header errors: every missing column listed with the header line; duplicates; ids; type; files")
    func fileErrors() throws {
        let missing = Self.error("\n\nlatitude,longitude,bright_ti4,acq_date,confidence\n34,114,300,2024-06-10,n\n")
        #expect(missing == .missingColumns(path: "fires.csv", line: 3, columns: ["acq_time", "frp"],
                                           header: ["latitude", "longitude", "bright_ti4", "acq_date", "confidence"]))
        #expect(missing?.description == "FIRMS fire file 'fires.csv' line 3 (header): missing columns 'acq_time', 'frp' (found 'latitude', 'longitude', 'bright_ti4', 'acq_date', 'confidence'); a FIRMS MODIS or VIIRS CSV needs latitude, longitude, acq_date, acq_time, frp, confidence")
        #expect(Self.error("lat,lon,acq_date,acq_time,frp,confidence\n")?.description == "FIRMS fire file 'fires.csv' line 1 (header): missing columns 'latitude', 'longitude' (found 'lat', 'lon', 'acq_date', 'acq_time', 'frp', 'confidence'); a FIRMS MODIS or VIIRS CSV needs latitude, longitude, acq_date, acq_time, frp, confidence")
        #expect(Self.error("latitude,longitude,acq_date,acq_time,frp,confidence,FRP\n") == .duplicateColumn(path: "fires.csv", line: 1, column: "frp"))
        let ids = "fire_id,latitude,longitude,acq_date,acq_time,frp,confidence\n"
        let duplicate = Self.error(ids + "a,34,114,2024-06-10,530,1,n\nb,34,114,2024-06-10,530,1,n\n\na,34,114,2024-06-10,530,1,n\n")
        #expect(duplicate == .duplicateID(path: "fires.csv", id: "a", firstLine: 2, line: 5))
        #expect(duplicate?.description == "FIRMS fire file 'fires.csv' line 5: fire id 'a' is already used on line 2; give each fire its own id")
        #expect(Self.error(ids + " ,34,114,2024-06-10,530,1,n\n")?.description == "FIRMS fire file 'fires.csv' line 2, column fire_id: the id is empty; give every fire an id, or remove the fire_id column to number fires by row")
        #expect(Self.error("latitude,longitude,acq_date,acq_time,frp,confidence,type\n34,114,2024-06-10,530,1,n,7\n")
            == .badType(path: "fires.csv", line: 2, value: "7"))
        #expect(Self.error("") == .empty(path: "fires.csv"))
        #expect(Self.error("\n \n")?.description == "FIRMS fire file 'fires.csv' is empty; it needs a FIRMS header (latitude,longitude,…,acq_date,acq_time,…,confidence,…,frp,…) and one row per fire")
        let folder = try TemporaryDirectory()
        #expect(throws: FIRMSCSVError.fileNotFound(path: folder.path("none.csv"))) { try FIRMSCSVReader.read(path: folder.path("none.csv")) }
        #expect(throws: FIRMSCSVError.unreadable(path: folder.path, reason: "it is a folder")) { try FIRMSCSVReader.read(path: folder.path) }
        // The library's errors reach Foundation with their own messages.
        let error: any Error = FIRMSCSVError.badType(path: "f.csv", line: 2, value: "7")
        #expect(error.localizedDescription == FIRMSCSVError.badType(path: "f.csv", line: 2, value: "7").description)
        let matchError: any Error = FireMatchError.invalidSetting(setting: "radiusKm", value: "0.0", requirement: "kilometres, > 0 and ≤ 1000")
        #expect(matchError.localizedDescription == "invalid fire-matching setting radiusKm = 0.0: kilometres, > 0 and ≤ 1000")
    }

    @Test("confidence texts", arguments: [
        ("l", FireConfidence.low), ("LOW", .low), (" n ", .nominal), ("Nominal", .nominal), ("h", .high), ("high", .high),
        ("0", .percent(0)), ("85", .percent(85)), ("100", .percent(100)), ("85.0", .percent(85)), ("150", .percent(150)),
    ])
    func confidenceTexts(text: String, expected: FireConfidence) {
        #expect(FIRMSCSVReader.confidence(text) == expected)
    }

    @Test("fires read from FIRMS text match trajectories end to end")
    func readThenMatch() async throws {
        let fires = try Self.read(Self.viirs)
        // An endpoint at the first two VIIRS fires' hour, 0.5 km away: both match, n (0.8) and h (1.0).
        let time = UTCTime(year: 2024, month: 6, day: 10, hour: 6)
        let e = TrajectoryEndpoint(time: time, ageHours: -1, latitude: 34.715, longitude: 114.358, heightAGL: 300, pressureHPa: 950)
        let t = Trajectory(id: 1, start: TrajectoryStart(site: "S", latitude: 35, longitude: 114, height: 100, time: time + 3600),
                           isBackward: true, verticalMode: .data, endpoints: [e], termination: Termination(reason: .completed, time: time))
        let matcher = try FireMatcher(fires: fires)
        let r = await matcher.match(trajectories: [t], polluted: [true], eventOfTrajectory: [0], eventCount: 1)
        #expect(r.contributions.map(\.fire) == [0, 1])
        let d0 = FireMatcher.distanceKm(latitude1: 34.71234, longitude1: 114.35678, latitude2: 34.715, longitude2: 114.358)
        let d1 = FireMatcher.distanceKm(latitude1: 34.71589, longitude1: 114.36012, latitude2: 34.715, longitude2: 114.358)
        #expect(d0 < 1 && d1 < 1)
        let want = 0.8 * 5.3 * exp(-d0 * d0 / 1250) + 18.9 * exp(-d1 * d1 / 1250)
        #expect(abs(r.perEvent[0] - want) <= 1e-12 * want)
        #expect(r.perFire[0].score == r.contributions[0].score && r.perFire[1].matchedEvents == 1)
    }
}
