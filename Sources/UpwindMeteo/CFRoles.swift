import Foundation
import UpwindCore

/// How a CF file's variables are tied to `MetRole`s (the *Reading meteorology* article in Upwind's documentation): the
/// tables of standard names, well-known names and long_name phrases, and the choice of one
/// variable per role. The rules and their order are documented on ``MetRoleMatch``.
extension CFFile {
    // MARK: - Tables

    /// A well-known variable name (matched case-insensitively).
    struct KnownName: Sendable {
        /// The name as usually spelled.
        var name: String
        /// The role it plays; nil for a name that is known to be something else (`MSLP`).
        var role: MetRole?
        /// The units the name implies when the variable has no `units` attribute (HYSPLIT's
        /// ARL units for the ARL names); nil when an absent `units` means the role's normalised units.
        var impliedUnits: String? = nil
    }

    /// Well-known names, after CF attributes. Add a product's names here (one entry per
    /// spelling; case does not matter). Each name may appear once.
    static let knownNames: [KnownName] = {
        func names(_ role: MetRole, _ list: [String]) -> [KnownName] { list.map { KnownName(name: $0, role: role) } }
        var table: [KnownName] = []
        table += names(.u, ["u", "ugrd", "ua", "uas", "u-component_of_wind_isobaric", "UGRD_P0_L100_GLL0", "u_wind", "U_GRD"])
        table += names(.v, ["v", "vgrd", "va", "vas", "v-component_of_wind_isobaric", "VGRD_P0_L100_GLL0", "v_wind", "V_GRD"])
        table += names(.w, ["w", "omega", "vvel", "wap", "wa", "Vertical_velocity_pressure_isobaric", "VVEL_P0_L100_GLL0"])
        table += names(.geopotential, ["z", "phi", "geopotential"])
        table += names(.geopotentialHeight, ["hgt", "gh", "zg", "Geopotential_height_isobaric", "HGT_P0_L100_GLL0", "geopotential_height", "height"])
        table += names(.temperature, ["t", "air", "ta", "tmp", "Temperature_isobaric", "TMP_P0_L100_GLL0"])
        table += names(.surfacePressure, ["sp", "ps", "psfc", "PRES_surface", "Pressure_surface", "pres", "pressfc"])
        table += names(.orography, ["orog", "orography", "zs", "oro", "HGT_surface", "hgtsfc", "topo", "topography", "elevation"])
        table += names(.boundaryLayerHeight, ["blh", "hpbl", "zmla", "Planetary_Boundary_Layer_Height_surface", "MXHT"])
        table += names(.specificHumidity, ["q", "shum", "hus", "spfh", "QVAPOR"])
        table += names(.relativeHumidity, ["r", "rhum", "hur", "rh", "Relative_humidity_isobaric"])
        // HYSPLIT's ARL names with their ARL meanings and units (HYSPLIT User's Guide, "ARL data format").
        table += [
            KnownName(name: "UWND", role: .u, impliedUnits: "m s-1"), KnownName(name: "VWND", role: .v, impliedUnits: "m s-1"),
            KnownName(name: "WWND", role: .w, impliedUnits: "hPa s-1"), KnownName(name: "HGTS", role: .geopotentialHeight, impliedUnits: "m"),
            KnownName(name: "TEMP", role: .temperature, impliedUnits: "K"), KnownName(name: "PRSS", role: .surfacePressure, impliedUnits: "hPa"),
            KnownName(name: "SHGT", role: .orography, impliedUnits: "m"), KnownName(name: "PBLH", role: .boundaryLayerHeight, impliedUnits: "m"),
            KnownName(name: "RELH", role: .relativeHumidity, impliedUnits: "%"), KnownName(name: "SPHU", role: .specificHumidity, impliedUnits: "kg kg-1"),
            KnownName(name: "U10M", role: .u, impliedUnits: "m s-1"), KnownName(name: "V10M", role: .v, impliedUnits: "m s-1"),
            KnownName(name: "T02M", role: .temperature, impliedUnits: "K"), KnownName(name: "MSLP", role: nil, impliedUnits: "hPa"),
        ]
        return table
    }()

