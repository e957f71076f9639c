import Foundation
import Testing
import UpwindTestSupport
@testable import UpwindCore
@testable import UpwindMeteo

/// The analytic WRF fixture `Fixtures/cdl/wrf_analytic.cdl` (formulas in Fixtures/cdl/README.md §5),
/// restated here independently of the reader: secant Lambert (30°, 60°, 113° E) on WRF's
/// 6,370-km sphere, 12 × 10 mass points 30 km apart centred on (34° N, 113° E), 3 levels, 2 times.
enum WRFAnalytic {
    static let nx = 12, ny = 10, nz = 3
    static let t0 = UTCTime(year: 2021, month: 3, day: 1)
    static let znw = [1.0, 0.875, 0.625, 0.375]
    static let r = Double.pi / 180
    static let n = log(cos(30 * r) / cos(60 * r)) / log(tan((45 + 30.0) * r) / tan((45 + 15.0) * r))
    static let bigF = cos(30 * r) * pow(tan((45 + 15.0) * r), n) / n
    static func rho(_ lat: Double) -> Double { 6_370_000 * bigF / pow(tan((45 + lat / 2) * r), n) }
    static func project(_ lat: Double, _ lon: Double) -> (x: Double, y: Double) {
        let t = n * (lon - 113) * r
        return (rho(lat) * sin(t), -rho(lat) * cos(t))
    }
    static let centre = project(34, 113)
    /// Fractional mass-point index of a point.
    static func index(_ lat: Double, _ lon: Double) -> (x: Double, y: Double) {
        let p = project(lat, lon)
        return ((p.x - centre.x) / 30_000 + 5.5, (p.y - centre.y) / 30_000 + 4.5)
    }
    /// α of the grid's x axis counter-clockwise from east at a longitude, radians.
    static func alpha(_ lon: Double) -> Double { -n * (lon - 113) * r }
    static func hgt(_ j: Int, _ i: Int) -> Double { 50 + 4 * Double(i) + 3 * Double(j) }
    static func mub(_ j: Int, _ i: Int) -> Double { 95_000 - 50 * Double(i) + 30 * Double(j) - 5000 }
    /// Grid-relative wind at fractional mass index (x, y), m/s: U = 8 + 0.0625·(i_stag − 6), V = 3 − 0.03125·(j_stag − 5).
    static func gridWind(x: Double, y: Double) -> (u: Double, v: Double) { (8 + 0.0625 * (x + 0.5 - 6), 3 - 0.03125 * (y + 0.5 - 5)) }

    /// The fixture's CDL with the lines of `drop` (variable declarations, units and data) removed.
    static func cdl(dropping drop: [String] = [], replacing: [(String, String)] = []) throws -> String {
        var text = try Fixtures.cdl("wrf_analytic")
        for (a, b) in replacing { text = text.replacingOccurrences(of: a, with: b) }
        guard !drop.isEmpty else { return text }
        var out: [String] = []
        var skipping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let s = line.trimmingCharacters(in: .whitespaces)
            if skipping { if s.hasSuffix(";") { skipping = false }; continue }
            if drop.contains(where: { s.hasPrefix("float \($0)(") || s.hasPrefix("\($0):") }) { continue }
            if drop.contains(where: { s == "\($0) =" || s.hasPrefix("\($0) = ") }) { skipping = !s.hasSuffix(";"); continue }
            out.append(String(line))
        }
        return out.joined(separator: "\n")
    }
}

