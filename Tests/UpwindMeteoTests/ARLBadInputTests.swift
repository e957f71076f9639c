import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

/// gdas_042.bin: 23×15 grid → 395-byte records; 13 periods of 168 records (5 INDX + 163 data).
enum GDASLayout {
    static let recordLength = 395
    static let recordsPerPeriod = 168
}

@Suite("ARL reader: bad input")
struct ARLBadInputTests {
    let gdas = Fixtures.met("gdas_042.bin")
    let ngm = Fixtures.met("oct1618.BIN")

    /// A copy of gdas_042.bin changed by `edit`.
    func copy(_ dir: TemporaryDirectory, _ name: String, from source: String? = nil, _ edit: (inout Data) -> Void) throws -> String {
        var data = try Data(contentsOf: URL(fileURLWithPath: source ?? gdas))
        edit(&data)
        let path = dir.path(name)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a corrupted data byte gives the checksum error naming the file, record, variable and level")
    func checksum() throws {
        let dir = try TemporaryDirectory()
        // Record 6 is PRSS of the first period (records 1–5 are its index).
        let path = try copy(dir, "bad.bin") { $0[5 * GDASLayout.recordLength + 50 + 100] ^= 0x01 }
        let field = try ARLWindField(paths: [path])
        #expect { _ = try field.slice(at: 0) } throws: { error in
            guard case ARLError.badChecksum(let p, let record, let variable, let level, let time, let expected, let computed) = error else { return false }
            return p == path && record == 6 && variable == "PRSS" && level == 0 && time == "2010-02-11T12:00:00Z" && expected == 71 && computed != 71
                && "\(error)".contains("record 6") && "\(error)".contains("download")
        }
        #expect(throws: ARLError.self) { try field.dataset.verifyChecksums() }
        // Other times are intact.
        _ = try field.slice(at: 1)
    }

