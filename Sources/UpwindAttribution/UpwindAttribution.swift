/// UpwindAttribution: the domain types of attribution (observations, hotspot events, receptor
/// grids) and the analyses on them, pure computation on UpwindCore types (no I/O; readers and
/// writers live in UpwindFormats). Methods: see the *Receptor models*, *Regions*, *Fire matching* and *Trajectory clustering* articles in Upwind's documentation.
public enum UpwindAttribution {
    /// The module's version of the analyses' conventions, recorded in `run.json`.
    public static let conventionsVersion = 1
}
