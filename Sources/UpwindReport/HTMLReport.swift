import Foundation
import Mustache
import UpwindFormats
import UpwindCore

/// The self-contained HTML report (issue 12 item 2): one file with inline CSS and inline SVG maps
/// (no script, no font or style sheet from the network), rendered from the templates in this
/// module's resources through swift-mustache. It opens with a headline (the top county and its
/// share, the top fire, the number of events, the share from outside the home province) and a
/// sentence saying what the analysis found, then shows the maps (``ReportMaps``), the tables of
/// county ranking, hotspot events, fires that reached hotspots, clusters and home-region shares,
/// and the run's metadata (met, settings, terminations, inputs). What could not be read is listed
/// (``ReportInputs/notes``). The page is also well-formed XML (polyglot XHTML), so it can be
/// checked with any XML parser.
///
/// ```swift
/// let inputs = try ReportInputs.load(folder: "demo-output")
/// let written = try HTMLReport(inputs).write(to: "demo-output/report.html")   // + map_*.svg
/// ```
public struct HTMLReport: Sendable {
    /// What the report shows.
    public var inputs: ReportInputs
    /// The maps (each also written as its own `.svg` file by ``write(to:)``).
    public var maps: [SVGMap]

    /// Prepares the report of `inputs` and draws its maps.
    /// - Parameter inputs: the outputs read.
    public init(_ inputs: ReportInputs) {
        self.inputs = inputs
        self.maps = ReportMaps.all(inputs)
    }

    /// The HTML page of `inputs`.
    /// - Parameter inputs: the outputs read.
    /// - Returns: the page.
    /// - Throws: ``ReportError/template(name:reason:)`` when the module's templates are missing.
    public static func render(_ inputs: ReportInputs) throws(ReportError) -> String {
        try HTMLReport(inputs).render()
    }

    /// The HTML page.
    /// - Returns: the page (UTF-8 when encoded).
    /// - Throws: ``ReportError/template(name:reason:)`` when the module's templates are missing.
    public func render() throws(ReportError) -> String {
        let library = try Self.templates()
        guard let page = library.render(context(), withTemplate: "report") else {
            throw .template(name: "report", reason: "not registered")
        }
        return page
    }

    /// Writes the page to `path` and each map as `NAME.svg` in the same folder; every file goes
    /// to a temporary name first and all are renamed only once all are written, so a failure
    /// leaves earlier outputs untouched.
    /// - Parameter path: the HTML file (e.g. `DIR/report.html`).
    /// - Returns: the paths written, the HTML first.
    /// - Throws: ``ReportError``.
    @discardableResult
    public func write(to path: String) throws(ReportError) -> [String] {
        let html = try render()
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var files: [(String, String)] = [(path, html)]
        for map in maps { files.append((folder.appendingPathComponent(map.name + ".svg").path, map.svg(standalone: true))) }
        var sinks: [FileSink] = []
        for (file, text) in files {
            do {
                let sink = try FileSink(path: file)
                try sink.write(Data(text.utf8))
                sinks.append(sink)
            } catch {
                throw .writeFailed(path: file, reason: error.localizedDescription)
            }
        }
        for (sink, file) in zip(sinks, files) {
            do { try sink.finish() } catch { throw .writeFailed(path: file.0, reason: error.localizedDescription) }
        }
        return files.map(\.0)
    }

    /// The module's templates: `report.mustache` and its partials, from `Bundle.module`.
    static func templates() throws(ReportError) -> MustacheLibrary {
        var library = MustacheLibrary()
        for name in ["report", "styles"] {
            guard let url = Bundle.module.url(forResource: name, withExtension: "mustache", subdirectory: "Templates") else {
                throw .template(name: name + ".mustache", reason: "not found in the UpwindReport resources")
            }
            do {
                let text = try String(contentsOf: url, encoding: .utf8)
                try library.register(text, named: name)
            } catch {
                throw .template(name: name + ".mustache", reason: "\(error)")
            }
        }
        return library
    }

