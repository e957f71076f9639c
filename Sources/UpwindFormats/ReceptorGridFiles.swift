import Foundation
import NetCDFKit
import UpwindAttribution
import UpwindCore

/// The gridded receptor-model outputs of `upwind pscf | cwt | residence | hotspots` (issue 10's
/// contract), one row, feature or grid point per non-empty cell, at the cell centres:
/// - `grid.csv`: `latitude,longitude,n_endpoints,n_polluted,n_trajectories,residence,pscf,
///   w_pscf,wpscf,cwt,w_cwt,wcwt,seibert` (latitudes and longitudes with 4 decimals, counts as
///   integers, the other fields with up to 6 significant decimals; an undefined field, e.g. CWT
///   without concentrations, is empty, never 0);
/// - `grid.geojson`: a Polygon per cell (its corners at ± half the resolution) with the same
///   properties (undefined fields `null`);
/// - `grid.nc`: CF-1.11 NetCDF-4, `latitude`/`longitude` axes over the non-empty cells' box at
///   the grid's resolution, every field a `double` variable (latitude, longitude) with
///   `_FillValue` 9.96921e36 where a cell is empty or the field undefined.
public enum ReceptorGridFiles {
    /// The CSV text of `cells`.
    /// - Throws: ``TrajectoryOutputError`` when encoding fails.
    public static func csv(_ cells: [ReceptorGridCell], name: String = "<memory>") throws -> String {
        var out = ReceptorGridCell.columns.joined(separator: ",") + "\n"
        out.reserveCapacity(out.count + cells.count * 120)
        for c in cells {
            let fields: [String] = [
                NumberText.fixed(c.latitude, decimals: 4) ?? "", NumberText.fixed(c.longitude, decimals: 4) ?? "",
                String(c.nEndpoints), String(c.nPolluted), String(c.nTrajectories),
                number(c.residence), number(c.pscf), number(c.pscfWeight), number(c.wpscf),
                number(c.cwt), number(c.cwtWeight), number(c.wcwt), number(c.seibert),
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A field value: up to 6 decimals without trailing zeros, empty when undefined.
    static func number(_ x: Double) -> String {
        guard x.isFinite, var text = NumberText.fixed(x, decimals: 6) else { return "" }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// The GeoJSON text of `cells`, each a Polygon of side `resolution` degrees.
    public static func geojson(_ cells: [ReceptorGridCell], resolution: Double) -> String {
        let h = resolution / 2
        var features: [String] = []
        features.reserveCapacity(cells.count)
        for c in cells {
            let (s, n, w, e) = (c.latitude - h, c.latitude + h, c.longitude - h, c.longitude + h)
            let ring = [(w, s), (e, s), (e, n), (w, n), (w, s)].map { JSONText.array([JSONText.number($0.0, decimals: 6), JSONText.number($0.1, decimals: 6)]) }
            let properties = JSONText.object(zip(ReceptorGridCell.columns, values(c)).map { (key: $0.0, value: $0.1.isFinite ? JSONText.number($0.1) : "null") })
            features.append(JSONText.object([
                (key: "type", value: JSONText.quoted("Feature")),
                (key: "geometry", value: JSONText.object([(key: "type", value: JSONText.quoted("Polygon")), (key: "coordinates", value: JSONText.array([JSONText.array(ring)]))])),
                (key: "properties", value: properties),
            ]))
        }
        return "{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n"
    }

    /// A cell's fields in ``ReceptorGridCell/columns`` order.
    static func values(_ c: ReceptorGridCell) -> [Double] {
        [c.latitude, c.longitude, Double(c.nEndpoints), Double(c.nPolluted), Double(c.nTrajectories), c.residence,
         c.pscf, c.pscfWeight, c.wpscf, c.cwt, c.cwtWeight, c.wcwt, c.seibert]
    }

    /// Writes `grid.csv`, `grid.geojson` and `grid.nc` for `cells` into `folder` (each through a
    /// temporary file renamed when complete) and returns their names.
    /// - Throws: ``TrajectoryOutputError``, `NetCDFError`.
    @discardableResult
    public static func write(_ cells: [ReceptorGridCell], resolution: Double, into folder: String, attributes: [(String, String)] = []) throws -> [String] {
        let base = URL(fileURLWithPath: folder)
        let csvSink = try FileSink(path: base.appendingPathComponent("grid.csv").path)
        try csvSink.write(Data(try csv(cells, name: csvSink.name).utf8))
        try csvSink.finish()
        let geoSink = try FileSink(path: base.appendingPathComponent("grid.geojson").path)
        try geoSink.write(Data(geojson(cells, resolution: resolution).utf8))
        try geoSink.finish()
        try writeNetCDF(cells, resolution: resolution, to: base.appendingPathComponent("grid.nc").path, attributes: attributes)
        return ["grid.csv", "grid.geojson", "grid.nc"]
    }

    /// Writes `grid.nc` (see the type's documentation) through a temporary file.
    /// - Throws: ``TrajectoryOutputError``, `NetCDFError`.
    public static func writeNetCDF(_ cells: [ReceptorGridCell], resolution: Double, to path: String, attributes: [(String, String)] = []) throws {
        let output = try AtomicOutputFile(path: path, staged: true)
        let nc = try NetCDFFile.create(output.stagingPath, format: .netcdf4, overwrite: true)
        do {
            let index = { (x: Double) in Int((x / resolution).rounded()) }
            let js = cells.map { index($0.latitude) }, iis = cells.map { index($0.longitude) }
            let j0 = js.min() ?? 0, j1 = js.max() ?? -1, i0 = iis.min() ?? 0, i1 = iis.max() ?? -1
            let ny = max(0, j1 - j0 + 1), nx = max(0, i1 - i0 + 1)
            let root = nc.root
            try root.setAttribute("Conventions", .text("CF-1.11"))
            try root.setAttribute("title", .text("Upwind receptor-model grid"))
            try root.setAttribute("grid_resolution_degrees", .double([resolution]))
            for (key, value) in attributes { try root.setAttribute(key, .text(value)) }
            let latDim = try root.defineDimension("latitude", length: ny)
            let lonDim = try root.defineDimension("longitude", length: nx)
            let lat = try root.defineVariable("latitude", type: .double, dimensions: [latDim])
            try lat.setAttribute("units", .text("degrees_north"))
            try lat.setAttribute("standard_name", .text("latitude"))
            let lon = try root.defineVariable("longitude", type: .double, dimensions: [lonDim])
            try lon.setAttribute("units", .text("degrees_east"))
            try lon.setAttribute("standard_name", .text("longitude"))
            if ny > 0 { try lat.write((0..<ny).map { Double(j0 + $0) * resolution }, start: [0], count: [ny]) }
            if nx > 0 { try lon.write((0..<nx).map { Double(i0 + $0) * resolution }, start: [0], count: [nx]) }
            let fill = 9.969209968386869e36
            let longNames = ["endpoints in the cell", "endpoints of polluted trajectories", "distinct trajectories",
                             "residence time (normalised)", "PSCF m/n", "PSCF weight", "weighted PSCF", "CWT concentration",
                             "CWT weight", "weighted CWT", "Seibert concentration field"]
            for (k, name) in ReceptorGridCell.columns.dropFirst(2).enumerated() {
                let v = try root.defineVariable(name, type: .double, dimensions: [latDim, lonDim])
                try v.setAttribute("_FillValue", .double([fill]))
                try v.setAttribute("long_name", .text(longNames[k]))
                guard nx > 0 && ny > 0 else { continue }
                var grid = [Double](repeating: fill, count: nx * ny)
                for (n, c) in cells.enumerated() {
                    let x = values(c)[k + 2]
                    if x.isFinite { grid[(js[n] - j0) * nx + (iis[n] - i0)] = x }
                }
                try v.write(grid, start: [0, 0], count: [ny, nx])
            }
            try nc.close()
        } catch {
            try? nc.close()
            throw error
        }
        try output.commit()
    }
}
