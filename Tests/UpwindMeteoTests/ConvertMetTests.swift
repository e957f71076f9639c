import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

/// A deterministic pseudo-random sequence (tests must not depend on the system generator).
struct SplitMix {
    var state: UInt64
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}

@Suite("ARL writer: packing, headers, index records")
struct ConvertMetPackingTests {
    /// Packing then HYSPLIT's unpacking reproduces every value within the theoretical bound,
    /// with no error growing along the rows, for smooth, rough, flat and small-valued fields.
    @Test("pack is exactly inverse to PAKINP: every value within half a step (or PREC)")
    func packUnpack() throws {
        var rng = SplitMix(state: 7)
        let nx = 360, ny = 181
        let cases: [(String, (Int, Int) -> Float)] = [
            ("smooth temperature", { i, j in Float(300 - 0.5 * Double(j) + 5 * sin(Double(i) * .pi / 45)) }),
            ("rough wind", { _, _ in Float(40 * (rng.next() - 0.5)) }),
            ("flat", { _, _ in 1013.25 }),
            ("small omega", { i, j in Float(0.002 * sin(Double(i + 3 * j) / 17)) }),
            ("geopotential height", { i, j in Float(5500 + 100 * cos(Double(j) / 30) + Double(i % 7)) }),
        ]
        for (name, f) in cases {
            var values = [Float](repeating: 0, count: nx * ny)
            for j in 0..<ny { for i in 0..<nx { values[j * nx + i] = f(i, j) } }
            let p = ARLPacking.pack(values, nx: nx, ny: ny)
            let back = ARLPacking.unpack(p.bytes[...], nx: nx, ny: ny, exponent: p.exponent, precision: p.precision, firstValue: p.firstValue)
            let largest = values.map { abs(Double($0)) }.max() ?? 0
            let bound = p.errorBound(largestMagnitude: largest)
            var worst = 0.0, worstLastColumn = 0.0
            for n in values.indices {
                let e = abs(Double(back[n]) - Double(values[n]))
                worst = max(worst, e)
                if n % nx == nx - 1 { worstLastColumn = max(worstLastColumn, e) }
            }
            #expect(worst <= bound, "\(name): max error \(worst) > bound \(bound)")
            #expect(abs(worst - p.maxError) <= 1e-12 * max(1, largest), "\(name): reported \(p.maxError), measured \(worst)")
            #expect(worstLastColumn <= bound, "\(name): the row ends drift")
            #expect(p.checksum == ARLPacking.checksum(p.bytes[...]))
            print(String(format: "pack %@: NEXP %d, PREC %.3g, max error %.3g (bound %.3g)", name, p.exponent, Double(p.precision), worst, bound))
        }
    }

    @Test("NEXP as HYSPLIT chooses it: INT(log2 rmax), +1 when the logarithm is ≥ 0 or whole",
          arguments: [(3.0, 2), (4.0, 3), (1.0, 1), (0.25, -1), (0.3, -1), (0.7, 0), (0.0, 1), (100.0, 7)])
    func exponent(rmax: Double, expected: Int) {
        let p = ARLPacking.pack([0, Float(rmax), Float(rmax), Float(rmax)] + [Float](repeating: Float(rmax), count: 4), nx: 4, ny: 2)
        #expect(p.exponent == expected, "rmax \(rmax)")
        #expect(abs(Double(p.precision) - pow(2, Double(expected)) / 254) <= 1e-6 * pow(2, Double(expected)) / 254)
    }

