import Foundation
import UpwindCore

/// One time step of a synthetic field in file layout: 3-D arrays `[level][latitude][longitude]`
/// with latitudes north to south, 2-D arrays `[latitude][longitude]`; file units.
struct SyntheticSample: Sendable {
    /// Eastward wind, m s⁻¹.
    var u: [Float]
    /// Northward wind, m s⁻¹.
    var v: [Float]
    /// ω, Pa s⁻¹.
    var w: [Float]
    /// Geopotential, m² s⁻².
    var z: [Float]
    /// Temperature, K.
    var t: [Float]
    /// Surface pressure, Pa.
    var sp: [Float]
    /// Surface geopotential g·h, m² s⁻².
    var zs: [Float]
    /// Boundary-layer height, m.
    var blh: [Float]

    init(nz: Int, ny: Int, nx: Int) {
        let n3 = nz * ny * nx, n2 = ny * nx
        u = [Float](repeating: 0, count: n3); v = u; w = u; z = u; t = u
        sp = [Float](repeating: 0, count: n2); zs = sp; blh = sp
    }

    /// The arrays by file variable name.
    var byName: [String: [Float]] { ["u": u, "v": v, "w": w, "z": z, "t": t, "sp": sp, "zs": zs, "blh": blh] }
}

/// The resolved (seed-drawn) parameters of ``SyntheticMet/RegionalWeather`` on one domain,
/// and the evaluation of its fields. See ``SyntheticMet/RegionalWeather`` for the formulas.
struct RegionalKernel: Sendable {
    /// A pulsing high or low (or, without the time terms, a hill).
    struct Blob: Sendable {
        var sinLat: Double, cosLat: Double, lon: Double
        /// Amplitude: m² s⁻² for systems, m for hills.
        var amplitude: Double
        /// a²/r² (dimensionless), r the e-folding radius.
        var sharpness: Double
        /// Pulsation angular frequency, rad s⁻¹, and phase, rad.
        var frequency: Double, phase: Double
    }

    static let jetWidth = 5 * Double.pi / 180
    static let waveWidth = 10 * Double.pi / 180
    static let jetLogWidth = 0.75
    static let systemExponent = 1.5
    static let omegaWave = 0.25
    static let omegaSystems = 4.4e-4
    static let boundaryLayerDepth = 150.0
    static let surfaceReduction = 0.4
    static let surfaceTurning = 25 * Double.pi / 180

    let model: SyntheticMet.RegionalWeather
    let hemisphere: Double
    let jetLatitude: Double // radians
    let jetFactor: Double // f_j·a·U_j, m² s⁻² per radian of latitude
    let background: Double // U_b, m s⁻¹
    let centreCos: Double
    let offset: Double // c, m² s⁻²
    let logJetPressure: Double
    let wavenumber: Double
    let waveAmplitude: Double // W, m² s⁻²
    let waveStart: Double // λ_c(0), radians
    let waveSpeed: Double // rad s⁻¹
    let cosJet2: Double
    let systems: [Blob]
    let hills: [Blob]
    let blhK1: Double, blhP1: Double, blhK2: Double, blhP2: Double

    /// The total jet-core wind drawn or given, m s⁻¹.
    let jetSpeed: Double

