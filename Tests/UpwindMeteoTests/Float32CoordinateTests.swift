import Foundation
import NetCDFKit
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

@Suite("Float32 coordinates: evenness judged relative to the step from the end points")
struct Float32CoordinateTests {
    /// The fixture's exact projection x and y (m): what the float32 values round.
    static let xs = (0..<24).map { -1_080_000.95 + 2500 * Double($0) }
    static let ys = (0..<20).map { -1_060_000.3 + 2500 * Double($0) }

    /// The grid spacing of a Lambert conformal dataset, m (nil for other kinds).
    static func lambertSpacing(_ met: MetDataset) -> Double? {
        if case .lambertConformal(let g) = met.projection { return g.spacingM }
        return nil
    }

    /// `projected_lcc_float32.cdl` with double x/y holding `x` and `y`.
    static func doubleVariant(x: [Double] = xs, y: [Double] = ys) throws -> String {
        var lines = try Fixtures.cdl("projected_lcc_float32").components(separatedBy: "\n")
        for (k, line) in lines.enumerated() {
            if line == "\tfloat x(x) ;" { lines[k] = "\tdouble x(x) ;" }
            if line == "\tfloat y(y) ;" { lines[k] = "\tdouble y(y) ;" }
            if line.hasPrefix(" x = ") { lines[k] = " x = " + x.map { String(format: "%.4f", $0) }.joined(separator: ", ") + " ;" }
            if line.hasPrefix(" y = ") { lines[k] = " y = " + y.map { String(format: "%.4f", $0) }.joined(separator: ", ") + " ;" }
        }
        return lines.joined(separator: "\n")
    }

    @Test("a Lambert grid with float32 x/y reads as regular: step 2500 m, nodes within centimetres of the exact grid")
    func projectedFloat32() throws {
        let dir = try TemporaryDirectory()
        let floatPath = try dir.ncgen("projected_lcc_float32")
        // The float32 gaps really are uneven by more than the strict 1e-6 of the step.
        let stored = try MetError.wrapping { try NetCDFTestRead.doubles(floatPath, "x") }
        #expect(AxisSummary.regularStep(stored) == nil)
        #expect(stored.indices.contains { abs(stored[$0] - Self.xs[$0]) > 0.01 })

        let met = try MetDataset(paths: [floatPath])
        guard case .lambertConformal(let g) = try #require(met.projection) else {
            Issue.record("not Lambert: \(String(describing: met.projection))")
            return
        }
        #expect(g.nx == 24 && g.ny == 20)
        #expect(g.spacingM == 2500, "spacing \(g.spacingM) m")
        #expect(AxisSummary(values: met.grid.longitudes).step == 2500 && AxisSummary(values: met.grid.latitudes).step == 2500)

        let exactPath = try dir.ncgen("projected_lcc_float32", as: "exact.nc", cdl: try Self.doubleVariant())
        let exact = try MetDataset(paths: [exactPath])
        let eg = exact.horizontalGrid
        #expect(Self.lambertSpacing(exact) == 2500)
        var worst = 0.0
        for (i, j) in [(0, 0), (23, 0), (0, 19), (23, 19), (11, 9)] {
            let a = met.horizontalGrid.location(i: i, j: j), b = eg.location(i: i, j: j)
            worst = max(worst, Geodesy.distance(latitude1: a.latitude, longitude1: a.longitude, latitude2: b.latitude, longitude2: b.longitude))
        }
        // Float32 rounding (one ulp, 12.5 cm here, with the shortest decimal) and the step
        // rounded to 2500 keep every node within the evenness tolerance, 1e-4 of the step.
        #expect(worst < 0.25, "nodes \(worst) m from the exact grid's")

        // Inspect reports the regular axes.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(MetInspection(met, scan: false).json().utf8)) as? [String: Any])
        let grid = try #require(json["grid"] as? [String: Any])
        #expect(grid["kind"] as? String == "projected")
        #expect((grid["x"] as? [String: Any])?["step"] as? Double == 2500 && (grid["y"] as? [String: Any])?["step"] as? Double == 2500)

        // The same wind along a 2-h trajectory on both (the data are identical; only the node
        // positions differ by centimetres).
        let centre = eg.location(i: 11, j: 9)
        let start = TrajectoryStart(site: "C", latitude: centre.latitude, longitude: centre.longitude, height: 1000,
                                    time: UTCTime(year: 2024, month: 1, day: 1))
        let options = TrajectoryOptions(hours: 2, verticalMode: .isobaric)
        let a = try TrajectoryEngine(field: MetWindField(met), options: options).run([start]).trajectories[0]
        let b = try TrajectoryEngine(field: MetWindField(exact), options: options).run([start]).trajectories[0]
        #expect(a.termination.reason == .completed && b.termination.reason == .completed)
        let (pa, pb) = (try #require(a.endpoints.last), try #require(b.endpoints.last))
        #expect(km((pa.latitude, pa.longitude), (start.latitude, start.longitude)) > 5)
        #expect(km((pa.latitude, pa.longitude), (pb.latitude, pb.longitude)) < 0.001)
    }

