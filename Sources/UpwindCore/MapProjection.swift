/// The horizontal grid of a met source and its map projection, as the engine sees it:
/// shared by the ARL and CF NetCDF readers (built from an ARL index header or a CF
/// `grid_mapping`), the ARL writer and `upwind inspect`.
public enum MapProjection: Sendable, Equatable {
    /// A regular latitude-longitude grid (earth-relative winds).
    case latLon(LatLonGrid)
    /// A polar stereographic grid (|tangent latitude| = 90), grid-relative winds.
    case polarStereographic(PolarStereographicGrid)
    /// A Lambert conformal grid, grid-relative winds.
    case lambertConformal(LambertConformalGrid)
    /// A Mercator grid (tangent latitude 0).
    case mercator(MercatorGrid)
    /// A curvilinear grid: nodes placed by 2-D latitude/longitude, no projection formula
    /// (winds along the grid axes unless the reader wraps it as earth-relative).
    case curvilinear(CurvilinearGrid)

    /// HYSPLIT's sphere radius for conformal grids (`cmapf`), m; also the default for CF
    /// grid mappings that give no radius.
    public static let earthRadius = 6_371_200.0

    /// The grid as a ``HorizontalGrid``.
    public var grid: any HorizontalGrid {
        switch self {
        case .latLon(let g): return g
        case .polarStereographic(let g): return g
        case .lambertConformal(let g): return g
        case .mercator(let g): return g
        case .curvilinear(let g): return g
        }
    }

    /// The projection name used by `upwind inspect`: `latlon`, `polar_stereographic`,
    /// `lambert_conformal`, `mercator` or `curvilinear`.
    public var name: String {
        switch self {
        case .latLon: return "latlon"
        case .polarStereographic: return "polar_stereographic"
        case .lambertConformal: return "lambert_conformal"
        case .mercator: return "mercator"
        case .curvilinear: return "curvilinear"
        }
    }
}
