import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

/// Every value of `role` in `dataset` equals `formula(λ, φ, p, h)` within `tolerance`,
/// except at the (t, z, y, x) cells `missing` lists, which must be NaN.
/// Returns the number of values compared.
@discardableResult
func expectFormula(_ dataset: MetDataset, _ role: MetRole, hours: [Double], tolerance: Double,
                   missing: Set<[Int]> = [], sourceLocation: SourceLocation = #_sourceLocation,
                   _ formula: (Double, Double, Double, Double) -> Double) throws -> Int {
    var compared = 0
    for (ti, h) in hours.enumerated() {
        let slice = try dataset.slice(at: ti, roles: [role])
        let field = try #require(slice.fields[role], "no \(role) at time \(ti)", sourceLocation: sourceLocation)
        let levels = role.isThreeDimensional && dataset.vertical.kind != .surface ? dataset.vertical.levels : [.nan]
        #expect(field.nz == levels.count && field.ny == slice.grid.ny && field.nx == slice.grid.nx, sourceLocation: sourceLocation)
        var worst = 0.0
        for (z, p) in levels.enumerated() {
            for (y, lat) in slice.grid.latitudes.enumerated() {
                for (x, lon) in slice.grid.longitudes.enumerated() {
                    let value = field[z, y, x]
                    if missing.contains([ti, z, y, x]) {
                        #expect(value.isNaN, "expected missing at t\(ti) z\(z) y\(y) x\(x), got \(value)", sourceLocation: sourceLocation)
                        continue
                    }
                    let expected = formula(lon, lat, p, h)
                    worst = max(worst, abs(Double(value) - expected))
                    compared += 1
                }
            }
        }
        #expect(worst <= tolerance, "\(role) at time \(ti): worst error \(worst) > \(tolerance)", sourceLocation: sourceLocation)
    }
    return compared
}

@Suite("CF layouts built by ncgen from the committed CDL")
struct CFLayoutTests {
    @Test("ERA5 legacy: packed shorts, descending latitude, fill values, hours since 1900")
    func era5Legacy() throws {
        let dir = try TemporaryDirectory()
        let met = try MetDataset(paths: [dir.ncgen("era5_legacy")])
        #expect(met.grid.latitudes == [-90, -45, 0, 45, 90])
        #expect(met.grid.longitudes == [0, 90, 180, 270])
        #expect(met.grid.isGlobal)
        #expect(met.vertical == VerticalAxis(kind: .pressure, levels: [500, 850, 1000]))
        #expect(met.times.map(\.iso8601) == ["2020-01-01T00:00:00Z", "2020-01-01T01:00:00Z", "2020-01-01T02:00:00Z"])
        #expect(met.verticalVelocity == .omega)
        #expect(met.variables[.geopotential]?.name == "z")
        #expect(met.variables[.u]?.units == "m s**-1")
        // u is −32767 at time 0, 1000 hPa (z 2), −90° (normalised y 0), every longitude.
        let holes: Set<[Int]> = Set((0..<4).map { [0, 2, 0, $0] })
        let n = try expectFormula(met, .u, hours: [0, 1, 2], tolerance: 0.00024, missing: holes, Formula.u)
        #expect(n == 3 * 3 * 5 * 4 - 4)
        try expectFormula(met, .v, hours: [0, 1, 2], tolerance: 0.00013, Formula.v)
        try expectFormula(met, .w, hours: [0, 1, 2], tolerance: 0.00001, Formula.omega)
        try expectFormula(met, .geopotential, hours: [0, 1, 2], tolerance: 0.53, Formula.z)
        try expectFormula(met, .temperature, hours: [0, 1, 2], tolerance: 0.00042, Formula.t)
        #expect(try met.countMissingWind() == 4)
    }

    @Test("ERA5 legacy expver: ERA5 and ERA5T merged by taking the non-missing member")
    func era5Expver() throws {
        let dir = try TemporaryDirectory()
        let met = try MetDataset(paths: [dir.ncgen("era5_legacy_expver")])
        for role: MetRole in [.u, .v] {
            try expectFormula(met, role, hours: [0, 1, 2], tolerance: 0.00024, role == .u ? Formula.u : Formula.v)
        }
        try expectFormula(met, .temperature, hours: [0, 1, 2], tolerance: 0.00042, Formula.t)
        #expect(try met.countMissingWind() == 0)
    }

