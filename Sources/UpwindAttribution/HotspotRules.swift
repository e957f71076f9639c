/// One way an hour can be a hotspot (see ``HotspotRules``).
public enum HotspotRule: String, Sendable, Hashable, CaseIterable {
    /// The value exceeds a fixed threshold (`--hotspot-threshold`).
    case threshold
    /// The value exceeds a percentile of its site's values over the period (`--hotspot-percentile`).
    case percentile
    /// The value exceeds a factor times the median over all sites at that hour (`--hotspot-spatial-factor`).
    case spatial
}

/// When an observed hour counts as a hotspot: it does when its value meets **any** of the rules
/// given (at least one is required). Every comparison is strictly greater (a value equal to its
/// limit is not a hotspot), and a missing value is never a hotspot.
///
/// - **threshold** VALUE: `value > VALUE` (in the observations' unit), e.g. 75 µg/m³.
/// - **percentile** P: `value > q_P(site)`, where q_P is the ``Percentile/type7(_:percent:)``
///   (R type-7) P-th percentile of all of the site's non-missing values in the observation set.
/// - **spatial factor** F: `value > F × median(all sites at that hour)`, the median (type 7 at
///   50) being over every site with a non-missing value at that exact time, the site itself
///   included. An hour with fewer than 2 such sites has no spatial limit (one value compared
///   with itself says nothing), so this rule does not flag it.
public struct HotspotRules: Sendable, Equatable {
    /// The fixed threshold, in the observations' unit, or nil.
    public let threshold: Double?
    /// The percentile P (0…100) of the site's period, or nil.
    public let percentile: Double?
    /// The factor F (> 0) on the median over all sites at the hour, or nil.
    public let spatialFactor: Double?

    /// Creates rules; give at least one.
    /// - Parameters:
    ///   - threshold: a fixed limit in the observations' unit (finite).
    ///   - percentile: P in 0…100.
    ///   - spatialFactor: F, finite and > 0.
    /// - Throws: ``HotspotRulesError`` when no rule is given or one is out of range.
    public init(threshold: Double? = nil, percentile: Double? = nil, spatialFactor: Double? = nil) throws(HotspotRulesError) {
        guard threshold != nil || percentile != nil || spatialFactor != nil else { throw .noRule }
        if let threshold, !threshold.isFinite { throw .badThreshold(threshold) }
        if let percentile, !(0...100).contains(percentile) { throw .badPercentile(percentile) }
        if let spatialFactor, !(spatialFactor.isFinite && spatialFactor > 0) { throw .badSpatialFactor(spatialFactor) }
        self.threshold = threshold
        self.percentile = percentile
        self.spatialFactor = spatialFactor
    }

    /// The rules given, in the order threshold, percentile, spatial.
    public var rules: [HotspotRule] {
        var list: [HotspotRule] = []
        if threshold != nil { list.append(.threshold) }
        if percentile != nil { list.append(.percentile) }
        if spatialFactor != nil { list.append(.spatial) }
        return list
    }
}

/// Why ``HotspotRules`` could not be made.
public enum HotspotRulesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No rule was given.
    case noRule
    /// The threshold is NaN or infinite.
    case badThreshold(Double)
    /// The percentile is outside 0…100.
    case badPercentile(Double)
    /// The spatial factor is not a finite number above 0.
    case badSpatialFactor(Double)

    /// One line saying what is wrong and what to do.
    public var description: String {
        switch self {
        case .noRule:
            return "hotspot detection needs at least one rule: a threshold (e.g. 75), a percentile of the site's period (e.g. 90) or a spatial factor on the median over all sites (e.g. 1.5)"
        case let .badThreshold(value):
            return "hotspot threshold \(value) is not a finite number; give a value in the observations' unit, e.g. 75"
        case let .badPercentile(value):
            return "hotspot percentile \(value) is outside 0…100; give e.g. 90 for the 90th percentile"
        case let .badSpatialFactor(value):
            return "hotspot spatial factor \(value) is not a number above 0; give e.g. 1.5 (hours above 1.5 × the median over all sites)"
        }
    }
}
