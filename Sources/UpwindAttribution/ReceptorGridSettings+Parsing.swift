/// Parsers for the CLI text of the receptor-grid options (issue 10 item 3); each throws
/// ``ReceptorGridError/unparsable(setting:text:expected:)`` naming the text it could not read.
extension ReceptorGridSettings {
    /// Parses a weighting: `openair`, `trajstat`, `none`, `relative:T1,T2,T3:W0,W1,W2,W3` or
    /// `absolute:T1,T2,T3:W0,W1,W2,W3` (thresholds highest first; any number k ≥ 1 of thresholds
    /// with k + 1 weights), e.g. `relative:2,1,0.5:1,0.75,0.5,0.15`.
    /// - Parameter text: the text.
    /// - Returns: the weighting, its tier table checked (``GridWeights/validate(setting:)``).
    /// - Throws: ``ReceptorGridError/unparsable(setting:text:expected:)`` or, for a well-formed
    ///   but unusable table, ``ReceptorGridError/invalidSetting(setting:value:requirement:)``.
    public static func parseWeights(_ text: String) throws(ReceptorGridError) -> GridWeights {
        let expected = "openair, trajstat, none, relative:T1,T2,…:W0,W1,… or absolute:T1,T2,…:W0,W1,…"
        let t = text.trimmingWhitespace()
        switch t.lowercased() {
        case "openair": return .openair
        case "trajstat": return .trajstat
        case "none": return .none
        default: break
        }
        let parts = t.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { throw .unparsable(setting: "weights", text: text, expected: expected) }
        func numbers(_ s: String) throws(ReceptorGridError) -> [Double] {
            var out: [Double] = []
            for item in s.split(separator: ",", omittingEmptySubsequences: false) {
                guard let x = Double(String(item).trimmingWhitespace()) else {
                    throw .unparsable(setting: "weights", text: text, expected: "numbers separated by commas, not \"\(item)\"")
                }
                out.append(x)
            }
            return out
        }
        let thresholds = try numbers(parts[1]), weights = try numbers(parts[2])
        let w: GridWeights
        switch parts[0].lowercased() {
        case "relative": w = .relative(thresholds: thresholds, weights: weights)
        case "absolute": w = .absolute(thresholds: thresholds, weights: weights)
        default: throw .unparsable(setting: "weights", text: text, expected: expected)
        }
        try w.validate(setting: "weights")
        return w
    }

    /// Parses a criterion: `p75`, `p90` (any `pP` with 0 ≤ P ≤ 100) or a value (`75`, `-0.5`).
    /// - Parameter text: the text.
    /// - Returns: the criterion.
    /// - Throws: ``ReceptorGridError/unparsable(setting:text:expected:)``.
    public static func parseCriterion(_ text: String) throws(ReceptorGridError) -> Criterion {
        let t = text.trimmingWhitespace()
        if let first = t.first, first == "p" || first == "P" {
            guard let p = Double(String(t.dropFirst())), p.isFinite, p >= 0, p <= 100 else {
                throw .unparsable(setting: "criterion", text: text, expected: "p75, p90 (a percentile 0–100 after p) or a value")
            }
            return .percentile(p)
        }
        guard let v = Double(t), v.isFinite else {
            throw .unparsable(setting: "criterion", text: text, expected: "p75, p90 or a finite value")
        }
        return .value(v)
    }

    /// Parses a height limit: metres AGL (`1500`) or `mixing-depth`.
    /// - Parameter text: the text.
    /// - Returns: the limit.
    /// - Throws: ``ReceptorGridError/unparsable(setting:text:expected:)``.
    public static func parseMaxHeight(_ text: String) throws(ReceptorGridError) -> HeightLimit {
        let t = text.trimmingWhitespace()
        if t.lowercased() == "mixing-depth" { return .mixingDepth }
        guard let m = Double(t), m.isFinite, m >= 0 else {
            throw .unparsable(setting: "maxHeight", text: text, expected: "metres AGL ≥ 0 or mixing-depth")
        }
        return .metres(m)
    }

    /// Parses a residence normalisation: `trajectories`, `endpoints-per-trajectory`, `endpoints`, `max`.
    /// - Parameter text: the text.
    /// - Returns: the normalisation.
    /// - Throws: ``ReceptorGridError/unparsable(setting:text:expected:)``.
    public static func parseResidenceNormalisation(_ text: String) throws(ReceptorGridError) -> ResidenceNormalisation {
        guard let n = ResidenceNormalisation(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw .unparsable(setting: "residenceNormalisation", text: text,
                              expected: ResidenceNormalisation.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return n
    }

    /// Parses a preset name: `openair` or `trajstat`.
    /// - Parameter text: the text.
    /// - Returns: the preset.
    /// - Throws: ``ReceptorGridError/unparsable(setting:text:expected:)``.
    public static func parsePreset(_ text: String) throws(ReceptorGridError) -> Preset {
        guard let p = Preset(rawValue: text.trimmingWhitespace().lowercased()) else {
            throw .unparsable(setting: "preset", text: text, expected: "openair or trajstat")
        }
        return p
    }
}

fileprivate extension String {
    /// The string without leading and trailing spaces, tabs and newlines (no Foundation here).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}

extension ReceptorGridSettings {
    /// Settings from option texts as the CLI and the service take them: the preset's
    /// (`openair`, `trajstat`) or Upwind's defaults, then each option given overriding its part.
    /// - Parameters: each option's text, nil when not given (see the `parse…` functions);
    ///   `resolution` in degrees; `segments` and `includeAgeZero` only switch on;
    ///   `countsMissingValues` sets ``countsMissingValues`` either way when given.
    /// - Throws: ``ReceptorGridError`` naming the text it could not read, or what ``validate()`` throws.
    public init(parsingPreset preset: String?, resolution: Double? = nil, criterion: String? = nil, residenceNormalisation: String? = nil,
                pscfWeights: String? = nil, cwtWeights: String? = nil, maxHeight: String? = nil, segments: Bool = false,
                includeAgeZero: Bool = false, countsMissingValues: Bool? = nil) throws(ReceptorGridError) {
        if let preset {
            self = Self.preset(try Self.parsePreset(preset))
        } else {
            self = ReceptorGridSettings()
        }
        if let resolution { self.resolution = resolution }
        if let criterion { self.criterion = try Self.parseCriterion(criterion) }
        if let residenceNormalisation { self.residenceNormalisation = try Self.parseResidenceNormalisation(residenceNormalisation) }
        if let pscfWeights { self.pscfWeights = try Self.parseWeights(pscfWeights) }
        if let cwtWeights { self.cwtWeights = try Self.parseWeights(cwtWeights) }
        if let maxHeight { self.maxHeight = try Self.parseMaxHeight(maxHeight) }
        if segments { self.segments = true }
        if includeAgeZero { self.includeAgeZero = true }
        if let countsMissingValues { self.countsMissingValues = countsMissingValues }
        try validate()
    }
}
