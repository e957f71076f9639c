import UpwindCore

/// One hotspot event's ensemble uncertainty: a row of `event_ensemble.csv` (issue 12 item 1,
/// "ensemble only for event hours"; see ``EventEnsemble``).
public struct EventEnsembleRow: Sendable, Equatable {
    /// The site (`site`).
    public var site: String
    /// The event's number at its site, 1-based (`event`, as in `events.csv`).
    public var event: Int
    /// Member trajectories of the event: 27 per start whose arrival lies in the event, the
    /// central member included (`members`).
    public var members: Int
    /// Mean great-circle distance, km, of the non-central members from their start's central
    /// member at the spread age (`spread_km_24h`); NaN when no pair reaches that age.
    public var spreadKm: Double
    /// Member–central pairs averaged in ``spreadKm``.
    public var spreadPairs: Int
    /// Share (0–1) of the event's member trajectories matching at least one fire
    /// (`fire_matched_share`); nil without fires, NaN without members.
    public var fireMatchedShare: Double?
    /// The region (position in the region index) where the members spend the most residence;
    /// nil without regions or when no counted member endpoint lies in a region.
    public var topRegion: Int?
    /// Its id (`top_region_id`).
    public var topRegionID: String?
    /// The share (0–1) of the members' counted residence spent in it (`top_region_share`);
    /// nil without regions, NaN when no member endpoint is counted or none lies in a region.
    public var topRegionShare: Double?

    /// Creates a row.
    public init(site: String, event: Int, members: Int, spreadKm: Double, spreadPairs: Int, fireMatchedShare: Double?,
                topRegion: Int?, topRegionID: String?, topRegionShare: Double?) {
        self.site = site
        self.event = event
        self.members = members
        self.spreadKm = spreadKm
        self.spreadPairs = spreadPairs
        self.fireMatchedShare = fireMatchedShare
        self.topRegion = topRegion
        self.topRegionID = topRegionID
        self.topRegionShare = topRegionShare
    }
}

/// The uncertainty of hotspot events' back trajectories from HYSPLIT's 27-member met-offset
/// ensemble (`EnsembleOffset` of UpwindCore; issue 12 item 1). The members are not receptor-model input:
/// the central member (14, no offset) is the ordinary trajectory, and the other 26 say how far
/// the answer moves when the met is sampled one grid cell and 250 m away. Per event, over the
/// members of the starts whose arrival (site, time) lies in the event
/// (``HotspotEventIndex``):
///
/// - **spread**: the mean great-circle distance (km, `Geodesy.distance` on the sphere of radius
///   `Earth.radius`) between each non-central member and its start's central member, both
///   at the spread age (24 h, or the run's length when shorter: the pipeline passes
///   min(24 h, |run hours|)); a pair counts only when both reach that age (a member that
///   leaves the met grid earlier is left out);
/// - **fire-matched share**: the share of the member trajectories (central included) with at
///   least one fire match under the `FireMatcher` rule (radius, time window, height);
/// - **top region**: the region where the members' counted endpoints (the receptor grid's
///   rule: age 0 only with ``ReceptorGridSettings/includeAgeZero``, only below
///   ``ReceptorGridSettings/maxHeight``) spend the most residence (each endpoint weighing its
///   spacing in hours, as in ``RegionAttribution``; ties go to the first region of the file),
///   and that residence's share of all the members' counted residence (endpoints outside every
///   region included in the total).
///
/// Trajectories with `member` 0 are ignored.
public enum EventEnsemble {
    /// The ensemble member with no offset (14): the ordinary trajectory.
    public static let centralMember = EnsembleOffset.member(dx: 0, dy: 0, dz: 0)
    /// The age of the spread, h (24).
    public static let spreadAgeHours = 24.0

