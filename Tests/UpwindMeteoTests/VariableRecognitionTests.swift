import Foundation
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

/// The analytic fields of Fixtures/cdl/README.md §4: λ, φ in degrees, p in hPa, h in hours
/// since 2024-01-01T00Z; values in the roles' normalised units.
enum NamesFormula {
    static func u(_ lon: Double, _ lat: Double, _ p: Double, _ h: Double) -> Double { 4 + 0.2 * (lon - 115) - 0.1 * (lat - 32) - 0.004 * (p - 850) + 0.05 * h }
    static func v(_ lon: Double, _ lat: Double, _ p: Double, _ h: Double) -> Double { 1 + 0.1 * (lon - 115) + 0.15 * (lat - 32) + 0.002 * (p - 850) - 0.03 * h }
    /// ω, Pa s⁻¹.
    static func omega(_ lon: Double, _ lat: Double, _ p: Double, _ h: Double) -> Double { -0.05 + 0.004 * (lon - 115) + 0.003 * (lat - 32) + 0.0001 * (p - 850) + 0.001 * h }
    static func hgt(_ lon: Double, _ lat: Double, _ p: Double, _ h: Double) -> Double {
        44330.8 * (1 - Foundation.pow(p / 1013.25, 0.190263)) + 2 * (lat - 32) + (lon - 115) + 0.5 * h
    }
    static func t(_ lon: Double, _ lat: Double, _ p: Double, _ h: Double) -> Double { 220 + 0.07 * p - 0.2 * (lat - 32) + 0.05 * (lon - 115) + 0.02 * h }
    static func rh(_ lon: Double, _ lat: Double, _ p: Double, _ h: Double) -> Double { 60 + (lon - 115) - 0.5 * (lat - 32) + 0.01 * (p - 850) }
    static func q(_ lon: Double, _ lat: Double, _ p: Double, _ h: Double) -> Double { 0.008 + 0.0001 * (lon - 115) - 0.0002 * (lat - 32) + 0.00001 * (p - 850) }
    /// Surface pressure, hPa.
    static func ps(_ lon: Double, _ lat: Double, _ p: Double, _ h: Double) -> Double { (100000 + 50 * (lon - 115) - 80 * (lat - 32) + 10 * h) / 100 }
    static func orog(_ lon: Double, _ lat: Double, _ p: Double, _ h: Double) -> Double { 200 + 10 * (lon - 115) + 5 * (lat - 32) }
    static func blh(_ lon: Double, _ lat: Double, _ p: Double, _ h: Double) -> Double { 800 + 20 * (lon - 115) + 10 * (lat - 32) + 15 * h }

    /// Every role of the fixtures with its formula and the tolerance of float32 storage
    /// (plus the unit conversions: hPa s⁻¹ → Pa s⁻¹, °C → K, g kg⁻¹ → kg kg⁻¹).
    static let roles: [(role: MetRole, tolerance: Double, formula: @Sendable (Double, Double, Double, Double) -> Double)] = [
        (.u, 2e-6, u), (.v, 2e-6, v), (.w, 1e-7, omega), (.geopotentialHeight, 1e-3, hgt), (.temperature, 5e-5, t),
        (.relativeHumidity, 1e-5, rh), (.specificHumidity, 1e-9, q), (.surfacePressure, 1e-4, ps), (.orography, 1e-4, orog),
        (.boundaryLayerHeight, 1e-4, blh),
    ]
}

/// `text` with `old` replaced by `new`, recording an issue when `old` is absent.
func substituting(_ text: String, _ pairs: [(String, String)], sourceLocation: SourceLocation = #_sourceLocation) -> String {
    var out = text
    for (old, new) in pairs {
        #expect(out.contains(old), "fixture lacks '\(old)'", sourceLocation: sourceLocation)
        out = out.replacingOccurrences(of: old, with: new)
    }
    return out
}

@Suite("Variable recognition: standard_name, names (HYSPLIT ARL in capitals), long_name, unit spellings")
struct VariableRecognitionTests {
    static let hours: [Double] = [0, 12, 24]

    /// Every role of `met` holds the §4 formula.
    func expectAllRoles(_ met: MetDataset, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (role, tolerance, formula) in NamesFormula.roles {
            #expect(met.variables[role] != nil, "no \(role.rawValue)", sourceLocation: sourceLocation)
            guard met.variables[role] != nil else { continue }
            let n = try expectFormula(met, role, hours: Self.hours, tolerance: tolerance, sourceLocation: sourceLocation, formula)
            #expect(n == 3 * 9 * 12 * (role.isThreeDimensional ? 4 : 1), "\(role.rawValue): \(n) values", sourceLocation: sourceLocation)
        }
    }