    init(model: SyntheticMet.RegionalWeather, domain: SyntheticMet.Domain) throws {
        func invalid(_ name: String, _ value: Double, _ requirement: String) -> SyntheticMetError {
            .invalidParameter(name: name, value: "\(value)", requirement: requirement)
        }
        if let l = model.jetLatitude, !(l.isFinite && abs(l) >= 15 && abs(l) <= 75) {
            throw invalid("jetLatitude", l, "use a latitude within 15…75° north or south, or nil to draw one")
        }
        if let s = model.jetSpeed, !(s.isFinite && s >= 0 && s <= 150) {
            throw invalid("jetSpeed", s, "use 0…150 m/s, or nil to draw one")
        }
        guard model.jetPressure.isFinite, model.jetPressure >= 10, model.jetPressure <= 1000 else {
            throw invalid("jetPressure", model.jetPressure, "use 10…1000 hPa")
        }
        guard model.troughMeridionalWind.isFinite, abs(model.troughMeridionalWind) <= 100 else {
            throw invalid("troughMeridionalWind", model.troughMeridionalWind, "use −100…100 m/s")
        }
        guard model.troughWavelength.isFinite, model.troughWavelength >= 500_000 else {
            throw invalid("troughWavelength", model.troughWavelength, "use at least 500 000 m")
        }
        guard model.troughTransitDays.isFinite, model.troughTransitDays > 0 else {
            throw invalid("troughTransitDays", model.troughTransitDays, "use a positive number of days")
        }
        guard model.nightBoundaryLayerHeight.isFinite, model.nightBoundaryLayerHeight >= 0,
              model.dayBoundaryLayerHeight.isFinite, model.dayBoundaryLayerHeight >= 0 else {
            throw invalid("boundary-layer heights", model.nightBoundaryLayerHeight, "use non-negative heights in m")
        }
        guard model.maximumOrography.isFinite, model.maximumOrography >= 0, model.maximumOrography <= 6000 else {
            throw invalid("maximumOrography", model.maximumOrography, "use 0…6000 m")
        }
        self.model = model
        let a = SyntheticMet.earthRadius, omega = SyntheticMet.earthRotationRate
        let rad = Double.pi / 180
        var rng = SyntheticMet.SplitMix64(seed: model.seed)

        // Draws, always in this order, so that an override does not shift the others.
        let jetOffset = rng.uniform(-3, 3)
        let drawnSpeed = rng.uniform(32, 37)
        let background = rng.uniform(4, 6)
        let mslTarget = rng.uniform(1006, 1010)
        let entry = rng.uniform(0, 0.15)
        blhK1 = Double(2 + Int(rng.next() % 7)); blhP1 = rng.uniform(0, 2 * .pi)
        blhK2 = Double(2 + Int(rng.next() % 7)); blhP2 = rng.uniform(0, 2 * .pi)

        let centreLat = (domain.north + domain.south) / 2
        hemisphere = centreLat >= 0 ? 1 : -1
        let jetDeg = model.jetLatitude ?? hemisphere * (min(max(abs(centreLat), 30), 50) + jetOffset)
        jetLatitude = jetDeg * rad
        jetSpeed = model.jetSpeed ?? drawnSpeed
        self.background = background
        let fJet = 2 * omega * sin(jetLatitude)
        jetFactor = fJet * a * (jetSpeed - background)
        centreCos = cos(centreLat * rad)
        logJetPressure = log(model.jetPressure)

        // Trough: whole zonal wavenumber, amplitude from the wanted meridional wind.
        let cosJet = cos(jetLatitude)
        cosJet2 = cosJet * cosJet
        let m = max(1, (2 * .pi * a * cosJet / model.troughWavelength).rounded())
        wavenumber = m
        waveAmplitude = model.troughMeridionalWind * abs(fJet) * a * cosJet / m
        let widthRad = domain.isGlobal ? 2 * Double.pi : (domain.east - domain.west) * rad
        let speed = min(max(widthRad * a * cosJet / (model.troughTransitDays * 86_400), 5), 15)
        waveSpeed = speed / (a * cosJet)
        waveStart = domain.west * rad - entry * 2 * .pi / m

        // Sea-level pressure at the domain centre ≈ the drawn target.
        let tauC = RegionalKernel.taper(centreLat * rad).value
        let jetAt1000 = RegionalKernel.jetProfile(log(1000), logJetPressure).value
        let phiJetC = RegionalKernel.jet(centreLat * rad, jetLatitude: jetLatitude, factor: jetFactor, hemisphere: hemisphere).value
        offset = SyntheticMet.dryAirGasConstant * SyntheticMet.isaSeaLevelTemperature * log(mslTarget / SyntheticMet.isaSeaLevelPressure)
            - jetAt1000 * tauC * phiJetC

        // Pressure systems and hills, their number scaled with the domain's area.
        let area = a * a * widthRad * abs(sin(domain.north * rad) - sin(domain.south * rad))
        let systemCount = min(max(Int((area / 2.25e12).rounded()), 2), 24)
        var systems: [Blob] = []
        for _ in 0..<systemCount {
            let lat = min(max(rng.uniform(domain.south, domain.north), -80), 80) * rad
            let lon = rng.uniform(domain.west, domain.east) * rad
            let sign: Double = rng.next() & 1 == 0 ? 1 : -1
            let amplitude = sign * rng.uniform(200, 350)
            let radius = rng.uniform(700_000, 1_100_000)
            let period = rng.uniform(3, 6) * 86_400
            let phase = rng.uniform(0, 2 * .pi)
            systems.append(Blob(sinLat: sin(lat), cosLat: cos(lat), lon: lon, amplitude: amplitude,
                                sharpness: a * a / (radius * radius), frequency: 2 * .pi / period, phase: phase))
        }
        self.systems = systems
        let hillCount = min(max(Int((area / 3.6e11).rounded()), 3), 64)
        var hills: [Blob] = []
        for _ in 0..<hillCount {
            let lat = rng.uniform(domain.south, domain.north) * rad
            let lon = rng.uniform(domain.west, domain.east) * rad
            let height = rng.uniform(400, 2500) * model.maximumOrography / 1500
            let radius = rng.uniform(60_000, 250_000)
            hills.append(Blob(sinLat: sin(lat), cosLat: cos(lat), lon: lon, amplitude: height,
                              sharpness: a * a / (radius * radius), frequency: 0, phase: 0))
        }
        self.hills = hills
    }