    /// ``knownNames`` by lower-cased name.
    static let knownNamesByKey: [String: KnownName] = Dictionary(knownNames.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })

    /// The CF standard names of each role.
    static let roleStandardNames: [MetRole: Set<String>] = [
        .u: ["eastward_wind", "x_wind"],
        .v: ["northward_wind", "y_wind"],
        .w: ["lagrangian_tendency_of_air_pressure", "omega", "upward_air_velocity", "vertical_air_velocity_expressed_as_tendency_of_pressure"],
        .geopotential: ["geopotential"],
        .geopotentialHeight: ["geopotential_height"],
        .temperature: ["air_temperature"],
        .surfacePressure: ["surface_air_pressure", "surface_pressure"],
        .orography: ["surface_altitude", "surface_geopotential", "height_above_mean_sea_level_of_surface", "surface_geopotential_height"],
        .boundaryLayerHeight: ["atmosphere_boundary_layer_thickness", "planetary_boundary_layer_height"],
        .specificHumidity: ["specific_humidity"],
        .relativeHumidity: ["relative_humidity"],
    ]

    /// A `long_name` phrase (normalised, see ``normalisedLongName(_:)``) and its role; the list
    /// is the one documented on ``MetRoleMatch/longName``.
    struct LongNamePhrase: Sendable {
        var phrase: String
        var role: MetRole
        /// True when the phrase says the wind is earth-relative (eastward, zonal, …).
        var earthRelative = false
    }

    /// The long_name phrases of each role (the third rule).
    static let longNamePhrases: [String: LongNamePhrase] = {
        func phrases(_ role: MetRole, _ list: [String], earthRelative: Bool = false) -> [LongNamePhrase] {
            list.map { LongNamePhrase(phrase: $0, role: role, earthRelative: earthRelative) }
        }
        var all: [LongNamePhrase] = []
        all += phrases(.u, ["eastward wind", "eastward wind component", "zonal wind", "zonal wind component"], earthRelative: true)
        all += phrases(.u, ["u component of wind", "u wind component", "u wind", "u component", "x wind", "x wind component"])
        all += phrases(.v, ["northward wind", "northward wind component", "meridional wind", "meridional wind component"], earthRelative: true)
        all += phrases(.v, ["v component of wind", "v wind component", "v wind", "v component", "y wind", "y wind component"])
        all += phrases(.w, ["omega", "vertical velocity", "pressure vertical velocity", "vertical pressure velocity",
                            "lagrangian tendency of air pressure", "upward air velocity", "geometric vertical velocity"])
        all += phrases(.geopotential, ["geopotential"])
        all += phrases(.geopotentialHeight, ["geopotential height"])
        all += phrases(.temperature, ["temperature", "air temperature"])
        all += phrases(.surfacePressure, ["surface pressure", "surface air pressure", "pressure at surface"])
        all += phrases(.orography, ["orography", "surface altitude", "surface height", "terrain height", "surface terrain height",
                                    "topography", "surface geopotential"])
        all += phrases(.boundaryLayerHeight, ["boundary layer height", "planetary boundary layer height", "boundary layer depth",
                                              "atmosphere boundary layer thickness", "mixed layer depth", "mixing height"])
        all += phrases(.specificHumidity, ["specific humidity"])
        all += phrases(.relativeHumidity, ["relative humidity"])
        return Dictionary(all.map { ($0.phrase, $0) }, uniquingKeysWith: { a, _ in a })
    }()

    /// `long_name` lower-cased, runs of spaces, underscores and hyphens made one space, trimmed:
    /// `"U-Component_of  Wind"` → `"u component of wind"`.
    static func normalisedLongName(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" || $0 == "\t" }).joined(separator: " ")
    }

    /// The long_name phrase a variable matches, if any.
    static func longNamePhrase(_ v: CFVariable) -> LongNamePhrase? {
        v.text("long_name").flatMap { longNamePhrases[normalisedLongName($0)] }
    }

    /// The units a variable's well-known name implies for `role` when it has no `units`
    /// attribute (`WWND` → hPa s⁻¹); nil when it has units or its name implies none.
    static func impliedUnits(of v: CFVariable, role: MetRole) -> String? {
        guard v.units.isEmpty, let known = knownNamesByKey[v.name.lowercased()], known.role == role else { return nil }
        return known.impliedUnits
    }

    // MARK: - Detection

    /// The role a variable plays and the rule that found it (see ``MetRoleMatch``), before the
    /// units correct geopotential against geopotential height.
    static func detectRole(_ v: CFVariable, mapping: [MetRole: String]) -> (MetRole, MetRoleMatch)? {
        if let role = mapping.first(where: { $0.value == v.name })?.key { return (role, .map) }
        if let sn = v.standardName {
            // A standard_name outside the table says what the variable is: nothing Upwind uses
            // (GrADS' `p` is precipitation), whatever its name.
            guard let role = roleStandardNames.first(where: { $0.value.contains(sn) })?.key else { return nil }
            return mapping[role] != nil ? nil : (role, .standardName)
        }
        if let known = knownNamesByKey[v.name.lowercased()] {
            guard let role = known.role, mapping[role] == nil else { return nil }
            return (role, .name)
        }
        if let phrase = longNamePhrase(v), mapping[phrase.role] == nil { return (phrase.role, .longName) }
        return nil
    }

    /// The role after the units settle geopotential against geopotential height (ERA5's `z` is
    /// Φ in m² s⁻², NCEP's `hgt` is Z in m; either name may hold the other).
    static func unitCorrectedRole(_ role: MetRole, units: String) -> MetRole {
        if role == .geopotential, CF.isMetres(units) { return .geopotentialHeight }
        if role == .geopotentialHeight, CF.isGeopotential(units) { return .geopotential }
        return role
    }

    /// One variable per role: for each role, the candidates of the strongest rule that has
    /// any on the file's grid; among several, the one with levels for a 3-D role (the one
    /// without for a surface role) when exactly one has that shape.
    /// - Throws: ``MetError/ambiguousRole(path:role:rule:variables:)`` when two candidates
    ///   remain; layout and units errors of the chosen variable.
    static func selectRoles(path: String, variables: [CFVariable], mapping: [MetRole: String], lon: HorizontalAxis, lat: HorizontalAxis,
                            timeDimension: String?, verticals: [String: VerticalDimension]) throws -> [MetRole: RoleVariable] {
        var candidates: [MetRole: [(variable: CFVariable, match: MetRoleMatch)]] = [:]
        for v in variables where !v.isCoordinate {
            guard let (detected, match) = detectRole(v, mapping: mapping) else { continue }
            let units = v.units.isEmpty ? (impliedUnits(of: v, role: detected) ?? "") : v.units
            candidates[unitCorrectedRole(detected, units: units), default: []].append((v, match))
        }
        var roles: [MetRole: RoleVariable] = [:]
        for role in candidates.keys.sorted() {
            let list = candidates[role] ?? []
            for rule in MetRoleMatch.allCases {
                let group = list.filter { $0.match == rule }.map(\.variable)
                guard !group.isEmpty else { continue }
                var usable: [RoleVariable] = []
                if group.count == 1 {
                    if let rv = try roleVariable(path: path, variable: group[0], role: role, lon: lon, lat: lat,
                                                 timeDimension: timeDimension, verticals: verticals, strict: rule == .map) {
                        usable.append(rv)
                    }
                } else {
                    // Several: the ones on the grid compete; a layout error counts only when none is.
                    var firstError: (any Error)?
                    for v in group {
                        do {
                            if let rv = try roleVariable(path: path, variable: v, role: role, lon: lon, lat: lat,
                                                         timeDimension: timeDimension, verticals: verticals, strict: rule == .map) {
                                usable.append(rv)
                            }
                        } catch {
                            firstError = firstError ?? error
                        }
                    }
                    if usable.isEmpty, let firstError { throw firstError }
                }
                guard !usable.isEmpty else { continue }
                if usable.count > 1 {
                    let shaped = usable.filter { $0.hasLevels == role.isThreeDimensional }
                    guard shaped.count == 1 else {
                        let names = (shaped.isEmpty ? usable : shaped).map(\.variable.name)
                        throw MetError.ambiguousRole(path: path, role: role.rawValue, rule: rule.rawValue, variables: names)
                    }
                    usable = shaped
                }
                var rv = usable[0]
                rv.matchedBy = rule
                try setConversion(path: path, &rv)
                roles[role] = rv
                break
            }
        }
        return roles
    }
}
