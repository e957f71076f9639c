import Foundation
import Testing
import UpwindAttribution
import UpwindCore
import UpwindFormats
import UpwindTestSupport

@Suite("events.csv")
struct HotspotEventsCSVTests {
    @Test("header, rows in the contract's columns, quoting, file == memory")
    func layout() throws {
        let t0 = UTCTime(year: 2024, month: 10, day: 20, hour: 6)
        let events = [
            HotspotEvent(site: "Zhengzhou", number: 1, startTime: t0, endTime: t0 + 2 * 3600, hours: 3, peakValue: 180.25, meanValue: 150,
                         rules: [], criterion: "value>75"),
            HotspotEvent(site: "Kaifeng, east", number: 2, startTime: t0 + 24 * 3600, endTime: t0 + 24 * 3600, hours: 1, peakValue: 76,
                         meanValue: 76, rules: [], criterion: "value>75 or value>p90(site)=70.5"),
        ]
        let text = try HotspotEventsCSV.text(events)
        #expect(text == """
        site,event,start_time,end_time,hours,peak_value,mean_value,criterion
        Zhengzhou,1,2024-10-20T06:00:00Z,2024-10-20T08:00:00Z,3,180.25,150.00,value>75
        "Kaifeng, east",2,2024-10-21T06:00:00Z,2024-10-21T06:00:00Z,1,76.00,76.00,value>75 or value>p90(site)=70.5

        """)
        let dir = try TemporaryDirectory()
        try HotspotEventsCSV.write(events, to: dir.path("events.csv"))
        #expect(try dir.read("events.csv") == text)
        #expect(try HotspotEventsCSV.text([]) == HotspotEventsCSV.columns.joined(separator: ",") + "\n")
    }
}