    // MARK: - Building blocks

    /// Smoothstep taper τ(φ) (0 within 5° of the equator, 1 poleward of 25°) and dτ/dφ (per radian).
    static func taper(_ phi: Double) -> (value: Double, derivative: Double) {
        let span = 20 * Double.pi / 180
        let x = (abs(phi) - 5 * Double.pi / 180) / span
        if x <= 0 { return (0, 0) }
        if x >= 1 { return (1, 0) }
        return (x * x * (3 - 2 * x), (phi < 0 ? -1 : 1) * 6 * x * (1 - x) / span)
    }

    /// Jet vertical profile A_j(ln p) and dA_j/d ln p.
    static func jetProfile(_ logP: Double, _ logJet: Double) -> (value: Double, derivative: Double) {
        let d = logP - logJet
        let w2 = jetLogWidth * jetLogWidth
        let value = exp(-d * d / (2 * w2))
        return (value, -value * d / w2)
    }

    /// Pressure-system vertical profile A_s(ln p) = (p/1000)^1.5 and its ln-p derivative.
    static func systemProfile(_ logP: Double) -> (value: Double, derivative: Double) {
        let value = exp(systemExponent * (logP - log(1000)))
        return (value, systemExponent * value)
    }

    /// Φ_jet(φ) and dΦ_jet/dφ (per radian).
    static func jet(_ phi: Double, jetLatitude: Double, factor: Double, hemisphere: Double) -> (value: Double, derivative: Double) {
        let xi = (phi - jetLatitude) / (jetWidth * 2.0.squareRoot())
        let value = -factor * jetWidth * (Double.pi / 2).squareRoot() * (erf(xi) + hemisphere)
        return (value, -factor * exp(-xi * xi))
    }

    /// Orography at a point, m.
    func orography(latitude: Double, longitude: Double) -> Double {
        let cap = model.maximumOrography
        guard cap > 0 else { return 0 }
        let phi = latitude * .pi / 180, lambda = longitude * .pi / 180
        let s = sin(phi), c = cos(phi)
        var sum = 0.0
        for h in hills {
            let e = h.sharpness * (1 - (s * h.sinLat + c * h.cosLat * cos(lambda - h.lon)))
            if e < 40 { sum += h.amplitude * exp(-e) }
        }
        return cap * (1 - exp(-sum / cap))
    }

