/// The International Standard Atmosphere (ICAO), used only when the met has neither
/// geopotential nor temperature.
public enum StandardAtmosphere {
    /// Height (m above mean sea level) of pressure `p` (hPa), valid to 20 km.
    public static func height(pressure p: Double) -> Double {
        if p >= 226.32 {
            return 288.15 / 0.0065 * (1 - Math.pow(p / 1013.25, Earth.dryAirGasConstant * 0.0065 / Earth.gravity))
        }
        return 11_000 + Earth.dryAirGasConstant * 216.65 / Earth.gravity * Math.log(226.32 / p)
    }

    /// Pressure (hPa) at height `z` (m above mean sea level), valid to 20 km.
    public static func pressure(height z: Double) -> Double {
        if z <= 11_000 {
            return 1013.25 * Math.pow(1 - 0.0065 * z / 288.15, Earth.gravity / (Earth.dryAirGasConstant * 0.0065))
        }
        return 226.32 * Math.exp(-(z - 11_000) * Earth.gravity / (Earth.dryAirGasConstant * 216.65))
    }

    /// Temperature (K) at height `z` (m).
    public static func temperature(height z: Double) -> Double { z <= 11_000 ? 288.15 - 0.0065 * z : 216.65 }
}

/// The vertical profile at a parcel's location and time: the surface and every level above
/// it, with heights above mean sea level and temperatures, interpolated from the stencil
/// and the bracketing slices. Heights and pressures are related piecewise-linearly in ln p
/// (see the *Vertical motion* article in Upwind's documentation, on start heights).
struct Column {
    /// ln p (hPa), bottom-up; index 0 is the surface.
    var lnp: [Double] = []
    /// Heights above mean sea level, m.
    var z: [Double] = []
    /// Temperatures, K (NaN when the met has none).
    var t: [Double] = []
    /// Relative humidity, % (NaN when absent).
    var rh: [Double] = []
    /// Terrain height, m above mean sea level.
    var terrain = 0.0
    /// Surface pressure, hPa.
    var surfacePressure = Double.nan
    /// Mixing depth, m (NaN when absent).
    var mixingDepth = Double.nan
    /// True when heights came from the standard atmosphere.
    var usedStandardAtmosphere = false
    /// True for a single-level field (no vertical coordinate).
    var isSingleLevel = false

    /// Piecewise-linear interpolation of `ys` against the descending `xs`, extrapolating
    /// with the end segments.
    static func interpolate(_ xs: [Double], _ ys: [Double], at x: Double) -> Double {
        let n = xs.count
        guard n >= 2 else { return ys.first ?? .nan }
        // xs descending (ln p decreasing upward).
        var k = 0
        if x >= xs[0] { k = 0 } else if x <= xs[n - 1] { k = n - 2 } else {
            while k < n - 2 && xs[k + 1] > x { k += 1 }
        }
        let dx = xs[k + 1] - xs[k]
        guard dx != 0 else { return ys[k] }
        return ys[k] + (ys[k + 1] - ys[k]) * (x - xs[k]) / dx
    }

    /// Height above ground (m) of pressure `p` (hPa); negative below the surface.
    func heightAGL(pressure p: Double) -> Double {
        Column.interpolate(lnp, z, at: Math.log(p)) - terrain
    }

    /// Pressure (hPa) at height `h` m above ground.
    func pressure(heightAGL h: Double) -> Double {
        let target = terrain + h
        let n = z.count
        guard n >= 2 else { return surfacePressure }
        var k = 0
        if target <= z[0] { k = 0 } else if target >= z[n - 1] { k = n - 2 } else {
            while k < n - 2 && z[k + 1] < target { k += 1 }
        }
        let dz = z[k + 1] - z[k]
        guard dz != 0 else { return Math.exp(lnp[k]) }
        return Math.exp(lnp[k] + (lnp[k + 1] - lnp[k]) * (target - z[k]) / dz)
    }

    /// Temperature (K) at pressure `p`, NaN when absent.
    func temperature(pressure p: Double) -> Double {
        guard t.allSatisfy(\.isFinite) else { return .nan }
        return Column.interpolate(lnp, t, at: Math.log(p))
    }

    /// Relative humidity (%) at pressure `p`, NaN when absent.
    func relativeHumidity(pressure p: Double) -> Double {
        guard !rh.isEmpty, rh.allSatisfy(\.isFinite) else { return .nan }
        return Column.interpolate(lnp, rh, at: Math.log(p))
    }

    /// Potential temperature θ = T·(1000/p)^κ at level k.
    func theta(_ k: Int) -> Double { t[k] * Math.pow(1000 / Math.exp(lnp[k]), Earth.kappa) }

