import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

/// The same analytic flow written as CDL (built by `ncgen`, independent of Upwind's writer) on
/// three grids: a regular latitude-longitude grid, a Lambert grid with a CF grid_mapping and
/// grid-relative winds, and the Lambert grid's nodes as a curvilinear grid (2-D
/// latitude/longitude, no mapping) with the same grid-relative winds.
enum ThreeWays {
    static let t0 = UTCTime(year: 2021, month: 3, day: 1)
    static let levels = [1000.0, 850, 500]
    /// 40 × 40 nodes 50 km apart around (35° N, 110° E), tangent cone at 30° N, HYSPLIT's sphere.
    static let lambert: LambertConformalGrid = {
        let r = MapProjection.earthRadius
        let probe = LambertConformalGrid(nx: 40, ny: 40, spacingM: 50_000, x0: 0, y0: 0, tangentLatitude: 30, centralMeridian: 110, earthRadius: r)
        let c = probe.project(latitude: 35, longitude: 110)
        return LambertConformalGrid(nx: 40, ny: 40, spacingM: 50_000, x0: c.x - 19.5 * 50_000, y0: c.y - 19.5 * 50_000,
                                    tangentLatitude: 30, centralMeridian: 110, earthRadius: r)
    }()
    /// Solid-body rotation about a pole 40° north-east of the centre: about 5 m/s, curved.
    static let flow = SolidBody(poleLatitude: 75, poleLongitude: 140, periodDays: 60)

    static func number(_ x: Double) -> String { x.isNaN ? "NaN" : "\(x)" }
    static func float(_ x: Double) -> String { x.isNaN ? "NaNf" : "\(Float(x))" }

    /// `name = v, v, … ;` for the data section.
    static func data(_ name: String, _ values: [Double], float: Bool = true) -> String {
        "  \(name) = " + values.map { float ? Self.float($0) : number($0) }.joined(separator: ", ") + " ;\n"
    }

    /// The common data variables on dims `(time, lev, Y, X)` with values per node given by `wind`
    /// (the u, v to write at node n) and the surface fields.
    static func fields(nodes: Int, times: Int = 2, wind: (Int) -> (Double, Double)) -> (u: [Double], v: [Double], t: [Double], ps: [Double]) {
        var u: [Double] = [], v: [Double] = [], t: [Double] = []
        for _ in 0..<times {
            for k in levels.indices {
                for n in 0..<nodes {
                    let w = wind(n)
                    u.append(w.0); v.append(w.1); t.append(288 - 20 * Double(k))
                }
            }
        }
        return (u, v, t, [Double](repeating: 101_325, count: times * nodes))
    }

    /// Grid-relative winds at the Lambert grid's nodes (row-major).
    static func gridRelative(_ n: Int) -> (Double, Double) {
        let g = lambert
        let i = n % g.nx, j = n / g.nx
        let p = g.location(i: i, j: j)
        let w = flow.wind(latitude: p.latitude, longitude: p.longitude, radius: MapProjection.earthRadius)
        let en = Geodesy.eastNorth(latitude: p.latitude, longitude: p.longitude)
        let vec = w.u * en.east + w.v * en.north
        let axes = g.windAxes(i: i, j: j)
        return (vec.dot(axes.u), vec.dot(axes.v))
    }

    static let header = """
          double time(time) ; time:standard_name = "time" ; time:units = "hours since 2021-03-01 00:00:00" ;
          double lev(lev) ; lev:standard_name = "air_pressure" ; lev:units = "hPa" ; lev:positive = "down" ;

        """
    static let timesAndLevels = "  time = 0, 24 ;\n  lev = 1000, 850, 500 ;\n"

