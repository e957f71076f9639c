import Foundation
import UpwindCore

/// Synthetic meteorology: analytic and seeded-random wind, geopotential and temperature
/// fields on pressure levels, written as ERA5-legacy-style NetCDF (the layout of
/// `Fixtures/cdl/era5_legacy.cdl`) or returned in memory.
///
/// A ``SyntheticMet/Field`` ties a ``SyntheticMet/Model`` (what the atmosphere does) to a
/// ``SyntheticMet/Domain`` (where), pressure levels (hPa) and valid times (when):
///
/// ```swift
/// let field = try SyntheticMet.Field(
///     model: .solidBodyRotation(.init(alphaDegrees: 45)),
///     domain: .global(resolution: 1),
///     levels: [1000, 500, 200],
///     times: SyntheticMet.hourly(from: UTCTime(year: 2024, month: 1, day: 1), count: 48))
/// let paths = try field.write(directory: "/tmp/met", name: "sbr", split: .daily)
/// let met = try MetDataset(paths: paths)           // read back like ERA5
/// let slice = try field.slice(at: 0)               // or the same values without a file
/// ```
///
/// Files hold dimensions `time` (unlimited), `level` (int, millibars), `latitude` (float,
/// descending north to south) and `longitude` (float, ascending); variables `u`, `v`
/// (m s**-1), `w` (ω, Pa s**-1), `z` (geopotential, m**2 s**-2), `t` (K) on levels, and
/// `sp` (surface pressure, Pa), `zs` (surface geopotential = g·orography, m**2 s**-2,
/// standard_name `surface_geopotential`, read by ``MetDataset`` as `MetRole/orography`
/// in m) and `blh` (boundary-layer height, m) on the surface; `time` is int
/// "hours since 1900-01-01 00:00:00.0" on the gregorian calendar.
///
/// Everything is deterministic: the analytic models are closed-form, and the seeded
/// ``SyntheticMet/RegionalWeather`` model draws its parameters from ``SyntheticMet/SplitMix64``,
/// whose stream is the same on every platform (field values then depend only on the
/// platform's `sin`/`cos`/`exp`/`erf`, which may differ in the last bit of a `Double`).
public enum SyntheticMet {
    /// Earth radius a used by every generator, m.
    public static let earthRadius = 6_371_000.0
    /// Earth's angular velocity Ω used for the Coriolis parameter f = 2Ω sin φ, s⁻¹.
    public static let earthRotationRate = 7.292e-5
    /// Standard gravity g, m s⁻².
    public static let gravity = 9.80665
    /// Gas constant of dry air R_d, J kg⁻¹ K⁻¹.
    public static let dryAirGasConstant = 287.05

    /// ISA sea-level temperature T₀, K.
    public static let isaSeaLevelTemperature = 288.15
    /// ISA tropospheric lapse rate Γ, K m⁻¹ (up to the 11 km tropopause).
    public static let isaLapseRate = 0.0065
    /// ISA sea-level pressure p₀, hPa.
    public static let isaSeaLevelPressure = 1013.25
    /// ISA tropopause geopotential height, m (isothermal above, at 216.65 K).
    public static let isaTropopauseHeight = 11_000.0

    /// The 16 pressure levels the generators use by default, hPa, in ERA5 file order
    /// (top first): 100, 150, 200, 250, 300, 400, 500, 600, 700, 800, 850, 900, 925, 950, 975, 1000.
    public static let defaultLevels: [Double] = [100, 150, 200, 250, 300, 400, 500, 600, 700, 800, 850, 900, 925, 950, 975, 1000]

    /// Valid times every `stepHours` hours: `start`, `start + step`, …, `count` of them
    /// (arithmetic wraps instead of trapping; absurd values are then refused by ``Field``).
    /// - Parameters:
    ///   - start: the first valid time (UTC; it must fall on a whole hour to be written).
    ///   - count: how many times (≥ 0).
    ///   - stepHours: spacing, hours (default 1).
    public static func hourly(from start: UTCTime, count: Int, stepHours: Int = 1) -> [UTCTime] {
        guard count > 0 else { return [] }
        let step = Int64(truncatingIfNeeded: stepHours) &* 3600
        return (0..<count).map { UTCTime(secondsSince1970: start.secondsSince1970 &+ Int64($0) &* step) }
    }

    // MARK: - International Standard Atmosphere

    /// Geopotential height Z of pressure `p` in the ISA, m:
    /// `Z = (T₀/Γ)·(1 − (p/p₀)^(R_d Γ/g))` below the tropopause (p ≥ p₁₁ ≈ 226.3 hPa), and
    /// `Z = 11000 + (R_d·216.65/g)·ln(p₁₁/p)` above, with T₀ 288.15 K, Γ 0.0065 K m⁻¹,
    /// p₀ 1013.25 hPa, g 9.80665 m s⁻², R_d 287.05 J kg⁻¹ K⁻¹.
    /// - Parameter p: pressure, hPa (> 0).
    public static func isaHeight(pressure p: Double) -> Double {
        let exponent = dryAirGasConstant * isaLapseRate / gravity
        if p >= isaTropopausePressure {
            return isaSeaLevelTemperature / isaLapseRate * (1 - pow(p / isaSeaLevelPressure, exponent))
        }
        return isaTropopauseHeight + dryAirGasConstant * isaTropopauseTemperature / gravity * log(isaTropopausePressure / p)
    }

