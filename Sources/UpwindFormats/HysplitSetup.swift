import Foundation

/// A HYSPLIT `SETUP.CFG` namelist (`&SETUP name = value, … /`), parsed: the trajectory settings
/// Upwind uses, typed, and every entry as written in ``values``.
///
/// Settings used (defaults are HYSPLIT's; see the *Trajectory integration* article in Upwind's documentation):
/// - `tratio` (0.75): the largest fraction of a grid cell crossed per step, in (0, 1].
/// - `delt` (0.0), minutes: 0 = the TRATIO rule; > 0 = a fixed step, a whole number of minutes
///   dividing 60 (``fixedStepMinutes``); < 0 = HYSPLIT's "minimum step |delt|", which Upwind does
///   not have: the TRATIO rule is used (steps of 1–60 min) and |delt| is kept in
///   ``minimumStepMinutes`` for the caller to report.
/// - `kmsl` (0): 1 = start heights are metres above mean sea level, 0 = above ground.
/// - `tout` (60): minutes between endpoints.
/// - `tm_pres`, `tm_tpot`, `tm_tamb`, `tm_rain`, `tm_mixd`, `tm_relh`, `tm_sphu`, `tm_mixr`,
///   `tm_terr`, `tm_dswf` (0 or 1): the tdump diagnostic columns (``diagnosticLabels``).
///   `PRESSURE` is always written first, whatever `tm_pres` says, as HYSPLIT does.
///
/// Every other entry (concentration settings, `khmax`, `kagl`…) is kept in ``values`` and
/// otherwise ignored. Names are case-insensitive; `!` starts a comment; values may be separated
/// by commas, blanks or line ends; the group ends at `/` or `&END`.
public struct HysplitSetup: Sendable, Equatable {
    /// The file parsed, or nil for the defaults (no SETUP.CFG).
    public var path: String?
    /// Every entry as written: lower-cased name → values (quotes removed).
    public var values: [String: [String]]
    /// The 1-based line of every entry, by lower-cased name.
    public var lines: [String: Int]
    /// TRATIO, fraction of a grid cell per step.
    public var tratio: Double
    /// DELT, minutes: 0 automatic, > 0 fixed, < 0 minimum (see the type's discussion).
    public var delt: Double
    /// KMSL: 0 start heights above ground, 1 above mean sea level.
    public var kmsl: Int
    /// TOUT, minutes between trajectory endpoints.
    public var tout: Int
    /// The `tm_*` switches turned on (value 1), lower-cased, e.g. `["tm_pres", "tm_terr"]`.
    public var diagnosticSwitches: Set<String>

    /// The `tm_*` switch of every tdump diagnostic label, in HYSPLIT's column order after `PRESSURE`.
    public static let switchLabels: [(name: String, label: String)] = [
        ("tm_tpot", "THETA"), ("tm_tamb", "AIR_TEMP"), ("tm_rain", "RAINFALL"), ("tm_mixd", "MIXDEPTH"),
        ("tm_relh", "RELHUMID"), ("tm_sphu", "SPCHUMID"), ("tm_mixr", "H2OMIXRA"), ("tm_terr", "TERR_MSL"),
        ("tm_dswf", "SUN_FLUX"),
    ]

    /// HYSPLIT's defaults (what a run without SETUP.CFG uses).
    public init() {
        path = nil; values = [:]; lines = [:]; tratio = 0.75; delt = 0; kmsl = 0; tout = 60; diagnosticSwitches = []
    }

    /// The fixed time step in minutes (`delt` > 0), or nil for the TRATIO rule.
    public var fixedStepMinutes: Int? { delt > 0 ? Int(delt) : nil }

    /// HYSPLIT's minimum time step |`delt`| in minutes when `delt` < 0 (not applied by Upwind), else nil.
    public var minimumStepMinutes: Double? { delt < 0 ? -delt : nil }

    /// True when start heights are above mean sea level (`kmsl = 1`).
    public var heightsAreMSL: Bool { kmsl == 1 }

