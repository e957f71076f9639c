/// Which rule tied a NetCDF variable to its `MetRole` (the *Reading meteorology* article in Upwind's documentation, for the CF
/// conventions, and HYSPLIT's ARL packed-data format for the ARL names). The rules are
/// tried in this order and the first that finds a variable for a role decides; two variables
/// found by the same rule for one role are refused (``MetError/ambiguousRole(path:role:rule:variables:)``),
/// except that a variable with levels wins over a single-level one for a 3-D role (`UWND` over
/// `U10M`) and a single-level one wins for a surface role.
///
/// - ``map``: the user's ``MetVariableMapping`` (`--map ROLE=NAME`).
/// - ``standardName``: the CF `standard_name` (`eastward_wind`, `x_wind`, `air_temperature`, …).
/// - ``name``: a well-known variable name, compared case-insensitively: the usual names of
///   ERA5, NCEP, GFS, CMIP and GrADS (`u`, `uwnd`, `UGRD`, `ua`, `t`, `air`, `hgt`, `zg`, …) and
///   HYSPLIT's ARL names with their ARL meanings (HYSPLIT's ARL packed-data format); a variable with one of the ARL names and no
///   `units` attribute is read in the ARL units: `UWND`, `VWND`, `U10M`, `V10M` m s⁻¹; `WWND`
///   hPa s⁻¹ (ω, converted to Pa s⁻¹); `HGTS` m (geopotential height); `TEMP`, `T02M` K;
///   `PRSS` hPa (surface pressure); `SHGT` m (terrain); `PBLH` m; `RELH` %; `SPHU` kg kg⁻¹.
///   `MSLP` (mean sea-level pressure) is known and plays no role: it is not surface pressure.
/// - ``longName``: the CF `long_name`, lower-cased with runs of spaces, underscores and hyphens
///   made one space, equal to one of these phrases:
///   - u: `eastward wind`, `eastward wind component`, `zonal wind`, `zonal wind component`,
///     `u component of wind`, `u wind component`, `u wind`, `u component`, `x wind`, `x wind component`;
///   - v: `northward wind`, `northward wind component`, `meridional wind`, `meridional wind component`,
///     `v component of wind`, `v wind component`, `v wind`, `v component`, `y wind`, `y wind component`;
///   - w: `omega`, `vertical velocity`, `pressure vertical velocity`, `vertical pressure velocity`,
///     `lagrangian tendency of air pressure`, `upward air velocity`, `geometric vertical velocity`;
///   - geopotential: `geopotential`; geopotential height: `geopotential height`;
///   - temperature: `temperature`, `air temperature`;
///   - surface pressure: `surface pressure`, `surface air pressure`, `pressure at surface`;
///   - orography: `orography`, `surface altitude`, `surface height`, `terrain height`,
///     `surface terrain height`, `topography`, `surface geopotential`;
///   - boundary-layer height: `boundary layer height`, `planetary boundary layer height`,
///     `boundary layer depth`, `atmosphere boundary layer thickness`, `mixed layer depth`, `mixing height`;
///   - specific humidity: `specific humidity`; relative humidity: `relative humidity`.
///
///   So `ZONAL WIND`, `eastward_wind` and `u-component of wind` find u. On a projected grid,
///   a wind whose long_name is an `eastward`, `zonal`, `northward` or `meridional` phrase is earth-relative;
///   otherwise a wind without a `standard_name` is taken as grid-relative (HYSPLIT's convention).
///
/// A variable whose `standard_name` is not one of a role's is never found by name or long_name
/// (GrADS' `p` is precipitation). Whatever rule found it, a variable's units must be ones the
/// role converts (``MetError/unsupportedUnits(path:variable:units:expected:)``).
public enum MetRoleMatch: String, Sendable, Codable, CaseIterable, Comparable {
    /// The user's mapping.
    case map
    /// The CF `standard_name`.
    case standardName = "standard_name"
    /// A well-known variable name (case-insensitive), including HYSPLIT's ARL names.
    case name
    /// A `long_name` phrase from the fixed list above.
    case longName = "long_name"

    /// The rule's precedence: 0 for the mapping, then standard_name, name, long_name.
    public var precedence: Int {
        switch self {
        case .map: return 0
        case .standardName: return 1
        case .name: return 2
        case .longName: return 3
        }
    }

    /// Orders by ``precedence`` (the stronger evidence first).
    public static func < (a: MetRoleMatch, b: MetRoleMatch) -> Bool { a.precedence < b.precedence }
}
