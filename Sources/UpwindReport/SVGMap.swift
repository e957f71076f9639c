import Foundation
import UpwindAttribution
import UpwindFormats

/// A map drawn as SVG 1.1: an equirectangular (plate carrée) frame whose x scale is shrunk by
/// cos(central latitude) so that shapes keep their proportions near that latitude, a graticule
/// with degree labels, layers of outlines, lines, circles and cells clipped to the frame, and a
/// footer with a legend and an optional colour bar.
///
/// Every text the map embeds (titles, labels, tooltips, attribute values such as site ids and
/// place names) goes through ``escape(_:)``, so a site called `A&B<"x">` cannot break the XML.
///
/// ```swift
/// var map = SVGMap(name: "map_sites", title: "Stations", frame: .init(west: 110, east: 117, south: 31, north: 37))
/// map.addCircle(latitude: 34.75, longitude: 113.63, radius: 4, layer: "stations", cssClass: "station", fill: "#1f5fa8", title: "Zhengzhou")
/// try map.write(to: "map_sites.svg")
/// ```
public struct SVGMap: Sendable {
    /// The part of the Earth shown and its size on the page.
    public struct Frame: Sendable, Equatable {
        /// Western and eastern edges, degrees east.
        public var west: Double, east: Double
        /// Southern and northern edges, degrees north.
        public var south: Double, north: Double
        /// Width of the plotted area, px (CSS pixels).
        public var plotWidth: Double
        /// Margins around the plotted area, px: left and bottom hold the graticule labels.
        public var marginLeft = 46.0, marginRight = 24.0, marginTop = 12.0, marginBottom = 26.0

        /// Creates a frame; the height follows from the width and cos(central latitude).
        /// - Parameters:
        ///   - west: western edge, degrees east.
        ///   - east: eastern edge, degrees east (greater than `west`).
        ///   - south: southern edge, degrees north.
        ///   - north: northern edge, degrees north (greater than `south`).
        ///   - plotWidth: width of the plotted area, px (default 760).
        public init(west: Double, east: Double, south: Double, north: Double, plotWidth: Double = 760) {
            self.west = west
            self.east = max(east, west + 1e-6)
            self.south = south
            self.north = max(north, south + 1e-6)
            self.plotWidth = plotWidth
        }

        /// cos of the central latitude: the x-scale factor of the projection.
        public var aspectFactor: Double { max(cos((south + north) / 2 * .pi / 180), 0.05) }

        /// Pixels per degree of latitude.
        public var pixelsPerDegree: Double { plotWidth / ((east - west) * aspectFactor) }

        /// Height of the plotted area, px.
        public var plotHeight: Double { (north - south) * pixelsPerDegree }

        /// The x of a longitude (degrees east), px from the SVG's left edge.
        public func x(_ longitude: Double) -> Double { marginLeft + (longitude - west) * aspectFactor * pixelsPerDegree }

        /// The y of a latitude (degrees north), px from the SVG's top edge.
        public func y(_ latitude: Double) -> Double { marginTop + (north - latitude) * pixelsPerDegree }

