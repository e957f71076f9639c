/// A one-dimensional coordinate axis summarised as first, last, count and step.
public struct AxisSummary: Sendable, Equatable, Codable {
    /// First value, in the axis' units (degrees for latitude and longitude).
    public var first: Double
    /// Last value, in the axis' units.
    public var last: Double
    /// Number of points.
    public var count: Int
    /// Constant spacing (last − first)/(count − 1), or nil when the spacing is irregular
    /// or there is a single point.
    public var step: Double?

    /// Summarises `values`; spacing counts as regular when every gap is within
    /// 1e-6 of the mean gap (relative) or 1e-9 absolute.
    public init(values: [Double]) {
        first = values.first ?? .nan
        last = values.last ?? .nan
        count = values.count
        step = AxisSummary.regularStep(values)
    }

    /// The constant spacing of `values`, or nil when irregular or shorter than 2.
    public static func regularStep(_ values: [Double]) -> Double? {
        guard values.count >= 2 else { return nil }
        let mean = (values[values.count - 1] - values[0]) / Double(values.count - 1)
        let tolerance = max(1e-9, abs(mean) * 1e-6)
        for i in 1..<values.count where abs(values[i] - values[i - 1] - mean) > tolerance { return nil }
        return mean
    }
}

/// A regular or irregular latitude-longitude grid, normalised: latitudes ascending
/// (degrees north, −90…90), longitudes ascending and continuous (degrees east; they
/// may run past 180 or 360 so that no seam falls inside the grid).
///
/// Index order of every field on this grid is `[y][x]`, y along ``latitudes``.
public struct LatLonGrid: Sendable, Equatable {
    /// Longitudes in degrees east, strictly ascending, continuous.
    public let longitudes: [Double]
    /// Latitudes in degrees north, strictly ascending.
    public let latitudes: [Double]
    /// True when the longitudes go all the way round the globe, so the point after the
    /// last longitude is the first one again (e.g. 0, 2.5, …, 357.5).
    public let isGlobal: Bool

    /// Creates a grid from normalised axes. Use ``LatLonGrid/detectGlobal(_:)`` for `isGlobal`.
    public init(longitudes: [Double], latitudes: [Double], isGlobal: Bool) {
        self.longitudes = longitudes
        self.latitudes = latitudes
        self.isGlobal = isGlobal
    }

    /// Number of longitudes.
    public var nx: Int { longitudes.count }
    /// Number of latitudes.
    public var ny: Int { latitudes.count }

    /// True when ascending longitudes with a regular step `d` cover the globe: `count·d ≈ 360°`
    /// (the wrap gap equals the step, within 1 % of it).
    public static func detectGlobal(_ longitudes: [Double]) -> Bool {
        guard longitudes.count >= 3, let step = AxisSummary.regularStep(longitudes), step > 0 else { return false }
        let gap = longitudes[0] + 360 - longitudes[longitudes.count - 1]
        return abs(gap - step) <= 0.01 * step
    }
}

/// A geographic box in degrees. `west` may be greater than `east` when the box crosses
/// the antimeridian (e.g. west 170, east −170).
public struct BoundingBox: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Southern edge, degrees north.
    public var south: Double
    /// Northern edge, degrees north.
    public var north: Double
    /// Western edge, degrees east.
    public var west: Double
    /// Eastern edge, degrees east.
    public var east: Double

    /// Creates a box from its edges in degrees.
    public init(south: Double, north: Double, west: Double, east: Double) {
        self.south = south; self.north = north; self.west = west; self.east = east
    }

    /// `S..N, W..E` in degrees.
    public var description: String { "lat \(south)..\(north), lon \(west)..\(east)" }
}

/// Kind of the vertical coordinate of the wind fields.
public enum VerticalKind: String, Sendable, Codable, CaseIterable {
    /// Isobaric levels, hPa.
    case pressure
    /// Terrain-following σ = p/p_surface (or (p − p_top)/(p_s − p_top)), dimensionless.
    case sigma
    /// Height levels, metres.
    case height
    /// Hybrid σ-pressure levels (model level numbers or η), dimensionless.
    case hybrid
    /// No vertical coordinate: a single-level field.
    case surface
}

/// The vertical axis of the wind fields, normalised (pressure in hPa).
public struct VerticalAxis: Sendable, Equatable {
    /// Coordinate kind.
    public var kind: VerticalKind
    /// Level values in file order: hPa for pressure, m for height, dimensionless for
    /// sigma and hybrid; empty for `.surface`.
    public var levels: [Double]

    /// Creates an axis.
    public init(kind: VerticalKind, levels: [Double]) {
        self.kind = kind
        self.levels = levels
    }

    /// Units of ``levels``: `hPa`, `m`, `1`, or nil for a surface field.
    public var units: String? {
        switch kind {
        case .pressure: return "hPa"
        case .height: return "m"
        case .sigma, .hybrid: return "1"
        case .surface: return nil
        }
    }

    /// Number of levels (1 for a surface field).
    public var count: Int { kind == .surface ? 1 : levels.count }
}