    // MARK: - Evaluation

    /// Fills `out` for the instant `time`, `seconds` after the field's first time.
    func evaluate(seconds: Double, time: UTCTime, latitudes: [Double], longitudes: [Double], levels: [Double],
                  orography: [Double], into out: inout SyntheticSample) {
        let a = SyntheticMet.earthRadius, omega = SyntheticMet.earthRotationRate
        let g = SyntheticMet.gravity, r = SyntheticMet.dryAirGasConstant
        let rad = Double.pi / 180
        let ny = latitudes.count, nx = longitudes.count, nz = levels.count
        let logs = levels.map { log($0) }
        let isaPhi = levels.map { SyntheticMet.isaGeopotential(pressure: $0) }
        let isaT = levels.map { SyntheticMet.isaTemperature(pressure: $0) }
        let jetA = logs.map { RegionalKernel.jetProfile($0, logJetPressure) }
        let sysA = logs.map { RegionalKernel.systemProfile($0) }

        // Longitude-only terms of the trough at this time.
        let centre = waveStart + waveSpeed * seconds
        var cosWave = [Double](repeating: 0, count: nx), sinWave = cosWave
        for x in 0..<nx {
            let d = wavenumber * (longitudes[x] * rad - centre)
            cosWave[x] = cos(d); sinWave[x] = sin(d)
        }
        let amplitudes = systems.map { $0.amplitude * cos($0.frequency * seconds + $0.phase) }
        // Boundary-layer diurnal cycle, by longitude.
        let secondsOfDay = Double(((time.secondsSince1970 % 86_400) + 86_400) % 86_400)
        var diurnal = [Double](repeating: 0, count: nx)
        for x in 0..<nx {
            var solar = (secondsOfDay / 3600 + longitudes[x] / 15).truncatingRemainder(dividingBy: 24)
            if solar < 0 { solar += 24 }
            diurnal[x] = pow(max(0, sin(Double.pi * (solar - 7) / 12)), 1.5)
        }

        for y in 0..<ny {
            let phi = latitudes[y] * rad
            let sinPhi = sin(phi), cosPhi = cos(phi)
            let f = 2 * omega * sinPhi
            let (tau, dTau) = RegionalKernel.taper(phi)
            let geostrophic = tau != 0 || dTau != 0
            let (phiJet, dPhiJet) = RegionalKernel.jet(phi, jetLatitude: jetLatitude, factor: jetFactor, hemisphere: hemisphere)
            let dj = phi - jetLatitude
            let envelope = exp(-dj * dj / (2 * RegionalKernel.waveWidth * RegionalKernel.waveWidth))
            let shape = envelope * cosPhi * cosPhi / cosJet2
            let dShape = -dj / (RegionalKernel.waveWidth * RegionalKernel.waveWidth) * shape - envelope * 2 * cosPhi * sinPhi / cosJet2
            let shapeOverCos = envelope * cosPhi / cosJet2
            let phiBackground = 2 * omega * a * background * (cosPhi - centreCos) + offset
            let turnSign = latitudes[y] >= 0 ? 1.0 : -1.0
            let blhModY = cos(blhK2 * phi + blhP2)

            for x in 0..<nx {
                let lambda = longitudes[x] * rad
                let i2 = y * nx + x
                // Jet + trough (profile A_j).
                let phiWave = waveAmplitude * cosWave[x] * shape
                let dPhiWave = waveAmplitude * cosWave[x] * dShape
                let dLambdaWave = -waveAmplitude * wavenumber * sinWave[x] * shapeOverCos
                let g1 = tau * (phiJet + phiWave)
                let g1Phi = dTau * (phiJet + phiWave) + tau * (dPhiJet + dPhiWave)
                let g1Lambda = tau * dLambdaWave
                // Pressure systems (profile A_s).
                var sys = 0.0, sysPhi = 0.0, sysLambda = 0.0
                for (k, s) in systems.enumerated() {
                    let dl = lambda - s.lon
                    let cdl = cos(dl)
                    let e = s.sharpness * (1 - (sinPhi * s.sinLat + cosPhi * s.cosLat * cdl))
                    guard e < 40 else { continue }
                    let value = amplitudes[k] * exp(-e)
                    sys += value
                    sysPhi += value * s.sharpness * (cosPhi * s.sinLat - sinPhi * s.cosLat * cdl)
                    sysLambda += -value * s.sharpness * s.cosLat * sin(dl)
                }
                let g2 = tau * sys
                let g2Phi = dTau * sys + tau * sysPhi
                let g2Lambda = tau * sysLambda
                var u1 = 0.0, v1 = 0.0, u2 = 0.0, v2 = 0.0
                if geostrophic {
                    let fa = f * a
                    u1 = -g1Phi / fa; v1 = g1Lambda / fa
                    u2 = -g2Phi / fa; v2 = g2Lambda / fa
                }
                let omegaPattern = -RegionalKernel.omegaWave * tau * envelope * sinWave[x] + RegionalKernel.omegaSystems * g2

                // Surface pressure: Φ(p_s) = g·h, Newton in ln p.
                let h = orography[i2]
                var lx = log(SyntheticMet.isaPressure(height: h))
                for _ in 0..<8 {
                    let p = exp(lx)
                    let ja = RegionalKernel.jetProfile(lx, logJetPressure), sa = RegionalKernel.systemProfile(lx)
                    let phiP = SyntheticMet.isaGeopotential(pressure: p) + phiBackground + ja.value * g1 + sa.value * g2
                    let tP = SyntheticMet.isaTemperature(pressure: p) - (ja.derivative * g1 + sa.derivative * g2) / r
                    let step = (phiP - g * h) / (r * tP)
                    lx += step
                    if abs(step) < 1e-12 { break }
                }
                let ps = exp(lx)
                out.sp[i2] = Float(ps * 100)
                out.zs[i2] = Float(g * h)
                let blhMod = 1 + 0.05 * sin(blhK1 * lambda + blhP1) * blhModY
                out.blh[i2] = Float((model.nightBoundaryLayerHeight + (model.dayBoundaryLayerHeight - model.nightBoundaryLayerHeight) * diurnal[x]) * blhMod)

                for z in 0..<nz {
                    let i3 = (z * ny + y) * nx + x
                    let p = levels[z]
                    let (aj, daj) = jetA[z], (asys, dasys) = sysA[z]
                    out.z[i3] = Float(isaPhi[z] + phiBackground + aj * g1 + asys * g2)
                    out.t[i3] = Float(isaT[z] - (daj * g1 + dasys * g2) / r)
                    var u = background + aj * u1 + asys * u2
                    var v = aj * v1 + asys * v2
                    let dp = ps - p
                    let s = dp <= 0 ? 1 : (dp >= RegionalKernel.boundaryLayerDepth ? 0 : (1 - dp / RegionalKernel.boundaryLayerDepth) * (1 - dp / RegionalKernel.boundaryLayerDepth))
                    if s > 0 {
                        let reduce = 1 - RegionalKernel.surfaceReduction * s
                        let theta = turnSign * RegionalKernel.surfaceTurning * s
                        let c = cos(theta), sn = sin(theta)
                        (u, v) = (reduce * (u * c - v * sn), reduce * (u * sn + v * c))
                    }
                    out.u[i3] = Float(u)
                    out.v[i3] = Float(v)
                    let vertical = p > 100 && p < ps ? sin(Double.pi * (p - 100) / (ps - 100)) : 0
                    out.w[i3] = Float(vertical * omegaPattern)
                }
            }
        }
    }
}
