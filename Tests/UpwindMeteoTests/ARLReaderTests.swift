import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

/// Reference values below come from an independent decoder (a Python transcription of
/// HYSPLIT's `PAKINP`, single precision, written while developing the reader) run on the
/// same files: `(time index, variable, level, i, j) -> value`, i, j 0-based from the SW corner.
func expectValue(_ got: Float?, _ reference: Double, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let got else { Issue.record("\(what): absent", sourceLocation: sourceLocation); return }
    #expect(abs(Double(got) - reference) <= 1e-5 * max(1, abs(reference)), "\(what): \(got) vs \(reference)", sourceLocation: sourceLocation)
}

@Suite("ARL reader: real files")
struct ARLReaderTests {
    let gdas = Fixtures.met("gdas_042.bin")
    let ngm = Fixtures.met("oct1618.BIN")

    @Test("gdas_042.bin: 1° lat-lon 8–22N × 292–314E, 23 pressure levels, 13 three-hourly times, model GDAS")
    func gdasLayout() throws {
        let met = try ARLDataset(paths: [gdas])
        #expect(met.modelID == "GDAS")
        guard case .latLon(let g) = met.projection else { Issue.record("not lat-lon"); return }
        #expect(g.longitudes.count == 23 && g.longitudes.first == 292 && g.longitudes.last == 314)
        #expect(g.latitudes.count == 15 && g.latitudes.first == 8 && g.latitudes.last == 22)
        #expect(!g.isGlobal)
        #expect(met.verticalKind == .pressure)
        #expect(met.levelValues == [1000, 975, 950, 925, 900, 850, 800, 750, 700, 650, 600, 550, 500, 450, 400, 350, 300, 250, 200, 150, 100, 50, 20])
        #expect(met.times.count == 13)
        #expect(met.times.first == UTCTime(year: 2010, month: 2, day: 11, hour: 12))
        #expect(met.times.last == UTCTime(year: 2010, month: 2, day: 13))
        #expect(Set(zip(met.times, met.times.dropFirst()).map { $1 - $0 }) == [10_800])
        // The index text spans 5 records; WWND and RELH stop at 100 hPa (level 21).
        #expect(met.firstIndex.textLength == 1604 && met.firstIndex.levels.count == 24)
        #expect(met.variables["WWND"] == Array(1...21) && met.variables["UWND"] == Array(1...23))
        #expect(met.variables["PRSS"] == [0] && met.variables["SHGT"] == [0] && met.variables["PBLH"] == [0])
        #expect(try met.verifyChecksums() == 13 * 163)
    }

    @Test("gdas_042.bin: decoded values equal an independent decoding; ω in Pa/s; absent WWND levels are NaN")
    func gdasValues() throws {
        let field = try ARLWindField(paths: [gdas])
        #expect(field.modelID == "GDAS")
        guard case .pressure(let p) = field.levels else { Issue.record("not pressure"); return }
        #expect(p.count == 23 && p[0] == 1000 && p[12] == 500 && p[22] == 20)
        let s = try field.slice(at: 0)
        #expect(s.nx == 23 && s.ny == 15 && s.nz == 23)
        let plane = 23 * 15
        expectValue(s.surfacePressure?[0], 1010.7839965820312, "PRSS (0,0)")
        expectValue(s.surfacePressure?[7 * 23 + 10], 1014.7839965820312, "PRSS (10,7)")
        expectValue(s.temperature?[s.index(10, 7, 0)], 297.8293151855469, "TEMP 1000 hPa (10,7)")
        expectValue(s.height?[s.index(10, 7, 12)], 5869.48193359375, "HGTS 500 hPa (10,7)")
        expectValue(s.u[s.index(5, 5, 0)], -6.315000534057617, "UWND 1000 hPa (5,5)")
        expectValue(s.omega?[s.index(10, 7, 12)], 0.0008544921875 * 100, "WWND 500 hPa (10,7) in Pa/s")
        expectValue(s.mixingDepth?[7 * 23 + 10], 689.0399780273438, "PBLH (10,7)")
        expectValue(s.terrain?[8 * 23 + 15], 0, "SHGT over the sea")
        let omega = try #require(s.omega)
        #expect(omega[(21 * plane)..<(23 * plane)].allSatisfy { $0.isNaN }, "no WWND at 50 and 20 hPa: NaN, not 0")
        #expect(omega[(20 * plane)..<(21 * plane)].allSatisfy { $0.isFinite })
        let s12 = try field.slice(at: 12)
        expectValue(s12.v[s12.index(3, 11, 19)], 2.1156811714172363, "VWND 200 hPa (3,11) at 13 Feb 00Z")
        expectValue(s12.relativeHumidity?[s12.index(17, 2, 3)], 57.00010681152344, "RELH 925 hPa (17,2)")
        // Physical plausibility over the Caribbean sea in February.
        let ps = try #require(s.surfacePressure), terrain = try #require(s.terrain)
        let sea = zip(ps, terrain).filter { $0.1 < 10 }.map(\.0)
        #expect(sea.count == 255 && sea.allSatisfy { $0 > 1005 && $0 < 1025 }, "PRSS over the sea")
        #expect(zip(ps, terrain).allSatisfy { $0.1 < 100 || $0.0 < 1005 }, "lower PRSS over the Venezuelan mountains")
        let t1000 = try #require(s.temperature)[0..<plane]
        #expect(t1000.allSatisfy { $0 > 293 && $0 < 303 })
        let z500 = try #require(s.height)[(12 * plane)..<(13 * plane)]
        #expect(z500.allSatisfy { $0 > 5800 && $0 < 5900 })
    }

