import Testing
import UpwindCore
@testable import UpwindAttribution

/// A straight hourly trajectory of `n` endpoints heading west from (35, 114 + offset).
private func line(_ id: Int, _ n: Int, offset: Double = 0, step: Double = -1) -> Trajectory {
    makeTrajectory(id, (0..<n).map { (35 + 0.01 * Double(id), 114 + offset - 0.3 * Double($0)) }, ages: (0..<n).map { step * Double($0) })
}

@Suite("Clustering: equal lengths, counts and errors")
struct ClusterPreparationTests {
    @Test("truncate: every trajectory cut to the shortest, none dropped; counts reported")
    func truncate() async throws {
        let t = [line(1, 5), line(2, 5), line(3, 4), line(4, 6)]
        let r = try await TrajectoryClustering.cluster(t, k: .fixed(2), unequal: .truncate)
        let p = r.preparation
        #expect(p.endpointsPerTrajectory == 4 && p.droppedCount == 0 && p.truncatedCount == 3 && p.usedIndices == [0, 1, 2, 3])
        #expect(p.ages == [0, -1, -2, -3] && p.ageStepHours == -1 && p.clusteredHours == 3 && p.inputCount == 4)
        #expect(r.assignments.allSatisfy { $0 != nil } && r.means.allSatisfy { $0.points.count == 4 })
    }

    @Test("drop: shorter than the modal length dropped (nil), longer truncated to it; a tie goes to the longer length")
    func drop() async throws {
        let t = [line(1, 5), line(2, 5), line(3, 4), line(4, 6), line(5, 5)]
        let r = try await TrajectoryClustering.cluster(t, k: .fixed(2), unequal: .drop)
        let p = r.preparation
        #expect(p.endpointsPerTrajectory == 5 && p.droppedCount == 1 && p.truncatedCount == 1 && p.usedIndices == [0, 1, 3, 4])
        #expect(r.assignments[2] == nil && r.assignments.compactMap { $0 }.count == 4)
        #expect(r.summary().map(\.count).reduce(0, +) == 4)
        let tie = try await TrajectoryClustering.cluster([line(1, 3), line(2, 3), line(3, 5), line(4, 5)], k: .fixed(1), unequal: .drop)
        #expect(tie.preparation.endpointsPerTrajectory == 5 && tie.preparation.droppedCount == 2 && tie.assignments == [nil, nil, 1, 1])
    }

    @Test("errors: k < 1, no trajectories, k above the trajectories left, a 1-endpoint trajectory under truncate, mixed steps, NaN positions")
    func errors() async throws {
        await #expect(throws: ClusterError.invalidClusterCount(0)) { try await TrajectoryClustering.cluster([line(1, 3)], k: .fixed(0)) }
        await #expect(throws: ClusterError.noTrajectories) { try await TrajectoryClustering.cluster([]) }
        // Above the cap Ward's n²/2 matrix is refused before anything is allocated (20,001 → 1.6 GB).
        let many = [Trajectory](repeating: line(1, 2), count: TrajectoryClustering.maximumTrajectories + 1)
        await #expect(throws: ClusterError.tooManyTrajectories(count: 20_001, maximum: 20_000)) { try await TrajectoryClustering.cluster(many) }
        #expect(ClusterError.tooManyTrajectories(count: 20_001, maximum: 20_000).description.contains("1.6 GB"))
        await #expect(throws: ClusterError.tooFewTrajectories(clusters: 3, trajectories: 2, dropped: 1)) {
            try await TrajectoryClustering.cluster([line(1, 4), line(2, 4), line(3, 2)], k: .fixed(3), unequal: .drop)
        }
        let stub = [line(1, 4), line(2, 1), line(3, 4)]
        await #expect(throws: ClusterError.tooShort(trajectoryIndex: 1, trajectoryID: 2, endpoints: 1, unequal: .truncate)) {
            try await TrajectoryClustering.cluster(stub, unequal: .truncate)
        }
        let dropped = try await TrajectoryClustering.cluster(stub, k: .fixed(1), unequal: .drop)
        #expect(dropped.assignments == [1, nil, 1])
        await #expect(throws: ClusterError.timeStepMismatch(trajectoryIndex: 1, trajectoryID: 2, stepHours: -3, expectedHours: -1)) {
            try await TrajectoryClustering.cluster([line(1, 4), line(2, 4, step: -3)])
        }
        let irregular = makeTrajectory(2, [(35, 114), (35, 113), (35, 112), (35, 111)], ages: [0, -1, -2, -4])
        await #expect(throws: ClusterError.irregularTimeStep(trajectoryIndex: 1, trajectoryID: 2, endpoint: 3, stepHours: -2, expectedHours: -1)) {
            try await TrajectoryClustering.cluster([line(1, 4), irregular])
        }
        let late = makeTrajectory(2, [(35, 114), (35, 113), (35, 112)], ages: [-1, -2, -3])
        await #expect(throws: ClusterError.startAgeMismatch(trajectoryIndex: 1, trajectoryID: 2, ageHours: -1, expectedHours: 0)) {
            try await TrajectoryClustering.cluster([line(1, 3), late])
        }
        var broken = line(2, 3)
        broken.endpoints[2].latitude = .nan
        await #expect(throws: ClusterError.invalidEndpoint(trajectoryIndex: 1, trajectoryID: 2, endpoint: 2, reason: "latitude or longitude is not a number")) {
            try await TrajectoryClustering.cluster([line(1, 3), broken])
        }
        #expect(ClusterError.tooShort(trajectoryIndex: 1, trajectoryID: 2, endpoints: 1, unequal: .truncate).description.contains("drop"))
    }

    @Test("summary rows: size, share % of the clustered trajectories, mean of the values present (NaN without any)")
    func summary() async throws {
        let (trajectories, _) = threeBundles()
        let r = try await TrajectoryClustering.cluster(trajectories, k: .fixed(3))
        // Values for the west bundle (positions 0–5): 10…15, north (6–10): two of them, 40 and 50.
        var values = [Double?](repeating: nil, count: 15)
        for i in 0..<6 { values[i] = 10 + Double(i) }
        values[7] = 40
        values[9] = 50
        values[11] = .nan
        let rows = r.summary(values: values)
        #expect(rows.map(\.cluster) == [1, 2, 3] && rows.map(\.count) == [6, 5, 4])
        #expect(rows[0].sharePct == 40 && abs(rows[1].sharePct - 100.0 / 3) < 1e-12)
        #expect(rows[0].meanValue == 12.5 && rows[0].valueCount == 6 && rows[1].meanValue == 45 && rows[1].valueCount == 2)
        #expect(rows[2].meanValue.isNaN && rows[2].valueCount == 0)
    }

    @Test("option texts: --k, --distance, --unequal")
    func parsing() {
        #expect(ClusterCount(parsing: "auto") == .auto && ClusterCount(parsing: " 4 ") == .fixed(4))
        #expect(ClusterCount(parsing: "0") == nil && ClusterCount(parsing: "x") == nil)
        #expect(ClusterDistance(parsing: "greatcircle") == .greatCircle && ClusterDistance(parsing: "Euclidean-Degrees") == .euclideanDegrees)
        #expect(ClusterDistance(parsing: "angle") == .angle && ClusterDistance(parsing: "ward") == .ward && ClusterDistance(parsing: "cosine") == nil)
        #expect(ClusterDistance.allCases.map(\.description) == ["ward", "greatcircle", "euclidean-degrees", "angle"])
        #expect(UnequalLengths(parsing: "DROP") == .drop && UnequalLengths(parsing: "pad") == nil)
    }
}
