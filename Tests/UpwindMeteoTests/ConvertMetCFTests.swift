import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

@Suite("convert-met: CF NetCDF ⇄ ARL")
struct ConvertMetCFTests {
    /// Largest |a − b| over the nodes where `a` (the original) is not missing.
    func maxDifference(_ a: [Float], _ b: [Float], scaleB: Float = 1) -> (error: Double, compared: Int, missing: Int) {
        var worst = 0.0, n = 0, missing = 0
        for (x, y) in zip(a, b) where x.isFinite {
            guard y.isFinite else { missing += 1; continue }
            worst = max(worst, abs(Double(x) - Double(y * scaleB))); n += 1
        }
        return (worst, n, missing)
    }

    /// ERA5 legacy layout (packed shorts, descending latitudes, levels top first, surface
    /// pressure and geopotential, two daily files forming one dataset, written by SyntheticMet's
    /// seeded regional weather) → ARL → CF NetCDF: u, v, ω, geopotential height and T come
    /// back within the packing precision of every record.
    @Test("ERA5 legacy NetCDF (2 daily files) → ARL → NetCDF reproduces u, v, ω, geopotential height and T within the packing precision")
    func era5RoundTrip() throws {
        let dir = try TemporaryDirectory()
        let field = try SyntheticMet.Field(model: .regional(.init(seed: 42)),
                                           domain: try .init(south: 20, north: 40, west: 100, east: 125, resolution: 0.5),
                                           times: SyntheticMet.hourly(from: UTCTime(year: 2023, month: 7, day: 31, hour: 18), count: 12, stepHours: 1))
        let files = try field.write(directory: dir.url.path, name: "era5", storage: .packedShort, split: .daily)
        #expect(files.count == 2)
        let original = try MetDataset(paths: files)
        let source = try GriddedMetSource(met: original, modelID: "ERA5")
        #expect(source.notes.isEmpty) // sp and orography are present
        let arl = dir.path("era5.arl")
        let report = try ARLWriter.write(source, to: arl)
        #expect(report.filledValues == 0)
        #expect(report.records.allSatisfy { $0.maxError <= $0.errorBound })
        let arlData = try ARLDataset(paths: [arl])
        #expect(try arlData.verifyChecksums() == report.records.count)
        #expect(arlData.levelValues == SyntheticMet.defaultLevels.reversed())
        #expect(arlData.times == original.times && arlData.modelID == "ERA5")
        guard case .latLon(let g) = arlData.projection else { Issue.record("not lat-lon"); return }
        #expect(g.longitudes == original.grid.longitudes && g.latitudes == original.grid.latitudes)
        let back = dir.path("era5_back.nc")
        try CFMetWriter.write(GriddedMetSource(arl: arlData), to: back)
        let roundTrip = try MetDataset(paths: [back])
        #expect(roundTrip.times == original.times)
        #expect(roundTrip.grid == original.grid)

        // Per variable: the largest bound over its records, in the dataset's units.
        let bound: [MetRole: Double] = [
            .u: report.boundByVariable["UWND"] ?? 0, .v: report.boundByVariable["VWND"] ?? 0,
            .w: 100 * (report.boundByVariable["WWND"] ?? 0), .temperature: report.boundByVariable["TEMP"] ?? 0,
            .geopotentialHeight: report.boundByVariable["HGTS"] ?? 0, .surfacePressure: report.boundByVariable["PRSS"] ?? 0,
        ]
        var worst: [MetRole: Double] = [:], ratio: [MetRole: Double] = [:]
        for t in original.times.indices {
            let a = try original.slice(at: t), b = try roundTrip.slice(at: t)
            // Levels: original top first (100 … 1000 hPa); round trip bottom-up.
            func reordered(_ f: MetField?) -> [Float] {
                guard let f else { return [] }
                let plane = f.nx * f.ny
                return (0..<f.nz).reversed().flatMap { k in f.values[(k * plane)..<((k + 1) * plane)] }
            }
            let pairs: [(MetRole, [Float], [Float])] = [
                (.u, reordered(a.fields[.u]), b.fields[.u]?.values ?? []),
                (.v, reordered(a.fields[.v]), b.fields[.v]?.values ?? []),
                (.w, reordered(a.fields[.w]), b.fields[.w]?.values ?? []),
                (.temperature, reordered(a.fields[.temperature]), b.fields[.temperature]?.values ?? []),
                (.geopotentialHeight, reordered(a.fields[.geopotential]).map { $0 / Float(standardGravity) }, b.fields[.geopotentialHeight]?.values ?? []),
                (.surfacePressure, a.fields[.surfacePressure]?.values ?? [], b.fields[.surfacePressure]?.values ?? []),
            ]
            let arlNames: [MetRole: (String, Double)] = [.u: ("UWND", 1), .v: ("VWND", 1), .w: ("WWND", 100), .temperature: ("TEMP", 1),
                                                         .geopotentialHeight: ("HGTS", 1), .surfacePressure: ("PRSS", 1)]
            let plane = original.grid.nx * original.grid.ny
            for (role, x, y) in pairs {
                #expect(!x.isEmpty && x.count == y.count, "\(role)")
                guard let (name, scale) = arlNames[role] else { continue }
                // Level by level against that record's own bound.
                for k in 0..<(x.count / plane) {
                    let level = role == .surfacePressure ? 0 : k + 1
                    let xs = Array(x[(k * plane)..<((k + 1) * plane)]), ys = Array(y[(k * plane)..<((k + 1) * plane)])
                    guard let record = report.records.first(where: { $0.variable == name && $0.level == level && $0.time == original.times[t] }) else {
                        Issue.record("no \(name)@\(level) record"); continue
                    }
                    let d = maxDifference(xs, ys)
                    let limit = scale * record.errorBound + 4 * Double(Float(xs.map { abs($0) }.max() ?? 1).ulp)
                    #expect(d.compared == plane && d.missing == 0, "\(role)")
                    #expect(d.error <= limit, "\(role) level \(level) t\(t): \(d.error) > \(limit)")
                    worst[role] = max(worst[role] ?? 0, d.error)
                    ratio[role] = max(ratio[role] ?? 0, d.error / limit)
                }
            }
        }
        let lines = bound.keys.sorted().map {
            String(format: "%@ max |Δ| %.3g; largest error/bound of a record %.3f; largest record bound %.3g", $0.rawValue, worst[$0] ?? 0, ratio[$0] ?? 0, bound[$0] ?? 0)
        }
        print("ERA5 legacy → ARL → NetCDF (\(original.grid.nx)×\(original.grid.ny), 16 levels, 12 times):\n  " + lines.joined(separator: "\n  "))
    }