    @Test("standard names: every role found by standard_name, values as the formulas")
    func standardNames() throws {
        let dir = try TemporaryDirectory()
        let met = try MetDataset(paths: [dir.ncgen("metnames_cf")])
        for (role, name) in [(MetRole.u, "u"), (.v, "v"), (.w, "w"), (.geopotentialHeight, "zg"), (.temperature, "ta"), (.surfacePressure, "ps"),
                             (.orography, "orog"), (.boundaryLayerHeight, "blh"), (.specificHumidity, "hus"), (.relativeHumidity, "hur")] {
            #expect(met.variables[role]?.name == name && met.variables[role]?.matchedBy == .standardName, "\(role.rawValue): \(String(describing: met.variables[role]))")
            #expect(met.variables[role]?.unitsAssumed == false)
        }
        #expect(met.verticalVelocity == .omega)
        try expectAllRoles(met)
    }

    @Test("HYSPLIT ARL names in capitals: ARL meanings and units (WWND hPa/s, PRSS hPa) without units attributes; 3-D beats 10 m; MSLP unused")
    func arlNames() throws {
        let dir = try TemporaryDirectory()
        let met = try MetDataset(paths: [dir.ncgen("metnames_arl")])
        for (role, name) in [(MetRole.u, "UWND"), (.v, "VWND"), (.w, "WWND"), (.geopotentialHeight, "HGTS"), (.temperature, "TEMP"),
                             (.surfacePressure, "PRSS"), (.orography, "SHGT"), (.boundaryLayerHeight, "PBLH"), (.specificHumidity, "SPHU"),
                             (.relativeHumidity, "RELH")] {
            #expect(met.variables[role]?.name == name && met.variables[role]?.matchedBy == .name, "\(role.rawValue): \(String(describing: met.variables[role]))")
        }
        // No units attribute: the ARL units are assumed and reported.
        #expect(met.variables[.w]?.units == "hPa s-1" && met.variables[.w]?.unitsAssumed == true)
        #expect(met.variables[.surfacePressure]?.units == "hPa" && met.variables[.surfacePressure]?.unitsAssumed == true)
        #expect(met.variables[.u]?.units == "m s-1" && met.variables[.u]?.unitsAssumed == true)
        #expect(met.variables[.specificHumidity]?.units == "kg/kg" && met.variables[.specificHumidity]?.unitsAssumed == false)
        #expect(met.verticalVelocity == .omega)
        #expect(!met.variables.values.contains { ["MSLP", "U10M", "V10M", "T02M"].contains($0.name) })
        #expect(met.vertical == VerticalAxis(kind: .pressure, levels: [1000, 850, 700, 500]))
        // Values: WWND (hPa/s) ×100 is ω in Pa/s; PRSS is hPa.
        try expectAllRoles(met)
    }

    @Test("long_name only (ZONAL WIND, northward_wind, Geopotential_Height, …) with units M/S, meters/second, hPa/s, gpm, degC, g/kg")
    func longNames() throws {
        let dir = try TemporaryDirectory()
        let met = try MetDataset(paths: [dir.ncgen("metnames_longname")])
        for (role, name) in [(MetRole.u, "var131"), (.v, "var132"), (.w, "var135"), (.geopotentialHeight, "var7"), (.temperature, "var130"),
                             (.surfacePressure, "var134"), (.orography, "var129"), (.boundaryLayerHeight, "var159"), (.specificHumidity, "var133"),
                             (.relativeHumidity, "var52")] {
            #expect(met.variables[role]?.name == name && met.variables[role]?.matchedBy == .longName, "\(role.rawValue): \(String(describing: met.variables[role]))")
        }
        #expect(met.variables[.u]?.units == "M/S")
        try expectAllRoles(met)
    }

    @Test("the long_name phrases normalise case, spaces, underscores and hyphens")
    func longNameNormalisation() {
        for text in ["ZONAL WIND", "zonal_wind", "Zonal-Wind", "  zonal  _- wind "] {
            #expect(CFFile.normalisedLongName(text) == "zonal wind", "\(text)")
            #expect(CFFile.longNamePhrases[CFFile.normalisedLongName(text)]?.role == .u)
        }
        #expect(CFFile.longNamePhrases[CFFile.normalisedLongName("u-component of wind")]?.role == .u)
        #expect(CFFile.longNamePhrases[CFFile.normalisedLongName("eastward_wind")]?.earthRelative == true)
        // Not a phrase: a 10 m wind, or a product's own wording, needs a name or a mapping.
        #expect(CFFile.longNamePhrases[CFFile.normalisedLongName("10 metre U wind component")] == nil)
        #expect(CFFile.longNamePhrases[CFFile.normalisedLongName("4xDaily U-wind")] == nil)
    }

