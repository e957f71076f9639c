import Foundation
import Testing
import UpwindAttribution
import UpwindCore
import UpwindFormats
import UpwindTestSupport

@Suite("fires.csv")
struct FIRMSFiresCSVTests {
    static let t = UTCTime(year: 2024, month: 6, day: 10, hour: 5, minute: 18)
    static let fires = [
        FirePoint(id: "10", latitude: 34.71234, longitude: 114.35678, time: t, frpMW: 5.3, confidence: .nominal),
        FirePoint(id: "9", latitude: 34.6, longitude: 114.2, time: t + 60, frpMW: 25.8, confidence: .percent(85)),
        FirePoint(id: "2", latitude: -16.5, longitude: 180, time: t, frpMW: 0.125, confidence: .low),
        FirePoint(id: "11", latitude: 35.0128, longitude: 113.65, time: t, frpMW: 100, confidence: .high),
        FirePoint(id: "b", latitude: 1, longitude: 2, time: t, frpMW: 1, confidence: .percent(0)),
        FirePoint(id: "a", latitude: 1, longitude: 2, time: t, frpMW: 1, confidence: .percent(0)),
    ]
    static let summaries = [
        FireSummary(matchedTrajectories: 3, matchedPollutedTrajectories: 2, matchedEvents: 1, score: 12.3456),
        FireSummary(matchedTrajectories: 1, matchedPollutedTrajectories: 0, matchedEvents: 0, score: 0),
        FireSummary(),
        FireSummary(matchedTrajectories: 7, matchedPollutedTrajectories: 5, matchedEvents: 2, score: 250.0004),
        FireSummary(),
        FireSummary(),
    ]
    static let regions: [FiresCSV.Region?] = [
        FiresCSV.Region(id: "410102", name: "Zhongyuan, Zhengzhou"), FiresCSV.Region(id: "410205", name: "禹王台区"), nil,
        FiresCSV.Region(id: "410100", name: "Zhengzhou \"city\""), nil, nil,
    ]

    @Test("the contract's columns; score descending, then id (whole numbers first, numerically, then text); RFC 4180 quoting")
    func layout() throws {
        let text = try FiresCSV.text(fires: Self.fires, summaries: Self.summaries, regions: Self.regions)
        #expect(text == #"""
        fire_id,latitude,longitude,time,frp_mw,confidence,region_id,region_name,matched_trajectories,matched_events,score
        11,35.0128,113.65,2024-06-10T05:18:00Z,100,h,410100,"Zhengzhou ""city""",7,2,250.000
        10,34.71234,114.35678,2024-06-10T05:18:00Z,5.3,n,410102,"Zhongyuan, Zhengzhou",3,1,12.346
        2,-16.5,-180,2024-06-10T05:18:00Z,0.125,l,,,0,0,0.000
        9,34.6,114.2,2024-06-10T05:19:00Z,25.8,85,410205,禹王台区,1,0,0.000
        a,1,2,2024-06-10T05:18:00Z,1,0,,,0,0,0.000
        b,1,2,2024-06-10T05:18:00Z,1,0,,,0,0,0.000

        """#)
        #expect(FiresCSV.rowOrder(fires: Self.fires, summaries: Self.summaries) == [3, 0, 2, 1, 5, 4])
        let noRegions = try FiresCSV.text(fires: Array(Self.fires.prefix(1)), summaries: Array(Self.summaries.prefix(1)))
        #expect(noRegions.hasSuffix("\n10,34.71234,114.35678,2024-06-10T05:18:00Z,5.3,n,,,3,1,12.346\n"))
        #expect(try FiresCSV.text(fires: [], summaries: []) == FiresCSV.columns.joined(separator: ",") + "\n")
    }

    @Test("written through a temporary file: the file equals the text, nothing else is left; a missing folder leaves nothing")
    func file() throws {
        let folder = try TemporaryDirectory()
        try FiresCSV.write(fires: Self.fires, summaries: Self.summaries, regions: Self.regions, to: folder.path("fires.csv"))
        #expect(try folder.read("fires.csv") == FiresCSV.text(fires: Self.fires, summaries: Self.summaries, regions: Self.regions))
        #expect(try folder.contents() == ["fires.csv"])
        #expect(throws: TrajectoryOutputError.folderMissing(path: folder.path("out/fires.csv"), folder: folder.path("out"))) {
            try FiresCSV.write(fires: Self.fires, summaries: Self.summaries, to: folder.path("out/fires.csv"))
        }
        #expect(try folder.contents() == ["fires.csv"])
    }

    @Test("FIRMS file → matcher → fires.csv")
    func endToEnd() async throws {
        let csv = "latitude,longitude,acq_date,acq_time,frp,confidence\n34.5,114.5,2024-06-10,530,10,h\n34.5,114.6,2024-06-10,530,20,50\n40,100,2024-06-10,530,99,h\n"
        let fires = try FIRMSCSVReader.read(text: csv, name: "f.csv")
        let time = UTCTime(year: 2024, month: 6, day: 10, hour: 6)
        let e = TrajectoryEndpoint(time: time, ageHours: -2, latitude: 34.5, longitude: 114.5, heightAGL: 300, pressureHPa: 950)
        let t = Trajectory(id: 1, start: TrajectoryStart(site: "S", latitude: 35, longitude: 114, height: 100, time: time + 7200),
                           isBackward: true, verticalMode: .data, endpoints: [e], termination: Termination(reason: .completed, time: time))
        let matcher = try FireMatcher(fires: fires)
        let r = await matcher.match(trajectories: [t], polluted: [true], eventOfTrajectory: [0], eventCount: 1)
        // Fire 2 is 0.1° of longitude at 34.5° N away: d = 9.16386 km, score 9.350258; 0.5·20·exp(−d²/1250).
        let d = FireMatcher.distanceKm(latitude1: 34.5, longitude1: 114.6, latitude2: 34.5, longitude2: 114.5)
        #expect(abs(d - 9.163864736) < 1e-8)
        #expect(abs(r.perFire[1].score - 9.350258214813765) < 1e-9)
        let text = try FiresCSV.text(fires: fires, summaries: r.perFire)
        #expect(text.split(separator: "\n").dropFirst().map { String($0) } == [
            "1,34.5,114.5,2024-06-10T05:30:00Z,10,h,,,1,1,10.000",
            "2,34.5,114.6,2024-06-10T05:30:00Z,20,50,,,1,1,9.350",
            "3,40,100,2024-06-10T05:30:00Z,99,h,,,0,0,0.000",
        ])
    }
}
