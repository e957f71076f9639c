import Foundation
import Testing
import UpwindTestSupport

@Suite("Test support: process runner, temporary folders, fixtures")
struct ProcessRunnerTests {
    /// A reader that drained stdout before stderr would deadlock here: the child fills the
    /// stderr pipe first (2 MB ≫ a pipe buffer) and only then writes stdout, and both again.
    @Test("a child writing > 1 MB to stderr, then stdout, then both, completes with every byte")
    func chattyChild() throws {
        let script = """
        head -c 2000000 /dev/zero | tr '\\000' e >&2
        head -c 3000000 /dev/zero | tr '\\000' o
        head -c 1500000 /dev/zero | tr '\\000' E >&2
        exit 3
        """
        let r = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", script])
        #expect(r.status == 3)
        #expect(r.stdoutData.count == 3_000_000)
        #expect(r.stderrData.count == 3_500_000)
        #expect(r.stdoutData.allSatisfy { $0 == UInt8(ascii: "o") })
        #expect(r.stderrData.prefix(2_000_000).allSatisfy { $0 == UInt8(ascii: "e") })
        #expect(r.stderrData.suffix(1_500_000).allSatisfy { $0 == UInt8(ascii: "E") })
    }

    @Test("the child runs in the given directory with empty stdin; check throws on failure")
    func directoryAndFailure() throws {
        let dir = try TemporaryDirectory()
        try dir.write("here.txt", "x")
        let r = try ProcessRunner.run(["sh", "-c", "ls; cat"], in: dir.url)
        #expect(r.status == 0 && r.stdout == "here.txt\n" && r.stderr.isEmpty)
        #expect(throws: CommandFailed.self) { try ProcessRunner.check(["sh", "-c", "echo nope >&2; exit 1"]) }
    }

    @Test("a temporary folder is removed when released; ncgen builds a fixture's CDL")
    func temporaryFolder() throws {
        var path = ""
        do {
            let dir = try TemporaryDirectory()
            path = dir.path
            let nc = try dir.ncgen("calendar_360")
            #expect(try fileSize(nc) > 0)
            #expect(try dir.contents() == ["calendar_360.cdl", "calendar_360.nc"])
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(FileManager.default.fileExists(atPath: Fixtures.met("gdas_042.bin")))
    }
}
