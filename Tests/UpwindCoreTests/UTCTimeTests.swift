import Testing
@testable import UpwindCore

@Suite("UTCTime")
struct UTCTimeTests {
    @Test("civil dates round-trip against known Unix times")
    func knownInstants() {
        // Independent truth: `date -u -d '2000-02-29T12:34:56Z' +%s` = 951827696.
        #expect(UTCTime(year: 2000, month: 2, day: 29, hour: 12, minute: 34, second: 56).secondsSince1970 == 951_827_696)
        #expect(UTCTime(year: 1970, month: 1, day: 1).secondsSince1970 == 0)
        // 1900-01-01 is 25567 days before the epoch (ERA5's time reference).
        #expect(UTCTime(year: 1900, month: 1, day: 1).secondsSince1970 == -25_567 * 86_400)
        // 1800-01-01 (NCEP R1): -62135 days... = -5364662400 s.
        #expect(UTCTime(year: 1800, month: 1, day: 1).secondsSince1970 == -5_364_662_400)
        #expect(UTCTime(secondsSince1970: 951_827_696).iso8601 == "2000-02-29T12:34:56Z")
        #expect(UTCTime(secondsSince1970: -1).iso8601 == "1969-12-31T23:59:59Z")
    }

    @Test("every day of 1899–2101 round-trips through civil fields")
    func roundTrip() {
        var days = UTCTime.daysFromCivil(year: 1899, month: 1, day: 1)
        let end = UTCTime.daysFromCivil(year: 2101, month: 12, day: 31)
        var previous: (Int, Int, Int)?
        while days <= end {
            let c = UTCTime.civilFromDays(days)
            #expect(UTCTime.daysFromCivil(year: c.year, month: c.month, day: c.day) == days)
            if let p = previous, c.month == p.1 { #expect(c.day == p.2 + 1) }
            previous = c
            days += 1
        }
    }

    @Test("ISO 8601 parsing", arguments: [
        ("2020-01-01", "2020-01-01T00:00:00Z"),
        ("2020-01-01T06", "2020-01-01T06:00:00Z"),
        ("2020-01-01T06:30", "2020-01-01T06:30:00Z"),
        ("2020-01-01 06:30:15Z", "2020-01-01T06:30:15Z"),
        ("2020-01-01T08:00:00+08:00", "2020-01-01T00:00:00Z"),
        ("2019-12-31T21:00:00-03:00", "2020-01-01T00:00:00Z"),
    ])
    func parse(text: String, expected: String) {
        #expect(UTCTime(iso8601: text)?.iso8601 == expected)
    }

    @Test("invalid ISO 8601 is rejected", arguments: ["", "2020-13-01", "2021-02-29", "2020-01-01T25", "yesterday", "2020-01-01T06:61"])
    func reject(text: String) {
        #expect(UTCTime(iso8601: text) == nil)
    }
}

@Suite("Grid")
struct GridTests {
    @Test("global longitude detection")
    func global() {
        #expect(LatLonGrid.detectGlobal(stride(from: 0.0, through: 355, by: 5).map { $0 }))
        #expect(LatLonGrid.detectGlobal(stride(from: -180.0, to: 180, by: 0.25).map { $0 }))
        #expect(!LatLonGrid.detectGlobal(stride(from: -140.0, through: -52.5, by: 2.5).map { $0 }))
        #expect(!LatLonGrid.detectGlobal(stride(from: 0.0, through: 350, by: 5).map { $0 }))
    }

    @Test("axis summaries")
    func summary() {
        let a = AxisSummary(values: [-90, -86, -82])
        #expect(a.first == -90 && a.last == -82 && a.count == 3 && a.step == 4)
        #expect(AxisSummary(values: [1000, 850, 700, 500]).step == nil)
        #expect(AxisSummary(values: [5]).step == nil)
    }

    @Test("field indexing is [z][y][x]")
    func field() {
        let f = MetField(nz: 2, ny: 3, nx: 4, values: (0..<24).map(Float.init))
        #expect(f[1, 2, 3] == 23)
        #expect(f[1, 0, 0] == 12)
        #expect(f[0, 1, 2] == 6)
        var g = f
        g.values[5] = .nan
        #expect(g.missingCount == 1)
    }
}