    @Test("Fortran text: E14.7, F7.x grid reals and F6.x levels as PAKREC/PAKNDX write them")
    func fortranText() {
        #expect(ARLFormat.e14(0) == " 0.0000000E+00")
        #expect(ARLFormat.e14(123.456789) == " 0.1234568E+03")
        #expect(ARLFormat.e14(-0.00024606) == "-0.2460600E-03")
        #expect(ARLFormat.e14(1) == " 0.1000000E+01")
        #expect(ARLFormat.gridReal(22) == "22.0000")
        #expect(ARLFormat.gridReal(314) == "314.000")
        #expect(ARLFormat.gridReal(0) == ".000000")
        #expect(ARLFormat.gridReal(0.25) == ".250000")
        #expect(ARLFormat.gridReal(-105) == "-105.00")
        #expect(ARLFormat.gridReal(-0.5) == "-.50000")
        #expect(ARLFormat.gridReal(1) == "1.00000")
        #expect(ARLFormat.levelValue(0) == ".00000")
        #expect(ARLFormat.levelValue(0.9823) == ".98230")
        #expect(ARLFormat.levelValue(1000) == "1000.0")
        #expect(ARLFormat.levelValue(850) == "850.00")
        #expect(ARLFormat.levelValue(20) == "20.000")
        #expect(ARLFormat.levelValue(10000) == "10000.")
        for text in [".250000", "-.50000", ".98230"] { #expect(ARLText.real(text) != nil, "\(text) parses") }
    }
}

/// A small ARL dataset written by ``ARLWriter`` from analytic fields.
struct AnalyticARL {
    static func field(_ name: String, level: Int, nx: Int, ny: Int, t: Int) -> [Float] {
        var out = [Float](repeating: 0, count: nx * ny)
        for j in 0..<ny {
            for i in 0..<nx {
                let x = Double(i), y = Double(j), k = Double(level), h = Double(t)
                let v: Double
                switch name {
                case "UWND": v = 10 + 0.3 * x - 0.2 * y + k + 0.5 * h
                case "VWND": v = -5 + 0.1 * x + 0.25 * y - 0.5 * k
                case "WWND": v = 0.001 * sin(x / 3) * cos(y / 4)
                case "TEMP": v = 290 - 6 * k - 0.1 * y
                case "HGTS": v = 100 + 1500 * k + x
                case "PRSS": v = 1000 - 0.5 * x
                case "SHGT": v = 5 * x + y
                default: v = 0
                }
                out[j * nx + i] = Float(v)
            }
        }
        return out
    }

    /// Writes `times` periods on `projection` with `levels`, returning the report.
    static func write(to path: String, projection: MapProjection, flag: Int, levels: [Double], times: [UTCTime],
                      upper: [String] = ["HGTS", "TEMP", "UWND", "VWND", "WWND"]) throws -> ARLConversionReport {
        let nx = projection.grid.nx, ny = projection.grid.ny
        let kind: VerticalKind = flag == 1 ? .sigma : flag == 4 ? .hybrid : .pressure
        var variables: [(name: String, levels: [Int])] = [("PRSS", [0]), ("SHGT", [0])]
        for name in upper { variables.append((name, Array(1...levels.count))) }
        let source = GriddedMetSource(projection: projection, verticalKind: kind, levels: levels, times: times, source: "TEST",
                                      variables: variables) { t in
            var out: [ARLFieldValues] = []
            for (name, ks) in variables { for k in ks { out.append(ARLFieldValues(name: name, level: k, values: field(name, level: k, nx: nx, ny: ny, t: t))) } }
            return out
        }
        return try ARLWriter.write(source, to: path)
    }
}

@Suite("ARL writer → ARL reader round trips")
struct ConvertMetARLRoundTripTests {
    static let times = [UTCTime(year: 2024, month: 7, day: 1), UTCTime(year: 2024, month: 7, day: 1, hour: 3, minute: 30)]

    func check(_ path: String, report: ARLConversionReport, nz: Int) throws {
        let d = try ARLDataset(paths: [path])
        #expect(try d.verifyChecksums() == report.records.count)
        #expect(d.times == Self.times)
        #expect(d.modelID == "TEST")
        for t in d.times.indices {
            var requests: [(variable: String, level: Int)] = [("PRSS", 0), ("SHGT", 0)]
            for k in 1...nz { for n in ["HGTS", "TEMP", "UWND", "VWND", "WWND"] { requests.append((n, k)) } }
            let got = try d.fields(requests, at: t)
            for (r, values) in zip(requests, got) {
                let values = try #require(values)
                let expected = AnalyticARL.field(r.variable, level: r.level, nx: d.nx, ny: d.ny, t: t)
                let summary = try #require(report.records.first { $0.variable == r.variable && $0.level == r.level && $0.time == d.times[t] })
                let worst = zip(values, expected).map { abs(Double($0) - Double($1)) }.max() ?? 0
                #expect(worst <= summary.errorBound, "\(r.variable)@\(r.level): \(worst) > \(summary.errorBound)")
            }
        }
    }