    @Test("two ERA5 files form one dataset with times concatenated")
    func multiFile() throws {
        let dir = try TemporaryDirectory()
        let day2 = try dir.ncgen("era5_legacy_day2")
        let day1 = try dir.ncgen("era5_legacy")
        let met = try MetDataset(paths: [day2, day1])
        #expect(met.times.count == 6)
        #expect(met.times.first?.iso8601 == "2020-01-01T00:00:00Z" && met.times.last?.iso8601 == "2020-01-01T05:00:00Z")
        let holes: Set<[Int]> = Set((0..<4).map { [0, 2, 0, $0] })
        try expectFormula(met, .u, hours: [0, 1, 2, 3, 4, 5], tolerance: 0.00024, missing: holes, Formula.u)
        // A glob gives the same dataset.
        let globbed = try MetDataset(paths: [dir.path("era5_legacy*.nc")])
        #expect(globbed.times == met.times)
        #expect(globbed.paths.count == 2)
    }

    @Test("ERA5 from the new CDS: valid_time in seconds, pressure_level, number and expver coordinates, NetCDF-4",
          arguments: ["era5_cds", "era5_cds_number_dim"])
    func era5CDS(name: String) throws {
        let dir = try TemporaryDirectory()
        let met = try MetDataset(paths: [dir.ncgen(name)])
        #expect(met.grid.latitudes == [39.5, 39.75, 40.0])
        #expect(met.grid.longitudes == [110.0, 110.25, 110.5, 110.75])
        #expect(!met.grid.isGlobal)
        #expect(met.vertical.levels == [1000, 925, 850])
        #expect(met.times.map(\.iso8601) == ["2024-07-01T00:00:00Z", "2024-07-01T01:00:00Z"])
        try expectFormula(met, .u, hours: [0, 1], tolerance: 1e-4, Formula.u)
        try expectFormula(met, .v, hours: [0, 1], tolerance: 1e-4, Formula.v)
        try expectFormula(met, .w, hours: [0, 1], tolerance: 1e-6, Formula.omega)
        try expectFormula(met, .geopotential, hours: [0, 1], tolerance: 0.02, Formula.z)
        try expectFormula(met, .temperature, hours: [0, 1], tolerance: 1e-4, Formula.t)
    }

    @Test("NCEP/NCAR R1: one variable per file, omega on a subset of levels, packed valid_range")
    func ncepR1() throws {
        let dir = try TemporaryDirectory()
        let paths = try ["uwnd", "vwnd", "omega", "hgt", "air"].map { try dir.ncgen("ncep_r1_" + $0) }
        let met = try MetDataset(paths: paths)
        #expect(met.vertical.levels == [1000, 850, 500, 100, 10])
        #expect(met.grid.latitudes == [-90, -45, 0, 45, 90])
        #expect(met.times.map(\.iso8601) == ["2020-01-01T00:00:00Z", "2020-01-01T06:00:00Z"])
        #expect(met.variables[.w]?.levels == [1000, 850, 500, 100])
        #expect(met.variables[.geopotentialHeight]?.name == "hgt")
        #expect(met.variables[.temperature]?.units == "degK")
        // uwnd: missing_value at t1, 10 hPa (z 4), lat 90 (normalised y 4), lon 0.
        try expectFormula(met, .u, hours: [0, 6], tolerance: 0.0051, missing: [[1, 4, 4, 0]], Formula.u)
        // vwnd: a packed 0 outside valid_range at t1, 10 hPa, lat −90 (y 0), lon 270 (x 3).
        try expectFormula(met, .v, hours: [0, 6], tolerance: 0.0051, missing: [[1, 4, 0, 3]], Formula.v)
        // omega is missing above 100 hPa, not a mismatch.
        let omegaAbove: Set<[Int]> = Set((0..<2).flatMap { t in (0..<5).flatMap { y in (0..<4).map { [t, 4, y, $0] } } })
        try expectFormula(met, .w, hours: [0, 6], tolerance: 0.00051, missing: omegaAbove, Formula.omega)
        try expectFormula(met, .geopotentialHeight, hours: [0, 6], tolerance: 0.501, Formula.hgt)
        try expectFormula(met, .temperature, hours: [0, 6], tolerance: 0.0051, Formula.t)
        #expect(try met.countMissingWind() == 2)
    }

