import Foundation
import UpwindCore

extension SyntheticMet {
    /// What the synthetic atmosphere does. Every model writes all variables (u, v, ω, Φ, T on
    /// levels; surface pressure, orography, boundary-layer height on the surface).
    public enum Model: Sendable, Equatable {
        /// The same wind everywhere on an ISA atmosphere; see ``UniformFlow``.
        case uniform(UniformFlow)
        /// Williamson et al. (1992) solid-body rotation with its balanced geopotential; see ``SolidBodyRotation``.
        case solidBodyRotation(SolidBodyRotation)
        /// A constant-lapse-rate (or isothermal) atmosphere with optional orography; see ``LapseRateAtmosphere``.
        case lapseRate(LapseRateAtmosphere)
        /// Seeded, realistic-looking mid-latitude weather; see ``RegionalWeather``.
        case regional(RegionalWeather)

        /// A short description written to the files' `source` attribute.
        var summary: String {
            switch self {
            case .uniform(let m): return "uniform flow u0=\(m.u0) v0=\(m.v0) m/s on the ISA"
            case .solidBodyRotation(let m): return "solid-body rotation (Williamson et al. 1992), alpha=\(m.alphaDegrees) deg, period=\(m.periodDays) d, u0=\(m.u0) m/s"
            case .lapseRate(let m): return "constant lapse rate \(m.lapseRate) K/m, T0=\(m.seaLevelTemperature) K, p0=\(m.seaLevelPressure) hPa, wind \(m.u0), \(m.v0) m/s, orography \(m.orography)"
            case .regional(let m): return "regional weather, seed \(m.seed)"
            }
        }
    }

    /// Uniform flow on the International Standard Atmosphere:
    /// `u = u0`, `v = v0` on every level and at every time, `ω = 0`,
    /// `Φ = Φ_ISA(p)`, `T = T_ISA(p)` (see ``SyntheticMet/isaGeopotential(pressure:)``),
    /// surface pressure 1013.25 hPa, orography 0, boundary-layer height constant.
    public struct UniformFlow: Sendable, Equatable {
        /// Eastward wind u0, m s⁻¹.
        public var u0: Double
        /// Northward wind v0, m s⁻¹.
        public var v0: Double
        /// Boundary-layer height everywhere, m.
        public var boundaryLayerHeight: Double

        /// Creates the model.
        /// - Parameters:
        ///   - u0: eastward wind, m s⁻¹ (default 10).
        ///   - v0: northward wind, m s⁻¹ (default 0).
        ///   - boundaryLayerHeight: m (default 1000).
        public init(u0: Double = 10, v0: Double = 0, boundaryLayerHeight: Double = 1000) {
            self.u0 = u0; self.v0 = v0; self.boundaryLayerHeight = boundaryLayerHeight
        }
    }

    /// Solid-body rotation, Williamson et al. (1992) test cases 1–2: the atmosphere turns as a
    /// rigid shell about an axis tilted by α from the Earth's axis towards (λ, φ) = (0°, 0°),
    /// one revolution in `periodDays`.
    ///
    /// With a = 6 371 000 m and u0 = 2πa / (periodDays·86400 s) (38.61 m s⁻¹ for 12 days):
    /// - `u = u0·(cos φ cos α + sin φ cos λ sin α)`, `v = −u0·sin λ sin α`, on every level and at every time;
    /// - `ω = 0`;
    /// - `Φ(λ, φ, p) = Φ_ISA(p) − (a Ω u0 + u0²/2)·(−cos λ cos φ sin α + sin φ cos α)²`,
    ///   the balanced height field of test case 2 (Ω = 7.292e-5 s⁻¹) added to each level's ISA
    ///   geopotential;
    /// - `T = T_ISA(p)` (hydrostatically consistent: the perturbation does not depend on p);
    /// - surface pressure 1013.25 hPa, orography 0, boundary-layer height constant.
    public struct SolidBodyRotation: Sendable, Equatable {
        /// Tilt α of the rotation axis from the Earth's axis, degrees (0: zonal flow; 90: flow over the poles).
        public var alphaDegrees: Double
        /// Time of one revolution, days.
        public var periodDays: Double
        /// Boundary-layer height everywhere, m.
        public var boundaryLayerHeight: Double

