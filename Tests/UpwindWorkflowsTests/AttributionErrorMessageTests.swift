import Foundation
import Testing
import Upwind

/// The attribution errors (UpwindAttribution is Foundation-free; UpwindFormats makes them
/// LocalizedErrors) say their cause and values in `localizedDescription`.
@Suite("Attribution errors say their cause")
struct AttributionErrorMessageTests {
    static let t = UTCTime(year: 2024, month: 10, day: 20, hour: 6)

    /// ReceptorGridError: every case (10).
    static let grid: [(ReceptorGridError, [String])] = [
        (.invalidSetting(setting: "resolution", value: "0.7XYZ", requirement: "must divide 360"), ["resolution", "0.7XYZ", "must divide 360"]),
        (.unparsable(setting: "--criterion", text: "p7x", expected: "p75, p90 or a number"), ["p7x", "p75"]),
        (.unresolvedCriterion(percentile: 75), ["75"]),
        (.noValues(what: "matched trajectories XYZ"), ["matched trajectories XYZ"]),
        (.invalidValue(trajectoryID: 4217, site: "Zhengzhou", value: .infinity), ["4217", "Zhengzhou"]),
        (.conflictingObservationValues(site: "Kaifeng", time: t, first: 81, second: 93), ["Kaifeng", "2024-10-20T06:00:00Z", "81", "93"]),
        (.countMismatch(trajectories: 12, values: 11), ["12", "11"]),
        (.invalidEndpoint(trajectoryID: 77, index: 5, reason: "latitude is NaN XYZ"), ["77", "5", "latitude is NaN XYZ"]),
        (.missingMixingDepth(trajectoryID: 78, index: 6), ["78", "6"]),
        (.incompatibleMerge(difference: "resolution 0.5 vs 1 XYZ"), ["resolution 0.5 vs 1 XYZ"]),
    ]

    /// ObservationSetError: every case (5).
    static let observationSet: [(ObservationSetError, [String])] = [
        (.duplicate(site: "Luoyang", time: t, first: 3, second: 9), ["Luoyang", "2024-10-20T06:00:00Z"]),
        (.conflictingCoordinates(site: "Anyang", first: 2, second: 5, firstLatitude: 36.1, firstLongitude: 114.35, secondLatitude: 36.2, secondLongitude: 114.35),
         ["Anyang", "36.1", "36.2"]),
        (.emptySite(index: 14), ["observation 15"]),
        (.badCoordinates(index: 15, latitude: 95, longitude: 114), ["observation 16", "95"]),
        (.nonFiniteValue(index: 16, value: .nan), ["observation 17", "nan"]),
    ]

    /// HotspotRulesError: every case (4).
    static let rules: [(HotspotRulesError, [String])] = [
        (.noRule, ["threshold"]),
        (.badThreshold(.infinity), ["inf"]),
        (.badPercentile(120), ["120"]),
        (.badSpatialFactor(-1.5), ["-1.5"]),
    ]

    static func check(_ error: some Error & CustomStringConvertible, _ expected: [String]) {
        let message = String(describing: error)
        #expect((error as any Error).localizedDescription == message)
        #expect(!message.contains("\n") && !message.contains("could not be completed"))
        for piece in expected { #expect(message.contains(piece), "'\(piece)' not in: \(message)") }
    }

    @Test("ReceptorGridError", arguments: grid)
    func receptorGrid(_ e: ReceptorGridError, _ expected: [String]) { Self.check(e, expected) }

    @Test("ObservationSetError", arguments: observationSet)
    func observationSetError(_ e: ObservationSetError, _ expected: [String]) { Self.check(e, expected) }

    @Test("HotspotRulesError", arguments: rules)
    func hotspotRules(_ e: HotspotRulesError, _ expected: [String]) { Self.check(e, expected) }

    @Test("ReceptorAnalysisError and ObservationCSVError read as their messages")
    func workflows() {
        Self.check(ReceptorAnalysisError.emptyGrid(trajectories: 27), ["27", "--max-height"])
        Self.check(ObservationCSVError.fileNotFound(path: "/data/obs/pm25-XYZ.csv"), ["/data/obs/pm25-XYZ.csv"])
        Self.check(ObservationCSVError.missingColumn(path: "/data/obs/pm25-XYZ.csv", line: 1, column: "value", header: ["site", "time"]),
                   ["/data/obs/pm25-XYZ.csv", "value"])
    }
}
