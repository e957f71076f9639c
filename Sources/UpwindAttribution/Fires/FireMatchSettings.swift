import UpwindCore

/// When a fire point matches a trajectory endpoint (issue 11 item 2; see the *Fire matching* article in Upwind's documentation).
///
/// Fire f matches endpoint k when all hold:
/// - d(f, k) ≤ ``radiusKm``, d the great-circle (haversine) distance in km on a sphere of
///   radius `Earth.radius` (see ``FireMatcher/distanceKm(latitude1:longitude1:latitude2:longitude2:)``);
/// - t_k − ``hoursBefore`` ≤ t_f ≤ t_k + ``hoursAfter`` (both ends included): a fire is seen only
///   at an overpass and burns between overpasses, so one detected up to 12 h before the air
///   passed (by default) may still have been burning then, and one detected up to 3 h after it
///   was most likely burning already;
/// - the endpoint's height AGL ≤ its mixing depth (`EndpointDiagnostics.mixingDepthM`, m AGL)
///   when that is present and finite, else ≤ ``fallbackMaxHeightM``;
/// - the endpoint's age is not 0, unless ``includeAgeZero`` (the receptor itself).
public struct FireMatchSettings: Sendable, Equatable, Codable {
    /// Match radius r, km (default 25). Also the kernel's length scale: a match contributes
    /// exp(−d²/(2r²)).
    public var radiusKm: Double
    /// Fires detected up to this many hours before the endpoint time match (default 12).
    public var hoursBefore: Double
    /// Fires detected up to this many hours after the endpoint time match (default 3).
    public var hoursAfter: Double
    /// Height limit, m AGL, of endpoints without a (finite) mixing depth (default 1500).
    public var fallbackMaxHeightM: Double
    /// Match endpoints of age 0 (the receptor itself) too (default false, as the receptor
    /// grid's default; pass the grid's setting so both count the same endpoints).
    public var includeAgeZero: Bool

    /// The largest radius accepted, km (1000).
    public static let maximumRadiusKm = 1000.0
    /// The largest ``hoursBefore`` and ``hoursAfter`` accepted, hours (10,000).
    public static let maximumHours = 10_000.0

    /// Creates settings; every argument defaults to issue 11's convention.
    /// - Parameters:
    ///   - radiusKm: match radius, km.
    ///   - hoursBefore: hours before the endpoint time.
    ///   - hoursAfter: hours after the endpoint time.
    ///   - fallbackMaxHeightM: height limit without a mixing depth, m AGL.
    ///   - includeAgeZero: match age-0 endpoints too.
    public init(radiusKm: Double = 25, hoursBefore: Double = 12, hoursAfter: Double = 3, fallbackMaxHeightM: Double = 1500,
                includeAgeZero: Bool = false) {
        self.radiusKm = radiusKm
        self.hoursBefore = hoursBefore
        self.hoursAfter = hoursAfter
        self.fallbackMaxHeightM = fallbackMaxHeightM
        self.includeAgeZero = includeAgeZero
    }

    /// Checks every setting.
    /// - Throws: ``FireMatchError/invalidSetting(setting:value:requirement:)`` naming the first bad one.
    public func validate() throws(FireMatchError) {
        guard radiusKm.isFinite, radiusKm > 0, radiusKm <= FireMatchSettings.maximumRadiusKm else {
            throw .invalidSetting(setting: "radiusKm", value: "\(radiusKm)", requirement: "kilometres, > 0 and ≤ 1000")
        }
        guard hoursBefore.isFinite, hoursBefore >= 0, hoursBefore <= FireMatchSettings.maximumHours else {
            throw .invalidSetting(setting: "hoursBefore", value: "\(hoursBefore)", requirement: "hours, ≥ 0 and ≤ 10000")
        }
        guard hoursAfter.isFinite, hoursAfter >= 0, hoursAfter <= FireMatchSettings.maximumHours else {
            throw .invalidSetting(setting: "hoursAfter", value: "\(hoursAfter)", requirement: "hours, ≥ 0 and ≤ 10000")
        }
        guard fallbackMaxHeightM.isFinite, fallbackMaxHeightM >= 0 else {
            throw .invalidSetting(setting: "fallbackMaxHeightM", value: "\(fallbackMaxHeightM)", requirement: "metres AGL, finite and ≥ 0")
        }
    }
}
