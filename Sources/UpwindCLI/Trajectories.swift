import ArgumentParser
import Foundation
import Upwind

/// `upwind trajectories`: backward or forward trajectories from met files.
struct Trajectories: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute backward or forward 3-D trajectories from met files.",
        discussion: """
        Starts come from --start LAT,LON,HEIGHT (repeatable, with --time) or --starts starts.csv (columns site,latitude,longitude,height_m,time). Heights are metres above ground (--msl: above sea level). Endpoints are written every hour from the start time; a trajectory that stops early says why in the termination column. Met files may be CF NetCDF or HYSPLIT ARL packed (told apart by content; one kind per run).

        --control CONTROL runs a HYSPLIT trajectory CONTROL file as hyts_std does: relative met and output directories are taken from the current directory, SETUP.CFG is read from the current directory when present (tratio, delt, kmsl, tout and the tm_* diagnostic switches), and the output is a tdump (HYSPLIT v5.3.0 layout) at the CONTROL's output path or --out. Vertical codes 0 (data), 1 (isobaric), 2 (isentropic) and 4 (isosigma, run at constant height above ground) are supported. '00 00 00 00' starts at the first met time (the last for backward runs). A tdump is interleaved by time step, so it is written once every trajectory has finished.

        Output formats: csv and geojson (written as trajectories finish), tdump, openair and netcdf (written at the end); a file is written through a temporary file renamed when complete (a symbolic link keeps pointing at the replaced file), a FIFO or device directly. With --out - (or no --out) the output goes to standard output once the run succeeds and the summary to standard error.

        Examples:
          upwind trajectories --met 'era5/2024-01-*.nc' --start 34.75,113.65,500 --time 2024-01-15T06:00Z --hours -72 --out zz.csv
          upwind trajectories --met Fixtures/met/grads_model_1987.nc --start -33.9,151.2,1000 --time 1987-01-05T00:00:00Z --hours -48 --vertical isobaric
          upwind trajectories --met uwnd.nc --met vwnd.nc --met omega.nc --met hgt.nc --starts sites.csv --hours -96 --out back.geojson
          upwind trajectories --met gdas1.feb10.w2 --start 16.7,-62.2,500 --time 2010-02-13T00:00Z --hours -36 --out back.tdump
          upwind trajectories --plan season.json --out season.csv
          cd hysplit/working && upwind trajectories --control CONTROL
        """ + jsonSummaryHelp("command (\"trajectories\"), trajectories, terminated (reason → count), skipped_starts, seconds, format and output (the file written); --json needs --out (standard output otherwise carries the trajectories)")
    )

    @Option(name: .customLong("control"), help: ArgumentHelp("A HYSPLIT trajectory CONTROL file (with SETUP.CFG from the current directory); writes a tdump.", valueName: "CONTROL"))
    var control: String?

    @Option(name: .customLong("met"), help: ArgumentHelp("Met file or quoted glob (repeatable, one value each).", valueName: "file|glob"))
    var met: [String] = []

    @Option(name: .customLong("start"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("A start LAT,LON,HEIGHT in degrees and metres (repeatable; negative values allowed).", valueName: "lat,lon,height"))
    var start: [String] = []

    @Option(name: .customLong("time"), help: ArgumentHelp("Start time for --start, ISO 8601 with Z or an offset.", valueName: "iso8601"))
    var time: String?

    @Option(name: .customLong("starts"), help: ArgumentHelp("CSV of starts: site,latitude,longitude,height_m,time.", valueName: "starts.csv"))
    var startsFile: String?

    @Option(name: .customLong("plan"), help: ArgumentHelp("A RunPlan JSON document (met files, starts or a generator, hours, modes, ensemble; \"maxStarts\" raises the 10,000,000-trajectory limit); --met overrides its met.", valueName: "plan.json"))
    var plan: String?

    @Option(name: .customLong("hours"), parsing: .unconditional, help: ArgumentHelp("Run length in hours; negative = backward (e.g. --hours -72); at most 87660 (10 years) either way.", valueName: "n"))
    var hours: Int?

    @Flag(name: .customLong("ensemble"), help: "Run HYSPLIT's 27-member met-offset ensemble for every start (members 1–27, 14 unperturbed).")
    var ensemble = false

    @Option(name: .customLong("vertical"), help: "Vertical motion: data (model vertical velocity, the default), isobaric, isentropic or height (constant AGL).")
    var vertical: String?

    @Option(name: .customLong("integrator"), help: "heun (HYSPLIT's predictor-corrector) or rk4.")
    var integrator: String = "heun"

    @Option(name: .customLong("step"), parsing: .unconditional, help: ArgumentHelp("Fixed time step, e.g. 10m (minutes; must divide 60). Default: the TRATIO rule.", valueName: "minutes"))
    var step: String?

    @Option(name: .customLong("tratio"), parsing: .unconditional, help: "Largest fraction of a grid cell crossed per step (default 0.75).")
    var tratio: Double?

    @Option(name: .customLong("top"), parsing: .unconditional, help: ArgumentHelp("Model top, m AGL: trajectories above it stop (default 10000).", valueName: "m"))
    var top: Double?

    @Option(name: .customLong("ground"), help: "At the ground: clip (HYSPLIT: continue at 0 m AGL), stop or reflect.")
    var ground: String = "clip"

    @Flag(name: .customLong("msl"), help: "Start heights are metres above mean sea level.")
    var msl = false

    @Flag(name: .customLong("skip-invalid-starts"), help: "Run the starts inside the met coverage and report the others.")
    var skipInvalidStarts = false

    @Option(name: .customLong("map"), help: ArgumentHelp("Use variable NAME for ROLE, e.g. u=UGRD (repeatable).", valueName: "role=name"))
    var map: [String] = []

    @Option(name: .customLong("format"), help: "csv, geojson, tdump, openair or netcdf (default: from the --out name (.csv, .geojson/.json, .tdump or tdump*, .nc), else csv; tdump with --control).")
    var format: String?

    @Option(name: .customLong("out"), help: ArgumentHelp("Output file (written to a temporary file, then renamed; a FIFO or device is written directly). '-' or default: standard output, the summary on standard error.", valueName: "file"))
    var out: String?

    @OptionGroup var terminal: TerminalOptions

    func validate() throws {
        if terminal.json && (out == nil || out == "-") && control == nil {
            throw ValidationError("--json prints the summary on standard output, which carries the trajectories without --out: add --out FILE")
        }
        if let format, TrajectoryFileFormat(rawValue: format) == nil {
            throw ValidationError("--format must be csv, geojson, tdump, openair or netcdf, not '\(format)'")
        }
        if control != nil {
            let clashes = [("--met", !met.isEmpty), ("--start", !start.isEmpty), ("--time", time != nil), ("--starts", startsFile != nil),
                           ("--plan", plan != nil), ("--hours", hours != nil), ("--vertical", vertical != nil), ("--step", step != nil),
                           ("--tratio", tratio != nil), ("--top", top != nil), ("--msl", msl)].filter(\.1).map(\.0)
            if !clashes.isEmpty {
                throw ValidationError("--control takes the met, starts, hours, vertical motion and top from the CONTROL file and the step, tratio and kmsl from SETUP.CFG: do not combine it with \(clashes.joined(separator: ", "))")
            }
            if Integrator(rawValue: integrator) == nil { throw ValidationError("--integrator must be heun or rk4, not '\(integrator)'") }
            if GroundRule(rawValue: ground) == nil { throw ValidationError("--ground must be clip, stop or reflect, not '\(ground)'") }
            return
        }
        if plan != nil {
            if !start.isEmpty || startsFile != nil { throw ValidationError("--plan gives the starts: do not combine it with --start or --starts") }
            return
        }
        guard let hours else { throw ValidationError("give the run length with --hours N (negative for backward), or a --plan") }
        if met.isEmpty { throw ValidationError("give the met with --met FILE (repeatable)") }
        if start.isEmpty == (startsFile == nil) { throw ValidationError("give starts with --start LAT,LON,HEIGHT (and --time) or with --starts FILE, not both") }
        if !start.isEmpty && time == nil { throw ValidationError("--start needs --time ISO8601, e.g. --time 2024-01-15T06:00:00Z") }
        if let vertical, VerticalMode(rawValue: vertical) == nil { throw ValidationError("--vertical must be data, isobaric, isentropic or height, not '\(vertical)'") }
        if Integrator(rawValue: integrator) == nil { throw ValidationError("--integrator must be heun or rk4, not '\(integrator)'") }
        if GroundRule(rawValue: ground) == nil { throw ValidationError("--ground must be clip, stop or reflect, not '\(ground)'") }
        if hours == 0 { throw ValidationError("--hours must not be 0 (negative for backward trajectories)") }
        if let tratio, !(tratio > 0 && tratio <= 1) { throw ValidationError("--tratio \(tratio): must be in (0, 1] (the largest fraction of a grid cell crossed per step)") }
        if let top, !(top > 0) { throw ValidationError("--top \(top): must be positive (metres above ground)") }
        _ = try stepMinutes()
        _ = try parsedStarts(fromFile: false)
    }

    func stepMinutes() throws -> Int? {
        guard let step else { return nil }
        var text = step.lowercased().trimmingCharacters(in: .whitespaces)
        var factor = 1
        if text.hasSuffix("min") { text.removeLast(3) } else if text.hasSuffix("m") { text.removeLast() } else if text.hasSuffix("h") { text.removeLast(); factor = 60 }
        guard let n = Int(text), n >= 1, n * factor <= 60, 60 % (n * factor) == 0 else {
            throw ValidationError("--step \(step): a fixed step must be a positive whole number of minutes dividing 60 (e.g. 10m, 30m, 1h)")
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

    /// Reads and checks a RunPlan file.
    func loadPlan(_ path: String) throws -> RunPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the plan '\(path)': check the path")
        }
        do {
            return try JSONDecoder().decode(RunPlan.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ValidationError("\(path): missing key '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))' in the plan")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw ValidationError("\(path): bad value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            throw ValidationError("\(path): \(context.codingPath.isEmpty ? "not valid JSON" : "bad value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"): \(context.debugDescription)")
        }
    }

    /// The output format: --format, else (with --out) the file name's, else csv (tdump with --control).
    func outputFormat() -> TrajectoryFileFormat {
        if let format, let f = TrajectoryFileFormat(rawValue: format) { return f }
        if let out, let f = TrajectoryFileFormat.fromName(out) { return f }
        return control != nil ? .tdump : .csv
    }

    func run() async throws {
        var runEnsemble = ensemble
        var job: ControlRun?
        let metPaths: [String]
        var plannedStarts: [TrajectoryStart] = []
        var options = TrajectoryOptions(hours: 1)
        if let controlPath = control {
            do {
                job = try ControlRun.load(controlPath: controlPath, outputPath: out)
            } catch HysplitControlError.fileNotFound(let path) {
                throw ValidationError("--control '\(path)' does not exist; give the path of a HYSPLIT CONTROL file")
            }
            metPaths = job?.metPaths ?? []
        } else if let planPath = plan {
            var p = try loadPlan(planPath)
            if ensemble { p.ensemble = true }
            // Counted against the plan's maxStarts (and its options checked) before any start is made.
            plannedStarts = try p.expandedStarts()
            options = p.options
            runEnsemble = ensemble || (p.ensemble ?? false)
            if !met.isEmpty {
                metPaths = met
            } else if let files = p.met.files, !files.isEmpty {
                metPaths = files
            } else {
                throw ValidationError("\(planPath): the plan names no met files (\"met\": {\"files\": [...]}); a dataset id only works with the service; or pass --met")
            }
        } else {
            plannedStarts = try parsedStarts(fromFile: true)
            options = TrajectoryOptions(hours: hours ?? 0, verticalMode: VerticalMode(rawValue: vertical ?? "data") ?? .data,
                                        integrator: Integrator(rawValue: integrator) ?? .heun, fixedStepMinutes: try stepMinutes(),
                                        tratio: tratio ?? 0.75, topAGL: top ?? 10_000, ground: GroundRule(rawValue: ground) ?? .clip,
                                        skipInvalidStarts: skipInvalidStarts)
            // The run length, intervals and steps are checked before the met is opened.
            try options.validate()
            metPaths = met
        }
        let mapping: MetVariableMapping
        do { mapping = try MetVariableMapping(parsing: map) } catch { throw ValidationError("\(error)") }
        let source: MetSource
        do {
            source = try MetSource.open(metPaths, mapping: mapping)
        } catch MetError.mappingWithARL {
            throw ValidationError("--map applies to NetCDF met only; ARL files use HYSPLIT's fixed variable names (UWND, VWND, WWND, TEMP, HGTS, …)")
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let runner = try job.map {
            try $0.runner(met: source, integrator: Integrator(rawValue: integrator) ?? .heun, ground: GroundRule(rawValue: ground) ?? .clip,
                          skipInvalidStarts: skipInvalidStarts, maxConcurrency: cores)
        } ?? TrajectoryRunner(met: source, starts: plannedStarts, options: options, ensemble: runEnsemble, maxConcurrency: cores)

        let kind = outputFormat()
        // `--out -` is standard output (as without --out): written once the run succeeds.
        let destinationGiven = job?.outputPath ?? (out == "-" ? nil : out)
        let summaryToStderr = destinationGiven.map(FileSink.isStandardOutput) ?? true
        // Without an output path the output goes through a temporary file, so a failed run prints nothing.
        let destination = destinationGiven ?? FileManager.default.temporaryDirectory.appendingPathComponent("upwind-\(UUID().uuidString).\(kind)").path
        defer { if destinationGiven == nil { try? FileManager.default.removeItem(atPath: destination) } }
        // CSV and GeoJSON are written as trajectories finish (streaming), tdump, openair and
        // NetCDF at the end; always through a temporary file renamed when complete.
        let bar = terminal.progressBar()
        let summary = try await bar.around {
            try await runner.run(writingTo: destination, format: kind, tdumpOptions: job?.tdumpOptions ?? TdumpWriteOptions(),
                                 progress: { bar.update($0) })
        }
        for note in job?.notes ?? [] { terminal.note(note) }
        if destinationGiven == nil, let handle = FileHandle(forReadingAtPath: destination) {
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { FileHandle.standardOutput.write(chunk) }
        }
        var line = summary.description
        if job != nil && !summaryToStderr { line += ", wrote \(URL(fileURLWithPath: destination).standardized.path)" }
        if !summaryToStderr {
            terminal.say(line)
        } else if !terminal.quiet {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        if !summaryToStderr {
            terminal.emit(.object([("command", .string("trajectories"))] + JSONSummary.run(summary)
                                + [("seconds", JSONSummary.seconds(summary.wallSeconds)), ("format", .string(kind.rawValue)), ("output", destinationGiven.map(JSONSummary.path) ?? .null)]))
        }
    }
}
