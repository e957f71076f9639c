import Foundation
import Testing
import Upwind
import UpwindTestSupport

/// The terminal experience (issue 12 item 4): no progress bar in pipes, a bar on a terminal
/// (under `script`, which gives the child a pseudo-terminal), `--quiet`, `--json` summaries whose
/// numbers match the files written, and errors that say what to do.
@Suite("Terminal experience")
struct TerminalCLITests {
    static let met = Fixtures.met("gdas_042.bin")
    /// Back trajectories from Montserrat at three heights, 12 h.
    static let trajectoryArguments = ["trajectories", "--met", met, "--start", "16.72,-62.18,500", "--start", "16.72,-62.18,1500",
                                      "--start", "16.72,-62.18,3000", "--time", "2010-02-12T12:00:00Z", "--hours", "-12"]

    /// The JSON object printed on standard output.
    static func object(_ r: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: r.stdoutData) as? [String: Any], "not a JSON object: \(r.stdout)")
    }

    /// Simple CSV rows (no quoted commas) as dictionaries.
    static func csvRows(_ path: String) throws -> [[String: String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    @Test("in a pipe: no progress bar, the summary on standard output; --quiet prints nothing and still writes the file")
    func pipesAndQuiet() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-terminal")
        let plain = try CLI.run(Self.trajectoryArguments + ["--out", dir.path("a.csv")])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stderr.isEmpty, "stderr in a pipe: \(plain.stderr.debugDescription)")
        #expect(!plain.stdout.contains("\r") && !plain.stdout.contains("\u{1B}"))
        #expect(plain.stdout.hasPrefix("3 trajectories, 3 completed"))
        let quiet = try CLI.run(Self.trajectoryArguments + ["--out", dir.path("b.csv"), "--quiet"])
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty)
        let a = try dir.read("a.csv"), b = try dir.read("b.csv")
        #expect(a == b)
        // Without --out the trajectories go to standard output and the summary to standard error; --quiet drops the summary only.
        let piped = try CLI.run(Self.trajectoryArguments + ["--quiet"])
        let written = try dir.read("a.csv")
        #expect(piped.status == 0 && piped.stderr.isEmpty && piped.stdout == written)
    }

    @Test("on a terminal: the sweep draws a bar on standard error and erases it; --quiet draws none", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func terminalBar() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-terminal-tty")
        let binary = try #require(CLI.binary)
        func underTerminal(_ extra: [String]) throws -> String {
            let command = ([binary.path] + Self.trajectoryArguments + extra).map { "'\($0)'" }.joined(separator: " ")
            let r = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/script"), ["-qfec", command, "/dev/null"])
            #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
            return r.stdout
        }
        let shown = try underTerminal(["--out", dir.path("tty.csv")])
        #expect(shown.contains("\r[##############################] 100 % ") && shown.contains("/3 trajectories, model time 2010-02-12T00:00:00Z"),
                "\(shown.debugDescription)")
        #expect(shown.contains("\r\u{1B}[K3 trajectories, 3 completed"), "the bar is erased before the summary: \(shown.debugDescription)")
        let quiet = try underTerminal(["--out", dir.path("tty2.csv"), "--quiet"])
        #expect(!quiet.contains("[#") && !quiet.contains("trajectories"), "\(quiet.debugDescription)")
    }

    @Test("trajectories --json: the counts are the file's, and --json needs --out")
    func trajectoriesJSON() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-terminal-json")
        let r = try CLI.run(Self.trajectoryArguments + ["--out", dir.path("t.csv"), "--json"])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        let json = try Self.object(r)
        let rows = try Self.csvRows(dir.path("t.csv"))
        #expect(json["command"] as? String == "trajectories" && json["format"] as? String == "csv")
        #expect(json["trajectories"] as? Int == Set(rows.map { $0["trajectory"] ?? "" }).count)
        var byReason: [String: Int] = [:]
        for id in Set(rows.map { $0["trajectory"] ?? "" }) { byReason[rows.last { $0["trajectory"] == id }?["termination"] ?? "", default: 0] += 1 }
        #expect(json["terminated"] as? [String: Int] == byReason)
        #expect(json["skipped_starts"] as? Int == 0 && (json["seconds"] as? Double ?? -1) >= 0)
        #expect(json["output"] as? String == URL(fileURLWithPath: dir.path("t.csv")).standardized.path)
        let refused = try CLI.run(Self.trajectoryArguments + ["--json"])
        #expect(refused.status == 2 && refused.stdout.isEmpty)
        #expect(refused.stderr.contains("--json prints the summary on standard output") && refused.stderr.contains("add --out FILE"))
        #expect(refused.stderr.contains("(see 'upwind trajectories --help')"))
    }

    @Test("hotspots --json and pscf --json: events, cells, criterion, clusters and regions are what the output files hold")
    func analysisJSON() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-terminal-hotspots")
        // Two islands, 10 hourly values each; two square regions: the islands' box and one far east.
        let values = [20, 30, 90, 100, 40, 25, 80, 95, 35, 20]
        var obs = "site,latitude,longitude,time,value\n"
        for (site, lat, lon, shift) in [("Guadeloupe", 16.25, -61.58, 0), ("Antigua", 17.07, -61.80, 3)] {
            for h in 0..<10 { obs += "\(site),\(lat),\(lon),2010-02-12T0\(h):00:00Z,\(values[(h + shift) % 10])\n" }
        }
        try dir.write("obs.csv", obs)
        func square(_ id: String, _ s: Double, _ n: Double, _ w: Double, _ e: Double) -> String {
            #"{"type":"Feature","properties":{"id":"\#(id)","name":"\#(id)"},"geometry":{"type":"Polygon","coordinates":[[[\#(w),\#(s)],[\#(e),\#(s)],[\#(e),\#(n)],[\#(w),\#(n)],[\#(w),\#(s)]]]}}"#
        }
        try dir.write("regions.geojson", #"{"type":"FeatureCollection","features":["# + square("islands", 15.5, 18, -63.5, -60.5) + "," + square("east", 15, 18, -55, -50) + "]}")
        let r = try CLI.run(["hotspots", "--met", Self.met, "--observations", dir.path("obs.csv"), "--hotspot-threshold", "75", "--heights", "500",
                             "--hours", "-12", "--regions", dir.path("regions.geojson"), "--bootstrap", "0", "--clusters", "2", "--out", dir.path("hot"), "--json"])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        let json = try Self.object(r)
        #expect(json["command"] as? String == "hotspots")
        #expect(json["events"] as? Int == (try Self.csvRows(dir.path("hot/events.csv"))).count)
        #expect(json["trajectories"] as? Int == 20 && json["matched"] as? Int == 20 && json["skipped_starts"] as? Int == 0)
        #expect(json["cells"] as? Int == (try Self.csvRows(dir.path("hot/grid.csv"))).count)
        #expect(json["clusters"] as? Int == 2)
        let runJSON = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path("hot/run.json")))) as? [String: Any])
        let recorded = (runJSON["settings"] as? [String: Any])?["criterion_value"] as? Double
        // The PSCF criterion is the default p75 (the hotspot threshold only finds events): R's type 7 over the
        // 20 values (each island's ten) is 90, so the polluted arrivals are the 95 and 100 at each island.
        #expect(json["criterion_value"] as? Double == recorded && recorded == 90)
        #expect(json["polluted_trajectories"] as? Int == 4)
        let regions = try Self.csvRows(dir.path("hot/regions.csv"))
        let top = try #require(json["top_regions"] as? [[String: Any]])
        #expect(top.count == 2 && top.map { $0["id"] as? String } == regions.map { $0["id"] })
        #expect(top.first?["id"] as? String == "islands" && (top.first?["residence_h"] as? Double ?? 0) > 0)
        #expect(json["outside_home_share"] is NSNull && json["fires_matched"] is NSNull)
        let outputs = try #require(json["outputs"] as? [String])
        #expect(outputs.contains(URL(fileURLWithPath: dir.path("hot/regions.csv")).standardized.path))
        #expect(outputs.allSatisfy { FileManager.default.fileExists(atPath: $0) })

        // pscf on the trajectories hotspots wrote, criterion 75: the same cells, and 80, 90, 95 and 100 at each island polluted.
        let p = try CLI.run(["pscf", "--trajectories", dir.path("hot/trajectories.csv"), "--observations", dir.path("obs.csv"), "--criterion", "75",
                             "--out", dir.path("pscf"), "--json"])
        #expect(p.status == 0, "\(p.stderr)")
        let pj = try Self.object(p)
        #expect(pj["command"] as? String == "pscf" && pj["trajectories"] as? Int == 20 && pj["matched"] as? Int == 20 && pj["unmatched"] as? Int == 0)
        #expect(pj["cells"] as? Int == json["cells"] as? Int && pj["polluted_trajectories"] as? Int == 8 && pj["criterion_value"] as? Double == 75)
    }

    @Test("cluster --json and convert --json: sizes, counts and formats are the files'")
    func clusterAndConvertJSON() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-terminal-cluster")
        let t = try CLI.run(["trajectories", "--met", Self.met, "--start", "16.72,-62.18,500", "--start", "16.72,-62.18,1500",
                            "--start", "16.72,-62.18,3000", "--start", "15.41,-61.37,500", "--start", "17.07,-61.80,500", "--start", "17.30,-62.72,500",
                            "--time", "2010-02-12T12:00:00Z", "--hours", "-12", "--out", dir.path("back.csv"), "--quiet"])
        #expect(t.status == 0, "\(t.stderr)")
        let c = try CLI.run(["cluster", "--trajectories", dir.path("back.csv"), "--k", "3", "--out", dir.path("clusters"), "--json"])
        #expect(c.status == 0, "\(c.stderr)")
        let cj = try Self.object(c)
        let summary = try Self.csvRows(dir.path("clusters/cluster_summary.csv"))
        #expect(cj["clusters"] as? Int == 3 && cj["trajectories"] as? Int == 6 && cj["clustered"] as? Int == 6 && cj["distance"] as? String == "ward")
        #expect(cj["sizes"] as? [Int] == summary.map { Int($0["n"] ?? "") ?? -1 })
        #expect(cj["mean_values"] is NSNull && cj["matched"] is NSNull)

        let v = try CLI.run(["convert", dir.path("back.csv"), dir.path("back.tdump"), "--json"])
        #expect(v.status == 0, "\(v.stderr)")
        let vj = try Self.object(v)
        let endpoints = try Self.csvRows(dir.path("back.csv")).count
        #expect(vj["trajectories"] as? Int == 6 && vj["endpoints"] as? Int == endpoints && vj["from"] as? String == "csv" && vj["to"] as? String == "tdump")
    }

    @Test("errors say what to do: the subcommand's help, and how trajectories pair with observations when none did")
    func errors() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-terminal-errors")
        let usage = try CLI.run(["cluster", "--trajectories", "x.csv", "--out", dir.path("o"), "--k", "many"])
        #expect(usage.status == 2 && usage.stderr.contains("--k must be") && usage.stderr.contains("(see 'upwind cluster --help')"))
        try dir.write("obs.csv", "site,latitude,longitude,time,value\nFar,10,10,2010-02-12T00:00:00Z,5\n")
        let r = try CLI.run(["pscf", "--trajectories", Fixtures.hysplit("tutorial_fwd12.tdump"), "--observations", dir.path("obs.csv"), "--out", dir.path("p")])
        #expect(r.status == 1 && r.stdout.isEmpty)
        #expect(r.stderr.contains("no trajectory was paired with an observation value") && r.stderr.contains("--site NAME") && r.stderr.contains("--timezone"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
