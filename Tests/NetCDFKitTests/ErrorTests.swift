import Foundation
import Testing
import UpwindTestSupport
@testable import NetCDFKit

@Suite("Typed errors")
struct ErrorTests {
    /// Checks the one-line, path-bearing description.
    func checkDescription(_ error: NetCDFError?, contains path: String, _ extra: String? = nil) {
        guard let error else {
            Issue.record("expected an error")
            return
        }
        let text = error.description
        #expect(!text.contains("\n") && !text.contains("\r"), "multi-line description: \(text)")
        #expect(text.contains(path), "description lacks the path: \(text)")
        if let extra { #expect(text.contains(extra), "description lacks '\(extra)': \(text)") }
        #expect(error.path == path)
    }

    @Test("missing file, directory, empty file, text file")
    func fileProblems() throws {
        try withTemporaryDirectory { dir in
            let missing = dir.appendingPathComponent("missing.nc").path
            let e1 = #expect(throws: NetCDFError.self) { _ = try NetCDFFile.open(missing) }
            #expect(e1 == .fileNotFound(path: missing))
            checkDescription(e1, contains: missing)

            let e2 = #expect(throws: NetCDFError.self) { _ = try NetCDFFile.open(dir.path) }
            #expect(e2 == .isDirectory(path: dir.path))
            checkDescription(e2, contains: dir.path)

            let empty = dir.appendingPathComponent("empty.nc").path
            #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
            let e3 = #expect(throws: NetCDFError.self) { _ = try NetCDFFile.open(empty) }
            #expect(e3 == .emptyFile(path: empty))
            checkDescription(e3, contains: empty)

            let text = dir.appendingPathComponent("notes.nc").path
            try "this is not a netCDF file\nat all\n".write(toFile: text, atomically: true, encoding: .utf8)
            let e4 = #expect(throws: NetCDFError.self) { _ = try NetCDFFile.open(text) }
            #expect(e4 == .notNetCDF(path: text))
            checkDescription(e4, contains: text)

            let tiny = dir.appendingPathComponent("tiny.nc").path
            #expect(FileManager.default.createFile(atPath: tiny, contents: Data([0x43, 0x44])))
            let e5 = #expect(throws: NetCDFError.self) { _ = try NetCDFFile.open(tiny) }
            #expect(e5 == .notNetCDF(path: tiny))
        }
    }

    func writeDoubles(_ path: String, format: NetCDFFormat) throws {
        let file = try NetCDFFile.create(path, format: format)
        let x = try file.root.defineDimension("x", length: 1000)
        let v = try file.root.defineVariable("v", type: .double, dimensions: [x])
        try v.write((0 ..< 1000).map(Double.init))
        try file.close()
    }

    @Test("classic files truncated to half are reported as truncated", arguments: [NetCDFFormat.classic, .offset64, .cdf5])
    func truncatedClassic(format: NetCDFFormat) throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("trunc.nc").path
            try writeDoubles(path, format: format)
            let full = try fileSize(path)
            #expect(try FileProbe.validate(path)?.minimumSize == full)   // exact for a complete file
            try truncate(path, to: full / 2)
            let error = #expect(throws: NetCDFError.self) { _ = try NetCDFFile.open(path) }
            if case .truncated(let p, let expected, let actual)? = error {
                #expect(p == path)
                #expect(actual == full / 2)
                #expect(expected > actual)
                #expect(expected == full)
            } else {
                Issue.record("expected .truncated, got \(String(describing: error))")
            }
            checkDescription(error, contains: path)

            // Truncated inside the header: CDF-1/2's dimension count (1, one 8-byte entry at
            // least) no longer fits in the 4 bytes left; CDF-5's 8-byte count itself runs past the
            // end. A plausible count in a cut file is reported as truncated, not corrupt.
            try truncate(path, to: 20)
            let headerError = #expect(throws: NetCDFError.self) { _ = try NetCDFFile.open(path) }
            #expect(headerError == .truncated(path: path, expectedBytes: 24, actualBytes: 20), "\(String(describing: headerError))")
            checkDescription(headerError, contains: path, "truncated")
        }
    }

    @Test("record variables: truncation is detected from numrecs")
    func truncatedRecords() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("records.nc").path
            do {
                let file = try NetCDFFile.create(path, format: .classic)
                let t = try file.root.defineDimension("time", length: nil)
                let x = try file.root.defineDimension("x", length: 5)
                let a = try file.root.defineVariable("a", type: .double, dimensions: [t, x])
                let b = try file.root.defineVariable("b", type: .short, dimensions: [t])
                try a.write([Double](repeating: 1, count: 50), start: [0, 0], count: [10, 5])
                try b.write([Int16](repeating: 2, count: 10), start: [0], count: [10])
                try file.close()
            }
            let full = try fileSize(path)
            #expect(try FileProbe.validate(path)?.minimumSize ?? 0 <= full)
            #expect(try FileProbe.validate(path)?.minimumSize ?? 0 >= full - 3)
            try truncate(path, to: full - 8)
            let error = #expect(throws: NetCDFError.self) { _ = try NetCDFFile.open(path) }
            #expect(error?.caseName == "truncated")
        }
    }

    @Test("a netCDF-4 file truncated to half gives a typed error")
    func truncatedNetCDF4() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("trunc4.nc").path
            try writeDoubles(path, format: .netcdf4)
            let full = try fileSize(path)
            try truncate(path, to: full / 2)
            let error = #expect(throws: NetCDFError.self) { _ = try NetCDFFile.open(path) }
            #expect(error?.caseName == "truncated")
            checkDescription(error, contains: path)
        }
    }

    @Test("unknown variables and out-of-bounds hyperslabs name the variable")
    func requestErrors() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("req.nc").path
            try writeDoubles(path, format: .classic)
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            #expect(try file.root.variable(named: "nosuchvar") == nil)
            let missing = #expect(throws: NetCDFError.self) { _ = try file.root.requiredVariable(named: "nosuchvar") }
            #expect(missing == .variableNotFound(path: path, variable: "nosuchvar"))
            checkDescription(missing, contains: path, "nosuchvar")

            let missingDim = #expect(throws: NetCDFError.self) { _ = try file.root.requiredDimension(named: "nodim") }
            #expect(missingDim == .dimensionNotFound(path: path, dimension: "nodim"))
            checkDescription(missingDim, contains: path, "nodim")

            let v = try file.root.requiredVariable(named: "v")
            let cases: [(start: [Int]?, count: [Int]?)] = [
                ([999], [2]), ([1000], [1]), ([-1], [1]), ([0], [-1]), ([0, 0], [1, 1]), (nil, [1001]), ([1001], nil),
            ]
            for (start, count) in cases {
                let error = #expect(throws: NetCDFError.self) { _ = try v.read(Double.self, start: start, count: count) }
                if case .invalidRequest(let p, let variable, _)? = error {
                    #expect(p == path)
                    #expect(variable == "v")
                } else {
                    Issue.record("expected .invalidRequest for start \(String(describing: start)) count \(String(describing: count)), got \(String(describing: error))")
                }
                checkDescription(error, contains: path, "'v'")
            }
            let badStride = #expect(throws: NetCDFError.self) {
                _ = try v.read(Double.self, start: [0], count: [501], stride: [2])
            }
            #expect(badStride?.caseName == "invalidRequest")
            let zeroStride = #expect(throws: NetCDFError.self) {
                _ = try v.read(Double.self, start: [0], count: [1], stride: [0])
            }
            #expect(zeroStride?.caseName == "invalidRequest")
            #expect(try v.read(Double.self, start: [0], count: [500], stride: [2]).last == 998)
            #expect(try v.read(Double.self, start: [1000], count: [0]).isEmpty)
        }
    }

    @Test("library errors carry code, message, operation and a one-line description")
    func libraryError() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("no/such/dir/x.nc").path
            let error = #expect(throws: NetCDFError.self) { _ = try NetCDFFile.create(path, format: .classic) }
            if case .library(let code, let message, let p, _, let operation)? = error {
                #expect(code != 0)
                #expect(!message.isEmpty)
                #expect(p == path)
                #expect(operation == "nc_create")
            } else {
                Issue.record("expected .library, got \(String(describing: error))")
            }
            checkDescription(error, contains: path, "nc_create")
            #expect(NetCDFError.invalidRequest(path: "a\nb", variable: nil, reason: "x\ny").description.contains("\n") == false)
        }
    }
}
