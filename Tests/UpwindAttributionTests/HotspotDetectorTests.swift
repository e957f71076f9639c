import Testing
import UpwindAttribution
import UpwindCore

/// Site A, hours 0–9: a rise, a missing hour, a second rise, a single hour, a tie at 75.
///
///     hour   0   1   2   3   4    5   6   7   8   9
///     value 50  80  90  NA  85  100  70  76  75  60
func siteA() -> [Observation] {
    let values: [Double?] = [50, 80, 90, nil, 85, 100, 70, 76, 75, 60]
    return values.enumerated().map { obs("A", $0.offset, $0.element) }
}

@Suite("Hotspot detection")
struct HotspotDetectorTests {
    @Test("threshold: strictly above; a missing hour, a lower hour end events; a tie is not a hotspot; single-hour events")
    func threshold() throws {
        let set = try ObservationSet(siteA())
        let events = HotspotDetector.detect(set, rules: try HotspotRules(threshold: 75))
        #expect(events == [
            HotspotEvent(site: "A", number: 1, startTime: hour(1), endTime: hour(2), hours: 2, peakValue: 90, meanValue: 85,
                         rules: [.threshold], criterion: "value>75"),
            HotspotEvent(site: "A", number: 2, startTime: hour(4), endTime: hour(5), hours: 2, peakValue: 100, meanValue: 92.5,
                         rules: [.threshold], criterion: "value>75"),
            HotspotEvent(site: "A", number: 3, startTime: hour(7), endTime: hour(7), hours: 1, peakValue: 76, meanValue: 76,
                         rules: [.threshold], criterion: "value>75"),
        ])
    }

    @Test("percentile of the site's period: p90 of the 9 values is 92, so only the 100 is a hotspot")
    func percentile() throws {
        // Sorted non-missing values: 50 60 70 75 76 80 85 90 100; h = 1 + 8·0.9 = 8.2 → 0.8·90 + 0.2·100 = 92.
        let set = try ObservationSet(siteA())
        let detection = HotspotDetector.analyse(set, rules: try HotspotRules(percentile: 90))
        #expect(detection.percentileLimits.count == 1)
        #expect(detection.percentileLimits.first?.site == "A")
        #expect(abs((detection.percentileLimits.first?.limit ?? 0) - 92) < 1e-9)
        #expect(detection.events.count == 1)
        let event = try #require(detection.events.first)
        #expect(event.startTime == hour(5) && event.endTime == hour(5) && event.hours == 1)
        #expect(event.peakValue == 100 && event.meanValue == 100)
        #expect(event.criterion == "value>p90(site)=92")
        // The per-hour flags carry the limit on every hour, the rule on the flagged one.
        #expect(detection.hours.count == 10)
        #expect(detection.hours.map(\.isHotspot) == [false, false, false, false, false, true, false, false, false, false])
        #expect(detection.hours[5].flaggedBy == [.percentile])
        #expect(detection.hours[5].event == 1)
        #expect(detection.hours[3].value == nil && detection.hours[3].event == nil)
    }

    @Test("combined rules: an hour is a hotspot when it meets any rule; the criterion lists the rules that fired")
    func combined() throws {
        // p80: h = 1 + 8·0.8 = 7.4 → 0.6·85 + 0.4·90 = 87. Threshold 95 flags hour 5 only;
        // p80 flags hours 2 (90) and 5 (100).
        let set = try ObservationSet(siteA())
        let detection = HotspotDetector.analyse(set, rules: try HotspotRules(threshold: 95, percentile: 80))
        #expect(detection.events.map(\.startTime) == [hour(2), hour(5)])
        #expect(detection.events.map(\.hours) == [1, 1])
        #expect(detection.events.map(\.rules) == [[.percentile], [.threshold, .percentile]])
        #expect(detection.events.map(\.criterion) == ["value>p80(site)=87", "value>95 or value>p80(site)=87"])
        #expect(detection.hours[5].flaggedBy == [.threshold, .percentile])
        // Threshold 75 with p90: the same events as the threshold alone; event 2 also met p90.
        let both = HotspotDetector.detect(set, rules: try HotspotRules(threshold: 75, percentile: 90))
        #expect(both.map(\.number) == [1, 2, 3])
        #expect(both.map(\.criterion) == ["value>75", "value>75 or value>p90(site)=92", "value>75"])
    }

    @Test("spatial factor: above F × the median over all sites with a value at that hour")
    func spatial() throws {
        //      hour   0   1   2   3
        //      A     10  40  40  10
        //      B     10  10  20  NA
        //      C     10  10  20  10
        // medians 10, 10, 20, 10 (hour 3 over A and C) → limits with F = 1.5: 15, 15, 30, 15.
        let set = try ObservationSet([
            obs("A", 0, 10), obs("A", 1, 40), obs("A", 2, 40), obs("A", 3, 10),
            obs("B", 0, 10), obs("B", 1, 10), obs("B", 2, 20), obs("B", 3, nil),
            obs("C", 0, 10), obs("C", 1, 10), obs("C", 2, 20), obs("C", 3, 10),
        ])
        let detection = HotspotDetector.analyse(set, rules: try HotspotRules(spatialFactor: 1.5))
        #expect(detection.events == [
            HotspotEvent(site: "A", number: 1, startTime: hour(1), endTime: hour(2), hours: 2, peakValue: 40, meanValue: 40,
                         rules: [.spatial], criterion: "value>1.5×median(all sites)=15…30"),
        ])
        let a = detection.hours.filter { $0.site == "A" }
        #expect(a.map(\.spatialMedian) == [10, 10, 20, 10])
        #expect(a.map(\.spatialLimit) == [15, 15, 30, 15])
        #expect(detection.hours.filter { $0.site == "B" }.map(\.spatialLimit) == [15, 15, 30, 15])
        // A value equal to F × median is not a hotspot: with F = 2, hour 2's limit is 40 = A's value.
        let tie = HotspotDetector.detect(set, rules: try HotspotRules(spatialFactor: 2))
        #expect(tie.map(\.startTime) == [hour(1)])
        #expect(tie.first?.criterion == "value>2×median(all sites)=20")
    }

    @Test("spatial rule: an hour with fewer than 2 sites reporting has no limit")
    func spatialLoneSite() throws {
        let set = try ObservationSet([obs("A", 0, 1000), obs("B", 0, nil), obs("A", 1, 10), obs("B", 1, 1)])
        let detection = HotspotDetector.analyse(set, rules: try HotspotRules(spatialFactor: 1.5))
        #expect(detection.hours[0].spatialMedian == nil)
        #expect(detection.hours[0].isHotspot == false)
        // Hour 1: median of {10, 1} = 5.5, limit 8.25 → A (10) is a hotspot.
        #expect(detection.hours[1].spatialLimit == 8.25)
        #expect(detection.events.map(\.startTime) == [hour(1)])
        #expect(detection.events.first?.criterion == "value>1.5×median(all sites)=8.25")
    }

    @Test("events across gaps: an absent hour ends an event; numbering is per site")
    func gaps() throws {
        // B has hours 0, 1, 3, 4 (hour 2 absent from the data), all 100.
        let set = try ObservationSet(siteA() + [obs("B", 0, 100), obs("B", 1, 100), obs("B", 3, 100), obs("B", 4, 100)])
        let events = HotspotDetector.detect(set, rules: try HotspotRules(threshold: 75))
        #expect(events.map(\.site) == ["A", "A", "A", "B", "B"])
        #expect(events.map(\.number) == [1, 2, 3, 1, 2])
        let b = events.filter { $0.site == "B" }
        #expect(b.map(\.startTime) == [hour(0), hour(3)])
        #expect(b.map(\.endTime) == [hour(1), hour(4)])
        #expect(b.map(\.hours) == [2, 2])
        // Over midnight: hours 23 and 24 (next day 00:00) are consecutive.
        let night = try ObservationSet([obs("C", 23, 80), obs("C", 24, 90)])
        #expect(HotspotDetector.detect(night, rules: try HotspotRules(threshold: 75)).map(\.hours) == [2])
    }

    @Test("a site whose values are all missing has no events and no percentile limit")
    func allMissing() throws {
        let set = try ObservationSet([obs("E", 0, nil), obs("E", 1, nil), obs("A", 0, 100)])
        let detection = HotspotDetector.analyse(set, rules: try HotspotRules(threshold: 1, percentile: 0))
        #expect(detection.events.map(\.site) == ["A"])
        #expect(detection.percentileLimits.map(\.site) == ["A"])
        let e = detection.hours.filter { $0.site == "E" }
        #expect(e.count == 2)
        #expect(e.allSatisfy { $0.value == nil && !$0.isHotspot && $0.percentileLimit == nil && $0.event == nil })
    }

    @Test("rules: at least one is required, and each must be in range")
    func rules() throws {
        #expect(throws: HotspotRulesError.noRule) { try HotspotRules() }
        #expect(throws: HotspotRulesError.badPercentile(101)) { try HotspotRules(percentile: 101) }
        #expect(throws: HotspotRulesError.badSpatialFactor(0)) { try HotspotRules(spatialFactor: 0) }
        #expect(throws: HotspotRulesError.badSpatialFactor(-1)) { try HotspotRules(threshold: 5, spatialFactor: -1) }
        #expect(throws: HotspotRulesError.self) { try HotspotRules(threshold: .infinity) }
        #expect(try HotspotRules(threshold: 75, spatialFactor: 1.5).rules == [.threshold, .spatial])
        #expect(HotspotRulesError.noRule.description.hasPrefix("hotspot detection needs at least one rule"))
    }

    @Test("no observations, no events")
    func empty() throws {
        let detection = HotspotDetector.analyse(try ObservationSet([]), rules: try HotspotRules(threshold: 1))
        #expect(detection.events.isEmpty && detection.hours.isEmpty)
    }

    @Test("event index: an arrival belongs to the event of its site whose hours contain it, ends included")
    func eventIndex() {
        let t0 = UTCTime(year: 2025, month: 10, day: 10)
        func event(_ site: String, _ n: Int, _ from: Int, _ to: Int) -> HotspotEvent {
            HotspotEvent(site: site, number: n, startTime: t0 + Int64(from * 3600), endTime: t0 + Int64(to * 3600), hours: to - from + 1,
                         peakValue: 100, meanValue: 90, rules: [.threshold], criterion: "value>75")
        }
        let index = HotspotEventIndex([event("B", 1, 0, 0), event("A", 2, 10, 12), event("A", 1, 2, 4)])
        #expect(index.event(site: "A", time: t0 + 2 * 3600) == 2)
        #expect(index.event(site: "A", time: t0 + 4 * 3600) == 2)
        #expect(index.event(site: "A", time: t0 + 5 * 3600) == nil)
        #expect(index.event(site: "A", time: t0 + 12 * 3600) == 1)
        #expect(index.event(site: "A", time: t0 + 13 * 3600) == nil)
        #expect(index.event(site: "A", time: t0) == nil)
        #expect(index.event(site: "B", time: t0) == 0)
        #expect(index.event(site: "C", time: t0) == nil)
    }
}