    @Test("oct1618.BIN: NGM polar stereographic 33×28 (182.9 km at 60N, −105), 10 σ levels, 36 two-hourly times")
    func ngmLayout() throws {
        let met = try ARLDataset(paths: [ngm])
        #expect(met.modelID == "NGM")
        guard case .polarStereographic(let g) = met.projection else { Issue.record("not polar stereographic"); return }
        #expect(g.nx == 33 && g.ny == 28 && g.spacingM == 182_900 && g.standardParallel == 60 && g.centralMeridian == -105)
        #expect(g.earthRadius == 6_371_200)
        // The sync point (13.25, 42.75) is the pole: node (0, 0) sits 12.25 and 41.75 cells from it.
        #expect(abs(g.x0 + 12.25 * 182_900) < 1e-6 && abs(g.y0 + 41.75 * 182_900) < 1e-6)
        #expect(met.verticalKind == .sigma)
        #expect(met.levelValues == [0.9823, 0.9432, 0.8967, 0.8437, 0.7848, 0.721, 0.6531, 0.582, 0.5086, 0.4341])
        #expect(met.times.count == 36)
        #expect(met.times.first == UTCTime(year: 1995, month: 10, day: 16))
        #expect(met.times.last == UTCTime(year: 1995, month: 10, day: 18, hour: 22))
        #expect(Set(zip(met.times, met.times.dropFirst()).map { $1 - $0 }) == [7200])
        #expect(met.variables["HGTS"] == nil && met.variables["PBLH"] == nil)
        #expect(try met.verifyChecksums() == 36 * 61)
        // Grid positions as HYSPLIT's cmapf (STLMBR + STCM1P) computes them.
        for (i, j, lat, lon) in [(0, 0, 22.405875, -121.352384), (4, 6, 31.115778, -117.994617), (19, 14, 42.562501, -91.328693), (32, 27, 48.46441, -51.753679)] {
            let loc = g.location(i: i, j: j)
            #expect(abs(loc.latitude - lat) < 1e-5 && abs(loc.longitude - lon) < 1e-5, "node (\(i), \(j)): \(loc)")
        }
        let x = g.index(latitude: 40, longitude: -90)
        #expect(abs(x.x - 20.095017) < 1e-5 && abs(x.y - 12.472) < 1e-5)
    }

