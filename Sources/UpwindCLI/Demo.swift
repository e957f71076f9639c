import ArgumentParser
import Foundation
import Upwind

/// `upwind demo`: the Henan straw-burning episode on embedded data (``DemoEpisode``).
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole story offline: a Henan straw-burning episode from synthetic met to ranked counties and fires.",
        discussion: """
        Writes the twin experiment's inputs (a week of synthetic autumn weather over the North China Plain as ERA5-legacy NetCDF, PM2.5 at Henan's 18 prefecture cities, FIRMS fire points, the embedded county and province boundaries) into OUT/inputs, then runs upwind hotspots on them (48-h back trajectories every 3 h from 100, 500 and 1000 m; the 27-member ensemble for the starts inside hotspot events only, as --ensemble events: event_ensemble.csv, ensemble_trajectories.csv) with the county ranking, fire scores, the share of polluted air from outside Henan and trajectory clusters, and compares the ranking with the planted truth. Everything is written into --out, with the HTML report (report.html, as upwind report makes it, and its SVG maps); a timings line says how long each part took (inputs, trajectories, attribution, outputs, report), and the last line gives the report's path.

        Example:
          upwind demo --out demo-output
        """ + jsonSummaryHelp("command (\"demo\"), out, planted (adcode, name, rank_polluted_share, rank_fire_score: 1-based, null when absent), found (true when the planted county ranks first by polluted share or fire score), inputs_seconds, report_seconds (writing the HTML report), report (the HTML report's path), and under analysis the keys of upwind hotspots --json")
    )

    @Option(name: .customLong("out"), help: ArgumentHelp("Output folder (default demo-output).", valueName: "dir"))
    var out = "demo-output"

    @Option(name: .customLong("seed"), help: ArgumentHelp("The twin's seed (default 1).", valueName: "n"))
    var seed: UInt64 = 1

    @OptionGroup var terminal: TerminalOptions

    func run() async throws {
        // One bar for the inputs (the twin's steps), then one for the trajectory sweep.
        let inputs = terminal.progressBar(), sweep = terminal.progressBar()
        let result = try await sweep.around {
            try await inputs.around {
                try await DemoEpisode(outputFolder: out, seed: seed).run(progress: { p in inputs.finish(); sweep.update(p) },
                                                                         inputProgress: { inputs.update($0) })
            }
        }
        for line in result.report { terminal.say(line) }
        terminal.say("outputs: \(URL(fileURLWithPath: out).path) (\(result.episode.outputs.joined(separator: ", ")))")
        terminal.say("report: \(URL(fileURLWithPath: result.reportPath).path)")
        let (share, fire) = result.plantedRank
        terminal.emit(.object([
            ("command", .string("demo")), ("out", JSONSummary.path(out)),
            ("planted", .object([("adcode", .string(result.twin.planted.adcode)), ("name", .string(result.twin.planted.name)),
                                 ("rank_polluted_share", share.map(JSONSummary.count) ?? .null),
                                 ("rank_fire_score", fire.map(JSONSummary.count) ?? .null)])),
            ("found", .bool(share == 1 || fire == 1)), ("inputs_seconds", JSONSummary.seconds(result.inputSeconds)),
            ("report_seconds", JSONSummary.seconds(result.reportSeconds)),
            ("analysis", Hotspots.json(result.episode, out: out)),
            ("report", JSONSummary.path(result.reportPath)),
        ]))
    }
}