    // MARK: - The page's data

    typealias Object = [String: Any]

    /// The values the template renders: text already formatted, SVG already escaped.
    func context() -> Object {
        let run = inputs.run
        let regions = inputs.regions.sorted { $0.rank < $1.rank }
        let stationsWithEvents = Set(inputs.events.map(\.site))
        let eventStart = inputs.events.compactMap(\.start).min(), eventEnd = inputs.events.compactMap(\.end).max()
        let homeName = inputs.homeShares.first(where: \.isHome)?.name
            ?? inputs.provinces.first { $0.id == inputs.homeRegionID }?.name
        let outsideHome = run?.setting("polluted_residence_outside_home_share")?.numberValue
            ?? (inputs.homeShares.isEmpty ? .nan : inputs.homeShares.filter { !$0.isHome }.reduce(0) { $0 + ($1.pollutedShare.isFinite ? $1.pollutedShare : 0) })
        let criterion = inputs.events.first?.criterion ?? run?.setting("criterion")?.displayText ?? ""
        let pollutant = run?.setting("pollutant")?.stringValue

        var title = "Where the polluted air came from"
        if let homeName { title += " · " + homeName }
        var subtitle: [String] = []
        if eventStart != nil { subtitle.append("Hotspot events \(ReportFormat.period(eventStart, eventEnd))") }
        if !inputs.stations.isEmpty { subtitle.append("\(inputs.stations.count) stations") }
        if let pollutant { subtitle.append(pollutant) }
        if !criterion.isEmpty { subtitle.append("polluted when \(criterion.replacingOccurrences(of: ">", with: " > "))") }

        // Headline cards.
        var cards: [Object] = []
        if let top = regions.first {
            let range = top.rankLow.flatMap { low in top.rankHigh.map { high in low == high ? "rank \(low) in every bootstrap resample" : "rank \(low)–\(high) across bootstrap resamples" } }
            cards.append(["label": "Top county", "value": top.name, "tone": "primary",
                          "detail": "\(ReportFormat.percent(top.pollutedShare)) of polluted air time" + (range.map { "; " + $0 } ?? "")])
        }
        if let fire = inputs.fires.first(where: { $0.score.isFinite && $0.score > 0 }) {
            cards.append(["label": "Top fire", "value": fire.regionName.isEmpty ? "fire \(fire.id)" : fire.regionName, "tone": "fire",
                          "detail": "fire \(fire.id), \(ReportFormat.number(fire.frpMW, decimals: 1)) MW on \(ReportFormat.time(fire.time)) UTC; met \(fire.matchedEvents) event\(fire.matchedEvents == 1 ? "" : "s"), score \(ReportFormat.number(fire.score)) MW"])
        }
        cards.append(["label": "Hotspot events", "value": ReportFormat.count(inputs.events.count), "tone": "events",
                      "detail": inputs.events.isEmpty ? "no hotspot events" : "at \(stationsWithEvents.count) of \(max(inputs.stations.count, stationsWithEvents.count)) stations, \(ReportFormat.period(eventStart, eventEnd))"])
        if outsideHome.isFinite {
            cards.append(["label": "From outside \(homeName ?? "the home region")", "value": ReportFormat.percent(outsideHome), "tone": "outside",
                          "detail": "of polluted air time was spent outside \(homeName ?? "the home region")"])
        }

        return [
            "title": title,
            "subtitle": subtitle.joined(separator: " · "),
            "cards": cards,
            "lead": lead(regions: regions, stationsWithEvents: stationsWithEvents.count, start: eventStart, end: eventEnd, homeName: homeName,
                         outsideHome: outsideHome),
            "hasNotes": !inputs.notes.isEmpty,
            "notes": inputs.notes.map { ["file": $0.file, "message": $0.message] as Object },
            "maps": maps.map(mapContext),
            "hasRegions": !regions.isEmpty,
            "regionCount": ReportFormat.count(regions.count),
            "regions": regionRows(regions),
            "bootstrap": run?.setting("bootstrap")?.displayText ?? ReportFormat.dash,
            "rankBy": run?.setting("rank_by")?.displayText ?? "polluted_share",
            "hasEvents": !inputs.events.isEmpty,
            "hasEnsemble": !inputs.eventEnsemble.isEmpty,
            "spreadAge": ReportFormat.number(inputs.ensembleSpreadAgeHours.isFinite ? inputs.ensembleSpreadAgeHours : 24),
            "events": eventRows(),
            "eventCount": ReportFormat.count(inputs.events.count),
            "hasFires": !inputs.fires.isEmpty,
            "fires": fireRows(),
            "fireCount": ReportFormat.count(inputs.fires.count),
            "firesReached": ReportFormat.count(inputs.fires.filter(\.reachedHotspots).count),
            "hasClusters": !inputs.clusterSummary.isEmpty,
            "clusters": clusterRows(),
            "hasHomeShares": !inputs.homeShares.isEmpty,
            "homeShares": homeShareRows(),
            "homeSharesOmitted": ReportFormat.count(inputs.homeShares.filter { !$0.isHome && !($0.pollutedShare > 0) }.count),
            "run": runContext(),
            "hasRun": run != nil,
            "folder": inputs.folder,
            "version": run?.version ?? "",
        ]
    }