    /// The tdump diagnostic labels: `PRESSURE`, then the labels whose `tm_*` switch is on, in
    /// HYSPLIT's order (`THETA AIR_TEMP RAINFALL MIXDEPTH RELHUMID SPCHUMID H2OMIXRA TERR_MSL SUN_FLUX`).
    public var diagnosticLabels: [String] {
        ["PRESSURE"] + Self.switchLabels.filter { diagnosticSwitches.contains($0.name) }.map(\.label)
    }

    /// Reads and parses the SETUP.CFG at `path`.
    /// - Throws: ``HysplitControlError``.
    public static func read(path: String) throws -> HysplitSetup {
        try parse(try HysplitText.read(path: path), path: path)
    }

    /// Parses SETUP.CFG text; `path` names the file in errors.
    /// - Throws: ``HysplitControlError/badNamelist(path:line:reason:)`` for text that is not a
    ///   `&SETUP` namelist, ``HysplitControlError/badNumber(path:line:field:text:hint:)`` and
    ///   ``HysplitControlError/badValue(path:line:field:reason:)`` for the settings Upwind uses.
    public static func parse(_ text: String, path: String = "SETUP.CFG") throws -> HysplitSetup {
        let tokens = try tokenize(text, path: path)
        guard let open = tokens.firstIndex(where: { $0.kind == .word && ["&setup", "$setup"].contains($0.text.lowercased()) }) else {
            throw HysplitControlError.badNamelist(path: path, line: tokens.first?.line ?? 1, reason: "no '&SETUP' group found")
        }
        var setup = HysplitSetup()
        setup.path = path
        var i = open + 1
        var closed = false
        while i < tokens.count {
            let token = tokens[i]
            if token.kind == .end || (token.kind == .word && ["&end", "$end"].contains(token.text.lowercased())) { closed = true; break }
            if token.kind == .comma { i += 1; continue }
            guard token.kind == .word, i + 1 < tokens.count, tokens[i + 1].kind == .equals else {
                throw HysplitControlError.badNamelist(path: path, line: token.line, reason: "expected 'name = value' but found '\(token.text)'")
            }
            let name = token.text.lowercased()
            var items: [String] = []
            i += 2
            while i < tokens.count {
                let t = tokens[i]
                if t.kind == .end || t.kind == .equals { break }
                if t.kind == .word && i + 1 < tokens.count && tokens[i + 1].kind == .equals { break }
                if t.kind == .word && ["&end", "$end"].contains(t.text.lowercased()) { break }
                if t.kind != .comma {
                    // Fortran repeat counts `n*value`: keep the value.
                    if t.kind == .word, let star = t.text.firstIndex(of: "*"), Int(t.text[..<star]) != nil {
                        items.append(String(t.text[t.text.index(after: star)...]))
                    } else {
                        items.append(t.text)
                    }
                }
                i += 1
            }
            guard !items.isEmpty else {
                throw HysplitControlError.badNamelist(path: path, line: token.line, reason: "'\(token.text) =' has no value")
            }
            setup.values[name] = items
            setup.lines[name] = token.line
        }
        guard closed else {
            throw HysplitControlError.badNamelist(path: path, line: tokens.last?.line ?? 1, reason: "the &SETUP group does not end with '/'")
        }
        try setup.applyValues()
        return setup
    }

