/// The count-dependent weight W of weighted PSCF (`WPSCF = W·PSCF`) and weighted CWT
/// (`WCWT = W·CWT`; see the *Receptor models* article in Upwind's documentation): a piecewise-constant function of a cell's count n.
///
/// Tiers are given by thresholds T1 > T2 > … > Tk, highest first, and weights W0 … Wk:
/// `W = W0` for `n > T1`, `W = Wi` for `T(i+1) < n ≤ Ti`, `W = Wk` for `n ≤ Tk`. Relative
/// thresholds are multiples of n̄, the mean count over the grid's non-empty cells (all of them,
/// before any bounds clip); absolute thresholds are counts. The count n is the cell's time
/// weight τ: its endpoint count, or hours spent in it with ``ReceptorGridSettings/segments``.
///
/// Written and parsed as the CLI text (`description`, ``ReceptorGridSettings/parseWeights(_:)``),
/// which is also its Codable form: `openair`, `trajstat`, `none`,
/// `relative:2,1,0.5:1,0.75,0.5,0.15`, `absolute:80,20,10:1,0.7,0.42,0.05`.
public enum GridWeights: Sendable, Equatable, Codable, CustomStringConvertible {
    /// openair's weights (see the *Receptor models* article in Upwind's documentation): for PSCF relative tiers `2,1,0.5` × n̄ with
    /// `1, 0.75, 0.5, 0.15`; for CWT absolute tiers `80,20,10` endpoints with `1, 0.7, 0.42, 0.05`.
    case openair
    /// TrajStat's defaults (see the *Receptor models* article in Upwind's documentation), the same for PSCF and CWT: absolute tiers
    /// `80,20,10` endpoints with `1, 0.7, 0.42, 0.05`, then its second pass on the cell's
    /// distinct-trajectory count N: ×0.5 for `1 < N ≤ 3`, ×0.2 for `N ≤ 1` (`3;1`, `0.5;0.2`).
    case trajstat
    /// No weighting: W = 1 everywhere (the weighted fields equal the unweighted ones).
    case none
    /// Thresholds as multiples of n̄, highest first; `weights.count == thresholds.count + 1`.
    case relative(thresholds: [Double], weights: [Double])
    /// Thresholds as counts (endpoints, or hours with segments), highest first;
    /// `weights.count == thresholds.count + 1`.
    case absolute(thresholds: [Double], weights: [Double])

    /// The receptor-model field a weighting applies to (``openair`` differs between them).
    public enum Field: String, Sendable, Codable, CaseIterable {
        /// Weighted PSCF.
        case pscf
        /// Weighted CWT.
        case cwt
    }

    /// One piecewise tier table.
    struct Tiers: Sendable, Equatable {
        var relative: Bool
        var thresholds: [Double]
        var weights: [Double]

        /// The weight of `count` (n̄ = `meanCount` scales relative thresholds).
        func weight(_ count: Double, meanCount: Double) -> Double {
            let scale = relative ? meanCount : 1
            for (k, t) in thresholds.enumerated() where count > t * scale {
                return weights[k]
            }
            return weights[thresholds.count]
        }
    }

    static let openairPSCF = Tiers(relative: true, thresholds: [2, 1, 0.5], weights: [1, 0.75, 0.5, 0.15])
    static let absolute80 = Tiers(relative: false, thresholds: [80, 20, 10], weights: [1, 0.7, 0.42, 0.05])
    static let trajstatTrajectories = Tiers(relative: false, thresholds: [3, 1], weights: [1, 0.5, 0.2])

    /// The tier tables for `field`: on the count, then (TrajStat) on the trajectory count.
    func tiers(for field: Field) -> (count: Tiers?, trajectories: Tiers?) {
        switch self {
        case .openair: return (field == .pscf ? GridWeights.openairPSCF : GridWeights.absolute80, nil)
        case .trajstat: return (GridWeights.absolute80, GridWeights.trajstatTrajectories)
        case .none: return (nil, nil)
        case .relative(let t, let w): return (Tiers(relative: true, thresholds: t, weights: w), nil)
        case .absolute(let t, let w): return (Tiers(relative: false, thresholds: t, weights: w), nil)
        }
    }

    /// The weight W of a cell for `field`.
    /// - Parameters:
    ///   - field: PSCF or CWT (matters for ``openair`` only).
    ///   - count: the cell's count n (endpoints, or hours with segments).
    ///   - meanCount: n̄, the mean count over the non-empty cells.
    ///   - trajectories: the cell's distinct-trajectory count (used by ``trajstat`` only).
    /// - Returns: the weight (dimensionless).
    public func weight(for field: Field, count: Double, meanCount: Double, trajectories: Int) -> Double {
        let (c, t) = tiers(for: field)
        var w = c?.weight(count, meanCount: meanCount) ?? 1
        if let t { w *= t.weight(Double(trajectories), meanCount: 1) }
        return w
    }

    /// Checks the tier table of a custom weighting: at least one threshold, finite thresholds
    /// ≥ 0 strictly decreasing, one more weight than thresholds, finite weights ≥ 0.
    /// - Parameter setting: the settings property named in an error (`pscfWeights`, `cwtWeights`).
    /// - Throws: ``ReceptorGridError/invalidSetting(setting:value:requirement:)``.
    public func validate(setting: String) throws(ReceptorGridError) {
        let thresholds: [Double], weights: [Double]
        switch self {
        case .openair, .trajstat, .none: return
        case .relative(let t, let w), .absolute(let t, let w): (thresholds, weights) = (t, w)
        }
        func fail(_ requirement: String) -> ReceptorGridError {
            .invalidSetting(setting: setting, value: description, requirement: requirement)
        }
        guard !thresholds.isEmpty else { throw fail("give at least one threshold") }
        guard weights.count == thresholds.count + 1 else {
            throw fail("give one weight more than thresholds (\(thresholds.count) thresholds, \(weights.count) weights)")
        }
        guard thresholds.allSatisfy({ $0.isFinite && $0 >= 0 }), weights.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw fail("thresholds and weights must be finite numbers ≥ 0")
        }
        guard zip(thresholds, thresholds.dropFirst()).allSatisfy({ $0 > $1 }) else {
            throw fail("thresholds must be strictly decreasing (highest first)")
        }
    }

    /// The CLI text: `openair`, `trajstat`, `none`, `relative:T1,T2,T3:W0,W1,W2,W3` or
    /// `absolute:T1,T2,T3:W0,W1,W2,W3`.
    public var description: String {
        func list(_ xs: [Double]) -> String { xs.map(ReceptorGridSettings.format).joined(separator: ",") }
        switch self {
        case .openair: return "openair"
        case .trajstat: return "trajstat"
        case .none: return "none"
        case .relative(let t, let w): return "relative:\(list(t)):\(list(w))"
        case .absolute(let t, let w): return "absolute:\(list(t)):\(list(w))"
        }
    }

    /// Decodes the CLI text (see ``description``).
    /// - Throws: ``ReceptorGridError/unparsable(setting:text:expected:)`` for text that is not a weighting.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try ReceptorGridSettings.parseWeights(text)
    }

    /// Encodes the CLI text (see ``description``).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
