import ArgumentParser
import Foundation
import Upwind

/// `upwind trajectories`: backward or forward trajectories from met files.
struct Trajectories: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute backward or forward 3-D trajectories from met files.",
        discussion: """
        Starts come from --start LAT,LON,HEIGHT (repeatable, with --time) or --starts starts.csv
        (columns site,latitude,longitude,height_m,time). Heights are metres above ground (--msl: above
        sea level). Endpoints are written every hour from the start time; a trajectory that stops
        early says why in the termination column.

        Examples:
          upwind trajectories --met 'era5/2024-01-*.nc' --start 34.75,113.65,500 --time 2024-01-15T06:00Z --hours -72 --out zz.csv
          upwind trajectories --met Fixtures/met/grads_model_1987.nc --start -33.9,151.2,1000 --time 1987-01-05T00:00:00Z --hours -48 --vertical isobaric
          upwind trajectories --met uwnd.nc --met vwnd.nc --met omega.nc --met hgt.nc --starts sites.csv --hours -96 --out back.geojson
        """
    )

    @Option(name: .customLong("met"), help: ArgumentHelp("Met file or quoted glob (repeatable, one value each).", valueName: "file|glob"))
    var met: [String] = []

    @Option(name: .customLong("start"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("A start LAT,LON,HEIGHT in degrees and metres (repeatable; negative values allowed).", valueName: "lat,lon,height"))
    var start: [String] = []

    @Option(name: .customLong("time"), help: ArgumentHelp("Start time for --start, ISO 8601 with Z or an offset.", valueName: "iso8601"))
    var time: String?

    @Option(name: .customLong("starts"), help: ArgumentHelp("CSV of starts: site,latitude,longitude,height_m,time.", valueName: "starts.csv"))
    var startsFile: String?

    @Option(name: .customLong("hours"), parsing: .unconditional, help: ArgumentHelp("Run length in hours; negative = backward (e.g. --hours -72).", valueName: "n"))
    var hours: Int

    @Option(name: .customLong("vertical"), help: "Vertical motion: data (model vertical velocity), isobaric, isentropic or height (constant AGL).")
    var vertical: String = "data"

    @Option(name: .customLong("integrator"), help: "heun (HYSPLIT's predictor-corrector) or rk4.")
    var integrator: String = "heun"

    @Option(name: .customLong("step"), help: ArgumentHelp("Fixed time step, e.g. 10m (minutes; must divide 60). Default: the TRATIO rule.", valueName: "minutes"))
    var step: String?

    @Option(name: .customLong("tratio"), help: "Largest fraction of a grid cell crossed per step.")
    var tratio: Double = 0.75

    @Option(name: .customLong("top"), help: ArgumentHelp("Model top, m AGL: trajectories above it stop.", valueName: "m"))
    var top: Double = 10_000

    @Option(name: .customLong("ground"), help: "At the ground: clip (HYSPLIT: continue at 0 m AGL), stop or reflect.")
    var ground: String = "clip"

    @Flag(name: .customLong("msl"), help: "Start heights are metres above mean sea level.")
    var msl = false

    @Flag(name: .customLong("skip-invalid-starts"), help: "Run the starts inside the met coverage and report the others.")
    var skipInvalidStarts = false

    @Option(name: .customLong("map"), help: ArgumentHelp("Use variable NAME for ROLE, e.g. u=UGRD (repeatable).", valueName: "role=name"))
    var map: [String] = []

    @Option(name: .customLong("format"), help: "csv or geojson (default: from the --out extension, else csv).")
    var format: String?

    @Option(name: .customLong("out"), help: ArgumentHelp("Output file (written to a temporary file, then renamed). Default: standard output.", valueName: "file"))
    var out: String?

    func validate() throws {
        if met.isEmpty { throw ValidationError("give the met with --met FILE (repeatable)") }
        if start.isEmpty == (startsFile == nil) { throw ValidationError("give starts with --start LAT,LON,HEIGHT (and --time) or with --starts FILE, not both") }
        if !start.isEmpty && time == nil { throw ValidationError("--start needs --time ISO8601, e.g. --time 2024-01-15T06:00:00Z") }
        if VerticalMode(rawValue: vertical) == nil { throw ValidationError("--vertical must be data, isobaric, isentropic or height, not '\(vertical)'") }
        if Integrator(rawValue: integrator) == nil { throw ValidationError("--integrator must be heun or rk4, not '\(integrator)'") }
        if GroundRule(rawValue: ground) == nil { throw ValidationError("--ground must be clip, stop or reflect, not '\(ground)'") }
        if let format, !["csv", "geojson"].contains(format) { throw ValidationError("--format must be csv or geojson, not '\(format)'") }
        if hours == 0 { throw ValidationError("--hours must not be 0 (negative for backward trajectories)") }
        _ = try stepMinutes()
        _ = try parsedStarts(fromFile: false)
    }

    func stepMinutes() throws -> Int? {
        guard let step else { return nil }
        var text = step.lowercased().trimmingCharacters(in: .whitespaces)
        var factor = 1
        if text.hasSuffix("min") { text.removeLast(3) } else if text.hasSuffix("m") { text.removeLast() } else if text.hasSuffix("h") { text.removeLast(); factor = 60 }
        guard let n = Int(text), n >= 1, n * factor <= 60, 60 % (n * factor) == 0 else {
            throw ValidationError("--step must be whole minutes dividing 60 (e.g. 10m, 30m, 1h), not '\(step)'")
        }
        return n * factor
    }

    func parsedStarts(fromFile: Bool) throws -> [TrajectoryStart] {
        if let startsFile {
            guard fromFile else { return [] }
            var list = try StartsCSVReader.read(path: startsFile)
            for i in list.indices { list[i].heightIsMSL = msl }
            return list
        }
        guard let text = time, let t = UTCTime(iso8601: text) else {
            throw ValidationError("--time '\(time ?? "")' is not an ISO 8601 time such as 2024-01-15T06:00:00Z")
        }
        return try start.enumerated().map { n, s in
            let parts = s.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 3, let lat = parts[0], let lon = parts[1], let h = parts[2], abs(lat) <= 90, lon.isFinite, h.isFinite else {
                throw ValidationError("--start '\(s)' must be LAT,LON,HEIGHT with latitude in −90…90, e.g. --start 34.75,113.65,500")
            }
            return TrajectoryStart(site: "S\(n + 1)", latitude: lat, longitude: lon, height: h, heightIsMSL: msl, time: t)
        }
    }

    func run() throws {
        let clock = ContinuousClock.now
        let starts = try parsedStarts(fromFile: true)
        let mapping: MetVariableMapping
        do { mapping = try MetVariableMapping(parsing: map) } catch { throw ValidationError("\(error)") }
        let dataset = try MetDataset(paths: met, mapping: mapping)
        let field = try MetWindField(dataset)
        let options = TrajectoryOptions(hours: hours, verticalMode: VerticalMode(rawValue: vertical) ?? .data,
                                        integrator: Integrator(rawValue: integrator) ?? .heun, fixedStepMinutes: try stepMinutes(),
                                        tratio: tratio, topAGL: top, ground: GroundRule(rawValue: ground) ?? .clip,
                                        skipInvalidStarts: skipInvalidStarts)
        let engine = try TrajectoryEngine(field: field, options: options)
        let result = try engine.run(starts)

        var diagnostics: DiagnosticColumns = []
        let v = dataset.variables
        if v[.orography] != nil || v[.geopotential] != nil || v[.geopotentialHeight] != nil { diagnostics.insert(.terrain) }
        if v[.temperature] != nil { diagnostics.formUnion([.temperature, .theta]) }
        if v[.boundaryLayerHeight] != nil { diagnostics.insert(.mixingDepth) }
        if v[.relativeHumidity] != nil { diagnostics.insert(.relativeHumidity) }
        let kind = format ?? ((out?.lowercased().hasSuffix(".geojson") ?? false) || (out?.lowercased().hasSuffix(".json") ?? false) ? "geojson" : "csv")
        // Without --out the output goes through a temporary file, so a failed run prints nothing.
        let destination = out ?? FileManager.default.temporaryDirectory.appendingPathComponent("upwind-\(UUID().uuidString).\(kind)").path
        defer { if out == nil { try? FileManager.default.removeItem(atPath: destination) } }
        if kind == "geojson" {
            let writer = try TrajectoryGeoJSONWriter(path: destination)
            for t in result.trajectories { try writer.write(t) }
            try writer.finish()
        } else {
            let writer = try TrajectoryCSVWriter(path: destination, diagnostics: diagnostics)
            for t in result.trajectories { try writer.write(t) }
            try writer.finish()
        }
        if out == nil, let handle = FileHandle(forReadingAtPath: destination) {
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { FileHandle.standardOutput.write(chunk) }
        }
        var byReason: [TerminationReason: Int] = [:]
        for t in result.trajectories { byReason[t.termination.reason, default: 0] += 1 }
        let stopped = TerminationReason.allCases.filter { $0 != .completed && byReason[$0] != nil }.map { "\($0.rawValue) \(byReason[$0]!)" }
        let elapsed = ContinuousClock.now - clock
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var summary = "\(result.trajectories.count) trajectories, \(byReason[.completed] ?? 0) completed"
        if !stopped.isEmpty { summary += ", terminated: " + stopped.joined(separator: ", ") }
        if !result.skipped.isEmpty { summary += ", \(result.skipped.count) starts skipped (outside the met coverage)" }
        summary += String(format: ", %.2f s", seconds)
        if out != nil { print(summary) } else { FileHandle.standardError.write(Data((summary + "\n").utf8)) }
    }
}