        /// Creates the model.
        /// - Parameters:
        ///   - alphaDegrees: axis tilt α, degrees (default 0).
        ///   - periodDays: days per revolution (default 12, Williamson's value).
        ///   - boundaryLayerHeight: m (default 1000).
        public init(alphaDegrees: Double = 0, periodDays: Double = 12, boundaryLayerHeight: Double = 1000) {
            self.alphaDegrees = alphaDegrees; self.periodDays = periodDays; self.boundaryLayerHeight = boundaryLayerHeight
        }

        /// Equatorial speed of the rotation u0 = 2πa / (periodDays·86400 s), m s⁻¹.
        public var u0: Double { SolidBodyRotation.u0(periodDays: periodDays) }

        /// u0 = 2πa / (periodDays·86400 s), m s⁻¹, with a = 6 371 000 m.
        /// - Parameter periodDays: days per revolution.
        public static func u0(periodDays: Double) -> Double { 2 * .pi * SyntheticMet.earthRadius / (periodDays * 86_400) }

        /// The wind at a point, m s⁻¹ (the same on every level and at every time).
        /// - Parameters:
        ///   - longitude: λ, degrees east.
        ///   - latitude: φ, degrees north.
        /// - Returns: (u eastward, v northward), m s⁻¹.
        public func wind(longitude: Double, latitude: Double) -> (u: Double, v: Double) {
            let l = longitude * .pi / 180, f = latitude * .pi / 180, a = alphaDegrees * .pi / 180
            return (u0 * (cos(f) * cos(a) + sin(f) * cos(l) * sin(a)), -u0 * sin(l) * sin(a))
        }

        /// The balanced geopotential perturbation −(aΩu0 + u0²/2)·(−cos λ cos φ sin α + sin φ cos α)², m² s⁻²
        /// (added to every level's ISA geopotential).
        /// - Parameters:
        ///   - longitude: λ, degrees east.
        ///   - latitude: φ, degrees north.
        public func geopotentialPerturbation(longitude: Double, latitude: Double) -> Double {
            let l = longitude * .pi / 180, f = latitude * .pi / 180, a = alphaDegrees * .pi / 180
            let s = -cos(l) * cos(f) * sin(a) + sin(f) * cos(a)
            return -(SyntheticMet.earthRadius * SyntheticMet.earthRotationRate * u0 + u0 * u0 / 2) * s * s
        }

        /// Geopotential at a point and pressure: `Φ_ISA(p)` + ``geopotentialPerturbation(longitude:latitude:)``, m² s⁻².
        /// - Parameters:
        ///   - longitude: λ, degrees east.
        ///   - latitude: φ, degrees north.
        ///   - pressure: p, hPa.
        public func geopotential(longitude: Double, latitude: Double, pressure: Double) -> Double {
            SyntheticMet.isaGeopotential(pressure: pressure) + geopotentialPerturbation(longitude: longitude, latitude: latitude)
        }
    }

    /// Terrain height as an analytic function of position.
    public enum Orography: Sendable, Equatable, CustomStringConvertible {
        /// Sea level everywhere (0 m).
        case flat
        /// A Gaussian hill `height·exp(−((λ−λc)² + (φ−φc)²) / (2σ²))`, with λ, φ, λc, φc and σ
        /// in degrees (λ − λc wrapped into −180…180).
        /// - Parameters: `height` m, `longitude` λc and `latitude` φc degrees, `width` σ degrees.
        case gaussianHill(height: Double, longitude: Double, latitude: Double, width: Double)

        /// The terrain height at a point, m.
        /// - Parameters:
        ///   - longitude: λ, degrees east.
        ///   - latitude: φ, degrees north.
        public func height(longitude: Double, latitude: Double) -> Double {
            switch self {
            case .flat:
                return 0
            case .gaussianHill(let height, let lc, let fc, let width):
                var dl = (longitude - lc).truncatingRemainder(dividingBy: 360)
                if dl > 180 { dl -= 360 } else if dl < -180 { dl += 360 }
                let df = latitude - fc
                return height * exp(-(dl * dl + df * df) / (2 * width * width))
            }
        }

