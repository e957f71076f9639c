import Foundation
import Testing
import UpwindTestSupport

/// The README's library example and the DocC getting-started article show the program that
/// `make test` builds and runs (Examples/Consumer, target ReadmeExample), word for word.
@Suite("The README and DocC examples are the program make test runs")
struct ReadmeExampleTests {
    /// The first ```swift block after `heading` in `text`.
    func firstSwiftBlock(_ text: String, after heading: String) throws -> String {
        let tail = try #require(text.range(of: heading)).upperBound
        let open = try #require(text.range(of: "```swift\n", range: tail..<text.endIndex))
        let close = try #require(text.range(of: "```", range: open.upperBound..<text.endIndex))
        return String(text[open.upperBound..<close.lowerBound])
    }

    @Test("README and GettingStarted.md hold the ReadmeExample program, at most twelve lines")
    func sameText() throws {
        let program = try Fixtures.text("../Examples/Consumer/Sources/ReadmeExample/main.swift")
        let readme = try firstSwiftBlock(try Fixtures.text("../README.md"), after: "\n## The library\n")
        let article = try firstSwiftBlock(try Fixtures.text("../Sources/Upwind/Upwind.docc/GettingStarted.md"), after: "## Overview")
        #expect(readme == program)
        #expect(article == program)
        #expect(program.split(separator: "\n").count <= 12)
        #expect(program.contains("Fixtures/met/gdas_042.bin") && program.contains(".tdump"))
    }
}
