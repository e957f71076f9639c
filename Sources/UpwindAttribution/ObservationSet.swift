import UpwindCore

/// Observations indexed by site and time: one value (or one missing reading) per site and time.
///
/// The set holds one pollutant's series (a reader picks the pollutant first); a second reading
/// for the same site and time is refused (``ObservationSetError/duplicate(site:time:first:second:)``),
/// as is a site whose coordinates change. Sites are listed in the order they first appear.
///
/// ```swift
/// let set = try ObservationSet(observations)
/// set.value(site: "Zhengzhou", time: UTCTime(year: 2024, month: 1, day: 15, hour: 6))
/// let matches = set.match(trajectories)          // by each trajectory's site name and start time
/// ```
public struct ObservationSet: Sendable {
    /// The observations, in the order given.
    public let observations: [Observation]
    /// The sites, in the order they first appear in ``observations``.
    public let sites: [ObservationSite]
    /// The greatest distance, m, at which ``TrajectorySiteRule/nearestSite(maximumDistanceMetres:)``
    /// attaches a trajectory's start to a site by default: 1 km.
    public static let nearestSiteMaximumDistanceMetres = 1000.0

    private struct Key: Hashable {
        var site: String
        var time: UTCTime
    }
    private let index: [Key: Int]
    /// For each site name, the indices of its observations in time order.
    private let bySite: [String: [Int]]
    private let siteIndex: [String: Int]

    /// Indexes `observations` by site and time.
    /// - Parameter observations: the readings; sites non-empty, latitudes −90…90, longitudes and
    ///   values finite (a missing value is nil).
    /// - Throws: ``ObservationSetError`` for an empty site name, bad coordinates, a NaN value,
    ///   a repeated site and time, or a site whose coordinates differ between readings.
    public init(_ observations: [Observation]) throws(ObservationSetError) {
        var index: [Key: Int] = [:]
        var bySite: [String: [Int]] = [:]
        var siteIndex: [String: Int] = [:]
        var firstOfSite: [Int] = []
        var sites: [ObservationSite] = []
        index.reserveCapacity(observations.count)
        for (i, observation) in observations.enumerated() {
            guard !observation.site.isEmpty else { throw .emptySite(index: i) }
            guard (-90...90).contains(observation.latitude), observation.longitude.isFinite else {
                throw .badCoordinates(index: i, latitude: observation.latitude, longitude: observation.longitude)
            }
            if let value = observation.value, !value.isFinite { throw .nonFiniteValue(index: i, value: value) }
            if let s = siteIndex[observation.site] {
                let site = sites[s]
                if site.latitude != observation.latitude || site.longitude != observation.longitude {
                    throw .conflictingCoordinates(site: site.name, first: firstOfSite[s], second: i,
                                                  firstLatitude: site.latitude, firstLongitude: site.longitude,
                                                  secondLatitude: observation.latitude, secondLongitude: observation.longitude)
                }
            } else {
                siteIndex[observation.site] = sites.count
                firstOfSite.append(i)
                sites.append(ObservationSite(name: observation.site, latitude: observation.latitude, longitude: observation.longitude))
            }
            let key = Key(site: observation.site, time: observation.time)
            if let first = index[key] {
                throw .duplicate(site: observation.site, time: observation.time, first: first, second: i)
            }
            index[key] = i
            bySite[observation.site, default: []].append(i)
        }
        for (site, indices) in bySite {
            bySite[site] = indices.sorted { observations[$0].time < observations[$1].time }
        }
        self.observations = observations
        self.sites = sites
        self.index = index
        self.bySite = bySite
        self.siteIndex = siteIndex
    }

    /// The number of observations (missing readings included).
    public var count: Int { observations.count }

    /// True when the set holds no observation.
    public var isEmpty: Bool { observations.isEmpty }

    /// The number of observations whose value is missing.
    public var missingCount: Int { observations.reduce(0) { $0 + ($1.value == nil ? 1 : 0) } }

    /// The observation of `site` at `time` (UTC), or nil when there is none.
    /// - Parameters:
    ///   - site: the site name (exact, case-sensitive).
    ///   - time: the time, UTC, equal to the second.
    public func observation(site: String, time: UTCTime) -> Observation? {
        index[Key(site: site, time: time)].map { observations[$0] }
    }

    /// The value of `site` at `time` (UTC): nil when there is no observation or its value is
    /// missing (``observation(site:time:)`` tells the two apart).
    /// - Parameters:
    ///   - site: the site name (exact, case-sensitive).
    ///   - time: the time, UTC, equal to the second.
    public func value(site: String, time: UTCTime) -> Double? {
        observation(site: site, time: time)?.value
    }

    /// The site named `name`, or nil.
    public func site(named name: String) -> ObservationSite? {
        siteIndex[name].map { sites[$0] }
    }

    /// The observations of `site` in time order (empty for an unknown site).
    public func series(site: String) -> [Observation] {
        (bySite[site] ?? []).map { observations[$0] }
    }

    /// Every distinct observation time (UTC), ascending.
    public var times: [UTCTime] {
        Array(Set(observations.map(\.time))).sorted()
    }

    /// The site nearest to a point by great-circle distance (`Geodesy.distance(latitude1:longitude1:latitude2:longitude2:)`
    /// on a sphere of radius `Earth.radius`); the first listed site wins a tie. Nil when the set is empty or the point is not finite.
    /// - Parameters:
    ///   - latitude: degrees north.
    ///   - longitude: degrees east.
    /// - Returns: the site and its distance, m.
    public func nearestSite(latitude: Double, longitude: Double) -> (site: ObservationSite, distanceMetres: Double)? {
        var best: (site: ObservationSite, distanceMetres: Double)?
        for site in sites {
            let d = Geodesy.distance(latitude1: latitude, longitude1: longitude,
                                     latitude2: site.latitude, longitude2: site.longitude)
            guard d.isFinite else { continue }
            if let current = best, d >= current.distanceMetres { continue }
            best = (site, d)
        }
        return best
    }
}