        /// A frame around positions: their box, padded by `padding` degrees on every side, at least
        /// `minimumSpan` degrees in each direction, and widened or heightened so that the plotted
        /// area's height lies within 0.45…`maximumAspect` of its width. Non-finite positions are ignored;
        /// with none left the frame is 0–1° at the equator.
        /// - Parameters:
        ///   - latitudes: degrees north.
        ///   - longitudes: degrees east, same count.
        ///   - padding: degrees added on every side (default 0.3).
        ///   - minimumSpan: the smallest extent, degrees (default 1).
        ///   - plotWidth: width of the plotted area, px (default 760).
        ///   - maximumAspect: the largest height-to-width ratio (default 1.1); a taller box is widened.
        /// - Returns: the frame.
        public static func fitting(latitudes: [Double], longitudes: [Double], padding: Double = 0.3, minimumSpan: Double = 1,
                                   plotWidth: Double = 760, maximumAspect: Double = 1.1) -> Frame {
            var south = Double.infinity, north = -Double.infinity, west = Double.infinity, east = -Double.infinity
            for (lat, lon) in zip(latitudes, longitudes) where lat.isFinite && lon.isFinite {
                south = min(south, lat); north = max(north, lat); west = min(west, lon); east = max(east, lon)
            }
            guard south.isFinite, west.isFinite else { return Frame(west: 0, east: 1, south: 0, north: 1, plotWidth: plotWidth) }
            south -= padding; north += padding; west -= padding; east += padding
            if north - south < minimumSpan { let c = (north + south) / 2; south = c - minimumSpan / 2; north = c + minimumSpan / 2 }
            if east - west < minimumSpan { let c = (east + west) / 2; west = c - minimumSpan / 2; east = c + minimumSpan / 2 }
            south = max(south, -89.9); north = min(north, 89.9)
            var frame = Frame(west: west, east: east, south: south, north: north, plotWidth: plotWidth)
            let ratio = frame.plotHeight / frame.plotWidth
            if ratio < 0.45 {
                let add = (0.45 * (east - west) * frame.aspectFactor - (north - south)) / 2
                frame = Frame(west: west, east: east, south: max(south - add, -89.9), north: min(north + add, 89.9), plotWidth: plotWidth)
            } else if ratio > max(maximumAspect, 0.45) {
                let add = ((north - south) / (max(maximumAspect, 0.45) * frame.aspectFactor) - (east - west)) / 2
                frame = Frame(west: west - add, east: east + add, south: south, north: north, plotWidth: plotWidth)
            }
            return frame
        }
    }

    /// A colour ramp: colours evenly spaced from 0 to 1, interpolated linearly in sRGB.
    public struct ColourScale: Sendable, Equatable {
        /// The stops as `#rrggbb`, low to high.
        public var stops: [String]

        /// Creates a scale from at least two `#rrggbb` colours.
        /// - Parameter stops: the colours, low to high.
        public init(stops: [String]) { self.stops = stops.count >= 2 ? stops : ["#ffffff", "#000000"] }