    /// (a) Regular latitude-longitude, 41 × 41, earth-relative winds.
    static func latLonCDL() -> String {
        let lats = (0...40).map { 25 + 0.5 * Double($0) }, lons = (0...40).map { 95 + 0.75 * Double($0) }
        let f = fields(nodes: 41 * 41) { n in
            let w = flow.wind(latitude: lats[n / 41], longitude: lons[n % 41], radius: MapProjection.earthRadius)
            return (w.u, w.v)
        }
        return """
        netcdf latlon {
        dimensions: time = 2 ; lev = 3 ; lat = 41 ; lon = 41 ;
        variables:
        \(header)  double lat(lat) ; lat:units = "degrees_north" ; lat:standard_name = "latitude" ;
          double lon(lon) ; lon:units = "degrees_east" ; lon:standard_name = "longitude" ;
          float u(time, lev, lat, lon) ; u:standard_name = "eastward_wind" ; u:units = "m s-1" ;
          float v(time, lev, lat, lon) ; v:standard_name = "northward_wind" ; v:units = "m s-1" ;
          float t(time, lev, lat, lon) ; t:standard_name = "air_temperature" ; t:units = "K" ;
          float ps(time, lat, lon) ; ps:standard_name = "surface_air_pressure" ; ps:units = "Pa" ;
        data:
        \(timesAndLevels)\(data("lat", lats, float: false))\(data("lon", lons, float: false))\(data("u", f.u))\(data("v", f.v))\(data("t", f.t))\(data("ps", f.ps))}
        """
    }

    /// The Lambert grid's node coordinates, row-major.
    static var nodes: (lats: [Double], lons: [Double]) {
        var lats: [Double] = [], lons: [Double] = []
        for j in 0..<lambert.ny { for i in 0..<lambert.nx { let p = lambert.location(i: i, j: j); lats.append(p.latitude); lons.append(p.longitude) } }
        return (lats, lons)
    }

    /// (b) Lambert with a CF grid_mapping (`centralMeridian` written, 110 for the true one), x/y
    /// relative to the projection origin (30° N, 110° E), 2-D lat/lon, x_wind/y_wind.
    static func lambertCDL(centralMeridian: Double = 110) -> String {
        let g = lambert
        let origin = g.project(latitude: 30, longitude: 110)
        let xs = (0..<g.nx).map { g.x0 + Double($0) * g.spacingM - origin.x }, ys = (0..<g.ny).map { g.y0 + Double($0) * g.spacingM - origin.y }
        let f = fields(nodes: g.nx * g.ny, wind: gridRelative)
        let (lats, lons) = nodes
        return """
        netcdf lambert {
        dimensions: time = 2 ; lev = 3 ; y = 40 ; x = 40 ;
        variables:
        \(header)  double y(y) ; y:standard_name = "projection_y_coordinate" ; y:units = "m" ;
          double x(x) ; x:standard_name = "projection_x_coordinate" ; x:units = "m" ;
          double lat(y, x) ; lat:standard_name = "latitude" ; lat:units = "degrees_north" ;
          double lon(y, x) ; lon:standard_name = "longitude" ; lon:units = "degrees_east" ;
          int crs ; crs:grid_mapping_name = "lambert_conformal_conic" ; crs:standard_parallel = 30. ;
            crs:longitude_of_central_meridian = \(centralMeridian) ; crs:latitude_of_projection_origin = 30. ; crs:earth_radius = 6371200. ;
          float u(time, lev, y, x) ; u:standard_name = "x_wind" ; u:units = "m s-1" ; u:grid_mapping = "crs" ; u:coordinates = "lat lon" ;
          float v(time, lev, y, x) ; v:standard_name = "y_wind" ; v:units = "m s-1" ; v:grid_mapping = "crs" ; v:coordinates = "lat lon" ;
          float t(time, lev, y, x) ; t:standard_name = "air_temperature" ; t:units = "K" ; t:grid_mapping = "crs" ;
          float ps(time, y, x) ; ps:standard_name = "surface_air_pressure" ; ps:units = "Pa" ; ps:grid_mapping = "crs" ;
        data:
        \(timesAndLevels)  crs = 0 ;
        \(data("y", ys, float: false))\(data("x", xs, float: false))\(data("lat", lats, float: false))\(data("lon", lons, float: false))\(data("u", f.u))\(data("v", f.v))\(data("t", f.t))\(data("ps", f.ps))}
        """
    }

