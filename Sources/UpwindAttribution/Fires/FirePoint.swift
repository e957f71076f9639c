import UpwindCore

/// How sure the fire product is that a detection is a fire (NASA FIRMS `confidence` column,
/// see the *Fire matching* article in Upwind's documentation), and the weight w_conf (0…1) it gets in fire scores (``FireMatcher``).
///
/// MODIS gives a percent, 0–100; VIIRS gives a class, `l`/`n`/`h`. The weights put both on one
/// scale, the MODIS percent:
/// - MODIS: w_conf = c / 100.
/// - VIIRS: low 0.3, nominal 0.8, high 1.0: each class gets the upper edge of the MODIS class of
///   the same name (MODIS Collection 6 user guide: low < 30 %, nominal 30–80 %, high ≥ 80 %).
///   A VIIRS nominal detection is a clear thermal anomaly (> 15 K in I4) free of sun glint, as
///   trustworthy as a MODIS detection at the edge of "high"; VIIRS "high" marks saturated pixels
///   (w = 1); "low" marks weak or sun-glint-suspect daytime detections, down-weighted like a MODIS
///   30 % detection but not discarded (Schroeder et al. 2014, the VIIRS 375 m fire algorithm).
public enum FireConfidence: Sendable, Hashable, CustomStringConvertible {
    /// MODIS confidence, percent, 0–100.
    case percent(Int)
    /// VIIRS class `l` (low).
    case low
    /// VIIRS class `n` (nominal).
    case nominal
    /// VIIRS class `h` (high).
    case high

    /// w_conf of a VIIRS low-confidence detection (0.3).
    public static let lowWeight = 0.3
    /// w_conf of a VIIRS nominal-confidence detection (0.8).
    public static let nominalWeight = 0.8
    /// w_conf of a VIIRS high-confidence detection (1.0).
    public static let highWeight = 1.0

    /// w_conf, 0…1 (see the type's documentation): c/100 for a MODIS percent c (clamped to
    /// 0…1), 0.3 / 0.8 / 1.0 for VIIRS low / nominal / high.
    public var weight: Double {
        switch self {
        case .percent(let c): return Double(min(max(c, 0), 100)) / 100
        case .low: return FireConfidence.lowWeight
        case .nominal: return FireConfidence.nominalWeight
        case .high: return FireConfidence.highWeight
        }
    }

    /// True for a MODIS percent within 0–100 and for every VIIRS class.
    public var isValid: Bool {
        if case .percent(let c) = self { return (0...100).contains(c) }
        return true
    }

    /// The FIRMS text: the percent (`85`) or the VIIRS letter (`l`, `n`, `h`).
    public var description: String {
        switch self {
        case .percent(let c): return String(c)
        case .low: return "l"
        case .nominal: return "n"
        case .high: return "h"
        }
    }
}

/// One active-fire detection (a NASA FIRMS row; see the *Fire matching* article in Upwind's documentation): where and when the satellite saw
/// it, its fire radiative power and the product's confidence.
public struct FirePoint: Sendable, Equatable {
    /// The fire's id (FIRMS files have none: the reader uses the 1-based data-row number).
    public var id: String
    /// Latitude of the pixel centre, degrees north.
    public var latitude: Double
    /// Longitude of the pixel centre, degrees east in [−180, 180).
    public var longitude: Double
    /// Detection (overpass) time, UTC (FIRMS `acq_date` + `acq_time`).
    public var time: UTCTime
    /// Fire radiative power, MW (FIRMS `frp`), ≥ 0.
    public var frpMW: Double
    /// The product's confidence, which gives the weight w_conf.
    public var confidence: FireConfidence
    /// The satellite (FIRMS `satellite`: `Terra`, `Aqua`, `N`, `N20`, `1`…), if given.
    public var satellite: String?
    /// The instrument (FIRMS `instrument`: `MODIS`, `VIIRS`), if given.
    public var instrument: String?
    /// The FIRMS archive's `type`, if given: 0 presumed vegetation fire, 1 active volcano,
    /// 2 other static land source (industry, gas flares), 3 offshore.
    public var detectionType: Int?

    /// Creates a fire point.
    /// - Parameters:
    ///   - id: the id.
    ///   - latitude: degrees north.
    ///   - longitude: degrees east.
    ///   - time: detection time, UTC.
    ///   - frpMW: fire radiative power, MW.
    ///   - confidence: the product's confidence.
    ///   - satellite: the satellite, if known.
    ///   - instrument: the instrument, if known.
    ///   - detectionType: the FIRMS archive `type` (0–3), if known.
    public init(id: String, latitude: Double, longitude: Double, time: UTCTime, frpMW: Double, confidence: FireConfidence,
                satellite: String? = nil, instrument: String? = nil, detectionType: Int? = nil) {
        self.id = id
        self.latitude = latitude
        self.longitude = longitude
        self.time = time
        self.frpMW = frpMW
        self.confidence = confidence
        self.satellite = satellite
        self.instrument = instrument
        self.detectionType = detectionType
    }
}
