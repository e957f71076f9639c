import Foundation
import NetCDFKit
import Testing
import UpwindTestSupport
import UpwindCore
import UpwindMeteo

/// The synthetic generators, checked through the real reader: each field is written into a
/// scratch folder and read back with ``MetDataset``.
@Suite("Synthetic meteorology")
struct SyntheticTests {
    static let start = UTCTime(year: 2024, month: 3, day: 1)
    static let rad = Double.pi / 180

    /// A small realistic field: 0.5° over 25–45N, 100–120E, four levels, hourly.
    static func regional(seed: UInt64 = 7, hours: Int = 1, levels: [Double] = [200, 500, 850, 1000],
                         resolution: Double = 0.5) throws -> SyntheticMet.Field {
        try SyntheticMet.Field(model: .regional(.init(seed: seed)),
                               domain: .init(south: 25, north: 45, west: 100, east: 120, resolution: resolution),
                               levels: levels, times: SyntheticMet.hourly(from: start, count: hours))
    }

    @Test("Williamson u0 is 2π·6371 km per 12 days = 38.61 m/s")
    func williamsonSpeed() {
        let u0 = SyntheticMet.SolidBodyRotation().u0
        #expect(abs(u0 - 2 * Double.pi * 6_371_000 / (12 * 86_400)) < 1e-12)
        #expect(abs(u0 - 38.61) < 0.005)
    }

    @Test("solid-body rotation: u, v, Φ read back equal the formulas; orography, sp and layout are ERA5-like")
    func solidBody() throws {
        let dir = try TemporaryDirectory()
        let model = SyntheticMet.SolidBodyRotation(alphaDegrees: 45)
        let field = try SyntheticMet.Field(model: .solidBodyRotation(model), domain: .global(resolution: 10),
                                           levels: [500, 850], times: SyntheticMet.hourly(from: Self.start, count: 2))
        let paths = try field.write(directory: dir.url.path, name: "sbr")
        let met = try MetDataset(paths: paths)
        #expect(met.grid.latitudes.first == -90 && met.grid.latitudes.last == 90 && met.grid.ny == 19)
        #expect(met.grid.longitudes.first == 0 && met.grid.longitudes.last == 350 && met.grid.isGlobal)
        #expect(met.vertical == VerticalAxis(kind: .pressure, levels: [500, 850]))
        #expect(met.times == field.times)
        #expect(met.verticalVelocity == .omega)
        #expect(met.variables[.orography]?.name == "zs")
        #expect(met.variables[.geopotential]?.name == "z")
        #expect(met.variables[.surfacePressure]?.units == "Pa")
        #expect(met.variables[.boundaryLayerHeight]?.name == "blh")

        let raw = try NetCDFFile.open(paths[0])
        #expect(raw.format == .netcdf4)
        let u = try raw.root.requiredVariable(named: "u")
        #expect(try u.chunking() == [1, 2, 19, 36])
        #expect(try u.deflateLevel() == 1 && u.isShuffled())
        #expect(try raw.root.requiredVariable(named: "latitude").read(Float.self).first == 90)
        #expect(try raw.root.requiredVariable(named: "time").read(Int32.self) == [1_088_400, 1_088_401])
        try raw.close()

        let slice = try met.slice(at: 1)
        let points: [(lon: Double, lat: Double)] = [(0, 0), (90, 30), (200, -40), (330, 60), (120, -80)]
        for (lon, lat) in points {
            let x = try #require(slice.grid.longitudes.firstIndex(of: lon))
            let y = try #require(slice.grid.latitudes.firstIndex(of: lat))
            let (ue, ve) = model.wind(longitude: lon, latitude: lat)
            let l = lon * Self.rad, f = lat * Self.rad, a = 45 * Self.rad, u0 = 2 * Double.pi * 6_371_000 / (12 * 86_400)
            #expect(abs(ue - u0 * (cos(f) * cos(a) + sin(f) * cos(l) * sin(a))) < 1e-9)
            #expect(abs(ve - -u0 * sin(l) * sin(a)) < 1e-9)
            let s = -cos(l) * cos(f) * sin(a) + sin(f) * cos(a)
            for (z, p) in [500.0, 850].enumerated() {
                #expect(close(slice.fields[.u]![z, y, x], ue, 1e-5))
                #expect(close(slice.fields[.v]![z, y, x], ve, 1e-5))
                let phi = SyntheticMet.isaGeopotential(pressure: p) - (6_371_000 * 7.292e-5 * u0 + u0 * u0 / 2) * s * s
                #expect(close(slice.fields[.geopotential]![z, y, x], phi, 0.01))
                #expect(close(slice.fields[.temperature]![z, y, x], SyntheticMet.isaTemperature(pressure: p), 1e-4))
                #expect(slice.fields[.w]![z, y, x] == 0)
            }
            #expect(close(slice.fields[.surfacePressure]![0, y, x], 1013.25, 1e-4))
            #expect(slice.fields[.orography]![0, y, x] == 0)
        }
        // ISA anchors: 500 hPa ≈ 5574 m and −21.2 °C.
        #expect(abs(SyntheticMet.isaHeight(pressure: 500) - 5574) < 2)
        #expect(abs(SyntheticMet.isaTemperature(pressure: 500) - 251.9) < 0.2)
        #expect(SyntheticMet.isaTemperature(pressure: 100) == 216.65)
        // The in-memory slice is what the reader returns.
        let memory = try field.slice(at: 1)
        for role in [MetRole.u, .v, .w, .geopotential, .temperature, .surfacePressure, .orography, .boundaryLayerHeight] {
            #expect(memory.fields[role] == slice.fields[role], "\(role)")
        }
        #expect(memory.grid == slice.grid)
    }