        /// Yellow–orange–red (ColorBrewer YlOrRd): PSCF and the ranking.
        public static let yellowOrangeRed = ColourScale(stops: ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a",
                                                                "#e31a1c", "#bd0026", "#800026"])
        /// Viridis (matplotlib), 9 samples: CWT and heights.
        public static let viridis = ColourScale(stops: ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962",
                                                        "#addc30", "#fde725"])

        /// The colour at `t` (clamped to 0…1; NaN gives light grey `#dddddd`).
        /// - Parameter t: position on the ramp, 0…1.
        /// - Returns: `#rrggbb`.
        public func colour(at t: Double) -> String {
            guard t.isFinite else { return "#dddddd" }
            let u = min(max(t, 0), 1) * Double(stops.count - 1)
            let k = min(Int(u), stops.count - 2)
            let f = u - Double(k)
            let a = Self.rgb(stops[k]), b = Self.rgb(stops[k + 1])
            func mix(_ i: Int) -> Int { Int((Double(a[i]) * (1 - f) + Double(b[i]) * f).rounded()) }
            return String(format: "#%02x%02x%02x", mix(0), mix(1), mix(2))
        }

        static func rgb(_ hex: String) -> [Int] {
            let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
            guard digits.count == 6, let v = Int(digits, radix: 16) else { return [0, 0, 0] }
            return [(v >> 16) & 255, (v >> 8) & 255, v & 255]
        }
    }

    /// A colour bar drawn in the footer.
    public struct ColourBar: Sendable, Equatable {
        /// What the colours mean, with its unit (e.g. `WPSCF (probability)`).
        public var title: String
        /// The ramp.
        public var scale: ColourScale
        /// Values at the two ends, in the title's unit.
        public var minimum: Double, maximum: Double
        /// The most decimals of a tick label (trailing zeros are dropped).
        public var decimals: Int

        /// Creates a colour bar.
        /// - Parameters:
        ///   - title: what the colours mean, with the unit.
        ///   - scale: the ramp.
        ///   - minimum: value at the low end.
        ///   - maximum: value at the high end.
        ///   - decimals: the most decimals of the 5 tick labels, trailing zeros dropped (default 2).
        public init(title: String, scale: ColourScale, minimum: Double, maximum: Double, decimals: Int = 2) {
            self.title = title
            self.scale = scale
            self.minimum = minimum
            self.maximum = maximum
            self.decimals = decimals
        }
    }

    /// One legend entry.
    public struct LegendItem: Sendable, Equatable {
        /// How the entry's symbol is drawn.
        public enum Symbol: Sendable, Equatable {
            /// A circle of the radius, px.
            case circle(radius: Double)
            /// A ring (outline only) of the radius, px.
            case ring(radius: Double)
            /// A short line of the width, px.
            case line(width: Double)
            /// A filled square.
            case square
        }
        /// The symbol.
        public var symbol: Symbol
        /// Fill (or stroke for lines and rings), `#rrggbb`.
        public var colour: String
        /// The label.
        public var label: String

        /// Creates an entry.
        /// - Parameters:
        ///   - symbol: how it is drawn.
        ///   - colour: `#rrggbb`.
        ///   - label: the text.
        public init(symbol: Symbol, colour: String, label: String) {
            self.symbol = symbol
            self.colour = colour
            self.label = label
        }
    }

    /// The file stem and element id prefix (e.g. `map_overview`): letters, digits, `_` and `-` only.
    public let name: String
    /// The map's title (shown in standalone files and as the accessible name).
    public var title: String
    /// The frame.
    public var frame: Frame
    /// The legend entries, in order.
    public var legend: [LegendItem] = []
    /// The colour bar, if any.
    public var colourBar: ColourBar?
    /// A line under the legend (e.g. how many trajectories are drawn), if any.
    public var footnote: String?
    private var layers: [(name: String, elements: [SVGElement])] = []

    /// The font stack of every text: CJK-capable fonts first, so Chinese names render.
    public static let fontFamily = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans', 'DejaVu Sans', sans-serif"

    /// Creates an empty map.
    /// - Parameters:
    ///   - name: file stem and id prefix; characters other than letters, digits, `_` and `-` become `_`.
    ///   - title: the title.
    ///   - frame: what is shown.
    public init(name: String, title: String, frame: Frame) {
        self.name = String(name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
        self.title = title
        self.frame = frame
    }

    // MARK: - Adding features

    private mutating func append(_ element: SVGElement, to layer: String) {
        if let i = layers.lastIndex(where: { $0.name == layer }) {
            layers[i].elements.append(element)
        } else {
            layers.append((layer, [element]))
        }
    }

    private static func titled(_ element: SVGElement, _ title: String?) -> SVGElement {
        guard let title, !title.isEmpty else { return element }
        var e = element
        e.children.insert(SVGElement("title", text: title), at: 0)
        return e
    }

    /// Adds a region's outline as one `path` (all rings, holes by the even–odd rule).
    /// - Parameters:
    ///   - region: the region (degrees).
    ///   - layer: the layer (drawn in the order layers are first used).
    ///   - cssClass: the element's class.
    ///   - fill: fill colour or `none`.
    ///   - stroke: outline colour.
    ///   - strokeWidth: outline width, px.
    ///   - title: tooltip text, if any.
    public mutating func addRegion(_ region: Region, layer: String, cssClass: String, fill: String, stroke: String, strokeWidth: Double,
                                   title: String? = nil) {
        var d = ""
        for polygon in region.polygons {
            for ring in polygon.rings where ring.count >= 2 {
                for (k, p) in ring.enumerated() {
                    d += (k == 0 ? "M" : "L") + Self.px(frame.x(p.longitude)) + "," + Self.px(frame.y(p.latitude))
                }
                d += "Z"
            }
        }
        guard !d.isEmpty else { return }
        let path = SVGElement("path", ["class": cssClass, "d": d, "fill": fill, "stroke": stroke, "stroke-width": Self.px(strokeWidth),
                                       "fill-rule": "evenodd", "stroke-linejoin": "round"])
        append(Self.titled(path, title), to: layer)
    }

    /// Adds a line through positions as a `polyline` (non-finite positions are skipped).
    /// - Parameters:
    ///   - points: the positions, degrees.
    ///   - layer: the layer.
    ///   - cssClass: the element's class.
    ///   - stroke: colour.
    ///   - width: width, px.
    ///   - opacity: 0…1.
    ///   - title: tooltip text, if any.
    public mutating func addLine(_ points: [(latitude: Double, longitude: Double)], layer: String, cssClass: String, stroke: String,
                                 width: Double, opacity: Double = 1, title: String? = nil) {
        let text = points.filter { $0.latitude.isFinite && $0.longitude.isFinite }
            .map { Self.px(frame.x($0.longitude)) + "," + Self.px(frame.y($0.latitude)) }.joined(separator: " ")
        guard !text.isEmpty else { return }
        var attributes: [(String, String)] = [("class", cssClass), ("points", text), ("fill", "none"), ("stroke", stroke),
                                              ("stroke-width", Self.px(width)), ("stroke-linejoin", "round"), ("stroke-linecap", "round")]
        if opacity < 1 { attributes.append(("stroke-opacity", Self.fraction(opacity))) }
        append(Self.titled(SVGElement("polyline", attributes), title), to: layer)
    }

    /// Adds a circle (skipped when the position is not finite).
    /// - Parameters:
    ///   - latitude: degrees north.
    ///   - longitude: degrees east.
    ///   - radius: px.
    ///   - layer: the layer.
    ///   - cssClass: the element's class.
    ///   - fill: fill colour or `none`.
    ///   - stroke: outline colour (default none).
    ///   - strokeWidth: outline width, px (default 1).
    ///   - opacity: fill opacity 0…1 (default 1).
    ///   - title: tooltip text, if any.
    public mutating func addCircle(latitude: Double, longitude: Double, radius: Double, layer: String, cssClass: String, fill: String,
                                   stroke: String = "none", strokeWidth: Double = 1, opacity: Double = 1, title: String? = nil) {
        guard latitude.isFinite, longitude.isFinite, radius.isFinite else { return }
        var attributes: [(String, String)] = [("class", cssClass), ("cx", Self.px(frame.x(longitude))), ("cy", Self.px(frame.y(latitude))),
                                              ("r", Self.px(max(radius, 0.5))), ("fill", fill)]
        if stroke != "none" { attributes += [("stroke", stroke), ("stroke-width", Self.px(strokeWidth))] }
        if opacity < 1 { attributes.append(("fill-opacity", Self.fraction(opacity))) }
        append(Self.titled(SVGElement("circle", attributes), title), to: layer)
    }

    /// Adds a latitude–longitude cell as a `rect` (skipped when an edge is not finite).
    /// - Parameters:
    ///   - south: southern edge, degrees north.
    ///   - north: northern edge, degrees north.
    ///   - west: western edge, degrees east.
    ///   - east: eastern edge, degrees east.
    ///   - layer: the layer.
    ///   - cssClass: the element's class.
    ///   - fill: fill colour.
    ///   - title: tooltip text, if any.
    public mutating func addCell(south: Double, north: Double, west: Double, east: Double, layer: String, cssClass: String, fill: String,
                                 title: String? = nil) {
        guard south.isFinite, north.isFinite, west.isFinite, east.isFinite else { return }
        let x0 = frame.x(west), x1 = frame.x(east), y0 = frame.y(north), y1 = frame.y(south)
        let rect = SVGElement("rect", ["class": cssClass, "x": Self.px(x0), "y": Self.px(y0), "width": Self.px(x1 - x0),
                                       "height": Self.px(y1 - y0), "fill": fill])
        append(Self.titled(rect, title), to: layer)
    }

    /// Adds a text label at a position, with a white halo so it reads over any background.
    /// - Parameters:
    ///   - text: the label (escaped).
    ///   - latitude: degrees north.
    ///   - longitude: degrees east.
    ///   - dx: horizontal offset, px (default 6).
    ///   - dy: vertical offset, px (default 4).
    ///   - layer: the layer.
    ///   - cssClass: the element's class.
    ///   - size: font size, px (default 12).
    ///   - weight: font weight (default 500).
    ///   - colour: text colour (default dark grey).
    ///   - anchor: `start` (default), `middle` or `end`: which end of the text the offset position is.
    public mutating func addLabel(_ text: String, latitude: Double, longitude: Double, dx: Double = 6, dy: Double = 4, layer: String,
                                  cssClass: String, size: Double = 12, weight: Int = 500, colour: String = "#1d2733", anchor: String = "start") {
        guard latitude.isFinite, longitude.isFinite else { return }
        let label = SVGElement("text", ["class": cssClass, "x": Self.px(frame.x(longitude) + dx), "y": Self.px(frame.y(latitude) + dy),
                                        "text-anchor": anchor, "font-size": Self.px(size), "font-weight": String(weight), "fill": colour, "stroke": "#ffffff",
                                        "stroke-width": "3", "stroke-opacity": "0.85", "paint-order": "stroke", "stroke-linejoin": "round"],
                               text: text)
        append(label, to: layer)
    }

    // MARK: - Output

    /// Pixels with one decimal, no exponent.
    static func px(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let tenths = Int((x * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let m = abs(tenths)
        return m % 10 == 0 ? sign + String(m / 10) : sign + String(m / 10) + "." + String(m % 10)
    }

    /// A tick label: at most `decimals` decimals, trailing zeros dropped.
    static func tick(_ x: Double, decimals: Int) -> String {
        var text = String(format: "%.\(max(0, min(decimals, 6)))f", x)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// A fraction 0…1 with two decimals.
    static func fraction(_ x: Double) -> String { String(format: "%.2f", min(max(x, 0), 1)) }

    /// `text` safe inside XML text and attribute values: `&`, `<`, `>`, `"` and `'` become
    /// entities, and characters XML 1.0 forbids (C0 controls other than tab, line feed and
    /// carriage return; U+FFFE, U+FFFF) are dropped.
    /// - Parameter text: any text.
    /// - Returns: the escaped text.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Degree step of the graticule: about 4 to 8 lines across the wider side.
    func graticuleStep() -> Double {
        let span = max(frame.east - frame.west, frame.north - frame.south)
        for step in [0.25, 0.5, 1, 2, 5, 10, 20, 30] where span / step <= 8 { return step }
        return 45
    }

    static func degreeLabel(_ value: Double, positive: String, negative: String) -> String {
        let magnitude = abs(value)
        let text = magnitude == magnitude.rounded() ? String(Int(magnitude)) : String(format: "%g", magnitude)
        return text + "°" + (value == 0 ? "" : value > 0 ? positive : negative)
    }

    /// Footer height, px: colour bar row, legend rows, footnote.
    private func footerLayout() -> (height: Double, legendRows: [[(LegendItem, Double)]]) {
        let width = frame.plotWidth
        var rows: [[(LegendItem, Double)]] = []
        var current: [(LegendItem, Double)] = []
        var x = 0.0
        for item in legend {
            let w = 28 + Double(item.label.count) * 7.2 + 18
            if x + w > width, !current.isEmpty { rows.append(current); current = []; x = 0 }
            current.append((item, x))
            x += w
        }
        if !current.isEmpty { rows.append(current) }
        var height = 0.0
        if colourBar != nil { height += 50 }
        height += Double(rows.count) * 22
        if footnote != nil { height += 20 }
        return (height > 0 ? height + 6 : 0, rows)
    }

    /// The SVG document.
    /// - Parameter standalone: true for a file of its own (XML declaration and a visible title);
    ///   false for inlining into HTML.
    /// - Returns: the SVG text (UTF-8 when encoded).
    public func svg(standalone: Bool = true) -> String {
        let f = frame
        let footer = footerLayout()
        let band = standalone ? 30.0 : 0
        let width = f.marginLeft + f.plotWidth + f.marginRight
        let plotBottom = f.marginTop + f.plotHeight
        let height = plotBottom + f.marginBottom + footer.height
        let clipID = name + "-clip"
        var root = SVGElement("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("class", "map"), ("id", name),
                                      ("width", Self.px(width)), ("height", Self.px(height + band)),
                                      ("viewBox", "0 0 \(Self.px(width)) \(Self.px(height + band))"), ("role", "img"), ("aria-label", title),
                                      ("font-family", Self.fontFamily)])
        root.children.append(SVGElement("title", text: title))
        root.children.append(SVGElement("defs", children: [
            SVGElement("clipPath", ["id": clipID], children: [
                SVGElement("rect", ["x": Self.px(f.marginLeft), "y": Self.px(f.marginTop), "width": Self.px(f.plotWidth), "height": Self.px(f.plotHeight)]),
            ]),
        ]))
        root.children.append(SVGElement("rect", ["class": "background", "x": "0", "y": "0", "width": Self.px(width), "height": Self.px(height + band),
                                                 "fill": "#ffffff"]))
        if standalone {
            root.children.append(SVGElement("text", ["class": "map-title", "x": Self.px(f.marginLeft), "y": "24", "font-size": "16",
                                                     "font-weight": "600", "fill": "#1d2733"], text: title))
        }
        var body = SVGElement("g", standalone ? [("transform", "translate(0,\(Self.px(band)))")] : [])
        body.children.append(SVGElement("rect", ["class": "sea", "x": Self.px(f.marginLeft), "y": Self.px(f.marginTop), "width": Self.px(f.plotWidth),
                                                 "height": Self.px(f.plotHeight), "fill": "#f7f9fb"]))
        // Graticule.
        let step = graticuleStep()
        var lines: [SVGElement] = [], labels: [SVGElement] = []
        var lon = (f.west / step).rounded(.up) * step
        while lon <= f.east + 1e-9 {
            let x = Self.px(f.x(lon))
            lines.append(SVGElement("line", ["x1": x, "y1": Self.px(f.marginTop), "x2": x, "y2": Self.px(plotBottom)]))
            labels.append(SVGElement("text", ["x": x, "y": Self.px(plotBottom + 16), "text-anchor": "middle"],
                                     text: Self.degreeLabel(lon, positive: "E", negative: "W")))
            lon += step
        }
        var lat = (f.south / step).rounded(.up) * step
        while lat <= f.north + 1e-9 {
            let y = Self.px(f.y(lat))
            lines.append(SVGElement("line", ["x1": Self.px(f.marginLeft), "y1": y, "x2": Self.px(f.marginLeft + f.plotWidth), "y2": y]))
            labels.append(SVGElement("text", ["x": Self.px(f.marginLeft - 5), "y": Self.px(f.y(lat) + 4), "text-anchor": "end"],
                                     text: Self.degreeLabel(lat, positive: "N", negative: "S")))
            lat += step
        }
        body.children.append(SVGElement("g", ["class": "graticule", "stroke": "#d5dde5", "stroke-width": "0.7", "stroke-dasharray": "3 3"],
                                        children: lines))
        var content = SVGElement("g", ["clip-path": "url(#\(clipID))"])
        for layer in layers {
            var group = SVGElement("g", ["class": "layer layer-" + layer.name])
            group.children = layer.elements
            content.children.append(group)
        }
        body.children.append(content)
        body.children.append(SVGElement("rect", ["class": "frame", "x": Self.px(f.marginLeft), "y": Self.px(f.marginTop), "width": Self.px(f.plotWidth),
                                                 "height": Self.px(f.plotHeight), "fill": "none", "stroke": "#8a97a6", "stroke-width": "1"]))
        body.children.append(SVGElement("g", ["class": "graticule-labels", "font-size": "11", "fill": "#5b6776"], children: labels))
        // Footer: colour bar, legend, footnote.
        var y = plotBottom + f.marginBottom + 6
        var footerElements: [SVGElement] = []
        if let bar = colourBar {
            let x0 = f.marginLeft, barWidth = min(f.plotWidth * 0.6, 420.0), n = 48
            footerElements.append(SVGElement("text", ["x": Self.px(x0), "y": Self.px(y + 10), "font-size": "12", "font-weight": "600", "fill": "#1d2733"],
                                             text: bar.title))
            var stops: [SVGElement] = []
            for k in 0..<n {
                stops.append(SVGElement("rect", ["x": Self.px(x0 + barWidth * Double(k) / Double(n)), "y": Self.px(y + 16),
                                                 "width": Self.px(barWidth / Double(n) + 0.6), "height": "12",
                                                 "fill": bar.scale.colour(at: (Double(k) + 0.5) / Double(n))]))
            }
            footerElements.append(SVGElement("g", ["class": "colour-bar"], children: stops))
            footerElements.append(SVGElement("rect", ["x": Self.px(x0), "y": Self.px(y + 16), "width": Self.px(barWidth), "height": "12",
                                                      "fill": "none", "stroke": "#8a97a6", "stroke-width": "0.6"]))
            for k in 0...4 {
                let v = bar.minimum + (bar.maximum - bar.minimum) * Double(k) / 4
                footerElements.append(SVGElement("text", ["x": Self.px(x0 + barWidth * Double(k) / 4), "y": Self.px(y + 42),
                                                          "font-size": "11", "fill": "#5b6776", "text-anchor": "middle"],
                                                 text: Self.tick(v, decimals: bar.decimals)))
            }
            y += 50
        }
        for row in footer.legendRows {
            for (item, dx) in row {
                let x = f.marginLeft + dx, cy = y + 9
                switch item.symbol {
                case .circle(let r):
                    footerElements.append(SVGElement("circle", ["cx": Self.px(x + 10), "cy": Self.px(cy), "r": Self.px(min(r, 9)),
                                                                "fill": item.colour, "stroke": "#ffffff", "stroke-width": "0.8"]))
                case .ring(let r):
                    footerElements.append(SVGElement("circle", ["cx": Self.px(x + 10), "cy": Self.px(cy), "r": Self.px(min(r, 9)),
                                                                "fill": "none", "stroke": item.colour, "stroke-width": "2"]))
                case .line(let w):
                    footerElements.append(SVGElement("line", ["x1": Self.px(x), "y1": Self.px(cy), "x2": Self.px(x + 20), "y2": Self.px(cy),
                                                              "stroke": item.colour, "stroke-width": Self.px(w), "stroke-linecap": "round"]))
                case .square:
                    footerElements.append(SVGElement("rect", ["x": Self.px(x + 3), "y": Self.px(cy - 7), "width": "14", "height": "14",
                                                              "fill": item.colour, "stroke": "#8a97a6", "stroke-width": "0.6"]))
                }
                footerElements.append(SVGElement("text", ["x": Self.px(x + 26), "y": Self.px(cy + 4), "font-size": "12", "fill": "#1d2733"],
                                                 text: item.label))
            }
            y += 22
        }
        if let note = footnote {
            footerElements.append(SVGElement("text", ["class": "footnote", "x": Self.px(f.marginLeft), "y": Self.px(y + 12), "font-size": "11",
                                                      "fill": "#5b6776"], text: note))
        }
        if !footerElements.isEmpty { body.children.append(SVGElement("g", ["class": "footer"], children: footerElements)) }
        root.children.append(body)
        var out = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        root.write(into: &out)
        out += "\n"
        return out
    }

    /// Writes the standalone SVG to `path` through a temporary file renamed when complete.
    /// - Parameter path: the destination.
    /// - Throws: ``ReportError/writeFailed(path:reason:)``.
    public func write(to path: String) throws(ReportError) {
        try ReportFile.write(svg(standalone: true), to: path)
    }
}

/// Writes text through UpwindFormats' temporary-then-rename sink.
enum ReportFile {
    /// Writes `text` (UTF-8) to `path` atomically.
    /// - Throws: ``ReportError/writeFailed(path:reason:)``.
    static func write(_ text: String, to path: String) throws(ReportError) {
        do {
            let sink = try FileSink(path: path)
            try sink.write(Data(text.utf8))
            try sink.finish()
        } catch {
            throw .writeFailed(path: path, reason: error.localizedDescription)
        }
    }
}

/// One SVG element: a name, attributes in order, children and text, written with every
/// attribute value and text escaped.
struct SVGElement: Sendable {
    var name: String
    var attributes: [(String, String)]
    var children: [SVGElement]
    var text: String?

    init(_ name: String, _ attributes: [(String, String)] = [], children: [SVGElement] = [], text: String? = nil) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// Attributes from a dictionary literal keep the literal's order.
    init(_ name: String, _ attributes: KeyValuePairs<String, String>, children: [SVGElement] = [], text: String? = nil) {
        self.init(name, attributes.map { ($0.key, $0.value) }, children: children, text: text)
    }

    func write(into out: inout String) {
        out += "<" + name
        for (key, value) in attributes { out += " " + key + "=\"" + SVGMap.escape(value) + "\"" }
        if children.isEmpty && text == nil {
            out += "/>"
            return
        }
        out += ">"
        if let text { out += SVGMap.escape(text) }
        for child in children { child.write(into: &out) }
        out += "</" + name + ">"
    }
}