@Suite("WRF ARW output: de-staggering, rotation, heights, trajectories, moving nests")
struct WRFTests {
    @Test("de-staggered U, V, W, P+PB, heights (PH+PHB)/g and temperature equal the fixture's formulas to float precision")
    func destaggering() throws {
        let dir = try TemporaryDirectory()
        let wrf = try WRFDataset(paths: [try dir.ncgen("wrf_analytic")])
        #expect(wrf.times == [WRFAnalytic.t0, WRFAnalytic.t0 + 3 * 3600])
        #expect(wrf.nx == 12 && wrf.ny == 10 && wrf.nz == 3 && !wrf.isMoving)
        #expect(wrf.etaFromFile && wrf.eta == [0.9375, 0.75, 0.5])
        #expect(wrf.topPressureHPa == 50)
        guard case .lambertConformal(let g) = wrf.projection else { Issue.record("expected a Lambert grid, got \(wrf.projection.name)"); return }
        #expect(abs(g.tangentLatitude - asin(WRFAnalytic.n) / WRFAnalytic.r) < 1e-9 && g.referenceLatitude == 30 && g.earthRadius == 6_370_000)
        #expect((wrf.fitErrorM ?? .infinity) < 1)   // XLAT/XLONG are float32: ~0.4 m on 30-km cells
        var worst = (u: 0.0, v: 0.0, w: 0.0, p: 0.0, z: 0.0, t: 0.0)
        for ti in 0..<2 {
            let f = try wrf.fields(at: ti)
            let t = Double(ti)
            for k in 0..<3 {
                for j in 0..<10 {
                    for i in 0..<12 {
                        let m = (k * 10 + j) * 12 + i
                        let wind = WRFAnalytic.gridWind(x: Double(i), y: Double(j))
                        worst.u = max(worst.u, abs(Double(f.uGrid[m]) - wind.u))
                        worst.v = max(worst.v, abs(Double(f.vGrid[m]) - wind.v))
                        worst.w = max(worst.w, abs(Double(f.w?[m] ?? .nan) - (0.001 * (Double(k) + 0.5) + 0.0005 * t)))
                        let p = (10 * (t + 1) * Double(k + 1) + 5000 + 0.5 * (WRFAnalytic.znw[k] + WRFAnalytic.znw[k + 1]) * WRFAnalytic.mub(j, i)) / 100
                        worst.p = max(worst.p, abs(Double(f.pressureHPa[m]) - p))
                        let z = WRFAnalytic.hgt(j, i) + Double(2 * k + 1) + t + 500 * Double(2 * k + 1) * (1 + 0.01 * Double(i))
                        worst.z = max(worst.z, abs(Double(f.heightM[m]) - z) / z)
                        let temperature = (302 + 1.5 * Double(k) + 0.25 * t) * pow(p / 1000, 2.0 / 7)
                        worst.t = max(worst.t, abs(Double(f.temperatureK?[m] ?? .nan) - temperature))
                    }
                }
            }
            #expect(f.terrainM[13] == 50 + 4 + 3 && f.surfacePressureHPa[13] == Float((95_000 - 50 + 30 + 20 * (t + 1)) / 100))
            #expect(f.mixingDepthM?[13] == Float(610 + 20 * t))
        }
        // The staggered values are dyadic: their means are exact.
        #expect(worst.u == 0 && worst.v == 0)
        #expect(worst.w < 1e-9)
        #expect(worst.p < 1e-4)        // hPa: float32 of ~90,000 Pa
        #expect(worst.z < 2e-7)        // relative: float32 geopotential
        #expect(worst.t < 2e-4)        // K
    }

    @Test("winds turn earth-relative with COSALPHA/SINALPHA, and identically with the angle computed from the grid when they are absent")
    func rotation() throws {
        let dir = try TemporaryDirectory()
        let given = try WRFDataset(paths: [try dir.ncgen("wrf_analytic")]).fields(at: 0)
        let computed = try WRFDataset(paths: [try dir.ncgen("wrf_analytic", as: "noalpha.nc", cdl: try WRFAnalytic.cdl(dropping: ["COSALPHA", "SINALPHA"]))]).fields(at: 0)
        #expect(given.rotationFromFile && !computed.rotationFromFile)
        #expect(try WRFDataset(paths: [dir.path("wrf_analytic.nc")]).rotationNote == nil)
        // wrf_like.cdl's SINALPHA has the opposite sign: 0.72° off at its east and west edges.
        let like = try WRFDataset(paths: [try dir.ncgen("wrf_like")])
        #expect((like.rotationNote ?? "").contains("by up to 0.72°"))
        let lambert = try WRFDataset(paths: [dir.path("wrf_analytic.nc")]).projection.grid
        var worstGiven = 0.0, worstComputed = 0.0, worstAngle = 0.0
        for j in 0..<10 {
            for i in 0..<12 {
                let lon = lambert.location(i: i, j: j).longitude
                let a = WRFAnalytic.alpha(lon)
                worstAngle = max(worstAngle, abs(atan2(Double(computed.sinAlpha[j * 12 + i]), Double(computed.cosAlpha[j * 12 + i])) - a))
                for k in 0..<3 {
                    let m = (k * 10 + j) * 12 + i
                    let w = WRFAnalytic.gridWind(x: Double(i), y: Double(j))
                    let ue = w.u * cos(a) - w.v * sin(a), vn = w.v * cos(a) + w.u * sin(a)
                    worstGiven = max(worstGiven, abs(Double(given.u[m]) - ue), abs(Double(given.v[m]) - vn))
                    worstComputed = max(worstComputed, abs(Double(computed.u[m]) - ue), abs(Double(computed.v[m]) - vn))
                }
            }
        }
        #expect(worstAngle < 1e-8)
        #expect(worstGiven < 2e-6)      // m/s: float32 arithmetic on ~8.5 m/s
        #expect(worstComputed < 2e-6)
    }

