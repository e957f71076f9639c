import Foundation
import Testing
import UpwindTestSupport

@Suite("upwind inspect, trajectories and convert-met on WRF ARW output")
struct WRFCLITests {
    let real = Fixtures.met("wrf_ci_test_file.nc")

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("inspect --json on the real moving nest: projected Mercator grid with moving, shape, latitude/longitude ranges; WRF η as σ with native wrf_eta")
    func inspectRealJSON() throws {
        let r = try CLI.run(["inspect", real, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try Self.object(r.stdout)
        let grid = try #require(o["grid"] as? [String: Any])
        #expect(grid["kind"] as? String == "projected" && grid["moving"] as? Bool == true && grid["shape"] as? [Int] == [48, 48])
        #expect((grid["projection"] as? [String: Any])?["name"] as? String == "mercator" && grid["map_proj"] as? Int == 3)
        #expect((grid["x"] as? [String: Any])?["count"] as? Int == 63 && (grid["y"] as? [String: Any])?["count"] as? Int == 60)
        let lat = try #require(grid["latitude"] as? [String: Any]), lon = try #require(grid["longitude"] as? [String: Any])
        #expect(abs((lat["min"] as? Double ?? 0) - 21.804) < 0.001 && abs((lat["max"] as? Double ?? 0) - 26.642) < 0.001)
        #expect(abs((lon["min"] as? Double ?? 0) + 93.003) < 0.001 && abs((lon["max"] as? Double ?? 0) + 87.426) < 0.001)
        #expect((grid["fit_error_m"] as? Double ?? .infinity) < 2)
        let vertical = try #require(o["vertical"] as? [String: Any])
        #expect(vertical["kind"] as? String == "sigma" && vertical["native"] as? String == "wrf_eta" && vertical["pressure"] as? String == "P+PB")
        #expect((vertical["levels"] as? [Double])?.count == 14 && vertical["eta_from_file"] as? Bool == false && vertical["top_hpa"] is NSNull)
        let time = try #require(o["time"] as? [String: Any])
        #expect(time["first"] as? String == "2005-08-28T12:00:00Z" && time["count"] as? Int == 4 && time["step_seconds"] as? Int == 10_800)
        let variables = try #require(o["variables"] as? [String: Any])
        #expect((variables["u"] as? [String: Any])?["name"] as? String == "U" && (variables["u"] as? [String: Any])?["matched_by"] as? String == "name")
        #expect((variables["w"] as? [String: Any])?["kind"] as? String == "w" && variables["boundary_layer_height"] is NSNull)
        #expect(o["format"] as? String == "wrf" && o["missing_values"] as? Int == 0)
    }

    @Test("inspect text on the real file names the moving nest, its offsets and the native vertical coordinate")
    func inspectRealText() throws {
        let r = try CLI.run(["inspect", real])
        #expect(r.status == 0, "\(r.stderr)")
        for phrase in ["WRF ARW output, MAP_PROJ 3 (Mercator), 48×48 mass points", "moving:     yes", "(15,0) (9,3) (6,9) (0,12) in a 63×60 union",
                       "WRF terrain-following eta, 14 mass levels", "pressure P+PB per node", "2005-08-28T12:00:00Z … 2005-08-28T21:00:00Z, 4 times, every 3 h"] {
            #expect(r.stdout.contains(phrase), "missing '\(phrase)' in:\n\(r.stdout)")
        }
    }

    @Test("inspect --json on the fixed Lambert fixture: moving false, ZNU levels, P_TOP")
    func inspectFixture() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-cli")
        let nc = try dir.ncgen("wrf_analytic")
        let o = try Self.object(try CLI.run(["inspect", nc, "--json"]).stdout)
        let grid = try #require(o["grid"] as? [String: Any])
        #expect(grid["kind"] as? String == "projected" && grid["moving"] as? Bool == false && grid["shape"] as? [Int] == [10, 12])
        #expect((grid["projection"] as? [String: Any])?["name"] as? String == "lambert_conformal")
        let vertical = try #require(o["vertical"] as? [String: Any])
        #expect(vertical["levels"] as? [Double] == [0.9375, 0.75, 0.5] && vertical["eta_from_file"] as? Bool == true && vertical["top_hpa"] as? Double == 50)
    }

    @Test("a curvilinear WRF grid reports grid.kind curvilinear with shape, ranges and moving false")
    func inspectCurvilinear() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-cli")
        let cdl = try Fixtures.cdl("wrf_analytic").replacingOccurrences(of: ":STAND_LON = 113.0f", with: ":STAND_LON = 112.0f")
        let nc = try dir.ncgen("wrf_analytic", as: "curvi.nc", cdl: cdl)
        let o = try Self.object(try CLI.run(["inspect", nc, "--json"]).stdout)
        let grid = try #require(o["grid"] as? [String: Any])
        #expect(grid["kind"] as? String == "curvilinear" && grid["shape"] as? [Int] == [10, 12] && grid["moving"] as? Bool == false)
        #expect((grid["latitude"] as? [String: Any])?["min"] is Double && (grid["longitude"] as? [String: Any])?["max"] is Double)
        #expect((grid["note"] as? String ?? "").contains("curvilinear"))
    }

    @Test("trajectories: a 3-h backward run on the moving nest completes (endpoints as in the closing note)")
    func trajectoriesReal() throws {
        let r = try CLI.run(["trajectories", "--met", real, "--start", "25.0,-89.5,500", "--time", "2005-08-28T21:00Z", "--hours", "-3", "--out", "-"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.count == 4 && rows.allSatisfy { $0.last == "completed" })
        #expect(rows.last.map { [$0[9], $0[10]] } == ["26.2645", "-91.3556"])
    }

    @Test("convert-met WRF → ARL: the ARL file gives the same trajectory as the WRF file (within 10 m)")
    func convertFixed() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-cli")
        let nc = try dir.ncgen("wrf_analytic")
        let arl = dir.path("wrf.arl")
        let c = try CLI.run(["convert-met", nc, arl, "--json"])
        #expect(c.status == 0, "\(c.stderr)")
        let summary = try Self.object(c.stdout)
        #expect(summary["vertical"] as? String == "hybrid" && summary["records"] as? Int == 36 && summary["times"] as? Int == 2)
        #expect((summary["notes"] as? [String] ?? []).contains { $0.contains("differ from P + PB by up to") })
        let args = ["--start", "33.5,111.5,1500", "--time", "2021-03-01T00:00Z", "--hours", "3", "--out", "-"]
        func last(_ met: String) throws -> (Double, Double) {
            let r = try CLI.run(["trajectories", "--met", met] + args)
            #expect(r.status == 0, "\(r.stderr)")
            let row = try #require(r.stdout.split(separator: "\n").last?.split(separator: ",").map(String.init))
            return (Double(row[9]) ?? .nan, Double(row[10]) ?? .nan)
        }
        let a = try last(nc), b = try last(arl)
        // 1e-4° ≈ 10 m: the CSV's 4 decimals and the ARL sphere's 82-m node shift at the far corner.
        #expect(abs(a.0 - b.0) <= 1e-4 && abs(a.1 - b.1) <= 1e-4, "\(a) vs \(b)")
    }

    @Test("convert-met refuses the moving nest with a clear message and writes nothing")
    func convertMovingRefused() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-cli")
        let out = dir.path("nest.arl")
        let r = try CLI.run(["convert-met", real, out])
        #expect(r.status == 1 && r.stdout.isEmpty)
        #expect(r.stderr.contains("moving nest") && r.stderr.contains("one fixed grid"), "\(r.stderr)")
        #expect(try dir.contents().isEmpty)
    }
}