    @Test("the name and phrase tables hold each key once, and every ARL name of methods.md §11 is known")
    func tables() {
        let names = CFFile.knownNames.map { $0.name.lowercased() }
        #expect(Set(names).count == names.count, "duplicate names: \(Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())")
        for (arl, role) in [("UWND", MetRole.u), ("VWND", .v), ("WWND", .w), ("HGTS", .geopotentialHeight), ("TEMP", .temperature),
                            ("PRSS", .surfacePressure), ("SHGT", .orography), ("PBLH", .boundaryLayerHeight), ("RELH", .relativeHumidity),
                            ("SPHU", .specificHumidity), ("U10M", .u), ("V10M", .v), ("T02M", .temperature)] {
            #expect(CFFile.knownNamesByKey[arl.lowercased()]?.role == role, "\(arl)")
            #expect(CFFile.knownNamesByKey[arl.lowercased()]?.impliedUnits != nil, "\(arl) has no ARL units")
        }
        #expect(CFFile.knownNamesByKey["mslp"] != nil && CFFile.knownNamesByKey["mslp"]?.role == nil)
    }

    @Test("on a projected grid, winds named by an eastward/northward long_name are earth-relative, by u/v component grid-relative")
    func projectedLongNameWinds() throws {
        let dir = try TemporaryDirectory()
        let base = try Fixtures.cdl("projected_lcc_float32")
        for (uPhrase, vPhrase, gridRelative) in [("eastward wind", "northward wind", false), ("Zonal wind", "Meridional wind", false),
                                                 ("u-component of wind", "v-component of wind", true)] {
            let cdl = substituting(base, [("u:standard_name = \"eastward_wind\"", "u:long_name = \"\(uPhrase)\""),
                                          ("v:standard_name = \"northward_wind\"", "v:long_name = \"\(vPhrase)\"")])
            let met = try MetDataset(paths: [dir.ncgen("projected_lcc_float32", as: "\(gridRelative)-\(uPhrase).nc", cdl: cdl)])
            // `u`/`v` are found by name (the stronger rule); their long_name still says which axes the winds follow.
            #expect(met.variables[.u]?.matchedBy == .name && met.variables[.v]?.matchedBy == .name)
            #expect(met.gridRelativeWinds == gridRelative, "\(uPhrase): gridRelativeWinds \(met.gridRelativeWinds)")
        }
    }

    @Test("unit spellings compare equal after normalisation")
    func canonicalUnits() {
        let groups: [[String]] = [
            ["M/S", "m/s", "m s**-1", "meters/second", "m s-1", "m.s-1", "m s^-1", "m·s⁻¹", "metres per second", "m*s-1", "meter second-1", "m sec-1"],
            ["Pa/s", "Pa s-1", "Pa s**-1", "Pascal/s", "pascals/second", "Pa.s-1", "Pa s^-1"],
            ["hPa/s", "hPa s-1", "mb/s", "millibar s-1", "mbar s**-1", "hectopascals/second"],
            ["m2/s2", "m**2 s**-2", "m^2/s^2", "m2 s-2", "m2.s-2", "m²/s²", "m2s-2"],
            ["K", "k", "degK", "deg K", "Kelvin", "degrees_K"],
            ["degC", "deg C", "°C", "degree_Celsius", "degrees Celsius", "C"],
            ["kg/kg", "kg kg-1", "kg kg**-1", "kg.kg-1", "kilogram/kilogram"],
            ["%", "percent"],
            ["m", "meters", "metre", "M"],
        ]
        var seen: [String: Int] = [:]
        for (g, group) in groups.enumerated() {
            let forms = Set(group.map(CF.canonicalUnits))
            #expect(forms.count == 1, "\(group) → \(forms)")
            for f in forms {
                #expect(seen[f] == nil, "\(f) shared by groups \(seen[f] ?? -1) and \(g)")
                seen[f] = g
            }
        }
        #expect(CF.speedToMetresPerSecond("meters/second") == 1 && CF.speedToMetresPerSecond("knots") == 0.514444)
        #expect(CF.omegaToPaPerSecond("mb/s") == 100 && CF.omegaToPaPerSecond("Pascal/s") == 1)
        #expect(CF.pressureToHPa("Pa") == 0.01 && CF.pressureToHPa("millibars") == 1)
        #expect(CF.isGeopotential("m**2 s**-2") && CF.isGeopotential("J/kg") && CF.isMetres("gpm") && CF.isMetres("geopotential metres"))
        #expect(CF.temperatureToKelvin("°C").map { $0 == (1, 273.15) } == true && CF.temperatureToKelvin("degK").map { $0 == (1, 0) } == true)
        #expect(CF.speedToMetresPerSecond("furlongs/fortnight") == nil && CF.omegaToPaPerSecond("m/s") == nil)
    }

