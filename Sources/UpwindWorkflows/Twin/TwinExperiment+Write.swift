import Foundation
import UpwindCore
import UpwindMeteo

/// One FIRMS-like fire point of the twin.
struct TwinFire: Sendable {
    var latitude: Double
    var longitude: Double
    /// Acquisition time (the overpass), UTC.
    var time: UTCTime
    /// Fire radiative power, MW.
    var frp: Double
    /// I4 and I5 brightness temperatures, K.
    var brightTI4: Double, brightTI5: Double
    /// Pixel size along scan and track, km.
    var scan: Double, track: Double
    /// VIIRS confidence class: `l`, `n` or `h`.
    var confidence: String
    /// The county it burns in.
    var adcode: String
}

/// A county with the twin's derived facts.
struct TwinCandidate: Sendable {
    let county: TwinCounty
    let latitude: Double, longitude: Double
    let nearestStationKm: Double
}

extension TwinExperiment {
    /// How far ``write(to:progress:)`` has got: the step under way and the share of the whole
    /// write done before it (steps weighted by their usual share of the wall time).
    public struct Progress: Sendable, Equatable {
        /// The step under way, for people: e.g. `writing the met`, `running the plume`.
        public var step: String
        /// Share of the whole write done, 0…1 (1 when finished).
        public var fraction: Double
        /// Creates a progress report.
        public init(step: String, fraction: Double) {
            self.step = step
            self.fraction = fraction
        }
    }

    /// Writes the twin experiment into `folder` (created when missing; files of the same names
    /// are replaced): met, observations, fire points, region files and `twin.json` (see
    /// ``TwinExperiment`` for what each holds and how the truth is built).
    /// - Parameters:
    ///   - folder: the output folder.
    ///   - progress: called as each step starts (met, planted county, plume, decoys, files) and
    ///     once at the end with fraction 1.
    /// - Returns: the paths written and the truth.
    /// - Throws: ``TwinExperimentError`` for bad settings, a missing resource or an unwritable
    ///   folder; `SyntheticMetError` and `MetError` when the met cannot be generated, written or
    ///   read back.
    public func write(to folder: String, progress: (@Sendable (Progress) -> Void)? = nil) async throws -> Manifest {
        try validate()
        progress?(Progress(step: "writing the met", fraction: 0))
        let fm = FileManager.default
        let metFolder = (folder as NSString).appendingPathComponent("met")
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: folder, isDirectory: &isFolder), !isFolder.boolValue {
            throw TwinExperimentError.cannotWrite(path: folder, reason: "it is a file, not a folder")
        }
        do {
            try fm.createDirectory(atPath: metFolder, withIntermediateDirectories: true)
        } catch {
            throw TwinExperimentError.cannotWrite(path: metFolder, reason: "\(error.localizedDescription)")
        }
        var files: [String] = []

        // 1. Met: generate, write as ERA5 legacy files, read back through the normal reader.
        let grid = try SyntheticMet.Domain(south: domain.south, north: domain.north, west: domain.west, east: domain.east, resolution: resolution)
        var weather = self.weather
        weather.seed = seed
        let field = try SyntheticMet.Field(model: .regional(weather), domain: grid, levels: levels, times: metTimes)
        let metPaths = try field.write(directory: metFolder, name: "era5", storage: .packedShort, split: .daily)
        files += metPaths.map { "met/" + ($0 as NSString).lastPathComponent }
        let met = try MetSource.open(metPaths)
        guard let dataset = (met.field as? MetWindField)?.dataset else {
            throw TwinExperimentError.unsuitableMet(detail: "the met written was not read back as NetCDF")
        }
        let model = try await TwinPlumeModel(dataset: dataset, from: periodStart)
        let offset = Double(periodStart - model.start)  // 0: the tables start at the period
        let endSeconds = Double(periodEnd - model.start)

