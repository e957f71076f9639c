import Foundation
import UpwindCore

/// What a met source holds, as `upwind inspect` reports it. The JSON form
/// (``json(pretty:)``) is a stable contract: keys are only ever added.
public struct MetInspection: Sendable {
    /// The dataset described.
    public let dataset: MetDataset
    /// Missing u and v values over the whole dataset, or nil when not scanned.
    public let missingValues: Int?

    /// Describes `dataset`; `scan` counts missing wind values (reads every u and v value).
    /// - Throws: ``MetError`` when scanning fails to read the data.
    public init(_ dataset: MetDataset, scan: Bool = true) throws {
        self.dataset = dataset
        missingValues = scan ? try dataset.countMissingWind() : nil
    }

    /// The inspect document as an ordered JSON value.
    public var jsonValue: JSONValue {
        let d = dataset
        let lon = AxisSummary(values: d.grid.longitudes)
        let lat = AxisSummary(values: d.grid.latitudes)
        func axis(_ a: AxisSummary, global: Bool?) -> JSONValue {
            var fields: [(String, JSONValue)] = [
                ("first", .number(a.first)), ("last", .number(a.last)), ("count", .number(Double(a.count))),
                ("step", a.step.map { .number(JSONValue.rounded($0)) } ?? .null),
            ]
            if let global { fields.append(("global", .bool(global))) }
            return .object(fields)
        }
        let stepSeconds: JSONValue
        if d.times.count >= 2 {
            let steps = zip(d.times, d.times.dropFirst()).map { $1 - $0 }
            stepSeconds = Set(steps).count == 1 ? .number(Double(steps[0])) : .null
        } else {
            stepSeconds = .null
        }
        let roles: [MetRole] = [.u, .v, .w, .geopotential, .geopotentialHeight, .temperature, .surfacePressure,
                                .orography, .boundaryLayerHeight, .specificHumidity, .relativeHumidity]
        let variables: [(String, JSONValue)] = roles.map { role in
            guard let info = d.variables[role] else { return (role.rawValue, .null) }
            var fields: [(String, JSONValue)] = [("name", .string(info.name)), ("units", .string(info.units))]
            if let kind = info.verticalVelocity { fields.append(("kind", .string(kind.rawValue))) }
            if !info.levels.isEmpty && !MetDataset.same(info.levels, d.vertical.levels) {
                fields.append(("levels", .array(info.levels.map { .number($0) })))
            }
            return (role.rawValue, .object(fields))
        }
        return .object([
            ("grid", .object([
                ("kind", .string("latlon")),
                ("longitude", axis(lon, global: d.grid.isGlobal)),
                ("latitude", axis(lat, global: nil)),
            ])),
            ("vertical", .object([
                ("kind", .string(d.vertical.kind.rawValue)),
                ("units", d.vertical.units.map { .string($0) } ?? .null),
                ("levels", .array(d.vertical.levels.map { .number($0) })),
            ])),
            ("time", .object([
                ("first", d.times.first.map { .string($0.iso8601) } ?? .null),
                ("last", d.times.last.map { .string($0.iso8601) } ?? .null),
                ("count", .number(Double(d.times.count))),
                ("step_seconds", stepSeconds),
            ])),
            ("variables", .object(variables)),
            ("missing_values", missingValues.map { .number(Double($0)) } ?? .null),
            ("files", .array(d.paths.map { .string($0) })),
        ])
    }

    /// The inspect document as JSON text.
    public func json(pretty: Bool = true) -> String { jsonValue.serialized(pretty: pretty) }

