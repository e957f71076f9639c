import Foundation
import UpwindAttribution
import UpwindCore

/// The report's maps, built from ``ReportInputs``: each a function of the inputs alone, so the
/// HTML page and the standalone `.svg` files show the same drawing.
public enum ReportMaps {
    /// At most this many trajectories are drawn on the trajectory map (a fixed random sample of
    /// them when there are more); the map's footnote says how many of how many are shown.
    public static let maximumTrajectoriesDrawn = 1_500

    /// Hours between age ticks on trajectories.
    public static let ageTickHours = 12.0

    /// Categorical colours (Tableau 10) for clusters and start heights.
    static let categorical = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    /// Blue–purple (ColorBrewer BuPu) for CWT.
    static let bluePurple = SVGMap.ColourScale(stops: ["#f7fcfd", "#e0ecf4", "#bfd3e6", "#9ebcda", "#8c96c6", "#8c6bb1", "#88419d", "#810f7c", "#4d004b"])

    /// Plotted width of a map spanning the page and of one of two maps side by side, px
    /// (about their size on a 1280-px page, so that text in the SVG keeps its size).
    static let wideWidth = 1120.0, halfWidth = 510.0

    static let stationColour = "#1f5fa8"
    static let zeroColour = "#eceae3"
    static let eventColour = "#c0392b"
    static let matchedFireColour = "#e8590c"
    static let otherFireColour = "#8e99a4"

    /// Every map the inputs support, in report order: overview, counties, trajectories, grid
    /// (WPSCF), CWT. A map whose data are absent is left out.
    /// - Parameter inputs: the outputs read.
    /// - Returns: the maps.
    public static func all(_ inputs: ReportInputs) -> [SVGMap] {
        [overview(inputs), counties(inputs), trajectories(inputs), grid(inputs, value: .wpscf), grid(inputs, value: .wcwt)].compactMap { $0 }
    }

    /// Draws the provinces (home province emphasised) clipped to the frame.
    static func drawProvinces(_ inputs: ReportInputs, on map: inout SVGMap, fill: Bool = true) {
        let f = map.frame
        for p in inputs.provinces {
            let b = p.boundingBox
            guard b.north >= f.south, b.south <= f.north, b.east >= f.west, b.west <= f.east else { continue }
            let home = p.id == inputs.homeRegionID
            map.addRegion(p, layer: "provinces", cssClass: home ? "province home" : "province",
                          fill: fill ? (home ? "#ffffff" : "#eef1f4") : "none", stroke: home ? "#2c3e50" : "#9aa7b4",
                          strokeWidth: home ? 1.8 : 0.9, title: p.name)
        }
    }

    /// Draws every station as a circle (class `station`), and with `labels` its name, placed to
    /// the right, left, above or below, whichever first overlaps no station and no label placed
    /// before (stations with events are placed first).
    static func drawStations(_ inputs: ReportInputs, on map: inout SVGMap, labels: Bool, radius: Double = 5) {
        let eventsBySite = Dictionary(grouping: inputs.events, by: \.site).mapValues(\.count)
        for s in inputs.stations {
            let n = eventsBySite[s.site] ?? 0
            map.addCircle(latitude: s.latitude, longitude: s.longitude, radius: radius, layer: "stations", cssClass: "station",
                          fill: stationColour, stroke: "#ffffff", strokeWidth: 1.2,
                          title: n > 0 ? "\(s.site): \(n) hotspot event\(n == 1 ? "" : "s")" : "\(s.site): no hotspot event")
        }
        guard labels else { return }
        let ordered = inputs.stations.filter { (eventsBySite[$0.site] ?? 0) > 0 } + inputs.stations.filter { (eventsBySite[$0.site] ?? 0) == 0 }
        let sites = ordered.map { (site: $0, size: (eventsBySite[$0.site] ?? 0) > 0 ? 12.5 : 11.0) }
        let placed = placeLabels(sites.map { ($0.site.site, $0.site.latitude, $0.site.longitude, $0.size) }, frame: map.frame,
                                 obstacleRadius: (eventsBySite.isEmpty ? radius : radius + 5) + 1)
        for ((site, size), place) in zip(sites, placed) {
            let strong = size > 12
            map.addLabel(site.site, latitude: site.latitude, longitude: site.longitude, dx: place.dx, dy: place.dy, layer: "station-labels",
                         cssClass: "station-label", size: size, weight: strong ? 700 : 500, colour: strong ? "#1d2733" : "#4a5563", anchor: place.anchor)
        }
    }