    @Test("global 1° lat-lon grid, 0–360, pressure levels; the index spans several records")
    func globalLatLon() throws {
        let dir = try TemporaryDirectory()
        let grid = LatLonGrid(longitudes: (0..<36).map { Double($0) * 10 }, latitudes: (0..<19).map { -90 + Double($0) * 10 }, isGlobal: true)
        let levels = (0..<30).map { 1000 - Double($0) * 30 }
        let path = dir.path("global.arl")
        let report = try AnalyticARL.write(to: path, projection: .latLon(grid), flag: 2, levels: levels, times: Self.times)
        let d = try ARLDataset(paths: [path])
        guard case .latLon(let g) = d.projection else { Issue.record("not lat-lon"); return }
        #expect(g.isGlobal && g.longitudes == grid.longitudes && g.latitudes == grid.latitudes)
        #expect(d.levelValues == levels && d.verticalKind == .pressure)
        // 108 + 31·8 + 30·5·8 + 2·8 = 1572 characters on 684-byte records: 3 index records.
        #expect(d.firstIndex.textLength > 2 * 36 * 19)
        try check(path, report: report, nz: levels.count)
    }

    @Test("regional lat-lon grid west of Greenwich (sync longitude in 0–360)")
    func regionalLatLon() throws {
        let dir = try TemporaryDirectory()
        let grid = LatLonGrid(longitudes: (0..<23).map { -68 + Double($0) }, latitudes: (0..<15).map { 8 + Double($0) }, isGlobal: false)
        let path = dir.path("regional.bin")
        let report = try AnalyticARL.write(to: path, projection: .latLon(grid), flag: 2, levels: [1000, 850, 500], times: Self.times)
        let d = try ARLDataset(paths: [path])
        #expect(abs(d.firstIndex.grid.syncLongitude - 292) < 1e-9)
        let p = d.grid.location(i: 0, j: 0)
        #expect(abs(p.latitude - 8) < 1e-9 && abs(Geodesy.normalizedLongitude(p.longitude) + 68) < 1e-9)
        try check(path, report: report, nz: 3)
    }