    /// A human-readable summary, one fact per line.
    public var summary: String {
        let d = dataset
        let lon = AxisSummary(values: d.grid.longitudes), lat = AxisSummary(values: d.grid.latitudes)
        func step(_ s: Double?) -> String { s.map { "step \(JSONValue.format(JSONValue.rounded($0)))°" } ?? "irregular" }
        var lines: [String] = []
        lines.append("files:      \(d.paths.count == 1 ? d.paths[0] : "\(d.paths.count) files (\(d.paths[0]) …)")")
        lines.append("grid:       lat-lon \(lon.count)×\(lat.count)")
        lines.append("longitude:  \(JSONValue.format(lon.first))…\(JSONValue.format(lon.last)) \(step(lon.step))\(d.grid.isGlobal ? ", global (wraps)" : "")")
        lines.append("latitude:   \(JSONValue.format(lat.first))…\(JSONValue.format(lat.last)) \(step(lat.step))")
        if d.vertical.kind == .surface {
            lines.append("vertical:   single level (no vertical coordinate)")
        } else {
            lines.append("vertical:   \(d.vertical.kind.rawValue), \(d.vertical.levels.count) levels [\(d.vertical.levels.map { JSONValue.format($0) }.joined(separator: ", "))] \(d.vertical.units ?? "")")
        }
        if let first = d.times.first, let last = d.times.last {
            let steps = zip(d.times, d.times.dropFirst()).map { $1 - $0 }
            let stepText = Set(steps).count == 1 ? "every \(JSONValue.format(Double(steps[0]) / 3600)) h" : (steps.isEmpty ? "one time" : "irregular steps")
            lines.append("time:       \(first.iso8601) … \(last.iso8601), \(d.times.count) times, \(stepText)")
        }
        for role in MetRole.allCases {
            guard let info = d.variables[role] else { continue }
            let kind = info.verticalVelocity.map { " (\($0 == .omega ? "omega" : "w"))" } ?? ""
            let pad = String(repeating: " ", count: max(1, 22 - role.rawValue.count))
            lines.append("  \(role.rawValue)\(pad)\(info.name) [\(info.units)]\(kind)")
        }
        let absent = MetRole.allCases.filter { d.variables[$0] == nil }.map(\.rawValue)
        if !absent.isEmpty { lines.append("absent:     \(absent.joined(separator: ", "))") }
        lines.append("missing u/v values: \(missingValues.map(String.init) ?? "not scanned")")
        return lines.joined(separator: "\n")
    }
}

/// A JSON value with ordered object keys, for stable, readable machine output.
public indirect enum JSONValue: Sendable, Equatable {
    /// `null`
    case null
    /// `true` / `false`
    case bool(Bool)
    /// A number; non-finite values are written as `null`.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object whose keys keep their order.
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized(pretty: false) == b.serialized(pretty: false) }

    /// `x` rounded to 10 significant decimals, so 0.1° steps print as 0.1.
    static func rounded(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        let scale = pow(10, 10 - log10(abs(x)).rounded(.down))
        return (x * scale).rounded() / scale
    }

    /// Shortest round-tripping text of a number; integers without a fraction.
    static func format(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// JSON text; `pretty` indents by two spaces.
    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: 0, pretty: pretty)
        return out
    }

    func write(into out: inout String, indent: Int, pretty: Bool) {
        let nl = pretty ? "\n" : ""
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let closePad = pretty ? String(repeating: "  ", count: indent) : ""
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let x): out += JSONValue.format(x)
        case .string(let s): out += JSONValue.quote(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy({ if case .number = $0 { return true } else { return false } }) {
                out += "[" + items.map { $0.serialized(pretty: false) }.joined(separator: pretty ? ", " : ",") + "]"
                return
            }
            out += "[" + nl
            for (i, item) in items.enumerated() {
                out += pad
                item.write(into: &out, indent: indent + 1, pretty: pretty)
                out += (i < items.count - 1 ? "," : "") + nl
            }
            out += closePad + "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{" + nl
            for (i, (k, v)) in fields.enumerated() {
                out += pad + JSONValue.quote(k) + (pretty ? ": " : ":")
                v.write(into: &out, indent: indent + 1, pretty: pretty)
                out += (i < fields.count - 1 ? "," : "") + nl
            }
            out += closePad + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
