import Foundation
import Testing
import UpwindTestSupport
@testable import NetCDFKit

/// A hand-built classic netCDF file: dimensions `time` (record) and `x` = 3, a global text
/// attribute `title`, a fixed variable `x(x)` (float, with a text attribute `units`) and a
/// record variable `t(time)` (double), with `numrecs` records. Every field can be overridden
/// to build one corrupt header at a time.
struct ClassicSpec {
    var version: UInt8 = 1
    var numrecs: Int64 = 2
    var dimensionTag: Int32 = 0x0A
    var dimensionCount: Int64?
    var dimensions: [(name: String, length: Int64)] = [("time", 0), ("x", 3)]
    var firstNameLength: Int64?
    var titleType: Int32 = 2
    var titleCount: Int64?
    var titleBytes: [UInt8] = Array("hi".utf8)
    var variableCount: Int64?
    var xRank: Int64?
    var xDimensionIDs: [Int64] = [1]
    var xType: Int32 = 5
    var xVsize: Int64?
    var xBegin: Int64?
    var tDimensionIDs: [Int64] = [0]
    var tBegin: Int64?
    /// Records of `t` actually written (default: `numrecs`, at most 4).
    var recordsWritten: Int64?

    /// The file's bytes: header, then `x`'s 3 floats (1, 2, 3), then the records of `t` (10, 11, …).
    func bytes() -> [UInt8] {
        var out: [UInt8] = []
        func be(_ value: Int64, _ size: Int) { for k in (0 ..< size).reversed() { out.append(UInt8(truncatingIfNeeded: value >> (8 * k))) } }
        func count(_ value: Int64) { be(value, version == 5 ? 8 : 4) }
        func offset(_ value: Int64) { be(value, version == 1 ? 4 : 8) }
        func name(_ text: String, length: Int64? = nil) {
            let utf8 = Array(text.utf8)
            count(length ?? Int64(utf8.count))
            out += utf8 + [UInt8](repeating: 0, count: (4 - utf8.count % 4) % 4)
        }
        func text(_ utf8: [UInt8], type: Int32, count n: Int64?) {
            be(Int64(type), 4)
            count(n ?? Int64(utf8.count))
            out += utf8 + [UInt8](repeating: 0, count: (4 - utf8.count % 4) % 4)
        }
        func header(xBegin: Int64, tBegin: Int64) {
            out = Array("CDF".utf8) + [version]
            count(numrecs)
            be(Int64(dimensionTag), 4)
            count(dimensionCount ?? Int64(dimensions.count))
            for (index, d) in dimensions.enumerated() {
                name(d.name, length: index == 0 ? firstNameLength : nil)
                count(d.length)
            }
            be(0x0C, 4); count(1)
            name("title"); text(titleBytes, type: titleType, count: titleCount)
            be(0x0B, 4); count(variableCount ?? 2)
            name("x"); count(xRank ?? Int64(xDimensionIDs.count)); xDimensionIDs.forEach { count($0) }
            be(0x0C, 4); count(1); name("units"); text(Array("m".utf8), type: 2, count: nil)
            be(Int64(xType), 4); count(xVsize ?? 12); offset(xBegin)
            name("t"); count(Int64(tDimensionIDs.count)); tDimensionIDs.forEach { count($0) }
            be(0, 4); count(0)
            be(6, 4); count(8); offset(tBegin)
        }
        header(xBegin: 0, tBegin: 0)
        let end = Int64(out.count)
        header(xBegin: self.xBegin ?? end, tBegin: self.tBegin ?? end + 12)
        for value: Float in [1, 2, 3] { be(Int64(value.bitPattern), 4) }
        for record in 0 ..< max(0, recordsWritten ?? min(numrecs, 4)) { be(Int64(Double(10 + record).bitPattern), 8) }
        return out
    }

    func write(_ path: String) throws { try Data(bytes()).write(to: URL(fileURLWithPath: path)) }
}

