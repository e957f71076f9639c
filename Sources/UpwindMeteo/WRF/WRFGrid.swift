import UpwindCore

/// WRF's map projection parameters, from a `wrfout` file's global attributes: `MAP_PROJ`
/// (1 Lambert conformal, 2 polar stereographic, 3 Mercator, 6 latitude-longitude), `TRUELAT1`,
/// `TRUELAT2`, `STAND_LON`, `CEN_LAT`, `DX`, `DY`, `POLE_LAT`, `POLE_LON` (Skamarock et al., *A
/// Description of the Advanced Research WRF Model*, NCAR/TN-556+STR, §on map projections; WPS's
/// `module_map_utils`). WRF's sphere has radius ``earthRadius``.
public struct WRFMapParameters: Sendable, Equatable {
    /// `MAP_PROJ`: 1 Lambert conformal, 2 polar stereographic, 3 Mercator, 6 latitude-longitude
    /// (cylindrical equidistant, possibly with a rotated pole).
    public var mapProjection: Int
    /// `TRUELAT1`, `TRUELAT2`: true latitudes, degrees.
    public var trueLatitude1: Double, trueLatitude2: Double
    /// `STAND_LON`: the projection's central meridian, degrees.
    public var standardLongitude: Double
    /// `CEN_LAT`: the domain's centre latitude, degrees (informative).
    public var centreLatitude: Double
    /// `DX`, `DY`: grid spacing at the true latitude, m (degrees for `MAP_PROJ = 6`).
    public var dx: Double, dy: Double
    /// `POLE_LAT`, `POLE_LON`: the pole of a rotated latitude-longitude grid (90, 0 when not rotated), degrees.
    public var poleLatitude: Double, poleLongitude: Double

    /// WRF's Earth radius (`EARTH_RADIUS_M` in WPS and WRF), m.
    public static let earthRadius = 6_370_000.0

    /// The cone factor n of a Lambert conformal projection: sin φ₁ for a tangent cone
    /// (`TRUELAT1 = TRUELAT2`), else ln(cos φ₁/cos φ₂)/ln(tan(45° + |φ₂|/2)/tan(45° + |φ₁|/2)), with the
    /// sign of the hemisphere (WPS `lc_cone`, wrf-python's `cone` for `uvmet`).
    public var cone: Double {
        let r = Geodesy.radiansPerDegree
        let a = abs(trueLatitude1), b = abs(trueLatitude2)
        let sign: Double = trueLatitude1 < 0 ? -1 : 1
        if abs(a - b) < 1e-9 { return sign * Math.sin(a * r) }
        let n = Math.log(Math.cos(a * r) / Math.cos(b * r)) / Math.log(Math.tan((45 + b / 2) * r) / Math.tan((45 + a / 2) * r))
        return sign * n
    }

    /// The projection name `upwind inspect` prints.
    public var name: String {
        switch mapProjection {
        case 1: return "Lambert conformal"
        case 2: return "polar stereographic"
        case 3: return "Mercator"
        case 6: return poleLatitude == 90 && poleLongitude == 0 ? "latitude-longitude" : "rotated latitude-longitude"
        default: return "MAP_PROJ \(mapProjection)"
        }
    }

    /// The projected grid these parameters define for `nx`×`ny` mass points whose node (0, 0) sits
    /// at `(x0, y0)` (m) on the projection plane; nil for projections Upwind's Core grids do not
    /// hold (latitude-longitude, rotated pole, DX ≠ DY, unknown codes): those are read as curvilinear.
    func projectedGrid(nx: Int, ny: Int, x0: Double, y0: Double) -> MapProjection? {
        let r = WRFMapParameters.earthRadius
        if mapProjection == 6 {
            // Latitude-longitude (not rotated): the plane is (longitude, latitude) in degrees.
            guard poleLatitude == 90, poleLongitude == 0, dx > 0, dy > 0 else { return nil }
            let step = latticeStep
            return .latLon(LatLonGrid(longitudes: (0..<nx).map { x0 + Double($0) * step.x }, latitudes: (0..<ny).map { y0 + Double($0) * step.y },
                                      isGlobal: false))
        }
        guard abs(dx - dy) <= 1e-6 * max(dx, dy), dx > 0 else { return nil }
        switch mapProjection {
        case 1:
            let n = cone
            guard abs(n) > 1e-9, abs(n) < 1 else { return nil }
            return .lambertConformal(LambertConformalGrid(nx: nx, ny: ny, spacingM: dx, x0: x0, y0: y0,
                                                          tangentLatitude: Math.asin(n) / Geodesy.radiansPerDegree,
                                                          centralMeridian: standardLongitude, referenceLatitude: trueLatitude1, earthRadius: r))
        case 2:
            return .polarStereographic(PolarStereographicGrid(nx: nx, ny: ny, spacingM: dx, x0: x0, y0: y0, standardParallel: trueLatitude1,
                                                              centralMeridian: standardLongitude, earthRadius: r))
        case 3:
            return .mercator(MercatorGrid(nx: nx, ny: ny, spacingM: dx, x0: x0, y0: y0, referenceLatitude: trueLatitude1,
                                          centralMeridian: standardLongitude, earthRadius: r))
        default:
            return nil
        }
    }