    @Test("a file cut inside a record gives the truncated-record error with the record number")
    func truncatedRecord() throws {
        let dir = try TemporaryDirectory()
        let path = try copy(dir, "cut.bin") { $0.removeLast(100) }
        #expect { _ = try ARLDataset(paths: [path]) } throws: { error in
            guard case ARLError.truncated(let p, let record, let detail) = error else { return false }
            return p == path && record == 2184 && detail.contains("862580 bytes")
        }
    }

    @Test("a file cut after a whole record gives the truncated error for the incomplete last period")
    func truncatedPeriod() throws {
        let dir = try TemporaryDirectory()
        let path = try copy(dir, "short.bin") { $0.removeLast(GDASLayout.recordLength) }
        #expect { _ = try ARLDataset(paths: [path]) } throws: { error in
            guard case ARLError.truncated(_, let record, let detail) = error else { return false }
            return record == 2184 && detail.contains("2010-02-13T00:00:00Z") && detail.contains("163")
        }
    }

    @Test("a broken record header gives its error with the record number")
    func brokenHeader() throws {
        let dir = try TemporaryDirectory()
        // Record 40: RELH at 1000 hPa of the first period; its month becomes "AB".
        let path = try copy(dir, "header.bin") { d in
            d.replaceSubrange((39 * GDASLayout.recordLength + 2)..<(39 * GDASLayout.recordLength + 4), with: Array("AB".utf8))
        }
        #expect { _ = try ARLDataset(paths: [path]) } throws: { error in
            guard case ARLError.brokenHeader(let p, let record, let detail) = error else { return false }
            return p == path && record == 40 && detail.contains("month") && "\(error)".contains("record 40")
        }
        // A variable the index does not list.
        let other = try copy(dir, "unlisted.bin") { d in
            d.replaceSubrange((39 * GDASLayout.recordLength + 14)..<(39 * GDASLayout.recordLength + 18), with: Array("XXXX".utf8))
        }
        #expect { _ = try ARLDataset(paths: [other]) } throws: { error in
            guard case ARLError.brokenHeader(_, 40, let detail) = error else { return false }
            return detail.contains("XXXX")
        }
    }

    @Test("a broken index gives its error; a file that is not ARL is refused at record 1")
    func brokenIndex() throws {
        let dir = try TemporaryDirectory()
        // The second period's index: its nz field (index characters 100–102) becomes "x2".
        let start = GDASLayout.recordsPerPeriod * GDASLayout.recordLength + 50 + 99
        let path = try copy(dir, "index.bin") { $0.replaceSubrange(start..<(start + 3), with: Array(" x2".utf8)) }
        #expect { _ = try ARLDataset(paths: [path]) } throws: { error in
            guard case ARLError.brokenIndex(_, let record, let detail) = error else { return false }
            return record == 169 && detail.contains("nz")
        }
        let text = dir.path("notes.txt")
        try String(repeating: "not a met file at all\n", count: 20).write(toFile: text, atomically: true, encoding: .utf8)
        #expect(throws: ARLError.self) { _ = try ARLDataset(paths: [text]) }
        #expect(!ARLDataset.isARL(path: text) && ARLDataset.isARL(path: gdas) && ARLDataset.isARL(path: ngm))
    }

    @Test("several files form one dataset: times concatenated in time order, values identical")
    func multiFile() throws {
        let dir = try TemporaryDirectory()
        let split = 6 * GDASLayout.recordsPerPeriod * GDASLayout.recordLength
        let whole = try Data(contentsOf: URL(fileURLWithPath: gdas))
        let a = dir.path("gdas_a.bin"), b = dir.path("gdas_b.bin")
        try whole[0..<split].write(to: URL(fileURLWithPath: a))
        try whole[split...].write(to: URL(fileURLWithPath: b))
        let one = try ARLWindField(paths: [gdas])
        let two = try ARLWindField(paths: [b, a])
        #expect(two.times == one.times && two.times.count == 13)
        #expect(two.dataset.paths == [b, a])
        for t in [0, 5, 6, 12] {
            let x = try one.slice(at: t), y = try two.slice(at: t)
            #expect(x.u == y.u && x.time == y.time)
        }
        // A glob gives the same dataset.
        let glob = try ARLWindField(paths: [dir.path("gdas_*.bin")])
        #expect(glob.times == one.times && glob.dataset.paths == [a, b])
    }

    @Test("files on different grids are refused naming the file; the same time twice is refused")
    func mismatch() throws {
        #expect { _ = try ARLDataset(paths: [gdas, ngm]) } throws: { error in
            guard case MetError.gridMismatch(let path, let reference, let detail) = error else { return false }
            return path == ngm && reference == gdas && detail.contains("33×28")
        }
        let dir = try TemporaryDirectory()
        let again = try copy(dir, "again.bin") { _ in }
        #expect { _ = try ARLDataset(paths: [gdas, again]) } throws: { error in
            guard case MetError.duplicateTime(_, _, _, let time) = error else { return false }
            return time == "2010-02-11T12:00:00Z"
        }
        #expect { _ = try ARLDataset(paths: [dir.path("nothing-*.bin")]) } throws: { error in
            guard case MetError.noFiles = error else { return false }
            return true
        }
    }

    /// oct1618.BIN with its vertical flag (index characters 103–104) set to `flag` in every period.
    func withFlag(_ dir: TemporaryDirectory, _ flag: Character) throws -> String {
        try copy(dir, "flag\(flag).bin", from: ngm) { d in
            let rl = 50 + 33 * 28
            var r = 0
            while r * rl < d.count {
                if d[(r * rl + 14)..<(r * rl + 18)].elementsEqual(Array("INDX".utf8)) { d[r * rl + 50 + 103] = flag.asciiValue ?? 0 }
                r += 1
            }
        }
    }

    @Test("hybrid levels (flag 4) decode as a + b with a the integer part (hPa) and b the fraction")
    func hybridLevels() throws {
        let dir = try TemporaryDirectory()
        let field = try ARLWindField(paths: [try withFlag(dir, "4")])
        guard case .hybrid(let a, let b) = field.levels else { Issue.record("not hybrid: \(field.levels)"); return }
        #expect(a == Array(repeating: 0, count: 10) && b.first == 0.9823 && b.last == 0.4341)
        // With a = 0 the hybrid levels are the σ levels: the same trajectory.
        let start = TrajectoryStart(site: "T", latitude: 40, longitude: -90, height: 500, time: UTCTime(year: 1995, month: 10, day: 16))
        let h = try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: 6)).run([start]).trajectories[0]
        let s = try TrajectoryEngine(field: try ARLWindField(paths: [ngm]), options: TrajectoryOptions(hours: 6)).run([start]).trajectories[0]
        #expect(h.endpoints.map(\.latitude) == s.endpoints.map(\.latitude) && h.endpoints.map(\.pressureHPa) == s.endpoints.map(\.pressureHPa))
        #expect(try ARLInspection(field.dataset, scan: false).json(pretty: false).contains(#""vertical":{"kind":"hybrid","units":"1","levels":[0.9823,"#))
    }

    @Test("terrain-following height levels (flag 3) are described but refused by the wind field with a clear MetError")
    func heightLevels() throws {
        let dir = try TemporaryDirectory()
        let path = try withFlag(dir, "3")
        let met = try ARLDataset(paths: [path])
        #expect(met.verticalKind == .height)
        #expect { _ = try ARLWindField(met) } throws: { error in
            guard case MetError.unsupportedGrid(let p, let detail) = error else { return false }
            return p == path && detail.contains("terrain-following")
        }
    }
}