        // 2. Counties and their interior points.
        progress?(Progress(step: "choosing the planted county", fraction: 0.6))
        let counties = try TwinCounty.load(EmbeddedRegions.data("henan-counties.geojson"), name: "henan-counties.geojson")
        let stations = TwinExperiment.stations
        let receptors = TwinPlumeModel.Receptors(stations.map { TwinPlumeModel.Receptor(latitude: $0.latitude, longitude: $0.longitude) },
                                                 searchKm: max(3 * plume.kernelKm, decoyClearanceKm, 20))
        let candidates: [TwinCandidate] = counties.compactMap { county in
            guard let p = county.interiorPoint(), model.index(latitude: p.latitude, longitude: p.longitude) != nil else { return nil }
            let nearest = stations.map { Geodesy.distance(latitude1: p.latitude, longitude1: p.longitude, latitude2: $0.latitude, longitude2: $0.longitude) / 1000 }.min() ?? .infinity
            return TwinCandidate(county: county, latitude: p.latitude, longitude: p.longitude, nearestStationKm: nearest)
        }.filter { $0.nearestStationKm >= minimumStationDistanceKm && $0.county.isRural && $0.county.areaKm2 >= 800 }
        guard !candidates.isEmpty else {
            throw TwinExperimentError.noCandidateCounty(detail: "no rural Henan county of at least 800 km² lies \(minimumStationDistanceKm) km from every station inside the met grid")
        }
        var steps = 0

        // Day d's overpass (one afternoon VIIRS pass over Henan), 05:05–06:15 UTC.
        var passRNG = SyntheticMet.SplitMix64(seed: TwinRandom.mix(seed, "overpass"))
        let days = Int((periodEnd - periodStart + 86_399) / 86_400)
        let overpasses: [UTCTime] = (0..<days).map { d in
            periodStart + Int64(d * 86_400) + Int64((305 + Int(passRNG.next() % 71)) * 60)
        }

        // 3. The planted county: the probe that reaches the most stations.
        let planted = await choosePlanted(candidates, model: model, receptors: receptors, offset: offset, endSeconds: endSeconds, steps: &steps)

        // 4. Planted fires, emissions and the plume.
        progress?(Progress(step: "running the plume", fraction: 0.75))
        var plantedRNG = SyntheticMet.SplitMix64(seed: TwinRandom.mix(seed, "planted"))
        var plantedFires: [TwinFire] = []
        for d in burningDays.sorted() {
            let count = 30 + Int(plantedRNG.next() % 21)
            for _ in 0..<count {
                guard let p = planted.county.randomPoint(marginKm: plantedFireMarginKm, decimals: 5, rng: &plantedRNG) else { continue }
                let frp = min(max(exp(log(7) + 0.6 * plantedRNG.gaussian()), 1), 60)
                plantedFires.append(TwinExperiment.fire(latitude: p.latitude, longitude: p.longitude, time: overpasses[d], frp: frp,
                                                        adcode: planted.county.adcode, rng: &plantedRNG))
            }
        }
        let plantedTotalFRP = plantedFires.reduce(0) { $0 + $1.frp }
        let hours = observationTimes.count
        var plumeValues = Array(repeating: Array(repeating: 0.0, count: hours), count: stations.count)
        if plantSource {
            let particles = emissionParticles(plantedFires, solarLongitude: planted.longitude, modelStart: model.start,
                                              rng: SyntheticMet.SplitMix64(seed: TwinRandom.mix(seed, "release")))
            let out = await model.run(particles, receptors: receptors, firstHourSeconds: offset, hours: hours,
                                      settings: runSettings(stepSeconds: plume.stepMinutes * 60, endSeconds: endSeconds, stream: "plume"))
            plumeValues = out.concentration
            steps += out.steps
        }

        // 5. Decoys.
        progress?(Progress(step: "choosing the decoys", fraction: 0.9))
        let decoys = await chooseDecoys(candidates, planted: planted, plantedTotalFRP: plantedTotalFRP, overpasses: overpasses,
                                        model: model, receptors: receptors, endSeconds: endSeconds, steps: &steps)

