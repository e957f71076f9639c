import Foundation
import UpwindCore
import UpwindMeteo

/// The twin experiment (issue 11 item 5): a synthetic autumn straw-burning week over Henan
/// whose true source is known, written as the files a real analysis starts from, so that
/// `upwind hotspots` (and the demo) can be checked against the truth.
///
/// ``write(to:progress:)`` writes into a folder:
/// - `met/era5_YYYYMMDD.nc`: seeded regional weather over the North China Plain
///   (`SyntheticMet.RegionalWeather` with ``weather``'s parameters, 22–46°N × 90–128°E at 0.5°, pressure levels 1000–500 hPa,
///   hourly from 72 h before the period to its end), in the ERA5 legacy layout (16-bit packed
///   with `scale_factor`/`add_offset`, latitude descending), one file per UTC day. The domain is
///   wide enough for 48-h back trajectories from the stations: in the demo (seed 1, 3,024
///   trajectories from 100, 500 and 1000 m every 3 h) 97 % run their 48 h and 2.9 % leave by the
///   western edge (on the former 28–42°N × 106–122°E grid 99.8 % left it, median 20 h);
/// - `observations.csv`: hourly PM2.5 (µg/m³) at the 18 ``stations`` over the period,
///   `site,latitude,longitude,time,value,pollutant,unit`, times UTC with `Z`;
/// - `firms.csv`: VIIRS-style FIRMS fire points (`latitude,longitude,bright_ti4,scan,track,acq_date,
///   acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight`) of the planted
///   county and of the decoys;
/// - `henan-counties.geojson`, `henan-prefectures.geojson`, `china-provinces.geojson` and
///   `regions-SOURCES.md`: the embedded real boundaries (``EmbeddedRegions``);
/// - `twin.json`: the truth (planted and decoy counties, stations) and every setting.
///
/// **How the truth is built.** The met is generated first, written, and read back through the
/// normal reader (`MetSource.open`); everything below uses the met as read.
/// 1. *Planted county.* Every rural Henan county (a 县 or county-level 市, at least 800 km²)
///    whose interior point is at least ``minimumStationDistanceKm`` from every station is tried
///    with a cheap deterministic probe: parcels at 300 m and 800 m above ground released from its
///    interior point at 12:00 and 15:00 local solar time on each burning day and carried 8 h by
///    the plume model's wind without turbulence. A station's reach is `Σ exp(−age/4 h)` over the
///    parcels passing within 20 km of it; the county with the most stations of reach ≥ 1 is
///    planted (ties: the larger total reach, then the lower adcode): upwind of several stations,
///    near enough for a strong signal. The choice depends on the seed through the weather only,
///    so `plantSource: false` names the same county. (The regional generator's low-level flow
///    over Henan is west-south-westerly in every seed tried, so seeds 1–3 all plant 410423
///    鲁山县, whose smoke reaches Pingdingshan, Xuchang, Luohe, Zhoukou and Shangqiu. The weather,
///    and so the choice, depends on the domain too: the generator places its jet, trough and
///    pressure systems relative to it, and on 25–45°N × 90–128°E seed 1 plants 411221 渑池县.)
/// 2. *Planted fires.* On each burning day (``burningDays``) 30–50 fire points at random places in
///    the county (at least ``plantedFireMarginKm`` inside its boundary), FRP log-normal (median 7 MW, σ_ln 0.6,
///    1–60 MW), all detected on that day's afternoon VIIRS overpass (05:05–06:15 UTC ≈ 13:30
///    local solar time).
/// 3. *Emissions.* Each fire burns from 10:00 to 18:00 local solar time at a rate
///    `E·FRP·exp(−(h − 14)²/(2·1.5²))` kg h⁻¹ (h the solar hour, E = ``Plume/emissionKgPerMWh``),
///    released as ``Plume/particlesPerHour`` particles per county and hour, each drawn from a
///    fire with probability ∝ its emission.
/// 4. *Station concentrations* come from the forward particle model described at
///    `TwinPlumeModel` (wind from the met read back, horizontal random walk with
///    ``Plume/diffusivity``, well mixed below the boundary-layer height, Gaussian kernel of
///    ``Plume/kernelKm`` around the station, mass decaying with ``Plume/removalHours``), never
///    from back trajectories. The observed value is `(B + P)·(1 + ε·ζ)` with P the plume, B the
///    background ``backgroundPM25``·(1 + 0.25·cos(2π(h − 3)/24)) (h local solar hour: highest at
///    03:00, lowest at 15:00), ε = ``noiseFraction`` and ζ a standard normal draw clamped to ±3
///    (so without the source no value exceeds 1.6 × 1.25 × B = 2·B), rounded to 0.1 µg/m³.
/// 5. *Decoys.* Rural counties (as in 1) at least ``minimumStationDistanceKm`` from every station
///    and 80 km from the planted county, most downwind first (along the period's mean 400 m wind
///    over central Henan), get three burning clusters (5 km radius). Each burning day of a
///    candidate is kept only if the plume model (30-minute steps, with turbulence), released
///    uniformly over discs of 30 km around the clusters (the cluster plus the 25 km fire-matching
///    radius) every 2 h from 3 h before to 11 h after that day's overpass, as well-mixed particles
///    and as probes at 100, 500, 1000 and 1500 m, never brings a particle within
///    ``decoyClearanceKm`` of a station within 72 h (or before the period ends). Kept days get
///    fire points in the clusters (20–80 a day, for a median near 15 MW each); the decoys' total
///    FRP is 1.6×, 1.2× and 0.9× the planted county's (1.6× to the decoy burning on most days), so
///    at least one decoy outburns the source. Their smoke reaches no station by construction, so
///    it adds nothing to the observations.
///
/// Everything is drawn from SplitMix64 streams derived from ``seed``, so the same settings give
/// the same bytes in every file.
public struct TwinExperiment: Sendable {
    /// The seed of the weather and of every random choice.
    public var seed: UInt64
    /// True: the planted county burns and pollutes. False (negative control): its emissions and
    /// its fire points are removed; everything else (weather, decoys, background, noise) is the same.
    public var plantSource: Bool
    /// First observation time (UTC); default 2025-10-10T00Z.
    public var periodStart: UTCTime
    /// End of the period (UTC, exclusive for observations; the met reaches it); default 2025-10-17T00Z.
    public var periodEnd: UTCTime
    /// Hours of met before ``periodStart``, so that back trajectories of this length fit (default 72).
    public var spinUpHours: Int
    /// The met grid's edges, degrees (default 22–46°N × 90–128°E: 48-h back trajectories from
    /// Henan's cities stay inside it; see ``TwinExperiment``). The synthetic weather depends on it.
    public var domain: BoundingBox
    /// The met grid's spacing, degrees (default 0.5).
    public var resolution: Double
    /// The synthetic weather's parameters; its `seed` is replaced by ``seed`` (default:
    /// `SyntheticMet.RegionalWeather`'s defaults). E.g. jet pressure 850 hPa, jet speed 5 m s⁻¹ and
    /// trough meridional wind 12 m s⁻¹ bring the trough's winds into the boundary layer, so the
    /// wind over Henan turns with its passage (seed 1 on the former 28–42°N × 106–122°E grid: S on
    /// 10–12 October, NW on 13–15; on the default domain, where the generator places its trough and
    /// pressure systems differently, the daily mean 925 hPa wind over central Henan turns between
    /// SW, W and NNW from one day to the next).
    public var weather: SyntheticMet.RegionalWeather
    /// Planted fire points lie at least this far inside the planted county's boundary, km (default 1).
    public var plantedFireMarginKm: Double
    /// Pressure levels written, hPa, top first as ERA5 (default 500, 700, 850, 900, 925, 950, 975, 1000).
    public var levels: [Double]
    /// Days of the period (0 = the day of ``periodStart``) on which fires burn; default 1…6 (day 0 stays clean).
    public var burningDays: [Int]
    /// Mean background PM2.5, µg/m³ (default 35).
    public var backgroundPM25: Double
    /// Relative standard deviation of the multiplicative noise (default 0.2).
    public var noiseFraction: Double
    /// How many decoy counties to place (default 3; fewer are placed only if no more pass the check).
    public var decoyCount: Int
    /// Minimum distance between a candidate (planted or decoy) county's interior point and every station, km (default 40).
    public var minimumStationDistanceKm: Double
    /// No decoy particle may come this close to a station, km (default 60: wider than the
    /// 25 km fire-matching radius plus half a met grid cell, the ensemble's start offset).
    public var decoyClearanceKm: Double
    /// The plume model's settings.
    public var plume: Plume

