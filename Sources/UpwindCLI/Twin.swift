import ArgumentParser
import Foundation
import Upwind

/// `upwind twin OUTDIR [--seed N] [--no-source]`: writes the twin experiment's inputs.
struct Twin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twin",
        abstract: "Write a synthetic straw-burning week over Henan whose source is known: met, observations, fire points, regions and the truth.",
        discussion: """
        Writes into OUTDIR: met/era5_YYYYMMDD.nc (seeded regional weather over 22–46N, 90–128E at 0.5°, wide enough for 48-h back trajectories from Henan, ERA5 legacy layout: 16-bit packed, latitude descending; 2025-10-07 to 2025-10-17), observations.csv (hourly PM2.5 at Henan's 18 prefecture cities, 2025-10-10 to 10-16, UTC), firms.csv (VIIRS-style FIRMS fire points of the planted county and of decoy counties), henan-counties.geojson, henan-prefectures.geojson, china-provinces.geojson, regions-SOURCES.md, and twin.json (the planted and decoy counties, the stations and every setting). The station values come from a forward particle model released from the planted county's fires (not from back trajectories), plus a background and 20 % noise; the decoys burn more but their smoke never reaches a station. With --no-source the planted county's fires and emissions are removed (negative control). The same seed gives the same bytes.

        Examples:
          upwind twin twin/
          upwind twin twin-s2/ --seed 2
          upwind twin control/ --no-source
          upwind hotspots --met 'twin/met/*.nc' --observations twin/observations.csv --hotspot-threshold 75 --out twin-out/
        """ + jsonSummaryHelp("command, folder, files (names in it), met_files, observations, stations, fire_points, planted (adcode, name, city, fire_count, total_frp_mw; fires 0 with --no-source), decoys (the same keys each), stations_reached (station ids whose plume peak exceeds 75 µg/m³), manifest (twin.json's path) and seconds")
    )

    @Argument(help: ArgumentHelp("Output folder (created).", valueName: "outdir"))
    var outdir: String

    @Option(name: .customLong("seed"), help: ArgumentHelp("Seed of the weather and every random choice (default 1).", valueName: "n"))
    var seed: UInt64 = 1

    @Flag(name: .customLong("no-source"), help: "Negative control: remove the planted county's fires and emissions.")
    var noSource = false

    @OptionGroup var terminal: TerminalOptions

    func run() async throws {
        let clock = ContinuousClock.now
        let bar = terminal.progressBar()
        let manifest = try await bar.around {
            try await TwinExperiment(seed: seed, plantSource: !noSource).write(to: outdir, progress: { bar.update($0) })
        }
        let elapsed = ContinuousClock.now - clock
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        terminal.say(manifest.summary)
        terminal.say("truth and settings: \(manifest.manifestPath) (written in \(String(format: "%.1f", seconds)) s)")
        func county(_ c: TwinExperiment.County) -> JSONValue {
            .object([("adcode", .string(c.adcode)), ("name", .string(c.name)), ("city", .string(c.city)),
                     ("fire_count", JSONSummary.count(c.fireCount)), ("total_frp_mw", .number((c.totalFRPMW * 100).rounded() / 100))])
        }
        terminal.emit(.object([
            ("command", .string("twin")), ("folder", JSONSummary.path(manifest.folder)), ("files", .array(manifest.files.map(JSONValue.string))),
            ("met_files", JSONSummary.count(manifest.metPaths.count)), ("observations", JSONSummary.count(manifest.observationCount)),
            ("stations", JSONSummary.count(manifest.stations.count)), ("fire_points", JSONSummary.count(manifest.fireCount)),
            ("planted", county(manifest.planted)), ("decoys", .array(manifest.decoys.map(county))),
            ("stations_reached", .array(manifest.affectedStations().map { .string($0.station.id) })),
            ("manifest", JSONSummary.path(manifest.manifestPath)), ("seconds", JSONSummary.seconds(seconds)),
        ]))
    }
}
