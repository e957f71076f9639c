import RealModule

/// Elementary functions for the pure-Swift core (swift-numerics' RealModule), so the core
/// needs no Foundation.
public enum Math {
    /// sin x (x in radians).
    @inlinable public static func sin(_ x: Double) -> Double { Double.sin(x) }
    /// cos x (x in radians).
    @inlinable public static func cos(_ x: Double) -> Double { Double.cos(x) }
    /// atan2(y, x) in radians.
    @inlinable public static func atan2(_ y: Double, _ x: Double) -> Double { Double.atan2(y: y, x: x) }
    /// Natural logarithm.
    @inlinable public static func log(_ x: Double) -> Double { Double.log(x) }
    /// eˣ.
    @inlinable public static func exp(_ x: Double) -> Double { Double.exp(x) }
    /// xʸ.
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { Double.pow(x, y) }
    /// tan x.
    @inlinable public static func tan(_ x: Double) -> Double { Double.tan(x) }
    /// atan x.
    @inlinable public static func atan(_ x: Double) -> Double { Double.atan(x) }
    /// asin x.
    @inlinable public static func asin(_ x: Double) -> Double { Double.asin(x) }
}

extension FixedWidthInteger {
    /// `value` truncated toward zero, or nil when it is NaN, infinite or outside this type's
    /// range: the guarded form of `Int(_:)`, which traps on such values. Use it for every
    /// Double→integer conversion of a value derived from input (grid indices, file fields,
    /// request parameters).
    ///
    /// ```swift
    /// Int(rangeChecked: 3.7)      // 3
    /// Int(rangeChecked: 1e308)    // nil
    /// Int(rangeChecked: .nan)     // nil
    /// ```
    @inlinable public init?(rangeChecked value: Double) {
        guard value.isFinite, let v = Self(exactly: value.rounded(.towardZero)) else { return nil }
        self = v
    }
}
