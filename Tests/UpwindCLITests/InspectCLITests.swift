import Foundation
import Testing
import UpwindTestSupport

@Suite("upwind inspect")
struct InspectCLITests {
    let grads = Fixtures.root.appendingPathComponent("met/grads_model_1987.nc").path

    @Test("--json gives the contract's keys and values for grads_model_1987.nc")
    func json() throws {
        let r = try CLI.run(["inspect", grads, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let grid = try #require(object["grid"] as? [String: Any])
        #expect(grid["kind"] as? String == "latlon")
        let lon = try #require(grid["longitude"] as? [String: Any])
        #expect(lon["first"] as? Double == 0 && lon["last"] as? Double == 355 && lon["count"] as? Int == 72)
        #expect(lon["step"] as? Double == 5 && lon["global"] as? Bool == true)
        let lat = try #require(grid["latitude"] as? [String: Any])
        #expect(lat["first"] as? Double == -90 && lat["last"] as? Double == 90 && lat["count"] as? Int == 46 && lat["step"] as? Double == 4)
        let vertical = try #require(object["vertical"] as? [String: Any])
        #expect(vertical["kind"] as? String == "pressure" && vertical["units"] as? String == "hPa")
        #expect(vertical["levels"] as? [Double] == [1000, 850, 700, 500, 300, 200, 100])
        let time = try #require(object["time"] as? [String: Any])
        #expect(time["first"] as? String == "1987-01-02T00:00:00Z" && time["last"] as? String == "1987-01-06T00:00:00Z")
        #expect(time["count"] as? Int == 5 && time["step_seconds"] as? Int == 86400)
        let variables = try #require(object["variables"] as? [String: Any])
        for key in ["u", "v", "w", "geopotential", "geopotential_height", "temperature", "surface_pressure", "orography", "boundary_layer_height"] {
            #expect(variables.keys.contains(key), "variables.\(key) missing")
        }
        #expect((variables["u"] as? [String: Any])?["name"] as? String == "u")
        #expect((variables["u"] as? [String: Any])?["units"] as? String == "m s-1")
        #expect(variables["w"] is NSNull)
        #expect((variables["geopotential_height"] as? [String: Any])?["name"] as? String == "z")
        #expect((variables["surface_pressure"] as? [String: Any])?["units"] as? String == "hPa")
        #expect(object["missing_values"] as? Int == 24_072)
        #expect(r.stderr.isEmpty)
    }

    @Test("--no-scan reports missing_values as null; the summary is human-readable")
    func noScan() throws {
        let r = try CLI.run(["inspect", grads, "--json", "--no-scan"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["missing_values"] is NSNull)
        let text = try CLI.run(["inspect", grads])
        #expect(text.status == 0)
        #expect(text.stdout.contains("1987-01-02T00:00:00Z") && text.stdout.contains("global"))
    }

    @Test("bad data: one line on stderr, nothing on stdout, exit 1")
    func badData() throws {
        for args in [["inspect", "/nonexistent/met.nc"], ["inspect", "/"], ["inspect", Fixtures.root.appendingPathComponent("cdl/README.md").path]] {
            let r = try CLI.run(args)
            #expect(r.status == 1, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
    }

    @Test("bad usage: one line on stderr, nothing on stdout, exit 2")
    func badUsage() throws {
        for args in [["inspect"], ["inspect", grads, "--frobnicate"], ["frobnicate"], ["inspect", grads, "--map", "wind=u"]] {
            let r = try CLI.run(args)
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        let help = try CLI.run(["inspect", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--json"))
    }
}

@Suite("upwind inspect on bad layouts")
struct InspectBadLayoutTests {
    @Test("refused layouts: one line on stderr naming the file, exit 1",
          arguments: [("calendar_360", "360_day"), ("no_wind", "--map"),
                      ("time_duplicate", "2020-01-01T01:00:00Z"), ("time_nonmonotonic", "not increasing")])
    func refused(name: String, phrase: String) throws {
        let dir = try TemporaryDirectory(prefix: "upwind-cli")
        let nc = dir.path(name + ".nc")
        try NCGen.run(cdlFile: Fixtures.path("cdl/\(name).cdl"), output: nc)
        let r = try CLI.run(["inspect", nc, "--json"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains(nc) && r.stderr.contains(phrase), "\(r.stderr)")
    }
}