    @Test("the 4×5 ERA5 fixture is refused with a clear message: ARL records must hold 108 bytes")
    func tooSmall() throws {
        let dir = try TemporaryDirectory()
        let source = try GriddedMetSource(met: try MetDataset(paths: [try dir.ncgen("era5_legacy")]), modelID: "ERA5")
        #expect(source.notes.count == 2) // no surface pressure, no orography: the documented fallbacks
        #expect { try ARLWriter.write(source, to: dir.path("x.arl")) } throws: { e in
            guard case MetError.unsupportedGrid(_, let d) = e else { return false }
            return d.contains("too small for ARL")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).allSatisfy { !$0.hasSuffix(".arl") && !$0.hasSuffix(".tmp") })
    }

    @Test("pressure-level data without surface fields: PRSS at SHGT from the height profile, linear in ln p")
    func surfaceFallback() throws {
        let nx = 12, ny = 10, plane = nx * ny, levels = [1000.0, 850, 500]
        var g = GridSlice(time: UTCTime(year: 2020, month: 1, day: 1), nx: nx, ny: ny, nz: 3,
                          u: [Float](repeating: 0, count: 3 * plane), v: [Float](repeating: 0, count: 3 * plane))
        var h = [Float](repeating: 0, count: 3 * plane)
        for k in 0..<3 { for n in 0..<plane { h[k * plane + n] = Float(SyntheticMet.isaHeight(pressure: levels[k]) + Double(n)) } }
        g.height = h
        let terrain = (0..<plane).map { Float($0 % 3 == 0 ? 0 : 700 + $0) }
        let p = try #require(GriddedMetSource.surfacePressure(terrain: terrain, slice: g, levels: .pressure(levels)))
        for n in 0..<plane {
            let z = Double(terrain[n])
            let z0 = Double(h[n]), z1 = Double(h[plane + n]), z2 = Double(h[2 * plane + n])
            let (a, b, pa, pb) = z < z1 ? (z0, z1, 1000.0, 850.0) : (z1, z2, 850.0, 500.0)
            let expected = exp(log(pa) + (z - a) / (b - a) * (log(pb) - log(pa)))
            #expect(abs(Double(p[n]) - expected) < 1e-3 * expected, "node \(n): \(p[n]) vs \(expected)")
        }
    }

    /// ARL → NetCDF → the engine: the same trajectories (to tdump print precision) from the
    /// ARL file and from its CF conversion, on the NGM polar-stereographic σ file and on GDAS.
    @Test("oct1618.BIN and its NetCDF conversion give the same trajectories", arguments: ["oct1618.BIN", "gdas_042.bin"])
    func sameTrajectories(name: String) throws {
        let dir = try TemporaryDirectory()
        let arl = try ARLDataset(paths: [Fixtures.met(name)])
        let nc = dir.path("conv.nc")
        try CFMetWriter.write(GriddedMetSource(arl: arl), to: nc)
        let met = try MetDataset(paths: [nc])
        let a = try ARLWindField(arl)
        let b = try MetWindField(met, modelID: arl.modelID)
        #expect(b.levels == a.levels)
        #expect(b.times == a.times)
        let starts: [TrajectoryStart]
        let options: [TrajectoryOptions]
        if name == "oct1618.BIN" {
            let t0 = UTCTime(year: 1995, month: 10, day: 16)
            starts = [(40.0, -90.0, 10.0), (40, -90, 500), (40, -90, 1000), (35, -100, 1500), (45, -85, 3000)].map {
                TrajectoryStart(site: "S", latitude: $0.0, longitude: $0.1, height: $0.2, time: t0)
            }
            options = [TrajectoryOptions(hours: 12), TrajectoryOptions(hours: 12, verticalMode: .isobaric)]
        } else {
            let t0 = UTCTime(year: 2010, month: 2, day: 13)
            starts = [500.0, 1500, 3000].map { TrajectoryStart(site: "MVO", latitude: 16.7, longitude: -62.2, height: $0, time: t0) }
            options = [TrajectoryOptions(hours: -24), TrajectoryOptions(hours: -24, verticalMode: .isobaric)]
        }
        var worst = 0.0
        for o in options {
            let ra = try TrajectoryEngine(field: a, options: o).run(starts).trajectories
            let rb = try TrajectoryEngine(field: b, options: o).run(starts).trajectories
            #expect(ra.count == rb.count)
            for (x, y) in zip(ra, rb) {
                #expect(x.termination.reason == y.termination.reason)
                #expect(x.endpoints.count == y.endpoints.count)
                for (p, q) in zip(x.endpoints, y.endpoints) {
                    worst = max(worst, abs(p.latitude - q.latitude), abs(Geodesy.normalizedLongitude(p.longitude - q.longitude)))
                    #expect(abs(p.heightAGL - q.heightAGL) < 0.05, "height \(p.heightAGL) vs \(q.heightAGL)")
                }
            }
        }
        #expect(worst < 0.0005, "\(name): worst endpoint difference \(worst)°")
        print(String(format: "%@ ARL vs its NetCDF conversion: worst |Δlat|, |Δlon| %.2e°", name, worst))

        // inspect gives the same grid description.
        let arlJSON = try ARLInspection(arl, scan: false).jsonValue
        let ncJSON = try MetInspection(met, scan: false).jsonValue
        guard case .object(let fa) = arlJSON, case .object(let fb) = ncJSON else { Issue.record("not objects"); return }
        let ga = fa.first { $0.0 == "grid" }?.1, gb = fb.first { $0.0 == "grid" }?.1
        #expect(ga == gb, "grid: \(ga.map { $0.serialized(pretty: false) } ?? "nil") vs \(gb.map { $0.serialized(pretty: false) } ?? "nil")")
        let va = fa.first { $0.0 == "vertical" }?.1, vb = fb.first { $0.0 == "vertical" }?.1
        #expect(va == vb, "vertical: \(va.map { $0.serialized(pretty: false) } ?? "nil") vs \(vb.map { $0.serialized(pretty: false) } ?? "nil")")
        if name == "oct1618.BIN" {
            #expect(ncJSON.serialized(pretty: false).contains(#""grid":{"kind":"projected","projection":{"name":"polar_stereographic","standard_parallel":60,"central_meridian":-105,"earth_radius_m":6371200"#))
            #expect(met.gridRelativeWinds && met.sigmaTopPressure == 0)
        }
    }

    @Test("ARL → NetCDF → ARL keeps every record within the packing precision (oct1618.BIN)")
    func arlNetCDFARL() throws {
        let dir = try TemporaryDirectory()
        let arl = try ARLDataset(paths: [Fixtures.met("oct1618.BIN")])
        let nc = dir.path("ngm.nc")
        try CFMetWriter.write(GriddedMetSource(arl: arl), to: nc)
        let met = try MetDataset(paths: [nc])
        let again = dir.path("ngm.arl")
        let report = try ARLWriter.write(try GriddedMetSource(met: met, modelID: "NGM"), to: again)
        let d = try ARLDataset(paths: [again])
        #expect(d.verticalKind == .sigma && d.levelValues == arl.levelValues)
        #expect(d.variables["UWND"] == arl.variables["UWND"] && d.variables["SPHU"] == arl.variables["SPHU"])
        #expect(d.projection.name == "polar_stereographic")
        for t in arl.times.indices {
            let requests: [(variable: String, level: Int)] = (1...arl.levelValues.count).flatMap { k in ["UWND", "VWND", "TEMP"].map { ($0, k) } } + [("PRSS", 0)]
            let x = try arl.fields(requests, at: t), y = try d.fields(requests, at: t)
            for (r, (p, q)) in zip(requests, zip(x, y)) {
                let p = try #require(p), q = try #require(q)
                let bound = try #require(report.records.first { $0.variable == r.variable && $0.level == r.level && $0.time == arl.times[t] }).errorBound
                #expect(maxDifference(p, q).error <= bound, "\(r.variable)@\(r.level)")
            }
        }
    }
}