    @Test("uniform flow: u0, v0 everywhere on the ISA")
    func uniform() throws {
        let dir = try TemporaryDirectory()
        let field = try SyntheticMet.Field(model: .uniform(.init(u0: 7, v0: -3)),
                                           domain: .init(south: -10, north: 10, west: 170, east: 190, resolution: 5),
                                           levels: [1000, 300], times: SyntheticMet.hourly(from: Self.start, count: 1))
        let met = try MetDataset(paths: field.write(directory: dir.url.path, name: "uniform"))
        #expect(met.grid.longitudes == [170, 175, 180, 185, 190] && !met.grid.isGlobal)
        let s = try met.slice(at: 0)
        #expect(s.fields[.u]!.values.allSatisfy { $0 == 7 })
        #expect(s.fields[.v]!.values.allSatisfy { $0 == -3 })
        #expect(close(s.fields[.geopotential]![1, 2, 2], SyntheticMet.isaGeopotential(pressure: 300), 0.01))
        #expect(close(s.fields[.temperature]![0, 2, 2], 288.15 - 0.0065 * SyntheticMet.isaHeight(pressure: 1000), 1e-4))
    }

    @Test("lapse-rate atmosphere: Z(500 hPa) and T(Z) = T0 − ΓZ in closed form; sp = p(h) over a hill; isothermal")
    func lapseRate() throws {
        let dir = try TemporaryDirectory()
        let (t0, gamma, p0) = (290.0, 0.006, 1010.0)
        let hill = SyntheticMet.Orography.gaussianHill(height: 1200, longitude: 10, latitude: 45, width: 2)
        let model = SyntheticMet.LapseRateAtmosphere(seaLevelTemperature: t0, lapseRate: gamma, seaLevelPressure: p0,
                                                     u0: 5, v0: 1, orography: hill)
        let field = try SyntheticMet.Field(model: .lapseRate(model), domain: .init(south: 40, north: 50, west: 5, east: 15, resolution: 1),
                                           levels: [1000, 850, 500, 300], times: SyntheticMet.hourly(from: Self.start, count: 1))
        let met = try MetDataset(paths: field.write(directory: dir.url.path, name: "lapse"))
        let s = try met.slice(at: 0)
        let g = 9.80665, r = 287.05
        let z500 = t0 / gamma * (1 - pow(500 / p0, r * gamma / g))
        #expect(abs(model.height(atPressure: 500) - z500) < 1e-9)
        #expect(abs(model.pressure(atHeight: z500) - 500) < 1e-9)
        let y = try #require(s.grid.latitudes.firstIndex(of: 45)), x = try #require(s.grid.longitudes.firstIndex(of: 10))
        for (yy, xx) in [(0, 0), (0, x), (y, 0), (y, x)] {
            #expect(close(Double(s.fields[.geopotential]![2, yy, xx]) / g, z500, 0.002))
            for (z, p) in [1000.0, 850, 500, 300].enumerated() {
                let zp = Double(s.fields[.geopotential]![z, yy, xx]) / g
                #expect(close(s.fields[.temperature]![z, yy, xx], t0 - gamma * zp, 2e-4), "T(Z) at \(p) hPa")
            }
        }
        // Hill top: orography 1200 m and sp = p0 (1 − Γh/T0)^(g/(R Γ)).
        #expect(close(s.fields[.orography]![0, y, x], 1200, 1e-3))
        #expect(close(s.fields[.surfacePressure]![0, y, x], p0 * pow(1 - gamma * 1200 / t0, g / (r * gamma)), 1e-3))
        #expect(close(s.fields[.surfacePressure]![0, 0, 0], model.pressure(atHeight: hill.height(longitude: 5, latitude: 40)), 1e-3))

        let iso = SyntheticMet.LapseRateAtmosphere(seaLevelTemperature: 250, lapseRate: 0)
        #expect(abs(iso.height(atPressure: 500) - r * 250 / g * log(1013.25 / 500)) < 1e-9)
        #expect(iso.temperature(atPressure: 200) == 250)
        #expect(abs(iso.pressure(atHeight: 8000) - 1013.25 * exp(-g * 8000 / (r * 250))) < 1e-9)
    }