    @Test("GFS/GDAS: isobaric levels in Pa (THREDDS) and in hPa (cfgrib)")
    func gfs() throws {
        let dir = try TemporaryDirectory()
        let pa = try MetDataset(paths: [dir.ncgen("gfs_isobaric_pa")])
        #expect(pa.vertical == VerticalAxis(kind: .pressure, levels: [500, 850, 1000]))
        #expect(pa.variables[.u]?.name == "u-component_of_wind_isobaric")
        try expectFormula(pa, .u, hours: [0, 6], tolerance: 1e-4, Formula.u)
        try expectFormula(pa, .w, hours: [0, 6], tolerance: 1e-6, Formula.omega)
        try expectFormula(pa, .geopotentialHeight, hours: [0, 6], tolerance: 2e-3, Formula.hgt)
        let hpa = try MetDataset(paths: [dir.ncgen("gfs_isobaric_hpa")])
        #expect(hpa.vertical.levels == [1000, 850, 500])
        #expect(hpa.times.map(\.iso8601) == ["2023-03-01T00:00:00Z", "2023-03-01T06:00:00Z"])
        try expectFormula(hpa, .v, hours: [0, 6], tolerance: 1e-4, Formula.v)
        try expectFormula(hpa, .temperature, hours: [0, 6], tolerance: 1e-4, Formula.t)
    }

    @Test("generic CF grid: roles by standard_name only, w in m/s, surface fields normalised")
    func generic() throws {
        let dir = try TemporaryDirectory()
        let met = try MetDataset(paths: [dir.ncgen("generic_w_ms")])
        #expect(met.verticalVelocity == .w)
        #expect(met.vertical.levels == [1000, 850, 500])
        #expect(met.times.map(\.iso8601) == ["2001-01-01T00:00:00Z", "2001-01-01T06:00:00Z"])
        try expectFormula(met, .u, hours: [0, 6], tolerance: 1e-5, Formula.u)
        try expectFormula(met, .w, hours: [0, 6], tolerance: 1e-7, Formula.wa)
        try expectFormula(met, .geopotentialHeight, hours: [0, 6], tolerance: 2e-3, Formula.hgt)
        try expectFormula(met, .specificHumidity, hours: [0, 6], tolerance: 1e-8, Formula.hus)
        // Surface pressure is normalised to hPa.
        try expectFormula(met, .surfacePressure, hours: [0, 6], tolerance: 0.001) { l, f, _, h in Formula.ps(l, f, h) / 100 }
        try expectFormula(met, .orography, hours: [0, 6], tolerance: 1e-4) { l, f, _, _ in Formula.orog(l, f) }
        try expectFormula(met, .boundaryLayerHeight, hours: [0, 6], tolerance: 1e-3) { l, f, _, h in Formula.blh(l, f, h) }
    }

    @Test("a user mapping overrides detection")
    func mapping() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.ncgen("generic_w_ms")
        // Swap the winds on purpose: the mapping must win over standard_name.
        let met = try MetDataset(paths: [path], mapping: MetVariableMapping([.u: "va", .v: "ua"]))
        #expect(met.variables[.u]?.name == "va")
        try expectFormula(met, .u, hours: [0, 6], tolerance: 1e-5, Formula.v)
        #expect(throws: MetError.self) { try MetDataset(paths: [path], mapping: MetVariableMapping([.u: "nope"])) }
        #expect(throws: MetError.self) { try MetVariableMapping(parsing: ["wind=ua"]) }
        #expect(try MetVariableMapping(parsing: ["u=ua,v=va"]).names == [.u: "ua", .v: "va"])
    }
}