        /// `flat` or `gaussianHill(h m at λ, φ; σ °)`.
        public var description: String {
            switch self {
            case .flat: return "flat"
            case .gaussianHill(let h, let l, let f, let w): return "gaussianHill(\(h) m at \(l)E \(f)N, sigma \(w) deg)"
            }
        }
    }

    /// An atmosphere with a constant lapse rate Γ (or isothermal when Γ = 0), exactly
    /// hydrostatic, for isentropic and mean-sea-level tests.
    ///
    /// With T0 the sea-level temperature, p0 the sea-level pressure, g = 9.80665 m s⁻²,
    /// R_d = 287.05 J kg⁻¹ K⁻¹:
    /// - `p(z) = p0·(1 − Γz/T0)^(g/(R_d Γ))` (isothermal: `p0·exp(−g z/(R_d T0))`);
    /// - on each pressure level the geopotential height is the inverse,
    ///   `Z(p) = (T0/Γ)·(1 − (p/p0)^(R_d Γ/g))` (isothermal: `(R_d T0/g)·ln(p0/p)`), `Φ = g·Z`;
    /// - `T(p) = T0 − Γ·Z(p)`;
    /// - surface pressure `p(h(λ, φ))` with h the ``Orography``; `u = u0`, `v = v0`, `ω = 0`;
    ///   boundary-layer height constant.
    public struct LapseRateAtmosphere: Sendable, Equatable {
        /// Sea-level temperature T0, K.
        public var seaLevelTemperature: Double
        /// Lapse rate Γ = −dT/dz, K m⁻¹ (0: isothermal; 0.0065: ISA troposphere).
        public var lapseRate: Double
        /// Sea-level pressure p0, hPa.
        public var seaLevelPressure: Double
        /// Eastward wind, m s⁻¹.
        public var u0: Double
        /// Northward wind, m s⁻¹.
        public var v0: Double
        /// Terrain height (m) as a function of position.
        public var orography: Orography
        /// Boundary-layer height everywhere, m.
        public var boundaryLayerHeight: Double

        /// Creates the model.
        /// - Parameters:
        ///   - seaLevelTemperature: T0, K (default 288.15).
        ///   - lapseRate: Γ, K m⁻¹ (default 0.0065; 0 for an isothermal atmosphere).
        ///   - seaLevelPressure: p0, hPa (default 1013.25).
        ///   - u0: eastward wind, m s⁻¹ (default 0).
        ///   - v0: northward wind, m s⁻¹ (default 0).
        ///   - orography: terrain (default flat).
        ///   - boundaryLayerHeight: m (default 1000).
        public init(seaLevelTemperature: Double = 288.15, lapseRate: Double = 0.0065, seaLevelPressure: Double = 1013.25,
                    u0: Double = 0, v0: Double = 0, orography: Orography = .flat, boundaryLayerHeight: Double = 1000) {
            self.seaLevelTemperature = seaLevelTemperature; self.lapseRate = lapseRate; self.seaLevelPressure = seaLevelPressure
            self.u0 = u0; self.v0 = v0; self.orography = orography; self.boundaryLayerHeight = boundaryLayerHeight
        }

        /// Pressure at geopotential height `z`, hPa: `p0·(1 − Γz/T0)^(g/(R_d Γ))` or, isothermal, `p0·exp(−g z/(R_d T0))`.
        /// - Parameter z: height above sea level, m.
        public func pressure(atHeight z: Double) -> Double {
            let g = SyntheticMet.gravity, r = SyntheticMet.dryAirGasConstant
            if lapseRate == 0 { return seaLevelPressure * exp(-g * z / (r * seaLevelTemperature)) }
            return seaLevelPressure * pow(1 - lapseRate * z / seaLevelTemperature, g / (r * lapseRate))
        }

