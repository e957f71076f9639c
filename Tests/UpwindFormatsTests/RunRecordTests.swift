import Foundation
import Testing
import UpwindCore
import UpwindFormats
import UpwindTestSupport

@Suite("run.json: command, version, settings, inputs with SHA-256, outputs")
struct RunRecordTests {
    @Test("SHA-256 of known texts (FIPS 180-2 examples) and the JSON layout")
    func hashesAndLayout() throws {
        let dir = try TemporaryDirectory()
        try dir.write("abc.txt", "abc")
        try dir.write("empty.txt", "")
        try dir.write("two-blocks.txt", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        #expect(try RunRecord.Input(hashing: dir.path("abc.txt")).sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try RunRecord.Input(hashing: dir.path("empty.txt")).sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try RunRecord.Input(hashing: dir.path("two-blocks.txt")).sha256 == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let record = RunRecord(command: "pscf", version: "0.1.0",
                               settings: [("resolution", .number(0.5)), ("criterion", .string("p75")), ("bounds", .null)],
                               inputs: [try RunRecord.Input(hashing: dir.path("abc.txt"))], outputs: ["grid.csv", "grid.nc"])
        try record.write(to: dir.path("run.json"))
        let text = try dir.read("run.json")
        #expect(text.hasPrefix("{\n  \"command\": \"pscf\",\n  \"version\": \"0.1.0\",\n  \"settings\": {\n    \"resolution\": 0.5,"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((parsed["inputs"] as? [[String: String]])?.first?["sha256"] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(parsed["outputs"] as? [String] == ["grid.csv", "grid.nc"])
        #expect(throws: RunRecordError.self) { _ = try RunRecord.Input(hashing: dir.path("missing.txt")) }
    }
}
