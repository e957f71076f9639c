import Foundation
import Testing
import UpwindTestSupport

/// Issue 13: every input the fuzzers (scripts/fuzz.sh) found to crash a reader is kept in
/// `Fixtures/fuzz-regressions/<reader>/` and replayed here through the same entry the fuzz
/// harness calls (``FuzzEntries``), so a fixed crash stays fixed. A regression traps this test.
@Suite("Fuzz regression corpus")
struct FuzzReplayTests {
    static let root = Fixtures.root.appendingPathComponent("fuzz-regressions")

    /// The corpus files of one reader (README files excluded).
    static func files(_ reader: String) -> [URL] {
        let folder = root.appendingPathComponent(reader)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test("every file of the regression corpus runs through its reader without a trap", arguments: FuzzEntries.readers)
    func replay(_ reader: String) throws {
        for file in Self.files(reader) {
            FuzzEntries.run(reader, try Data(contentsOf: file))
        }
    }

    @Test("the corpus folders are the readers' names (a misnamed folder would never be replayed)")
    func folders() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.root.path).filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }
        #expect(Set(names).isSubset(of: Set(FuzzEntries.readers + ["known-hdf5"])), "\(names)")
    }
}
