import Foundation
import Testing
import UpwindAttribution
import UpwindCore
@testable import UpwindFormats
import UpwindTestSupport

/// Issue 13: the text readers (tdump, CONTROL, SETUP.CFG, starts CSV, observations CSV, FIRMS
/// CSV) bounds-check before they slice and check their arithmetic: every line of a real file cut
/// at every length, and every field replaced by hostile numbers, is read or refused, never a trap.
@Suite("Hostile text inputs")
struct HostileTextTests {
    /// Numbers that overflow, underflow or are not finite, and text a field may hold.
    static let hostileTokens = ["9223372036854775807", "-9223372036854775808", "99999999999999999999", "2147483648",
                                "1e308", "-1e308", "1e-45", "nan", "inf", "-0", "********", "", "\u{0}"]

    /// `text` with line `index` replaced.
    static func replacingLine(_ text: String, _ index: Int, with line: String) -> String {
        var lines = text.components(separatedBy: "\n")
        lines[index] = line
        return lines.joined(separator: "\n")
    }

    /// Every prefix of each of `lines` of `text`, and each whitespace/comma-separated field of
    /// those lines replaced by each hostile token.
    static func variants(of text: String, lines: Range<Int>) -> [String] {
        let all = text.components(separatedBy: "\n")
        var out: [String] = []
        for i in lines where i < all.count {
            let line = Array(all[i])
            for cut in 0 ..< line.count { out.append(replacingLine(text, i, with: String(line[0 ..< cut]))) }
            // Fields: runs of characters other than blanks and commas, replaced in place.
            var starts: [(Int, Int)] = []
            var k = 0
            while k < line.count {
                if line[k] == " " || line[k] == "," || line[k] == "\t" { k += 1; continue }
                let s = k
                while k < line.count, line[k] != " ", line[k] != ",", line[k] != "\t" { k += 1 }
                starts.append((s, k))
            }
            for (s, e) in starts {
                for token in hostileTokens {
                    out.append(replacingLine(text, i, with: String(line[0 ..< s]) + token + String(line[e...])))
                }
            }
        }
        return out
    }

    static let tdump: String = { (try? String(contentsOf: Fixtures.root.appendingPathComponent("hysplit/tutorial_fwd12.tdump"), encoding: .utf8)) ?? "" }()
    static let control: String = { (try? String(contentsOf: Fixtures.root.appendingPathComponent("hysplit/tutorial_CONTROL"), encoding: .utf8)) ?? "" }()
    static let setup: String = { (try? String(contentsOf: Fixtures.root.appendingPathComponent("hysplit/tutorial_SETUP.CFG"), encoding: .utf8)) ?? "" }()

