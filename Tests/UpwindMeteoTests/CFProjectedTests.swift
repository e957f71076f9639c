import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

/// Solid-body rotation of the atmosphere about an axis through the Earth's centre: the wind
/// at r is Ω × r (earth-relative), and a parcel moves along a small circle, so its exact
/// position after t seconds is r rotated by Ω·t about the axis.
struct SolidBody {
    /// Unit rotation axis.
    let axis: Vec3
    /// Angular speed, rad s⁻¹.
    let omega: Double

    /// Pole of the rotation at (latitude, longitude) degrees; `period` days per turn.
    init(poleLatitude: Double, poleLongitude: Double, periodDays: Double) {
        axis = Geodesy.unitVector(latitude: poleLatitude, longitude: poleLongitude)
        omega = 2 * .pi / (periodDays * 86_400)
    }

    /// Earth-relative (eastward, northward) wind, m s⁻¹, on a sphere of radius `radius` (m).
    func wind(latitude: Double, longitude: Double, radius: Double) -> (u: Double, v: Double) {
        let r = Geodesy.unitVector(latitude: latitude, longitude: longitude)
        let w = Vec3(axis.y * r.z - axis.z * r.y, axis.z * r.x - axis.x * r.z, axis.x * r.y - axis.y * r.x)
        let en = Geodesy.eastNorth(latitude: latitude, longitude: longitude)
        let s = omega * radius
        return (s * (w.x * en.east.x + w.y * en.east.y + w.z * en.east.z), s * (w.x * en.north.x + w.y * en.north.y + w.z * en.north.z))
    }

    /// The exact position after `seconds` (negative: backward).
    func position(latitude: Double, longitude: Double, seconds: Double) -> (latitude: Double, longitude: Double) {
        Geodesy.latLon(Geodesy.rotate(Geodesy.unitVector(latitude: latitude, longitude: longitude), about: axis, angle: omega * seconds))
    }
}

@Suite("CF reader: projected grids, grid-relative winds, σ and hybrid levels")
struct CFProjectedTests {
    static let t0 = UTCTime(year: 2021, month: 3, day: 1)

    /// One test grid per projection, on HYSPLIT's sphere.
    static func projection(_ kind: String) -> MapProjection {
        let r = MapProjection.earthRadius
        switch kind {
        case "polar_stereographic":
            return .polarStereographic(PolarStereographicGrid(nx: 41, ny: 41, spacingM: 100_000, x0: -2_000_000, y0: -4_000_000,
                                                              standardParallel: 60, centralMeridian: -100, earthRadius: r))
        case "lambert_conformal":
            return .lambertConformal(LambertConformalGrid(nx: 41, ny: 41, spacingM: 100_000, x0: -2_000_000, y0: -9_600_000,
                                                          tangentLatitude: 38, centralMeridian: 10, referenceLatitude: 45, earthRadius: r))
        default:
            return .mercator(MercatorGrid(nx: 41, ny: 41, spacingM: 100_000, x0: -2_000_000, y0: 500_000, referenceLatitude: 22.5,
                                          centralMeridian: 115, earthRadius: r))
        }
    }

    /// The analytic solid-body flow written on `projection` as grid-relative winds (3 pressure
    /// levels, no vertical motion, 2 times 24 h apart).
    static func source(_ projection: MapProjection, flow: SolidBody) -> GriddedMetSource {
        let grid = projection.grid
        let nx = grid.nx, ny = grid.ny, levels = [1000.0, 850, 500]
        var u = [Float](repeating: 0, count: nx * ny), v = u
        for j in 0..<ny {
            for i in 0..<nx {
                let p = grid.location(i: i, j: j)
                let w = flow.wind(latitude: p.latitude, longitude: p.longitude, radius: MapProjection.earthRadius)
                // Earth-relative → the grid's axes.
                let en = Geodesy.eastNorth(latitude: p.latitude, longitude: p.longitude)
                let vec = w.u * en.east + w.v * en.north
                let axes = grid.windAxes(i: i, j: j)
                u[j * nx + i] = Float(vec.x * axes.u.x + vec.y * axes.u.y + vec.z * axes.u.z)
                v[j * nx + i] = Float(vec.x * axes.v.x + vec.y * axes.v.y + vec.z * axes.v.z)
            }
        }
        let variables: [(name: String, levels: [Int])] = [("PRSS", [0]), ("SHGT", [0]), ("TEMP", [1, 2, 3]), ("UWND", [1, 2, 3]),
                                                          ("VWND", [1, 2, 3]), ("WWND", [1, 2, 3])]
        return GriddedMetSource(projection: projection, verticalKind: .pressure, levels: levels,
                                times: [t0, t0 + 86_400], source: "SBR", variables: variables) { _ in
            var out = [ARLFieldValues(name: "PRSS", level: 0, values: [Float](repeating: 1013, count: nx * ny)),
                       ARLFieldValues(name: "SHGT", level: 0, values: [Float](repeating: 0, count: nx * ny))]
            for k in 1...3 {
                out.append(ARLFieldValues(name: "TEMP", level: k, values: [Float](repeating: Float(288 - 20 * (k - 1)), count: nx * ny)))
                out.append(ARLFieldValues(name: "UWND", level: k, values: u))
                out.append(ARLFieldValues(name: "VWND", level: k, values: v))
                out.append(ARLFieldValues(name: "WWND", level: k, values: [Float](repeating: 0, count: nx * ny)))
            }
            return out
        }
    }

