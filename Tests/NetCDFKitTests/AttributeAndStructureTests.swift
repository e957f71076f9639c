import Foundation
import Testing
import UpwindTestSupport
@testable import NetCDFKit

@Suite("Attributes, chunking, groups")
struct AttributeAndStructureTests {
    static let allValues: [String: NetCDFAttributeValue] = [
        "a_text": .text("Hello, NetCDF — ünïcødé"),
        "a_strings": .strings(["first", "", "third line"]),
        "a_int8": .int8([-128, 0, 127]),
        "a_uint8": .uint8([0, 255]),
        "a_int16": .int16([-32768, 1, 32767]),
        "a_uint16": .uint16([65535]),
        "a_int32": .int32([Int32.min, 42, Int32.max]),
        "a_uint32": .uint32([UInt32.max, 7]),
        "a_int64": .int64([Int64.min, -1, Int64.max]),
        "a_uint64": .uint64([UInt64.max, 0]),
        "a_float": .float([1.5, -0.25, .greatestFiniteMagnitude]),
        "a_double": .double([.pi, -1e300]),
        "a_empty": .double([]),
    ]

    @Test("attributes of every type round-trip (global and variable, netcdf4)")
    func everyAttributeType() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("atts.nc").path
            do {
                let file = try NetCDFFile.create(path, format: .netcdf4)
                let x = try file.root.defineDimension("x", length: 2)
                let v = try file.root.defineVariable("v", type: .double, dimensions: [x])
                for (name, value) in Self.allValues {
                    try file.root.setAttribute(name, value)
                    try v.setAttribute(name, value)
                }
                try v.write([1.0, 2.0])
                try v.setAttribute("units", .text("K"))      // re-enters define mode after a write
                try v.setAttribute("units", .text("kelvin")) // replaces
                try file.close()
            }
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            let v = try file.root.requiredVariable(named: "v")
            let global = try file.root.attributes()
            #expect(Dictionary(uniqueKeysWithValues: global.map { ($0.name, $0.value) }) == Self.allValues)
            for (name, value) in Self.allValues {
                #expect(try file.root.attribute(named: name)?.value == value, "global \(name)")
                #expect(try v.attribute(named: name)?.value == value, "variable \(name)")
            }
            #expect(try v.attribute(named: "units")?.value == .text("kelvin"))
            #expect(try v.read(Double.self) == [1, 2])
            #expect(try v.attribute(named: "missing") == nil)
            let missing = #expect(throws: NetCDFError.self) { _ = try v.requiredAttribute(named: "missing") }
            #expect(missing == .attributeNotFound(path: path, variable: "v", attribute: "missing"))
            #expect(missing?.description.contains("missing") == true)
        }
    }

    @Test("attribute value conveniences")
    func conveniences() {
        #expect(NetCDFAttributeValue.int16([1, -2]).doubles == [1, -2])
        #expect(NetCDFAttributeValue.uint64([3]).doubles == [3])
        #expect(NetCDFAttributeValue.float([0.5]).doubles == [0.5])
        #expect(NetCDFAttributeValue.text("a").doubles == nil)
        #expect(NetCDFAttributeValue.text("abc").string == "abc")
        #expect(NetCDFAttributeValue.strings(["a", "b"]).string == "a\nb")
        #expect(NetCDFAttributeValue.double([1]).string == nil)
        #expect(NetCDFDataType.double.byteSize == 8)
        #expect(NetCDFDataType.short.byteSize == 2)
        #expect(NetCDFDataType.ubyte.byteSize == 1)
        #expect(NetCDFDataType.string.byteSize == MemoryLayout<UnsafePointer<CChar>>.size)
    }

    @Test("classic files: text and numeric global attributes; strings and 64-bit types are refused")
    func classicAttributes() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("classic-atts.nc").path
            do {
                let file = try NetCDFFile.create(path, format: .classic)
                try file.root.setAttribute("title", .text("classic"))
                try file.root.setAttribute("levels", .double([1000, 850]))
                try file.root.setAttribute("flags", .int8([1, 2]))
                for value in [NetCDFAttributeValue.strings(["x"]), .int64([1]), .uint8([1])] {
                    let error = #expect(throws: NetCDFError.self) { try file.root.setAttribute("bad", value) }
                    #expect(error?.caseName == "invalidRequest")
                }
                try file.close()
            }
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            #expect(try file.root.attributes() == [
                NetCDFAttribute(name: "title", value: .text("classic")),
                NetCDFAttribute(name: "levels", value: .double([1000, 850])),
                NetCDFAttribute(name: "flags", value: .int8([1, 2])),
            ])
            let readOnly = #expect(throws: NetCDFError.self) { try file.root.setAttribute("x", .text("y")) }
            #expect(readOnly?.caseName == "invalidRequest")
        }
    }

    @Test("chunking, deflate and shuffle are stored and reported")
    func chunkingDeflate() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chunked.nc").path
            let values = (0 ..< 200).map { Float($0 % 17) }
            do {
                let file = try NetCDFFile.create(path, format: .netcdf4)
                let t = try file.root.defineDimension("time", length: nil)
                let y = try file.root.defineDimension("y", length: 10)
                let x = try file.root.defineDimension("x", length: 10)
                let v = try file.root.defineVariable("v", type: .float, dimensions: [t, y, x],
                                                     chunking: [1, 5, 10], deflateLevel: 4, shuffle: true)
                let w = try file.root.defineVariable("w", type: .int, dimensions: [y, x])
                let d = try file.root.defineVariable("d", type: .double, dimensions: [y], deflateLevel: 9)
                try v.write(values, start: [0, 0, 0], count: [2, 10, 10])
                try w.write([Int32](repeating: 3, count: 100))
                try d.write([Double](repeating: 1, count: 10))
                let badRank = #expect(throws: NetCDFError.self) {
                    try file.root.defineVariable("bad", type: .float, dimensions: [y, x], chunking: [5])
                }
                #expect(badRank?.caseName == "invalidRequest")
                let shuffleOnly = #expect(throws: NetCDFError.self) {
                    try file.root.defineVariable("bad2", type: .float, dimensions: [y], shuffle: true)
                }
                #expect(shuffleOnly?.caseName == "invalidRequest")
                let badLevel = #expect(throws: NetCDFError.self) {
                    try file.root.defineVariable("bad3", type: .float, dimensions: [y], deflateLevel: 10)
                }
                #expect(badLevel?.caseName == "invalidRequest")
                try file.close()
            }
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            let v = try file.root.requiredVariable(named: "v")
            #expect(try v.chunking() == [1, 5, 10])
            #expect(try v.deflateLevel() == 4)
            #expect(try v.isShuffled())
            #expect(try v.read(Float.self) == values)
            let w = try file.root.requiredVariable(named: "w")
            #expect(try w.chunking() == nil)
            #expect(try w.deflateLevel() == nil)
            #expect(try !w.isShuffled())
            let d = try file.root.requiredVariable(named: "d")
            #expect(try d.deflateLevel() == 9)
            #expect(try d.chunking() != nil)
        }
    }

    @Test("chunking and deflate are refused for classic formats", arguments: [NetCDFFormat.classic, .offset64, .cdf5])
    func chunkingClassic(format: NetCDFFormat) throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("c.nc").path
            let file = try NetCDFFile.create(path, format: format)
            defer { try? file.close() }
            let x = try file.root.defineDimension("x", length: 4)
            let deflate = #expect(throws: NetCDFError.self) {
                try file.root.defineVariable("v", type: .float, dimensions: [x], deflateLevel: 1)
            }
            #expect(deflate?.caseName == "invalidRequest")
            #expect(deflate?.description.contains(path) == true)
            let chunk = #expect(throws: NetCDFError.self) {
                try file.root.defineVariable("v", type: .float, dimensions: [x], chunking: [2])
            }
            #expect(chunk?.caseName == "invalidRequest")
            let v = try file.root.defineVariable("v", type: .float, dimensions: [x])
            #expect(try v.chunking() == nil)
            #expect(try v.deflateLevel() == nil)
        }
    }

    @Test("nested groups are created, listed and read back")
    func groups() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("groups.nc").path
            do {
                let file = try NetCDFFile.create(path, format: .netcdf4)
                let x = try file.root.defineDimension("x", length: 3)
                let met = try file.root.defineGroup("met")
                let surface = try met.defineGroup("surface")
                try file.root.defineGroup("chem")
                let y = try surface.defineDimension("y", length: 2)
                let v = try surface.defineVariable("t2m", type: .double, dimensions: [x, y])
                try v.write([1, 2, 3, 4, 5, 6] as [Double])
                try surface.setAttribute("level", .text("2 m"))
                try file.close()
            }
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            #expect(try file.root.name == "/")
            #expect(try file.root.groups().map { try $0.name } == ["met", "chem"])
            let met = try #require(try file.root.group(named: "met"))
            #expect(try met.groups().map { try $0.name } == ["surface"])
            #expect(try file.root.group(named: "nope") == nil)
            let surface = try #require(try met.group(named: "surface"))
            #expect(try surface.name == "surface")
            #expect(try surface.attribute(named: "level")?.value.string == "2 m")
            // Dimensions visible from the nested group include the parent's.
            #expect(Set(try surface.dimensions().map(\.name)) == ["x", "y"])
            #expect(try surface.dimension(named: "x")?.length == 3)
            #expect(try file.root.dimension(named: "y") == nil)
            let v = try surface.requiredVariable(named: "t2m")
            #expect(v.dimensions.map(\.name) == ["x", "y"])
            #expect(try v.read(Double.self, start: [1, 0], count: [2, 2]) == [3, 4, 5, 6])
            #expect(try file.root.variable(named: "t2m") == nil)
        }
    }

    @Test("classic files have no groups")
    func classicGroups() throws {
        try withTemporaryDirectory { dir in
            let file = try NetCDFFile.create(dir.appendingPathComponent("g.nc").path, format: .classic)
            defer { try? file.close() }
            #expect(try file.root.groups().isEmpty)
            #expect(try file.root.group(named: "a") == nil)
            let error = #expect(throws: NetCDFError.self) { try file.root.defineGroup("a") }
            #expect(error?.caseName == "invalidRequest")
        }
    }

    @Test("lifecycle: endDefine, sync, fill mode, close idempotent, use after close, overwrite")
    func lifecycle() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("life.nc").path
            let file = try NetCDFFile.create(path, format: .offset64)
            try file.setFillMode(false)
            let x = try file.root.defineDimension("x", length: 1_000_000)
            let v = try file.root.defineVariable("big", type: .double, dimensions: [x])
            try file.endDefine()
            try file.endDefine()
            try v.write([7.0], start: [999_999], count: [1])
            try file.sync()
            #expect(try v.read(Double.self, start: [999_999], count: [1]) == [7])
            #expect(!file.isClosed)
            try file.close()
            try file.close()
            #expect(file.isClosed)
            let afterClose = #expect(throws: NetCDFError.self) { _ = try v.read(Double.self) }
            #expect(afterClose?.caseName == "invalidRequest")
            #expect(afterClose?.description.contains("big") == true)
            #expect(try fileSize(path) >= 8_000_000)
            let sparse = try NetCDFFile.open(path)      // a NOFILL file is complete, not "truncated"
            #expect(try sparse.root.requiredVariable(named: "big").read(Double.self, start: [999_999], count: [1]) == [7])
            try sparse.close()

            let exists = #expect(throws: NetCDFError.self) { _ = try NetCDFFile.create(path, format: .classic) }
            #expect(exists?.caseName == "invalidRequest")
            let replaced = try NetCDFFile.create(path, format: .classic, overwrite: true)
            try replaced.close()
            #expect(try fileSize(path) < 100_000)

            let writable = try NetCDFFile.open(path, mode: .write)
            let y = try writable.root.defineDimension("y", length: 2)
            let w = try writable.root.defineVariable("w", type: .int, dimensions: [y])
            try w.write([1, 2] as [Int32])
            let mismatch = #expect(throws: NetCDFError.self) { try w.write([1, 2, 3] as [Int32]) }
            #expect(mismatch?.caseName == "invalidRequest")
            try writable.close()
            let reader = try NetCDFFile.open(path)
            defer { try? reader.close() }
            #expect(try reader.root.requiredVariable(named: "w").read(Int32.self) == [1, 2])
            let readOnly = #expect(throws: NetCDFError.self) {
                try reader.root.requiredVariable(named: "w").write([3, 4] as [Int32])
            }
            #expect(readOnly?.caseName == "invalidRequest")
        }
    }
}