        // 6. Observations: (background + plume) × noise.
        progress?(Progress(step: "writing observations and fires", fraction: 0.97))
        var noiseRNG = SyntheticMet.SplitMix64(seed: TwinRandom.mix(seed, "noise"))
        var csv = "site,latitude,longitude,time,value,pollutant,unit\n"
        var truths: [StationTruth] = []
        let times = observationTimes
        for (s, station) in stations.enumerated() {
            var peak = 0.0, above = 0, highest = -Double.infinity
            for (h, t) in times.enumerated() {
                var solar = (Double(t.secondsSince1970 % 86_400) / 3600 + station.longitude / 15).truncatingRemainder(dividingBy: 24)
                if solar < 0 { solar += 24 }
                let background = backgroundPM25 * (1 + 0.25 * cos(2 * Double.pi * (solar - 3) / 24))
                let zeta = min(max(noiseRNG.gaussian(), -3), 3)
                let p = plumeValues[s][h]
                let value = ((background + p) * (1 + noiseFraction * zeta) * 10).rounded() / 10
                peak = max(peak, p)
                if value > 75 { above += 1 }
                highest = max(highest, value)
                csv += "\(station.id),\(JSONText.fixed(station.latitude, decimals: 4) ?? ""),\(JSONText.fixed(station.longitude, decimals: 4) ?? ""),\(t.iso8601),\(JSONText.fixed(value, decimals: 1) ?? "NA"),PM2.5,µg/m3\n"
            }
            truths.append(StationTruth(station: station, plumePeak: peak, hoursAbove75: above, maximumObserved: highest))
        }
        let url = URL(fileURLWithPath: folder)
        func save(_ name: String, _ data: Data) throws(TwinExperimentError) {
            let path = url.appendingPathComponent(name).path
            do {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw TwinExperimentError.cannotWrite(path: path, reason: error.localizedDescription)
            }
            files.append(name)
        }
        try save("observations.csv", Data(csv.utf8))

        // 7. Fire points.
        let written = ((plantSource ? plantedFires : []) + decoys.flatMap(\.fires)).sorted {
            ($0.time, -$0.latitude, $0.longitude) < ($1.time, -$1.latitude, $1.longitude)
        }
        try save("firms.csv", Data(TwinExperiment.firmsCSV(written).utf8))

        // 8. Regions.
        for name in EmbeddedRegions.fileNames {
            try save(name == "SOURCES.md" ? "regions-SOURCES.md" : name, EmbeddedRegions.data(name))
        }