    @Test("realistic generator: geostrophic, a 30–40 m/s jet near 200 hPa, hydrostatic T, realistic ω and surface")
    func realistic() throws {
        let dir = try TemporaryDirectory()
        let levels: [Double] = [200, 300, 500, 850, 925, 1000]
        let field = try Self.regional(levels: levels)
        let met = try MetDataset(paths: field.write(directory: dir.url.path, name: "regional"))
        let s = try met.slice(at: 0)
        let grid = s.grid
        let u = try #require(s.fields[.u]), v = try #require(s.fields[.v]), phi = try #require(s.fields[.geopotential])
        let a = 6_371_000.0, d = 0.5 * Self.rad

        // Geostrophic balance away from the surface, on the inner half of the domain.
        var checked = 0, worst = 0.0
        for z in [0, 1, 2] {
            for y in (grid.ny / 4)...(3 * grid.ny / 4) {
                for x in (grid.nx / 4)...(3 * grid.nx / 4) {
                    let lat = grid.latitudes[y] * Self.rad
                    let f = 2 * 7.292e-5 * sin(lat)
                    let ug = -(Double(phi[z, y + 1, x]) - Double(phi[z, y - 1, x])) / (2 * d * a * f)
                    let vg = (Double(phi[z, y, x + 1]) - Double(phi[z, y, x - 1])) / (2 * d * a * cos(lat) * f)
                    if abs(Double(u[z, y, x])) > 5 {
                        worst = max(worst, abs(ug - Double(u[z, y, x])) / abs(Double(u[z, y, x])))
                        checked += 1
                    }
                    if abs(Double(v[z, y, x])) > 5 {
                        worst = max(worst, abs(vg - Double(v[z, y, x])) / abs(Double(v[z, y, x])))
                    }
                }
            }
        }
        #expect(checked > 500)
        #expect(worst < 0.10, "worst relative geostrophic error \(worst)")

        // Jet: the maximum westerly is 30–40 m/s and sits on the 200 hPa level.
        let perLevelMax = (0..<levels.count).map { z in (0..<grid.ny).flatMap { y in (0..<grid.nx).map { x in u[z, y, x] } }.max() ?? 0 }
        #expect(perLevelMax[0] >= 30 && perLevelMax[0] <= 40, "jet max \(perLevelMax[0])")
        #expect(perLevelMax.firstIndex(of: perLevelMax.max() ?? 0) == 0)
        #expect(perLevelMax[levels.count - 1] < 10)

        // Hydrostatic: Φ(500) − Φ(850) = R·T̄·ln(850/500) within 0.5 %, T̄ the log-p mean of T.
        let t = try #require(s.fields[.temperature])
        let (y0, x0) = (grid.ny / 2, grid.nx / 2)
        let thickness = Double(phi[2, y0, x0] - phi[3, y0, x0])
        let tMean = (Double(t[2, y0, x0]) + Double(t[3, y0, x0])) / 2
        #expect(abs(thickness - 287.05 * tMean * log(850.0 / 500)) / thickness < 0.005)

        // ω: smooth, mid-tropospheric, 0.05–0.5 Pa/s at its strongest.
        let omega500 = (0..<grid.ny).flatMap { y in (0..<grid.nx).map { x in abs(s.fields[.w]![2, y, x]) } }.max() ?? 0
        #expect(omega500 > 0.05 && omega500 < 0.5, "max |ω| at 500 hPa \(omega500)")

        // Lowest level: 2–6 m/s at most points; orography 0–1500 m; sp 800–1030 hPa.
        let speeds = (0..<grid.ny).flatMap { y in (0..<grid.nx).map { x in hypot(Double(u[levels.count - 1, y, x]), Double(v[levels.count - 1, y, x])) } }
        let inRange = Double(speeds.filter { $0 >= 2 && $0 <= 6 }.count) / Double(speeds.count)
        #expect(inRange > 0.7, "fraction of lowest-level winds within 2–6 m/s: \(inRange)")
        let orog = try #require(s.fields[.orography]).values
        #expect((orog.min() ?? -1) >= 0 && (orog.max() ?? 2000) <= 1500 && (orog.max() ?? 0) > 300)
        let sp = try #require(s.fields[.surfacePressure]).values
        #expect((sp.min() ?? 0) > 800 && (sp.max() ?? 2000) < 1030)
    }