    @Test("oct1618.BIN: decoded values equal an independent decoding; no HGTS, so no heights")
    func ngmValues() throws {
        let field = try ARLWindField(paths: [ngm])
        #expect(field.modelID == "NGM")
        guard case .sigma(let sigma, let top) = field.levels else { Issue.record("not sigma"); return }
        #expect(sigma.count == 10 && top == 0)
        let s = try field.slice(at: 0)
        #expect(s.height == nil && s.mixingDepth == nil && s.relativeHumidity == nil)
        expectValue(s.surfacePressure?[0], 1017.1640014648438, "PRSS (0,0)")
        expectValue(s.surfacePressure?[14 * 33 + 16], 963.1640014648438, "PRSS (16,14)")
        expectValue(s.terrain?[14 * 33 + 16], 456, "SHGT (16,14)")
        expectValue(s.temperature?[s.index(16, 14, 0)], 288.1711120605469, "TEMP σ1 (16,14)")
        expectValue(s.u[s.index(16, 14, 0)], 1.5, "UWND σ1 (16,14)")
        expectValue(s.v[s.index(16, 14, 0)], -3.25, "VWND σ1 (16,14)")
        expectValue(s.omega?[s.index(16, 14, 4)], 0.0008544921875 * 100, "WWND σ5 (16,14) in Pa/s")
        let last = try field.slice(at: 35)
        expectValue(last.temperature?[last.index(5, 20, 9)], 233.69558715820312, "TEMP σ10 (5,20) at 18 Oct 22Z")
        let q = try field.dataset.fields([("SPHU", 2), ("HGTS", 2)], at: 35)
        expectValue(q[0]?[10 * 33 + 20], 0.008390083909034729, "SPHU σ2 (20,10)")
        #expect(q[1] == nil)
    }
}

@Suite("ARL reader: unpacking and checksums")
struct ARLPackingTests {
    @Test("unpacking follows HYSPLIT: column first from VAR1, rows from their first value, |v| < PREC → 0 after the running sum")
    func unpack() {
        // NEXP 7 → scale 1: byte b adds b − 127.
        let bytes: [UInt8] = [127, 128, 129,  // row 0: 10, 11, 13
                              125, 127, 127]  // row 1: 8, 8, 8
        #expect(ARLPacking.unpack(bytes[...], nx: 3, ny: 2, exponent: 7, precision: 0.5, firstValue: 10) == [10, 11, 13, 8, 8, 8])
        // NEXP 6 → scale 2; values below PREC are zeroed but still feed the row's running sum.
        let small: [UInt8] = [127, 128, 128, 127, 126, 127]
        #expect(ARLPacking.unpack(small[...], nx: 3, ny: 2, exponent: 6, precision: 0.6, firstValue: 0) == [0, 0, 1, 0, 0, 0])
        // The next row starts from the (zeroed) first value of the row, as PAKINP's VOLD = RDATA(1, J).
        let rows: [UInt8] = [128, 127, 128, 127]
        #expect(ARLPacking.unpack(rows[...], nx: 2, ny: 2, exponent: 7, precision: 1.5, firstValue: 0) == [0, 0, 0, 0])
    }

    @Test("the checksum is HYSPLIT's end-around-carry sum (subtract 255 at 256), not the sum mod 256")
    func checksum() {
        #expect(ARLPacking.checksum([200, 100][...]) == 45)   // 300 − 255
        #expect(ARLPacking.checksum([255, 1][...]) == 1)
        #expect(ARLPacking.checksum([][...]) == 0)
        #expect(ARLPacking.checksum([UInt8](repeating: 255, count: 10)[...]) == 255)
    }

    @Test("record headers: two-digit years pivot at 40, Fortran blanks, grid letters add thousands")
    func header() throws {
        func parse(_ s: String) throws -> ARLRecordHeader { try ARLRecordHeader(bytes: Array(s.utf8)[...], path: "x", record: 1) }
        let a = try parse("9510160000 0 6INDX   0  .0000000E+00  .0000000E+00")
        #expect(a.year == 1995 && a.month == 10 && a.day == 16 && a.hour == 0 && a.level == 0 && a.variable == "INDX")
        let b = try parse("10 21112 0 199HGTS   5 0.1259843E+00 0.8242841E+02")
        #expect(b.year == 2010 && b.month == 2 && b.day == 11 && b.hour == 12 && b.level == 1 && b.exponent == 5)
        #expect(b.precision == Float("0.1259843E+00") && b.firstValue == Float("0.8242841E+02"))
        #expect(try parse("39 1 1 0 0 0ABUWND   3 0.1000000E+00 0.0000000E+00").year == 2039)
        #expect(try parse("40 1 1 0 0 0ABUWND   3 0.1000000E+00 0.0000000E+00").year == 1940)
        let g = try parse("40 1 1 0 0 0ABUWND   3 0.1000000E+00 0.0000000E+00").gridThousands
        #expect(g.x == 1000 && g.y == 2000)
        #expect(throws: ARLError.self) { try parse("4013 1 0 0 0 9UWND   3 0.1000000E+00 0.0000000E+00") }  // month 13
        #expect(throws: ARLError.self) { try parse("40 1 1 0 0 0 9UWND   3 0.1000000E+00 0.00000X0E+00") }  // VAR1
    }
}