@Suite("Classic header validation before nc_open")
struct ClassicHeaderTests {
    @Test("the hand-built header is valid: libnetcdf opens it and reads the values it holds", arguments: [UInt8(1), 2, 5])
    func valid(version: UInt8) throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("ok.nc").path
            try ClassicSpec(version: version).write(path)
            let probe = try #require(try FileProbe.validate(path))
            #expect(probe.minimumSize == probe.fileSize)
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            #expect(try file.root.requiredVariable(named: "x").read(Float.self) == [1, 2, 3])
            #expect(try file.root.requiredVariable(named: "t").read(Double.self) == [10, 11])
            #expect(try file.root.attribute(named: "title")?.value == .text("hi"))
        }
    }

    /// One corrupt field per case: what to change, the field the error must name, its value.
    static let corruptions: [(label: String, change: @Sendable (inout ClassicSpec) -> Void, field: String, value: String)] = [
        ("dimension count", { $0.dimensionCount = 0x24AE_0004 }, "number of dimensions", "615383044"),
        ("dimension list tag", { $0.dimensionTag = 0x0B }, "number of dimensions tag", "11"),
        ("name length", { $0.firstNameLength = 0x7FFF_FFFF }, "dimension 0 name length", "2147483647"),
        ("two record dimensions", { $0.dimensions.append(("y", 0)) }, "dimension 'y' length", "0"),
        ("attribute type 0", { $0.titleType = 0 }, "attribute 'title' of the file (global) type", "0"),
        ("attribute type 12", { $0.titleType = 12 }, "attribute 'title' of the file (global) type", "12"),
        ("attribute type 10 (CDF-5 only)", { $0.titleType = 10 }, "attribute 'title' of the file (global) type", "10"),
        ("attribute size", { $0.titleCount = 0x7000_0000 }, "attribute 'title' of the file (global) number of values", "1879048192"),
        ("variable count", { $0.variableCount = 0x0100_0000 }, "number of variables", "16777216"),
        ("variable rank", { $0.xRank = 0x0010_0000 }, "variable 'x' number of dimensions", "1048576"),
        ("dimension id", { $0.xDimensionIDs = [7] }, "variable 'x' dimension id", "7"),
        ("record dimension not first", { $0.xDimensionIDs = [1, 0] }, "variable 'x' dimension id", "0"),
        ("variable type", { $0.xType = 99 }, "variable 'x' type", "99"),
        ("begin inside the header", { $0.xBegin = 8 }, "variable 'x' begin", "8"),
        ("vsize", { $0.xVsize = 0x7FFF_0000 }, "variable 'x' vsize", "2147418112"),
        ("numrecs", { $0.numrecs = 0x0FFF_FFFF }, "numrecs", "268435455"),
    ]

    @Test("each corrupt field is refused before nc_open, naming the file, the field and the value",
          arguments: [UInt8(1), 2, 5], 0 ..< corruptions.count)
    func corrupt(version: UInt8, index: Int) throws {
        let c = Self.corruptions[index]
        var spec = ClassicSpec(version: version)
        c.change(&spec)
        if version == 5 && c.label.contains("CDF-5 only") { return }   // a valid type there
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("bad.nc").path
            try spec.write(path)
            let error = #expect(throws: NetCDFError.self, "\(c.label)") { _ = try NetCDFFile.open(path) }
            guard case .corruptHeader(let p, let field, let value, _)? = error else {
                Issue.record("\(c.label) (CDF-\(version)): expected .corruptHeader, got \(String(describing: error))")
                return
            }
            #expect(p == path)
            #expect(field == c.field, "\(c.label)")
            #expect(value == c.value, "\(c.label)")
            let text = error?.description ?? ""
            #expect(text.contains(path) && text.contains(c.field) && text.contains(c.value), "\(text)")
            #expect(text.contains("the file is corrupt or truncated; re-download it or check it with `ncdump -h`"), "\(text)")
            #expect(!text.contains("\n"))
        }
    }

    @Test("CDF-5 accepts the types 7–11 that CDF-1/2 refuse")
    func cdf5Types() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("ok5.nc").path
            var spec = ClassicSpec(version: 5)
            spec.titleType = 10      // one int64 value
            spec.titleCount = 1
            spec.titleBytes = [0, 0, 0, 0, 0, 0, 0, 42]
            try spec.write(path)
            #expect(try FileProbe.validate(path) != nil)
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            #expect(try file.root.attribute(named: "title")?.value.doubles == [42])
        }
    }

    @Test("numrecs may run past the end of the file by at most one record")
    func recordTolerance() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("rec.nc").path
            var spec = ClassicSpec()
            spec.numrecs = 3                       // the file holds 2 records + nothing of the third
            spec.recordsWritten = 2
            try spec.write(path)
            let error = #expect(throws: NetCDFError.self) { _ = try NetCDFFile.open(path) }
            #expect(error?.caseName == "truncated", "\(String(describing: error))")   // one record short: truncated
            spec.numrecs = 4                       // two records short: corrupt numrecs
            try spec.write(path)
            let error4 = #expect(throws: NetCDFError.self) { _ = try NetCDFFile.open(path) }
            guard case .corruptHeader(_, "numrecs", "4", _)? = error4 else {
                Issue.record("expected corrupt numrecs, got \(String(describing: error4))")
                return
            }
        }
    }

    @Test("the five headers that crashed libnetcdf 4.9.0 (and ncdump) are refused as corrupt")
    func knownLibnetcdfCrashes() throws {
        let folder = Fixtures.root.appendingPathComponent("fuzz-regressions/netcdf")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("libnetcdf-crash-") }.sorted()
        #expect(names.count == 5)
        for name in names {
            let path = folder.appendingPathComponent(name).path
            let error = #expect(throws: NetCDFError.self, "\(name)") { _ = try FileProbe.validate(path) }
            #expect(error?.caseName == "corruptHeader", "\(name): \(String(describing: error))")
        }
    }

    /// Classic files from ncgen (every classic CDL fixture, in the three classic formats) and the real met files.
    static func classicFiles(in dir: URL) throws -> [String] {
        var paths: [String] = []
        let cdlFolder = Fixtures.root.appendingPathComponent("cdl")
        for name in try FileManager.default.contentsOfDirectory(atPath: cdlFolder.path).sorted() where name.hasSuffix(".cdl") {
            let cdl = cdlFolder.appendingPathComponent(name).path
            guard NCGen.kind(of: try String(contentsOfFile: cdl, encoding: .utf8)) == nil else { continue }
            for kind in ["1", "2", "5"] {       // ncgen -k: classic, 64-bit offset, CDF-5
                let out = dir.appendingPathComponent("\(name)-cdf\(kind).nc").path
                try NCGen.run(cdlFile: cdl, output: out, kind: kind)
                paths.append(out)
            }
        }
        for name in ["grads_model_1987.nc", "ncl_storm1996_500hPa.nc", "ncl_storm1996_sfc.nc"] {
            paths.append(Fixtures.root.appendingPathComponent("met/\(name)").path)
        }
        return paths
    }

    @Test("every classic fixture passes the validator, and each cut short is refused as truncated or corrupt, never by libnetcdf")
    func fixturesAndTruncations() throws {
        try withTemporaryDirectory { dir in
            let files = try Self.classicFiles(in: dir)
            #expect(files.count > 60)
            for path in files {
                let probe = try FileProbe.validate(path)
                #expect(probe.map { $0.minimumSize <= $0.fileSize } == true, "\(path)")
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                let cut = dir.appendingPathComponent("cut.nc").path
                for fraction in [0.01, 0.1, 0.3, 0.6, 0.95] {
                    let size = max(5, Int(Double(bytes.count) * fraction))
                    guard Int64(size) < (probe?.minimumSize ?? 0) else { continue }   // bytes past the last variable's data may go
                    try bytes.prefix(size).write(to: URL(fileURLWithPath: cut))
                    let error = #expect(throws: NetCDFError.self, "\(path) cut to \(size)") { _ = try FileProbe.validate(cut) }
                    #expect(["truncated", "corruptHeader"].contains(error?.caseName ?? ""), "\(path) cut to \(size): \(String(describing: error))")
                }
            }
        }
    }
}
