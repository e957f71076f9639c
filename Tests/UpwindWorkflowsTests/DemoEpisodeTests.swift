import Foundation
import Testing
import Upwind
import UpwindTestSupport

/// `upwind demo` as a library call, thinned (every 12 h from 500 m, 20 resamples) to stay quick.
@Suite("Demo episode")
struct DemoEpisodeTests {
    @Test("writes the inputs and every output, and the ranking finds the planted county by fire score")
    func demo() async throws {
        let dir = try TemporaryDirectory(prefix: "upwind-demo")
        let result = try await DemoEpisode(outputFolder: dir.path("out"), everyHours: 12, heights: [500], bootstrap: 20).run()
        // 18 stations × 14 arrivals (every 12 h over the week) × 1 height.
        #expect(result.episode.run.count == 18 * 14)
        for name in ["regions.csv", "regions.geojson", "fires.csv", "outside_home.csv", "events.csv", "grid.csv", "clusters.csv", "run.json"] {
            #expect(FileManager.default.fileExists(atPath: dir.path("out/" + name)), "\(name) missing")
        }
        #expect(FileManager.default.fileExists(atPath: dir.path("out/inputs/henan-counties.geojson")))
        // The met domain holds 48-h back trajectories: nearly all run their 48 h instead of leaving
        // it (on the former 28–42°N × 106–122°E grid, 99.8 % left it by the western edge).
        let completed = result.episode.run.byReason[.completed] ?? 0, left = result.episode.run.byReason[.leftDomain] ?? 0
        #expect(Double(completed) >= 0.9 * Double(result.episode.run.count) && Double(left) <= 0.05 * Double(result.episode.run.count),
                "\(result.episode.run.byReason)")

        // The ensemble runs for event hours only: the starts whose (site, arrival time) lies inside an
        // event of events.csv, counted here from the file, get 27 members each, written apart.
        let events = try String(contentsOfFile: dir.path("out/events.csv"), encoding: .utf8).split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let first = TwinExperiment().periodStart  // arrivals every 12 h from the first observation
        var eventStarts = 0
        for station in TwinExperiment.stations {
            for k in 0..<14 {
                let t = first + Int64(k * 12 * 3600)
                eventStarts += events.contains { e in
                    e[0] == station.id && (UTCTime(iso8601: e[2]).map { $0 <= t } ?? false) && (UTCTime(iso8601: e[3]).map { t <= $0 } ?? false)
                } ? 1 : 0
            }
        }
        let ensemble = try #require(result.episode.ensemble)
        #expect(ensemble.mode == .events && ensemble.eventStarts == eventStarts && eventStarts > 0)
        #expect(ensemble.members == 27 * eventStarts && ensemble.run?.count == 27 * eventStarts)
        for name in ["event_ensemble.csv", "ensemble_trajectories.csv"] {
            #expect(result.episode.outputs.contains(name) && FileManager.default.fileExists(atPath: dir.path("out/" + name)), "\(name) missing")
        }
        let memberRows = try String(contentsOfFile: dir.path("out/ensemble_trajectories.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(Set(memberRows.compactMap { $0.split(separator: ",").first.flatMap { Int($0) } }).count == 27 * eventStarts)
        // The members stay out of the analysis: the grid, ranking and clusters use the 252 ordinary trajectories.
        let clustered = try String(contentsOfFile: dir.path("out/clusters.csv"), encoding: .utf8).split(separator: "\n").count - 1
        #expect(clustered <= 18 * 14)
        #expect(result.plantedRank.fireScore == 1, "\(result.report.joined(separator: "\n"))")
        #expect(result.report.contains { $0.hasPrefix("truth: the planted county is \(result.twin.planted.name)") })
        // How long each part took, the last line.
        #expect(result.report.last?.hasPrefix("timings: inputs ") == true && result.report.last?.contains("event ensemble's \(27 * (result.episode.ensemble?.eventStarts ?? 0)) members") == true
                && result.report.last?.hasSuffix(String(format: "report %.2f s", result.reportSeconds)) == true, "\(result.report.last ?? "")")
        // The HTML report and its maps, beside the outputs.
        #expect(result.reportPath == dir.path("out/report.html"))
        #expect(result.reportFiles.first == result.reportPath && result.reportFiles.count >= 4)
        for file in result.reportFiles { #expect(FileManager.default.fileExists(atPath: file), "\(file)") }
        let page = ParsedXML(try String(contentsOfFile: result.reportPath, encoding: .utf8))
        #expect(page.error == nil && page.all("circle", within: "map_overview", cssClass: "station").count == 18)
    }
}
