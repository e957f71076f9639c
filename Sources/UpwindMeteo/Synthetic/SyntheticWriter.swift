import Foundation
import NetCDFKit
import UpwindCore

extension SyntheticMet.Field {
    /// Writes the field as ERA5-legacy-style NetCDF (see ``SyntheticMet`` for the layout).
    ///
    /// Each time step is computed once per file (twice for ``SyntheticMet/Storage/packedShort``,
    /// whose per-file `scale_factor`/`add_offset` need the file's minimum and maximum first),
    /// so memory stays at a few time steps whatever the period.
    /// - Parameters:
    ///   - directory: an existing folder.
    ///   - name: the file name stem (default `synthetic`): `NAME.nc`, or `NAME_YYYYMMDD.nc` per day.
    ///   - storage: `.float` (default: NetCDF-4, zlib level 1 + shuffle, one time step per chunk)
    ///     or `.packedShort` (classic 64-bit-offset, 16-bit packed like the legacy CDS).
    ///   - split: `.single` (default) or `.daily` (one file per UTC day).
    /// - Returns: the paths written, in time order. Existing files of the same names are replaced.
    /// - Throws: ``SyntheticMetError/invalidParameter(name:value:requirement:)`` for a bad name or
    ///   missing folder; ``MetError/netCDF(_:)`` when libnetcdf fails.
    @discardableResult
    public func write(directory: String, name: String = "synthetic", storage: SyntheticMet.Storage = .float,
                      split: SyntheticMet.FileSplit = .single) throws -> [String] {
        guard !name.isEmpty, !name.contains("/") else {
            throw SyntheticMetError.invalidParameter(name: "name", value: "'\(name)'", requirement: "use a non-empty file name stem without '/'")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SyntheticMetError.invalidParameter(name: "directory", value: directory, requirement: "create the folder first")
        }
        var groups: [(stem: String, indices: [Int])] = []
        switch split {
        case .single:
            groups = [(name, Array(times.indices))]
        case .daily:
            var lastDay: Int64?
            for (i, t) in times.enumerated() {
                let day = t.secondsSince1970 >= 0 ? t.secondsSince1970 / 86_400 : (t.secondsSince1970 - 86_399) / 86_400
                if day != lastDay {
                    let c = t.components
                    func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
                    groups.append(("\(name)_\(pad(c.year, 4))\(pad(c.month, 2))\(pad(c.day, 2))", []))
                    lastDay = day
                }
                groups[groups.count - 1].indices.append(i)
            }
        }
        var paths: [String] = []
        for group in groups {
            let path = (directory as NSString).appendingPathComponent(group.stem + ".nc")
            try MetError.wrapping { try writeFile(path: path, indices: group.indices, storage: storage) }
            paths.append(path)
        }
        return paths
    }

    /// Per-variable packing of one file: `add_offset`, `scale_factor`.
    private struct Packing {
        var offset: Double
        var scale: Double

        init(min: Double, max: Double) {
            if min.isFinite, max.isFinite, max > min {
                offset = (max + min) / 2
                scale = (max - min) / 65_532
            } else {
                offset = min.isFinite ? min : 0
                scale = 1
            }
        }

        func pack(_ values: [Float]) -> [Int16] {
            values.map { value in
                guard value.isFinite else { return -32767 }
                let q = ((Double(value) - offset) / scale).rounded()
                return Int16(Swift.max(-32766, Swift.min(32766, q)))
            }
        }
    }

    private static let attributes: [String: (units: String, longName: String, standardName: String)] = [
        "u": ("m s**-1", "U component of wind", "eastward_wind"),
        "v": ("m s**-1", "V component of wind", "northward_wind"),
        "w": ("Pa s**-1", "Vertical velocity", "lagrangian_tendency_of_air_pressure"),
        "z": ("m**2 s**-2", "Geopotential", "geopotential"),
        "t": ("K", "Temperature", "air_temperature"),
        "sp": ("Pa", "Surface pressure", "surface_air_pressure"),
        "zs": ("m**2 s**-2", "Geopotential at the surface (orography times g)", "surface_geopotential"),
        "blh": ("m", "Boundary layer height", "atmosphere_boundary_layer_thickness"),
    ]