    /// One or two sentences saying what the analysis found, in plain words.
    func lead(regions: [ReportInputs.RegionRow], stationsWithEvents: Int, start: UTCTime?, end: UTCTime?, homeName: String?,
              outsideHome: Double) -> String {
        var text = ""
        if inputs.events.isEmpty {
            text = "No hotspot events were found in these outputs."
        } else {
            text = "\(ReportFormat.count(inputs.events.count)) hotspot event\(inputs.events.count == 1 ? "" : "s") at \(stationsWithEvents) station\(stationsWithEvents == 1 ? "" : "s") (\(ReportFormat.period(start, end)))."
        }
        if let top = regions.first, top.pollutedShare > 0 {
            text += " Traced back, the polluted air spent the largest share of its time over \(top.name) (\(ReportFormat.percent(top.pollutedShare)))"
            let byFire = regions.filter { $0.fireScore.isFinite && $0.fireScore > 0 }.max { $0.fireScore < $1.fireScore }
            if let byFire {
                if byFire.id == top.id {
                    text += ", which is also where the fires that met polluted air scored highest (\(ReportFormat.number(byFire.fireScore)) MW)."
                } else {
                    text += "; the fires that met polluted air scored highest in \(byFire.name) (\(ReportFormat.number(byFire.fireScore)) MW)."
                }
            } else {
                text += "."
            }
        }
        if outsideHome.isFinite, let homeName {
            text += " \(ReportFormat.percent(outsideHome)) of the polluted air time was spent outside \(homeName)."
        }
        return text
    }

    /// A map's figure: caption and inline SVG.
    func mapContext(_ map: SVGMap) -> Object {
        let captions = [
            "map_overview": "Stations (blue), stations with hotspot events (red rings) and fire detections sized by fire radiative power; orange fires met trajectories of hotspot events.",
            "map_counties": "Each county coloured by its share of the time polluted arrivals spent over the county: the county ranking of the table below.",
            "map_trajectories": "Back trajectories from the stations; dots mark every \(Int(ReportMaps.ageTickHours)) hours of travel back in time.",
            "map_grid": "Weighted potential source contribution function: the share of trajectory endpoints over a cell that belonged to polluted arrivals, down-weighted where few endpoints fell.",
            "map_cwt": "Weighted concentration-weighted trajectory: the mean concentration at arrival of the trajectories that passed over a cell.",
        ]
        return ["name": map.name, "title": map.title, "caption": captions[map.name] ?? "", "svg": map.svg(standalone: false),
                "file": map.name + ".svg", "wide": map.frame.plotWidth > ReportMaps.halfWidth]
    }