    @Test("boundary layer: 250–1600 m, deeper in the local afternoon than at night")
    func boundaryLayer() throws {
        let dir = try TemporaryDirectory()
        // 100–120E is UTC+6.7…8 h of solar time: 05 UTC ≈ 12–13 local, 19 UTC ≈ 02–03 local.
        let field = try Self.regional(hours: 24, levels: [500, 1000], resolution: 2)
        let met = try MetDataset(paths: field.write(directory: dir.url.path, name: "blh"))
        var all: [Float] = []
        for i in 0..<24 { all += try met.slice(at: i, roles: [.boundaryLayerHeight]).fields[.boundaryLayerHeight]!.values }
        #expect((all.min() ?? 0) >= 250 && (all.max() ?? 9999) <= 1600)
        let day = try met.slice(at: 5).fields[.boundaryLayerHeight]!, night = try met.slice(at: 19).fields[.boundaryLayerHeight]!
        for i in day.values.indices { #expect(night.values[i] < day.values[i]) }
        #expect((day.values.min() ?? 0) > 1200 && (night.values.max() ?? 9999) < 400)
    }

    @Test("same seed gives identical values, another seed different ones")
    func seeds() throws {
        let dir = try TemporaryDirectory()
        let a = try Self.regional(seed: 42, hours: 2, levels: [300, 850], resolution: 2)
        let b = try Self.regional(seed: 42, hours: 2, levels: [300, 850], resolution: 2)
        let c = try Self.regional(seed: 43, hours: 2, levels: [300, 850], resolution: 2)
        let ma = try MetDataset(paths: a.write(directory: dir.url.path, name: "a"))
        let mb = try MetDataset(paths: b.write(directory: dir.url.path, name: "b"))
        let mc = try MetDataset(paths: c.write(directory: dir.url.path, name: "c"))
        for i in 0..<2 {
            let sa = try ma.slice(at: i), sb = try mb.slice(at: i), sc = try mc.slice(at: i)
            for role in [MetRole.u, .v, .w, .geopotential, .temperature, .surfacePressure, .orography, .boundaryLayerHeight] {
                #expect(sa.fields[role] == sb.fields[role], "\(role)")
                #expect(sa.fields[role] == (try a.slice(at: i)).fields[role], "\(role) in memory")
            }
            #expect(sa.fields[.u] != sc.fields[.u] && sa.fields[.geopotential] != sc.fields[.geopotential] && sa.fields[.orography] != sc.fields[.orography])
        }
        var rng = SyntheticMet.SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF) // the reference first SplitMix64 output for seed 0
        #expect((0..<100).map { _ in rng.nextUnit() } == (try unitStream(seed: 0, skip: 1, count: 100)))
        var r1 = SyntheticMet.SplitMix64(seed: 9), r2 = SyntheticMet.SplitMix64(seed: 9)
        #expect(r1.uniform(2, 4) == 2 + 2 * r2.nextUnit())
    }