    /// Pressure (hPa) where θ equals `target`: the surface when θ there is already warmer,
    /// nil when the column's top is colder (the parcel would leave the data).
    func pressure(theta target: Double) -> Double? {
        let n = lnp.count
        guard n >= 2, t.allSatisfy(\.isFinite) else { return nil }
        if target <= theta(0) { return surfacePressure }
        for k in 0..<(n - 1) {
            let a = theta(k), b = theta(k + 1)
            if (a <= target && target <= b) || (b <= target && target <= a) {
                let f = b == a ? 0 : (target - a) / (b - a)
                return Math.exp(lnp[k] + f * (lnp[k + 1] - lnp[k]))
            }
        }
        return nil
    }
}

extension Sampler {
    /// The column at a point and time. Heights come from geopotential height when the met
    /// has it, else by hypsometric integration of temperature from the surface, else from
    /// the standard atmosphere (flagged).
    func column(_ bracket: Bracket, stencil: Stencil) throws(SampleFailure) -> Column {
        var col = Column()
        // The bracket holds the slices while their views are read.
        let s1 = bracket.first.storage.raw, s2 = bracket.second.storage.raw, w = bracket.weight
        func blend(_ f: (RawSlice) -> Double) -> Double {
            let a = f(s1)
            return w == 0 ? a : (1 - w) * a + w * f(s2)
        }
        col.mixingDepth = blend { surface($0.mixingDepth, stencil: stencil, nx: $0.nx) }
        let terrainKnown = blend { surface($0.terrain, stencil: stencil, nx: $0.nx) }
        let psKnown = blend { surface($0.surfacePressure, stencil: stencil, nx: $0.nx) }
        if case .single = levels {
            col.isSingleLevel = true
            col.terrain = terrainKnown.isFinite ? terrainKnown : 0
            col.surfacePressure = psKnown
            return col
        }
        let nz = levels.count
        var p = [Double](repeating: .nan, count: nz)
        var z = [Double](repeating: .nan, count: nz)
        var t = [Double](repeating: .nan, count: nz)
        var rh = [Double](repeating: .nan, count: nz)
        let hasZ = s1.height != nil, hasT = s1.temperature != nil
        for k in 0..<nz {
            p[k] = blend { levelPressureAt(k, stencil: stencil, slice: $0) }
            if hasZ { z[k] = blend { level($0.height, k, stencil: stencil, raw: $0) } }
            if hasT { t[k] = blend { level($0.temperature, k, stencil: stencil, raw: $0) } }
            if s1.relativeHumidity != nil { rh[k] = blend { level($0.relativeHumidity, k, stencil: stencil, raw: $0) } }
        }
        var terrain = terrainKnown, ps = psKnown
        if hasZ {
            let known = (0..<nz).filter { z[$0].isFinite && p[$0].isFinite }
            guard known.count >= 2 else { throw SampleFailure(reason: .missingData) }
            let xs = known.map { Math.log(p[$0]) }, ys = known.map { z[$0] }
            if !terrain.isFinite && ps.isFinite {
                terrain = Column.interpolate(xs, ys, at: Math.log(ps))
            }
            if !terrain.isFinite { terrain = 0 }
            if !ps.isFinite {
                var probe = Column(); probe.lnp = xs; probe.z = ys
                ps = probe.pressure(heightAGL: terrain)
            }
        } else {
            if !terrain.isFinite { terrain = 0 }
            if !ps.isFinite || !hasT {
                if !ps.isFinite { ps = StandardAtmosphere.pressure(height: terrain) }
                col.usedStandardAtmosphere = true
            }
        }
        col.terrain = terrain
        col.surfacePressure = ps
        // Surface point, then every level above the surface.
        let above = (0..<nz).filter { p[$0] < ps }
        var lowestT = Double.nan, lowestRH = Double.nan
        if let k0 = above.first { lowestT = t[k0]; lowestRH = rh[k0] }
        col.lnp = [Math.log(ps)]
        col.z = [terrain]
        col.t = [lowestT]
        col.rh = [lowestRH]
        for k in above {
            let zk: Double
            if hasZ {
                zk = z[k]
            } else if hasT {
                guard t[k].isFinite, let lastT = col.t.last, lastT.isFinite else { throw SampleFailure(reason: .missingData) }
                zk = col.z[col.z.count - 1] + Earth.dryAirGasConstant / Earth.gravity * 0.5 * (lastT + t[k]) * (col.lnp[col.lnp.count - 1] - Math.log(p[k]))
            } else {
                zk = terrain + StandardAtmosphere.height(pressure: p[k]) - StandardAtmosphere.height(pressure: ps)
            }
            guard zk.isFinite, p[k].isFinite else { throw SampleFailure(reason: .missingData) }
            col.lnp.append(Math.log(p[k]))
            col.z.append(zk)
            col.t.append(t[k])
            col.rh.append(rh[k])
        }
        if col.lnp.count < 2 { throw SampleFailure(reason: .missingData) }
        return col
    }
}