    /// Computes one row per event, in the order of `events`.
    /// - Parameters:
    ///   - events: the hotspot events.
    ///   - members: ensemble member trajectories (any order; members of starts outside every
    ///     event are ignored).
    ///   - spreadAgeHours: the age of the spread, h (> 0; default 24).
    ///   - settings: the receptor-grid settings whose endpoint filter the region residence uses.
    ///   - fires: the fire matcher, or nil (then ``EventEnsembleRow/fireMatchedShare`` is nil).
    ///   - regions: the regions, or nil (then the top region is nil).
    ///   - maxConcurrency: tasks at once for the fire matching.
    /// - Returns: the rows.
    /// - Throws: ``ReceptorGridError`` for bad settings, an endpoint the grid refuses, or a
    ///   missing mixing depth under ``ReceptorGridSettings/HeightLimit/mixingDepth``.
    public static func compute(events: [HotspotEvent], members: [Trajectory], spreadAgeHours: Double = spreadAgeHours,
                               settings: ReceptorGridSettings, fires: FireMatcher? = nil, regions: RegionIndex? = nil,
                               maxConcurrency: Int = 2) async throws(ReceptorGridError) -> [EventEnsembleRow] {
        let probe = try ReceptorGrid(settings: settings, criterionValue: 0)
        let index = HotspotEventIndex(events)
        // The members of each event.
        var byEvent = [[Int]](repeating: [], count: events.count)
        var inEvents: [Int] = []
        for (i, t) in members.enumerated() where t.member > 0 {
            if let e = index.event(site: t.start.site, time: t.start.time) {
                byEvent[e].append(i)
                inEvents.append(i)
            }
        }
        // Fire matches of every member in an event, at once.
        var matched = [Bool](repeating: false, count: members.count)
        if let fires, !inEvents.isEmpty {
            let list = inEvents.map { members[$0] }
            let result = await fires.match(trajectories: list, polluted: [Bool](repeating: false, count: list.count),
                                           eventOfTrajectory: [Int?](repeating: nil, count: list.count), eventCount: 0,
                                           maxConcurrency: maxConcurrency)
            for c in result.contributions { matched[inEvents[c.trajectory]] = true }
        }
        var rows: [EventEnsembleRow] = []
        var keys: [Int64] = []
        for (e, event) in events.enumerated() {
            let list = byEvent[e]
            let (spread, pairs) = spreadKm(list.map { members[$0] }, ageHours: spreadAgeHours)
            let fireShare = fires.map { _ in list.isEmpty ? Double.nan : Double(list.filter { matched[$0] }.count) / Double(list.count) }
            var top: Int?, topID: String?, topShare: Double?
            if let regions {
                var hours = [Double](repeating: 0, count: regions.count)
                var total = 0.0
                for i in list {
                    let endpoints = members[i].endpoints
                    try probe.check(members[i], keys: &keys)
                    for k in endpoints.indices where keys[k] != ReceptorGrid.skipKey {
                        let h = RegionChunk.spacing(endpoints, k)
                        total += h
                        if let r = regions.locate(latitude: endpoints[k].latitude, longitude: endpoints[k].longitude) { hours[r] += h }
                    }
                }
                var best: Int?
                for r in hours.indices where hours[r] > 0 && (best.map { hours[r] > hours[$0] } ?? true) { best = r }
                top = best
                topID = best.map { regions.regions[$0].id }
                topShare = best.map { hours[$0] / total } ?? .nan
            }
            rows.append(EventEnsembleRow(site: event.site, event: event.number, members: list.count, spreadKm: spread, spreadPairs: pairs,
                                         fireMatchedShare: fireShare, topRegion: top, topRegionID: topID, topRegionShare: topShare))
        }
        return rows
    }

    /// The mean distance, km, of non-central members from their start's central member at
    /// `ageHours` (|age|), and the number of pairs; NaN and 0 without pairs.
    /// - Parameters:
    ///   - members: member trajectories (of any starts).
    ///   - ageHours: the age, h (its absolute value is compared with each endpoint's |age|).
    /// - Returns: the mean distance in km and the pair count.
    public static func spreadKm(_ members: [Trajectory], ageHours: Double) -> (km: Double, pairs: Int) {
        var starts: [String: (central: Trajectory?, others: [Trajectory])] = [:]
        for t in members where t.member > 0 {
            let s = t.start
            let key = "\(s.site)|\(s.time.secondsSince1970)|\(s.latitude)|\(s.longitude)|\(s.height)|\(s.heightIsMSL)"
            if t.member == centralMember { starts[key, default: (nil, [])].central = t } else { starts[key, default: (nil, [])].others.append(t) }
        }
        var sum = 0.0, pairs = 0
        for group in starts.values {
            guard let central = group.central, let c = endpoint(central, ageHours: ageHours) else { continue }
            for m in group.others {
                guard let p = endpoint(m, ageHours: ageHours) else { continue }
                sum += Geodesy.distance(latitude1: p.latitude, longitude1: p.longitude, latitude2: c.latitude, longitude2: c.longitude) / 1000
                pairs += 1
            }
        }
        return (pairs > 0 ? sum / Double(pairs) : .nan, pairs)
    }

    /// The endpoint of `trajectory` at |age| = |ageHours| (within 1e-6 h), or nil.
    static func endpoint(_ trajectory: Trajectory, ageHours: Double) -> TrajectoryEndpoint? {
        let a = abs(ageHours)
        return trajectory.endpoints.first { abs(abs($0.ageHours) - a) <= 1e-6 }
    }
}
