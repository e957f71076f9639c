import Foundation
import UpwindCore

extension GriddedMetSource {
    /// WRF ARW output in ARL terms, what HYSPLIT's `arw2arl` converts: a fixed domain on its
    /// Lambert, polar stereographic or Mercator projection, the mass points as the ARL grid.
    ///
    /// - Levels: WRF's η as ARL hybrid levels (vertical flag 4), p = a + b·`PRSS` with
    ///   b = η (`ZNU`) and a = `P_TOP`·(1 − η) in whole hPa (the ARL level text keeps a's integer
    ///   part): WRF's dry hydrostatic pressure (ARW Technical Note NCAR/TN-556+STR §2.1),
    ///   with `PRSS` = `PSFC`. The largest difference between these pressures and `P + PB` over
    ///   the data is given in ``notes``.
    /// - Variables: `PRSS` (`PSFC`, hPa), `SHGT` (`HGT`), `PBLH`, `HGTS` ((PH + PHB)/g on the mass
    ///   levels), `TEMP`, `UWND`/`VWND` (de-staggered; along the grid axes on Lambert and polar
    ///   stereographic grids, which are WRF's own axes; east/north on Mercator), `WWND`
    ///   (ω = −ρ g w, hPa s⁻¹).
    /// - ARL grids live on HYSPLIT's 6,371.2-km sphere, WRF's on 6,370 km: the grid is written with
    ///   WRF's spacing and node (1, 1) at its latitude/longitude, so the other nodes move slightly
    ///   when HYSPLIT rebuilds them (the largest shift is given in ``notes``).
    /// - Throws: ``MetWriteError/unconvertible(path:detail:)`` for a moving nest (ARL holds one
    ///   fixed grid), a curvilinear grid, or a file without `ZNU`, `P_TOP` or `PSFC`.
    public init(wrf: WRFDataset, modelID: String = "WRF") throws {
        let path = wrf.paths.first ?? ""
        guard !wrf.isMoving else {
            throw MetWriteError.unconvertible(path: path, detail: "a WRF moving nest (XLAT/XLONG change between times) cannot be written as ARL, which holds one fixed grid per file (HYSPLIT's arw2arl converts fixed domains only): convert the parent domain, cut the file to one time per output (e.g. ncks -d Time,0), or run upwind trajectories on the WRF file directly")
        }
        if case .curvilinear = wrf.projection {
            throw MetWriteError.unconvertible(path: path, detail: "this WRF domain is read as a curvilinear grid (\(wrf.gridNote ?? "MAP_PROJ does not reproduce XLAT/XLONG")): ARL holds latitude-longitude and conformal grids only; run upwind trajectories on the WRF file directly")
        }
        let names = Set(wrf.variableNames)
        let missing = ["ZNU", "P_TOP", "PSFC"].filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw MetWriteError.unconvertible(path: path, detail: "WRF → ARL needs \(missing.joined(separator: ", ")) (η of the mass levels, the model-top pressure and the surface pressure) for ARL's hybrid levels; keep them in the WRF history output, or run upwind trajectories on the WRF file directly")
        }
        let field = WRFWindField(wrf, modelID: modelID)
        let eta = wrf.eta
        let top = wrf.topPressureHPa ?? 0
        let a = eta.map { (top * (1 - $0)).rounded() }
        self.init(projection: wrf.projection, verticalKind: .hybrid, levels: zip(a, eta).map { $0 + $1 }, hybrid: (a, eta),
                  times: wrf.times, source: modelID, variables: [], read: { _ in [] })
        let upper = Array(1...wrf.nz)
        var variables: [(name: String, levels: [Int])] = [("PRSS", [0]), ("SHGT", [0])]
        if names.contains("PBLH") { variables.append(("PBLH", [0])) }
        variables.append(("HGTS", upper))
        if names.contains("T") { variables.append(("TEMP", upper)) }
        variables += [("UWND", upper), ("VWND", upper)]
        if names.contains("W") { variables.append(("WWND", upper)) }
        self.variables = variables
        let gridRelative = windsGridRelative
        let plane = wrf.nx * wrf.ny
        // How far a + b·PSFC is from P + PB, over every time.
        var worst = 0.0
        for t in wrf.times.indices {
            let f = try wrf.fields(at: t)
            for k in 0..<wrf.nz {
                for n in 0..<plane {
                    worst = max(worst, abs(a[k] + eta[k] * Double(f.surfacePressureHPa[n]) - Double(f.pressureHPa[k * plane + n])))
                }
            }
        }
        var notes = ["WRF η levels written as ARL hybrid levels p = a + b·PRSS (a = P_TOP·(1 − η) in whole hPa, b = η); they differ from P + PB by up to \(String(format: "%.2f", worst)) hPa"]
        // Node shift when HYSPLIT rebuilds the grid on its sphere from node (1, 1) and the spacing.
        let g = wrf.projection.grid
        if let rebuilt = GriddedMetSource.onARLSphere(wrf.projection) {
            var shift = 0.0
            for (i, j) in [(0, 0), (g.nx - 1, 0), (0, g.ny - 1), (g.nx - 1, g.ny - 1), (g.nx / 2, g.ny / 2)] {
                let p = g.location(i: i, j: j), q = rebuilt.location(i: i, j: j)
                shift = max(shift, Geodesy.distance(latitude1: p.latitude, longitude1: p.longitude, latitude2: q.latitude, longitude2: q.longitude))
            }
            notes.append("WRF's 6370-km sphere written on ARL's 6371.2-km sphere: nodes move by up to \(String(format: "%.0f", shift)) m")
        }
        self.notes = notes
        read = { t in
            let f = try wrf.fields(at: t)
            let s = try field.slice(at: t)
            var out = [ARLFieldValues(name: "PRSS", level: 0, values: f.surfacePressureHPa), ARLFieldValues(name: "SHGT", level: 0, values: f.terrainM)]
            if let pblh = f.mixingDepthM { out.append(ARLFieldValues(name: "PBLH", level: 0, values: pblh)) }
            let omega = s.omega
            for k in 0..<f.nz {
                let r = (k * plane)..<((k + 1) * plane)
                out.append(ARLFieldValues(name: "HGTS", level: k + 1, values: Array(f.heightM[r])))
                if let temperature = f.temperatureK { out.append(ARLFieldValues(name: "TEMP", level: k + 1, values: Array(temperature[r]))) }
                out.append(ARLFieldValues(name: "UWND", level: k + 1, values: Array((gridRelative ? f.uGrid : f.u)[r])))
                out.append(ARLFieldValues(name: "VWND", level: k + 1, values: Array((gridRelative ? f.vGrid : f.v)[r])))
                if let omega { out.append(ARLFieldValues(name: "WWND", level: k + 1, values: omega[r].map { $0 * 0.01 })) }
            }
            return out
        }
    }

    /// The grid HYSPLIT rebuilds from an ARL index of `projection`: the same spacing, tangent and
    /// reference latitudes on its 6,371.2-km sphere, node (0, 0) at the same place; nil for lat-lon.
    static func onARLSphere(_ projection: MapProjection) -> (any HorizontalGrid)? {
        let r = MapProjection.earthRadius
        switch projection {
        case .lambertConformal(let g):
            let probe = LambertConformalGrid(nx: g.nx, ny: g.ny, spacingM: g.spacingM, x0: 0, y0: 0, tangentLatitude: g.tangentLatitude,
                                             centralMeridian: g.centralMeridian, referenceLatitude: g.referenceLatitude, earthRadius: r)
            let p0 = g.location(i: 0, j: 0), q = probe.project(latitude: p0.latitude, longitude: p0.longitude)
            return LambertConformalGrid(nx: g.nx, ny: g.ny, spacingM: g.spacingM, x0: q.x, y0: q.y, tangentLatitude: g.tangentLatitude,
                                        centralMeridian: g.centralMeridian, referenceLatitude: g.referenceLatitude, earthRadius: r)
        case .polarStereographic(let g):
            let probe = PolarStereographicGrid(nx: g.nx, ny: g.ny, spacingM: g.spacingM, x0: 0, y0: 0, standardParallel: g.standardParallel,
                                               centralMeridian: g.centralMeridian, earthRadius: r)
            let p0 = g.location(i: 0, j: 0), q = probe.project(latitude: p0.latitude, longitude: p0.longitude)
            return PolarStereographicGrid(nx: g.nx, ny: g.ny, spacingM: g.spacingM, x0: q.x, y0: q.y, standardParallel: g.standardParallel,
                                          centralMeridian: g.centralMeridian, earthRadius: r)
        case .mercator(let g):
            let probe = MercatorGrid(nx: g.nx, ny: g.ny, spacingM: g.spacingM, x0: 0, y0: 0, referenceLatitude: g.referenceLatitude,
                                     centralMeridian: g.centralMeridian, earthRadius: r)
            let p0 = g.location(i: 0, j: 0), q = probe.project(latitude: p0.latitude, longitude: p0.longitude)
            return MercatorGrid(nx: g.nx, ny: g.ny, spacingM: g.spacingM, x0: q.x, y0: q.y, referenceLatitude: g.referenceLatitude,
                                centralMeridian: g.centralMeridian, earthRadius: r)
        case .latLon, .curvilinear:
            return nil
        }
    }
}
