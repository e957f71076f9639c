import UpwindCore

/// Which hotspot event, if any, a trajectory arriving at a site at a time belongs to: the event
/// of that site whose hours, from ``HotspotEvent/startTime`` to ``HotspotEvent/endTime``
/// inclusive, contain the arrival time (issue 11: fire scores per event, `matched_events`).
/// Events of one site do not overlap, so the answer is unique.
///
/// ```swift
/// let index = HotspotEventIndex(events)
/// let e = index.event(site: "ZZ", time: t)   // position in `events`, or nil
/// ```
public struct HotspotEventIndex: Sendable {
    /// The events, in the order given.
    public let events: [HotspotEvent]
    /// Per site, (start, end, position) sorted by start.
    let bySite: [String: [(start: UTCTime, end: UTCTime, position: Int)]]

    /// Indexes events.
    /// - Parameter events: the events (e.g. from ``HotspotDetector/detect(_:rules:)``).
    public init(_ events: [HotspotEvent]) {
        self.events = events
        var map: [String: [(start: UTCTime, end: UTCTime, position: Int)]] = [:]
        for (k, e) in events.enumerated() { map[e.site, default: []].append((e.startTime, e.endTime, k)) }
        for key in map.keys { map[key]?.sort { $0.start < $1.start } }
        bySite = map
    }

    /// The position in ``events`` of the event of `site` containing `time`, or nil.
    /// - Parameters:
    ///   - site: the site name.
    ///   - time: the arrival time, UTC.
    /// - Returns: the event's position, or nil when the hour is not part of an event.
    public func event(site: String, time: UTCTime) -> Int? {
        guard let list = bySite[site] else { return nil }
        // The last event starting at or before `time`.
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].start <= time { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0, time <= list[lo - 1].end else { return nil }
        return list[lo - 1].position
    }

    /// The event of each trajectory, by its start's site and arrival time.
    /// - Parameter trajectories: the trajectories (their `start.site` is the observation site).
    /// - Returns: one position in ``events`` or nil per trajectory.
    public func events(of trajectories: [Trajectory]) -> [Int?] {
        trajectories.map { event(site: $0.start.site, time: $0.start.time) }
    }
}
