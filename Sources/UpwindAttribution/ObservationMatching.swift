import UpwindCore

/// How a trajectory finds its site among the observations (its time is always its start time).
public enum TrajectorySiteRule: Sendable, Equatable {
    /// The site named by the trajectory's start (`Trajectory.start.site`), exactly (case-sensitive).
    case siteName
    /// Every trajectory belongs to this site (the CLI's `--site NAME` for a tdump file).
    case site(String)
    /// The observation site nearest to the trajectory's start point, by great-circle distance,
    /// when it is at most `maximumDistanceMetres` (m) away, inclusive; otherwise the trajectory
    /// is unmatched. For tdump trajectories, which carry no site names.
    case nearestSite(maximumDistanceMetres: Double)

    /// The nearest site within ``ObservationSet/nearestSiteMaximumDistanceMetres`` (1 km).
    public static let nearestSiteWithin1km = TrajectorySiteRule.nearestSite(
        maximumDistanceMetres: ObservationSet.nearestSiteMaximumDistanceMetres)
}

/// A trajectory paired with the observation at its site and arrival time.
public struct MatchedTrajectory: Sendable, Equatable {
    /// The trajectory's 0-based position in the list given to ``ObservationSet/match(_:by:)``.
    public var index: Int
    /// The observation site it belongs to.
    public var site: String
    /// Its arrival (start) time, UTC, equal to the observation's time.
    public var time: UTCTime
    /// The observed value (the receptor value, in the observations' unit).
    public var value: Double
    /// The distance from the trajectory's start to the site, m, under
    /// ``TrajectorySiteRule/nearestSite(maximumDistanceMetres:)``; nil under the other rules.
    public var distanceMetres: Double?

    /// Creates a match.
    /// - Parameters:
    ///   - index: the trajectory's 0-based position.
    ///   - site: the site name.
    ///   - time: the arrival time, UTC.
    ///   - value: the observed value.
    ///   - distanceMetres: start-to-site distance, m, for the nearest-site rule.
    public init(index: Int, site: String, time: UTCTime, value: Double, distanceMetres: Double? = nil) {
        self.index = index
        self.site = site
        self.time = time
        self.value = value
        self.distanceMetres = distanceMetres
    }
}

/// Why a trajectory has no observation.
public enum UnmatchedReason: Sendable, Equatable, CustomStringConvertible {
    /// Its site name (``TrajectorySiteRule/siteName`` or ``TrajectorySiteRule/site(_:)``) is not a site of the observations.
    case unknownSite
    /// No observation site is within the distance, m; the nearest one and its distance, m, when there are sites.
    case noSiteWithin(maximumDistanceMetres: Double, nearestSite: String?, nearestDistanceMetres: Double?)
    /// The site has no observation at the trajectory's arrival time.
    case noObservationAtTime
    /// The site has an observation at that time but its value is missing (empty or NA).
    case missingValue

    /// A short phrase, e.g. `no observation at its arrival time`.
    public var description: String {
        switch self {
        case .unknownSite:
            return "its site is not among the observation sites"
        case let .noSiteWithin(limit, nearest, distance):
            if let nearest, let distance {
                return "no observation site within \(criterionNumber(limit)) m of its start (nearest: '\(nearest)' at \(criterionNumber(distance)) m)"
            }
            return "no observation site within \(criterionNumber(limit)) m of its start"
        case .noObservationAtTime:
            return "its site has no observation at its arrival time"
        case .missingValue:
            return "its site's observation at its arrival time is missing"
        }
    }
}

/// A trajectory without an observation: reported, never silently dropped.
public struct UnmatchedTrajectory: Sendable, Equatable {
    /// The trajectory's 0-based position in the list given to ``ObservationSet/match(_:by:)``.
    public var index: Int
    /// The site it was looked up under (nil when the nearest-site rule found none).
    public var site: String?
    /// Its arrival (start) time, UTC.
    public var time: UTCTime
    /// Why it has no observation.
    public var reason: UnmatchedReason

    /// Creates an unmatched record.
    /// - Parameters:
    ///   - index: the trajectory's 0-based position.
    ///   - site: the site looked up, if any.
    ///   - time: the arrival time, UTC.
    ///   - reason: why there is no observation.
    public init(index: Int, site: String?, time: UTCTime, reason: UnmatchedReason) {
        self.index = index
        self.site = site
        self.time = time
        self.reason = reason
    }
}

