import ArgumentParser
import Foundation
import Upwind

/// `upwind demo`: the Henan straw-burning episode on embedded data (``DemoEpisode``).
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole story offline: a Henan straw-burning episode from synthetic met to ranked counties and fires.",
        discussion: """
        Writes the twin experiment's inputs (a week of synthetic autumn weather over the North China Plain as ERA5-legacy NetCDF, PM2.5 at Henan's 18 prefecture cities, FIRMS fire points, the embedded county and province boundaries) into OUT/inputs, then runs upwind hotspots on them with the county ranking, fire scores, the share of polluted air from outside Henan and trajectory clusters, and compares the ranking with the planted truth. Everything is written into --out, with the HTML report (report.html, as upwind report makes it, and its SVG maps); the last line gives the report's path.

        Example:
          upwind demo --out demo-output
        """
    )

    @Option(name: .customLong("out"), help: ArgumentHelp("Output folder (default demo-output).", valueName: "dir"))
    var out = "demo-output"

    @Option(name: .customLong("seed"), help: ArgumentHelp("The twin's seed (default 1).", valueName: "n"))
    var seed: UInt64 = 1

    func run() async throws {
        let bar = ProgressBar(enabled: isatty(2) != 0)
        let result = try await DemoEpisode(outputFolder: out, seed: seed).run(progress: { bar.update($0) })
        bar.finish()
        for line in result.report { print(line) }
        print("outputs: \(URL(fileURLWithPath: out).path) (\(result.episode.outputs.joined(separator: ", ")))")
        print("report: \(URL(fileURLWithPath: result.reportPath).path)")
    }
}