    private func writeFile(path: String, indices: [Int], storage: SyntheticMet.Storage) throws {
        let names = SyntheticMet.Field.variableNames
        var packings: [String: Packing] = [:]
        if storage == .packedShort {
            var lo = [String: Double](), hi = [String: Double]()
            for i in indices {
                for (name, values) in try sample(at: i).byName {
                    var mn = lo[name] ?? .infinity, mx = hi[name] ?? -.infinity
                    for v in values where v.isFinite {
                        mn = min(mn, Double(v)); mx = max(mx, Double(v))
                    }
                    lo[name] = mn; hi[name] = mx
                }
            }
            for name in names { packings[name] = Packing(min: lo[name] ?? 0, max: hi[name] ?? 0) }
        }

        let file = try NetCDFFile.create(path, format: storage == .float ? .netcdf4 : .offset64, overwrite: true)
        do {
            try file.setFillMode(false)
            let g = file.root
            let nz = levels.count, ny = domain.ny, nx = domain.nx
            let dLon = try g.defineDimension("longitude", length: nx)
            let dLat = try g.defineDimension("latitude", length: ny)
            let dLevel = try g.defineDimension("level", length: nz)
            let dTime = try g.defineDimension("time", length: nil)
            let lon = try g.defineVariable("longitude", type: .float, dimensions: [dLon])
            try lon.setAttribute("units", .text("degrees_east"))
            try lon.setAttribute("long_name", .text("longitude"))
            let lat = try g.defineVariable("latitude", type: .float, dimensions: [dLat])
            try lat.setAttribute("units", .text("degrees_north"))
            try lat.setAttribute("long_name", .text("latitude"))
            let integralLevels = levels.allSatisfy { $0 == $0.rounded() }
            let level = try g.defineVariable("level", type: integralLevels ? .int : .float, dimensions: [dLevel])
            try level.setAttribute("units", .text("millibars"))
            try level.setAttribute("long_name", .text("pressure_level"))
            let time = try g.defineVariable("time", type: .int, dimensions: [dTime])
            try time.setAttribute("units", .text("hours since 1900-01-01 00:00:00.0"))
            try time.setAttribute("long_name", .text("time"))
            try time.setAttribute("calendar", .text("gregorian"))

            var variables: [String: NetCDFVariable] = [:]
            for name in names {
                let threeD = SyntheticMet.Field.levelVariableNames.contains(name)
                let dims = threeD ? [dTime, dLevel, dLat, dLon] : [dTime, dLat, dLon]
                let v: NetCDFVariable
                switch storage {
                case .float:
                    v = try g.defineVariable(name, type: .float, dimensions: dims,
                                             chunking: threeD ? [1, nz, ny, nx] : [1, ny, nx], deflateLevel: 1, shuffle: true)
                case .packedShort:
                    v = try g.defineVariable(name, type: .short, dimensions: dims)
                    if let p = packings[name] {
                        try v.setAttribute("scale_factor", .double([p.scale]))
                        try v.setAttribute("add_offset", .double([p.offset]))
                    }
                    try v.setAttribute("_FillValue", .int16([-32767]))
                    try v.setAttribute("missing_value", .int16([-32767]))
                }
                if let a = SyntheticMet.Field.attributes[name] {
                    try v.setAttribute("units", .text(a.units))
                    try v.setAttribute("long_name", .text(a.longName))
                    try v.setAttribute("standard_name", .text(a.standardName))
                }
                variables[name] = v
            }
            try g.setAttribute("Conventions", .text("CF-1.6"))
            try g.setAttribute("history", .text("written by Upwind SyntheticMet (ERA5 legacy layout)"))
            try g.setAttribute("source", .text("Upwind SyntheticMet: \(model.summary)"))

            try lon.write(domain.longitudes.map { Float($0) })
            try lat.write(domain.latitudes.map { Float($0) })
            if integralLevels {
                try level.write(levels.map { Int32($0) })
            } else {
                try level.write(levels.map { Float($0) })
            }
            let epoch = UTCTime(year: 1900, month: 1, day: 1)
            let hours = indices.map { Int32((times[$0] - epoch) / 3600) }
            try time.write(hours, start: [0], count: [hours.count])

            for (record, i) in indices.enumerated() {
                let values = try sample(at: i).byName
                for name in names {
                    guard let v = variables[name], let data = values[name] else { continue }
                    let threeD = SyntheticMet.Field.levelVariableNames.contains(name)
                    let start = threeD ? [record, 0, 0, 0] : [record, 0, 0]
                    let count = threeD ? [1, nz, ny, nx] : [1, ny, nx]
                    if let p = packings[name] {
                        try v.write(p.pack(data), start: start, count: count)
                    } else {
                        try v.write(data, start: start, count: count)
                    }
                }
            }
            try file.close()
        } catch {
            try? file.close()
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }
}
