import Foundation
import UpwindCore

extension SyntheticMet {
    /// A synthetic met dataset described, not stored: a model on a domain, pressure levels and
    /// times. Values are computed on demand, one time step at a time, so any size and period
    /// can be produced in bounded memory.
    ///
    /// - ``values(at:)`` gives one time step in file layout and file units, by variable name;
    /// - ``slice(at:)`` gives it as the `MetSlice` that `MetDataset.slice(at:roles:box:)`
    ///   would return for the written (float) file: latitudes ascending, normalised units;
    /// - ``write(directory:name:storage:split:)`` writes ERA5-legacy-style NetCDF.
    public struct Field: Sendable {
        /// What the atmosphere does.
        public let model: Model
        /// The horizontal grid.
        public let domain: Domain
        /// Pressure levels in file order, hPa.
        public let levels: [Double]
        /// Valid times (UTC), strictly increasing, on whole hours.
        public let times: [UTCTime]
        /// Terrain height in file layout `[latitude north→south][longitude]`, m.
        public let orography: [Double]

        enum Kernel: Sendable {
            case uniform(UniformFlow)
            case solid(SolidBodyRotation)
            case lapse(LapseRateAtmosphere)
            case regional(RegionalKernel)
        }

        let kernel: Kernel

        /// The file variable names, in file order: `u`, `v`, `w`, `z`, `t` on levels; `sp`, `zs`, `blh` on the surface.
        public static let variableNames = ["u", "v", "w", "z", "t", "sp", "zs", "blh"]
        /// The variables defined on pressure levels.
        public static let levelVariableNames: Set<String> = ["u", "v", "w", "z", "t"]

