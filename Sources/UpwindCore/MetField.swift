/// The physical quantity a gridded met variable holds, with the units Upwind
/// normalises it to on read.
public enum MetRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Eastward wind, m s⁻¹ (earth-relative).
    case u
    /// Northward wind, m s⁻¹ (earth-relative).
    case v
    /// Vertical velocity: ω in Pa s⁻¹ or w in m s⁻¹, see ``VerticalVelocityKind``.
    case w
    /// Geopotential Φ, m² s⁻².
    case geopotential
    /// Geopotential height Z = Φ/g₀, m.
    case geopotentialHeight = "geopotential_height"
    /// Air temperature, K.
    case temperature
    /// Surface pressure, hPa.
    case surfacePressure = "surface_pressure"
    /// Terrain height above mean sea level, m.
    case orography
    /// Boundary-layer (mixing) depth, m.
    case boundaryLayerHeight = "boundary_layer_height"
    /// Specific humidity, kg kg⁻¹.
    case specificHumidity = "specific_humidity"
    /// Relative humidity, %.
    case relativeHumidity = "relative_humidity"

    /// True for fields defined on the vertical axis (as opposed to surface fields).
    public var isThreeDimensional: Bool {
        switch self {
        case .surfacePressure, .orography, .boundaryLayerHeight: return false
        default: return true
        }
    }

    /// Normalised units of the role's values in a ``MetSlice``.
    public var normalisedUnits: String {
        switch self {
        case .u, .v: return "m s-1"
        case .w: return "Pa s-1 (omega) or m s-1 (w)"
        case .geopotential: return "m2 s-2"
        case .geopotentialHeight, .orography, .boundaryLayerHeight: return "m"
        case .temperature: return "K"
        case .surfacePressure: return "hPa"
        case .specificHumidity: return "kg kg-1"
        case .relativeHumidity: return "%"
        }
    }

    /// Orders roles by declaration order.
    public static func < (a: MetRole, b: MetRole) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}

/// What the ``MetRole/w`` field holds.
public enum VerticalVelocityKind: String, Sendable, Codable {
    /// Pressure vertical velocity ω, Pa s⁻¹ (positive downward).
    case omega
    /// Geometric vertical velocity w, m s⁻¹ (positive upward).
    case w
}

/// Standard gravity g₀ used to convert geopotential to geopotential height, m s⁻².
public let standardGravity = 9.80665

/// One variable at one time: a contiguous `Float` array in index order `[z][y][x]`.
/// Missing values are NaN, never 0.
public struct MetField: Sendable, Equatable {
    /// Number of levels (1 for a surface field).
    public let nz: Int
    /// Number of latitudes.
    public let ny: Int
    /// Number of longitudes.
    public let nx: Int
    /// Values, `nz·ny·nx` of them, index `(z·ny + y)·nx + x`; NaN where missing.
    public var values: [Float]

    /// Creates a field; `values.count` must be `nz·ny·nx` (checked by the caller that decodes it).
    public init(nz: Int, ny: Int, nx: Int, values: [Float]) {
        self.nz = nz; self.ny = ny; self.nx = nx; self.values = values
    }

    /// The value at level `z`, latitude index `y`, longitude index `x`.
    @inlinable public subscript(z: Int, y: Int, x: Int) -> Float {
        values[(z * ny + y) * nx + x]
    }

    /// Number of NaN (missing) values.
    public var missingCount: Int { values.reduce(0) { $0 + ($1.isNaN ? 1 : 0) } }
}

/// All requested variables at one time on one (possibly cut) grid: the unit of
/// loading, caching and sharing between parcels.
public struct MetSlice: Sendable {
    /// Valid time (UTC).
    public let time: UTCTime
    /// The grid the fields are on (a sub-grid when the slice was cut to a box).
    public let grid: LatLonGrid
    /// Vertical axis of the 3-D fields.
    public let vertical: VerticalAxis
    /// What ``MetRole/w`` holds, when present.
    public let verticalVelocity: VerticalVelocityKind?
    /// Fields by role, in normalised units (see ``MetRole/normalisedUnits``).
    public let fields: [MetRole: MetField]

    /// Creates a slice.
    public init(time: UTCTime, grid: LatLonGrid, vertical: VerticalAxis,
                verticalVelocity: VerticalVelocityKind?, fields: [MetRole: MetField]) {
        self.time = time; self.grid = grid; self.vertical = vertical
        self.verticalVelocity = verticalVelocity; self.fields = fields
    }

    /// Bytes held by the field values (what the slice cache budgets).
    public var byteCount: Int { fields.values.reduce(0) { $0 + $1.values.count * MemoryLayout<Float>.size } }
}
