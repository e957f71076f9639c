import Testing
import UpwindCore
import UpwindFormats

@Suite("JSONValue.parse: ordered members, strict RFC 8259, errors with line and column")
struct JSONValueParsingTests {
    @Test("members keep their order; numbers, escapes and nesting as written")
    func ordered() throws {
        let text = #"{"z": 1, "a": [true, null, -2.5e3], "m": {"k": "\u6cb3\u5357 \"x\""}}"#
        let value = try JSONValue.parse(Array(text.utf8))
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["z", "a", "m"])
        #expect(value.serialized(pretty: false) == #"{"z":1,"a":[true,null,-2500],"m":{"k":"河南 \"x\""}}"#)
    }

    @Test("a trailing comma, a comment and text after the value are refused at the right place")
    func refused() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array("[1, 2,]".utf8)) }
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array("// c\n{}".utf8)) }
        do {
            _ = try JSONValue.parse(Array("{\"a\": 1}\n  x".utf8))
            Issue.record("accepted text after the value")
        } catch {
            #expect(error.offset == 11 && error.line == 2 && error.column == 3, "\(error)")
        }
    }
}