    /// Approximate width of `text` at `size` px: CJK characters one em, capitals 0.68 em, others 0.56 em.
    static func textWidth(_ text: String, size: Double) -> Double {
        text.unicodeScalars.reduce(0) { w, c in
            w + size * (c.value >= 0x2E80 ? 1.0 : (c.properties.isUppercase ? 0.68 : 0.56))
        }
    }

    /// Offsets and anchors for point labels (text, latitude, longitude, font size) avoiding the
    /// points (a box of `obstacleRadius` px around each) and each other, greedily in order.
    static func placeLabels(_ labels: [(String, Double, Double, Double)], frame: SVGMap.Frame,
                            obstacleRadius: Double) -> [(dx: Double, dy: Double, anchor: String)] {
        struct Box { var x0, x1, y0, y1: Double
            func overlaps(_ o: Box) -> Bool { x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1 }
        }
        let r = obstacleRadius
        var taken = labels.map { l -> Box in
            let x = frame.x(l.2), y = frame.y(l.1)
            return Box(x0: x - r, x1: x + r, y0: y - r, y1: y + r)
        }
        var out: [(dx: Double, dy: Double, anchor: String)] = []
        for (k, l) in labels.enumerated() {
            let x = frame.x(l.2), y = frame.y(l.1), w = textWidth(l.0, size: l.3), h = l.3
            let candidates: [(Double, Double, String)] = [(r + 2, h * 0.35, "start"), (-(r + 2), h * 0.35, "end"),
                                                         (0, -(r + 3), "middle"), (0, r + h * 0.85, "middle")]
            var choice = candidates[0]
            for c in candidates {
                let left = c.2 == "start" ? x + c.0 : c.2 == "end" ? x + c.0 - w : x - w / 2
                let box = Box(x0: left, x1: left + w, y0: y + c.1 - h * 0.8, y1: y + c.1 + h * 0.2)
                let others = taken.enumerated().filter { $0.offset != k }.map(\.element)
                if !others.contains(where: { $0.overlaps(box) }) {
                    choice = c
                    taken.append(box)
                    break
                }
            }
            out.append((choice.0, choice.1, choice.2))
        }
        return out
    }

    /// The smallest "nice" number at least `x` (1, 1.2, 1.6, 2, 2.4, 3.2, 4, 4.8, 6, 8 times a power
    /// of ten), so that a colour bar's quarter ticks are short round numbers; 1 for x ≤ 0 or NaN.
    static func niceMaximum(_ x: Double) -> Double {
        guard x.isFinite, x > 0 else { return 1 }
        let magnitude = pow(10, log10(x).rounded(.down))
        for m in [1, 1.2, 1.6, 2, 2.4, 3.2, 4, 4.8, 6, 8, 10] where m * magnitude >= x * (1 - 1e-12) { return m * magnitude }
        return 10 * magnitude
    }

    /// Radius of a fire circle, px: area proportional to FRP.
    static func fireRadius(_ frpMW: Double) -> Double {
        guard frpMW.isFinite, frpMW > 0 else { return 1.5 }
        return min(1.5 + 1.15 * frpMW.squareRoot(), 14)
    }

