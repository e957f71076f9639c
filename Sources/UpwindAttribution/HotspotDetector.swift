import UpwindCore

/// One observed hour of one site, with the limits it was compared with and the rules it met:
/// the per-hour flag list of a hotspot report.
public struct HotspotHour: Sendable, Equatable {
    /// The site.
    public var site: String
    /// The hour (UTC).
    public var time: UTCTime
    /// The observed value, or nil when missing (a missing hour is never a hotspot).
    public var value: Double?
    /// The site's percentile limit q_P (in the value's unit) under the percentile rule; nil
    /// without that rule or when the site has no value.
    public var percentileLimit: Double?
    /// The median over all sites with a value at this hour, under the spatial rule; nil without
    /// that rule or when fewer than 2 sites have a value at this hour.
    public var spatialMedian: Double?
    /// F × ``spatialMedian``, the spatial rule's limit at this hour; nil when the median is nil.
    public var spatialLimit: Double?
    /// The rules this hour meets, in the order threshold, percentile, spatial; empty when it is
    /// not a hotspot.
    public var flaggedBy: [HotspotRule]
    /// The site's event (1-based) this hour belongs to; nil when it is not a hotspot.
    public var event: Int?

    /// True when the hour meets at least one rule.
    public var isHotspot: Bool { !flaggedBy.isEmpty }

    /// Creates an hour record.
    /// - Parameters:
    ///   - site: the site.
    ///   - time: the hour, UTC.
    ///   - value: the value, nil when missing.
    ///   - percentileLimit: the site's percentile limit, if any.
    ///   - spatialMedian: the median over sites at this hour, if any.
    ///   - spatialLimit: F × that median, if any.
    ///   - flaggedBy: the rules met.
    ///   - event: the event number at the site, if a hotspot.
    public init(site: String, time: UTCTime, value: Double?, percentileLimit: Double? = nil, spatialMedian: Double? = nil,
                spatialLimit: Double? = nil, flaggedBy: [HotspotRule] = [], event: Int? = nil) {
        self.site = site
        self.time = time
        self.value = value
        self.percentileLimit = percentileLimit
        self.spatialMedian = spatialMedian
        self.spatialLimit = spatialLimit
        self.flaggedBy = flaggedBy
        self.event = event
    }
}

/// A run of consecutive hotspot hours at one site (a row of `events.csv`).
public struct HotspotEvent: Sendable, Equatable {
    /// The site.
    public var site: String
    /// The event's number at its site, 1-based in time order (`event`).
    public var number: Int
    /// The first hotspot hour, UTC (`start_time`).
    public var startTime: UTCTime
    /// The last hotspot hour, UTC (`end_time`): the event's last hour itself, so an event of
    /// one hour has ``startTime`` equal to ``endTime``.
    public var endTime: UTCTime
    /// The number of hours, (end − start)/1 h + 1 (`hours`).
    public var hours: Int
    /// The greatest value in the event, in the observations' unit (`peak_value`).
    public var peakValue: Double
    /// The mean of the event's values, in the observations' unit (`mean_value`).
    public var meanValue: Double
    /// The rules that flagged at least one of its hours, in the order threshold, percentile, spatial.
    public var rules: [HotspotRule]
    /// Those rules as text, joined by ` or ` (`criterion`): `value>75`, `value>p90(site)=112.3`,
    /// `value>1.5×median(all sites)=96` (the limit F × median; `=LOW…HIGH` when it varied over
    /// the event's hours that rule flagged). Numbers have at most 3 decimals.
    public var criterion: String

    /// Creates an event.
    /// - Parameters:
    ///   - site: the site.
    ///   - number: 1-based number at the site.
    ///   - startTime: first hour, UTC.
    ///   - endTime: last hour, UTC.
    ///   - hours: number of hours.
    ///   - peakValue: greatest value.
    ///   - meanValue: mean value.
    ///   - rules: the rules that flagged it.
    ///   - criterion: the rules as text.
    public init(site: String, number: Int, startTime: UTCTime, endTime: UTCTime, hours: Int, peakValue: Double,
                meanValue: Double, rules: [HotspotRule], criterion: String) {
        self.site = site
        self.number = number
        self.startTime = startTime
        self.endTime = endTime
        self.hours = hours
        self.peakValue = peakValue
        self.meanValue = meanValue
        self.rules = rules
        self.criterion = criterion
    }
}

/// Everything hotspot detection found: the events and the per-hour flags behind them.
public struct HotspotDetection: Sendable, Equatable {
    /// The rules applied.
    public var rules: HotspotRules
    /// Every observation as an hour record, by site (in the set's site order), then time.
    public var hours: [HotspotHour]
    /// The events, by site (in the set's site order), then time.
    public var events: [HotspotEvent]
    /// Each site's percentile limit q_P under the percentile rule, in site order (sites without
    /// a value are left out); empty without that rule.
    public var percentileLimits: [(site: String, limit: Double)]

    /// Compares rules, hours, events and percentile limits.
    public static func == (a: HotspotDetection, b: HotspotDetection) -> Bool {
        a.rules == b.rules && a.hours == b.hours && a.events == b.events
            && a.percentileLimits.elementsEqual(b.percentileLimits) { $0.site == $1.site && $0.limit == $1.limit }
    }
}