/// The result of ``ObservationSet/match(_:by:)``: every trajectory is in exactly one of the two lists.
public struct ObservationMatches: Sendable, Equatable {
    /// Trajectories with an observed value, in input order.
    public var matched: [MatchedTrajectory]
    /// Trajectories without one, in input order, each with its reason.
    public var unmatched: [UnmatchedTrajectory]

    /// Creates a result.
    /// - Parameters:
    ///   - matched: the matched trajectories.
    ///   - unmatched: the unmatched trajectories.
    public init(matched: [MatchedTrajectory], unmatched: [UnmatchedTrajectory]) {
        self.matched = matched
        self.unmatched = unmatched
    }

    /// One line for a report: `40 trajectories: 37 matched, 3 unmatched (2 …; 1 …)`.
    public var summary: String {
        let total = matched.count + unmatched.count
        var text = "\(total) trajector\(total == 1 ? "y" : "ies"): \(matched.count) matched, \(unmatched.count) unmatched"
        guard !unmatched.isEmpty else { return text }
        var counts: [(String, Int)] = []
        for record in unmatched {
            let key: String
            switch record.reason {
            case .unknownSite: key = "site not among the observation sites"
            case .noSiteWithin: key = "no observation site close enough to the start"
            case .noObservationAtTime: key = "no observation at the arrival time"
            case .missingValue: key = "observation missing (empty or NA)"
            }
            if let i = counts.firstIndex(where: { $0.0 == key }) { counts[i].1 += 1 } else { counts.append((key, 1)) }
        }
        text += " (" + counts.map { "\($0.1) \($0.0)" }.joined(separator: "; ") + ")"
        return text
    }
}

extension ObservationSet {
    /// Pairs each trajectory with the observation of its site whose time equals its arrival
    /// (start) time, `Trajectory.start.time`, to the second.
    ///
    /// A trajectory is unmatched (and listed with its reason, never dropped) when its site is
    /// unknown, no site is close enough (nearest-site rule), the site has no observation at that
    /// time, or that observation's value is missing.
    /// - Parameters:
    ///   - trajectories: the trajectories, e.g. as read from a file.
    ///   - rule: how a trajectory's site is found (default: its start's site name).
    /// - Returns: matched and unmatched trajectories, each by 0-based position in `trajectories`.
    public func match(_ trajectories: [Trajectory], by rule: TrajectorySiteRule = .siteName) -> ObservationMatches {
        var matched: [MatchedTrajectory] = []
        var unmatched: [UnmatchedTrajectory] = []
        for (i, trajectory) in trajectories.enumerated() {
            let time = trajectory.start.time
            let site: String
            var distance: Double?
            switch rule {
            case .siteName, .site:
                if case let .site(name) = rule { site = name } else { site = trajectory.start.site }
                guard self.site(named: site) != nil else {
                    unmatched.append(UnmatchedTrajectory(index: i, site: site, time: time, reason: .unknownSite))
                    continue
                }
            case let .nearestSite(limit):
                let nearest = nearestSite(latitude: trajectory.start.latitude, longitude: trajectory.start.longitude)
                guard let nearest, nearest.distanceMetres <= limit else {
                    unmatched.append(UnmatchedTrajectory(index: i, site: nil, time: time, reason: .noSiteWithin(
                        maximumDistanceMetres: limit, nearestSite: nearest?.site.name, nearestDistanceMetres: nearest?.distanceMetres)))
                    continue
                }
                site = nearest.site.name
                distance = nearest.distanceMetres
            }
            guard let observation = observation(site: site, time: time) else {
                unmatched.append(UnmatchedTrajectory(index: i, site: site, time: time, reason: .noObservationAtTime))
                continue
            }
            guard let value = observation.value else {
                unmatched.append(UnmatchedTrajectory(index: i, site: site, time: time, reason: .missingValue))
                continue
            }
            matched.append(MatchedTrajectory(index: i, site: site, time: time, value: value, distanceMetres: distance))
        }
        return ObservationMatches(matched: matched, unmatched: unmatched)
    }
}

/// A number for criterion and message text: at most 3 decimals, trailing zeros dropped, never an
/// exponent (`75`, `112.3`, `0.001`).
func criterionNumber(_ value: Double) -> String {
    guard var text = JSONText.fixed(value, decimals: 3) else { return "\(value)" }
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
}