    @Test("packed shorts round-trip within scale_factor/2")
    func packedShort() throws {
        let dir = try TemporaryDirectory()
        let field = try Self.regional(seed: 3, hours: 2, levels: [250, 700, 1000], resolution: 1)
        let paths = try field.write(directory: dir.url.path, name: "packed", storage: .packedShort)
        let raw = try NetCDFFile.open(paths[0])
        #expect(raw.format == .offset64)
        var scales: [String: Double] = [:]
        for name in SyntheticMet.Field.variableNames {
            let v = try raw.root.requiredVariable(named: name)
            #expect(v.type == .short)
            scales[name] = try #require(v.attribute(named: "scale_factor")?.value.firstDouble)
            #expect(try v.attribute(named: "_FillValue")?.value == .int16([-32767]))
        }
        try raw.close()
        let met = try MetDataset(paths: paths)
        let roles: [(MetRole, String, Double)] = [(.u, "u", 1), (.v, "v", 1), (.w, "w", 1), (.geopotential, "z", 1), (.temperature, "t", 1),
                                                  (.surfacePressure, "sp", 0.01), (.orography, "zs", 1 / 9.80665), (.boundaryLayerHeight, "blh", 1)]
        for i in 0..<2 {
            let read = try met.slice(at: i), exact = try field.slice(at: i)
            for (role, name, unit) in roles {
                let r = try #require(read.fields[role]).values, e = try #require(exact.fields[role]).values
                let tolerance = (try #require(scales[name])) / 2 * unit
                let worst = zip(r, e).map { abs(Double($0) - Double($1)) - Double($1.ulp) * 2 }.max() ?? .infinity
                #expect(worst <= tolerance, "\(name): worst \(worst) > scale/2 \(tolerance)")
                #expect(r.allSatisfy { !$0.isNaN })
            }
        }
    }

    @Test("daily files form one dataset with continuous hourly times")
    func dailyFiles() throws {
        let dir = try TemporaryDirectory()
        let start = UTCTime(year: 2024, month: 2, day: 28, hour: 18)
        let field = try SyntheticMet.Field(model: .regional(.init(seed: 11)),
                                           domain: .init(south: 30, north: 40, west: 0, east: 10, resolution: 2.5),
                                           levels: [500, 1000], times: SyntheticMet.hourly(from: start, count: 36))
        let paths = try field.write(directory: dir.url.path, name: "era5", split: .daily)
        #expect(paths.map { ($0 as NSString).lastPathComponent } == ["era5_20240228.nc", "era5_20240229.nc", "era5_20240301.nc"])
        let met = try MetDataset(paths: [dir.url.appendingPathComponent("era5_*.nc").path])
        #expect(met.times.count == 36 && met.times.first == start)
        #expect(zip(met.times, met.times.dropFirst()).allSatisfy { $1 - $0 == 3600 })
        #expect(try met.slice(at: 30).fields[.u] == (try field.slice(at: 30)).fields[.u])
    }

    @Test("any domain: a coarse global realistic field is finite and bounded; bad parameters are refused")
    func globalAndInvalid() throws {
        let field = try SyntheticMet.Field(model: .regional(.init(seed: 5)), domain: .global(resolution: 5),
                                           levels: [200, 1000], times: SyntheticMet.hourly(from: Self.start, count: 1))
        let values = try field.values(at: 0)
        #expect(values.keys.sorted() == SyntheticMet.Field.variableNames.sorted())
        #expect(values["u"]?.count == 2 * 37 * 72 && values["sp"]?.count == 37 * 72)
        for (name, array) in values { #expect(array.allSatisfy { $0.isFinite }, "\(name)") }
        #expect((values["u"]!.map(abs).max() ?? 999) < 80 && (values["v"]!.map(abs).max() ?? 999) < 80)

        #expect(throws: SyntheticMetError.self) { try SyntheticMet.Domain(south: 10, north: 5, west: 0, east: 10) }
        #expect(throws: SyntheticMetError.self) { try SyntheticMet.Domain.global(resolution: 0.7) }
        #expect(throws: SyntheticMetError.self) {
            try SyntheticMet.Field(model: .uniform(.init()), domain: .global(resolution: 10), levels: [500],
                                   times: [UTCTime(year: 2024, month: 1, day: 1, minute: 30)])
        }
        #expect(throws: SyntheticMetError.self) {
            try SyntheticMet.Field(model: .regional(.init(jetPressure: -1)), domain: .global(resolution: 10), levels: [500], times: [Self.start])
        }
        #expect(throws: SyntheticMetError.self) { try field.values(at: 1) }
    }
}

/// `count` values of ``SyntheticMet/SplitMix64/nextUnit()`` after skipping `skip` draws.
private func unitStream(seed: UInt64, skip: Int, count: Int) throws -> [Double] {
    var rng = SyntheticMet.SplitMix64(seed: seed)
    for _ in 0..<skip { _ = rng.next() }
    return (0..<count).map { _ in rng.nextUnit() }
}