/// Finds hotspot events in observations (``HotspotRules`` says when an hour is a hotspot).
///
/// Per site, hotspot hours exactly one hour apart join into one event. Anything else between two
/// hotspot hours ends the event: an hour below every limit, an hour whose value is missing (empty
/// or NA) and an hour absent from the observations alike, so an event never spans a gap in the
/// data. Times that are not whole hours apart (sub-hourly data) never join.
///
/// ```swift
/// let rules = try HotspotRules(threshold: 75, percentile: 90)
/// for event in HotspotDetector.detect(observations, rules: rules) {
///     print(event.site, event.startTime, event.hours, event.peakValue, event.criterion)
/// }
/// ```
public enum HotspotDetector {
    /// The events of ``analyse(_:rules:)``.
    /// - Parameters:
    ///   - observations: one pollutant's observations.
    ///   - rules: when an hour is a hotspot.
    /// - Returns: the events, by site (set order) then time.
    public static func detect(_ observations: ObservationSet, rules: HotspotRules) -> [HotspotEvent] {
        analyse(observations, rules: rules).events
    }

    /// Flags every observed hour and groups the hotspot hours into events.
    /// - Parameters:
    ///   - observations: one pollutant's observations.
    ///   - rules: when an hour is a hotspot.
    /// - Returns: the per-hour flags, the events and the sites' percentile limits.
    public static func analyse(_ observations: ObservationSet, rules: HotspotRules) -> HotspotDetection {
        // The spatial rule's median at each time over the sites with a value (at least 2).
        var spatialMedians: [UTCTime: Double] = [:]
        if rules.spatialFactor != nil {
            var valuesAtTime: [UTCTime: [Double]] = [:]
            for observation in observations.observations {
                if let value = observation.value { valuesAtTime[observation.time, default: []].append(value) }
            }
            for (time, values) in valuesAtTime where values.count >= 2 {
                spatialMedians[time] = Percentile.median(values)
            }
        }

        var hours: [HotspotHour] = []
        var events: [HotspotEvent] = []
        var percentileLimits: [(site: String, limit: Double)] = []
        for site in observations.sites {
            let series = observations.series(site: site.name)
            var percentileLimit: Double?
            if let p = rules.percentile {
                percentileLimit = Percentile.type7(series.compactMap(\.value), percent: p)
                if let percentileLimit { percentileLimits.append((site.name, percentileLimit)) }
            }
            var run: [HotspotHour] = []
            var number = 0
            func closeRun() {
                guard !run.isEmpty else { return }
                events.append(event(run, site: site.name, number: number, rules: rules))
                hours += run
                run.removeAll()
            }
            for observation in series {
                var hour = HotspotHour(site: site.name, time: observation.time, value: observation.value,
                                       percentileLimit: percentileLimit)
                if let factor = rules.spatialFactor, let median = spatialMedians[observation.time] {
                    hour.spatialMedian = median
                    hour.spatialLimit = factor * median
                }
                if let value = observation.value {
                    if let threshold = rules.threshold, value > threshold { hour.flaggedBy.append(.threshold) }
                    if let limit = hour.percentileLimit, value > limit { hour.flaggedBy.append(.percentile) }
                    if let limit = hour.spatialLimit, value > limit { hour.flaggedBy.append(.spatial) }
                }
                if hour.isHotspot {
                    if let last = run.last, observation.time - last.time != 3600 { closeRun() }
                    if run.isEmpty { number += 1 }
                    hour.event = number
                    run.append(hour)
                } else {
                    closeRun()
                    hours.append(hour)
                }
            }
            closeRun()
        }
        return HotspotDetection(rules: rules, hours: hours, events: events, percentileLimits: percentileLimits)
    }

    /// The event of a run of consecutive hotspot hours (all with values).
    private static func event(_ run: [HotspotHour], site: String, number: Int, rules: HotspotRules) -> HotspotEvent {
        let values = run.compactMap(\.value)
        let used = HotspotRule.allCases.filter { rule in run.contains { $0.flaggedBy.contains(rule) } }
        var texts: [String] = []
        for rule in used {
            switch rule {
            case .threshold:
                texts.append("value>\(criterionNumber(rules.threshold ?? .nan))")
            case .percentile:
                let limit = run.first?.percentileLimit ?? .nan
                texts.append("value>p\(criterionNumber(rules.percentile ?? .nan))(site)=\(criterionNumber(limit))")
            case .spatial:
                let limits = run.filter { $0.flaggedBy.contains(.spatial) }.compactMap(\.spatialLimit)
                let low = limits.min() ?? .nan, high = limits.max() ?? .nan
                let range = criterionNumber(low) == criterionNumber(high)
                    ? criterionNumber(low) : "\(criterionNumber(low))…\(criterionNumber(high))"
                texts.append("value>\(criterionNumber(rules.spatialFactor ?? .nan))×median(all sites)=\(range)")
            }
        }
        let first = run.first?.time ?? UTCTime(secondsSince1970: 0)
        let last = run.last?.time ?? first
        return HotspotEvent(site: site, number: number, startTime: first, endTime: last, hours: run.count,
                            peakValue: values.max() ?? .nan, meanValue: values.reduce(0, +) / Double(values.count),
                            rules: used, criterion: texts.joined(separator: " or "))
    }
}