    /// (c) Curvilinear: NCL-style `gridlat_0`/`gridlon_0` (float) on dims without coordinate
    /// variables, winds named `UGRD`/`VGRD` with no standard_name (grid-relative).
    static func curvilinearCDL(lats: [Double]? = nil, lons: [Double]? = nil, nx: Int = 40, ny: Int = 40, earthRelative: Bool = false,
                               hours: [Int] = [0, 24]) -> String {
        let (la, lo) = nodes
        let f = fields(nodes: nx * ny, times: hours.count) { n in
            guard nx == 40 && ny == 40 else { return (5, 0) }
            guard earthRelative else { return gridRelative(n) }
            let w = flow.wind(latitude: la[n], longitude: lo[n], radius: MapProjection.earthRadius)
            return (w.u, w.v)
        }
        let standard = earthRelative ? ("UGRD:standard_name = \"eastward_wind\" ;", "VGRD:standard_name = \"northward_wind\" ;") : ("", "")
        return """
        netcdf curvilinear {
        dimensions: time = \(hours.count) ; lev = 3 ; ygrid_0 = \(ny) ; xgrid_0 = \(nx) ;
        variables:
        \(header)  float gridlat_0(ygrid_0, xgrid_0) ; gridlat_0:units = "degrees_north" ; gridlat_0:_FillValue = -999.f ;
          float gridlon_0(ygrid_0, xgrid_0) ; gridlon_0:units = "degrees_east" ; gridlon_0:_FillValue = -999.f ;
          float UGRD(time, lev, ygrid_0, xgrid_0) ; UGRD:units = "m/s" ; UGRD:coordinates = "gridlat_0 gridlon_0" ; \(standard.0)
          float VGRD(time, lev, ygrid_0, xgrid_0) ; VGRD:units = "m/s" ; VGRD:coordinates = "gridlat_0 gridlon_0" ; \(standard.1)
          float TMP(time, lev, ygrid_0, xgrid_0) ; TMP:units = "K" ;
          float PRES_surface(time, ygrid_0, xgrid_0) ; PRES_surface:units = "Pa" ;
        data:
          time = \(hours.map(String.init).joined(separator: ", ")) ;
          lev = 1000, 850, 500 ;
        \(data("gridlat_0", lats ?? la))\(data("gridlon_0", lons ?? lo))\(data("UGRD", f.u))\(data("VGRD", f.v))\(data("TMP", f.t))\(data("PRES_surface", f.ps))}
        """
    }
}