    /// Stations, hotspot events, fires (sized by FRP, matched ones highlighted), province and county outlines.
    public static func overview(_ inputs: ReportInputs) -> SVGMap? {
        guard !inputs.stations.isEmpty || !inputs.regionShapes.isEmpty || !inputs.fires.isEmpty else { return nil }
        var lats: [Double] = [], lons: [Double] = []
        for shape in inputs.regionShapes {
            let b = shape.region.boundingBox
            lats += [b.south, b.north]; lons += [b.west, b.east]
        }
        lats += inputs.stations.map(\.latitude); lons += inputs.stations.map(\.longitude)
        lats += inputs.fires.map(\.latitude); lons += inputs.fires.map(\.longitude)
        var map = SVGMap(name: "map_overview", title: "Stations, hotspot events and fires",
                         frame: .fitting(latitudes: lats, longitudes: lons, padding: 0.35, minimumSpan: 1, plotWidth: halfWidth))
        drawProvinces(inputs, on: &map, fill: true)
        for shape in inputs.regionShapes {
            map.addRegion(shape.region, layer: "counties", cssClass: "county-outline", fill: "none", stroke: "#c5ced8", strokeWidth: 0.5,
                          title: shape.region.name)
        }
        // Unmatched fires first so that matched ones are drawn on top.
        for fire in inputs.fires.filter({ !$0.reachedHotspots }) + inputs.fires.filter(\.reachedHotspots) {
            let matched = fire.reachedHotspots
            let place = fire.regionName.isEmpty ? "" : " in \(fire.regionName)"
            map.addCircle(latitude: fire.latitude, longitude: fire.longitude, radius: fireRadius(fire.frpMW), layer: "fires",
                          cssClass: matched ? "fire matched" : "fire", fill: matched ? matchedFireColour : otherFireColour,
                          stroke: matched ? "#7a2a00" : "none", strokeWidth: 0.5, opacity: matched ? 0.8 : 0.45,
                          title: "fire \(fire.id)\(place): \(ReportFormat.number(fire.frpMW, decimals: 1)) MW, \(ReportFormat.time(fire.time)) UTC"
                              + (matched ? ", met \(fire.matchedEvents) hotspot event\(fire.matchedEvents == 1 ? "" : "s") (score \(ReportFormat.number(fire.score)) MW)" : ""))
        }
        let eventsBySite = Dictionary(grouping: inputs.events, by: \.site).mapValues(\.count)
        for s in inputs.stations {
            guard let n = eventsBySite[s.site], n > 0 else { continue }
            map.addCircle(latitude: s.latitude, longitude: s.longitude, radius: 8 + min(Double(n), 10) * 0.8, layer: "events",
                          cssClass: "event-ring", fill: "none", stroke: eventColour, strokeWidth: 2.4,
                          title: "\(s.site): \(n) hotspot event\(n == 1 ? "" : "s")")
        }
        drawStations(inputs, on: &map, labels: true)
        map.legend = [SVGMap.LegendItem(symbol: .circle(radius: 5), colour: stationColour, label: "station")]
        if !inputs.events.isEmpty {
            map.legend.append(SVGMap.LegendItem(symbol: .ring(radius: 7), colour: eventColour, label: "hotspot events (ring grows with their number)"))
        }
        if !inputs.fires.isEmpty {
            map.legend += [SVGMap.LegendItem(symbol: .circle(radius: 6), colour: matchedFireColour, label: "fire that reached hotspot events"),
                           SVGMap.LegendItem(symbol: .circle(radius: 4), colour: otherFireColour, label: "other fire (circle area ∝ FRP)")]
        }
        if !inputs.provinces.isEmpty {
            map.legend.append(SVGMap.LegendItem(symbol: .line(width: 2), colour: "#2c3e50", label: "home province"))
        }
        let matched = inputs.fires.filter(\.reachedHotspots).count
        map.footnote = "\(inputs.stations.count) station\(inputs.stations.count == 1 ? "" : "s"), \(inputs.events.count) hotspot event\(inputs.events.count == 1 ? "" : "s"), "
            + "\(inputs.fires.count) fire\(inputs.fires.count == 1 ? "" : "s") (\(matched) reached hotspot events)"
        return map
    }

    /// A region's ranking value: the `polluted_share` property, else `regions.csv` by id.
    static func pollutedShares(_ inputs: ReportInputs) -> [Double] {
        let byID = Dictionary(inputs.regions.map { ($0.id, $0.pollutedShare) }, uniquingKeysWith: { a, _ in a })
        return inputs.regionShapes.map { shape in
            let v = shape.number("polluted_share")
            return v.isFinite ? v : byID[shape.region.id] ?? .nan
        }
    }