/// What an endpoint reports of the column at the parcel's pressure: height above ground
/// (m), temperature (K), relative humidity (%), terrain (m above mean sea level), mixing
/// depth (m); NaN where the met has none.
struct PointProfile {
    var heightAGL: Double
    var temperature: Double
    var relativeHumidity: Double
    var terrain: Double
    var mixingDepth: Double
    var usedStandardAtmosphere: Bool
}

extension Column {
    /// The column's values at pressure `p` (hPa).
    func profile(at p: Double) -> PointProfile {
        PointProfile(heightAGL: isSingleLevel ? .nan : heightAGL(pressure: p),
                     temperature: isSingleLevel ? .nan : temperature(pressure: p),
                     relativeHumidity: isSingleLevel ? .nan : relativeHumidity(pressure: p),
                     terrain: terrain, mixingDepth: mixingDepth, usedStandardAtmosphere: usedStandardAtmosphere)
    }
}

extension Sampler {
    /// ``Column/profile(at:)`` without building the column, for the common case (isobaric
    /// levels, geopotential, surface pressure and terrain all present and no missing value
    /// near the parcel): only the two column entries around `p` are interpolated, with the
    /// same arithmetic as ``column(_:stencil:)``, so the values are identical. Nil when the
    /// column must be built.
    func pointProfile(_ bracket: RawBracket, stencil: Stencil, pressure p: Double) -> PointProfile? {
        let s1 = bracket.first, s2 = bracket.second, w = bracket.weight
        @inline(__always) func blend(_ a: Double, _ b: @autoclosure () -> Double) -> Double { w == 0 ? a : (1 - w) * a + w * b() }
        let nx = s1.nx
        let mixing = blend(surface(s1.mixingDepth, stencil: stencil, nx: nx), surface(s2.mixingDepth, stencil: stencil, nx: nx))
        let terrain = blend(surface(s1.terrain, stencil: stencil, nx: nx), surface(s2.terrain, stencil: stencil, nx: nx))
        if isSingle {
            return PointProfile(heightAGL: .nan, temperature: .nan, relativeHumidity: .nan, terrain: terrain.isFinite ? terrain : 0,
                                mixingDepth: mixing, usedStandardAtmosphere: false)
        }
        guard case .pressure = levels, p.isFinite, p > 0, let z1 = s1.height, let z2 = s2.height else { return nil }
        let ps = blend(surface(s1.surfacePressure, stencil: stencil, nx: nx), surface(s2.surfacePressure, stencil: stencil, nx: nx))
        guard ps.isFinite, terrain.isFinite else { return nil }
        // Level pressures blended in time exactly as the column blends them.
        @inline(__always) func pressure(_ k: Int) -> Double { blend(levelPressures[k], levelPressures[k]) }
        let nz = levelCount
        var kA = 0
        while kA < nz && !(pressure(kA) < ps) { kA += 1 }
        let n = 1 + nz - kA
        guard n >= 2 else { return nil }
        let x = Math.log(p)
        @inline(__always) func lnp(_ m: Int) -> Double { m == 0 ? Math.log(ps) : Math.log(pressure(kA + m - 1)) }
        var k = 0
        if x >= lnp(0) { k = 0 } else if x <= lnp(n - 1) { k = n - 2 } else {
            while k < n - 2 && lnp(k + 1) > x { k += 1 }
        }
        let x0 = lnp(k), x1 = lnp(k + 1)
        let dx = x1 - x0
        @inline(__always) func value(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ level: Int) -> Double {
            blend(self.level(a, level, stencil: stencil, raw: s1), self.level(b, level, stencil: stencil, raw: s2))
        }
        // Interpolates entries k and k + 1 of a profile whose entry 0 is `surface`.
        @inline(__always) func interpolate(_ surfaceValue: Double, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> Double {
            let y0 = k == 0 ? surfaceValue : value(a, b, kA + k - 1)
            let y1 = value(a, b, kA + k)
            guard dx != 0 else { return y0 }
            return y0 + (y1 - y0) * (x - x0) / dx
        }
        let height = interpolate(terrain, z1, z2)
        guard height.isFinite else { return nil }
        var temperature = Double.nan
        if let t1 = s1.temperature, let t2 = s2.temperature {
            temperature = interpolate(value(t1, t2, kA), t1, t2)
            guard temperature.isFinite else { return nil }
        }
        var rh = Double.nan
        if let r1 = s1.relativeHumidity, let r2 = s2.relativeHumidity {
            rh = interpolate(value(r1, r2, kA), r1, r2)
            guard rh.isFinite else { return nil }
        }
        return PointProfile(heightAGL: height - terrain, temperature: temperature, relativeHumidity: rh, terrain: terrain,
                            mixingDepth: mixing, usedStandardAtmosphere: false)
    }
}
