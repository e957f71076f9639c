import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

@Suite("Real NetCDF files")
struct RealFileTests {
    @Test("grads_model_1987.nc: global 5°×4°, wrap, two vertical axes, fill below ground")
    func grads() throws {
        let met = try MetDataset(paths: [Fixtures.met("grads_model_1987.nc")])
        #expect(met.grid.longitudes.count == 72 && met.grid.longitudes.first == 0 && met.grid.longitudes.last == 355)
        #expect(met.grid.latitudes.count == 46 && met.grid.latitudes.first == -90 && met.grid.latitudes.last == 90)
        #expect(met.grid.isGlobal)
        #expect(met.vertical == VerticalAxis(kind: .pressure, levels: [1000, 850, 700, 500, 300, 200, 100]))
        #expect(met.times.map(\.iso8601) == ["1987-01-02T00:00:00Z", "1987-01-03T00:00:00Z", "1987-01-04T00:00:00Z",
                                             "1987-01-05T00:00:00Z", "1987-01-06T00:00:00Z"])
        #expect(met.variables[.geopotentialHeight]?.name == "z")
        #expect(met.variables[.temperature]?.name == "t")
        #expect(met.variables[.surfacePressure]?.name == "ps")
        #expect(met.variables[.specificHumidity]?.levels == [1000, 850, 700, 500, 300])
        #expect(met.variables[.w] == nil)
        // `p` is precipitation, not pressure: it must not be taken for any role.
        #expect(!met.variables.values.contains { $0.name == "p" })
        // Independent count (scipy.io.netcdf): 12,036 fill values in u and as many in v.
        #expect(try met.countMissingWind() == 24_072)
        let s = try met.slice(at: 0)
        let u = try #require(s.fields[.u])
        // Values read with scipy: u[t0, 500 hPa, −90°, 0°, 5°, 10°] and [−86°, 5°].
        #expect(close(u[3, 0, 0], -0.22208595, 1e-7))
        #expect(close(u[3, 0, 1], -0.23120689, 1e-7))
        #expect(close(u[3, 1, 1], 0.37075043, 1e-7))
        #expect(u[0, 0, 0].isNaN) // below ground at 1000 hPa
        // q has no values above 300 hPa: missing, not zero.
        let q = try #require(s.fields[.specificHumidity])
        #expect((0..<(46 * 72)).allSatisfy { q.values[5 * 46 * 72 + $0].isNaN && q.values[6 * 46 * 72 + $0].isNaN })
        #expect(q.values[(3 * 46 + 23) * 72].isFinite)
        let ps = try #require(s.fields[.surfacePressure])
        #expect(ps.nz == 1 && ps.values.filter(\.isFinite).allSatisfy { $0 > 400 && $0 < 1100 })
    }

    @Test("ncl_storm1996: regional, negative longitudes, fill corners, single level")
    func storm() throws {
        let met500 = try MetDataset(paths: [Fixtures.met("ncl_storm1996_500hPa.nc")])
        #expect(met500.vertical.kind == .surface && met500.vertical.levels.isEmpty)
        #expect(met500.grid.longitudes.first == -140 && met500.grid.longitudes.last == -52.5)
        #expect(met500.grid.latitudes.first == 20 && met500.grid.latitudes.last == 60)
        #expect(!met500.grid.isGlobal)
        #expect(met500.times.count == 64)
        #expect(met500.times.last?.iso8601 == "1996-01-20T18:00:00Z")
        // scipy: 14,336 fills in u, 15,300 in v.
        #expect(try met500.countMissingWind() == 29_636)
        let sfc = try MetDataset(paths: [Fixtures.met("ncl_storm1996_sfc.nc")])
        #expect(sfc.variables[.temperature]?.name == "t")
        #expect(sfc.variables[.surfacePressure] == nil) // `p` is mean-sea-level pressure
        #expect(try sfc.countMissingWind() == 30_600)
        // The two files hold the same times of single-level winds: not one dataset.
        #expect(throws: MetError.self) {
            try MetDataset(paths: [Fixtures.met("ncl_storm1996_500hPa.nc"), Fixtures.met("ncl_storm1996_sfc.nc")])
        }
    }
}

