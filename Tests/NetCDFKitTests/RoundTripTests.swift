import Foundation
import Testing
import UpwindTestSupport
@testable import NetCDFKit

@Suite("Typed hyperslab round trips")
struct RoundTripTests {
    static let shape = [4, 5, 6]

    /// Writes a whole 3-D variable then a block at an offset, reopens the file and checks
    /// full, sub-block and strided reads against an in-memory model.
    func roundTrip<T: NetCDFNumeric & Equatable>(
        _: T.Type, format: NetCDFFormat, directory: URL, make: (Int) -> T
    ) throws {
        let path = directory.appendingPathComponent("rt-\(T.self)-\(format).nc").path
        let shape = Self.shape
        let total = shape.reduce(1, *)
        var model = (0 ..< total).map(make)
        do {
            let file = try NetCDFFile.create(path, format: format)
            let z = try file.root.defineDimension("z", length: shape[0])
            let y = try file.root.defineDimension("y", length: shape[1])
            let x = try file.root.defineDimension("x", length: shape[2])
            let v = try file.root.defineVariable("v", type: T.netCDFType, dimensions: [z, y, x])
            try v.write(model)
            let blockStart = [1, 2, 3], blockCount = [2, 3, 2]
            let block = (0 ..< 12).map { make(total + 7 + $0) }
            try v.write(block, start: blockStart, count: blockCount)
            for (k, index) in hyperslabIndices(shape: shape, start: blockStart, count: blockCount).enumerated() {
                model[index] = block[k]
            }
            try file.close()
        }

        let file = try NetCDFFile.open(path)
        defer { try? file.close() }
        #expect(file.format == format)
        let v = try file.root.requiredVariable(named: "v")
        #expect(v.type == T.netCDFType)
        #expect(v.shape == shape)
        #expect(v.dimensions.map(\.name) == ["z", "y", "x"])

        let all: [T] = try v.read()
        #expect(all == model, "full read of \(T.self) in \(format)")

        let subStart = [1, 1, 2], subCount = [2, 3, 3]
        let sub: [T] = try v.read(start: subStart, count: subCount)
        let expectedSub = hyperslabIndices(shape: shape, start: subStart, count: subCount).map { model[$0] }
        #expect(sub == expectedSub, "sub-block read of \(T.self) in \(format)")

        let stStart = [0, 1, 0], stCount = [2, 2, 3], stride = [2, 2, 2]
        let strided: [T] = try v.read(start: stStart, count: stCount, stride: stride)
        let expectedStrided = hyperslabIndices(shape: shape, start: stStart, count: stCount, stride: stride)
            .map { model[$0] }
        #expect(strided == expectedStrided, "strided read of \(T.self) in \(format)")

        // Only `start`: count defaults to the rest of each dimension.
        let tail: [T] = try v.read(start: [3, 4, 5])
        #expect(tail == [model[total - 1]])
    }