    @Test("a 3-h trajectory through the fixture follows the analytic wind (RK4 on the sphere, 10-s steps) within 5 m")
    func trajectoryAgainstAnalyticWind() throws {
        let dir = try TemporaryDirectory()
        let field = try WRFWindField(paths: [try dir.ncgen("wrf_analytic")])
        let engine = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 3))
        let start = TrajectoryStart(site: "A", latitude: 33.5, longitude: 111.5, height: 1500, time: WRFAnalytic.t0)
        let run = try engine.run([start])
        let traj = try #require(run.trajectories.first)
        #expect(traj.termination.reason == .completed && traj.endpoints.count == 4)
        // Truth: the grid-relative analytic wind at the point (its index from the Lambert formula),
        // turned with the analytic α there, integrated on the engine's sphere.
        func velocity(_ lat: Double, _ lon: Double) -> (Double, Double) {
            let x = WRFAnalytic.index(lat, lon)
            let w = WRFAnalytic.gridWind(x: x.x, y: x.y)
            let a = WRFAnalytic.alpha(lon)
            let ue = w.u * cos(a) - w.v * sin(a), vn = w.v * cos(a) + w.u * sin(a)
            return (vn / Earth.radius / WRFAnalytic.r, ue / (Earth.radius * cos(lat * WRFAnalytic.r)) / WRFAnalytic.r)
        }
        var lat = 33.5, lon = 111.5
        var worst = 0.0
        for hour in 1...3 {
            for _ in 0..<360 {
                let h = 10.0
                let k1 = velocity(lat, lon)
                let k2 = velocity(lat + 0.5 * h * k1.0, lon + 0.5 * h * k1.1)
                let k3 = velocity(lat + 0.5 * h * k2.0, lon + 0.5 * h * k2.1)
                let k4 = velocity(lat + h * k3.0, lon + h * k3.1)
                lat += h / 6 * (k1.0 + 2 * k2.0 + 2 * k3.0 + k4.0)
                lon += h / 6 * (k1.1 + 2 * k2.1 + 2 * k3.1 + k4.1)
            }
            let e = traj.endpoints[hour]
            worst = max(worst, Geodesy.distance(latitude1: e.latitude, longitude1: e.longitude, latitude2: lat, longitude2: lon))
        }
        #expect(worst < 5, "largest distance from the analytic trajectory \(worst) m")   // measured 0.74 m
        let last = try #require(traj.endpoints.last)
        #expect(abs(last.latitude - 33.805) < 0.001 && abs(last.longitude - 112.405) < 0.001)
    }

    @Test("the engine uses each node's P+PB as its level pressures")
    func levelPressures() throws {
        let dir = try TemporaryDirectory()
        let field = try WRFWindField(paths: [try dir.ncgen("wrf_analytic")])
        let s = try field.slice(at: 1)
        let sampler = Sampler(grid: field.grid, levels: field.levels)
        let raw = s.storage.raw
        for (i, j) in [(0, 0), (5, 4), (11, 9)] {
            for k in 0..<3 {
                let p = (10 * 2 * Double(k + 1) + 5000 + 0.5 * (WRFAnalytic.znw[k] + WRFAnalytic.znw[k + 1]) * WRFAnalytic.mub(j, i)) / 100
                #expect(abs(sampler.levelPressure(k, slice: raw, node: j * 12 + i) - p) < 1e-4)
            }
        }
        if case .sigma(let eta, let top) = field.levels { #expect(eta == [0.9375, 0.75, 0.5] && top == 50) } else { Issue.record("σ levels expected") }
    }

    @Test("MAP_PROJ that does not reproduce XLAT/XLONG gives way to a curvilinear grid, with the reason")
    func curvilinearFallback() throws {
        let dir = try TemporaryDirectory()
        let cdl = try WRFAnalytic.cdl(replacing: [(":STAND_LON = 113.0f", ":STAND_LON = 112.0f")])
        let wrf = try WRFDataset(paths: [try dir.ncgen("wrf_analytic", as: "shifted.nc", cdl: cdl)])
        guard case .curvilinear(let g) = wrf.projection else { Issue.record("expected curvilinear, got \(wrf.projection.name)"); return }
        #expect(g.nx == 12 && g.ny == 10 && g.hasGivenRotation)
        #expect(wrf.fitErrorM == nil && (wrf.gridNote ?? "").contains("more than 1 % of the 30000 m cell"))
        // The winds still turn with the file's angle: same values as the projected reading.
        let projected = try WRFDataset(paths: [try dir.ncgen("wrf_analytic")]).fields(at: 0)
        #expect(try wrf.fields(at: 0).u == projected.u)
        let run = try TrajectoryEngine(field: WRFWindField(wrf), options: TrajectoryOptions(hours: 3))
            .run([TrajectoryStart(site: "A", latitude: 33.5, longitude: 111.5, height: 1500, time: WRFAnalytic.t0)])
        let a = try #require(run.trajectories.first?.endpoints.last)
        #expect(abs(a.latitude - 33.805) < 0.002 && abs(a.longitude - 112.405) < 0.002)
    }

    @Test("a WRF file without PH/PHB or P/PB names what is missing and what to add", arguments: [["PH", "PHB"], ["PHB"], ["P", "PB"], ["PB"]])
    func missingVariables(_ drop: [String]) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.ncgen("wrf_analytic", as: "cut.nc", cdl: try WRFAnalytic.cdl(dropping: drop))
        #expect(WRFDataset.isWRF(path: path))
        #expect { try MetSource.open([path]) } throws: { e in
            let text = "\(e)"
            let pair = drop.first == "P" || drop.first == "PB" ? "P and PB" : "PH and PHB"
            return text.contains("WRF output without \(drop.joined(separator: " and "))") && text.contains("needs \(pair)") && text.contains("Add ")
        }
    }

    /// `text` with value `index` (0-based) of variable `name`'s data block replaced by `value`.
    static func replacingValue(_ text: String, _ name: String, _ index: Int, with value: String) throws -> String {
        let head = try #require(text.range(of: " \(name) =\n    "))
        let tail = try #require(text[head.upperBound...].firstIndex(of: ";"))
        var values = text[head.upperBound..<tail].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let lead = values[index].prefix { $0 == " " || $0 == "\n" }
        values[index] = lead + value
        return text.replacingCharacters(in: head.upperBound..<tail, with: values.joined(separator: ","))
    }

    @Test("2-D coordinates with a NaN or a repeated point are refused naming the node")
    func badCoordinates() throws {
        let dir = try TemporaryDirectory()
        // A STAND_LON that does not reproduce XLAT/XLONG, so that they are read as a curvilinear grid.
        let text = try WRFAnalytic.cdl(replacing: [(":STAND_LON = 113.0f", ":STAND_LON = 112.0f")])
        // Node (1, 0) of both times (120 mass points per time).
        let nan = try Self.replacingValue(try Self.replacingValue(text, "XLAT", 1, with: "NaNf"), "XLAT", 121, with: "NaNf")
        #expect { try WRFDataset(paths: [try dir.ncgen("wrf_analytic", as: "nan.nc", cdl: nan)]) } throws: { e in
            let d = "\(e)"
            return d.contains("XLAT/XLONG") && d.contains("i 1, j 0")
        }
        let lat0 = try #require(text.range(of: " XLAT =\n    ").map { String(text[$0.upperBound...].prefix { $0 != "," }) })
        let lon0 = try #require(text.range(of: " XLONG =\n    ").map { String(text[$0.upperBound...].prefix { $0 != "," }) })
        var repeated = text
        for n in [1, 121] { repeated = try Self.replacingValue(try Self.replacingValue(repeated, "XLAT", n, with: lat0), "XLONG", n, with: lon0) }
        #expect { try WRFDataset(paths: [try dir.ncgen("wrf_analytic", as: "repeat.nc", cdl: repeated)]) } throws: { e in
            let d = "\(e)"
            return d.contains("XLAT/XLONG") && d.contains("i 1, j 0")
        }
    }
}