@Suite("CF reader: curvilinear grids (2-D latitude/longitude)")
struct CurvilinearReaderTests {
    @Test("the same flow written three ways (lat-lon, Lambert + grid_mapping, curvilinear): 24-h trajectories agree within 0.1 km")
    func threeWays() throws {
        let dir = try TemporaryDirectory()
        let latlon = try MetDataset(paths: [try dir.ncgen("latlon", cdl: ThreeWays.latLonCDL())])
        let lambert = try MetDataset(paths: [try dir.ncgen("lambert", cdl: ThreeWays.lambertCDL())])
        let curvi = try MetDataset(paths: [try dir.ncgen("curvilinear", cdl: ThreeWays.curvilinearCDL())])
        // The grid mapping off by 1° of longitude: the coordinates win.
        let shifted = try MetDataset(paths: [try dir.ncgen("shifted", cdl: ThreeWays.lambertCDL(centralMeridian: 111))])
        // The curvilinear grid with earth-relative (eastward/northward) winds.
        let earth = try MetDataset(paths: [try dir.ncgen("earth", cdl: ThreeWays.curvilinearCDL(earthRelative: true))])
        #expect(earth.projection?.name == "curvilinear" && !earth.gridRelativeWinds)
        #expect(latlon.projection == nil)
        #expect(lambert.projection?.name == "lambert_conformal" && lambert.gridRelativeWinds && lambert.gridNote == nil)
        #expect(curvi.projection?.name == "curvilinear" && curvi.gridRelativeWinds && curvi.gridNote == nil)
        #expect(curvi.curvilinearCoordinates?.latitude == "gridlat_0" && curvi.curvilinearCoordinates?.longitude == "gridlon_0")
        #expect(shifted.projection?.name == "curvilinear" && shifted.gridNote?.contains("disagrees") == true, "\(shifted.gridNote ?? "no note")")

        let starts = [(35.0, 110.0), (33.5, 107.0), (37.0, 112.0), (33.0, 112.0), (36.5, 107.5)].map {
            TrajectoryStart(site: "S", latitude: $0.0, longitude: $0.1, height: 1500, time: ThreeWays.t0)
        }
        let options = TrajectoryOptions(hours: 24, verticalMode: .isobaric)
        var runs: [(String, [Trajectory])] = []
        for (name, met) in [("lat-lon", latlon), ("Lambert", lambert), ("curvilinear", curvi), ("shifted mapping", shifted),
                            ("curvilinear, earth-relative winds", earth)] {
            let run = try TrajectoryEngine(field: try MetWindField(met), options: options).run(starts)
            for tr in run.trajectories { #expect(tr.termination.reason == .completed, "\(name): \(tr.termination)") }
            runs.append((name, run.trajectories))
        }
        var report: [String] = []
        for a in 0..<runs.count {
            for b in (a + 1)..<runs.count {
                var worst = 0.0
                for (ta, tb) in zip(runs[a].1, runs[b].1) {
                    #expect(ta.endpoints.count == tb.endpoints.count)
                    for (ea, eb) in zip(ta.endpoints, tb.endpoints) { worst = max(worst, km((ea.latitude, ea.longitude), (eb.latitude, eb.longitude))) }
                }
                #expect(worst < 0.1, "\(runs[a].0) vs \(runs[b].0): \(worst) km")
                report.append(String(format: "%@ vs %@: %.4f km", runs[a].0, runs[b].0, worst))
            }
        }
        // And the exact answer (the three grids' interpolation error, not the reader's).
        var exact = 0.0
        for (s, tr) in zip(starts, runs[2].1) {
            guard let last = tr.endpoints.last else { continue }
            let p = ThreeWays.flow.position(latitude: s.latitude, longitude: s.longitude, seconds: 86_400)
            exact = max(exact, km((last.latitude, last.longitude), (p.latitude, p.longitude)))
        }
        #expect(exact < 1, "curvilinear vs exact: \(exact) km")
        print("three ways, 24-h trajectories, max endpoint differences: " + report.joined(separator: "; ") + String(format: "; curvilinear vs exact %.3f km", exact))
    }

    @Test("inspect reports a curvilinear grid (JSON keys and text); a disagreeing grid_mapping is reported")
    func inspect() throws {
        let dir = try TemporaryDirectory()
        let curvi = try MetDataset(paths: [try dir.ncgen("curvilinear", cdl: ThreeWays.curvilinearCDL())])
        let json = try MetInspection(curvi, scan: false).json(pretty: false)
        let (lats, lons) = ThreeWays.nodes
        let latMin = Double(Float(lats.min() ?? 0)), latMax = Double(Float(lats.max() ?? 0))
        let lonMin = Double(Float(lons.min() ?? 0)), lonMax = Double(Float(lons.max() ?? 0))
        #expect(json.contains(#""grid":{"kind":"curvilinear","shape":[40,40],"latitude":{"min":"#), "\(json)")
        #expect(json.contains(#""moving":false"#) && json.contains(#""coordinates":{"latitude":"gridlat_0","longitude":"gridlon_0"}"#))
        #expect(json.contains(#""winds":"grid-relative","wind_angle":"coordinates","note":null"#))
        guard case .curvilinear(let g) = curvi.projection else {
            Issue.record("not curvilinear: \(String(describing: curvi.projection?.name))")
            return
        }
        #expect(abs(g.latitudeRange.min - latMin) < 1e-9 && abs(g.latitudeRange.max - latMax) < 1e-9, "\(g.latitudeRange) vs \(latMin)…\(latMax)")
        #expect(abs(g.longitudeRange.min - lonMin) < 1e-6 && abs(g.longitudeRange.max - lonMax) < 1e-6, "\(g.longitudeRange) vs \(lonMin)…\(lonMax)")
        let text = try MetInspection(curvi, scan: false).summary
        #expect(text.contains("grid:       curvilinear 40×40 from 2-D 'gridlat_0'/'gridlon_0', fixed, grid-relative winds"), "\(text)")
        let shifted = try MetDataset(paths: [try dir.ncgen("shifted", cdl: ThreeWays.lambertCDL(centralMeridian: 111))])
        let note = try MetInspection(shifted, scan: false)
        #expect(note.summary.contains("note:       the grid_mapping 'crs' disagrees with the 2-D coordinates 'lat'/'lon' by up to"), "\(note.summary)")
        #expect(note.json(pretty: false).contains(#""note":"the grid_mapping 'crs' disagrees"#))
    }

    @Test("a grid_mapping Upwind does not project gives way to the 2-D coordinates; without them it is refused")
    func unsupportedMapping() throws {
        let dir = try TemporaryDirectory()
        let tm = ThreeWays.lambertCDL().replacingOccurrences(of: "lambert_conformal_conic", with: "transverse_mercator")
        let met = try MetDataset(paths: [try dir.ncgen("tm", cdl: tm)])
        #expect(met.projection?.name == "curvilinear")
        #expect(met.gridNote?.contains("'crs' (transverse_mercator) is not one Upwind projects") == true, "\(met.gridNote ?? "")")
        let bare = tm.replacingOccurrences(of: #"u:coordinates = "lat lon" ;"#, with: "").replacingOccurrences(of: #"v:coordinates = "lat lon" ;"#, with: "")
            .replacingOccurrences(of: "double lat(y, x) ; lat:standard_name = \"latitude\" ; lat:units = \"degrees_north\" ;", with: "")
            .replacingOccurrences(of: "double lon(y, x) ; lon:standard_name = \"longitude\" ; lon:units = \"degrees_east\" ;", with: "")
        let trimmed = bare.components(separatedBy: "\n").filter { !$0.hasPrefix("  lat = ") && !$0.hasPrefix("  lon = ") }.joined(separator: "\n")
        #expect { try MetDataset(paths: [try dir.ncgen("tm_bare", cdl: trimmed)]) } throws: { e in
            guard case MetError.unsupportedGrid(_, let d) = e else { return false }
            return d.contains("transverse_mercator") && d.contains("not supported")
        }
    }

    @Test("bad 2-D coordinates: a fill value, a fold, a repeated point — each named with the variables and the node or cell")
    func badCoordinates() throws {
        let dir = try TemporaryDirectory()
        func grid(_ edit: (inout [Double], inout [Double]) -> Void) -> String {
            var lats: [Double] = [], lons: [Double] = []
            for j in 0..<4 { for i in 0..<5 { lats.append(30 + 0.5 * Double(j)); lons.append(110 + 0.5 * Double(i)) } }
            edit(&lats, &lons)
            return ThreeWays.curvilinearCDL(lats: lats, lons: lons, nx: 5, ny: 4)
        }
        func message(_ name: String, _ cdl: String) throws -> String {
            do {
                _ = try MetDataset(paths: [try dir.ncgen(name, cdl: cdl)])
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let fill = try message("fill", grid { lats, _ in lats[2 * 5 + 3] = -999 })
        #expect(fill.contains("'gridlat_0'/'gridlon_0'") && fill.contains("node (i 3, j 2) has latitude nan"), "\(fill)")
        let fold = try message("fold", grid { _, lons in lons.swapAt(5 + 1, 5 + 2) })
        #expect(fold.contains("folds at cell (i "), "\(fold)")
        let repeated = try message("repeated", grid { lats, lons in lats[7] = lats[8]; lons[7] = lons[8] })
        #expect(repeated.contains("(i 2, j 1) and (i 3, j 1) are the same point"), "\(repeated)")
        // A good grid of the same shape reads.
        #expect(try message("good", grid { _, _ in }) == "no error")
    }

    @Test("2-D coordinates with a time dimension: constant ones are read, changing ones (a moving nest) are refused by name")
    func timeDimension() throws {
        let dir = try TemporaryDirectory()
        var lats: [Double] = [], lons: [Double] = []
        for j in 0..<4 { for i in 0..<5 { lats.append(30 + 0.5 * Double(j)); lons.append(110 + 0.5 * Double(i)) } }
        func cdl(shift: Double) -> String {
            ThreeWays.curvilinearCDL(lats: lats, lons: lons, nx: 5, ny: 4)
                .replacingOccurrences(of: "gridlat_0(ygrid_0, xgrid_0)", with: "gridlat_0(time, ygrid_0, xgrid_0)")
                .replacingOccurrences(of: "gridlon_0(ygrid_0, xgrid_0)", with: "gridlon_0(time, ygrid_0, xgrid_0)")
                .replacingOccurrences(of: ThreeWays.data("gridlat_0", lats), with: ThreeWays.data("gridlat_0", lats + lats.map { $0 + shift }))
                .replacingOccurrences(of: ThreeWays.data("gridlon_0", lons), with: ThreeWays.data("gridlon_0", lons + lons))
        }
        let fixed = try MetDataset(paths: [try dir.ncgen("fixed", cdl: cdl(shift: 0))])
        #expect(fixed.projection?.name == "curvilinear" && fixed.grid.nx == 5 && fixed.grid.ny == 4)
        #expect { try MetDataset(paths: [try dir.ncgen("moving", cdl: cdl(shift: 0.1))]) } throws: { e in
            guard case MetError.unsupportedGrid(_, let d) = e else { return false }
            return d.contains("'gridlat_0' changes along 'time'") && d.contains("moving grid")
        }
    }

    @Test("a dataset of several files on one curvilinear grid reads as one (the grid shared); a file on another grid is refused")
    func severalFiles() throws {
        let dir = try TemporaryDirectory()
        let a = try dir.ncgen("day1", cdl: ThreeWays.curvilinearCDL(hours: [0]))
        let b = try dir.ncgen("day2", cdl: ThreeWays.curvilinearCDL(hours: [24]))
        let met = try MetDataset(paths: [a, b])
        #expect(met.times.count == 2 && met.projection?.name == "curvilinear")
        let one = try MetDataset(paths: [try dir.ncgen("both", cdl: ThreeWays.curvilinearCDL())])
        #expect(met.projection == one.projection)
        let start = TrajectoryStart(site: "S", latitude: 35, longitude: 110, height: 1500, time: ThreeWays.t0)
        let options = TrajectoryOptions(hours: 24, verticalMode: .isobaric)
        let split = try TrajectoryEngine(field: try MetWindField(met), options: options).run([start]).trajectories[0]
        let whole = try TrajectoryEngine(field: try MetWindField(one), options: options).run([start]).trajectories[0]
        #expect(split.endpoints.count == 25 && zip(split.endpoints, whole.endpoints).allSatisfy { $0.latitude == $1.latitude && $0.longitude == $1.longitude })
        // The second file's grid moved by 0.01°.
        let (lats, lons) = ThreeWays.nodes
        let moved = try dir.ncgen("moved", cdl: ThreeWays.curvilinearCDL(lats: lats.map { $0 + 0.01 }, lons: lons, hours: [24]))
        #expect { try MetDataset(paths: [a, moved]) } throws: { e in
            guard case MetError.gridMismatch = e else { return false }
            return true
        }
    }

    @Test("conversion to ARL refuses a curvilinear grid with a clear message")
    func convertRefused() throws {
        let dir = try TemporaryDirectory()
        let met = try MetDataset(paths: [try dir.ncgen("curvilinear", cdl: ThreeWays.curvilinearCDL())])
        #expect { try GriddedMetSource(met: met) } throws: { e in
            guard case MetWriteError.unconvertible(_, let d) = e else { return false }
            return d.contains("curvilinear grid") && d.contains("regrid")
        }
    }