    @Test("every numeric type round-trips with hyperslabs and strides",
          arguments: [NetCDFFormat.classic, .offset64, .cdf5, .netcdf4])
    func everyType(format: NetCDFFormat) throws {
        try withTemporaryDirectory { dir in
            try roundTrip(Int8.self, format: format, directory: dir) { Int8($0 % 120) - 60 }
            try roundTrip(Int16.self, format: format, directory: dir) { Int16($0 * 211) - 10_000 }
            try roundTrip(Int32.self, format: format, directory: dir) { Int32($0) * 1_000_003 - 70_000_000 }
            try roundTrip(Float.self, format: format, directory: dir) { Float($0) * 0.5 - 17.25 }
            try roundTrip(Double.self, format: format, directory: dir) { Double($0) * 1e-3 + .pi }
            let extended = format == .cdf5 || format == .netcdf4
            if extended {
                try roundTrip(UInt8.self, format: format, directory: dir) { UInt8($0 % 250) + 3 }
                try roundTrip(UInt16.self, format: format, directory: dir) { UInt16($0 * 400) }
                try roundTrip(UInt32.self, format: format, directory: dir) { UInt32($0) * 30_000_000 }
                try roundTrip(Int64.self, format: format, directory: dir) { Int64($0) * 10_000_000_007 - (1 << 40) }
                try roundTrip(UInt64.self, format: format, directory: dir) { UInt64($0) * 100_000_000_003 + (1 << 62) }
            } else {
                let path = dir.appendingPathComponent("unsupported.nc").path
                let file = try NetCDFFile.create(path, format: format)
                defer { try? file.close() }
                let x = try file.root.defineDimension("x", length: 2)
                for type in [NetCDFDataType.ubyte, .ushort, .uint, .int64, .uint64, .string] {
                    let error = #expect(throws: NetCDFError.self) {
                        try file.root.defineVariable("u", type: type, dimensions: [x])
                    }
                    #expect(error?.caseName == "invalidRequest")
                }
            }
        }
    }

    @Test("libnetcdf converts between memory and external types")
    func conversion() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("conv.nc").path
            let file = try NetCDFFile.create(path, format: .classic)
            defer { try? file.close() }
            let x = try file.root.defineDimension("x", length: 4)
            let v = try file.root.defineVariable("s", type: .short, dimensions: [x])
            try v.write([1.0, -2.0, 300.0, 4.0])               // Double → NC_SHORT
            #expect(try v.read(Int16.self) == [1, -2, 300, 4])
            #expect(try v.read(Double.self) == [1, -2, 300, 4])
            let error = #expect(throws: NetCDFError.self) { _ = try v.read(Int8.self) }   // 300 overflows Int8
            if case .library(_, _, _, let variable, _)? = error {
                #expect(variable == "s")
            } else {
                Issue.record("expected a library NC_ERANGE error, got \(String(describing: error))")
            }
        }
    }

    @Test("scalar variables and string/char variables")
    func scalarsAndStrings() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("scalar.nc").path
            do {
                let file = try NetCDFFile.create(path, format: .netcdf4)
                let n = try file.root.defineDimension("n", length: 3)
                let len = try file.root.defineDimension("len", length: 6)
                let scalar = try file.root.defineVariable("answer", type: .int, dimensions: [])
                let names = try file.root.defineVariable("names", type: .string, dimensions: [n])
                let codes = try file.root.defineVariable("codes", type: .char, dimensions: [n, len])
                try scalar.write([Int32(42)], start: [], count: [])
                try names.writeStrings(["alpha", "", "γάμμα"])
                try codes.writeStrings(["ab", "cdef"], start: [1], count: [2])
                let tooLong = #expect(throws: NetCDFError.self) { try codes.writeStrings(["seven77"], start: [0], count: [1]) }
                #expect(tooLong?.caseName == "invalidRequest")
                let numericOnText = #expect(throws: NetCDFError.self) { _ = try names.read(Double.self) }
                #expect(numericOnText?.caseName == "invalidRequest")
                try file.close()
            }
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            let scalar = try file.root.requiredVariable(named: "answer")
            #expect(scalar.shape == [])
            #expect(try scalar.read(Int32.self) == [42])
            #expect(try scalar.read(Double.self, start: [], count: []) == [42])
            #expect(try file.root.requiredVariable(named: "names").readStrings() == ["alpha", "", "γάμμα"])
            #expect(try file.root.requiredVariable(named: "codes").readStrings() == ["", "ab", "cdef"])
            let textOnNumeric = #expect(throws: NetCDFError.self) { _ = try scalar.readStrings() }
            #expect(textOnNumeric?.caseName == "invalidRequest")
        }
    }

    @Test("unlimited dimension grows as records are written", arguments: [NetCDFFormat.classic, .netcdf4])
    func unlimited(format: NetCDFFormat) throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("unlim.nc").path
            let file = try NetCDFFile.create(path, format: format)
            let time = try file.root.defineDimension("time", length: nil)
            #expect(time.isUnlimited && time.length == 0)
            let lat = try file.root.defineDimension("lat", length: 3)
            let v = try file.root.defineVariable("t", type: .float, dimensions: [time, lat])
            let other = try file.root.defineVariable("u", type: .double, dimensions: [time])
            #expect(v.shape == [0, 3])
            #expect(try v.read(Float.self).isEmpty)

            try v.write([1, 2, 3] as [Float], start: [0, 0], count: [1, 3])
            #expect(try v.read(Float.self) == [1, 2, 3])
            try v.write([4, 5, 6, 7, 8, 9] as [Float], start: [1, 0], count: [2, 3])
            #expect(try v.read(Float.self) == [1, 2, 3, 4, 5, 6, 7, 8, 9])   // stale `v.shape`, fresh read
            #expect(v.shape == [0, 3])
            #expect(try file.root.dimension(named: "time")?.length == 3)
            try other.write([0.5, 1.5, 2.5, 3.5], start: [0], count: [4])
            try file.close()

            let reopened = try NetCDFFile.open(path)
            defer { try? reopened.close() }
            let t = try reopened.root.requiredVariable(named: "t")
            #expect(t.shape == [4, 3])
            #expect(t.dimensions.first?.isUnlimited == true)
            #expect(t.dimensions.last?.isUnlimited == false)
            let records: [Float] = try t.read(start: [1, 0], count: [2, 3])
            #expect(records == [4, 5, 6, 7, 8, 9])
            #expect(try reopened.root.requiredVariable(named: "u").read(Double.self) == [0.5, 1.5, 2.5, 3.5])
        }
    }
}