/// The real WRF file: wrf-python's CI test file, a 10-km Mercator moving nest (Hurricane Katrina).
@Suite("WRF ARW output: the real moving nest (wrf_ci_test_file.nc)")
struct WRFRealFileTests {
    static let path = Fixtures.met("wrf_ci_test_file.nc")

    @Test("reads as a Mercator moving nest: four positions on one lattice, XLAT/XLONG within 2 m of the projection")
    func reads() throws {
        let wrf = try WRFDataset(paths: [Self.path])
        #expect(wrf.isMoving && wrf.times.count == 4 && wrf.nx == 48 && wrf.ny == 48 && wrf.nz == 14)
        #expect(wrf.times.first == UTCTime(year: 2005, month: 8, day: 28, hour: 12) && wrf.times.last == UTCTime(year: 2005, month: 8, day: 28, hour: 21))
        #expect(wrf.placements.map { [$0.i0, $0.j0] } == [[15, 0], [9, 3], [6, 9], [0, 12]])
        guard case .mercator(let g) = wrf.projection else { Issue.record("Mercator expected"); return }
        #expect(g.nx == 63 && g.ny == 60 && g.spacingM == 10_000 && g.centralMeridian == -89)
        #expect((wrf.fitErrorM ?? .infinity) < 2)
        // Each time's own grid puts its node (i, j) at that time's XLAT/XLONG.
        for t in 0..<4 {
            let own = try wrf.grid(at: t).grid
            let c = try wrf.files[0].coordinates(at: t)
            for (i, j) in [(0, 0), (47, 0), (20, 31), (47, 47)] {
                let p = own.location(i: i, j: j)
                #expect(Geodesy.distance(latitude1: p.latitude, longitude1: p.longitude, latitude2: c.lat[j * 48 + i], longitude2: c.lon[j * 48 + i]) < 2)
            }
        }
        let inspection = try WRFInspection(wrf)
        #expect(inspection.missingValues == 0)
        #expect(inspection.summary.contains("moving:     yes"))
    }

