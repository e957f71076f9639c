import Foundation
import UpwindAttribution
import UpwindCore
import UpwindFormats
import UpwindMeteo

/// Which starts of the hotspots pipeline get HYSPLIT's 27-member met-offset ensemble
/// (`EnsembleOffset`; issue 12 item 1: "ensemble only for event hours"; `--ensemble`).
public enum EnsembleMode: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// No ensemble (the default): one trajectory per start.
    case none
    /// Every start runs the 27 members, and every member is a trajectory of the analysis
    /// (matched, gridded, ranked and clustered like any other; the behaviour of the former
    /// `ensemble: true`).
    case all
    /// Every start runs its ordinary trajectory, the only input of the receptor models, regions,
    /// fires and clusters; the starts whose arrival (site, time) lies inside a hotspot event of
    /// their site also run the 27 members, which go to `ensemble_trajectories.csv` and measure
    /// each event's uncertainty (`event_ensemble.csv`, `EventEnsemble`), never into the grid.
    case events

    /// `none`, `all` or `events`.
    public var description: String { rawValue }

    /// Parses `none`, `all` or `events` (case-insensitive, surrounding spaces ignored); nil for anything else.
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
    }
}

extension HotspotPipeline {
    /// What the ensemble of a run gave (``EnsembleMode/all`` or ``EnsembleMode/events``).
    public struct EnsembleOutcome: Sendable {
        /// The mode.
        public var mode: EnsembleMode
        /// Starts whose members were run (in ``EnsembleMode/events``: the event starts; in
        /// ``EnsembleMode/all``: every start) and that lie in an event.
        public var eventStarts: Int
        /// Member trajectories of the events (27 per event start).
        public var members: Int
        /// The second sweep's summary (``EnsembleMode/events`` only).
        public var run: TrajectoryRunSummary?
        /// The age of the spread, h: min(24, |run hours|).
        public var spreadAgeHours: Double
        /// One row per event, as in `event_ensemble.csv`.
        public var rows: [EventEnsembleRow]

        /// `27-member ensemble for 36 event starts (972 members, not in the grid), median event spread 41.2 km at 24 h`.
        public var summary: String {
            let spreads = rows.map(\.spreadKm).filter(\.isFinite).sorted()
            let median = spreads.isEmpty ? Double.nan
                : spreads.count % 2 == 1 ? spreads[spreads.count / 2] : (spreads[spreads.count / 2 - 1] + spreads[spreads.count / 2]) / 2
            return "27-member ensemble for \(eventStarts) event starts (\(members) members\(mode == .events ? ", not in the grid" : ", all in the grid")), median event spread "
                + (median.isFinite ? "\(JSONText.number(median, decimals: 1)) km" : "–") + " at \(JSONText.number(spreadAgeHours)) h"
        }

        /// What `run.json` records.
        public var record: [(String, JSONValue)] {
            [("ensemble_event_starts", .number(Double(eventStarts))),
             ("ensemble_event_members", .number(Double(members))),
             ("ensemble_members_in_receptor_models", .bool(mode == .all)),
             ("ensemble_spread_age_h", .number(spreadAgeHours)),
             ("ensemble_spread", .string("mean great-circle distance of the 26 non-central members from the central member (14) of their start at the spread age; pairs where either ended earlier are left out"))]
        }
    }

    /// The starts whose arrival (site, time) lies inside a hotspot event of their site.
    func eventStarts(_ starts: [TrajectoryStart], events: [HotspotEvent]) -> [TrajectoryStart] {
        let index = HotspotEventIndex(events)
        return starts.filter { index.event(site: $0.site, time: $0.time) != nil }
    }

    /// Runs the members of the event starts (``EnsembleMode/events``) into
    /// `ensemble_trajectories.csv`, numbered after the ordinary trajectories (id = `idBase` + the
    /// sweep's id), and returns them.
    func runEventMembers(_ starts: [TrajectoryStart], source: MetSource, options: TrajectoryOptions, idBase: Int, folder: URL,
                         progress: (@Sendable (SweepProgress) -> Void)?) async throws -> ([Trajectory], TrajectoryRunSummary) {
        let runner = try TrajectoryRunner(met: source, starts: starts, options: options, ensemble: true)
        let csv = try TrajectoryCSVWriter(path: folder.appendingPathComponent("ensemble_trajectories.csv").path, diagnostics: source.diagnostics)
        var members: [Trajectory] = []
        let summary = try await runner.sweep(progress: progress) { t in
            var m = t
            m.id += idBase
            try csv.write(m)
            members.append(m)
        }
        try csv.finish()
        members.sort { $0.id < $1.id }
        return (members, summary)
    }

    /// The event rows from the members and writes `event_ensemble.csv`.
    func eventEnsemble(members: [Trajectory], events: [HotspotEvent], eventStarts: Int, run: TrajectoryRunSummary?,
                       places: PlaceAttribution?, folder: URL) async throws -> EnsembleOutcome {
        let age = min(EventEnsemble.spreadAgeHours, Double(abs(hours)))
        let rows = try await EventEnsemble.compute(events: events, members: members, spreadAgeHours: age, settings: settings,
                                                   fires: places?.matcher, regions: places?.regionIndex,
                                                   maxConcurrency: ProcessInfo.processInfo.activeProcessorCount)
        try EventEnsembleCSV.write(rows, to: folder.appendingPathComponent("event_ensemble.csv").path)
        return EnsembleOutcome(mode: ensemble, eventStarts: eventStarts, members: rows.reduce(0) { $0 + $1.members }, run: run,
                               spreadAgeHours: age, rows: rows)
    }
}
