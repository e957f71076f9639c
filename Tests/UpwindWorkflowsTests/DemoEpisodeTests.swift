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
        #expect(result.plantedRank.fireScore == 1, "\(result.report.joined(separator: "\n"))")
        #expect(result.report.contains { $0.hasPrefix("truth: the planted county is \(result.twin.planted.name)") })
        // The HTML report and its maps, beside the outputs.
        #expect(result.reportPath == dir.path("out/report.html"))
        #expect(result.reportFiles.first == result.reportPath && result.reportFiles.count >= 4)
        for file in result.reportFiles { #expect(FileManager.default.fileExists(atPath: file), "\(file)") }
        let page = ParsedXML(try String(contentsOfFile: result.reportPath, encoding: .utf8))
        #expect(page.error == nil && page.all("circle", within: "map_overview", cssClass: "station").count == 18)
    }
}