    @Test("tdump: a start record cut short is refused naming the line (was: index out of range)")
    func tdumpStartCutShort() throws {
        let text = Self.replacingLine(Self.tdump, 3, with: "    95    10    16     0   40.000")
        #expect(throws: TdumpError.badHeader(path: "cut.tdump", line: 4, record: "start record (4I6,2F9.3,F8.1: year, month, day, hour, latitude, longitude, height)",
                                             text: "    95    10    16     0   40.000")) {
            try TdumpReader.parse(text, path: "cut.tdump")
        }
    }

    @Test("tdump: years that overflow a time and absurd centuries are refused")
    func tdumpYears() {
        let start = Self.replacingLine(Self.tdump, 3, with: "999999999999    10    16     0   40.000  -90.000    10.0")
        #expect(throws: TdumpError.self) { try TdumpReader.parse(start) }
        #expect(throws: TdumpError.self) { try TdumpReader.parse(Self.tdump, options: TdumpReadOptions(century: Int.max)) }
        #expect(throws: TdumpError.self) { try TdumpReader.parse(Self.tdump, options: TdumpReadOptions(century: Int.min)) }
        let lines = Self.tdump.components(separatedBy: "\n")
        #expect(lines.contains { $0.split(separator: " ").count > 12 })
        if let endpointIndex = lines.firstIndex(where: { $0.split(separator: " ").count > 12 }) {
            var fields = lines[endpointIndex].split(separator: " ").map(String.init)
            fields[2] = "9000000000000000000"
            #expect(throws: TdumpError.self) { try TdumpReader.parse(Self.replacingLine(Self.tdump, endpointIndex, with: fields.joined(separator: " "))) }
        }
        #expect(TdumpReader.fullYear(95, century: Int.max) == Int.max)
    }

    @Test("tdump: every header line and the first endpoint line cut at every length or with hostile fields: read or refused")
    func tdumpVariants() {
        let variants = Self.variants(of: Self.tdump, lines: 0 ..< 8)
        #expect(variants.count > 500)
        var refused = 0
        for v in variants {
            do { _ = try TdumpReader.parse(v) } catch is TdumpError { refused += 1 } catch { Issue.record("unexpected error \(error)") }
        }
        #expect(refused > 100)
    }

    @Test("CONTROL: run hours beyond 87,660 (e.g. 2147483648) and start offsets that overflow are refused naming the line")
    func controlNumbers() throws {
        let hoursLine = try #require(Self.control.components(separatedBy: "\n").firstIndex { $0.trimmingCharacters(in: .whitespaces) == "12" })
        for hours in ["2147483648", "-87661", "9223372036854775807", "-9223372036854775808"] {
            let text = Self.replacingLine(Self.control, hoursLine, with: hours)
            do {
                _ = try HysplitControl.parse(text)
                Issue.record("expected a refusal of \(hours)")
            } catch let error as HysplitControlError {
                #expect(error.description.contains("line \(hoursLine + 1)") && error.description.contains("87660") && !error.description.contains("\n"), "\(error)")
            }
        }
        #expect(throws: HysplitControlError.self) { try HysplitControl.parse(Self.replacingLine(Self.control, 0, with: "00 00 9223372036854775807 00")) }
        #expect(throws: HysplitControlError.self) { try HysplitControl.parse(Self.replacingLine(Self.control, 0, with: "00 00 00 1000000000000")) }
        #expect(throws: HysplitControlError.self) { try HysplitControl.parse(Self.replacingLine(Self.control, 0, with: "999999999999 10 16 00")) }
        let ok = try HysplitControl.parse(Self.replacingLine(Self.control, hoursLine, with: "-87660"))
        #expect(ok.hours == -87_660)
    }

    @Test("CONTROL and SETUP.CFG: every line cut at every length or with hostile fields: read or refused")
    func controlAndSetupVariants() {
        for v in Self.variants(of: Self.control, lines: 0 ..< 20) {
            do { _ = try HysplitControl.parse(v) } catch is HysplitControlError {} catch { Issue.record("unexpected error \(error)") }
        }
        for v in Self.variants(of: Self.setup, lines: 0 ..< 10) {
            do { _ = try HysplitSetup.parse(v) } catch is HysplitControlError {} catch { Issue.record("unexpected error \(error)") }
        }
    }

    static let starts = "site,latitude,longitude,height_m,time\nZZ,34.75,113.65,500,2024-01-15T06:00:00Z\nBJ,39.9,116.4,1500,2024-01-15T14:00:00+08:00\n"
    static let observations = "site,latitude,longitude,time,value,pollutant,unit\nZhengzhou,34.7466,113.6254,2025-10-10T00:00:00Z,42.2,PM2.5,µg/m3\nZhengzhou,34.7466,113.6254,2025-10-10T01:00:00+08:00,36.4,PM2.5,µg/m3\n"
    static let firms = "latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight\n33.92674,112.72571,312.43,0.39,0.39,2025-10-11,0601,N,VIIRS,n,2.0NRT,290.98,2.29,D\n34.5912,114.1783,318.4,1.1,1,2024-06-10,255,Terra,MODIS,72,6.03,297.1,14.2,D\n"

    @Test("starts, observations and FIRMS CSV: every line cut at every length or with hostile fields: read or refused")
    func csvVariants() {
        for v in Self.variants(of: Self.starts, lines: 0 ..< 3) {
            do { _ = try StartsCSVReader.parse(v, source: "starts.csv") } catch is StartsCSVError {} catch { Issue.record("unexpected error \(error)") }
        }
        for v in Self.variants(of: Self.observations, lines: 0 ..< 3) {
            do { _ = try ObservationCSVReader.read(text: v, name: "obs.csv") } catch {}
        }
        for v in Self.variants(of: Self.firms, lines: 0 ..< 3) {
            do { _ = try FIRMSCSVReader.read(text: v, name: "fires.csv") } catch {}
        }
        // Times whose year overflows a time in seconds are refused, not trapped.
        #expect(throws: StartsCSVError.self) {
            try StartsCSVReader.parse("site,latitude,longitude,height_m,time\nZZ,34,113,500,999999999999999-01-15T06:00:00Z\n", source: "s.csv")
        }
    }
}

@Suite("Devices as text inputs")
struct DeviceInputTests {
    @Test("a character device given as a tdump, CONTROL, starts, observations, FIRMS, regions or trajectory CSV is refused by name (/dev/zero would never end)")
    func devices() {
        let path = "/dev/zero"
        #expect(throws: TdumpError.unreadable(path: path, reason: "it is a character device, not a file")) { try TdumpReader.read(path: path) }
        #expect(throws: HysplitControlError.unreadable(path: path, reason: "it is a character device, not a file")) { try HysplitControl.read(path: path) }
        #expect(throws: StartsCSVError.unreadable(path: path, reason: "it is a character device, not a file")) { try StartsCSVReader.read(path: path) }
        #expect(throws: ObservationCSVError.unreadable(path: path, reason: "it is a character device, not a file")) { try ObservationCSVReader.read(path: path) }
        #expect(throws: FIRMSCSVError.unreadable(path: path, reason: "it is a character device, not a file")) { try FIRMSCSVReader.read(path: path) }
        #expect(throws: RegionFileError.unreadable(path: path, reason: "it is a character device, not a file")) { try RegionFile.read(path: path) }
        #expect(throws: TrajectoryReadError.unreadable(path: path, reason: "it is a character device, not a file")) { try TrajectoryCSVReader.read(path: path) }
    }
}
