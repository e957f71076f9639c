/// Sample quantiles as R computes them.
public enum Percentile {
    /// The `percent`-th percentile of `values` by R's default quantile (`quantile(x, p, type = 7)`,
    /// Hyndman & Fan 1996, definition 7): with the values sorted ascending as x₀ … xₙ₋₁ and
    /// h = (n − 1)·percent/100, the result is (1 − f)·x_⌊h⌋ + f·x_⌈h⌉ where f = h − ⌊h⌋. So p0 is
    /// the minimum, p100 the maximum, p50 the median, and the percentile of a single value is that
    /// value. The arithmetic follows R's, so ties reproduce R's result to the last bit.
    /// - Parameters:
    ///   - values: the sample, in any order; NaN values are not allowed (leave missing values out).
    ///   - percent: the percentile, 0…100 (e.g. 90 for p90).
    /// - Returns: the percentile, or nil when `values` is empty, holds a NaN, or `percent` is outside 0…100.
    public static func type7(_ values: [Double], percent: Double) -> Double? {
        guard !values.contains(where: \.isNaN) else { return nil }
        return type7(sorted: values.sorted(), percent: percent)
    }

    /// ``type7(_:percent:)`` on values already sorted ascending (not checked).
    /// - Parameters:
    ///   - sorted: the sample, sorted ascending, without NaN.
    ///   - percent: the percentile, 0…100.
    /// - Returns: the percentile, or nil when `sorted` is empty or `percent` is outside 0…100.
    public static func type7(sorted: [Double], percent: Double) -> Double? {
        guard !sorted.isEmpty, (0...100).contains(percent) else { return nil }
        // R: index <- 1 + (n - 1) * probs; lo <- floor(index); hi <- ceiling(index) (1-based).
        let index = 1 + Double(sorted.count - 1) * (percent / 100)
        let lo = index.rounded(.down), hi = index.rounded(.up)
        let low = sorted[Int(lo) - 1], high = sorted[Int(hi) - 1]
        let fraction = index - lo
        guard fraction > 0, high != low else { return low }
        return (1 - fraction) * low + fraction * high
    }

    /// The median of `values` (``type7(_:percent:)`` at 50: the middle value, or the mean of the
    /// two middle values); nil when `values` is empty or holds a NaN.
    public static func median(_ values: [Double]) -> Double? {
        type7(values, percent: 50)
    }
}