    /// County choropleth of the polluted share, the top five labelled with their rank.
    public static func counties(_ inputs: ReportInputs) -> SVGMap? {
        guard !inputs.regionShapes.isEmpty else { return nil }
        var lats: [Double] = [], lons: [Double] = []
        for shape in inputs.regionShapes {
            let b = shape.region.boundingBox
            lats += [b.south, b.north]; lons += [b.west, b.east]
        }
        var map = SVGMap(name: "map_counties", title: "County ranking: share of polluted air time over each county",
                         frame: .fitting(latitudes: lats, longitudes: lons, padding: 0.15, minimumSpan: 1, plotWidth: halfWidth))
        drawProvinces(inputs, on: &map, fill: true)
        let shares = pollutedShares(inputs)
        let top = shares.filter(\.isFinite).max() ?? 0
        let maximum = top > 0 ? niceMaximum(top * 100) / 100 : 1
        let ranks = Dictionary(inputs.regions.map { ($0.id, $0.rank) }, uniquingKeysWith: { a, _ in a })
        for (shape, share) in zip(inputs.regionShapes, shares) {
            let fill = !share.isFinite ? "#dcdcdc" : share <= 0 ? zeroColour : SVGMap.ColourScale.yellowOrangeRed.colour(at: 0.08 + 0.92 * share / maximum)
            let rank = ranks[shape.region.id].map { "rank \($0), " } ?? ""
            map.addRegion(shape.region, layer: "counties", cssClass: "county", fill: fill, stroke: "#ffffff", strokeWidth: 0.6,
                          title: "\(shape.region.name) (\(shape.region.id)): \(rank)polluted share \(ReportFormat.percent(share))")
        }
        for p in inputs.provinces where p.id == inputs.homeRegionID {
            map.addRegion(p, layer: "home", cssClass: "province home", fill: "none", stroke: "#2c3e50", strokeWidth: 1.6, title: p.name)
        }
        drawStations(inputs, on: &map, labels: false, radius: 3.5)
        let shapesByID = Dictionary(inputs.regionShapes.map { ($0.region.id, $0.region) }, uniquingKeysWith: { a, _ in a })
        var topLabels: [(String, Double, Double, Double)] = []
        for row in inputs.regions.sorted(by: { $0.rank < $1.rank }).prefix(5) where row.pollutedShare > 0 {
            guard let region = shapesByID[row.id] else { continue }
            let c = labelPoint(region)
            map.addCircle(latitude: c.latitude, longitude: c.longitude, radius: 2.2, layer: "top-labels", cssClass: "top-marker", fill: "#1d2733")
            topLabels.append(("\(row.rank) \(row.name)", c.latitude, c.longitude, 13))
        }
        for (label, place) in zip(topLabels, placeLabels(topLabels, frame: map.frame, obstacleRadius: 3)) {
            map.addLabel(label.0, latitude: label.1, longitude: label.2, dx: place.dx, dy: place.dy, layer: "top-labels",
                         cssClass: "county-label", size: 13, weight: 700, anchor: place.anchor)
        }
        map.colourBar = SVGMap.ColourBar(title: "Polluted share (% of polluted-arrival residence time)", scale: .yellowOrangeRed,
                                         minimum: 0, maximum: maximum * 100, decimals: 2)
        map.legend = [SVGMap.LegendItem(symbol: .square, colour: zeroColour, label: "no polluted air time"),
                      SVGMap.LegendItem(symbol: .circle(radius: 3.5), colour: stationColour, label: "station")]
        map.footnote = "\(inputs.regionShapes.count) counties; numbers are ranks by polluted share"
        return map
    }

    /// A point to label a region at: the centre of its largest polygon's bounding box if inside
    /// that polygon, else the polygon's first vertex.
    static func labelPoint(_ region: Region) -> (latitude: Double, longitude: Double) {
        let largest = region.polygons.max { a, b in a.outer.count < b.outer.count }
        guard let polygon = largest, let first = polygon.outer.first else { return (.nan, .nan) }
        let part = Region(id: region.id, name: region.name, polygons: [polygon])
        let b = part.boundingBox
        let c = ((b.south + b.north) / 2, (b.west + b.east) / 2)
        if part.contains(latitude: c.0, longitude: c.1) { return c }
        // Scan a few rows of the box for an inside point.
        for k in 1...9 {
            let lat = b.south + (b.north - b.south) * Double(k) / 10
            for j in 1...9 {
                let lon = b.west + (b.east - b.west) * Double(j) / 10
                if part.contains(latitude: lat, longitude: lon) { return (lat, lon) }
            }
        }
        return (first.latitude, first.longitude)
    }

    /// The trajectories drawn: all of them up to ``maximumTrajectoriesDrawn``, else that many
    /// chosen uniformly at random without replacement (a partial Fisher–Yates shuffle driven by
    /// SplitMix64 with seed 1, so the same outputs always give the same drawing), kept in file
    /// order. A random sample, unlike every k-th, cannot lock onto a pattern of the file order
    /// (e.g. three start heights in turn).
    static func thinned(_ trajectories: [Trajectory]) -> [Trajectory] {
        guard trajectories.count > maximumTrajectoriesDrawn else { return trajectories }
        var indices = Array(trajectories.indices)
        var random = SplitMix64(seed: 1)
        for k in 0..<maximumTrajectoriesDrawn {
            let j = k + random.nextIndex(below: indices.count - k)
            indices.swapAt(k, j)
        }
        return indices.prefix(maximumTrajectoriesDrawn).sorted().map { trajectories[$0] }
    }

