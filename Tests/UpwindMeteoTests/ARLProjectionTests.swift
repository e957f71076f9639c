import Testing
import UpwindCore
@testable import UpwindMeteo

/// A grid definition as an ARL index would hold it.
func arlGrid(tangent: Double, referenceLatitude: Double, referenceLongitude: Double, sizeKm: Double,
             syncX: Double, syncY: Double, syncLatitude: Double, syncLongitude: Double, nx: Int = 40, ny: Int = 30) throws -> MapProjection {
    let g = ARLGridDefinition(poleLatitude: tangent >= 0 ? 90 : -90, poleLongitude: 0, referenceLatitude: referenceLatitude,
                              referenceLongitude: referenceLongitude, gridSizeKm: sizeKm, orientation: 0, tangentLatitude: tangent,
                              syncX: syncX, syncY: syncY, syncLatitude: syncLatitude, syncLongitude: syncLongitude, reserved: 0)
    let index = ARLIndex(source: "TEST", forecastHour: 0, minutes: 0, grid: g, nx: nx, ny: ny, nz: 2, verticalFlag: 2, textLength: 124, levels: [])
    return try MapProjection(index: index, path: "test.arl")
}

/// East/north components of a grid's wind axes at a node.
func axes(_ grid: any HorizontalGrid, _ i: Int, _ j: Int) -> [Double] {
    let loc = grid.location(i: i, j: j)
    let en = Geodesy.eastNorth(latitude: loc.latitude, longitude: loc.longitude)
    let a = grid.windAxes(i: i, j: j)
    return [a.u.dot(en.east), a.u.dot(en.north), a.v.dot(en.east), a.v.dot(en.north)]
}