    /// Bilinear interpolation of `values` (one level of a 48 × 48 field) at a point, in the cell found
    /// by brute force among the time's own XLAT/XLONG on the Mercator plane (x ∝ λ, y ∝ ln tan(45° + φ/2)).
    static func handInterpolation(_ values: ArraySlice<Float>, lat: [Double], lon: [Double], at p: (Double, Double)) -> Double? {
        func plane(_ la: Double, _ lo: Double) -> (Double, Double) { (lo * .pi / 180, log(tan(.pi / 4 + la * .pi / 360))) }
        let q = plane(p.0, p.1)
        let base = values.startIndex
        for j in 0..<47 {
            for i in 0..<47 {
                let a = plane(lat[j * 48 + i], lon[j * 48 + i]), b = plane(lat[(j + 1) * 48 + i + 1], lon[(j + 1) * 48 + i + 1])
                guard q.0 >= a.0, q.0 <= b.0, q.1 >= a.1, q.1 <= b.1 else { continue }
                let fx = (q.0 - a.0) / (b.0 - a.0), fy = (q.1 - a.1) / (b.1 - a.1)
                func v(_ ii: Int, _ jj: Int) -> Double { Double(values[base + jj * 48 + ii]) }
                return (1 - fx) * (1 - fy) * v(i, j) + fx * (1 - fy) * v(i + 1, j) + (1 - fx) * fy * v(i, j + 1) + fx * fy * v(i + 1, j + 1)
            }
        }
        return nil
    }