        /// Geopotential height of pressure `p`, m: `(T0/Γ)·(1 − (p/p0)^(R_d Γ/g))` or, isothermal, `(R_d T0/g)·ln(p0/p)`.
        /// - Parameter p: pressure, hPa.
        public func height(atPressure p: Double) -> Double {
            let g = SyntheticMet.gravity, r = SyntheticMet.dryAirGasConstant
            if lapseRate == 0 { return r * seaLevelTemperature / g * log(seaLevelPressure / p) }
            return seaLevelTemperature / lapseRate * (1 - pow(p / seaLevelPressure, r * lapseRate / g))
        }

        /// Temperature of pressure `p`, K: `T0 − Γ·Z(p)`.
        /// - Parameter p: pressure, hPa.
        public func temperature(atPressure p: Double) -> Double { seaLevelTemperature - lapseRate * height(atPressure: p) }
    }

    /// Seeded, realistic-looking mid-latitude weather on any domain and period: the
    /// demo, benchmark and twin-experiment workhorse. The same seed, domain, levels and
    /// times give the same values.
    ///
    /// Construction (λ, φ longitude and latitude; p pressure; t seconds since the field's first time;
    /// a = 6 371 000 m; f = 2Ω sin φ):
    /// - **Geopotential** `Φ = Φ_ISA(p) + Φ_bg(φ) + A_j(p)·τ(φ)·[Φ_jet(φ) + Φ_wave(λ, φ, t)] + A_s(p)·τ(φ)·Φ_sys(λ, φ, t)`:
    ///   - `Φ_bg = 2Ωa·U_b·(cos φ − cos φ_c) + c`: a barotropic zonal background wind U_b
    ///     (seeded 4–6 m s⁻¹; c sets the domain-centre sea-level pressure to a seeded 1006–1010 hPa);
    ///   - `Φ_jet = −f_j a U_j σ_j √(π/2)·(erf((φ − φ_j)/(σ_j√2)) ± 1)`: a jet of core speed U_j
    ///     (so that U_b + U_j is ``jetSpeed``, seeded 32–37 m s⁻¹) at latitude φ_j (seeded,
    ///     within 3° of the domain's centre latitude clamped to 30–50°), σ_j = 5°;
    ///   - `Φ_wave = W·cos(m(λ − λ_c(t)))·exp(−(φ − φ_j)²/(2σ_w²))·(cos φ / cos φ_j)²`: a trough of
    ///     integer zonal wavenumber m (wavelength ≈ ``troughWavelength``), σ_w = 10°, amplitude W
    ///     giving a meridional wind of ``troughMeridionalWind`` at the jet, whose axis λ_c enters at
    ///     the domain's western edge and crosses it in ``troughTransitDays`` (speed capped to 5–15 m s⁻¹);
    ///   - `Φ_sys`: 2–24 pulsing highs and lows `A_k·cos(2πt/P_k + ψ_k)·exp(−d_k²/(2r_k²))`
    ///     (A_k ±200–350 m² s⁻², r_k 700–1100 km, P_k 3–6 days, d_k the chord distance to the centre);
    ///   - vertical profiles `A_j(p) = exp(−ln²(p/p_j)/(2·0.75²))` (p_j = ``jetPressure``; 0.1 at
    ///     1000 hPa) and `A_s(p) = (p/1000 hPa)^1.5`;
    ///   - τ(φ) a smoothstep from 0 at |φ| ≤ 5° to 1 at |φ| ≥ 25° that keeps the geostrophic wind
    ///     finite near the equator.
    /// - **Wind** above the boundary layer is exactly geostrophic: `u = −(1/(f a))·∂Φ/∂φ`,
    ///   `v = (1/(f a cos φ))·∂Φ/∂λ` (derivatives analytic). In the lowest 150 hPa above the
    ///   surface it is reduced by `1 − 0.4·s` and turned towards low pressure by `25°·s`,
    ///   `s = (1 − (p_s − p)/150 hPa)²` (s = 1 below ground).
    /// - **Temperature** is hydrostatic, `T = −(1/R_d)·∂Φ/∂ln p` (analytic).
    /// - **ω** (Pa s⁻¹) is prescribed, not diagnosed: `S(p)·[−0.25·τ·E(φ)·sin(m(λ − λ_c)) + 4.4e-4·τ·Φ_sys]`,
    ///   ascent ahead of the trough and in the lows, with `S(p) = sin(π(p − 100)/(p_s − 100))`
    ///   between 100 hPa and the surface and 0 elsewhere (|ω| ≲ 0.5 Pa s⁻¹).
    /// - **Orography**: seeded Gaussian hills (radius 60–250 km) summed and soft-capped,
    ///   `h = H·(1 − exp(−Σ/H))` with H = ``maximumOrography``.
    /// - **Surface pressure** solves `Φ(λ, φ, p_s, t) = g·h` (Newton in ln p): a smooth field
    ///   around 1000–1015 hPa at sea level, lower over the hills.
    /// - **Boundary-layer height** `(night + (day − night)·D)·(1 + 0.05·m(λ, φ))`,
    ///   `D = max(0, sin(π(t_solar − 7 h)/12 h))^1.5` with t_solar = UTC hour + λ/15°,
    ///   peaking at 13:00 local solar time; m a seeded smooth pattern in [−1, 1].
    ///
    /// Outside mid-latitudes (within 25° of the equator) the fields stay smooth and finite but
    /// are not realistic.
    public struct RegionalWeather: Sendable, Equatable {
        /// The seed of every random choice.
        public var seed: UInt64
        /// Jet latitude φ_j, degrees north; nil draws it from the seed near the domain's centre latitude.
        public var jetLatitude: Double?
        /// Total westerly wind at the jet core on the jet pressure level (background + jet), m s⁻¹;
        /// nil draws 32–37 m s⁻¹ from the seed.
        public var jetSpeed: Double?
        /// Pressure of the jet core p_j, hPa.
        public var jetPressure: Double
        /// Amplitude of the trough's meridional wind at the jet core, m s⁻¹.
        public var troughMeridionalWind: Double
        /// Wavelength of the trough wave at the jet latitude, m (rounded to a whole zonal wavenumber).
        public var troughWavelength: Double
        /// Time the trough takes to cross the domain from west to east, days (its speed is kept within 5–15 m s⁻¹).
        public var troughTransitDays: Double
        /// Night-time boundary-layer height, m.
        public var nightBoundaryLayerHeight: Double
        /// Afternoon (13:00 local solar time) boundary-layer height, m.
        public var dayBoundaryLayerHeight: Double
        /// Upper bound of the orography, m (hills are soft-capped at it).
        public var maximumOrography: Double