    /// The steps of the grid's lattice on the projection plane: `DX`, `DY` in m, or for
    /// `MAP_PROJ = 6` degrees of longitude and latitude (`DX`/(R·π/180), as WRF derives DX from them).
    var latticeStep: (x: Double, y: Double) {
        let m = WRFMapParameters.earthRadius * Geodesy.radiansPerDegree
        return mapProjection == 6 ? (dx / m, dy / m) : (dx, dy)
    }

    /// Metres per lattice unit, for messages (1 on projections, the length of a degree for `MAP_PROJ = 6`).
    var metresPerUnit: Double { mapProjection == 6 ? WRFMapParameters.earthRadius * Geodesy.radiansPerDegree : 1 }

    /// Projection coordinates (m; longitude and latitude in degrees for `MAP_PROJ = 6`) of a
    /// point on these parameters' plane (any node origin).
    func project(latitude: Double, longitude: Double) -> (x: Double, y: Double)? {
        if mapProjection == 6 { return (standardLongitude + Geodesy.normalizedLongitude(longitude - standardLongitude), latitude) }
        guard let g = projectedGrid(nx: 2, ny: 2, x0: 0, y0: 0), let p = g.grid as? any ProjectedGrid else { return nil }
        return p.project(latitude: latitude, longitude: longitude)
    }
}

/// Where one time's mass grid lies: the node (0, 0) of its `nx`×`ny` points on the dataset's
/// lattice, so that the slices of a moving nest share one grid and a point is located in each
/// slice's own grid by subtracting the slice's offset.
public struct WRFGridPlacement: Sendable, Equatable {
    /// Offset of the slice's node (0, 0) in the dataset's (union) grid, nodes along x and y.
    public var i0: Int, j0: Int
}

/// How a WRF domain's 2-D `XLAT`/`XLONG` were matched to a grid.
enum WRFGridFit {
    /// Fits `MAP_PROJ`'s projection to the mass points: the node origin `(x0, y0)` (m) as the mean
    /// of each node's projected position minus its lattice offset, and the largest distance (m) of
    /// a node from its lattice position (in lattice units: m, or degrees for `MAP_PROJ = 6`); nil
    /// when the projection has no Core grid.
    static func fit(_ p: WRFMapParameters, latitudes: [Double], longitudes: [Double], nx: Int, ny: Int) -> (x0: Double, y0: Double, maxError: Double)? {
        guard p.projectedGrid(nx: nx, ny: ny, x0: 0, y0: 0) != nil else { return nil }
        var xs: [Double] = [], ys: [Double] = []
        xs.reserveCapacity(nx * ny); ys.reserveCapacity(nx * ny)
        var sx = 0.0, sy = 0.0
        let step = p.latticeStep
        for j in 0..<ny {
            for i in 0..<nx {
                let n = j * nx + i
                guard latitudes[n].isFinite, longitudes[n].isFinite, let q = p.project(latitude: latitudes[n], longitude: longitudes[n]),
                      q.x.isFinite, q.y.isFinite else { return nil }
                xs.append(q.x); ys.append(q.y)
                sx += q.x - Double(i) * step.x
                sy += q.y - Double(j) * step.y
            }
        }
        let x0 = sx / Double(nx * ny), y0 = sy / Double(nx * ny)
        var worst = 0.0
        for j in 0..<ny {
            for i in 0..<nx {
                let n = j * nx + i
                let ex = xs[n] - (x0 + Double(i) * step.x), ey = ys[n] - (y0 + Double(j) * step.y)
                worst = max(worst, (ex * ex + ey * ey).squareRoot())
            }
        }
        return (x0, y0, worst)
    }
}