    /// Settings of the forward particle model (see ``TwinExperiment``).
    public struct Plume: Sendable, Equatable {
        /// Time step, minutes (default 15; the decoy checks and probes use twice this).
        public var stepMinutes: Double = 15
        /// Horizontal eddy diffusivity K of the random walk, m² s⁻¹ (default 10,000: σ ≈ 20 km after 6 h).
        public var diffusivity: Double = 10_000
        /// Standard deviation σ of the Gaussian station kernel, km (default 10).
        public var kernelKm: Double = 10
        /// e-folding time of first-order removal (deposition), hours (default 48).
        public var removalHours: Double = 48
        /// Particles are followed at most this long, hours (default 72).
        public var maximumAgeHours: Double = 72
        /// Particles released per county and burning hour (default 60).
        public var particlesPerHour: Int = 60
        /// Effective PM2.5 emitted per MW of detected FRP and hour of burning at the peak rate,
        /// kg (MW h)⁻¹ (default 1000). About 100 times the direct estimate (0.368 kg of biomass per
        /// MJ of fire radiative energy, Wooster et al. 2005, and 8 g PM2.5 per kg of crop residue:
        /// 10.6 kg (MW h)⁻¹): the factor stands for the fires VIIRS does not see (small, short or
        /// between overpasses) and is the twin's documented scale, set so that the episode peaks
        /// reach 100–300 µg/m³ at the stations downwind, as in real Henan burning episodes.
        public var emissionKgPerMWh: Double = 1000

