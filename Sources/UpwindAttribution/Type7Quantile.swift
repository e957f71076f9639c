/// R's default sample quantile, `quantile(x, probs, type = 7)`, computed as R computes it
/// (see the *Receptor models* article in Upwind's documentation; openair takes its PSCF criterion this way), also over a sample given as
/// values with repeat counts (openair's endpoint rows) without expanding it.
///
/// With the values sorted ascending as x₁ … xₙ and `index = 1 + (n − 1)·p`, `lo = ⌊index⌋`,
/// `hi = ⌈index⌉`: the quantile is `x_lo` when `index == lo` or `x_hi == x_lo`, otherwise
/// `(1 − h)·x_lo + h·x_hi` with `h = index − lo` (the same floating-point expression as R, so the
/// value agrees with R's to the last bit).
enum Type7Quantile {
    /// The type-7 quantile of `values` at probability `p`.
    /// - Parameters:
    ///   - values: the sample, any order; every value finite.
    ///   - p: the probability, 0…1 (a percentile P is `P / 100`).
    /// - Returns: the quantile, in the values' unit.
    /// - Throws: ``ReceptorGridError/noValues(what:)`` for an empty sample;
    ///   ``ReceptorGridError/invalidSetting(setting:value:requirement:)`` for p outside 0…1.
    static func quantile(_ values: [Double], probability p: Double) throws(ReceptorGridError) -> Double {
        try quantile(weighted: values.map { ($0, 1) }, probability: p)
    }

    /// The type-7 quantile of a sample given as values with repeat counts: the same as
    /// ``quantile(_:probability:)`` of the sample in which each value appears `count` times,
    /// without building it.
    /// - Parameters:
    ///   - weighted: (value, count) pairs, any order; counts ≥ 0, values finite.
    ///   - p: the probability, 0…1.
    /// - Returns: the quantile.
    /// - Throws: ``ReceptorGridError/noValues(what:)`` when the counts sum to 0;
    ///   ``ReceptorGridError/invalidSetting(setting:value:requirement:)`` for p outside 0…1.
    static func quantile(weighted: [(value: Double, count: Int)], probability p: Double) throws(ReceptorGridError) -> Double {
        guard p.isFinite, p >= 0, p <= 1 else {
            throw .invalidSetting(setting: "probability", value: "\(p)", requirement: "between 0 and 1")
        }
        let sorted = weighted.filter { $0.count > 0 }.sorted { $0.value < $1.value }
        let n = sorted.reduce(0) { $0 + $1.count }
        guard n > 0 else { throw .noValues(what: "a quantile") }
        let index = 1 + Double(n - 1) * p
        let lo = index.rounded(.down), hi = index.rounded(.up)
        // The value at 1-based position k of the expanded sample.
        func element(_ k: Int) -> Double {
            var seen = 0
            for pair in sorted {
                seen += pair.count
                if seen >= k { return pair.value }
            }
            return sorted[sorted.count - 1].value
        }
        let xlo = element(Int(lo))
        guard index > lo else { return xlo }
        let xhi = element(Int(hi))
        guard xhi != xlo else { return xlo }
        let h = index - lo
        return (1 - h) * xlo + h * xhi
    }
}