@Suite("ARL: inspect")
struct ARLInspectTests {
    @Test("oct1618.BIN: projected grid with the projection and x/y axes in metres, σ levels, ARL names and units")
    func ngm() throws {
        let inspection = try ARLInspection(try ARLDataset(paths: [Fixtures.met("oct1618.BIN")]))
        let json = inspection.json(pretty: false)
        #expect(json.contains(#""grid":{"kind":"projected","projection":{"name":"polar_stereographic","standard_parallel":60,"central_meridian":-105,"earth_radius_m":6371200"#))
        #expect(json.contains(#""x":{"first":-2240525,"last":3612275,"count":33,"step":182900}"#))
        #expect(json.contains(#""y":{"first":-7636075,"last":-2697775,"count":28,"step":182900}"#))
        #expect(json.contains(#""vertical":{"kind":"sigma","units":"1","levels":[0.9823,0.9432,0.8967,0.8437,0.7848,0.721,0.6531,0.582,0.5086,0.4341]}"#))
        #expect(json.contains(#""time":{"first":"1995-10-16T00:00:00Z","last":"1995-10-18T22:00:00Z","count":36,"step_seconds":7200}"#))
        #expect(json.contains(#""u":{"name":"UWND","units":"m/s"}"#) && json.contains(#""w":{"name":"WWND","units":"hPa/s","kind":"omega"}"#))
        #expect(json.contains(#""geopotential_height":null"#) && json.contains(#""specific_humidity":{"name":"SPHU","units":"kg/kg"}"#))
        #expect(json.contains(#""missing_values":0"#) && json.contains(#""model_id":"NGM""#))
        #expect(inspection.summary.contains("polar stereographic 33×28"))
    }

    @Test("gdas_042.bin: the lat-lon keys of the NetCDF contract; WWND and RELH levels stop at 100 hPa")
    func gdas() throws {
        let inspection = try ARLInspection(try ARLDataset(paths: [Fixtures.met("gdas_042.bin")]), scan: false)
        let json = inspection.json(pretty: false)
        #expect(json.hasPrefix(#"{"grid":{"kind":"latlon","longitude":{"first":292,"last":314,"count":23,"step":1,"global":false},"latitude":{"first":8,"last":22,"count":15,"step":1}}"#))
        #expect(json.contains(#""vertical":{"kind":"pressure","units":"hPa","levels":[1000,975,950,925,900,850,800,750,700,650,600,550,500,450,400,350,300,250,200,150,100,50,20]}"#))
        #expect(json.contains(#""w":{"name":"WWND","units":"hPa/s","kind":"omega","levels":[1000,"#))
        #expect(json.contains(#""missing_values":null"#))
        #expect(json.contains(#""step_seconds":10800"#))
    }
}