        /// Describes a synthetic dataset; draws the seeded parameters and the orography.
        /// - Parameters:
        ///   - model: the generator and its parameters.
        ///   - domain: the grid.
        ///   - levels: pressure levels, hPa, distinct, in (0, 1100], in the order to write them
        ///     (default ``SyntheticMet/defaultLevels``).
        ///   - times: valid times, strictly increasing, each on a whole UTC hour (see ``SyntheticMet/hourly(from:count:stepHours:)``).
        /// - Throws: ``SyntheticMetError/invalidParameter(name:value:requirement:)`` naming the bad parameter.
        public init(model: Model, domain: Domain, levels: [Double] = SyntheticMet.defaultLevels, times: [UTCTime]) throws {
            guard !levels.isEmpty, levels.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 1100 }), Set(levels).count == levels.count else {
                throw SyntheticMetError.invalidParameter(name: "levels", value: "\(levels)", requirement: "give at least one distinct pressure level in (0, 1100] hPa")
            }
            guard !times.isEmpty else {
                throw SyntheticMetError.invalidParameter(name: "times", value: "[]", requirement: "give at least one valid time, e.g. SyntheticMet.hourly(from:count:)")
            }
            for (i, t) in times.enumerated() {
                guard t.secondsSince1970 % 3600 == 0 else {
                    throw SyntheticMetError.invalidParameter(name: "times[\(i)]", value: t.iso8601, requirement: "times are stored as whole hours since 1900; use times on the hour")
                }
                let inRange = t.secondsSince1970 > -(1 << 50) && t.secondsSince1970 < 1 << 50
                let hours = inRange ? (t.secondsSince1970 - UTCTime(year: 1900, month: 1, day: 1).secondsSince1970) / 3600 : Int64.max
                guard hours >= Int64(Int32.min), hours <= Int64(Int32.max) else {
                    throw SyntheticMetError.invalidParameter(name: "times[\(i)]", value: t.iso8601, requirement: "hours since 1900 must fit a 32-bit integer; use a time within ±245 000 years of 1900")
                }
                if i > 0, t <= times[i - 1] {
                    throw SyntheticMetError.invalidParameter(name: "times[\(i)]", value: t.iso8601, requirement: "times must be strictly increasing (previous \(times[i - 1].iso8601))")
                }
            }
            guard domain.ny * domain.nx <= Int(Int32.max) / levels.count else {
                throw SyntheticMetError.invalidParameter(name: "levels", value: "\(levels.count) levels", requirement: "one time step would exceed 2³¹ values; use fewer levels or a coarser grid")
            }
            self.model = model
            self.domain = domain
            self.levels = levels
            self.times = times
            func finite(_ name: String, _ values: Double...) throws {
                guard values.allSatisfy(\.isFinite) else {
                    throw SyntheticMetError.invalidParameter(name: name, value: "\(values)", requirement: "use finite numbers")
                }
            }
            let kernel: Kernel
            switch model {
            case .uniform(let m):
                try finite("uniform flow u0, v0, boundaryLayerHeight", m.u0, m.v0, m.boundaryLayerHeight)
                kernel = .uniform(m)
            case .solidBodyRotation(let m):
                try finite("solid-body alphaDegrees, boundaryLayerHeight", m.alphaDegrees, m.boundaryLayerHeight)
                guard m.periodDays.isFinite, m.periodDays > 0 else {
                    throw SyntheticMetError.invalidParameter(name: "periodDays", value: "\(m.periodDays)", requirement: "use a positive number of days per revolution")
                }
                kernel = .solid(m)
            case .lapseRate(let m):
                try finite("lapse-rate u0, v0, boundaryLayerHeight", m.u0, m.v0, m.boundaryLayerHeight)
                guard m.seaLevelTemperature.isFinite, m.seaLevelTemperature > 100, m.seaLevelTemperature < 400 else {
                    throw SyntheticMetError.invalidParameter(name: "seaLevelTemperature", value: "\(m.seaLevelTemperature)", requirement: "use 100…400 K")
                }
                guard m.lapseRate.isFinite, m.lapseRate >= -0.02, m.lapseRate <= 0.0342 else {
                    throw SyntheticMetError.invalidParameter(name: "lapseRate", value: "\(m.lapseRate)", requirement: "use −0.02…0.0342 K/m (0 for isothermal; 0.0342 is the autoconvective limit g/R_d)")
                }
                guard m.seaLevelPressure.isFinite, m.seaLevelPressure >= 500, m.seaLevelPressure <= 1100 else {
                    throw SyntheticMetError.invalidParameter(name: "seaLevelPressure", value: "\(m.seaLevelPressure)", requirement: "use 500…1100 hPa")
                }
                if case .gaussianHill(let h, let l, let f, let w) = m.orography {
                    try finite("gaussianHill", h, l, f, w)
                    guard w > 0, h >= 0, m.lapseRate <= 0 || h < 0.9 * m.seaLevelTemperature / m.lapseRate else {
                        throw SyntheticMetError.invalidParameter(name: "orography", value: "\(m.orography)", requirement: "use a width > 0° and a height ≥ 0 m below 0.9·T0/Γ")
                    }
                }
                kernel = .lapse(m)
            case .regional(let m):
                kernel = .regional(try RegionalKernel(model: m, domain: domain))
            }
            self.kernel = kernel
            var orography = [Double](repeating: 0, count: domain.ny * domain.nx)
            switch kernel {
            case .uniform, .solid:
                break
            case .lapse(let m):
                for (y, lat) in domain.latitudes.enumerated() {
                    for (x, lon) in domain.longitudes.enumerated() { orography[y * domain.nx + x] = m.orography.height(longitude: lon, latitude: lat) }
                }
            case .regional(let k):
                for (y, lat) in domain.latitudes.enumerated() {
                    for (x, lon) in domain.longitudes.enumerated() { orography[y * domain.nx + x] = k.orography(latitude: lat, longitude: lon) }
                }
            }
            self.orography = orography
        }

        /// Latitudes in file order (north to south), degrees north.
        public var latitudes: [Double] { domain.latitudes }
        /// Longitudes, ascending, degrees east.
        public var longitudes: [Double] { domain.longitudes }

        /// The drawn (or given) jet latitude and total jet-core speed of a ``Model/regional(_:)``
        /// field (degrees north, m s⁻¹); nil for the other models.
        public var regionalJet: (latitude: Double, speed: Double)? {
            guard case .regional(let k) = kernel else { return nil }
            return (k.jetLatitude * 180 / .pi, k.jetSpeed)
        }

        /// One time step in file layout and file units, by file variable name:
        /// `u`, `v` (m s⁻¹), `w` (ω, Pa s⁻¹), `z` (geopotential, m² s⁻²), `t` (K), each
        /// `levels.count × ny × nx` values indexed `(level·ny + y)·nx + x`; and `sp` (Pa),
        /// `zs` (surface geopotential g·h, m² s⁻²), `blh` (m), each `ny × nx` values indexed
        /// `y·nx + x`. Latitude index y runs north to south, as in the file.
        /// - Parameter timeIndex: index into ``times``.
        /// - Throws: ``SyntheticMetError/timeIndexOutOfRange(index:count:)``.
        public func values(at timeIndex: Int) throws -> [String: [Float]] {
            try sample(at: timeIndex).byName
        }

        /// One time step as ``MetDataset`` would return it from the written file (float storage):
        /// latitudes ascending, fields `[level][y][x]` with u, v (m s⁻¹), w (ω, Pa s⁻¹),
        /// geopotential (m² s⁻²), temperature (K), surface pressure (hPa), orography (m) and
        /// boundary-layer height (m), converted with the reader's own arithmetic so values
        /// match bit for bit.
        /// - Parameter timeIndex: index into ``times``.
        /// - Throws: ``SyntheticMetError/timeIndexOutOfRange(index:count:)``.
        public func slice(at timeIndex: Int) throws -> MetSlice {
            let s = try sample(at: timeIndex)
            let nz = levels.count, ny = domain.ny, nx = domain.nx
            func flip(_ values: [Float], levels count: Int, scale: Double = 1) -> [Float] {
                var out = [Float](repeating: 0, count: values.count)
                for z in 0..<count {
                    for y in 0..<ny {
                        let from = (z * ny + (ny - 1 - y)) * nx, to = (z * ny + y) * nx
                        for x in 0..<nx {
                            out[to + x] = scale == 1 ? values[from + x] : Float(Double(values[from + x]) * scale)
                        }
                    }
                }
                return out
            }
            let fields: [MetRole: MetField] = [
                .u: MetField(nz: nz, ny: ny, nx: nx, values: flip(s.u, levels: nz)),
                .v: MetField(nz: nz, ny: ny, nx: nx, values: flip(s.v, levels: nz)),
                .w: MetField(nz: nz, ny: ny, nx: nx, values: flip(s.w, levels: nz)),
                .geopotential: MetField(nz: nz, ny: ny, nx: nx, values: flip(s.z, levels: nz)),
                .temperature: MetField(nz: nz, ny: ny, nx: nx, values: flip(s.t, levels: nz)),
                .surfacePressure: MetField(nz: 1, ny: ny, nx: nx, values: flip(s.sp, levels: 1, scale: 0.01)),
                .orography: MetField(nz: 1, ny: ny, nx: nx, values: flip(s.zs, levels: 1, scale: 1 / standardGravity)),
                .boundaryLayerHeight: MetField(nz: 1, ny: ny, nx: nx, values: flip(s.blh, levels: 1)),
            ]
            return MetSlice(time: times[timeIndex], grid: domain.grid, vertical: VerticalAxis(kind: .pressure, levels: levels),
                            verticalVelocity: .omega, fields: fields)
        }

        /// Computes one time step.
        func sample(at timeIndex: Int) throws -> SyntheticSample {
            guard times.indices.contains(timeIndex) else {
                throw SyntheticMetError.timeIndexOutOfRange(index: timeIndex, count: times.count)
            }
            let nz = levels.count, ny = domain.ny, nx = domain.nx
            var out = SyntheticSample(nz: nz, ny: ny, nx: nx)
            let rad = Double.pi / 180
            switch kernel {
            case .uniform(let m):
                fillColumns(&out, u: { _, _ in m.u0 }, v: { _, _ in m.v0 },
                            phi: { _, _, p in SyntheticMet.isaGeopotential(pressure: p) },
                            t: { _, _, p in SyntheticMet.isaTemperature(pressure: p) },
                            surfacePressure: { _, _, _ in SyntheticMet.isaSeaLevelPressure }, blh: m.boundaryLayerHeight)
            case .solid(let m):
                let alpha = m.alphaDegrees * rad, u0 = m.u0
                let k = SyntheticMet.earthRadius * SyntheticMet.earthRotationRate * u0 + u0 * u0 / 2
                fillColumns(&out, u: { lon, lat in
                    u0 * (cos(lat * rad) * cos(alpha) + sin(lat * rad) * cos(lon * rad) * sin(alpha))
                }, v: { lon, _ in
                    -u0 * sin(lon * rad) * sin(alpha)
                }, phi: { lon, lat, p in
                    let s = -cos(lon * rad) * cos(lat * rad) * sin(alpha) + sin(lat * rad) * cos(alpha)
                    return SyntheticMet.isaGeopotential(pressure: p) - k * s * s
                }, t: { _, _, p in SyntheticMet.isaTemperature(pressure: p) },
                   surfacePressure: { _, _, _ in SyntheticMet.isaSeaLevelPressure }, blh: m.boundaryLayerHeight)
            case .lapse(let m):
                fillColumns(&out, u: { _, _ in m.u0 }, v: { _, _ in m.v0 },
                            phi: { _, _, p in SyntheticMet.gravity * m.height(atPressure: p) },
                            t: { _, _, p in m.temperature(atPressure: p) },
                            surfacePressure: { _, _, h in m.pressure(atHeight: h) }, blh: m.boundaryLayerHeight)
            case .regional(let k):
                let seconds = Double(times[timeIndex] - times[0])
                k.evaluate(seconds: seconds, time: times[timeIndex], latitudes: domain.latitudes, longitudes: domain.longitudes,
                           levels: levels, orography: orography, into: &out)
            }
            return out
        }

        /// Fills a sample of an analytic model with ω = 0: u(λ, φ), v(λ, φ) the same on every
        /// level, Φ(λ, φ, p), T(λ, φ, p), surface pressure (hPa) from (λ, φ, h).
        private func fillColumns(_ out: inout SyntheticSample,
                                 u: (Double, Double) -> Double, v: (Double, Double) -> Double,
                                 phi: (Double, Double, Double) -> Double, t: (Double, Double, Double) -> Double,
                                 surfacePressure: (Double, Double, Double) -> Double, blh: Double) {
            let ny = domain.ny, nx = domain.nx
            for (y, lat) in domain.latitudes.enumerated() {
                for (x, lon) in domain.longitudes.enumerated() {
                    let i2 = y * nx + x
                    let h = orography[i2]
                    out.sp[i2] = Float(surfacePressure(lon, lat, h) * 100)
                    out.zs[i2] = Float(SyntheticMet.gravity * h)
                    out.blh[i2] = Float(blh)
                    let uu = Float(u(lon, lat)), vv = Float(v(lon, lat))
                    for (z, p) in levels.enumerated() {
                        let i3 = (z * ny + y) * nx + x
                        out.u[i3] = uu
                        out.v[i3] = vv
                        out.w[i3] = 0
                        out.z[i3] = Float(phi(lon, lat, p))
                        out.t[i3] = Float(t(lon, lat, p))
                    }
                }
            }
        }
    }
}