@Suite("ARL projections: Lambert conformal, Mercator, polar stereographic")
struct ARLProjectionTests {
    /// Expected values were computed with a transcription of HYSPLIT's `cmapf` (STLMBR,
    /// STCM1P, CXY2LL, CLL2XY, CG2CLL) on the sphere of 6371.2 km. Nodes are 0-based here,
    /// 1-based in cmapf.
    @Test("ARL conformal grids place nodes, invert positions and orient winds as HYSPLIT's cmapf",
          arguments: [
            // name, tangent, ref lat, ref lon, km, sync x, y, lat, lon; node (4,6) lat lon; node (32,27) lat lon; index of 40N 90W; axes at (4,6)
            ("lcc", 25.0, 25.0, 265.0, 12.191, 1.0, 1.0, 12.19, 226.541, [12.926885, -133.221155, 15.921443, -130.850294, 382.875288, 207.436707, 0.960522423, 0.27820258]),
            ("lcc-south", -35.0, -40.0, 135.0, 50.0, 1.0, 1.0, -50.0, 100.0, [-48.088735, 103.82319, -41.556478, 123.7859, 449.210642, -49.823137, 0.951689395, -0.307062365]),
            ("lcc-ref", 30.0, 45.0, -100.0, 40.0, 10.0, 20.0, 35.0, -110.0, [30.000766, -111.658123, 38.319538, -99.533712, 51.839245, 32.471052, 0.994829324, 0.101560903]),
            ("mercator", 0.0, 20.0, -150.0, 25.0, 1.0, 1.0, -5.0, 170.0, [-3.568537, 170.957008, 1.45329, 177.656064, 417.969329, 203.625719, 1, 0]),
            ("polar", 90.0, 60.0, -105.0, 182.9, 13.25, 42.75, 90.0, 0.0, [31.115778, -117.994617, 48.46441, -51.753679, 20.095017, 12.472, 0.974391196, 0.224859507]),
          ])
    func cmapf(name: String, tangent: Double, refLat: Double, refLon: Double, km: Double, sx: Double, sy: Double, slat: Double, slon: Double, expected: [Double]) throws {
        let p = try arlGrid(tangent: tangent, referenceLatitude: refLat, referenceLongitude: refLon, sizeKm: km, syncX: sx, syncY: sy,
                            syncLatitude: slat, syncLongitude: slon)
        switch (name, p) {
        case ("lcc", .lambertConformal), ("lcc-south", .lambertConformal), ("lcc-ref", .lambertConformal), ("mercator", .mercator), ("polar", .polarStereographic): break
        default: Issue.record("\(name): wrong projection \(p.name)")
        }
        let g = p.grid
        let a = g.location(i: 4, j: 6), b = g.location(i: 32, j: 27)
        #expect(abs(a.latitude - expected[0]) < 1e-5 && abs(Geodesy.normalizedLongitude(a.longitude - expected[1])) < 1e-5, "\(name) node (4,6): \(a)")
        #expect(abs(b.latitude - expected[2]) < 1e-5 && abs(Geodesy.normalizedLongitude(b.longitude - expected[3])) < 1e-5, "\(name) node (32,27): \(b)")
        let x = g.index(latitude: 40, longitude: -90)
        #expect(abs(x.x - expected[4]) < 1e-4 && abs(x.y - expected[5]) < 1e-4, "\(name) index of 40N 90W: \(x)")
        let s = g.index(latitude: slat, longitude: slon)
        #expect(abs(s.x - (sx - 1)) < 1e-9 && abs(s.y - (sy - 1)) < 1e-9, "\(name): the sync point")
        let ax = axes(g, 4, 6)
        let c = expected[6], sn = expected[7]
        for (got, want) in zip(ax, [c, sn, -sn, c]) { #expect(abs(got - want) < 1e-7, "\(name) wind axes \(ax)") }
    }

    @Test("Lambert conformal: round trip, true scale at the reference latitude, conformal (orthonormal axes, equal scale in x and y)",
          arguments: [(30.0, 30.0), (45.0, 60.0), (-35.0, -40.0), (60.0, 25.0)])
    func lambert(tangent: Double, reference: Double) {
        let r = 6_371_200.0
        let probe = LambertConformalGrid(nx: 50, ny: 50, spacingM: 20_000, x0: 0, y0: 0, tangentLatitude: tangent,
                                         centralMeridian: 10, referenceLatitude: reference, earthRadius: r)
        let centre = probe.project(latitude: reference, longitude: 10)
        let g = LambertConformalGrid(nx: 50, ny: 50, spacingM: 20_000, x0: centre.x - 500_000, y0: centre.y - 500_000, tangentLatitude: tangent,
                                     centralMeridian: 10, referenceLatitude: reference, earthRadius: r)
        for lat in stride(from: tangent > 0 ? 5.0 : -80, through: tangent > 0 ? 80 : -5, by: 15) {
            for lon in stride(from: -60.0, through: 80, by: 35) {
                let p = g.project(latitude: lat, longitude: lon)
                let back = g.unproject(x: p.x, y: p.y)
                #expect(abs(back.latitude - lat) < 1e-9 && abs(Geodesy.normalizedLongitude(back.longitude - lon)) < 1e-9)
                // Scale along the parallel and the meridian from small steps: equal (conformal).
                let h = 1e-4
                let pe = g.project(latitude: lat, longitude: lon + h), pn = g.project(latitude: lat + h, longitude: lon)
                let dE = ((pe.x - p.x) * (pe.x - p.x) + (pe.y - p.y) * (pe.y - p.y)).squareRoot() / (r * Math.cos(lat * Geodesy.radiansPerDegree) * h * Geodesy.radiansPerDegree)
                let dN = ((pn.x - p.x) * (pn.x - p.x) + (pn.y - p.y) * (pn.y - p.y)).squareRoot() / (r * h * Geodesy.radiansPerDegree)
                #expect(abs(dE / dN - 1) < 1e-5, "scale east \(dE) north \(dN) at \(lat), \(lon)")
                if abs(lat - reference) < 1e-9 { #expect(abs(dE - 1) < 1e-5) }
                // +y of the plane is the meridian direction rotated by θ; +x ⟂ +y.
                let east = (x: pe.x - p.x, y: pe.y - p.y), north = (x: pn.x - p.x, y: pn.y - p.y)
                #expect(abs(east.x * north.x + east.y * north.y) / ((east.x * east.x + east.y * east.y).squareRoot() * (north.x * north.x + north.y * north.y).squareRoot()) < 1e-5)
            }
        }
        // True scale exactly at the reference latitude on the central meridian.
        let a = g.project(latitude: reference - 0.005, longitude: 10), b = g.project(latitude: reference + 0.005, longitude: 10)
        let ground = r * 0.01 * Geodesy.radiansPerDegree
        #expect(abs(((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot() / ground - 1) < 1e-8)
        // Orthonormal wind axes tangent to the sphere; a grid step along +x moves along the u axis.
        for (i, j) in [(0, 0), (25, 25), (49, 10)] {
            let ax = g.windAxes(i: i, j: j)
            let loc = g.location(i: i, j: j)
            let up = Geodesy.unitVector(latitude: loc.latitude, longitude: loc.longitude)
            #expect(abs(ax.u.length - 1) < 1e-12 && abs(ax.v.length - 1) < 1e-12 && abs(ax.u.dot(ax.v)) < 1e-12)
            #expect(abs(ax.u.dot(up)) < 1e-12 && abs(ax.u.cross(ax.v).dot(up) - 1) < 1e-12, "right-handed, tangent")
            let next = g.location(i: i + 1, j: j)
            let step = Geodesy.unitVector(latitude: next.latitude, longitude: next.longitude) - up
            #expect(step.normalized.dot(ax.u) > 0.99999)
            let ground = g.spacing(x: Double(i) + 0.5, y: Double(j))
            #expect(abs(step.length * r / ground - 1) < 2e-3, "spacing \(ground) vs step \(step.length * r)")
        }
    }

    @Test("Mercator: round trip, true scale at the reference latitude, east/north axes")
    func mercator() {
        let r = 6_371_200.0
        let g = MercatorGrid(nx: 40, ny: 40, spacingM: 25_000, x0: 0, y0: 0, referenceLatitude: 20, centralMeridian: -150, earthRadius: r)
        for lat in stride(from: -70.0, through: 70, by: 20) {
            for lon in stride(from: -179.0, through: 179, by: 44.75) {
                let p = g.project(latitude: lat, longitude: lon)
                let back = g.unproject(x: p.x, y: p.y)
                #expect(abs(back.latitude - lat) < 1e-9 && abs(Geodesy.normalizedLongitude(back.longitude - lon)) < 1e-9)
            }
        }
        let a = g.project(latitude: 20, longitude: -150), b = g.project(latitude: 20, longitude: -149)
        #expect(abs((b.x - a.x) / (r * Math.cos(20 * Geodesy.radiansPerDegree) * Geodesy.radiansPerDegree) - 1) < 1e-12)
        let ax = axes(g, 3, 5)
        #expect(abs(ax[0] - 1) < 1e-12 && abs(ax[1]) < 1e-12 && abs(ax[2]) < 1e-12 && abs(ax[3] - 1) < 1e-12)
    }

    @Test("polar stereographic with a given earth radius: round trip, true scale at the standard parallel, both aspects")
    func polar() {
        for (sp, cm) in [(60.0, -105.0), (-71.0, 0.0)] {
            let r = 6_371_200.0
            let g = PolarStereographicGrid(nx: 10, ny: 10, spacingM: 50_000, x0: 0, y0: 0, standardParallel: sp, centralMeridian: cm, earthRadius: r)
            #expect(g.earthRadius == r)
            let a = g.project(latitude: sp, longitude: cm), b = g.project(latitude: sp, longitude: cm + 0.001)
            let ground = r * Math.cos(sp * Geodesy.radiansPerDegree) * 0.001 * Geodesy.radiansPerDegree
            #expect(abs(((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot() / ground - 1) < 1e-6)
            let back = g.unproject(x: a.x + 123_456, y: a.y - 654_321)
            let again = g.project(latitude: back.latitude, longitude: back.longitude)
            #expect(abs(again.x - a.x - 123_456) < 1e-6 && abs(again.y - a.y + 654_321) < 1e-6)
        }
        // The default radius is unchanged.
        #expect(PolarStereographicGrid(nx: 2, ny: 2, spacingM: 1, x0: 0, y0: 0).earthRadius == Earth.radius)
    }

    @Test("rotated ARL grids are refused with what to do")
    func rotated() throws {
        let g = ARLGridDefinition(poleLatitude: 90, poleLongitude: 0, referenceLatitude: 60, referenceLongitude: -105, gridSizeKm: 100,
                                  orientation: 10, tangentLatitude: 90, syncX: 1, syncY: 1, syncLatitude: 20, syncLongitude: -120, reserved: 0)
        let index = ARLIndex(source: "TEST", forecastHour: 0, minutes: 0, grid: g, nx: 10, ny: 10, nz: 2, verticalFlag: 2, textLength: 124, levels: [])
        #expect { try MapProjection(index: index, path: "rot.arl") } throws: { error in
            guard case MetError.unsupportedGrid(let path, let detail) = error else { return false }
            return path == "rot.arl" && detail.contains("orientation")
        }
    }
}
