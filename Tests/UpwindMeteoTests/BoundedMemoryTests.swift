import Foundation
import NetCDFKit
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

/// Bytes this process has read through read(2) and friends so far (Linux `rchar`),
/// or nil where /proc is not available.
func processBytesRead() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("rchar:") {
        return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
    }
    return nil
}

@Suite("Bounded memory")
struct BoundedMemoryTests {
    @Test("opening a 10 GB dataset reads only coordinates; a boxed slice reads only that box")
    func largeSparseFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("era5_global_10GB.nc")
        let nt = 76, nz = 16, ny = 721, nx = 1440
        do {
            let file = try NetCDFFile.create(path, format: .offset64)
            try file.setFillMode(false)
            let g = file.root
            let dt = try g.defineDimension("time", length: nil)
            let dz = try g.defineDimension("level", length: nz)
            let dy = try g.defineDimension("latitude", length: ny)
            let dx = try g.defineDimension("longitude", length: nx)
            let lon = try g.defineVariable("longitude", type: .float, dimensions: [dx])
            try lon.setAttribute("units", .text("degrees_east"))
            let lat = try g.defineVariable("latitude", type: .float, dimensions: [dy])
            try lat.setAttribute("units", .text("degrees_north"))
            let lev = try g.defineVariable("level", type: .int, dimensions: [dz])
            try lev.setAttribute("units", .text("millibars"))
            let time = try g.defineVariable("time", type: .int, dimensions: [dt])
            try time.setAttribute("units", .text("hours since 1900-01-01 00:00:00.0"))
            try time.setAttribute("calendar", .text("gregorian"))
            var winds: [NetCDFVariable] = []
            for name in ["u", "v"] {
                let v = try g.defineVariable(name, type: .float, dimensions: [dt, dz, dy, dx])
                try v.setAttribute("units", .text("m s**-1"))
                try v.setAttribute("standard_name", .text(name == "u" ? "eastward_wind" : "northward_wind"))
                winds.append(v)
            }
            try lon.write((0..<nx).map { Float($0) * 0.25 })
            try lat.write((0..<ny).map { 90 - Float($0) * 0.25 })
            try lev.write([Int32](arrayLiteral: 100, 150, 200, 250, 300, 400, 500, 600, 700, 750, 800, 850, 900, 925, 950, 1000))
            try time.write((0..<nt).map { Int32(1_051_896 + $0) }, start: [0], count: [nt])
            // Only the last time holds data: the rest of the file is a hole.
            let block = [Float](repeating: 7.5, count: nz * ny * nx)
            for v in winds { try v.write(block, start: [nt - 1, 0, 0, 0], count: [1, nz, ny, nx]) }
            try file.close()
        }
        let apparent = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(apparent > 10_000_000_000)

        let before = processBytesRead()
        let met = try MetDataset(paths: [path])
        let afterOpen = processBytesRead()
        #expect(met.times.count == nt && met.grid.isGlobal && met.vertical.levels.count == nz)
        #expect(met.bytesDecoded == 0)
        if let before, let afterOpen {
            #expect(afterOpen - before < 8_000_000, "opening read \(afterOpen - before) bytes")
        }
        // A 2°×2° box around Zhengzhou at the last time.
        let s = try met.slice(at: nt - 1, roles: [.u, .v], box: BoundingBox(south: 34, north: 36, west: 112.6, east: 114.6))
        let u = try #require(s.fields[.u])
        #expect(u.ny == 9 && u.nx == 10 && u.nz == nz)
        #expect(u.values.allSatisfy { $0 == 7.5 })
        #expect(met.bytesDecoded == 2 * nz * 9 * 10 * 4)
        if let before, let after = processBytesRead() {
            #expect(after - before < 32_000_000, "open + one boxed slice read \(after - before) bytes of a \(apparent)-byte file")
        }
    }
}
