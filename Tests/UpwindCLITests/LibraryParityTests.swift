import Foundation
import Testing
import Upwind
import UpwindTestSupport

/// What `upwind trajectories` writes equals what a library caller writes for the same starts
/// and options, byte for byte (DESIGN decision 9: the CLI holds no logic of its own).
@Suite("The library writes what the CLI writes")
struct LibraryParityTests {
    /// Runs the CLI to `format` and the library to the same format; returns both files' bytes.
    func both(met: [String], starts: [(Double, Double, Double)], time: String, hours: Int, extra: [String] = [],
              options: TrajectoryOptions, format: String, in dir: TemporaryDirectory) async throws -> (cli: Data, library: Data) {
        let cliPath = dir.path("cli.\(format)"), libraryPath = dir.path("library.\(format)")
        var args = ["trajectories"] + met.flatMap { ["--met", $0] }
        for s in starts { args += ["--start", "\(s.0),\(s.1),\(s.2)"] }
        args += ["--time", time, "--hours", "\(hours)", "--out", cliPath] + extra
        let r = try CLI.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        let t = try UTCTime(parsing: time)
        let list = starts.enumerated().map { n, s in TrajectoryStart(site: "S\(n + 1)", latitude: s.0, longitude: s.1, height: s.2, time: t) }
        let result = try await TrajectoryRunner(met: try MetSource.open(met), starts: list, options: options).run()
        try result.write(to: libraryPath)
        return (try Data(contentsOf: URL(fileURLWithPath: cliPath)), try Data(contentsOf: URL(fileURLWithPath: libraryPath)))
    }

    @Test("ARL, one file: tdump, CSV, GeoJSON and openair are byte-identical", arguments: ["tdump", "csv", "geojson", "openair.csv"])
    func arl(format: String) async throws {
        let dir = try TemporaryDirectory()
        let extra = format == "openair.csv" ? ["--format", "openair"] : []
        let (cli, library) = try await both(met: [Fixtures.met("gdas_042.bin")], starts: [(16.7, -62.2, 500), (15, -60, 1500), (18, 296, 100)],
                                            time: "2010-02-13T00:00Z", hours: -36, extra: extra, options: TrajectoryOptions(hours: -36),
                                            format: format == "openair.csv" ? "csv" : format, in: dir)
        if format == "openair.csv" {
            // The library picks the format from the name (.csv is the engine CSV): write openair explicitly.
            let result = try await TrajectoryRunner(met: try MetSource.open([Fixtures.met("gdas_042.bin")]),
                                                    starts: [TrajectoryStart(site: "S1", latitude: 16.7, longitude: -62.2, height: 500, time: UTCTime(year: 2010, month: 2, day: 13)),
                                                             TrajectoryStart(site: "S2", latitude: 15, longitude: -60, height: 1500, time: UTCTime(year: 2010, month: 2, day: 13)),
                                                             TrajectoryStart(site: "S3", latitude: 18, longitude: 296, height: 100, time: UTCTime(year: 2010, month: 2, day: 13))],
                                                    options: TrajectoryOptions(hours: -36)).run()
            #expect(try result.data(format: .openair) == cli)
        } else {
            #expect(cli == library)
            #expect(cli.count > 1000)
        }
        if format == "tdump" {
            // Record 2 is the met's first time (2010-02-11 12Z), not the start time.
            let lines = String(decoding: cli, as: UTF8.self).split(separator: "\n")
            #expect(lines[0] == "     1     1")
            #expect(lines[1] == "    GDAS    10     2    11    12     0")
        }
    }

    @Test("ARL, two files: one met grid per file in record 2 and per-endpoint grid numbers, byte-identical")
    func severalARL() async throws {
        let dir = try TemporaryDirectory()
        let parts = try splitARL(Fixtures.met("gdas_042.bin"), nx: 23, ny: 15, periodsInFirst: 6, into: dir)
        let (cli, library) = try await both(met: parts, starts: [(16.7, -62.2, 500), (15, -60, 1500)], time: "2010-02-13T00:00Z", hours: -30,
                                            options: TrajectoryOptions(hours: -30), format: "tdump", in: dir)
        #expect(cli == library)
        let lines = String(decoding: cli, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "     2     1")
        #expect(lines[1] == "    GDAS    10     2    11    12     0")
        #expect(lines[2] == "    GDAS    10     2    12    06     0".replacingOccurrences(of: "06", with: " 6"))
        // Endpoints before 2010-02-12 06Z come from grid 1, the others from grid 2.
        let endpoints = lines.filter { $0.count > 60 }
        let grids = endpoints.map { Int($0.dropFirst(6).prefix(6).trimmingCharacters(in: .whitespaces)) ?? 0 }
        let hours = endpoints.map { (Int($0.dropFirst(24).prefix(6).trimmingCharacters(in: .whitespaces)) ?? 0,
                                     Int($0.dropFirst(30).prefix(6).trimmingCharacters(in: .whitespaces)) ?? 0) }
        for (g, (day, hour)) in zip(grids, hours) {
            #expect(g == ((day, hour) < (12, 6) ? 1 : 2), "day \(day) hour \(hour) grid \(g)")
        }
        #expect(Set(grids) == [1, 2])
    }

    @Test("NetCDF: tdump and CSV are byte-identical", arguments: ["tdump", "csv"])
    func netcdf(format: String) async throws {
        let dir = try TemporaryDirectory()
        let (cli, library) = try await both(met: [Fixtures.met("grads_model_1987.nc")], starts: [(-33.9, 151.2, 1000), (40, 116, 1500)],
                                            time: "1987-01-05T00:00:00Z", hours: -48, extra: ["--vertical", "isobaric"],
                                            options: TrajectoryOptions(hours: -48, verticalMode: .isobaric), format: format, in: dir)
        #expect(cli == library && cli.count > 1000)
    }

    @Test("a CONTROL run through the library writes what --control writes")
    func control() async throws {
        let dir = try TemporaryDirectory()
        let control = """
        10 02 13 00
        1
        16.7 -62.2 500.0
        -24
        0
        10000.0
        1
        \(Fixtures.root.appendingPathComponent("met").path)/
        gdas_042.bin
        ./
        tdump_cli

        """
        try dir.write("CONTROL", control)
        let r = try ProcessRunner.run(try #require(CLI.binary), ["trajectories", "--control", "CONTROL"], in: dir.url)
        #expect(r.status == 0, "\(r.stderr)")
        let job = try ControlRun.load(controlPath: dir.path("CONTROL"), workingDirectory: dir.path, outputPath: dir.path("tdump_library"))
        let result = try await job.run()
        #expect(result.trajectories.count == 1)
        #expect(try dir.read("tdump_cli") == (try dir.read("tdump_library")))
    }
}