    static let kinds = ["polar_stereographic", "lambert_conformal", "mercator"]

    @Test("analytic solid-body winds per projection: decoded winds rotated back equal the flow; trajectories follow the exact circles",
          arguments: kinds)
    func analytic(kind: String) throws {
        let dir = try TemporaryDirectory()
        let projection = Self.projection(kind)
        let grid = projection.grid
        let centre = grid.location(i: 20, j: 20)
        // Rotation pole 40° from the grid centre: a strong, curved, non-zonal flow.
        let flow = SolidBody(poleLatitude: centre.latitude + (centre.latitude > 45 ? -40 : 40), poleLongitude: centre.longitude + 30, periodDays: 30)
        let source = Self.source(projection, flow: flow)
        let arlPath = dir.path("\(kind).arl"), ncPath = dir.path("\(kind).nc")
        let report = try ARLWriter.write(source, to: arlPath)
        try CFMetWriter.write(source, to: ncPath)
        let arl = try ARLWindField(paths: [arlPath])
        let met = try MetDataset(paths: [ncPath])
        #expect(met.projection?.name == projection.name)
        #expect(met.gridRelativeWinds == (kind != "mercator"))
        let nc = try MetWindField(met)
        let windBound = hypot(report.boundByVariable["UWND"] ?? 0, report.boundByVariable["VWND"] ?? 0) + 2e-3

        // (a) Decoded winds, rotated back to earth-relative, equal the analytic flow.
        var worstARL = 0.0, worstNC = 0.0
        for (field, isARL) in [(arl as any WindField, true), (nc as any WindField, false)] {
            let s = try field.slice(at: 0)
            let su = s.u, sv = s.v   // copies of the slice's fields: read once
            let g = field.grid
            for j in 0..<g.ny {
                for i in 0..<g.nx {
                    let p = g.location(i: i, j: j)
                    let axes = g.windAxes(i: i, j: j)
                    let n = s.index(i, j, 1)
                    let vec = Double(su[n]) * axes.u + Double(sv[n]) * axes.v
                    let en = Geodesy.eastNorth(latitude: p.latitude, longitude: p.longitude)
                    let east = vec.x * en.east.x + vec.y * en.east.y + vec.z * en.east.z
                    let north = vec.x * en.north.x + vec.y * en.north.y + vec.z * en.north.z
                    let exact = flow.wind(latitude: p.latitude, longitude: p.longitude, radius: MapProjection.earthRadius)
                    let e = hypot(east - exact.u, north - exact.v)
                    if isARL { worstARL = max(worstARL, e) } else { worstNC = max(worstNC, e) }
                }
            }
        }
        #expect(worstARL <= windBound, "\(kind): ARL wind error \(worstARL) > \(windBound)")
        #expect(worstNC <= 1e-4, "\(kind): NetCDF (float) wind error \(worstNC)")

        // (b) Trajectories (isobaric, 24 h) against the exact solid-body positions.
        let starts = [(0, 0), (-4, 3), (5, -5), (3, 6)].map { d -> TrajectoryStart in
            let p = grid.location(i: 20 + d.0, j: 20 + d.1)
            return TrajectoryStart(site: "S", latitude: p.latitude, longitude: p.longitude, height: 1500, time: Self.t0)
        }
        var lines: [String] = []
        for (name, field) in [("ARL", arl as any WindField), ("NetCDF", nc as any WindField)] {
            let run = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 24, verticalMode: .isobaric)).run(starts)
            var worst = 0.0
            for (s, tr) in zip(starts, run.trajectories) {
                #expect(tr.termination.reason == .completed, "\(kind) \(name): \(tr.termination.reason)")
                guard let last = tr.endpoints.last else { continue }
                let exact = flow.position(latitude: s.latitude, longitude: s.longitude, seconds: 86_400)
                worst = max(worst, km((last.latitude, last.longitude), (exact.latitude, exact.longitude)))
            }
            // 24 h at up to ~35 m/s on a 100 km grid: bilinear interpolation of a linear
            // (in 3-D) flow through the projection's curvature stays within a few km.
            #expect(worst < 5, "\(kind) \(name): \(worst) km from the exact solid-body position after 24 h")
            lines.append(String(format: "%@ %@: worst %.2f km after 24 h", kind, name, worst))
        }
        print(lines.joined(separator: "\n") + String(format: "\n%@ winds: ARL max error %.2e m/s (bound %.2e), NetCDF %.2e", kind, worstARL, windBound, worstNC))
    }

    @Test("CF grid mappings read back to the grids written (x/y identical, nodes within millimetres)", arguments: kinds)
    func gridMappingRoundTrip(kind: String) throws {
        let dir = try TemporaryDirectory()
        let projection = Self.projection(kind)
        let flow = SolidBody(poleLatitude: 0, poleLongitude: 0, periodDays: 10)
        let path = dir.path("g.nc")
        try CFMetWriter.write(Self.source(projection, flow: flow), to: path)
        let met = try MetDataset(paths: [path])
        let p = try #require(met.projection)
        let a = try #require(ProjectedGridSummary(projection)), b = try #require(ProjectedGridSummary(p))
        #expect(abs(a.x0 - b.x0) < 1e-6 && abs(a.y0 - b.y0) < 1e-3 && abs(a.step - b.step) < 1e-6)
        #expect(abs(a.standardParallel - b.standardParallel) < 1e-9 && abs(a.trueScale - b.trueScale) < 1e-9)
        for (i, j) in [(0, 0), (40, 40), (0, 40), (17, 29)] {
            let x = projection.grid.location(i: i, j: j), y = p.grid.location(i: i, j: j)
            #expect(Geodesy.distance(latitude1: x.latitude, longitude1: x.longitude, latitude2: y.latitude, longitude2: y.longitude) < 0.01)
        }
        // Box windows on a projected grid: the sub-grid covering a box around the centre.
        let c = projection.grid.location(i: 20, j: 20)
        let s = try met.slice(at: 0, roles: [.u], box: BoundingBox(south: c.latitude - 1, north: c.latitude + 1, west: c.longitude - 1, east: c.longitude + 1))
        #expect(s.grid.nx < 41 && s.grid.ny < 41 && s.grid.nx >= 3 && s.grid.ny >= 3)
    }

    @Test("project/unproject against closed forms on HYSPLIT's sphere")
    func closedForms() {
        let r = MapProjection.earthRadius, d = Double.pi / 180
        // Polar stereographic true at 60N: ρ = R(1 + sin 60°) tan(45° − φ/2).
        let ps = PolarStereographicGrid(nx: 1, ny: 1, spacingM: 1, x0: 0, y0: 0, standardParallel: 60, centralMeridian: -105, earthRadius: r)
        let p1 = ps.project(latitude: 40, longitude: -90)
        let rho = r * (1 + sin(60 * d)) * tan((45 - 20) * d)
        #expect(abs(p1.x - rho * sin(15 * d)) < 1e-6 && abs(p1.y + rho * cos(15 * d)) < 1e-6)
        // Mercator true at 20N: x = R cos 20° Δλ, y = R cos 20° ln tan(45° + φ/2).
        let m = MercatorGrid(nx: 1, ny: 1, spacingM: 1, x0: 0, y0: 0, referenceLatitude: 20, centralMeridian: 100, earthRadius: r)
        let p2 = m.project(latitude: -10, longitude: 130)
        #expect(abs(p2.x - r * cos(20 * d) * 30 * d) < 1e-6 && abs(p2.y - r * cos(20 * d) * log(tan((45 - 5) * d))) < 1e-6)
        // Lambert tangent at 30N: on the tangent parallel the scale is 1 and ρ = R cot 30°.
        let l = LambertConformalGrid(nx: 1, ny: 1, spacingM: 1, x0: 0, y0: 0, tangentLatitude: 30, centralMeridian: 0, earthRadius: r)
        let p3 = l.project(latitude: 30, longitude: 0)
        #expect(abs(p3.x) < 1e-6 && abs(p3.y + r / tan(30 * d)) < 1e-3)
        for g in [ps as any HorizontalGrid, m, l] {
            for (lat, lon) in [(35.0, -100.0), (55, -80), (20, 120), (45, 5)] {
                let i = g.index(latitude: lat, longitude: lon)
                _ = i
            }
        }
        for (lat, lon) in [(35.0, -100.0), (55, -80), (70, 10)] {
            let q = ps.unproject(x: ps.project(latitude: lat, longitude: lon).x, y: ps.project(latitude: lat, longitude: lon).y)
            #expect(abs(q.latitude - lat) < 1e-10 && abs(Geodesy.normalizedLongitude(q.longitude - lon)) < 1e-10)
        }
        // The secant parallels of a tangent cone scaled at 45N (tangent 38N) have scale 1.
        let lcc = LambertConformalGrid(nx: 1, ny: 1, spacingM: 1, x0: 0, y0: 0, tangentLatitude: 38, centralMeridian: 10, referenceLatitude: 45, earthRadius: r)
        let sp = CFMetWriter.secantParallels(lcc)
        #expect(sp.count == 2 && abs(sp[0] - 45) < 1e-12 && sp[1] < 38 && sp[1] > 25)
        let other = LambertConformalGrid(nx: 1, ny: 1, spacingM: 1, x0: 0, y0: 0, tangentLatitude: 38, centralMeridian: 10, referenceLatitude: sp[1], earthRadius: r)
        #expect(abs(other.planeScale - lcc.planeScale) < 1e-12)
    }

    @Test("projected_lcc.cdl (NAM-like, eastward winds on a Lambert grid) is read: projected inspect, winds earth-relative")
    func namLike() throws {
        let dir = try TemporaryDirectory()
        let met = try MetDataset(paths: [try dir.ncgen("projected_lcc")])
        guard case .lambertConformal(let g)? = met.projection else { Issue.record("not Lambert: \(String(describing: met.projection))"); return }
        #expect(g.tangentLatitude == 25 && g.centralMeridian == 265 && g.earthRadius == 6_371_229)
        #expect(!met.gridRelativeWinds)
        let p = met.horizontalGrid.location(i: 1, j: 1)
        #expect(abs(p.latitude - 25) < 1e-9 && abs(Geodesy.normalizedLongitude(p.longitude + 95)) < 1e-9)
        let json = try MetInspection(met, scan: true).json(pretty: false)
        #expect(json.contains(#""grid":{"kind":"projected","projection":{"name":"lambert_conformal","standard_parallel":25,"central_meridian":265,"earth_radius_m":6371229"#))
        #expect(json.contains(#""x":{"first":-50000,"last":100000,"count":4,"step":50000}"#))
        let field = try MetWindField(met)
        #expect(field.grid is EarthRelativeWindGrid)
        let s = try field.slice(at: 0)
        // u = U at the node's stored (lon, lat): 10 + 0.1·λ + 0.01·φ − 0.001·p + 0.5·h at (0,0,1000 hPa).
        let expected = 10 + 0.1 * -95.49431681915473 + 0.01 * 24.54954026536911 - 1.0
        #expect(abs(Double(s.u[0]) - expected) < 1e-5)
    }

    @Test("σ with a top pressure and hybrid a/b formula_terms become VerticalLevels for the engine")
    func sigmaHybridFormulaTerms() throws {
        let dir = try TemporaryDirectory()
        let cdl = """
        netcdf hyb {
        dimensions: time = 1 ; lev = 3 ; lat = 3 ; lon = 4 ;
        variables:
          double time(time) ; time:units = "hours since 2020-01-01" ; time:standard_name = "time" ;
          double lev(lev) ; lev:standard_name = "atmosphere_hybrid_sigma_pressure_coordinate" ; lev:positive = "down" ;
            lev:formula_terms = "ap: hyam b: hybm ps: ps" ;
          double hyam(lev) ; hyam:units = "Pa" ;
          double hybm(lev) ;
          float lat(lat) ; lat:units = "degrees_north" ;
          float lon(lon) ; lon:units = "degrees_east" ;
          float ps(time, lat, lon) ; ps:units = "Pa" ; ps:standard_name = "surface_air_pressure" ;
          float u(time, lev, lat, lon) ; u:units = "m s-1" ; u:standard_name = "eastward_wind" ;
          float v(time, lev, lat, lon) ; v:units = "m s-1" ; v:standard_name = "northward_wind" ;
        data:
          time = 0 ; lev = 0.5, 0.8, 0.99 ; hyam = 20000, 10000, 0 ; hybm = 0.3, 0.7, 0.99 ;
          lat = 0, 1, 2 ; lon = 0, 1, 2, 3 ;
          ps = 100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000 ;
          u = 1,1,1,1,1,1,1,1,1,1,1,1, 2,2,2,2,2,2,2,2,2,2,2,2, 3,3,3,3,3,3,3,3,3,3,3,3 ;
          v = 0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0 ;
        }
        """
        let met = try MetDataset(paths: [try dir.ncgen("hyb", cdl: cdl)])
        #expect(met.vertical.kind == .hybrid)
        let field = try MetWindField(met)
        guard case .hybrid(let a, let b) = field.levels else { Issue.record("not hybrid: \(field.levels)"); return }
        #expect(a == [0, 100, 200] && b == [0.99, 0.7, 0.3])
        let s = try field.slice(at: 0)
        #expect(s.u[0] == 3 && s.u[2 * 12] == 1)
        #expect(try MetInspection(met, scan: false).json(pretty: false).contains(#""a_hpa":[200,100,0],"b":[0.3,0.7,0.99]"#))

        let sigma = cdl.replacingOccurrences(of: "atmosphere_hybrid_sigma_pressure_coordinate", with: "atmosphere_sigma_coordinate")
            .replacingOccurrences(of: "ap: hyam b: hybm ps: ps", with: "sigma: lev ps: ps ptop: pt")
            .replacingOccurrences(of: "double hybm(lev) ;", with: "double hybm(lev) ; double pt ; pt:units = \"hPa\" ;")
            .replacingOccurrences(of: "time = 0 ;", with: "time = 0 ; pt = 10 ;")
        let ms = try MetDataset(paths: [try dir.ncgen("sig", cdl: sigma)])
        let fs = try MetWindField(ms)
        #expect(fs.levels == .sigma([0.99, 0.8, 0.5], topPressure: 10))
    }

    @Test("WRF output stays refused; an unsupported or disagreeing grid mapping gives way to the 2-D coordinates, and without them is refused")
    func refusals() throws {
        let dir = try TemporaryDirectory()
        #expect { try MetDataset(paths: [try dir.ncgen("wrf_like")]) } throws: { e in
            guard case MetError.unsupportedGrid(_, let d) = e else { return false }
            return d.contains("WRF")
        }
        let cdl = try Fixtures.cdl("projected_lcc").replacingOccurrences(of: "lambert_conformal_conic", with: "transverse_mercator")
        let tm = try MetDataset(paths: [try dir.ncgen("tm", cdl: cdl)])
        #expect(tm.projection?.name == "curvilinear" && tm.gridNote?.contains("transverse_mercator") == true)
        // Without 2-D coordinates there is nothing to fall back on.
        let bare = cdl.replacingOccurrences(of: "lat(y, x)", with: "lat_aux(y, x)").replacingOccurrences(of: "lon(y, x)", with: "lon_aux(y, x)")
            .replacingOccurrences(of: "lat:", with: "lat_aux:").replacingOccurrences(of: "lon:", with: "lon_aux:")
            .replacingOccurrences(of: " lat =", with: " lat_aux =").replacingOccurrences(of: " lon =", with: " lon_aux =")
            .replacingOccurrences(of: "\"latitude\"", with: "\"grid_latitude\"").replacingOccurrences(of: "\"longitude\"", with: "\"grid_longitude\"")
            .replacingOccurrences(of: "degrees_north", with: "1").replacingOccurrences(of: "degrees_east", with: "1")
            .replacingOccurrences(of: "coordinates = \"lat lon\"", with: "comment = \"none\"")
        #expect { try MetDataset(paths: [try dir.ncgen("tm_bare", cdl: bare)]) } throws: { e in
            guard case MetError.unsupportedGrid(_, let d) = e else { return false }
            return d.contains("transverse_mercator") && d.contains("not supported")
        }
        // 2-D coordinates that disagree with the mapping: the coordinates win, and inspect says so.
        let wrong = try Fixtures.cdl("projected_lcc").replacingOccurrences(of: "longitude_of_central_meridian = 265.0", with: "longitude_of_central_meridian = 260.0")
        let met = try MetDataset(paths: [try dir.ncgen("wrong", cdl: wrong)])
        #expect(met.projection?.name == "curvilinear" && met.gridNote?.contains("disagrees") == true, "\(met.gridNote ?? "no note")")
        #expect(try MetInspection(met, scan: false).summary.contains("note:       the grid_mapping 'Lambert_Conformal' disagrees"))
    }
}