        /// The defaults.
        public init() {}
    }

    /// The default experiment for `seed`.
    /// - Parameters:
    ///   - seed: the seed of the weather and of every random choice (default 1).
    ///   - plantSource: false for the negative control (default true).
    public init(seed: UInt64 = 1, plantSource: Bool = true) {
        self.seed = seed
        self.plantSource = plantSource
        periodStart = UTCTime(year: 2025, month: 10, day: 10)
        periodEnd = UTCTime(year: 2025, month: 10, day: 17)
        spinUpHours = 72
        domain = BoundingBox(south: 22, north: 46, west: 90, east: 128)
        resolution = 0.5
        weather = SyntheticMet.RegionalWeather(seed: seed)
        plantedFireMarginKm = 1
        levels = [500, 700, 850, 900, 925, 950, 975, 1000]
        burningDays = Array(1...6)
        backgroundPM25 = 35
        noiseFraction = 0.2
        decoyCount = 3
        minimumStationDistanceKm = 40
        decoyClearanceKm = 60
        plume = Plume()
    }

    /// The observation times: every hour from ``periodStart`` up to, not including, ``periodEnd``.
    public var observationTimes: [UTCTime] {
        let hours = Int((periodEnd - periodStart) / 3600)
        return (0..<max(hours, 0)).map { periodStart + Int64($0 * 3600) }
    }

    /// The met times: hourly from ``spinUpHours`` before ``periodStart`` to ``periodEnd`` inclusive.
    public var metTimes: [UTCTime] {
        let first = periodStart + Int64(-spinUpHours * 3600)
        return SyntheticMet.hourly(from: first, count: Int((periodEnd - first) / 3600) + 1)
    }