    @Test("evenness is relative to the step: 5 cm off a 2500 m step is even, 1 m off is refused naming the value")
    func projectedTolerance() throws {
        let dir = try TemporaryDirectory()
        var nearly = Self.xs
        nearly[5] += 0.05
        let ok = try MetDataset(paths: [dir.ncgen("projected_lcc_float32", as: "nearly.nc", cdl: try Self.doubleVariant(x: nearly))])
        #expect(Self.lambertSpacing(ok) == 2500)

        var uneven = Self.xs
        uneven[5] += 1
        let path = try dir.ncgen("projected_lcc_float32", as: "uneven.nc", cdl: try Self.doubleVariant(x: uneven))
        do {
            _ = try MetDataset(paths: [path])
            Issue.record("an x axis 1 m off at value 5 was accepted")
        } catch let error as MetError {
            guard case .unsupportedGrid(let p, let detail) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(p == path && detail.contains("not evenly spaced") && detail.contains("value 5") && detail.contains("1 m off"), "\(detail)")
        }
    }

    @Test("a 0.1° latitude-longitude grid with float32 axes reads as regular, with the axes the writer meant")
    func latLonFloat32() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.ncgen("latlon_float32")
        let storedLat = try MetError.wrapping { try NetCDFTestRead.doubles(path, "lat") }
        let storedLon = try MetError.wrapping { try NetCDFTestRead.doubles(path, "lon") }
        #expect(AxisSummary.regularStep(storedLat) == nil || AxisSummary.regularStep(storedLon) == nil)

        let met = try MetDataset(paths: [path])
        #expect(met.grid.latitudes.count == 21 && met.grid.longitudes.count == 31)
        for (j, lat) in met.grid.latitudes.enumerated() { #expect(abs(lat - (30 + 0.1 * Double(j))) < 1e-12, "lat[\(j)] = \(lat)") }
        for (i, lon) in met.grid.longitudes.enumerated() { #expect(abs(lon - (100 + 0.1 * Double(i))) < 1e-12, "lon[\(i)] = \(lon)") }
        let latStep = try #require(AxisSummary(values: met.grid.latitudes).step)
        let lonStep = try #require(AxisSummary(values: met.grid.longitudes).step)
        #expect(abs(latStep - 0.1) < 1e-13 && abs(lonStep - 0.1) < 1e-13)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(MetInspection(met, scan: false).json().utf8)) as? [String: Any])
        let grid = try #require(json["grid"] as? [String: Any])
        #expect((grid["latitude"] as? [String: Any])?["step"] as? Double == 0.1 && (grid["longitude"] as? [String: Any])?["step"] as? Double == 0.1)
        for (role, f) in [(MetRole.u, NamesFormula.u), (.v, NamesFormula.v)] {
            try expectFormula(met, role, hours: [0, 24], tolerance: 2e-5) { lon, lat, _, h in f(lon, lat, 850, h) }
        }
    }

    @Test("axes that are really uneven stay as stored: Gaussian latitudes are not snapped")
    func gaussianStays() {
        // T62 Gaussian latitudes (94): gaps differ by ~1 % of the step.
        let n = 94
        var lats: [Double] = []
        for k in 0..<n {
            // Newton iteration for the roots of the Legendre polynomial P_n.
            var x = cos(Double.pi * (Double(k) + 0.75) / (Double(n) + 0.5))
            for _ in 0..<50 {
                var p0 = 1.0, p1 = x
                for m in 2...n { let p2 = ((2 * Double(m) - 1) * x * p1 - Double(m - 1) * p0) / Double(m); p0 = p1; p1 = p2 }
                let dp = Double(n) * (x * p1 - p0) / (x * x - 1)
                x -= p1 / dp
            }
            lats.append(asin(x) * 180 / .pi)
        }
        lats.sort()
        #expect(CF.evenlySpaced(lats, float32: false) == nil)
        #expect(CF.evenlySpaced(lats.map { Double(Float($0)) }, float32: true) == nil)
        // An axis already regular is left alone (nil: nothing to replace).
        #expect(CF.evenlySpaced((0..<10).map { Double($0) * 0.25 }, float32: false) == nil)
    }
}

/// Raw reads for tests: a 1-D variable's stored values as Double.
enum NetCDFTestRead {
    static func doubles(_ path: String, _ name: String) throws -> [Double] {
        let file = try NetCDFFile.open(path, mode: .read)
        guard let v = try file.root.variables().first(where: { $0.name == name }) else { return [] }
        return try v.read(Double.self)
    }
}
