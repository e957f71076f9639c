import UpwindCore

/// Resolving the pollution criterion to a value before accumulating (issue 10 item 3,
/// see the *Receptor models* article in Upwind's documentation): a grid holds the value, so grids of split runs merge only when they share it.
extension ReceptorGridSettings {
    /// The criterion value from the receptor values of the observations used (one per
    /// observation). A ``Criterion/value(_:)`` is returned as is; a percentile P is R's type-7
    /// quantile at `P / 100` of the values, values equal to ``missingValue`` left out.
    /// - Parameter observationValues: the receptor value of each observation used, once each.
    /// - Returns: the criterion value, in the values' unit.
    /// - Throws: ``ReceptorGridError/noValues(what:)`` when no value is left;
    ///   ``ReceptorGridError/invalidSetting(setting:value:requirement:)`` when the convention is
    ///   ``PercentileConvention/endpointRows`` (which needs the trajectories: use
    ///   ``resolveCriterion(trajectories:values:)``) or a value is not finite.
    public func resolveCriterion(observationValues: [Double]) throws(ReceptorGridError) -> Double {
        switch criterion {
        case .value(let v): return v
        case .percentile(let p):
            guard percentileConvention == .observations else {
                throw .invalidSetting(setting: "percentileConvention", value: percentileConvention.rawValue,
                                      requirement: "endpoint rows need the trajectories: call resolveCriterion(trajectories:values:)")
            }
            if let bad = observationValues.first(where: { !$0.isFinite }) {
                throw .invalidSetting(setting: "observationValues", value: "\(bad)", requirement: "finite values (leave missing observations out)")
            }
            let used = observationValues.filter { $0 != missingValue }
            guard !used.isEmpty else { throw .noValues(what: "the criterion's \(ReceptorGridSettings.format(p))th percentile") }
            return try Type7Quantile.quantile(used, probability: p / 100)
        }
    }

    /// The criterion value from the trajectories that will be gridded and their receptor values.
    /// A ``Criterion/value(_:)`` is returned as is. A percentile P is R's type-7 quantile at
    /// `P / 100` over (trajectories whose value equals ``missingValue`` or is NaN — a missing
    /// observation under ``countsMissingValues`` — left out, as R's `na.rm = TRUE`):
    /// - ``PercentileConvention/observations``: one value per observation, an observation being
    ///   the trajectories' shared site and arrival (start) time (issue 10 item 1);
    /// - ``PercentileConvention/endpointRows``: each trajectory's value once per endpoint it
    ///   holds, age 0 included, as openair takes it over its data frame's rows.
    /// - Parameters:
    ///   - trajectories: the trajectories.
    ///   - values: the receptor value of each trajectory, same order.
    /// - Returns: the criterion value, in the values' unit.
    /// - Throws: ``ReceptorGridError/countMismatch(trajectories:values:)``,
    ///   ``ReceptorGridError/invalidValue(trajectoryID:site:value:)`` for a value that is not finite,
    ///   ``ReceptorGridError/conflictingObservationValues(site:time:first:second:)`` when two
    ///   trajectories of one observation carry different values (observations convention),
    ///   ``ReceptorGridError/noValues(what:)`` when nothing is left to take the percentile over.
    public func resolveCriterion(trajectories: [Trajectory], values: [Double]) throws(ReceptorGridError) -> Double {
        guard trajectories.count == values.count else {
            throw .countMismatch(trajectories: trajectories.count, values: values.count)
        }
        for (t, v) in zip(trajectories, values) where !v.isFinite && !(v.isNaN && countsMissingValues) {
            throw .invalidValue(trajectoryID: t.id, site: t.start.site, value: v)
        }
        let p: Double
        switch criterion {
        case .value(let v): return v
        case .percentile(let percentile): p = percentile
        }
        let what = "the criterion's \(ReceptorGridSettings.format(p))th percentile"
        switch percentileConvention {
        case .observations:
            struct Key: Hashable { var site: String; var time: UTCTime }
            var seen: [Key: Double] = [:]
            var sample: [Double] = []
            for (t, v) in zip(trajectories, values) where v != missingValue && !v.isNaN {
                let key = Key(site: t.start.site, time: t.start.time)
                if let first = seen[key] {
                    guard first.bitPattern == v.bitPattern else {
                        throw .conflictingObservationValues(site: key.site, time: key.time, first: first, second: v)
                    }
                } else {
                    seen[key] = v
                    sample.append(v)
                }
            }
            guard !sample.isEmpty else { throw .noValues(what: what) }
            return try Type7Quantile.quantile(sample, probability: p / 100)
        case .endpointRows:
            let rows = zip(trajectories, values).filter { $0.1 != missingValue && !$0.1.isNaN }.map { (value: $0.1, count: $0.0.endpoints.count) }
            guard rows.contains(where: { $0.count > 0 }) else { throw .noValues(what: what) }
            return try Type7Quantile.quantile(weighted: rows, probability: p / 100)
        }
    }
}