    /// Checks every setting.
    /// - Throws: ``TwinExperimentError/invalidSetting(name:value:requirement:)`` naming the first bad one.
    public func validate() throws(TwinExperimentError) {
        func bad(_ name: String, _ value: String, _ requirement: String) -> TwinExperimentError {
            .invalidSetting(name: name, value: value, requirement: requirement)
        }
        guard periodStart.secondsSince1970 % 3600 == 0, periodEnd.secondsSince1970 % 3600 == 0, periodEnd > periodStart,
              periodEnd - periodStart <= 31 * 86_400 else {
            throw bad("period", "\(periodStart.iso8601)…\(periodEnd.iso8601)", "use whole hours, start before end, at most 31 days")
        }
        guard spinUpHours >= 0, spinUpHours <= 240 else { throw bad("spinUpHours", "\(spinUpHours)", "use 0…240 hours") }
        let days = Int((periodEnd - periodStart + 86_399) / 86_400)
        guard burningDays.allSatisfy({ $0 >= 0 && $0 < days }) else {
            throw bad("burningDays", "\(burningDays)", "use days 0…\(days - 1) of the period")
        }
        guard backgroundPM25.isFinite, backgroundPM25 > 0, backgroundPM25 < 1000 else {
            throw bad("backgroundPM25", "\(backgroundPM25)", "use a positive concentration in µg/m³ below 1000")
        }
        guard noiseFraction.isFinite, noiseFraction >= 0, noiseFraction < 0.33 else {
            throw bad("noiseFraction", "\(noiseFraction)", "use 0…0.33 (values stay positive with the ±3σ clamp)")
        }
        guard decoyCount >= 0, decoyCount <= 10 else { throw bad("decoyCount", "\(decoyCount)", "use 0…10") }
        guard minimumStationDistanceKm.isFinite, minimumStationDistanceKm >= 0, decoyClearanceKm.isFinite, decoyClearanceKm > 0 else {
            throw bad("distances", "\(minimumStationDistanceKm), \(decoyClearanceKm)", "use non-negative distances in km")
        }
        let p = plume
        guard p.stepMinutes.isFinite, p.stepMinutes >= 1, p.stepMinutes <= 60, (60 / p.stepMinutes).rounded() == 60 / p.stepMinutes else {
            throw bad("plume.stepMinutes", "\(p.stepMinutes)", "use a divisor of 60 minutes, at least 1")
        }
        guard p.diffusivity.isFinite, p.diffusivity >= 0, p.kernelKm.isFinite, p.kernelKm > 0, p.removalHours.isFinite, p.removalHours > 0,
              p.maximumAgeHours.isFinite, p.maximumAgeHours > 0, p.emissionKgPerMWh.isFinite, p.emissionKgPerMWh >= 0 else {
            throw bad("plume", "\(p)", "use finite, positive diffusivity (m²/s), kernel (km), removal and age (h) and a non-negative emission factor")
        }
        guard plantedFireMarginKm.isFinite, plantedFireMarginKm >= 0, plantedFireMarginKm <= 30 else {
            throw bad("plantedFireMarginKm", "\(plantedFireMarginKm)", "use 0…30 km")
        }
        guard p.particlesPerHour >= 1, p.particlesPerHour <= 10_000 else {
            throw bad("plume.particlesPerHour", "\(p.particlesPerHour)", "use 1…10000")
        }
    }
}

/// Why the twin experiment could not be written. The description says what to do.
public enum TwinExperimentError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// A setting is out of range.
    case invalidSetting(name: String, value: String, requirement: String)
    /// An embedded resource is missing or unreadable.
    case resourceMissing(name: String)
    /// The met read back cannot drive the plume model.
    case unsuitableMet(detail: String)
    /// No county could be planted (no candidate far enough from the stations inside the met grid).
    case noCandidateCounty(detail: String)
    /// The output folder or a file in it could not be written.
    case cannotWrite(path: String, reason: String)

    /// One line: what happened and what to do.
    public var description: String {
        switch self {
        case .invalidSetting(let name, let value, let requirement):
            return "twin experiment: \(name) = \(value) is invalid: \(requirement)"
        case .resourceMissing(let name):
            return "twin experiment: the embedded region file '\(name)' is missing or unreadable: rebuild Upwind (the UpwindWorkflows resources travel with the built product)"
        case .unsuitableMet(let detail):
            return "twin experiment: the met read back cannot drive the plume model: \(detail)"
        case .noCandidateCounty(let detail):
            return "twin experiment: no county can be planted: \(detail); use a met domain covering Henan or a smaller minimum station distance"
        case .cannotWrite(let path, let reason):
            return "twin experiment: cannot write \(path): \(reason); choose a writable output folder"
        }
    }

    /// The same line, for `LocalizedError`.
    public var errorDescription: String? { description }
}