    func regionRows(_ regions: [ReportInputs.RegionRow]) -> [Object] {
        let maximum = regions.map(\.pollutedShare).filter(\.isFinite).max() ?? 0
        return regions.map { r in
            let range: String
            if let low = r.rankLow, let high = r.rankHigh { range = low == high ? "\(low)" : "\(low)–\(high)" } else { range = ReportFormat.dash }
            let bar = maximum > 0 && r.pollutedShare.isFinite ? max(0, r.pollutedShare / maximum * 100) : 0
            return ["rank": String(r.rank), "id": r.id, "name": r.name, "share": ReportFormat.percent(r.pollutedShare),
                    "bar": String(format: "%.1f", bar), "residence": ReportFormat.number(r.residenceHours),
                    "pollutedResidence": ReportFormat.number(r.pollutedResidenceHours), "wcwt": ReportFormat.number(r.wcwt, decimals: 1),
                    "wpscf": ReportFormat.number(r.wpscf, decimals: 2), "fireScore": ReportFormat.number(r.fireScore),
                    "fireCount": r.fireCount.map(ReportFormat.count) ?? ReportFormat.dash, "endpoints": ReportFormat.count(r.nEndpoints),
                    "trajectories": ReportFormat.count(r.nTrajectories), "range": range, "top": r.rank <= 3 && r.pollutedShare > 0] as Object
        }
    }

