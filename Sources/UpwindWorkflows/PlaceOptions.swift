import UpwindCore

/// What `upwind attribute` and `upwind hotspots` attribute to places (issue 11 items 1–2, 4):
/// the region files, the fire points and how they are matched, the home region of the
/// joint-control view, the ranking and its bootstrap. Paths are local files; the workflows
/// read them.
public struct PlaceOptions: Sendable, Equatable {
    /// Regions GeoJSON (`--regions`): Polygon/MultiPolygon features, e.g. counties; nil for none.
    public var regionsPath: String?
    /// The feature property that is a region's id (`--region-id`); nil: `adcode`, else `id`, else `name`.
    public var regionIDProperty: String?
    /// NASA FIRMS CSV of fire points (`--fires`); nil for none.
    public var firesPath: String?
    /// A fire matches an endpoint within this distance, km (`--fire-radius`, default 25).
    public var fireRadiusKm: Double
    /// Hours before an endpoint's time a fire may have been detected and still match (default 12).
    public var fireHoursBefore: Double
    /// Hours after an endpoint's time a fire may have been detected and still match (default 3).
    public var fireHoursAfter: Double
    /// The height an endpoint must be below to match a fire when it has no mixing depth, m AGL (default 1500).
    public var fireFallbackMaxHeight: Double
    /// Regions GeoJSON of the joint-control view (`--home-regions`, e.g. provinces); nil for none.
    public var homeRegionsPath: String?
    /// The id of the home region in ``homeRegionsPath`` (`--home-region`, e.g. Henan `410000`).
    public var homeRegion: String?
    /// The `regions.csv` column regions are ranked by, descending (`--rank-by`, default `polluted_share`).
    public var rankBy: String
    /// Bootstrap resamples of the trajectories for the rank range (`--bootstrap`, default 200; 0: none).
    public var bootstrap: Int
    /// Seed of the bootstrap's SplitMix64 generator (`--seed`, default 1).
    public var seed: UInt64

    /// Creates the options; the defaults are the CLI's.
    public init(regionsPath: String? = nil, regionIDProperty: String? = nil, firesPath: String? = nil, fireRadiusKm: Double = 25,
                fireHoursBefore: Double = 12, fireHoursAfter: Double = 3, fireFallbackMaxHeight: Double = 1500,
                homeRegionsPath: String? = nil, homeRegion: String? = nil, rankBy: String = "polluted_share",
                bootstrap: Int = 200, seed: UInt64 = 1) {
        self.regionsPath = regionsPath
        self.regionIDProperty = regionIDProperty
        self.firesPath = firesPath
        self.fireRadiusKm = fireRadiusKm
        self.fireHoursBefore = fireHoursBefore
        self.fireHoursAfter = fireHoursAfter
        self.fireFallbackMaxHeight = fireFallbackMaxHeight
        self.homeRegionsPath = homeRegionsPath
        self.homeRegion = homeRegion
        self.rankBy = rankBy
        self.bootstrap = bootstrap
        self.seed = seed
    }

    /// True when anything is attributed to places (regions, fires or a home region).
    public var isActive: Bool { regionsPath != nil || firesPath != nil || homeRegionsPath != nil }

    /// The options as `run.json` records them, defaults included.
    public var record: [(String, JSONValue)] {
        [("regions", regionsPath.map(JSONValue.string) ?? .null),
         ("region_id", regionIDProperty.map(JSONValue.string) ?? .string("adcode|id|name")),
         ("fires", firesPath.map(JSONValue.string) ?? .null),
         ("fire_radius_km", .number(fireRadiusKm)),
         ("fire_hours_before", .number(fireHoursBefore)),
         ("fire_hours_after", .number(fireHoursAfter)),
         ("fire_max_height", .string("mixing depth, else \(JSONText.number(fireFallbackMaxHeight)) m")),
         ("home_regions", homeRegionsPath.map(JSONValue.string) ?? .null),
         ("home_region", homeRegion.map(JSONValue.string) ?? .null),
         ("rank_by", .string(rankBy)),
         ("bootstrap", .number(Double(bootstrap))),
         ("seed", .number(Double(seed)))]
    }
}