    @Test("projected grids (polar stereographic, Lambert, Mercator) with σ and hybrid levels",
          arguments: [0, 1, 2])
    func projected(kind: Int) throws {
        let dir = try TemporaryDirectory()
        let projection: MapProjection
        switch kind {
        case 0: projection = .polarStereographic(PolarStereographicGrid(nx: 20, ny: 16, spacingM: 180_000, x0: -2_000_000, y0: -4_500_000,
                                                                      standardParallel: 60, centralMeridian: -105, earthRadius: MapProjection.earthRadius))
        case 1: projection = .lambertConformal(LambertConformalGrid(nx: 20, ny: 16, spacingM: 40_000, x0: -400_000, y0: -9_000_000,
                                                                   tangentLatitude: 35, centralMeridian: -97, referenceLatitude: 40,
                                                                   earthRadius: MapProjection.earthRadius))
        default: projection = .mercator(MercatorGrid(nx: 20, ny: 16, spacingM: 50_000, x0: -500_000, y0: 1_000_000, referenceLatitude: 20,
                                                     centralMeridian: 120, earthRadius: MapProjection.earthRadius))
        }
        let path = dir.path("projected.arl")
        let flag = kind == 1 ? 4 : 1
        let levels = kind == 1 ? [0.995, 10.9, 50.7, 150.4] : [0.98, 0.9, 0.8, 0.6]
        let report = try AnalyticARL.write(to: path, projection: projection, flag: flag, levels: levels, times: Self.times)
        let d = try ARLDataset(paths: [path])
        #expect(d.projection.name == projection.name)
        // The sync point is written with F7 decimals: nodes agree to a few metres at most.
        for (i, j) in [(0, 0), (19, 15), (7, 11)] {
            let a = d.grid.location(i: i, j: j), b = projection.grid.location(i: i, j: j)
            let m = Geodesy.distance(latitude1: a.latitude, longitude1: a.longitude, latitude2: b.latitude, longitude2: b.longitude)
            #expect(m < 5, "node (\(i), \(j)) moved \(m) m")
        }
        #expect(d.verticalKind == (flag == 4 ? .hybrid : .sigma))
        for (a, b) in zip(d.levelValues, levels) { #expect(abs(a - b) < 5e-4) }
        try check(path, report: report, nz: levels.count)
        let field = try ARLWindField(d)
        if flag == 4, case .hybrid(let a, let b) = field.levels {
            #expect(a == [0, 10, 50, 150])
            #expect(zip(b, [0.995, 0.9, 0.7, 0.4]).allSatisfy { abs($0 - $1) < 5e-4 })
        }
    }

    @Test("two-digit years for any year (pivot 40), large-grid letters, forecast hour and minutes",
          arguments: [1940, 1999, 2000, 2005, 2039])
    func years(year: Int) throws {
        let dir = try TemporaryDirectory()
        let grid = LatLonGrid(longitudes: (0..<12).map { Double($0) }, latitudes: (0..<10).map { Double($0) }, isGlobal: false)
        let path = dir.path("y.arl")
        let w = try ARLWriter(path: path, source: "YR", projection: .latLon(grid), verticalFlag: 2, levels: [1000])
        let t = UTCTime(year: year, month: 2, day: 28, hour: 23, minute: 45)
        try w.writePeriod(time: t, forecastHour: 6, fields: [ARLFieldValues(name: "UWND", level: 1, values: [Float](repeating: 3, count: 120)),
                                                             ARLFieldValues(name: "VWND", level: 1, values: [Float](repeating: -3, count: 120))])
        try w.finish()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(String(decoding: bytes[0..<2], as: UTF8.self) == ARLFormat.int(year % 100, 2))
        let d = try ARLDataset(paths: [path])
        #expect(d.times == [t])
        #expect(d.firstIndex.forecastHour == 6 && d.firstIndex.minutes == 45)
        // Nothing else is left in the folder (temporary file renamed).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["y.arl"])
    }

    @Test("grids of 1000 points or more get the letter grid code HYSPLIT uses")
    func largeGridCode() throws {
        let dir = try TemporaryDirectory()
        let grid = LatLonGrid(longitudes: (0..<1440).map { Double($0) * 0.25 }, latitudes: (0..<3).map { Double($0) * 0.25 }, isGlobal: true)
        let path = dir.path("big.arl")
        let w = try ARLWriter(path: path, source: "BIG", projection: .latLon(grid), verticalFlag: 2, levels: [1000])
        try w.writePeriod(time: Self.times[0], fields: [ARLFieldValues(name: "UWND", level: 1, values: (0..<4320).map { Float($0 % 17) })])
        try w.finish()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(String(decoding: bytes[12..<14], as: UTF8.self) == "A@")
        let d = try ARLDataset(paths: [path])
        #expect(d.nx == 1440 && d.ny == 3)
        #expect(try d.verifyChecksums() == 1)
    }

    @Test("a failed write leaves nothing at the destination")
    func failedWrite() throws {
        let dir = try TemporaryDirectory()
        let grid = LatLonGrid(longitudes: (0..<12).map { Double($0) }, latitudes: (0..<10).map { Double($0) }, isGlobal: false)
        let path = dir.path("bad.arl")
        let source = GriddedMetSource(projection: .latLon(grid), verticalKind: .pressure, levels: [1000], times: Self.times, source: "X",
                                      variables: [("UWND", [1])]) { t in
            if t == 1 { throw MetWriteError.unconvertible(path: "in", detail: "boom") }
            return [ARLFieldValues(name: "UWND", level: 1, values: [Float](repeating: 1, count: 120))]
        }
        #expect(throws: MetWriteError.self) { try ARLWriter.write(source, to: path) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).isEmpty)
        #expect(throws: MetError.self) {
            try ARLWriter(path: path, source: "X", projection: .latLon(LatLonGrid(longitudes: [0, 1, 3], latitudes: [0, 1], isGlobal: false)),
                          verticalFlag: 2, levels: [1000])
        }
    }
}