    /// Back trajectories coloured by cluster (else by start height), with age ticks every 12 h and
    /// the cluster mean trajectories on top.
    public static func trajectories(_ inputs: ReportInputs) -> SVGMap? {
        guard !inputs.trajectories.isEmpty else { return nil }
        let drawn = thinned(inputs.trajectories)
        var lats: [Double] = [], lons: [Double] = []
        for t in drawn {
            for e in t.endpoints { lats.append(e.latitude); lons.append(e.longitude) }
        }
        lats += inputs.stations.map(\.latitude); lons += inputs.stations.map(\.longitude)
        var map = SVGMap(name: "map_trajectories", title: "Back trajectories of the arrivals",
                         frame: .fitting(latitudes: lats, longitudes: lons, padding: 0.3, minimumSpan: 2, plotWidth: wideWidth, maximumAspect: 0.72))
        drawProvinces(inputs, on: &map, fill: true)
        let byCluster = !inputs.clusters.isEmpty
        let heights = inputs.trajectoryOverview.startHeights
        func colour(_ t: Trajectory) -> String {
            if byCluster {
                guard let c = inputs.clusters[t.id] else { return "#9aa3ad" }
                return categorical[(max(c, 1) - 1) % categorical.count]
            }
            let k = heights.firstIndex(of: t.start.height) ?? 0
            return categorical[k % categorical.count]
        }
        for t in drawn {
            let c = colour(t)
            map.addLine(t.endpoints.map { ($0.latitude, $0.longitude) }, layer: "trajectories", cssClass: "trajectory", stroke: c, width: 0.9,
                        opacity: 0.4)
            for e in t.endpoints where e.ageHours != 0 && abs(e.ageHours).truncatingRemainder(dividingBy: ageTickHours) == 0 {
                map.addCircle(latitude: e.latitude, longitude: e.longitude, radius: 1.4, layer: "age-ticks", cssClass: "age-tick", fill: c, opacity: 0.7)
            }
        }
        let means = Dictionary(grouping: inputs.clusterMeans, by: \.cluster)
        let shares = Dictionary(inputs.clusterSummary.map { ($0.cluster, $0.sharePercent) }, uniquingKeysWith: { a, _ in a })
        for cluster in means.keys.sorted() {
            let points = (means[cluster] ?? []).sorted { abs($0.ageHours) < abs($1.ageHours) }
            let c = categorical[(max(cluster, 1) - 1) % categorical.count]
            let line = points.map { ($0.latitude, $0.longitude) }
            map.addLine(line, layer: "cluster-means", cssClass: "cluster-mean-casing", stroke: "#ffffff", width: 6.5)
            map.addLine(line, layer: "cluster-means", cssClass: "cluster-mean", stroke: c, width: 3.5,
                        title: "cluster \(cluster) mean" + (shares[cluster].map { ": \(ReportFormat.number($0, decimals: 1))% of trajectories" } ?? ""))
            if let end = points.last {
                map.addLabel("C\(cluster)", latitude: end.latitude, longitude: end.longitude, dx: 4, dy: -4, layer: "cluster-labels",
                             cssClass: "cluster-label", size: 13, weight: 700, colour: c)
            }
        }
        drawStations(inputs, on: &map, labels: false, radius: 4)
        let sitesWithEvents = Set(inputs.events.map(\.site))
        for s in inputs.stations where sitesWithEvents.contains(s.site) {
            map.addLabel(s.site, latitude: s.latitude, longitude: s.longitude, dx: 7, dy: 4, layer: "station-labels", cssClass: "station-label",
                         size: 12.5, weight: 700)
        }
        if byCluster {
            let clusters = Set(inputs.clusters.values).sorted()
            map.legend = clusters.map { c in
                SVGMap.LegendItem(symbol: .line(width: 3), colour: categorical[(max(c, 1) - 1) % categorical.count],
                                  label: "cluster \(c)" + (shares[c].map { " (\(ReportFormat.number($0, decimals: 1))%)" } ?? ""))
            }
        } else {
            map.legend = heights.enumerated().map { k, h in
                SVGMap.LegendItem(symbol: .line(width: 3), colour: categorical[k % categorical.count], label: "start \(ReportFormat.number(h)) m AGL")
            }
        }
        map.legend.append(SVGMap.LegendItem(symbol: .circle(radius: 2), colour: "#5b6776", label: "tick every \(Int(ageTickHours)) h of age"))
        map.legend.append(SVGMap.LegendItem(symbol: .circle(radius: 4), colour: stationColour, label: "station (arrival)"))
        let total = max(inputs.trajectoryOverview.count, inputs.trajectories.count)
        let how = drawn.count == total ? "all" : "a fixed random sample"
        map.footnote = "\(ReportFormat.count(drawn.count)) of \(ReportFormat.count(total)) trajectories drawn (\(how)); coloured by "
            + (byCluster ? "cluster, thick lines are the cluster means" : "start height")
        return map
    }

