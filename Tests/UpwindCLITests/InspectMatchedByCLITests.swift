import Foundation
import Testing
import UpwindTestSupport

@Suite("upwind inspect: matched_by per role, assumed units, ambiguity")
struct InspectMatchedByCLITests {
    /// The `variables` object of `upwind inspect PATH --json --no-scan ARGS`.
    func variables(_ path: String, _ extra: [String] = []) throws -> [String: Any] {
        let r = try CLI.run(["inspect", path, "--json", "--no-scan"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return try #require(object["variables"] as? [String: Any])
    }

    func role(_ variables: [String: Any], _ key: String) -> [String: Any] { variables[key] as? [String: Any] ?? [:] }

    @Test("matched_by is standard_name, name, long_name or map; units_assumed only where the name gave the units")
    func matchedBy() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-cli")
        let grads = try variables(Fixtures.met("grads_model_1987.nc"))
        #expect(role(grads, "u")["matched_by"] as? String == "standard_name" && role(grads, "u")["name"] as? String == "u")
        #expect(role(grads, "surface_pressure")["matched_by"] as? String == "name")
        #expect(role(grads, "u")["units_assumed"] == nil)

        let arl = try variables(dir.ncgen("metnames_arl"))
        #expect(role(arl, "u")["name"] as? String == "UWND" && role(arl, "u")["matched_by"] as? String == "name")
        #expect(role(arl, "w")["units"] as? String == "hPa s-1" && role(arl, "w")["units_assumed"] as? Bool == true && role(arl, "w")["kind"] as? String == "omega")
        #expect(role(arl, "temperature")["name"] as? String == "TEMP" && role(arl, "temperature")["units_assumed"] == nil)

        let long = try variables(dir.ncgen("metnames_longname"))
        #expect(role(long, "u")["name"] as? String == "var131" && role(long, "u")["matched_by"] as? String == "long_name")

        let mapped = try variables(dir.path("metnames_arl.nc"), ["--map", "u=UWND", "--map", "v=VWND"])
        #expect(role(mapped, "u")["matched_by"] as? String == "map" && role(mapped, "v")["matched_by"] as? String == "map")
        #expect(role(mapped, "v")["name"] as? String == "VWND" && role(mapped, "w")["matched_by"] as? String == "name")

        let text = try CLI.run(["inspect", dir.path("metnames_arl.nc"), "--no-scan"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("WWND [hPa s-1, assumed from the name] (omega), by name"), "\(text.stdout)")
    }

    @Test("two variables for one role: exit 1, one line naming both and the --map that settles it")
    func ambiguous() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-cli")
        let cdl = try Fixtures.cdl("metnames_arl").replacingOccurrences(of: "VWND", with: "uwnd")
        let path = try dir.ncgen("two_u", cdl: cdl)
        let r = try CLI.run(["inspect", path, "--json"])
        #expect(r.status == 1 && r.stdout.isEmpty)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains(path) && r.stderr.contains("'UWND'") && r.stderr.contains("'uwnd'") && r.stderr.contains("--map u="), "\(r.stderr)")
    }
}