        /// Creates the model.
        /// - Parameters:
        ///   - seed: random seed (default 1).
        ///   - jetLatitude: degrees north, or nil (default) to draw it.
        ///   - jetSpeed: m s⁻¹, or nil (default) to draw it (32–37).
        ///   - jetPressure: hPa (default 200).
        ///   - troughMeridionalWind: m s⁻¹ (default 12).
        ///   - troughWavelength: m (default 5 000 000).
        ///   - troughTransitDays: days (default 2.5).
        ///   - nightBoundaryLayerHeight: m (default 350).
        ///   - dayBoundaryLayerHeight: m (default 1500).
        ///   - maximumOrography: m (default 1500).
        public init(seed: UInt64 = 1, jetLatitude: Double? = nil, jetSpeed: Double? = nil, jetPressure: Double = 200,
                    troughMeridionalWind: Double = 12, troughWavelength: Double = 5_000_000, troughTransitDays: Double = 2.5,
                    nightBoundaryLayerHeight: Double = 350, dayBoundaryLayerHeight: Double = 1500, maximumOrography: Double = 1500) {
            self.seed = seed; self.jetLatitude = jetLatitude; self.jetSpeed = jetSpeed; self.jetPressure = jetPressure
            self.troughMeridionalWind = troughMeridionalWind; self.troughWavelength = troughWavelength
            self.troughTransitDays = troughTransitDays; self.nightBoundaryLayerHeight = nightBoundaryLayerHeight
            self.dayBoundaryLayerHeight = dayBoundaryLayerHeight; self.maximumOrography = maximumOrography
        }
    }
}