    /// Geopotential Φ = g·Z of pressure `p` in the ISA (see ``isaHeight(pressure:)``), m² s⁻².
    /// - Parameter p: pressure, hPa (> 0).
    public static func isaGeopotential(pressure p: Double) -> Double { gravity * isaHeight(pressure: p) }

    /// Temperature of pressure `p` in the ISA, K: `T₀ − Γ·Z(p)` below the tropopause,
    /// 216.65 K above. Hydrostatically consistent with ``isaGeopotential(pressure:)``:
    /// `T = −(1/R_d)·∂Φ/∂ln p`.
    /// - Parameter p: pressure, hPa (> 0).
    public static func isaTemperature(pressure p: Double) -> Double {
        p >= isaTropopausePressure ? isaSeaLevelTemperature - isaLapseRate * isaHeight(pressure: p) : isaTropopauseTemperature
    }

    /// Pressure at geopotential height `z` in the ISA (the inverse of ``isaHeight(pressure:)``), hPa.
    /// - Parameter z: geopotential height, m.
    public static func isaPressure(height z: Double) -> Double {
        if z <= isaTropopauseHeight {
            return isaSeaLevelPressure * pow(1 - isaLapseRate * z / isaSeaLevelTemperature, gravity / (dryAirGasConstant * isaLapseRate))
        }
        return isaTropopausePressure * exp(-gravity * (z - isaTropopauseHeight) / (dryAirGasConstant * isaTropopauseTemperature))
    }

    /// ISA tropopause temperature, K.
    static let isaTropopauseTemperature = 216.65
    /// ISA tropopause pressure p₁₁ = p₀·(216.65/288.15)^(g/(R_d Γ)) ≈ 226.3 hPa.
    static let isaTropopausePressure = isaSeaLevelPressure * pow(isaTropopauseTemperature / isaSeaLevelTemperature, gravity / (dryAirGasConstant * isaLapseRate))

    /// Coriolis parameter f = 2Ω sin φ, s⁻¹.
    /// - Parameter latitude: φ, degrees north.
    public static func coriolis(latitude: Double) -> Double { 2 * earthRotationRate * sin(latitude * .pi / 180) }
}

// MARK: - Errors

/// Why a synthetic field could not be set up or produced. The description names the
/// parameter and value and ends with what to do.
public enum SyntheticMetError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A parameter is outside its valid range.
    case invalidParameter(name: String, value: String, requirement: String)
    /// A time index outside the field's times was requested.
    case timeIndexOutOfRange(index: Int, count: Int)

    /// One line naming the parameter or index and what to do.
    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let requirement):
            return "synthetic met: \(name) = \(value) is invalid: \(requirement)"
        case .timeIndexOutOfRange(let index, let count):
            return "synthetic met: time index \(index) is outside the field's \(count) times: use 0..<\(count)"
        }
    }
}

// MARK: - Random numbers

extension SyntheticMet {
    /// SplitMix64 (Steele, Lea & Flood 2014): the generator now lives in UpwindCore
    /// (`UpwindCore.SplitMix64`), shared with the region bootstrap; this name is kept so
    /// existing callers and streams are unchanged.
    public typealias SplitMix64 = UpwindCore.SplitMix64
}

// MARK: - Domain

extension SyntheticMet {
    /// A regular latitude-longitude grid: latitudes stored north to south (ERA5 order),
    /// longitudes ascending, one resolution for both.
    public struct Domain: Sendable, Equatable {
        /// Latitudes in file order, north to south, degrees north.
        public let latitudes: [Double]
        /// Longitudes, ascending, degrees east.
        public let longitudes: [Double]
        /// Grid spacing, degrees.
        public let resolution: Double
        /// True when the longitudes go all the way round the globe.
        public let isGlobal: Bool

