import Testing
import UpwindAttribution

@Suite("Percentile (R type 7)")
struct PercentileTests {
    @Test("hand-computed type-7 percentiles")
    func handComputed() throws {
        // 1…10, p90: h = 1 + 9·0.9 = 9.1 → 0.9·x9 + 0.1·x10 = 8.1 + 1 = 9.1 (R: quantile(1:10, .9) = 9.1).
        let p90 = try #require(Percentile.type7((1...10).map(Double.init), percent: 90))
        #expect(abs(p90 - 9.1) < 1e-12)
        // Unsorted input, p40 of {15, 20, 35, 40, 50}: h = 1 + 4·0.4 = 2.6 → 0.4·20 + 0.6·35 = 29.
        let p40 = try #require(Percentile.type7([40, 15, 50, 35, 20], percent: 40))
        #expect(abs(p40 - 29) < 1e-12)
        // p75 of {2, 4, 4, 5, 7, 9}: h = 1 + 5·0.75 = 4.75 → 0.25·5 + 0.75·7 = 6.5.
        let p75 = try #require(Percentile.type7([9, 4, 2, 7, 4, 5], percent: 75))
        #expect(abs(p75 - 6.5) < 1e-12)
        // Median of an even count is the mean of the middle two.
        #expect(Percentile.median([4, 1, 3, 2]) == 2.5)
        #expect(Percentile.median([7, 1, 3]) == 3)
    }

    @Test("ties at the percentile give the tied value exactly; ends and degenerate inputs")
    func edges() {
        // {5, 5, 5, 9}, p50: h = 2.5 between two 5s → exactly 5 (no interpolation arithmetic).
        #expect(Percentile.type7([5, 9, 5, 5], percent: 50) == 5)
        #expect(Percentile.type7([3, 1, 2], percent: 0) == 1)
        #expect(Percentile.type7([3, 1, 2], percent: 100) == 3)
        #expect(Percentile.type7([42], percent: 90) == 42)
        #expect(Percentile.type7([], percent: 50) == nil)
        #expect(Percentile.type7([1, 2], percent: 100.5) == nil)
        #expect(Percentile.type7([1, 2], percent: -1) == nil)
        #expect(Percentile.type7([1, .nan], percent: 50) == nil)
    }
}
