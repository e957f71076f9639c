import UpwindCore

/// One station reading: a site's value at one time.
///
/// A missing reading (an empty or `NA` cell in an observation file) is kept as an observation
/// whose ``value`` is nil, never as 0: it ends a hotspot event, is left out of percentiles and
/// medians, and a trajectory arriving at that hour is reported as unmatched.
public struct Observation: Sendable, Hashable {
    /// The site (receptor) name, e.g. `Zhengzhou`; never empty in an ``ObservationSet``.
    public var site: String
    /// The site's latitude, degrees north (−90…90).
    public var latitude: Double
    /// The site's longitude, degrees east (any range, kept as given).
    public var longitude: Double
    /// The time of the reading (UTC).
    public var time: UTCTime
    /// The reading in the file's unit (``unit``), or nil when it is missing.
    public var value: Double?
    /// The pollutant, e.g. `PM2.5`, when the source names one.
    public var pollutant: String?
    /// The unit of ``value``, e.g. `µg/m³`, when the source names one.
    public var unit: String?

    /// Creates an observation.
    /// - Parameters:
    ///   - site: the site name.
    ///   - latitude: degrees north.
    ///   - longitude: degrees east.
    ///   - time: the time of the reading (UTC).
    ///   - value: the reading, or nil when missing.
    ///   - pollutant: the pollutant's name, if known.
    ///   - unit: the unit of `value`, if known.
    public init(site: String, latitude: Double, longitude: Double, time: UTCTime, value: Double?,
                pollutant: String? = nil, unit: String? = nil) {
        self.site = site
        self.latitude = latitude
        self.longitude = longitude
        self.time = time
        self.value = value
        self.pollutant = pollutant
        self.unit = unit
    }
}

/// A monitoring site: its name and position.
public struct ObservationSite: Sendable, Hashable {
    /// The site name.
    public var name: String
    /// Latitude, degrees north.
    public var latitude: Double
    /// Longitude, degrees east (as the observations give it).
    public var longitude: Double

    /// Creates a site.
    /// - Parameters:
    ///   - name: the site name.
    ///   - latitude: degrees north.
    ///   - longitude: degrees east.
    public init(name: String, latitude: Double, longitude: Double) {
        self.name = name
        self.latitude = latitude
        self.longitude = longitude
    }
}