    func eventRows() -> [Object] {
        var scores: [String: ReportInputs.FireEvent] = [:]
        for e in inputs.fireEvents { scores["\(e.site)\u{1F}\(e.event)"] = e }
        var ensembles: [String: ReportInputs.EventEnsemble] = [:]
        for e in inputs.eventEnsemble { ensembles["\(e.site)\u{1F}\(e.event)"] = e }
        let regionNames = Dictionary(inputs.regions.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return inputs.events.map { e in
            let f = scores["\(e.site)\u{1F}\(e.event)"]
            let m = ensembles["\(e.site)\u{1F}\(e.event)"]
            var topRegion = ReportFormat.dash
            if let m, let id = m.topRegionID, m.topRegionShare.isFinite {
                topRegion = "\(regionNames[id] ?? id) \(ReportFormat.percent(m.topRegionShare))"
            }
            return ["site": e.site, "event": String(e.event), "start": ReportFormat.time(e.start), "end": ReportFormat.time(e.end),
                    "hours": e.hours.map(String.init) ?? ReportFormat.dash, "peak": ReportFormat.number(e.peakValue, decimals: 1),
                    "mean": ReportFormat.number(e.meanValue, decimals: 1),
                    "trajectories": f?.trajectories.map(ReportFormat.count) ?? ReportFormat.dash,
                    "fireScore": f.map { ReportFormat.number($0.fireScore) } ?? ReportFormat.dash,
                    "members": m.map { ReportFormat.count($0.members) } ?? ReportFormat.dash,
                    "spread": m.map { ReportFormat.number($0.spreadKm, decimals: 0) } ?? ReportFormat.dash,
                    "fireMembers": m.map { ReportFormat.percent($0.fireMatchedShare) } ?? ReportFormat.dash,
                    "topRegion": topRegion] as Object
        }
    }

    func fireRows() -> [Object] {
        inputs.fires.filter(\.reachedHotspots).enumerated().map { k, f in
            ["n": String(k + 1), "id": f.id, "county": f.regionName.isEmpty ? ReportFormat.dash : f.regionName,
             "time": ReportFormat.time(f.time), "frp": ReportFormat.number(f.frpMW, decimals: 1), "confidence": f.confidence,
             "position": "\(ReportFormat.number(f.latitude, decimals: 3))° N, \(ReportFormat.number(f.longitude, decimals: 3))° E",
             "trajectories": ReportFormat.count(f.matchedTrajectories), "events": ReportFormat.count(f.matchedEvents),
             "score": ReportFormat.number(f.score, decimals: 1)] as Object
        }
    }

    func clusterRows() -> [Object] {
        inputs.clusterSummary.map { c in
            ["cluster": String(c.cluster), "colour": ReportMaps.categorical[(max(c.cluster, 1) - 1) % ReportMaps.categorical.count],
             "n": ReportFormat.count(c.count), "share": ReportFormat.number(c.sharePercent, decimals: 1) + "%",
             "bar": String(format: "%.1f", c.sharePercent.isFinite ? min(max(c.sharePercent, 0), 100) : 0),
             "mean": ReportFormat.number(c.meanValue, decimals: 1)] as Object
        }
    }

    func homeShareRows() -> [Object] {
        inputs.homeShares.filter { $0.isHome || $0.pollutedShare > 0 }
            .sorted { ($0.pollutedShare.isFinite ? $0.pollutedShare : -1) > ($1.pollutedShare.isFinite ? $1.pollutedShare : -1) }
            .map { h in
                ["id": h.id, "name": h.name, "hours": ReportFormat.number(h.pollutedResidenceHours), "share": ReportFormat.percent(h.pollutedShare),
                 "bar": String(format: "%.1f", h.pollutedShare.isFinite ? min(max(h.pollutedShare * 100, 0), 100) : 0), "home": h.isHome] as Object
            }
    }

    /// Run metadata: met, trajectories, terminations, settings, inputs.
    func runContext() -> Object {
        var facts: [Object] = []
        func fact(_ label: String, _ value: String) { facts.append(["label": label, "value": value]) }
        let run = inputs.run
        if let run { fact("Command", "upwind \(run.command) (Upwind \(run.version))") }
        fact("Folder", inputs.folder)
        if let met = run?.setting("met")?.arrayValue?.compactMap(\.stringValue), !met.isEmpty {
            let names = met.map { URL(fileURLWithPath: $0).lastPathComponent }
            fact("Met source", names.count == 1 ? names[0] : "\(names.count) files: \(names[0]) … \(names[names.count - 1])")
        }
        if let coverage = run?.setting("met_coverage") {
            fact("Met coverage", coverage.displayText)
        }
        let overview = inputs.trajectoryOverview
        if let first = overview.firstTime, let last = overview.lastTime {
            fact("Met time used", "\(ReportFormat.time(first)) to \(ReportFormat.time(last)) UTC (the trajectories' endpoints; the met covers at least this)")
        }
        if let run {
            func text(_ key: String) -> String? {
                guard let v = run.setting(key) else { return nil }
                if case .null = v { return nil }
                return v.displayText
            }
            func file(_ key: String) -> String? { run.setting(key)?.stringValue.map { URL(fileURLWithPath: $0).lastPathComponent } }
            var traj: [String] = []
            if let n = run.setting("trajectories_computed")?.numberValue { traj.append("\(ReportFormat.number(n)) computed") }
            if let h = run.setting("hours")?.numberValue { traj.append(h < 0 ? "\(ReportFormat.number(-h)) h back" : "\(ReportFormat.number(h)) h forward") }
            if let every = text("every") { traj.append("arrivals every \(every)") }
            if let heights = run.setting("heights")?.arrayValue { traj.append("from " + heights.map(\.displayText).joined(separator: ", ") + " m AGL") }
            switch run.setting("ensemble") {
            case .bool(true)?, .string("all")?: traj.append("every start with HYSPLIT's 27-member ensemble")
            case .string("events")?:
                let members = run.setting("ensemble_event_members")?.numberValue
                let starts = run.setting("ensemble_event_starts")?.numberValue
                traj.append("the 27-member ensemble for event hours"
                            + (members.map { m in " (\(ReportFormat.number(m)) members for \(starts.map { ReportFormat.number($0) } ?? "–") starts, not in the grid)" } ?? ""))
            default: break
            }
            if let skipped = run.setting("starts_skipped_outside_met")?.numberValue, skipped > 0 {
                traj.append("\(ReportFormat.number(skipped)) starts outside the met skipped")
            }
            if !traj.isEmpty { fact("Trajectories", traj.joined(separator: ", ")) }
            if let observations = file("observations") {
                var rule: [String] = []
                if let t = text("hotspot_threshold") { rule.append("above \(t)") }
                if let p = text("hotspot_percentile") { rule.append("above the site's \(p)th percentile") }
                if let f = text("hotspot_spatial_factor") { rule.append("above \(f) × the median over sites") }
                fact("Observations", observations + (rule.isEmpty ? "" : "; hotspot hours " + rule.joined(separator: " or ")))
            }
            var grid: [String] = []
            if let r = text("resolution") { grid.append("\(r)° cells") }
            if let c = text("criterion") { grid.append("polluted when above \(c)") }
            if let w = text("pscf_weights") { grid.append("\(w) weights") }
            if let h = text("max_height") { grid.append("endpoints below \(h)") }
            if !grid.isEmpty { fact("Receptor grid", grid.joined(separator: ", ")) }
            if let regions = file("regions") {
                var r = [regions]
                if let by = text("rank_by") { r.append("ranked by \(by)") }
                if let b = text("bootstrap") { r.append("\(b) bootstrap resamples (seed \(text("seed") ?? "–"))") }
                fact("Regions", r.joined(separator: ", "))
            }
            if let fires = file("fires") {
                var f = [fires]
                if let n = text("fires_read") { f.append("\(n) read") }
                if let m = text("fires_matched") { f.append("\(m) matched") }
                if let km = text("fire_radius_km") { f.append("within \(km) km") }
                if let before = text("fire_hours_before"), let after = text("fire_hours_after") { f.append("from \(before) h before to \(after) h after") }
                fact("Fires", f.joined(separator: ", "))
            }
            if let home = file("home_regions") { fact("Home regions", home + (text("home_region").map { ", home \($0)" } ?? "")) }
            if let made = text("clusters_made") {
                fact("Clusters", "\(made) (\(text("clusters") ?? "–"), \(text("distance") ?? "–"); \(text("clustered_trajectories") ?? "–") trajectories over \(text("clustered_hours") ?? "–") h)")
            }
        }
        // Terminations: recorded in run.json when present, else counted from trajectories.csv.
        var terminations: [(String, Int)] = []
        if let recorded = run?.setting("terminations")?.objectValue {
            terminations = recorded.compactMap { k, v in v.numberValue.map { (k, Int($0)) } }
        } else if overview.count > 0 {
            let counts = overview.terminations
            terminations = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        let total = terminations.reduce(0) { $0 + $1.1 }
        let terminationRows: [Object] = terminations.map { name, n in
            ["reason": name, "count": ReportFormat.count(n), "share": total > 0 ? ReportFormat.percent(Double(n) / Double(total)) : ReportFormat.dash]
        }
        let settings: [Object] = (run?.settings ?? []).map { key, value in
            var text = value.displayText
            if case .array(let items) = value, items.count > 4 { text = "\(items.count) values: \(items[0].displayText) … \(items[items.count - 1].displayText)" }
            return ["key": key, "value": text]
        }
        let inputRows: [Object] = (run?.inputs ?? []).map { i in
            ["path": i.path, "sha": String(i.sha256.prefix(12))]
        }
        return ["facts": facts, "terminations": terminationRows, "hasTerminations": !terminationRows.isEmpty,
                "terminationSource": run?.setting("terminations") != nil ? "run.json" : "trajectories.csv",
                "settings": settings, "hasSettings": !settings.isEmpty, "inputs": inputRows, "hasInputs": !inputRows.isEmpty]
    }
}
