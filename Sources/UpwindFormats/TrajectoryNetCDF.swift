import Foundation
import NetCDFKit
import UpwindCore

/// CF trajectory NetCDF (CF 1.11 §9, `featureType = "trajectory"`, incomplete multidimensional
/// array representation), written as NetCDF-4 and read back into `Trajectory` values.
///
/// Dimensions `trajectory` (one per trajectory; unlimited when there are none) and `obs` (the
/// largest endpoint count, at least 1). Variables:
/// - per trajectory: `trajectory_id` (string, `cf_role = "trajectory_id"`, the id as text),
///   `site` (string), `member` (int), `start_time` (double, seconds since 1970-01-01 00:00:00,
///   calendar standard), `start_latitude` (double, degrees_north), `start_longitude` (double,
///   degrees_east, as given), `start_height` (double, m), `start_height_is_msl` (byte, 0 = above
///   ground, 1 = above mean sea level), `termination` (string, `TerminationReason` raw value),
///   `termination_time` (double, seconds since 1970), `direction` (string, `forward`/`backward`),
///   `vertical_mode` (string, `VerticalMode` raw value), `met_model` (string, empty when
///   unknown), `used_standard_atmosphere` (byte), and `tdump_provenance` (string, the
///   ``TdumpProvenance`` as JSON, empty when none; present only when a trajectory has it);
/// - per endpoint `(trajectory, obs)`: `time` (double, seconds since 1970-01-01 00:00:00,
///   calendar standard), `age` (double, hours, negative backward), `latitude` (float,
///   degrees_north), `longitude` (float, degrees_east in [−180, 180)), `height_agl` (float, m),
///   `pressure` (float, hPa), and, when any endpoint has them, `terrain` (m), `temperature` (K),
///   `theta` (K), `mixing_depth` (m), `relative_humidity` (percent) (float).
///
/// Past a trajectory's last endpoint every endpoint variable holds its `_FillValue`
/// (9.96921e36, netCDF's default fill); inside a trajectory a missing value (NaN pressure, nil
/// diagnostic) is NaN. Global attributes: `Conventions = "CF-1.11"`, `featureType`, `title`,
/// `source`, `direction` and `vertical_mode` (the common value, or `mixed`), `met_model` (when
/// all agree), `history`. Values round-trip exactly for times, ages and start fields and to
/// float precision (about 7 significant digits) for positions, heights, pressure and
/// diagnostics; a NaN diagnostic reads back as nil.
///
/// Reading also accepts other writers' trajectory files: it needs `featureType = "trajectory"`,
/// a `trajectory`-like first and an `obs`-like second dimension shared by `time`, `latitude` and
/// `longitude`, and CF time units `<seconds|minutes|hours|days> since <date>`; missing
/// variables default (site `T1`…, start from the first endpoint, age from the start time,
/// height and pressure NaN, termination `completed` at the last endpoint).
public enum TrajectoryNetCDF {
    /// The `_FillValue` of the float endpoint variables (netCDF's `NC_FILL_FLOAT`).
    public static let floatFill: Float = 9.96921e36
    /// The `_FillValue` of the double endpoint variables (netCDF's `NC_FILL_DOUBLE`).
    public static let doubleFill: Double = 9.969209968386869e36
    /// The most endpoint values (trajectories × endpoints) ``read(path:)`` reads at once: 2³¹.
    public static let maxEndpointValues = 1 << 31
    /// The time units written.
    public static let timeUnits = "seconds since 1970-01-01 00:00:00"

    private static let diagnostics: [(name: String, units: String, standardName: String, value: @Sendable (EndpointDiagnostics) -> Double?)] = [
        ("terrain", "m", "surface_altitude", { $0.terrainM }),
        ("temperature", "K", "air_temperature", { $0.temperatureK }),
        ("theta", "K", "air_potential_temperature", { $0.thetaK }),
        ("mixing_depth", "m", "atmosphere_boundary_layer_thickness", { $0.mixingDepthM }),
        ("relative_humidity", "percent", "relative_humidity", { $0.relativeHumidityPct }),
    ]

    /// Writes `trajectories` to `path` (NetCDF-4) through a temporary file renamed onto `path`
    /// when complete.
    /// - Throws: ``TrajectoryOutputError``, `NetCDFError`.
    public static func write(_ trajectories: [Trajectory], to path: String) throws {
        let output = try AtomicOutputFile(path: path, staged: true)
        let nc = try NetCDFFile.create(output.stagingPath, format: .netcdf4, overwrite: true)
        do {
            try fill(nc, trajectories)
            try nc.close()
        } catch {
            try? nc.close()
            throw error
        }
        try output.commit()
    }