        /// A regional (or any) grid from its edges: latitudes `north`, `north − res`, … down to
        /// `south` and longitudes `west`, `west + res`, … up to `east` (edges that are not a
        /// whole number of steps from `north` / `west` are not reached).
        /// - Parameters:
        ///   - south: southern edge, degrees north (≥ −90).
        ///   - north: northern edge, degrees north (≤ 90, > `south`).
        ///   - west: western edge, degrees east.
        ///   - east: eastern edge, degrees east (> `west`, less than 360° from it).
        ///   - resolution: spacing, degrees (default 0.25, as ERA5).
        /// - Throws: ``SyntheticMetError/invalidParameter(name:value:requirement:)`` for edges
        ///   out of range or fewer than two points on an axis.
        public init(south: Double, north: Double, west: Double, east: Double, resolution: Double = 0.25) throws {
            guard resolution.isFinite, resolution > 0, resolution <= 90 else {
                throw SyntheticMetError.invalidParameter(name: "resolution", value: "\(resolution)", requirement: "use a spacing in degrees in (0, 90]")
            }
            guard south.isFinite, north.isFinite, south >= -90, north <= 90, south < north else {
                throw SyntheticMetError.invalidParameter(name: "south…north", value: "\(south)…\(north)", requirement: "use −90 ≤ south < north ≤ 90 (degrees north)")
            }
            guard west.isFinite, east.isFinite, west < east, east - west < 360, abs(west) <= 720 else {
                throw SyntheticMetError.invalidParameter(name: "west…east", value: "\(west)…\(east)", requirement: "use west < east, less than 360° apart (degrees east); for the whole globe use Domain.global(resolution:)")
            }
            let rows = ((north - south) / resolution + 1e-6).rounded(.down) + 1
            let columns = ((east - west) / resolution + 1e-6).rounded(.down) + 1
            guard rows * columns <= 50_000_000 else {
                throw SyntheticMetError.invalidParameter(name: "resolution", value: "\(resolution)", requirement: "the grid would hold \(rows)×\(columns) points; use at most 50 million points per level")
            }
            let ny = Int(rows), nx = Int(columns)
            guard ny >= 2, nx >= 2 else {
                throw SyntheticMetError.invalidParameter(name: "resolution", value: "\(resolution)", requirement: "the box \(south)…\(north)N, \(west)…\(east)E holds \(ny)×\(nx) points; use a finer resolution so that each axis has at least 2")
            }
            latitudes = (0..<ny).map { Domain.snap(north - Double($0) * resolution) }
            longitudes = (0..<nx).map { Domain.snap(west + Double($0) * resolution) }
            self.resolution = resolution
            isGlobal = LatLonGrid.detectGlobal(longitudes)
        }

        /// The whole globe: latitudes 90 … −90 inclusive and longitudes 0 … 360 − `resolution`.
        /// - Parameter resolution: spacing, degrees (default 1); 180 and 360 must be whole
        ///   multiples of it.
        /// - Throws: ``SyntheticMetError/invalidParameter(name:value:requirement:)`` otherwise.
        public static func global(resolution: Double = 1) throws -> Domain {
            let perLatitude = 180 / resolution
            guard resolution.isFinite, resolution > 0, resolution <= 60, abs(perLatitude - perLatitude.rounded()) < 1e-6 else {
                throw SyntheticMetError.invalidParameter(name: "resolution", value: "\(resolution)", requirement: "a global grid needs a spacing in degrees that divides 180 (e.g. 0.25, 0.5, 1, 2.5)")
            }
            return try Domain(south: -90, north: 90, west: 0, east: 360 - resolution, resolution: resolution)
        }

        /// Number of latitudes.
        public var ny: Int { latitudes.count }
        /// Number of longitudes.
        public var nx: Int { longitudes.count }
        /// Southern edge, degrees north.
        public var south: Double { latitudes.last ?? .nan }
        /// Northern edge, degrees north.
        public var north: Double { latitudes.first ?? .nan }
        /// Western edge, degrees east.
        public var west: Double { longitudes.first ?? .nan }
        /// Eastern edge, degrees east.
        public var east: Double { longitudes.last ?? .nan }
        /// The domain as a `BoundingBox` (degrees).
        public var box: BoundingBox { BoundingBox(south: south, north: north, west: west, east: east) }
        /// The domain as a normalised `LatLonGrid` (latitudes ascending), as ``MetDataset`` reports it.
        public var grid: LatLonGrid { LatLonGrid(longitudes: longitudes, latitudes: latitudes.reversed(), isGlobal: isGlobal) }

        /// Rounds away floating-point noise from `edge + i·step` (to 1e-9 degree).
        static func snap(_ x: Double) -> Double {
            let r = (x * 1e9).rounded() / 1e9
            return r == 0 ? 0 : r
        }
    }

    /// How values are stored on disk.
    public enum Storage: Sendable, Equatable {
        /// 32-bit floats in NetCDF-4 (HDF5) with zlib level 1 and the shuffle filter, one
        /// time step per chunk: what the CDS' current NetCDF output looks like.
        case float
        /// 16-bit integers with `scale_factor`/`add_offset` per variable and file, in a
        /// classic 64-bit-offset NetCDF file, as the legacy CDS (`grib_to_netcdf`) wrote ERA5:
        /// `add_offset = (max + min)/2`, `scale_factor = (max − min)/65532`, stored values
        /// −32766 … 32766, `_FillValue = missing_value = −32767`. Decoding errors are at most
        /// `scale_factor/2`.
        case packedShort
    }

    /// How the times are split into files.
    public enum FileSplit: Sendable, Equatable {
        /// One file, `NAME.nc`, for all times.
        case single
        /// One file per UTC day, `NAME_YYYYMMDD.nc`.
        case daily
    }
}
