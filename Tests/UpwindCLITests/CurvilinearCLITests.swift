import Foundation
import Testing
import UpwindTestSupport

@Suite("upwind inspect and trajectories on a curvilinear grid")
struct CurvilinearCLITests {
    /// A post-processed-WRF-like file: `XLAT`/`XLONG` (time, south_north, west_east), constant in
    /// time, on a 12 × 10 grid turned 20° from east, `COSALPHA`/`SINALPHA`, and grid-relative
    /// `U`/`V` that are a 10 m/s westerly on earth.
    static func cdl() -> String {
        let nx = 12, ny = 10, theta = 20.0 * Double.pi / 180
        var lats: [String] = [], lons: [String] = []
        for j in 0..<ny {
            for i in 0..<nx {
                let x = 0.6 * (Double(i) - 5.5), y = 0.6 * (Double(j) - 4.5)
                let east = x * cos(theta) - y * sin(theta), north = x * sin(theta) + y * cos(theta)
                lats.append("\(35 + north)"); lons.append("\(110 + east / cos(35 * Double.pi / 180))")
            }
        }
        func repeated(_ value: Double, _ count: Int) -> String { Array(repeating: "\(value)", count: count).joined(separator: ", ") }
        let plane = nx * ny
        // Earth (10, 0) in the grid frame: u = 10 cos α, v = −10 sin α.
        let u = repeated(10 * cos(theta), 2 * 3 * plane), v = repeated(-10 * sin(theta), 2 * 3 * plane)
        return """
        netcdf wrf_post {
        dimensions: time = 2 ; lev = 3 ; south_north = \(ny) ; west_east = \(nx) ;
        variables:
          double time(time) ; time:standard_name = "time" ; time:units = "hours since 2021-03-01 00:00:00" ;
          double lev(lev) ; lev:standard_name = "air_pressure" ; lev:units = "hPa" ;
          float XLAT(time, south_north, west_east) ; XLAT:units = "degree_north" ;
          float XLONG(time, south_north, west_east) ; XLONG:units = "degree_east" ;
          float COSALPHA(time, south_north, west_east) ;
          float SINALPHA(time, south_north, west_east) ;
          float U(time, lev, south_north, west_east) ; U:units = "m s-1" ; U:coordinates = "XLONG XLAT" ;
          float V(time, lev, south_north, west_east) ; V:units = "m s-1" ; V:coordinates = "XLONG XLAT" ;
          float T(time, lev, south_north, west_east) ; T:units = "K" ;
          float PSFC(time, south_north, west_east) ; PSFC:units = "Pa" ;
        data:
          time = 0, 6 ;
          lev = 1000, 850, 500 ;
          XLAT = \((lats + lats).joined(separator: ", ")) ;
          XLONG = \((lons + lons).joined(separator: ", ")) ;
          COSALPHA = \(repeated(cos(theta), 2 * plane)) ;
          SINALPHA = \(repeated(sin(theta), 2 * plane)) ;
          U = \(u) ;
          V = \(v) ;
          T = \(repeated(280, 2 * 3 * plane)) ;
          PSFC = \(repeated(101_325, 2 * plane)) ;
        }
        """
    }

    @Test("inspect --json and text say curvilinear; a 6-h trajectory in the turned grid's westerly runs due east")
    func curvilinear() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-curvi")
        let met = try dir.ncgen("wrf_post", cdl: Self.cdl())
        let r = try CLI.run(["inspect", met, "--json", "--no-scan"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let grid = try #require(object["grid"] as? [String: Any])
        #expect(grid["kind"] as? String == "curvilinear" && grid["shape"] as? [Int] == [10, 12] && grid["moving"] as? Bool == false)
        let lat = try #require(grid["latitude"] as? [String: Double]), lon = try #require(grid["longitude"] as? [String: Double])
        let latMin = try #require(lat["min"]), latMax = try #require(lat["max"]), lonMin = try #require(lon["min"]), lonMax = try #require(lon["max"])
        #expect(latMin > 31 && latMin < 32 && latMax > 38 && latMax < 39 && lonMin > 104 && lonMin < 106 && lonMax > 114 && lonMax < 116)
        #expect(grid["wind_angle"] as? String == "COSALPHA/SINALPHA" && grid["winds"] as? String == "grid-relative")
        #expect((grid["coordinates"] as? [String: String]) == ["latitude": "XLAT", "longitude": "XLONG"])
        let text = try CLI.run(["inspect", met, "--no-scan"])
        #expect(text.stdout.contains("grid:       curvilinear 12×10 from 2-D 'XLAT'/'XLONG', fixed, grid-relative winds turned with the local grid angle from COSALPHA/SINALPHA"), "\(text.stdout)")

        let out = dir.path("t.csv")
        let t = try CLI.run(["trajectories", "--met", met, "--start", "35,109,1500", "--time", "2021-03-01T00:00:00Z", "--hours", "6",
                             "--vertical", "isobaric", "--out", out])
        #expect(t.status == 0, "\(t.stderr)")
        let last = try #require(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").last)
            .split(separator: ",", omittingEmptySubsequences: false)
        let endLat = try #require(Double(last[9])), endLon = try #require(Double(last[10]))
        // 10 m/s due east for 6 h: 216 km along the 35th parallel (the angle is COSALPHA/SINALPHA's, exactly).
        let expected = 109 + 216 / (6371 * cos(35 * Double.pi / 180)) * 180 / Double.pi
        #expect(abs(endLat - 35) < 1e-3 && abs(endLon - expected) < 2e-3, "\(endLat), \(endLon) vs 35, \(expected)")
        #expect(last.last == "completed")
    }
}
