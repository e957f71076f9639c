/// A latitude–longitude box that clips what a receptor grid returns (``ReceptorGrid/cells(in:)``),
/// never what it accumulates (issue 10 item 3, `--bounds LAT0,LAT1,LON0,LON1`). A cell is inside
/// when its centre is, edges included. A box with ``longitudeMin`` > ``longitudeMax`` crosses the
/// antimeridian (`170,-170` holds 175 and −175).
public struct GridBounds: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Southern edge, degrees north.
    public var latitudeMin: Double
    /// Northern edge, degrees north (≥ ``latitudeMin``).
    public var latitudeMax: Double
    /// Western edge, degrees east, −180…180.
    public var longitudeMin: Double
    /// Eastern edge, degrees east, −180…180.
    public var longitudeMax: Double

    /// Creates a box.
    /// - Parameters:
    ///   - latitudeMin: southern edge, degrees.
    ///   - latitudeMax: northern edge, degrees (≥ `latitudeMin`).
    ///   - longitudeMin: western edge, degrees, −180…180.
    ///   - longitudeMax: eastern edge, degrees, −180…180 (less than `longitudeMin` to cross 180°).
    /// - Throws: ``ReceptorGridError/invalidSetting(setting:value:requirement:)`` for edges out of
    ///   range or latitudes in the wrong order.
    public init(latitudeMin: Double, latitudeMax: Double, longitudeMin: Double, longitudeMax: Double) throws(ReceptorGridError) {
        let text = "\(latitudeMin),\(latitudeMax),\(longitudeMin),\(longitudeMax)"
        guard [latitudeMin, latitudeMax].allSatisfy({ $0.isFinite && abs($0) <= 90 }),
              [longitudeMin, longitudeMax].allSatisfy({ $0.isFinite && abs($0) <= 180 }) else {
            throw .invalidSetting(setting: "bounds", value: text, requirement: "latitudes within ±90, longitudes within ±180")
        }
        guard latitudeMin <= latitudeMax else {
            throw .invalidSetting(setting: "bounds", value: text, requirement: "the southern latitude first")
        }
        self.latitudeMin = latitudeMin
        self.latitudeMax = latitudeMax
        self.longitudeMin = longitudeMin
        self.longitudeMax = longitudeMax
    }

    /// Parses the CLI text `LAT0,LAT1,LON0,LON1` (negative values allowed: `-10,10,-20,20`).
    /// - Parameter text: the text.
    /// - Throws: ``ReceptorGridError/unparsable(setting:text:expected:)``, or the errors of
    ///   ``init(latitudeMin:latitudeMax:longitudeMin:longitudeMax:)``.
    public init(parsing text: String) throws(ReceptorGridError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Double(String($0).filter { $0 != " " }) }
        guard parts.count == 4, let a = parts[0], let b = parts[1], let c = parts[2], let d = parts[3] else {
            throw .unparsable(setting: "bounds", text: text, expected: "LAT0,LAT1,LON0,LON1 (four numbers, degrees)")
        }
        try self.init(latitudeMin: a, latitudeMax: b, longitudeMin: c, longitudeMax: d)
    }

    private enum CodingKeys: String, CodingKey { case latitudeMin, latitudeMax, longitudeMin, longitudeMax }

    /// Decodes the four edges and checks them as ``init(latitudeMin:latitudeMax:longitudeMin:longitudeMax:)`` does.
    /// - Throws: a decoding error, or ``ReceptorGridError/invalidSetting(setting:value:requirement:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(latitudeMin: try c.decode(Double.self, forKey: .latitudeMin),
                      latitudeMax: try c.decode(Double.self, forKey: .latitudeMax),
                      longitudeMin: try c.decode(Double.self, forKey: .longitudeMin),
                      longitudeMax: try c.decode(Double.self, forKey: .longitudeMax))
    }

    /// True when the point (degrees) is inside the box, edges included.
    /// - Parameters:
    ///   - latitude: degrees north.
    ///   - longitude: degrees east, −180…180.
    /// - Returns: whether it is inside.
    public func contains(latitude: Double, longitude: Double) -> Bool {
        guard latitude >= latitudeMin, latitude <= latitudeMax else { return false }
        if longitudeMin <= longitudeMax { return longitude >= longitudeMin && longitude <= longitudeMax }
        return longitude >= longitudeMin || longitude <= longitudeMax
    }

    /// The CLI text, `LAT0,LAT1,LON0,LON1`.
    public var description: String {
        [latitudeMin, latitudeMax, longitudeMin, longitudeMax].map(ReceptorGridSettings.format).joined(separator: ",")
    }
}