@Suite("Slices, boxes and the cache")
struct SliceTests {
    @Test("a box across the 0° seam of a global grid is read as two blocks")
    func seam() throws {
        let met = try MetDataset(paths: [Fixtures.met("grads_model_1987.nc")])
        let full = try met.slice(at: 1, roles: [.u, .v])
        let cut = try met.slice(at: 1, roles: [.u], box: BoundingBox(south: 30, north: 40, west: 350, east: 10))
        #expect(cut.grid.longitudes == [350, 355, 360, 365, 370])
        #expect(cut.grid.latitudes == [30, 34, 38, 42])
        #expect(!cut.grid.isGlobal)
        let u = try #require(cut.fields[.u]), uf = try #require(full.fields[.u])
        #expect(cut.fields[.v] == nil)
        let y0 = try #require(met.grid.latitudes.firstIndex(of: 30))
        for z in 0..<7 {
            for y in 0..<4 {
                for (x, lon) in cut.grid.longitudes.enumerated() {
                    let fx = Int(lon.truncatingRemainder(dividingBy: 360) / 5)
                    let a = u[z, y, x], b = uf[z, y0 + y, fx]
                    #expect(a == b || (a.isNaN && b.isNaN))
                }
            }
        }
        // A box given in −180…180 on a 0…360 grid.
        let west = try met.slice(at: 0, roles: [.u], box: BoundingBox(south: -10, north: 10, west: -20, east: -10))
        #expect(west.grid.longitudes == [340, 345, 350])
    }

    @Test("a regional box cuts the grid with one point of margin")
    func regional() throws {
        let met = try MetDataset(paths: [Fixtures.met("ncl_storm1996_500hPa.nc")])
        let s = try met.slice(at: 10, box: BoundingBox(south: 30.5, north: 35, west: -100.1, east: -90))
        #expect(s.grid.latitudes == [30, 31.25, 32.5, 33.75, 35])
        #expect(s.grid.longitudes == [-102.5, -100, -97.5, -95, -92.5, -90])
        let full = try met.slice(at: 10)
        let u = try #require(s.fields[.u]), uf = try #require(full.fields[.u])
        let y0 = try #require(met.grid.latitudes.firstIndex(of: 30)), x0 = try #require(met.grid.longitudes.firstIndex(of: -102.5))
        #expect(u[0, 2, 3] == uf[0, y0 + 2, x0 + 3])
        // The same box east of the antimeridian as 0…360 longitudes.
        let shifted = try met.slice(at: 10, box: BoundingBox(south: 30.5, north: 35, west: 259.9, east: 270))
        #expect(shifted.fields[.u] == s.fields[.u])
    }

    @Test("boxes outside the grid are refused", arguments: [
        BoundingBox(south: -40, north: -30, west: -100, east: -90),
        BoundingBox(south: 30, north: 40, west: 0, east: 20),
        BoundingBox(south: 40, north: 30, west: -100, east: -90),
    ])
    func outside(box: BoundingBox) throws {
        let met = try MetDataset(paths: [Fixtures.met("ncl_storm1996_500hPa.nc")])
        #expect {
            try met.slice(at: 0, box: box)
        } throws: { error in
            guard let e = error as? MetError, case .boxOutsideGrid = e else { return false }
            return e.description.contains("does not overlap")
        }
    }

    @Test("the slice cache stays within its byte budget and reuses slices")
    func cache() throws {
        let oneSlice = 2 * 7 * 46 * 72 * 4 // u and v, 7 levels, Float
        let met = try MetDataset(paths: [Fixtures.met("grads_model_1987.nc")], cacheBudgetBytes: 2 * oneSlice + 100)
        _ = try met.slice(at: 0, roles: [.u, .v])
        let decodedOnce = met.bytesDecoded
        _ = try met.slice(at: 0, roles: [.u, .v])
        #expect(met.bytesDecoded == decodedOnce) // served from the cache
        for i in 1..<5 { _ = try met.slice(at: i, roles: [.u, .v]) }
        #expect(met.cachedBytes <= 2 * oneSlice + 100)
        #expect(met.cachedBytes == 2 * oneSlice)
        _ = try met.slice(at: 0, roles: [.u, .v]) // evicted: decoded again
        #expect(met.bytesDecoded == 6 * decodedOnce)
        #expect(throws: MetError.self) { try met.slice(at: 5) }
    }
}
