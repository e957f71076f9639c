import Foundation
import Testing
import Upwind
import UpwindTestSupport

/// The hotspots pipeline's common clustering length: the longest age ≥ 90 % of the trajectories reach.
@Suite("Hotspot pipeline: common clustering length")
struct ClusterLengthTests {
    /// A backward trajectory of `hours` hourly steps (hours + 1 endpoints) heading west from 113° E.
    static func trajectory(id: Int, hours: Int) -> Trajectory {
        let t0 = UTCTime(year: 2025, month: 10, day: 12)
        let start = TrajectoryStart(site: "S", latitude: 34, longitude: 113, height: 500, time: t0)
        let endpoints = (0...hours).map { (k: Int) -> TrajectoryEndpoint in
            let age = Double(-k)
            let longitude: Double = 113 - 0.1 * Double(k)
            return TrajectoryEndpoint(time: t0 + Int64(-k * 3600), ageHours: age, latitude: 34, longitude: longitude, heightAGL: 500, pressureHPa: 950)
        }
        return Trajectory(id: id, start: start, isBackward: true, verticalMode: .data, endpoints: endpoints,
                          termination: Termination(reason: hours == 48 ? .completed : .leftDomain, time: t0 + Int64(-hours * 3600)))
    }

    @Test("17 of 48 h, one of 29 h and two of 10 h: 90 % (18 of 20) reach 29 h, so 29 h is kept, the two 10-h ones dropped and the 17 long ones truncated")
    func fewShortAmongLong() {
        let hours = [48, 48, 10, 48, 48, 48, 48, 29, 48, 48, 48, 48, 48, 10, 48, 48, 48, 48, 48, 48]
        let set = hours.enumerated().map { ClusterLengthTests.trajectory(id: $0.offset + 1, hours: $0.element) }
        let length = HotspotPipeline.clusterLength(set)
        #expect(length.inputCount == 20)
        #expect(length.endpoints == 30 && length.ageHours == 29)
        #expect(length.droppedShortCount == 2 && length.kept == hours.indices.filter { hours[$0] != 10 })
        #expect(length.truncatedCount == 17)
        // One more short trajectory: 18 of 21 reach 29 h (85.7 %), 19 of 21 reach 10 h (90.5 %).
        let more = HotspotPipeline.clusterLength(set + [ClusterLengthTests.trajectory(id: 21, hours: 5)])
        #expect(more.endpoints == 11 && more.ageHours == 10 && more.droppedShortCount == 1 && more.truncatedCount == 18)
    }

    @Test("exactly 90 %: 9 of 10 at 48 h and one at 3 h keep 48 h and drop one; all equal: nothing dropped or truncated")
    func boundaryAndEqual() {
        let set = (1...9).map { ClusterLengthTests.trajectory(id: $0, hours: 48) } + [ClusterLengthTests.trajectory(id: 10, hours: 3)]
        let length = HotspotPipeline.clusterLength(set)
        #expect(length.ageHours == 48 && length.endpoints == 49 && length.droppedShortCount == 1 && length.truncatedCount == 0)
        #expect(length.record.contains { $0.0 == "clustered_age_h" && $0.1 == .number(48) })
        #expect(length.record.contains { $0.0 == "clustered_dropped_short" && $0.1 == .number(1) })
        let equal = HotspotPipeline.clusterLength((1...5).map { ClusterLengthTests.trajectory(id: $0, hours: 24) })
        #expect(equal.ageHours == 24 && equal.droppedShortCount == 0 && equal.truncatedCount == 0 && equal.kept == [0, 1, 2, 3, 4])
        let none = HotspotPipeline.clusterLength([])
        #expect(none.inputCount == 0 && none.kept.isEmpty && none.ageHours.isNaN)
    }
}
