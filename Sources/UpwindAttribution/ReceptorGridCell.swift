/// One non-empty cell of a receptor grid with every field of issue 10 item 3 (the `grid.csv`
/// columns). Fields that are undefined in the cell are NaN, never 0 (see the *Receptor models* article in Upwind's documentation).
///
/// τ, the cell's time weight, is its endpoint count, or the hours trajectories spent in it with
/// ``ReceptorGridSettings/segments`` (see the *Receptor models* article in Upwind's documentation: with equal endpoint spacing τ ∝ count).
public struct ReceptorGridCell: Sendable, Equatable {
    /// Centre latitude, degrees north (a multiple of the resolution).
    public var latitude: Double
    /// Centre longitude, degrees east, −180…180 (a multiple of the resolution).
    public var longitude: Double
    /// Endpoints in the cell that pass the age and height filters, n (`n_endpoints`).
    public var nEndpoints: Int
    /// Of those, endpoints of polluted trajectories, m (`n_polluted`).
    public var nPolluted: Int
    /// Distinct trajectories with an endpoint or segment time in the cell (`n_trajectories`).
    public var nTrajectories: Int
    /// τ: the endpoint count n, or hours in the cell with segments.
    public var timeWeight: Double
    /// Residence time, %, normalised as ``ReceptorGridSettings/residenceNormalisation`` says
    /// (see the *Receptor models* article in Upwind's documentation); NaN when its denominator is 0.
    public var residence: Double
    /// PSCF = τ_polluted / τ, i.e. m/n for endpoints (see the *Receptor models* article in Upwind's documentation); NaN when τ = 0.
    public var pscf: Double
    /// W of WPSCF for this cell (``ReceptorGridSettings/pscfWeights``), dimensionless (`w_pscf`).
    public var pscfWeight: Double
    /// WPSCF = W · PSCF; NaN where PSCF is.
    public var wpscf: Double
    /// CWT = Σ C·τ / Σ τ over trajectories with a value, the receptor values' unit (see the *Receptor models* article in Upwind's documentation); NaN when that τ = 0.
    public var cwt: Double
    /// W of WCWT for this cell (``ReceptorGridSettings/cwtWeights``), dimensionless (`w_cwt`).
    public var cwtWeight: Double
    /// WCWT = W · CWT; NaN where CWT is.
    public var wcwt: Double
    /// Seibert et al. (1994) concentration field, the τ-weighted geometric mean
    /// `exp(Σ log C·τ / Σ τ)` over contributions with C > 0, the values' unit (see the *Receptor models* article in Upwind's documentation);
    /// NaN when no positive value reached the cell.
    public var seibert: Double

    /// Creates a cell (the grid makes them; public for writers' tests).
    public init(latitude: Double, longitude: Double, nEndpoints: Int, nPolluted: Int, nTrajectories: Int, timeWeight: Double,
                residence: Double, pscf: Double, pscfWeight: Double, wpscf: Double, cwt: Double, cwtWeight: Double,
                wcwt: Double, seibert: Double) {
        self.latitude = latitude
        self.longitude = longitude
        self.nEndpoints = nEndpoints
        self.nPolluted = nPolluted
        self.nTrajectories = nTrajectories
        self.timeWeight = timeWeight
        self.residence = residence
        self.pscf = pscf
        self.pscfWeight = pscfWeight
        self.wpscf = wpscf
        self.cwt = cwt
        self.cwtWeight = cwtWeight
        self.wcwt = wcwt
        self.seibert = seibert
    }

    /// The `grid.csv` column names, in order (issue 10 item 4).
    public static let columns = ["latitude", "longitude", "n_endpoints", "n_polluted", "n_trajectories", "residence",
                                 "pscf", "w_pscf", "wpscf", "cwt", "w_cwt", "wcwt", "seibert"]
}