    /// The NetCDF-4 bytes of `trajectories` (what ``write(_:to:)`` writes), built in a temporary
    /// file that is removed afterwards.
    /// - Throws: ``TrajectoryOutputError``, `NetCDFError`.
    public static func data(_ trajectories: [Trajectory]) throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upwind-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw TrajectoryOutputError.cannotCreate(path: "<memory>", temporaryPath: folder.path, reason: "\(error)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("trajectories.nc").path
        try write(trajectories, to: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrajectoryOutputError.writeFailed(path: path, reason: "the temporary NetCDF file could not be read back")
        }
        return data
    }

    private static func fill(_ nc: NetCDFFile, _ trajectories: [Trajectory]) throws {
        let root = nc.root
        let n = trajectories.count
        let obs = max(1, trajectories.map(\.endpoints.count).max() ?? 0)
        let trajectoryDim = try root.defineDimension("trajectory", length: n > 0 ? n : nil)
        let obsDim = try root.defineDimension("obs", length: obs)

        func uniform(_ values: [String]) -> String { Set(values).count == 1 ? (values.first ?? "") : (values.isEmpty ? "" : "mixed") }
        try root.setAttribute("Conventions", .text("CF-1.11"))
        try root.setAttribute("featureType", .text("trajectory"))
        try root.setAttribute("title", .text("Upwind trajectories"))
        try root.setAttribute("source", .text("Upwind trajectory toolkit"))
        try root.setAttribute("direction", .text(uniform(trajectories.map { $0.isBackward ? "backward" : "forward" })))
        try root.setAttribute("vertical_mode", .text(uniform(trajectories.map(\.verticalMode.rawValue))))
        let models = Set(trajectories.compactMap(\.provenance.metModel))
        if models.count == 1, let model = models.first { try root.setAttribute("met_model", .text(model)) }
        try root.setAttribute("history", .text("\(UTCTime(secondsSince1970: Int64(Date().timeIntervalSince1970)).iso8601) written by upwind"))

        // Per trajectory.
        func strings(_ name: String, _ values: [String], _ attributes: [(String, String)]) throws {
            let v = try root.defineVariable(name, type: .string, dimensions: [trajectoryDim])
            for (key, value) in attributes { try v.setAttribute(key, .text(value)) }
            if n > 0 { try v.writeStrings(values, start: [0], count: [n]) }
        }
        func doubles(_ name: String, _ values: [Double], _ attributes: [(String, NetCDFAttributeValue)]) throws {
            let v = try root.defineVariable(name, type: .double, dimensions: [trajectoryDim])
            for (key, value) in attributes { try v.setAttribute(key, value) }
            if n > 0 { try v.write(values, start: [0], count: [n]) }
        }
        func flags(_ name: String, _ values: [Bool], meanings: String, longName: String) throws {
            let v = try root.defineVariable(name, type: .byte, dimensions: [trajectoryDim])
            try v.setAttribute("long_name", .text(longName))
            try v.setAttribute("flag_values", .int8([0, 1]))
            try v.setAttribute("flag_meanings", .text(meanings))
            if n > 0 { try v.write(values.map { Int8($0 ? 1 : 0) }, start: [0], count: [n]) }
        }
        let timeAttributes: [(String, NetCDFAttributeValue)] = [("units", .text(timeUnits)), ("calendar", .text("standard"))]
        try strings("trajectory_id", trajectories.map { String($0.id) }, [("cf_role", "trajectory_id"), ("long_name", "trajectory id")])
        try strings("site", trajectories.map(\.start.site), [("long_name", "site (receptor) name")])
        let member = try root.defineVariable("member", type: .int, dimensions: [trajectoryDim])
        try member.setAttribute("long_name", .text("ensemble member (0 without an ensemble)"))
        if n > 0 { try member.write(trajectories.map { Int32(clamping: $0.member) }, start: [0], count: [n]) }
        try doubles("start_time", trajectories.map { Double($0.start.time.secondsSince1970) },
                    timeAttributes + [("standard_name", .text("time")), ("long_name", .text("start (arrival for backward runs) time"))])
        try doubles("start_latitude", trajectories.map(\.start.latitude), [("units", .text("degrees_north")), ("long_name", .text("start latitude"))])
        try doubles("start_longitude", trajectories.map(\.start.longitude), [("units", .text("degrees_east")), ("long_name", .text("start longitude as given"))])
        try doubles("start_height", trajectories.map(\.start.height),
                    [("units", .text("m")), ("positive", .text("up")), ("long_name", .text("start height, above ground unless start_height_is_msl"))])
        try flags("start_height_is_msl", trajectories.map(\.start.heightIsMSL), meanings: "above_ground_level above_mean_sea_level",
                  longName: "start height reference")
        try strings("termination", trajectories.map(\.termination.reason.rawValue),
                    [("long_name", "why the trajectory ended: " + TerminationReason.allCases.map(\.rawValue).joined(separator: " "))])
        try doubles("termination_time", trajectories.map { Double($0.termination.time.secondsSince1970) },
                    timeAttributes + [("long_name", .text("time of the last valid position"))])
        try strings("direction", trajectories.map { $0.isBackward ? "backward" : "forward" }, [("long_name", "run direction")])
        try strings("vertical_mode", trajectories.map(\.verticalMode.rawValue),
                    [("long_name", "vertical motion: " + VerticalMode.allCases.map(\.rawValue).joined(separator: " "))])
        try strings("met_model", trajectories.map { $0.provenance.metModel ?? "" }, [("long_name", "met model id (empty when unknown)")])
        try flags("used_standard_atmosphere", trajectories.map(\.provenance.usedStandardAtmosphere), meanings: "false true",
                  longName: "start heights converted with the standard atmosphere")
        if trajectories.contains(where: { $0.provenance.tdump != nil }) {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let json = try trajectories.map { t -> String in
                guard let p = t.provenance.tdump else { return "" }
                return String(decoding: try encoder.encode(p), as: UTF8.self)
            }
            try strings("tdump_provenance", json, [("long_name", "HYSPLIT tdump header and per-endpoint fields as JSON, for a byte-identical tdump rewrite")])
        }

        // Per endpoint.
        let dims = [trajectoryDim, obsDim]
        let chunk = [max(1, min(max(n, 1), 65_536 / obs)), obs]
        func endpointVariable<T: NetCDFNumeric>(_ name: String, _ type: NetCDFDataType, fill: T, attributes: [(String, NetCDFAttributeValue)],
                                                 fillAttribute: NetCDFAttributeValue, value: (TrajectoryEndpoint) -> T) throws {
            let v = try root.defineVariable(name, type: type, dimensions: dims, chunking: chunk, deflateLevel: 4, shuffle: true)
            try v.setAttribute("_FillValue", fillAttribute)
            for (key, a) in attributes { try v.setAttribute(key, a) }
            guard n > 0 else { return }
            var data = [T](repeating: fill, count: n * obs)
            for (i, t) in trajectories.enumerated() {
                for (j, e) in t.endpoints.enumerated() { data[i * obs + j] = value(e) }
            }
            try v.write(data, start: [0, 0], count: [n, obs])
        }
        func doubleVariable(_ name: String, _ attributes: [(String, NetCDFAttributeValue)], _ value: (TrajectoryEndpoint) -> Double) throws {
            try endpointVariable(name, .double, fill: doubleFill, attributes: attributes, fillAttribute: .double([doubleFill]), value: value)
        }
        func floatVariable(_ name: String, _ attributes: [(String, NetCDFAttributeValue)], _ value: (TrajectoryEndpoint) -> Double) throws {
            try endpointVariable(name, .float, fill: floatFill, attributes: attributes, fillAttribute: .float([floatFill])) { Float(value($0)) }
        }
        try doubleVariable("time", timeAttributes + [("standard_name", .text("time")), ("axis", .text("T"))]) { Double($0.time.secondsSince1970) }
        try doubleVariable("age", [("units", .text("hours")), ("long_name", .text("hours since the start (negative backward)"))]) { $0.ageHours }
        try floatVariable("latitude", [("units", .text("degrees_north")), ("standard_name", .text("latitude")), ("axis", .text("Y"))]) { $0.latitude }
        try floatVariable("longitude", [("units", .text("degrees_east")), ("standard_name", .text("longitude")), ("axis", .text("X"))]) {
            NumberText.normalizedLongitude($0.longitude)
        }
        try floatVariable("height_agl", [("units", .text("m")), ("standard_name", .text("height")), ("positive", .text("up")),
                                         ("long_name", .text("height above ground level")), ("axis", .text("Z"))]) { $0.heightAGL }
        try floatVariable("pressure", [("units", .text("hPa")), ("standard_name", .text("air_pressure"))]) { $0.pressureHPa }
        for d in diagnostics where trajectories.contains(where: { $0.endpoints.contains { d.value($0.diagnostics) != nil } }) {
            try floatVariable(d.name, [("units", .text(d.units)), ("standard_name", .text(d.standardName)),
                                       ("coordinates", .text("time latitude longitude height_agl"))]) { d.value($0.diagnostics) ?? .nan }
        }
        // Coordinates for the data variables (CF §9: time, lat, lon, z).
        for name in ["pressure", "age"] {
            try root.requiredVariable(named: name).setAttribute("coordinates", .text("time latitude longitude height_agl"))
        }
    }

