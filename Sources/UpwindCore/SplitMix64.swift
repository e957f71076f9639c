/// SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators"): a
/// 64-bit generator whose stream depends only on the seed, identical on every platform and Swift
/// version. The state advances by the constant γ = 0x9E3779B97F4A7C15 per draw and each output is
/// the state passed through a fixed bit mixer, so the n-th draw of a stream can be reached
/// directly (``init(seed:skipping:)``) — parallel workers can take disjoint stretches of one
/// stream and reproduce the serial draws exactly.
///
/// Used for the seeded synthetic met (UpwindMeteo's `SyntheticMet.RegionalWeather`) and the
/// bootstrap over trajectories of the region ranking (UpwindAttribution).
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    /// The additive constant γ (the golden-ratio increment) the state advances by per draw.
    public static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The generator state (advanced by ``increment`` per draw).
    public private(set) var state: UInt64

    /// Creates a generator from a seed (any value, 0 included).
    public init(seed: UInt64) { state = seed }

    /// The generator seeded with `seed` after `draws` draws: its next output is draw number
    /// `draws` (0-based) of the stream of `seed`.
    /// - Parameters:
    ///   - seed: the stream's seed.
    ///   - draws: how many draws to skip (wrapping modulo 2⁶⁴).
    public init(seed: UInt64, skipping draws: UInt64) { state = seed &+ draws &* SplitMix64.increment }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= SplitMix64.increment
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Double` in [0, 1), from the top 53 bits of ``next()``.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform `Double` in [`low`, `high`), by `low + (high − low)·nextUnit()`.
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * nextUnit() }

    /// An index in `0..<count` from one draw, by the multiply-high map ⌊draw·count / 2⁶⁴⌋
    /// (Lemire 2019 without the rejection step): exactly one draw per index, so stretches of the
    /// stream stay aligned; the bias is below count/2⁶⁴ (≈ 10⁻¹⁵ for a million), negligible.
    /// - Parameter count: the number of choices, ≥ 1.
    /// - Returns: the index; 0 when `count` ≤ 1 (a draw is still consumed).
    public mutating func nextIndex(below count: Int) -> Int {
        let draw = next()
        guard count > 1 else { return 0 }
        return Int(draw.multipliedFullWidth(by: UInt64(count)).high)
    }
}