    @Test("a parcel at one lat/lon between two slices gets each slice's own-grid interpolation, blended in time")
    func movingNestLocation() throws {
        let field = try WRFWindField(paths: [Self.path])
        let wrf = field.dataset
        let sampler = Sampler(grid: field.grid, levels: field.levels)
        let point = (25.0, -89.5)
        let st = try sampler.stencil(latitude: point.0, longitude: point.1)
        let plane = 48 * 48
        for (t1, t2) in [(1, 2), (2, 3)] {
            let f1 = try wrf.fields(at: t1), f2 = try wrf.fields(at: t2)
            let c1 = try wrf.files[0].coordinates(at: t1), c2 = try wrf.files[0].coordinates(at: t2)
            let bracket = Bracket(first: try field.slice(at: t1), second: try field.slice(at: t2), weight: 0.25)
            for k in [0, 6] {
                // A pressure exactly on level k at both slices is not available (it varies per node):
                // compare the per-slice level values through the engine's wind at each slice's level
                // pressure (weight 0 and 1), then the blend.
                let u1 = try #require(Self.handInterpolation(f1.u[(k * plane)..<((k + 1) * plane)], lat: c1.lat, lon: c1.lon, at: point))
                let u2 = try #require(Self.handInterpolation(f2.u[(k * plane)..<((k + 1) * plane)], lat: c2.lat, lon: c2.lon, at: point))
                let v1 = try #require(Self.handInterpolation(f1.v[(k * plane)..<((k + 1) * plane)], lat: c1.lat, lon: c1.lon, at: point))
                let v2 = try #require(Self.handInterpolation(f2.v[(k * plane)..<((k + 1) * plane)], lat: c2.lat, lon: c2.lon, at: point))
                // Level k at each node: pick a pressure far below the lowest level for k = 0 (the
                // lowest level's wind with the surface layer off: compare the raw level values instead).
                func levelWind(_ s: GridSlice) -> (Double, Double) {
                    let u = s.u, v = s.v, nx = s.nx, pl = s.nx * s.ny
                    var ue = 0.0, vn = 0.0
                    for c in 0..<4 {
                        let (i, j) = st.node(c)
                        ue += st.weight(c) * Double(u[k * pl + j * nx + i]); vn += st.weight(c) * Double(v[k * pl + j * nx + i])
                    }
                    return (ue, vn)
                }
                let e1 = levelWind(bracket.first), e2 = levelWind(bracket.second)
                #expect(abs(e1.0 - u1) < 1e-4 && abs(e1.1 - v1) < 1e-4, "slice \(t1) level \(k): \(e1) vs \(u1), \(v1)")
                #expect(abs(e2.0 - u2) < 1e-4 && abs(e2.1 - v2) < 1e-4, "slice \(t2) level \(k): \(e2) vs \(u2), \(v2)")
            }
            // The engine's wind at a pressure between levels 3 and 4 of both slices, at 1/4 of the way in time.
            let p = 0.5 * (Double(f1.pressureHPa[4 * plane]) + Double(f1.pressureHPa[3 * plane]))
            let w = try sampler.wind(bracket, stencil: st, pressure: p, latitude: point.0, longitude: point.1)
            func hand(_ f: WRFFields, _ c: (lat: [Double], lon: [Double])) throws -> (Double, Double) {
                // Vertical interpolation at each node, then the horizontal: the engine's order.
                var levelU = [Float](repeating: 0, count: plane), levelV = [Float](repeating: 0, count: plane)
                for n in 0..<plane {
                    var k = 0
                    while k < 13 && Double(f.pressureHPa[(k + 1) * plane + n]) > p { k += 1 }
                    let pa = Double(f.pressureHPa[k * plane + n]), pb = Double(f.pressureHPa[(k + 1) * plane + n])
                    let wz = p >= pa ? 0 : (pa - p) / (pa - pb)
                    levelU[n] = Float(Double(f.u[k * plane + n]) + wz * Double(f.u[(k + 1) * plane + n] - f.u[k * plane + n]))
                    levelV[n] = Float(Double(f.v[k * plane + n]) + wz * Double(f.v[(k + 1) * plane + n] - f.v[k * plane + n]))
                }
                return (try #require(Self.handInterpolation(levelU[...], lat: c.lat, lon: c.lon, at: point)),
                        try #require(Self.handInterpolation(levelV[...], lat: c.lat, lon: c.lon, at: point)))
            }
            let h1 = try hand(f1, c1), h2 = try hand(f2, c2)
            let expected = (0.75 * h1.0 + 0.25 * h2.0, 0.75 * h1.1 + 0.25 * h2.1)
            #expect(abs(w.east - expected.0) < 1e-3 && abs(w.north - expected.1) < 1e-3, "engine \(w) vs hand \(expected)")
        }
    }

    @Test("a 3-h backward trajectory from the storm's surroundings runs and stays on the moving grid")
    func backwardTrajectory() throws {
        let source = try MetSource.open([Self.path])
        let wrf = try #require((source.field as? WRFWindField)?.dataset)
        let t0 = UTCTime(year: 2005, month: 8, day: 28, hour: 21)
        let engine = try TrajectoryEngine(field: source.field, options: TrajectoryOptions(hours: -3))
        let run = try engine.run([TrajectoryStart(site: "GULF", latitude: 25.0, longitude: -89.5, height: 500, time: t0)])
        let traj = try #require(run.trajectories.first)
        #expect(traj.termination.reason == .completed && traj.endpoints.count == 4)
        for e in traj.endpoints {
            // Inside the footprint of every slice bracketing the endpoint's time.
            let dt = Double(e.time.secondsSince1970 - wrf.times[0].secondsSince1970) / 3 / 3600
            for t in Set([Int(dt.rounded(.down)), Int(dt.rounded(.up))]) where wrf.times.indices.contains(t) {
                let own = try wrf.grid(at: t).grid
                let x = own.index(latitude: e.latitude, longitude: e.longitude)
                #expect(x.x >= 0 && x.x <= 47 && x.y >= 0 && x.y <= 47, "endpoint \(e.time.iso8601) outside slice \(t)")
            }
        }
        let last = try #require(traj.endpoints.last)
        #expect(abs(last.latitude - 26.2645) < 0.01 && abs(last.longitude - -91.3556) < 0.01)
        // Further back the parcel leaves the nest's 15Z footprint (the nest was further south-east then): leftDomain.
        let longer = try TrajectoryEngine(field: source.field, options: TrajectoryOptions(hours: -9))
            .run([TrajectoryStart(site: "GULF", latitude: 25.0, longitude: -89.5, height: 500, time: t0)])
        let stopped = try #require(longer.trajectories.first)
        #expect(stopped.termination.reason == .leftDomain && stopped.endpoints.last?.time == UTCTime(year: 2005, month: 8, day: 28, hour: 18))
        let at15 = try wrf.grid(at: 1).grid
        let p = at15.index(latitude: last.latitude, longitude: last.longitude)
        #expect(p.x < 0 || p.x > 47 || p.y < 0 || p.y > 47, "the 18Z endpoint lies outside the 15Z grid: \(p)")
    }
}

@Suite("WRF ARW output: MAP_PROJ 6 (latitude-longitude)")
struct WRFLatLonTests {
    @Test("MAP_PROJ 6 with regular XLAT/XLONG reads as a regular lat-lon grid; winds need no turning; a trajectory moves at the grid wind")
    func latLon() throws {
        let dir = try TemporaryDirectory()
        var text = try WRFAnalytic.cdl(dropping: ["COSALPHA", "SINALPHA"], replacing: [
            (":MAP_PROJ = 1 ;", ":MAP_PROJ = 6 ;"), (":DX = 30000.0f ;", ":DX = 33353.24f ;"), (":DY = 30000.0f ;", ":DY = 27794.37f ;"),
        ])
        // XLAT = 33 + 0.25·j, XLONG = 111 + 0.3·i at both times.
        var lat: [String] = [], lon: [String] = []
        for _ in 0..<2 { for j in 0..<10 { for i in 0..<12 { lat.append("\(33 + 0.25 * Double(j))"); lon.append("\(111 + 0.3 * Double(i))") } } }
        for (name, values) in [("XLAT", lat), ("XLONG", lon)] {
            let head = try #require(text.range(of: " \(name) =\n    "))
            let tail = try #require(text[head.upperBound...].firstIndex(of: ";"))
            text.replaceSubrange(head.upperBound..<tail, with: values.joined(separator: ", ") + " ")
        }
        let wrf = try WRFDataset(paths: [try dir.ncgen("wrf_analytic", as: "latlon.nc", cdl: text)])
        guard case .latLon(let g) = wrf.projection else { Issue.record("lat-lon expected, got \(wrf.projection.name)"); return }
        #expect(abs(g.longitudes[0] - 111) < 1e-4 && abs(g.longitudes[11] - 114.3) < 1e-4 && abs(g.latitudes[9] - 35.25) < 1e-4)
        #expect((wrf.fitErrorM ?? .infinity) < 5)
        let f = try wrf.fields(at: 0)
        #expect(f.u == f.uGrid && f.v == f.vGrid)
        let run = try TrajectoryEngine(field: WRFWindField(wrf), options: TrajectoryOptions(hours: 1))
            .run([TrajectoryStart(site: "A", latitude: 34, longitude: 112, height: 1500, time: WRFAnalytic.t0)])
        let e = try #require(run.trajectories.first?.endpoints.last)
        // About 1 h of (8 + 0.0625·(x − 5.5), 3 − 0.03125·(y − 4.5)) m/s from x = 3.33, y = 4: ≈ 28.3 km east, 10.8 km north.
        let east = Geodesy.distance(latitude1: 34, longitude1: 112, latitude2: 34, longitude2: e.longitude) / 1000
        let north = Geodesy.distance(latitude1: 34, longitude1: 112, latitude2: e.latitude, longitude2: 112) / 1000
        #expect(abs(east - 28.3) < 0.3 && abs(north - 10.8) < 0.2, "\(east) km east, \(north) km north")
    }
}

@Suite("WRF ARW output: several files")
struct WRFMultiFileTests {
    /// The fixture cut to its time `t` alone: every data block keeps its `t`-th half, `Times` its `t`-th string.
    static func oneTime(_ t: Int) throws -> String {
        var text = try WRFAnalytic.cdl()
        let times = ["\"2021-03-01_00:00:00\"", "\"2021-03-01_03:00:00\""]
        text = text.replacingOccurrences(of: "  \(times[0]), \(times[1]) ;", with: "  \(times[t]) ;")
        text = text.replacingOccurrences(of: "// (2 currently)", with: "// (1 currently)")
        let dataStart = try #require(text.range(of: "\ndata:\n"))
        var out = String(text[..<dataStart.upperBound])
        var rest = text[dataStart.upperBound...]
        while let head = rest.range(of: " =\n    ") {
            let tail = try #require(rest[head.upperBound...].firstIndex(of: ";"))
            let values = rest[head.upperBound..<tail].split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            let half = values.count / 2
            out += rest[..<head.upperBound] + values[(t * half)..<((t + 1) * half)].joined(separator: ", ") + " "
            rest = rest[tail...]
        }
        return out + rest
    }

    @Test("two one-time files read as the one two-time file; the same file twice is a duplicate time")
    func twoFiles() throws {
        let dir = try TemporaryDirectory()
        let whole = try WRFDataset(paths: [try dir.ncgen("wrf_analytic")])
        let a = try dir.ncgen("wrf_analytic", as: "wrfout_d01_2021-03-01_00:00:00", cdl: try Self.oneTime(0))
        let b = try dir.ncgen("wrf_analytic", as: "wrfout_d01_2021-03-01_03:00:00", cdl: try Self.oneTime(1))
        let split = try WRFDataset(paths: [dir.path("wrfout_d01_*")])
        #expect(split.paths == [a, b] && split.times == whole.times && !split.isMoving)
        for t in 0..<2 {
            let x = try split.fields(at: t), y = try whole.fields(at: t)
            #expect(x.u == y.u && x.v == y.v && x.pressureHPa == y.pressureHPa && x.heightM == y.heightM && x.w == y.w)
        }
        #expect { try WRFDataset(paths: [a, a]) } throws: { e in "\(e)".contains("2021-03-01T00:00:00Z") }
    }
}