        // 9. The truth.
        func fireDays(_ fires: [TwinFire]) -> [String] {
            Array(Set(fires.map { String($0.time.iso8601.prefix(10)) })).sorted()
        }
        let shownPlanted = plantSource ? plantedFires : []
        let plantedCounty = County(adcode: planted.county.adcode, name: planted.county.name, city: planted.county.city,
                                   latitude: planted.latitude, longitude: planted.longitude, fireCount: shownPlanted.count,
                                   totalFRPMW: shownPlanted.reduce(0) { $0 + $1.frp }, fireDays: fireDays(shownPlanted),
                                   nearestStationKm: planted.nearestStationKm, closestParticleKm: .nan)
        let decoyCounties = decoys.map { d in
            County(adcode: d.candidate.county.adcode, name: d.candidate.county.name, city: d.candidate.county.city,
                   latitude: d.candidate.latitude, longitude: d.candidate.longitude, fireCount: d.fires.count,
                   totalFRPMW: d.fires.reduce(0) { $0 + $1.frp }, fireDays: fireDays(d.fires),
                   nearestStationKm: d.candidate.nearestStationKm, closestParticleKm: d.closestKm)
        }
        files.append("twin.json")
        let json = truthJSON(planted: plantedCounty, plantedCandidateFRP: plantedTotalFRP, decoys: decoyCounties, stations: truths,
                             files: files, overpasses: overpasses)
        files.removeLast()
        try save("twin.json", Data((json.serialized(pretty: true) + "\n").utf8))

        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        progress?(Progress(step: "done", fraction: 1))
        return Manifest(folder: folder, files: files, metPaths: metPaths, observationsPath: path("observations.csv"),
                        firesPath: path("firms.csv"), countiesPath: path("henan-counties.geojson"),
                        provincesPath: path("china-provinces.geojson"), prefecturesPath: path("henan-prefectures.geojson"),
                        manifestPath: path("twin.json"), seed: seed, plantSource: plantSource, planted: plantedCounty,
                        decoys: decoyCounties, stations: truths, observationCount: stations.count * times.count,
                        fireCount: written.count, decoyClearanceKm: decoyClearanceKm, particleSteps: steps)
    }

    // MARK: - Pieces

    /// The plume settings with a time step, an end and a named random stream.
    func runSettings(stepSeconds: Double, endSeconds: Double, stream: String, diffusion: Bool = true) -> TwinPlumeModel.RunSettings {
        TwinPlumeModel.RunSettings(stepSeconds: stepSeconds, diffusivity: diffusion ? plume.diffusivity : 0, kernelMetres: plume.kernelKm * 1000,
                                   removalSeconds: plume.removalHours * 3600, maximumAgeSeconds: plume.maximumAgeHours * 3600,
                                   endSeconds: endSeconds, seed: TwinRandom.mix(seed, stream))
    }

    /// Probes every candidate and returns the one whose probes reach the most stations strongly:
    /// a station's reach is `Σ exp(−age/4 h)` over the probes that pass within 20 km of it at that
    /// age; the county with the most stations of reach ≥ 1 wins (ties: the larger total reach,
    /// then the lowest adcode).
    func choosePlanted(_ candidates: [TwinCandidate], model: TwinPlumeModel, receptors: TwinPlumeModel.Receptors, offset: Double,
                       endSeconds: Double, steps: inout Int) async -> TwinCandidate {
        var particles: [TwinPlumeModel.Particle] = []
        var owner: [Int] = []
        for (c, candidate) in candidates.enumerated() {
            for d in burningDays {
                for solar in [12.0, 15.0] {
                    let release = offset + Double(d) * 86_400 + (solar - candidate.longitude / 15) * 3600
                    for height in [300.0, 800.0] {
                        particles.append(.init(latitude: candidate.latitude, longitude: candidate.longitude, releaseSeconds: release, mass: 0, fixedHeight: height))
                        owner.append(c)
                    }
                }
            }
        }
        var settings = runSettings(stepSeconds: plume.stepMinutes * 120, endSeconds: endSeconds, stream: "probe", diffusion: false)
        settings.maximumAgeSeconds = 8 * 3600
        let out = await model.run(particles, receptors: receptors, firstHourSeconds: offset, hours: 0, settings: settings, nearKm: 20, recordHits: true)
        steps += out.steps
        // Per candidate and station: the reach Σ exp(−age/4 h) over the probes passing within 20 km.
        var reach = Array(repeating: Array(repeating: 0.0, count: receptors.points.count), count: candidates.count)
        for (p, ages) in out.hits.enumerated() {
            for (r, age) in ages.enumerated() where age.isFinite {
                reach[owner[p]][r] += exp(-age / (4 * 3600))
            }
        }
        let scores = reach.map { r in (r.filter { $0 >= 1 }.count, r.reduce(0, +)) }
        let best = candidates.indices.max { a, b in
            (scores[a].0, scores[a].1, candidates[b].county.adcode) < (scores[b].0, scores[b].1, candidates[a].county.adcode)
        } ?? 0
        return candidates[best]
    }

    /// Particles carrying the emissions of `fires` (see ``TwinExperiment``, step 3).
    func emissionParticles(_ fires: [TwinFire], solarLongitude: Double, modelStart: UTCTime, rng: SyntheticMet.SplitMix64) -> [TwinPlumeModel.Particle] {
        var rng = rng
        var out: [TwinPlumeModel.Particle] = []
        let byDay = Dictionary(grouping: fires) { $0.time.secondsSince1970 / 86_400 }
        for day in byDay.keys.sorted() {
            guard let dayFires = byDay[day] else { continue }
            let dayStart = Double(day * 86_400 - modelStart.secondsSince1970)
            for slot in 10..<18 {
                let solar = Double(slot) + 0.5
                let g = exp(-(solar - 14) * (solar - 14) / (2 * 1.5 * 1.5))
                let rates = dayFires.map { plume.emissionKgPerMWh * $0.frp * g }
                let total = rates.reduce(0, +)
                guard total > 0 else { continue }
                var cumulative: [Double] = []
                var sum = 0.0
                for r in rates { sum += r; cumulative.append(sum) }
                let slotStart = dayStart + (Double(slot) - solarLongitude / 15) * 3600
                let n = plume.particlesPerHour
                for _ in 0..<n {
                    let pick = rng.nextUnit() * total
                    let f = dayFires[min(cumulative.firstIndex { $0 > pick } ?? dayFires.count - 1, dayFires.count - 1)]
                    out.append(.init(latitude: f.latitude + rng.uniform(-0.0017, 0.0017), longitude: f.longitude + rng.uniform(-0.002, 0.002),
                                     releaseSeconds: slotStart + rng.nextUnit() * 3600, mass: total / Double(n), fixedHeight: nil))
                }
            }
        }
        return out
    }

    /// One fire point with VIIRS-like attributes drawn from `rng` (brightness temperatures and
    /// pixel size plausible for a 375 m I-band detection; confidence `l` below 2 MW, `h` when
    /// I4 ≥ 360 K, else `n`).
    static func fire(latitude: Double, longitude: Double, time: UTCTime, frp: Double, adcode: String,
                     rng: inout SyntheticMet.SplitMix64) -> TwinFire {
        let ti4 = min(367, 303 + 12 * log(frp) + rng.uniform(-4, 4))
        let ti5 = 287 + 2.5 * log(frp) + rng.uniform(-2, 2)
        let scan = rng.uniform(0.33, 0.56)
        let track = rng.uniform(0.36, 0.52)
        let confidence = frp < 2 ? "l" : (ti4 >= 360 ? "h" : "n")
        return TwinFire(latitude: latitude, longitude: longitude, time: time, frp: (frp * 100).rounded() / 100,
                        brightTI4: (ti4 * 100).rounded() / 100, brightTI5: (ti5 * 100).rounded() / 100,
                        scan: (scan * 100).rounded() / 100, track: (track * 100).rounded() / 100, confidence: confidence, adcode: adcode)
    }

    /// The fire points as a VIIRS FIRMS CSV.
    static func firmsCSV(_ fires: [TwinFire]) -> String {
        var out = "latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight\n"
        for f in fires {
            let c = f.time.components
            func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
            let fields = [JSONText.fixed(f.latitude, decimals: 5) ?? "", JSONText.fixed(f.longitude, decimals: 5) ?? "",
                          JSONText.fixed(f.brightTI4, decimals: 2) ?? "", JSONText.fixed(f.scan, decimals: 2) ?? "",
                          JSONText.fixed(f.track, decimals: 2) ?? "", String(f.time.iso8601.prefix(10)), pad(c.hour) + pad(c.minute),
                          "N", "VIIRS", f.confidence, "2.0NRT", JSONText.fixed(f.brightTI5, decimals: 2) ?? "",
                          JSONText.fixed(f.frp, decimals: 2) ?? "", "D"]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A decoy county that passed the check, with its fires.
    struct Decoy: Sendable {
        var candidate: TwinCandidate
        var fires: [TwinFire]
        /// The closest any of its check particles came to a station, km.
        var closestKm: Double
    }

    /// Places the decoys (see ``TwinExperiment``, step 5).
    func chooseDecoys(_ candidates: [TwinCandidate], planted: TwinCandidate, plantedTotalFRP: Double, overpasses: [UTCTime],
                      model: TwinPlumeModel, receptors: TwinPlumeModel.Receptors, endSeconds: Double, steps: inout Int) async -> [Decoy] {
        guard decoyCount > 0 else { return [] }
        // The period's mean wind at 400 m over central Henan (34°N, 113.5°E).
        var mean = (0.0, 0.0)
        if let xy = model.index(latitude: 34, longitude: 113.5) {
            let first = Double(periodStart - model.start), n = observationTimes.count
            for h in 0..<n {
                if let t = model.timeIndex(first + Double(h) * 3600) {
                    let w = model.wind(x: xy.x, y: xy.y, z: 400, time: t)
                    mean.0 += w.0 / Double(n); mean.1 += w.1 / Double(n)
                }
            }
        }
        let speed = max((mean.0 * mean.0 + mean.1 * mean.1).squareRoot(), 1e-9)
        let direction = (mean.0 / speed, mean.1 / speed)
        func downwind(_ c: TwinCandidate) -> Double { c.longitude * cos(34 * Double.pi / 180) * direction.0 + c.latitude * direction.1 }
        let ordered = candidates.filter {
            $0.county.adcode != planted.county.adcode
                && Geodesy.distance(latitude1: $0.latitude, longitude1: $0.longitude, latitude2: planted.latitude, longitude2: planted.longitude) >= 80_000
        }.sorted { (downwind($0), $1.county.adcode) > (downwind($1), $0.county.adcode) }

        var accepted: [(candidate: TwinCandidate, clusters: [(latitude: Double, longitude: Double)], days: [Int], closest: Double)] = []
        for candidate in ordered where accepted.count < decoyCount {
            var rng = SyntheticMet.SplitMix64(seed: TwinRandom.mix(seed, "decoy-" + candidate.county.adcode))
            let clusters = (0..<3).compactMap { _ in candidate.county.randomPoint(marginKm: 3, decimals: 5, rng: &rng) }
            guard !clusters.isEmpty else { continue }
            var days: [Int] = []
            var closest = Double.infinity
            for d in burningDays.sorted() {
                var particles: [TwinPlumeModel.Particle] = []
                let pass = Double(overpasses[d] - model.start)
                for r in stride(from: -3, through: 11, by: 2) {
                    for c in clusters {
                        for height in [nil, 100, 500, 1000, 1500] as [Double?] {
                            // Uniform in a disc of 30 km (the 25 km matching radius plus the cluster's 5 km).
                            let radius = 30_000 * rng.nextUnit().squareRoot(), angle = 2 * Double.pi * rng.nextUnit()
                            let lat = c.latitude + radius * cos(angle) / 111_195
                            let lon = c.longitude + radius * sin(angle) / (111_195 * cos(c.latitude * .pi / 180))
                            particles.append(.init(latitude: lat, longitude: lon, releaseSeconds: pass + Double(r) * 3600, mass: 0, fixedHeight: height))
                        }
                    }
                }
                let out = await model.run(particles, receptors: receptors, firstHourSeconds: 0, hours: 0,
                                          settings: runSettings(stepSeconds: plume.stepMinutes * 120, endSeconds: endSeconds, stream: "check-\(candidate.county.adcode)-\(d)"),
                                          nearKm: decoyClearanceKm, stopWhenNear: true)
                steps += out.steps
                let nearest = out.closestKm.min() ?? .infinity
                if nearest >= decoyClearanceKm {
                    days.append(d)
                    closest = min(closest, nearest)
                }
            }
            if !days.isEmpty { accepted.append((candidate, clusters, days, closest)) }
        }

        // Fires on the accepted days, the totals 1.6×, 1.2×, 0.9× … the planted county's, the
        // largest to the decoy burning on the most days (ties: the most downwind).
        let ranked = accepted.enumerated().sorted { ($0.element.days.count, -$0.offset) > ($1.element.days.count, -$1.offset) }.map(\.element)
        var out: [Decoy] = []
        for (k, a) in ranked.enumerated() {
            var rng = SyntheticMet.SplitMix64(seed: TwinRandom.mix(seed, "decoy-fires-" + a.candidate.county.adcode))
            let target = plantedTotalFRP * max(1.6 - 0.4 * Double(k) + (k >= 2 ? 0.1 : 0), 0.5)
            let perDay = min(max(Int((target / (Double(a.days.count) * 15)).rounded()), 20), 80)
            var fires: [TwinFire] = []
            var shapes: [Double] = []
            for d in a.days {
                for _ in 0..<perDay {
                    let c = a.clusters[Int(rng.next() % UInt64(a.clusters.count))]
                    var point: (latitude: Double, longitude: Double)?
                    for _ in 0..<200 {
                        let radius = 5_000 * rng.nextUnit().squareRoot(), angle = 2 * Double.pi * rng.nextUnit()
                        let lat = ((c.latitude + radius * cos(angle) / 111_195) * 1e5).rounded() / 1e5
                        let lon = ((c.longitude + radius * sin(angle) / (111_195 * cos(c.latitude * .pi / 180))) * 1e5).rounded() / 1e5
                        if a.candidate.county.contains(latitude: lat, longitude: lon), a.candidate.county.edgeDistance(latitude: lat, longitude: lon) >= 1 {
                            point = (lat, lon)
                            break
                        }
                    }
                    guard let point else { continue }
                    shapes.append(exp(0.6 * rng.gaussian()))
                    fires.append(TwinExperiment.fire(latitude: point.latitude, longitude: point.longitude, time: overpasses[d], frp: 1,
                                                     adcode: a.candidate.county.adcode, rng: &rng))
                }
            }
            let scale = target / max(shapes.reduce(0, +), 1e-9)
            for i in fires.indices {
                let frp = max(shapes[i] * scale, 1)
                fires[i] = TwinExperiment.fire(latitude: fires[i].latitude, longitude: fires[i].longitude, time: fires[i].time, frp: frp,
                                               adcode: fires[i].adcode, rng: &rng)
            }
            out.append(Decoy(candidate: a.candidate, fires: fires, closestKm: a.closest))
        }
        return out
    }

    /// `twin.json`: the truth and every setting.
    func truthJSON(planted: County, plantedCandidateFRP: Double, decoys: [County], stations: [StationTruth], files: [String],
                   overpasses: [UTCTime]) -> JSONValue {
        func n(_ x: Double, _ decimals: Int = 2) -> JSONValue {
            let scale = pow(10, Double(decimals))
            return .number((x * scale).rounded() / scale)
        }
        let p = plume
        var stationItems: [JSONValue] = []
        for s in stations {
            let fields: [(String, JSONValue)] = [
                ("id", .string(s.station.id)), ("name", .string(s.station.name)), ("adcode", .string(s.station.adcode)),
                ("latitude", .number(s.station.latitude)), ("longitude", .number(s.station.longitude)),
                ("plume_peak_ugm3", n(s.plumePeak, 1)), ("hours_above_75", .number(Double(s.hoursAbove75))),
                ("max_observed_ugm3", n(s.maximumObserved, 1)),
            ]
            stationItems.append(.object(fields))
        }
        let metFields: [(String, JSONValue)] = [
            ("model", .string("SyntheticMet.RegionalWeather(seed: \(seed), jetPressure: \(JSONText.number(weather.jetPressure)), jetSpeed: \(weather.jetSpeed.map(JSONText.number) ?? "drawn"), troughMeridionalWind: \(JSONText.number(weather.troughMeridionalWind)), troughWavelength: \(JSONText.number(weather.troughWavelength)), troughTransitDays: \(JSONText.number(weather.troughTransitDays)))")),
            ("layout", .string("ERA5 legacy: classic 64-bit-offset NetCDF, int16 with scale_factor/add_offset per file, latitude descending, one file per UTC day")),
            ("first", .string(metTimes.first?.iso8601 ?? "")), ("last", .string(metTimes.last?.iso8601 ?? "")),
            ("south", .number(domain.south)), ("north", .number(domain.north)), ("west", .number(domain.west)), ("east", .number(domain.east)),
            ("resolution_deg", .number(resolution)), ("levels_hpa", .array(levels.map(JSONValue.number))),
        ]
        let settings: [(String, JSONValue)] = [
            ("burning_days", .array(burningDays.map { .number(Double($0)) })),
            ("background_pm25_ugm3", .number(backgroundPM25)),
            ("background_diurnal", .string("B·(1 + 0.25·cos(2π(h − 3)/24)), h local solar hour")),
            ("noise", .string("× (1 + \(JSONText.number(noiseFraction))·ζ), ζ standard normal clamped to ±3")),
            ("minimum_station_distance_km", .number(minimumStationDistanceKm)),
            ("decoy_clearance_km", .number(decoyClearanceKm)),
            ("plume_step_minutes", .number(p.stepMinutes)),
            ("plume_diffusivity_m2s", .number(p.diffusivity)),
            ("plume_kernel_sigma_km", .number(p.kernelKm)),
            ("plume_removal_hours", .number(p.removalHours)),
            ("plume_maximum_age_hours", .number(p.maximumAgeHours)),
            ("plume_particles_per_county_hour", .number(Double(p.particlesPerHour))),
            ("emission_kg_per_mwh", .number(p.emissionKgPerMWh)),
            ("burning", .string("10:00–18:00 local solar time, rate ∝ FRP·exp(−(h − 14)²/(2·1.5²))")),
            ("planted_fire_margin_km", .number(plantedFireMarginKm)),
            ("vertical", .string("well mixed below the boundary-layer height (blh); residual layer above it keeps its height")),
        ]
        let period: [(String, JSONValue)] = [("start", .string(periodStart.iso8601)), ("end", .string(periodEnd.iso8601)),
                                             ("observation_hours", .number(Double(observationTimes.count)))]
        return .object([
            ("upwind_twin", .string(UpwindVersion.current)),
            ("seed", .number(Double(seed))),
            ("plant_source", .bool(plantSource)),
            ("period", .object(period)),
            ("met", .object(metFields)),
            ("planted", planted.json),
            ("planted_total_frp_mw_when_burning", n(plantedCandidateFRP)),
            ("decoys", .array(decoys.map(\.json))),
            ("overpasses", .array(overpasses.map { .string($0.iso8601) })),
            ("stations", .array(stationItems)),
            ("settings", .object(settings)),
            ("files", .array(files.map(JSONValue.string))),
        ])
    }
}