    /// Reads a CF trajectory NetCDF file.
    /// - Throws: ``TrajectoryReadError`` for a file that is not a trajectory file, `NetCDFError`
    ///   for an unreadable one.
    public static func read(path: String) throws -> [Trajectory] {
        let nc = try NetCDFFile.open(path)
        defer { try? nc.close() }
        let root = nc.root
        let featureType = try root.attribute(named: "featureType")?.value.string?.lowercased()
        guard featureType == "trajectory" else {
            throw TrajectoryReadError.notTrajectoryFile(path: path, reason: "its featureType attribute is '\(featureType ?? "absent")', not 'trajectory'")
        }
        let timeVariable = try root.requiredVariable(named: "time")
        guard timeVariable.rank == 2 else {
            throw TrajectoryReadError.notTrajectoryFile(path: path, reason: "'time' has \(timeVariable.rank) dimensions; Upwind reads the (trajectory, obs) layout")
        }
        let n = timeVariable.shape[0], obs = timeVariable.shape[1]
        guard n > 0 else { return [] }
        // Header sizes checked before anything is read (netCDF-4 may declare dimensions it never stores).
        let (values, overflow) = n.multipliedReportingOverflow(by: obs)
        guard !overflow, values <= maxEndpointValues else {
            throw TrajectoryReadError.notTrajectoryFile(path: path, reason: "it declares \(n) trajectories × \(obs) endpoints, more than \(maxEndpointValues) endpoints; the file is corrupt or too large to read at once")
        }
        let timeScale = try timeConversion(timeVariable, path: path)

        func numbers(_ name: String) throws -> [Double]? {
            guard let v = try root.variable(named: name) else { return nil }
            let values: [Double] = try v.read()
            let fill = try v.attribute(named: "_FillValue")?.value.firstDouble
            return values.map { value in
                if let fill, value == fill { return .nan }
                return value
            }
        }
        func floats(_ name: String) throws -> [Double]? {
            guard let v = try root.variable(named: name) else { return nil }
            let values: [Float] = try v.read()
            let fill = (try v.attribute(named: "_FillValue")?.value.firstDouble).map { Float($0) } ?? floatFill
            return values.map { $0 == fill ? .nan : Double($0) }
        }
        func strings(_ name: String) throws -> [String]? {
            guard let v = try root.variable(named: name) else { return nil }
            let s = try v.readStrings()
            return s.count == n ? s : nil
        }
        func perTrajectory(_ name: String) throws -> [Double]? {
            guard let v = try numbers(name), v.count == n else { return nil }
            return v
        }
        let rawTime = try timeVariable.read(Double.self)
        let timeFill = try timeVariable.attribute(named: "_FillValue")?.value.firstDouble ?? doubleFill
        guard let latitude = try floats("latitude"), let longitude = try floats("longitude"),
              latitude.count == n * obs, longitude.count == n * obs else {
            throw TrajectoryReadError.notTrajectoryFile(path: path, reason: "it has no (trajectory, obs) 'latitude' and 'longitude' variables")
        }
        let age = try numbers("age"), height = try floats("height_agl"), pressure = try floats("pressure")
        let diag = try diagnostics.map { try floats($0.name) }
        let ids = try strings("trajectory_id"), sites = try strings("site"), terminations = try strings("termination")
        let directions = try strings("direction"), modes = try strings("vertical_mode"), models = try strings("met_model")
        let tdumpJSON = try strings("tdump_provenance")
        let members = try perTrajectory("member"), startTimes = try perTrajectory("start_time")
        let startLat = try perTrajectory("start_latitude"), startLon = try perTrajectory("start_longitude")
        let startHeight = try perTrajectory("start_height"), msl = try perTrajectory("start_height_is_msl")
        let terminationTimes = try perTrajectory("termination_time"), standard = try perTrajectory("used_standard_atmosphere")
        let globalDirection = try root.attribute(named: "direction")?.value.string
        let globalMode = try root.attribute(named: "vertical_mode")?.value.string
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

        /// A time in seconds since 1970 (start_time, termination_time), checked to be a time.
        func instant(_ seconds: Double, _ name: String, _ i: Int) throws -> UTCTime {
            guard seconds.isFinite, abs(seconds) < 1e15 else {
                throw TrajectoryReadError.notTrajectoryFile(path: path, reason: "\(name) \(seconds) of trajectory \(i + 1) is not a time")
            }
            return UTCTime(secondsSince1970: Int64(seconds.rounded()))
        }

        var trajectories: [Trajectory] = []
        for i in 0..<n {
            var endpoints: [TrajectoryEndpoint] = []
            for j in 0..<obs {
                let k = i * obs + j
                let t = rawTime[k]
                if t == timeFill || t.isNaN || latitude[k].isNaN && longitude[k].isNaN { continue }
                var d = EndpointDiagnostics()
                let values = diag.map { $0.flatMap { $0[k].isNaN ? nil : $0[k] } }
                d.terrainM = values[0]; d.temperatureK = values[1]; d.thetaK = values[2]
                d.mixingDepthM = values[3]; d.relativeHumidityPct = values[4]
                guard let time = timeScale(t) else {
                    throw TrajectoryReadError.notTrajectoryFile(path: path, reason: "time value \(t) of trajectory \(i + 1), endpoint \(j + 1) is out of range")
                }
                endpoints.append(TrajectoryEndpoint(time: time, ageHours: age?[k] ?? .nan, latitude: latitude[k], longitude: longitude[k],
                                                    heightAGL: height?[k] ?? .nan, pressureHPa: pressure?[k] ?? .nan, diagnostics: d))
            }
            let first = endpoints.first
            let startTime = try startTimes.map { try instant($0[i], "start_time", i) } ?? first?.time ?? UTCTime(secondsSince1970: 0)
            if age == nil {
                for e in endpoints.indices { endpoints[e].ageHours = Double(endpoints[e].time - startTime) / 3600 }
            }
            let start = TrajectoryStart(site: sites?[i] ?? "T\(i + 1)", latitude: startLat?[i] ?? first?.latitude ?? .nan,
                                        longitude: startLon?[i] ?? first?.longitude ?? .nan, height: startHeight?[i] ?? first?.heightAGL ?? .nan,
                                        heightIsMSL: (msl?[i] ?? 0) == 1, time: startTime)
            let direction = directions?[i] ?? globalDirection
            let backward = direction.map { $0 == "backward" } ?? endpoints.contains { $0.ageHours < 0 }
            let reason = terminations.flatMap { TerminationReason(rawValue: $0[i]) } ?? .completed
            let endTime = try terminationTimes.map { try instant($0[i], "termination_time", i) } ?? endpoints.last?.time ?? startTime
            var provenance = TrajectoryProvenance(metModel: models.flatMap { $0[i].isEmpty ? nil : $0[i] },
                                                  usedStandardAtmosphere: (standard?[i] ?? 0) == 1)
            if let json = tdumpJSON?[i], !json.isEmpty {
                provenance.tdump = try? decoder.decode(TdumpProvenance.self, from: Data(json.utf8))
            }
            trajectories.append(Trajectory(
                id: ids.flatMap { Int($0[i]) } ?? i + 1, start: start, member: members.flatMap { Int(rangeChecked: $0[i]) } ?? 0, isBackward: backward,
                verticalMode: VerticalMode(rawValue: modes?[i] ?? globalMode ?? "") ?? .data, endpoints: endpoints,
                termination: Termination(reason: reason, time: endTime), provenance: provenance))
        }
        return trajectories
    }

    /// A converter from `time` values to `UTCTime` from CF units `<unit> since <date>`.
    private static func timeConversion(_ v: NetCDFVariable, path: String) throws -> @Sendable (Double) -> UTCTime? {
        let units = try v.attribute(named: "units")?.value.string ?? ""
        let parts = units.components(separatedBy: " since ")
        let scales: [String: Double] = ["second": 1, "seconds": 1, "s": 1, "sec": 1, "minute": 60, "minutes": 60, "min": 60,
                                        "hour": 3600, "hours": 3600, "h": 3600, "day": 86_400, "days": 86_400, "d": 86_400]
        guard parts.count == 2, let scale = scales[parts[0].trimmingCharacters(in: .whitespaces).lowercased()],
              let epoch = UTCTime(iso8601: parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw TrajectoryReadError.notTrajectoryFile(path: path, reason: "'time' units '\(units)' are not CF '<seconds|minutes|hours|days> since <date>'")
        }
        // Values that are not finite or beyond ±10^15 s (31 million years) are not times (nil).
        return { value in
            let seconds = value * scale
            guard seconds.isFinite, abs(seconds) < 1e15 else { return nil }
            return epoch + Int64(seconds.rounded())
        }
    }
}