    @Test("a trajectory leaving the curvilinear grid ends with leftDomain; a start outside is refused")
    func leftDomain() throws {
        let dir = try TemporaryDirectory()
        let field = try MetWindField(try MetDataset(paths: [try dir.ncgen("curvilinear", cdl: ThreeWays.curvilinearCDL())]))
        // Starts three cells inside each edge: the flow carries at least one out within 24 h.
        let starts = [(3, 20), (36, 20), (20, 3), (20, 36)].map { ij -> TrajectoryStart in
            let p = field.grid.location(i: ij.0, j: ij.1)
            return TrajectoryStart(site: "E", latitude: p.latitude, longitude: p.longitude, height: 1500, time: ThreeWays.t0)
        }
        let run = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 24, verticalMode: .isobaric)).run(starts)
        #expect(run.trajectories.allSatisfy { $0.termination.reason == .completed || $0.termination.reason == .leftDomain })
        let left = run.trajectories.filter { $0.termination.reason == .leftDomain }
        #expect(!left.isEmpty && left.allSatisfy { $0.endpoints.count < 25 })
        #expect(throws: TrajectoryError.self) {
            try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 24, verticalMode: .isobaric))
                .run([TrajectoryStart(site: "O", latitude: 10, longitude: 80, height: 1500, time: ThreeWays.t0)])
        }
    }
}
