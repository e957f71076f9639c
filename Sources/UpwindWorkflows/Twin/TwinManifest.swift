import Foundation
import UpwindCore

extension TwinExperiment {
    /// A county of the truth: the planted source or a decoy.
    public struct County: Sendable, Equatable {
        /// Six-digit administrative code, e.g. `410181`.
        public var adcode: String
        /// Chinese name, e.g. `巩义市`.
        public var name: String
        /// Its prefecture-level city, e.g. `郑州市`.
        public var city: String
        /// The interior point the county was chosen by, degrees north.
        public var latitude: Double
        /// The interior point's longitude, degrees east.
        public var longitude: Double
        /// Fire points written to `firms.csv` for this county (0 for the planted county in the negative control).
        public var fireCount: Int
        /// Their total fire radiative power, MW.
        public var totalFRPMW: Double
        /// The UTC days (`YYYY-MM-DD`) on which it burns.
        public var fireDays: [String]
        /// Distance from the interior point to the nearest station, km.
        public var nearestStationKm: Double
        /// Decoys: the closest any check particle came to a station, km (≥ the clearance; ∞ when none
        /// came within the search distance, the larger of the clearance and 3 kernel widths); the planted county: NaN.
        public var closestParticleKm: Double
    }

    /// What a station saw, for the truth file.
    public struct StationTruth: Sendable, Equatable {
        /// The station.
        public var station: Station
        /// Highest hourly plume contribution (before background and noise), µg/m³.
        public var plumePeak: Double
        /// Hours whose observed value exceeds 75 µg/m³.
        public var hoursAbove75: Int
        /// Highest observed value, µg/m³.
        public var maximumObserved: Double
    }

    /// What ``TwinExperiment/write(to:progress:)`` wrote, and the truth.
    public struct Manifest: Sendable {
        /// The output folder.
        public var folder: String
        /// Every file written, relative to ``folder``, in the order written (`twin.json` last).
        public var files: [String]
        /// The met files (absolute paths), in time order.
        public var metPaths: [String]
        /// The observations CSV (absolute path).
        public var observationsPath: String
        /// The FIRMS CSV (absolute path).
        public var firesPath: String
        /// The county boundaries, Henan's 157 counties (absolute path).
        public var countiesPath: String
        /// China's provinces (absolute path).
        public var provincesPath: String
        /// Henan's 18 prefecture-level cities (absolute path).
        public var prefecturesPath: String
        /// `twin.json` (absolute path).
        public var manifestPath: String
        /// The seed.
        public var seed: UInt64
        /// False in the negative control.
        public var plantSource: Bool
        /// The planted county (named in the negative control too, where it does not burn).
        public var planted: County
        /// The decoy counties, biggest total FRP first.
        public var decoys: [County]
        /// Per station: plume peak and exceedances.
        public var stations: [StationTruth]
        /// Number of observation rows written.
        public var observationCount: Int
        /// Number of fire points written.
        public var fireCount: Int
        /// No decoy check particle came this close to a station, km.
        public var decoyClearanceKm: Double
        /// Particle steps integrated (planted plume, probes and decoy checks).
        public var particleSteps: Int

        /// Stations whose plume peak exceeds `threshold` µg/m³, highest first.
        /// - Parameter threshold: µg/m³ (default 75).
        public func affectedStations(above threshold: Double = 75) -> [StationTruth] {
            stations.filter { $0.plumePeak > threshold }.sorted { $0.plumePeak > $1.plumePeak }
        }

        /// A few lines for people: what was written and the truth.
        public var summary: String {
            func mw(_ x: Double) -> String { JSONText.fixed(x, decimals: 0) ?? "nan" }
            var lines = ["wrote \(files.count) files into \(folder): \(metPaths.count) met files, \(observationCount) observations at \(stations.count) stations, \(fireCount) fire points"]
            lines.append("planted county: \(planted.adcode) \(planted.name) (\(planted.city)), \(plantSource ? "\(planted.fireCount) fires, \(mw(planted.totalFRPMW)) MW total FRP on \(planted.fireDays.joined(separator: ", "))" : "removed (negative control)")")
            for d in decoys {
                let closest = d.closestParticleKm.isFinite ? "its check particles came no closer than \(JSONText.fixed(d.closestParticleKm, decimals: 0) ?? "") km to a station"
                    : "no check particle came within \(JSONText.number(decoyClearanceKm)) km of a station"
                lines.append("decoy county: \(d.adcode) \(d.name) (\(d.city)), \(d.fireCount) fires, \(mw(d.totalFRPMW)) MW total FRP on \(d.fireDays.joined(separator: ", ")); \(closest)")
            }
            let hit = affectedStations()
            lines.append(hit.isEmpty ? "no station above 75 µg/m³ from the plume"
                         : "stations reached (plume peak µg/m³): " + hit.map { "\($0.station.id) \(JSONText.fixed($0.plumePeak, decimals: 0) ?? "")" }.joined(separator: ", "))
            return lines.joined(separator: "\n")
        }
    }
}

extension TwinExperiment.County {
    /// The county as JSON for `twin.json`.
    var json: JSONValue {
        .object([("adcode", .string(adcode)), ("name", .string(name)), ("city", .string(city)),
                 ("latitude", .number((latitude * 1e4).rounded() / 1e4)), ("longitude", .number((longitude * 1e4).rounded() / 1e4)),
                 ("fire_count", .number(Double(fireCount))), ("total_frp_mw", .number((totalFRPMW * 100).rounded() / 100)),
                 ("fire_days", .array(fireDays.map(JSONValue.string))),
                 ("nearest_station_km", .number((nearestStationKm * 10).rounded() / 10)),
                 ("closest_particle_km", closestParticleKm.isFinite ? .number((closestParticleKm * 10).rounded() / 10) : .null)])
    }
}