    @Test("wind units spelled each way give the same values", arguments: [
        "M/S", "m/s", "m s**-1", "meters/second", "m s-1", "m.s-1", "m s^-1", "m·s⁻¹", "metres per second",
    ])
    func windUnitSpellings(units: String) throws {
        let dir = try TemporaryDirectory()
        let cdl = substituting(try Fixtures.cdl("metnames_cf"), [("u:units = \"m s-1\"", "u:units = \"\(units)\""), ("v:units = \"m s-1\"", "v:units = \"\(units)\"")])
        let met = try MetDataset(paths: [dir.ncgen("metnames_cf", cdl: cdl)])
        #expect(met.variables[.u]?.units == units)
        try expectFormula(met, .u, hours: Self.hours, tolerance: 2e-6, NamesFormula.u)
        try expectFormula(met, .v, hours: Self.hours, tolerance: 2e-6, NamesFormula.v)
    }

    @Test("ω units: Pa/s spellings keep the values, hPa/s spellings multiply them by 100", arguments: [
        ("Pa/s", 1.0), ("Pa s**-1", 1), ("Pascal/s", 1), ("Pa.s-1", 1), ("hPa/s", 100), ("mb/s", 100), ("millibar s-1", 100), ("hPa s^-1", 100),
    ])
    func omegaUnitSpellings(units: String, factor: Double) throws {
        let dir = try TemporaryDirectory()
        let cdl = substituting(try Fixtures.cdl("metnames_cf"), [("w:units = \"Pa s-1\"", "w:units = \"\(units)\"")])
        let met = try MetDataset(paths: [dir.ncgen("metnames_cf", cdl: cdl)])
        #expect(met.verticalVelocity == .omega)
        try expectFormula(met, .w, hours: Self.hours, tolerance: 1e-7 * factor) { factor * NamesFormula.omega($0, $1, $2, $3) }
    }

    @Test("geopotential_height given in m2/s2 spellings is read as geopotential", arguments: ["m2/s2", "m**2 s**-2", "m^2/s^2", "J/kg"])
    func geopotentialUnitSpellings(units: String) throws {
        let dir = try TemporaryDirectory()
        let cdl = substituting(try Fixtures.cdl("metnames_cf"), [("zg:units = \"m\"", "zg:units = \"\(units)\"")])
        let met = try MetDataset(paths: [dir.ncgen("metnames_cf", cdl: cdl)])
        #expect(met.variables[.geopotential]?.name == "zg" && met.variables[.geopotentialHeight] == nil)
        try expectFormula(met, .geopotential, hours: Self.hours, tolerance: 1e-3, NamesFormula.hgt)
    }

    @Test("units present but not the role's: an error naming the file, variable, units and expected units")
    func wrongUnits() throws {
        let dir = try TemporaryDirectory()
        let cases: [(fixture: String, old: String, new: String, variable: String, units: String, expected: String)] = [
            ("metnames_cf", "u:units = \"m s-1\"", "u:units = \"furlongs/fortnight\"", "u", "furlongs/fortnight", "m s-1"),
            ("metnames_longname", "var130:units = \"degC\"", "var130:units = \"degF\"", "var130", "degF", "K or degC"),
            ("metnames_arl", "SPHU:units = \"kg/kg\"", "SPHU:units = \"ppmv\"", "SPHU", "ppmv", "kg kg-1"),
            ("metnames_cf", "w:units = \"Pa s-1\"", "w:units = \"Pa\"", "w", "Pa", "Pa s-1"),
        ]
        for c in cases {
            let path = try dir.ncgen(c.fixture, as: "\(c.variable).nc", cdl: substituting(try Fixtures.cdl(c.fixture), [(c.old, c.new)]))
            do {
                _ = try MetDataset(paths: [path])
                Issue.record("\(c.variable) with units \(c.units) was accepted")
            } catch let error as MetError {
                guard case .unsupportedUnits(let p, let variable, let units, let expected) = error else {
                    Issue.record("\(c.variable): \(error)")
                    continue
                }
                #expect(p == path && variable == c.variable && units == c.units && expected.hasPrefix(c.expected), "\(error)")
                #expect(error.description.contains("'\(c.variable)'") && error.description.contains(c.units))
            }
        }
    }

