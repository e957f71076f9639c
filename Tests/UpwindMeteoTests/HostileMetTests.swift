import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

/// Issue 13: header-derived sizes and spacings are checked for physical sanity before anything
/// is sized or indexed from them (ARL index records, NetCDF dimensions).
@Suite("Hostile met headers")
struct HostileMetTests {
    /// `path` copied into `dir` with the 7-character grid real `field` (0-based, of the 12 in
    /// `12F7`) of every INDX record set to `text` (right-aligned).
    static func editGrid(_ path: String, nx: Int, ny: Int, field: Int, text: String, into dir: TemporaryDirectory, name: String) throws -> String {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = 50 + nx * ny
        let padded = Array((String(repeating: " ", count: max(0, 7 - text.count)) + text).utf8.prefix(7))
        var r = 0
        var previousIsIndex = false
        while (r + 1) * length <= data.count {
            let base = r * length
            let isIndex = data[(base + 14) ..< (base + 18)].elementsEqual(Array("INDX".utf8))
            defer { previousIsIndex = isIndex }
            // The first INDX record of each period (a long index continues over further INDX records).
            if isIndex && !previousIsIndex {
                // Index text starts after the 50-byte label: A4, I3, I2, then 12F7 from character 9.
                let at = base + 50 + 9 + 7 * field
                data.replaceSubrange(at ..< at + 7, with: padded)
            }
            r += 1
        }
        let out = dir.path(name)
        try data.write(to: URL(fileURLWithPath: out))
        return out
    }

    @Test("a Mercator ARL grid of 1e-45 km is refused when opened (it used to trap converting a grid index to Int)")
    func denormalGridSize() throws {
        let dir = try TemporaryDirectory()
        // oct1618.BIN (33×28 polar stereographic): tangent latitude 0 makes it Mercator, then a denormal size.
        let mercator = try Self.editGrid(Fixtures.met("oct1618.BIN"), nx: 33, ny: 28, field: 6, text: "0.0", into: dir, name: "mercator.bin")
        let denormal = try Self.editGrid(mercator, nx: 33, ny: 28, field: 4, text: "1e-45", into: dir, name: "denormal.bin")
        #expect { _ = try MetSource.open([denormal]) } throws: { error in
            guard case MetError.unsupportedGrid(let p, let detail) = error else { return false }
            return p == denormal && detail.contains("grid size 1e-45 km") && detail.contains("corrupt")
        }
        // The same grid with a sane size opens (the refusal is about the size, not Mercator).
        let sane = try Self.editGrid(mercator, nx: 33, ny: 28, field: 4, text: "100.0", into: dir, name: "sane.bin")
        _ = try MetSource.open([sane])
    }

    @Test("a latitude-longitude ARL grid with a 1e-45° spacing is refused")
    func denormalLatLonSpacing() throws {
        let dir = try TemporaryDirectory()
        let path = try Self.editGrid(Fixtures.met("gdas_042.bin"), nx: 23, ny: 15, field: 2, text: "1e-45", into: dir, name: "tiny.bin")
        #expect { _ = try MetSource.open([path]) } throws: { error in
            guard case MetError.unsupportedGrid(_, let detail) = error else { return false }
            return detail.contains("spacing 1e-45°")
        }
    }

    @Test("every grid real of the ARL index replaced by hostile numbers: refused, or opens and integrates without a trap")
    func hostileGridReals() throws {
        let dir = try TemporaryDirectory()
        var opened = 0, refused = 0
        // (The fuzz harness `arl` covers many more; these are the fields a projection is built from.)
        let cases = [("oct1618.BIN", 33, 28, Array(0 ..< 11), ["1e-45", "-1e30"]),
                     ("gdas_042.bin", 23, 15, [2, 3, 7, 9], ["1e-45", "1e30"])]
        for (file, nx, ny, fields, tokens) in cases {
            for field in fields {
                for token in tokens {
                    let path = try Self.editGrid(Fixtures.met(file), nx: nx, ny: ny, field: field, text: token, into: dir, name: "h.bin")
                    let source: MetSource
                    do { source = try MetSource.open([path]) } catch { refused += 1; continue }
                    opened += 1
                    guard let t0 = source.field.times.first else { continue }
                    let engine = try TrajectoryEngine(field: source.field, options: TrajectoryOptions(hours: 2, verticalMode: .isobaric, skipInvalidStarts: true))
                    let starts = [(40.0, -90.0), (16.7, -62.2), (0, 1e308), (89.9, 0), (-89.9, 180)].map {
                        TrajectoryStart(site: "X", latitude: $0.0, longitude: $0.1, height: 500, time: t0)
                    }
                    _ = try engine.run(starts)
                }
            }
        }
        #expect(opened > 0 && refused > 0)
    }

    static let hugeAxis = """
    netcdf huge {
    dimensions:
      time = 1 ;
      latitude = 3 ;
      longitude = 200000 ;
    variables:
      double time(time) ;
        time:units = "hours since 2024-01-01 00:00:00" ;
      float latitude(latitude) ;
        latitude:units = "degrees_north" ;
      float longitude(longitude) ;
        longitude:units = "degrees_east" ;
      float u(time, latitude, longitude) ;
        u:standard_name = "eastward_wind" ;
        u:units = "m s-1" ;
      float v(time, latitude, longitude) ;
        v:standard_name = "northward_wind" ;
        v:units = "m s-1" ;
    data:
      time = 0 ;
      latitude = 10, 20, 30 ;
    }
    """

    @Test("a NetCDF-4 file declaring a 200,000-point longitude axis (no data stored) is refused before the axis is read")
    func hugeNetCDFAxis() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.ncgen("huge", cdl: Self.hugeAxis, kind: "nc4")
        #expect(try fileSize(path) < 100_000)
        #expect { _ = try MetSource.open([path]) } throws: { error in
            guard case MetError.missingAxis(_, let variable, _, let reason) = error else { return false }
            return variable == "longitude" && reason.contains("200000 points") && reason.contains("100000")
        }
        // Dimensions beyond 10 million (here the record dimension of a variable) are refused too.
        let huge = Self.hugeAxis.replacingOccurrences(of: "longitude = 200000", with: "longitude = 4")
            .replacingOccurrences(of: "latitude = 3 ;\n", with: "latitude = 3 ;\n  level = 20000000 ;\n")
            .replacingOccurrences(of: "float u(time, latitude", with: "float u(time, level, latitude")
        let levels = try dir.ncgen("levels", cdl: huge, kind: "nc4")
        #expect { _ = try MetSource.open([levels]) } throws: { error in
            guard case MetError.unsupportedLayout(_, _, let detail) = error else { return false }
            return detail.contains("20000000")
        }
    }
}