    /// Which grid value a grid map shows.
    public enum GridValue: Sendable {
        /// Weighted PSCF (0…1).
        case wpscf
        /// Weighted CWT (the concentration unit).
        case wcwt
    }

    /// The receptor grid (weighted PSCF or weighted CWT) with a colour bar, province outlines and stations.
    public static func grid(_ inputs: ReportInputs, value: GridValue) -> SVGMap? {
        let cells = inputs.grid.filter { c in
            let v = value == .wpscf ? c.wpscf : c.wcwt
            return c.nEndpoints > 0 && v.isFinite
        }
        guard !cells.isEmpty else { return nil }
        let resolution = inputs.gridResolution.isFinite && inputs.gridResolution > 0 ? inputs.gridResolution : 0.25
        let h = resolution / 2
        let values = cells.map { value == .wpscf ? $0.wpscf : $0.wcwt }
        let maximum = niceMaximum(values.max() ?? 1)
        let title = value == .wpscf ? "Weighted PSCF: how often air over a cell arrived polluted" : "Weighted CWT: mean concentration of the air that passed over a cell"
        let frame = SVGMap.Frame.fitting(latitudes: cells.flatMap { [$0.latitude - h, $0.latitude + h] } + inputs.stations.map(\.latitude),
                                         longitudes: cells.flatMap { [$0.longitude - h, $0.longitude + h] } + inputs.stations.map(\.longitude),
                                         padding: 0.2, minimumSpan: 2, plotWidth: halfWidth)
        var map = SVGMap(name: value == .wpscf ? "map_grid" : "map_cwt", title: title, frame: frame)
        drawProvinces(inputs, on: &map, fill: true)
        let scale = value == .wpscf ? SVGMap.ColourScale.yellowOrangeRed : bluePurple
        for (cell, v) in zip(cells, values) {
            let label = value == .wpscf ? "WPSCF \(ReportFormat.number(v, decimals: 2))" : "WCWT \(ReportFormat.number(v, decimals: 1))"
            map.addCell(south: cell.latitude - h, north: cell.latitude + h, west: cell.longitude - h, east: cell.longitude + h, layer: "grid",
                        cssClass: "cell", fill: v > 0 ? scale.colour(at: 0.06 + 0.94 * v / maximum) : zeroColour,
                        title: "\(ReportFormat.number(cell.latitude, decimals: 2))° N, \(ReportFormat.number(cell.longitude, decimals: 2))° E: \(label), \(cell.nEndpoints) endpoints")
        }
        // Province outlines again on top of the cells, unfilled.
        for p in inputs.provinces {
            let f = map.frame, b = p.boundingBox
            guard b.north >= f.south, b.south <= f.north, b.east >= f.west, b.west <= f.east else { continue }
            let home = p.id == inputs.homeRegionID
            map.addRegion(p, layer: "province-outlines", cssClass: "province-outline", fill: "none", stroke: home ? "#2c3e50" : "#6f7c8a",
                          strokeWidth: home ? 1.6 : 0.7)
        }
        drawStations(inputs, on: &map, labels: false, radius: 3.5)
        map.colourBar = value == .wpscf
            ? SVGMap.ColourBar(title: "WPSCF (probability, 0–1)", scale: scale, minimum: 0, maximum: maximum, decimals: 3)
            : SVGMap.ColourBar(title: "WCWT (concentration, in the observations' unit)", scale: scale, minimum: 0, maximum: maximum, decimals: 3)
        map.legend = [SVGMap.LegendItem(symbol: .square, colour: zeroColour, label: value == .wpscf ? "no polluted endpoints" : "0"),
                      SVGMap.LegendItem(symbol: .circle(radius: 3.5), colour: stationColour, label: "station")]
        map.footnote = "\(ReportFormat.count(cells.count)) cells of \(ReportFormat.number(resolution, decimals: resolution < 0.1 ? 3 : 2))° with endpoints"
        return map
    }
}