    /// Opens `cdl` and returns the ambiguity error it must raise.
    func ambiguity(_ dir: TemporaryDirectory, _ name: String, _ cdl: String) throws -> (path: String, error: MetError)? {
        let path = try dir.ncgen(name, cdl: cdl)
        do {
            _ = try MetDataset(paths: [path])
            Issue.record("\(name) opened")
            return nil
        } catch let error as MetError {
            return (path, error)
        }
    }

    @Test("two candidates for one role by the same rule: an error naming both, never a silent pick")
    func ambiguousRoles() throws {
        let dir = try TemporaryDirectory()
        let cases: [(name: String, cdl: String, rule: String, variables: [String])] = [
            ("two_standard", substituting(try Fixtures.cdl("metnames_cf"), [("v:standard_name = \"northward_wind\"", "v:standard_name = \"eastward_wind\"")]),
             "standard_name", ["u", "v"]),
            // Names match case-insensitively: UWND and uwnd are both u.
            ("two_names", substituting(try Fixtures.cdl("metnames_arl"), [("VWND", "uwnd")]), "name", ["UWND", "uwnd"]),
            ("two_long_names", substituting(try Fixtures.cdl("metnames_longname"), [("\"northward_wind\"", "\"Zonal_Wind\"")]), "long_name", ["var131", "var132"]),
        ]
        for c in cases {
            guard let (path, error) = try ambiguity(dir, c.name, c.cdl) else { continue }
            guard case .ambiguousRole(let p, let role, let rule, let variables) = error else {
                Issue.record("\(c.name): \(error)")
                continue
            }
            #expect(p == path && role == "u" && rule == c.rule && variables == c.variables, "\(error)")
            #expect(c.variables.allSatisfy { error.description.contains("'\($0)'") } && error.description.contains("--map u="), "\(error)")
        }
        // A mapping settles it.
        let path = try dir.ncgen("two_names", as: "mapped.nc", cdl: substituting(try Fixtures.cdl("metnames_arl"), [("VWND", "uwnd")]))
        let met = try MetDataset(paths: [path], mapping: MetVariableMapping([.u: "UWND", .v: "uwnd"]))
        #expect(met.variables[.u]?.name == "UWND" && met.variables[.u]?.matchedBy == .map)
        #expect(met.variables[.v]?.name == "uwnd" && met.variables[.v]?.matchedBy == .map)
        #expect(met.variables[.w]?.matchedBy == .name)
    }

    @Test("24-h trajectories on the ARL-named and long_name files equal those on the standard-name file")
    func trajectoriesAgree() throws {
        let dir = try TemporaryDirectory()
        let end = UTCTime(year: 2024, month: 1, day: 2)
        let starts = [(32.0, 115.0, 500.0), (28.0, 110.0, 1500.0), (36.0, 120.0, 3000.0)].enumerated().map { k, s in
            TrajectoryStart(site: "S\(k)", latitude: s.0, longitude: s.1, height: s.2, time: end)
        }
        func run(_ fixture: String) throws -> [Trajectory] {
            let field = try MetWindField(MetDataset(paths: [dir.ncgen(fixture)]))
            return try TrajectoryEngine(field: field, options: TrajectoryOptions(hours: -24)).run(starts).trajectories
        }
        let reference = try run("metnames_cf")
        for tr in reference {
            #expect(tr.termination.reason == .completed && tr.endpoints.count == 25, "\(tr.termination.reason)")
            let last = try #require(tr.endpoints.last)
            // The parcel moved (a wind of several m/s for a day) and stayed in the domain.
            #expect(km((tr.start.latitude, tr.start.longitude), (last.latitude, last.longitude)) > 100)
        }
        for fixture in ["metnames_arl", "metnames_longname"] {
            let other = try run(fixture)
            var worst = 0.0, worstHeight = 0.0
            for (a, b) in zip(reference, other) {
                #expect(a.endpoints.count == b.endpoints.count && b.termination.reason == .completed)
                for (p, q) in zip(a.endpoints, b.endpoints) {
                    worst = max(worst, km((p.latitude, p.longitude), (q.latitude, q.longitude)))
                    worstHeight = max(worstHeight, abs(p.heightAGL - q.heightAGL))
                }
            }
            // Same winds; only float rounding of the converted units (hPa/s, hPa, °C) differs.
            #expect(worst < 0.001 && worstHeight < 0.5, "\(fixture): \(worst) km, \(worstHeight) m from the standard-name run")
        }
    }
}
