import Foundation
import Testing
import UpwindCore

@Suite("JSONText: the one JSON text writer")
struct JSONTextTests {
    @Test("strings: quotes, backslashes, control characters escaped; other characters as is")
    func quoted() {
        #expect(JSONText.quoted("Beijing, \"PKU\"") == #""Beijing, \"PKU\"""#)
        #expect(JSONText.quoted("a\\b\n\r\t\u{1}\u{1F}") == #""a\\b\n\r\t\u0001\u001f""#)
        #expect(JSONText.quoted("é 北京 /") == "\"é 北京 /\"")
        #expect(JSONText.quoted("") == "\"\"")
    }

    @Test("numbers: shortest form, integers without a fraction, null when not finite")
    func shortest() {
        #expect(JSONText.number(5) == "5" && JSONText.number(-90) == "-90" && JSONText.number(0.1) == "0.1")
        #expect(JSONText.number(1e20) == "1e+20" && JSONText.number(-0.0) == "0")
        #expect(JSONText.number(.nan) == "null" && JSONText.number(-.infinity) == "null")
    }

    @Test("fixed decimals: half away from zero, no -0, null/nil when absent or not finite")
    func fixedDecimals() {
        #expect(JSONText.number(12.25, decimals: 1) == "12.3" && JSONText.number(-12.25, decimals: 1) == "-12.3")
        #expect(JSONText.number(-0.00004, decimals: 4) == "0.0000" && JSONText.number(3, decimals: 0) == "3")
        #expect(JSONText.number(nil, decimals: 2) == "null" && JSONText.number(.nan, decimals: 2) == "null")
        #expect(JSONText.fixed(.infinity, decimals: 1) == nil && JSONText.fixed(1.5, decimals: 9) == "1.500000")
    }

    @Test("fixed decimals of values too large for the fast path are exact, as printf writes them")
    func largeValuesMatchPrintf() {
        var values: [Double] = [9e15, -9e15, 9e14 + 0.25, 9e14 + 0.75, 123_456_789_012.345_67, 1e300, -1.7976931348623157e308,
                                Double(UInt64.max), 2_251_799_813_685_248.5, 9_007_199_254_740_994]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let exponent = Double.random(in: 9...40, using: &generator)
            values.append((Bool.random(using: &generator) ? 1 : -1) * Foundation.pow(10, exponent) * Double.random(in: 1..<10, using: &generator))
        }
        for value in values {
            for d in 0...6 where abs(value) * Foundation.pow(10, Double(d)) >= 9e15 {
                #expect(JSONText.fixed(value, decimals: d) == String(format: "%.\(d)f", value), "\(value) with \(d) decimals")
            }
        }
    }

    @Test("arrays and objects are compact and keep member order")
    func structure() {
        #expect(JSONText.array([]) == "[]" && JSONText.array(["1", "\"a\""]) == #"[1,"a"]"#)
        #expect(JSONText.object([]) == "{}")
        #expect(JSONText.object([("z", "1"), ("a\"", JSONText.array(["null"]))]) == #"{"z":1,"a\"":[null]}"#)
    }

    @Test("JSONValue: compact and pretty texts")
    func value() {
        let v = JSONValue.object([("a", .array([.number(1), .number(0.5)])), ("b", .array([.string("x"), .null])), ("c", .object([])),
                                  ("d", .bool(true))])
        #expect(v.serialized(pretty: false) == #"{"a":[1,0.5],"b":["x",null],"c":{},"d":true}"#)
        #expect(v.serialized() == "{\n  \"a\": [1, 0.5],\n  \"b\": [\n    \"x\",\n    null\n  ],\n  \"c\": {},\n  \"d\": true\n}")
        #expect(v == JSONValue.object([("a", .array([.number(1), .number(0.5)])), ("b", .array([.string("x"), .null])), ("c", .object([])),
                                       ("d", .bool(true))]))
    }
}
