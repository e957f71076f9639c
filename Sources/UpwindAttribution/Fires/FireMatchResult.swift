import UpwindCore

/// What one fire gives one trajectory: an entry of the sparse trajectory × fire score matrix of
/// ``FireMatchResult``, present when at least one endpoint matches (its score may still be 0, for
/// a fire of 0 MW or 0 % confidence).
public struct FireContribution: Sendable, Equatable {
    /// The trajectory's 0-based position in the list given to ``FireMatcher/match(trajectories:polluted:eventOfTrajectory:eventCount:maxConcurrency:)``.
    public var trajectory: Int
    /// The fire's 0-based position in ``FireMatcher/fires`` (the list given to ``FireMatcher/init(fires:settings:)``).
    public var fire: Int
    /// s_lf = Σ_k w_conf(f)·FRP_f·exp(−d_kf²/(2r²)) over the trajectory's endpoints k that match
    /// the fire, summed in endpoint order; MW (confidence- and distance-weighted FRP). d and r in km.
    public var score: Double
    /// The number of the trajectory's endpoints that match the fire (≥ 1).
    public var endpoints: Int

    /// Creates a contribution.
    /// - Parameters:
    ///   - trajectory: 0-based trajectory position.
    ///   - fire: 0-based fire position.
    ///   - score: s_lf, MW.
    ///   - endpoints: matching endpoints.
    public init(trajectory: Int, fire: Int, score: Double, endpoints: Int) {
        self.trajectory = trajectory
        self.fire = fire
        self.score = score
        self.endpoints = endpoints
    }
}

/// What the trajectories say about one fire (a row of `fires.csv`, issue 11 item 4).
public struct FireSummary: Sendable, Equatable {
    /// Distinct trajectories, polluted or not, with at least one endpoint matching the fire.
    public var matchedTrajectories: Int
    /// Of those, the polluted ones.
    public var matchedPollutedTrajectories: Int
    /// Distinct hotspot events among the matched trajectories (a trajectory belongs to at most one event).
    public var matchedEvents: Int
    /// The fire's score, MW: Σ s_lf over the POLLUTED trajectories l only. It measures what the
    /// polluted air is blamed on: a fire that only clean air passed over scores 0, however
    /// often it was passed. 0 when no polluted trajectory matches it.
    public var score: Double

    /// Creates a summary.
    /// - Parameters:
    ///   - matchedTrajectories: distinct matching trajectories.
    ///   - matchedPollutedTrajectories: of those, the polluted ones.
    ///   - matchedEvents: distinct hotspot events among them.
    ///   - score: Σ s_lf over polluted trajectories, MW.
    public init(matchedTrajectories: Int = 0, matchedPollutedTrajectories: Int = 0, matchedEvents: Int = 0, score: Double = 0) {
        self.matchedTrajectories = matchedTrajectories
        self.matchedPollutedTrajectories = matchedPollutedTrajectories
        self.matchedEvents = matchedEvents
        self.score = score
    }
}

/// Fire scores of trajectories, fires and hotspot events (issue 11 item 2; see the *Fire matching* article in Upwind's documentation).
///
/// With s_lf = Σ_k w_conf(f)·FRP_f·exp(−d_kf²/(2r²)) over the endpoints k of trajectory l that
/// match fire f (``FireMatchSettings``; d, r in km; w_conf from ``FireConfidence/weight``;
/// FRP in MW):
/// - trajectory: S_l = Σ_f s_lf (``perTrajectory``; see the *Fire matching* article in Upwind's documentation);
/// - fire: Σ_l s_lf over polluted trajectories l (``FireSummary/score``);
/// - event: Σ S_l over the event's trajectories (``perEvent``).
/// Every score is in MW; a score with nothing matched is 0 (an empty sum, not missing).
public struct FireMatchResult: Sendable, Equatable {
    /// The settings matched under.
    public var settings: FireMatchSettings
    /// s_lf of every trajectory–fire pair with at least one matching endpoint, ordered by
    /// trajectory, then fire (each pair once).
    public var contributions: [FireContribution]
    /// S_l per trajectory, MW, in the order given (0 when nothing matched).
    public var perTrajectory: [Double]
    /// One summary per fire, in ``FireMatcher/fires`` order.
    public var perFire: [FireSummary]
    /// The score of each hotspot event, MW: Σ S_l over the trajectories assigned to it, in
    /// trajectory order (0 for an event whose trajectories match nothing).
    public var perEvent: [Double]

    /// Creates a result.
    /// - Parameters:
    ///   - settings: the settings.
    ///   - contributions: the s_lf, by trajectory then fire.
    ///   - perTrajectory: S_l.
    ///   - perFire: fire summaries.
    ///   - perEvent: event scores.
    public init(settings: FireMatchSettings, contributions: [FireContribution], perTrajectory: [Double], perFire: [FireSummary],
                perEvent: [Double]) {
        self.settings = settings
        self.contributions = contributions
        self.perTrajectory = perTrajectory
        self.perFire = perFire
        self.perEvent = perEvent
    }

    /// Fires matched by at least one trajectory.
    public var matchedFireCount: Int { perFire.reduce(0) { $0 + ($1.matchedTrajectories > 0 ? 1 : 0) } }
    /// Trajectories matching at least one fire.
    public var matchedTrajectoryCount: Int {
        var count = 0, last = -1
        for c in contributions where c.trajectory != last {
            count += 1
            last = c.trajectory
        }
        return count
    }
}
