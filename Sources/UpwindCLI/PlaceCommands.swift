import ArgumentParser
import Foundation
import Upwind

/// The place options `upwind attribute` and `upwind hotspots` share (issue 11 items 1–2, 4).
struct PlaceCLIOptions: ParsableArguments {
    @Option(name: .customLong("regions"), help: ArgumentHelp("Regions GeoJSON (Polygon/MultiPolygon features, e.g. counties) to rank.", valueName: "file"))
    var regions: String?

    @Option(name: .customLong("region-id"), help: ArgumentHelp("The feature property that is a region's id (default adcode, else id, else name).", valueName: "property"))
    var regionID: String?

    @Option(name: .customLong("fires"), help: ArgumentHelp("NASA FIRMS CSV of fire points (MODIS or VIIRS).", valueName: "file"))
    var fires: String?

    @Option(name: .customLong("fire-radius"), help: ArgumentHelp("A fire matches an endpoint within this distance, km (default 25).", valueName: "km"))
    var fireRadius: Double = 25

    @Option(name: .customLong("home-regions"), help: ArgumentHelp("Regions GeoJSON of the joint-control view, e.g. provinces.", valueName: "file"))
    var homeRegions: String?

    @Option(name: .customLong("home-region"), help: ArgumentHelp("The home region's id in --home-regions, e.g. 410000 (Henan).", valueName: "id"))
    var homeRegion: String?

    @Option(name: .customLong("rank-by"), help: ArgumentHelp("The regions.csv column to rank by, descending (default polluted_share).", valueName: "column"))
    var rankBy: String = "polluted_share"

    @Option(name: .customLong("bootstrap"), help: ArgumentHelp("Bootstrap resamples of the trajectories for rank_low/rank_high (default 200; 0: none).", valueName: "n"))
    var bootstrap: Int = 200

    @Option(name: .customLong("seed"), help: ArgumentHelp("Seed of the bootstrap's SplitMix64 generator (default 1).", valueName: "n"))
    var seed: UInt64 = 1

    func validate() throws {
        if (homeRegions == nil) != (homeRegion == nil) {
            throw ValidationError("--home-regions FILE and --home-region ID go together (e.g. --home-regions china-provinces.geojson --home-region 410000)")
        }
        guard fireRadius.isFinite, fireRadius > 0, fireRadius <= 1000 else {
            throw ValidationError("--fire-radius must be a distance in km between 0 and 1000, not \(fireRadius)")
        }
        guard (0...100_000).contains(bootstrap) else { throw ValidationError("--bootstrap must be between 0 and 100000, not \(bootstrap)") }
    }

    /// The options as the workflows take them.
    var options: PlaceOptions {
        PlaceOptions(regionsPath: regions, regionIDProperty: regionID, firesPath: fires, fireRadiusKm: fireRadius,
                     homeRegionsPath: homeRegions, homeRegion: homeRegion, rankBy: rankBy, bootstrap: bootstrap, seed: seed)
    }
}