    /// Sets the typed settings from ``values``.
    mutating func applyValues() throws {
        let path = self.path ?? "SETUP.CFG"
        func real(_ name: String, hint: String) throws -> Double? {
            guard let text = values[name]?.first else { return nil }
            guard let v = HysplitText.real(text) else {
                throw HysplitControlError.badNumber(path: path, line: lines[name] ?? 0, field: name, text: text, hint: hint)
            }
            return v
        }
        func whole(_ name: String, hint: String) throws -> Int? {
            guard let v = try real(name, hint: hint) else { return nil }
            guard v == v.rounded(), abs(v) < 1e9 else {
                throw HysplitControlError.badNumber(path: path, line: lines[name] ?? 0, field: name, text: values[name]?.first ?? "", hint: hint)
            }
            return Int(v)
        }
        if let v = try real("tratio", hint: "a fraction of a grid cell, e.g. tratio = 0.75") {
            guard v > 0, v <= 1 else {
                throw HysplitControlError.badValue(path: path, line: lines["tratio"] ?? 0, field: "tratio", reason: "\(v) is outside (0, 1]; HYSPLIT's default is 0.75")
            }
            tratio = v
        }
        if let v = try real("delt", hint: "minutes, e.g. delt = 0.0 (automatic) or delt = 10.0") {
            if v > 0 {
                guard v == v.rounded(), v <= 60, 60.0.truncatingRemainder(dividingBy: v) == 0 else {
                    throw HysplitControlError.badValue(path: path, line: lines["delt"] ?? 0, field: "delt",
                                                       reason: "a fixed step of \(v) min must be whole minutes dividing 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60); or 0 for the TRATIO rule")
                }
            }
            delt = v
        }
        if let v = try whole("kmsl", hint: "kmsl = 0 (heights above ground) or 1 (above mean sea level)") {
            guard v == 0 || v == 1 else {
                throw HysplitControlError.badValue(path: path, line: lines["kmsl"] ?? 0, field: "kmsl", reason: "\(v) is not supported; use 0 (start heights above ground) or 1 (above mean sea level)")
            }
            kmsl = v
        }
        if let v = try whole("tout", hint: "whole minutes between endpoints, e.g. tout = 60") {
            guard v >= 1 else {
                throw HysplitControlError.badValue(path: path, line: lines["tout"] ?? 0, field: "tout", reason: "\(v) min; give at least 1 minute (HYSPLIT's default is 60)")
            }
            tout = v
        }
        for name in ["tm_pres"] + Self.switchLabels.map(\.name) {
            guard let v = try whole(name, hint: "\(name) = 0 (off) or 1 (on)") else { continue }
            guard v == 0 || v == 1 else {
                throw HysplitControlError.badValue(path: path, line: lines[name] ?? 0, field: name, reason: "\(v); use 0 (off) or 1 (on)")
            }
            if v == 1 { diagnosticSwitches.insert(name) } else { diagnosticSwitches.remove(name) }
        }
    }

    struct Token {
        enum Kind { case word, equals, comma, end }
        var kind: Kind
        var text: String
        var line: Int
    }

    /// Splits namelist text into words (quoted strings unquoted), `=`, `,` and the `/` terminator.
    static func tokenize(_ text: String, path: String) throws -> [Token] {
        var tokens: [Token] = []
        var line = 1
        var word = ""
        var wordLine = 1
        var quote: Character?
        var quoteLine = 1
        var inComment = false
        func flush() {
            if !word.isEmpty { tokens.append(Token(kind: .word, text: word, line: wordLine)); word = "" }
        }
        for c in text {
            if c == "\n" || c == "\r\n" {
                if quote == nil { flush() }
                inComment = false
                line += 1
                if quote != nil { word.append(" ") }
                continue
            }
            if inComment { continue }
            if let q = quote {
                if c == q { quote = nil; tokens.append(Token(kind: .word, text: word, line: wordLine)); word = "" } else { word.append(c) }
                continue
            }
            switch c {
            case "'", "\"":
                flush(); quote = c; quoteLine = line; wordLine = line
            case "!":
                flush(); inComment = true
            case "=":
                flush(); tokens.append(Token(kind: .equals, text: "=", line: line))
            case ",":
                flush(); tokens.append(Token(kind: .comma, text: ",", line: line))
            case "/":
                flush(); tokens.append(Token(kind: .end, text: "/", line: line))
            case " ", "\t", "\r":
                flush()
            default:
                if word.isEmpty { wordLine = line }
                word.append(c)
            }
        }
        if quote != nil {
            throw HysplitControlError.badNamelist(path: path, line: quoteLine, reason: "a quoted value is never closed")
        }
        flush()
        return tokens
    }
}
