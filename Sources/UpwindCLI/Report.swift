import ArgumentParser
import Foundation
import Upwind

/// `upwind report DIR [--out report.html]`: the HTML report of what `upwind hotspots` (or
/// `upwind attribute`) wrote into DIR, with each map also as an SVG file (``HTMLReport``).
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Make the self-contained HTML report (maps and tables) of a hotspots or attribute output folder.",
        discussion: """
        Reads what upwind hotspots or upwind attribute wrote into DIR (events.csv, regions.csv, regions.geojson, fires.csv, fire_events.csv, fire_trajectories.csv, outside_home.csv, grid.csv, trajectories.csv, the cluster files and run.json; all but one of events.csv and regions.csv may be missing, and the report says what is) and writes one HTML file with inline SVG maps and CSS, nothing loaded from the network. Each map is also written beside the report as map_overview.svg, map_counties.svg, map_trajectories.svg, map_grid.svg and map_cwt.svg (those the data support). Files are written under temporary names and renamed when all are complete.

        Examples:
          upwind report demo-output
          upwind report episode/ --out briefing/henan-episode.html
        """
    )

    @Argument(help: ArgumentHelp("The folder upwind hotspots or upwind attribute wrote.", valueName: "dir"))
    var folder: String

    @Option(name: .customLong("out"), help: ArgumentHelp("The HTML file (default DIR/report.html); the SVG maps go beside it.", valueName: "file"))
    var out: String?

    func run() throws {
        let inputs = try ReportInputs.load(folder: folder)
        let path = out ?? URL(fileURLWithPath: folder).appendingPathComponent("report.html").path
        let written = try HTMLReport(inputs).write(to: path)
        print("report: \(written[0])")
        if written.count > 1 { print("maps: " + written.dropFirst().joined(separator: ", ")) }
        for note in inputs.notes {
            FileHandle.standardError.write(Data("upwind: note: \(note.file) \(note.message)\n".utf8))
        }
    }
}
