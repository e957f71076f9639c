import Foundation
import UpwindCore

/// Reads the trajectory CSV that ``TrajectoryCSVWriter`` writes back into `Trajectory` values.
///
/// Columns are found by header name (any order, any letter case; extra columns ignored):
/// `trajectory, site, member, start_time, start_latitude, start_longitude, start_height_m, time,
/// age_h, latitude, longitude, height_agl_m, pressure_hpa, termination` are required; the
/// diagnostic columns `terrain_m, temperature_k, theta_k, mixing_depth_m, relative_humidity_pct`
/// are read when present (an empty field is nil). An empty `pressure_hpa` is NaN.
///
/// Consecutive rows with the same `trajectory` value form one trajectory (its rows in file
/// order). What the CSV does not carry is set as follows: `isBackward` is true when any age is
/// negative (a trajectory that ended at its start takes its file's direction); `verticalMode` is `VerticalMode/data`; the termination time is the last
/// endpoint's time; provenance is empty. A file with a header and no rows gives no trajectories.
public enum TrajectoryCSVReader {
    /// The columns that must be present.
    public static let requiredColumns = TrajectoryCSVWriter.leadingColumns + ["termination"]

    /// Reads `path`.
    /// - Throws: ``TrajectoryReadError`` naming the file, line and column.
    public static func read(path: String) throws -> [Trajectory] {
        // The writer's own layout parses from bytes (TrajectoryCSVFastReader); anything else,
        // and every error, goes through CSV.swift below.
        if let data = FileManager.default.contents(atPath: path), let fast = TrajectoryCSVFastReader.read(data) {
            return settleDirections(fast)
        }
        return settleDirections(try readGeneral(path: path))
    }

    /// A trajectory with no nonzero age (one that ended at its start) takes the direction of
    /// the file's other trajectories when they all agree.
    static func settleDirections(_ trajectories: [Trajectory]) -> [Trajectory] {
        let backward = trajectories.contains { $0.isBackward }
        let forward = trajectories.contains { $0.endpoints.contains { $0.ageHours > 0 } }
        guard backward && !forward else { return trajectories }
        var out = trajectories
        for i in out.indices where !out[i].isBackward { out[i].isBackward = true }
        return out
    }

    /// The general reader (CSV.swift), with line-numbered errors.
    static func readGeneral(path: String) throws -> [Trajectory] {
        let table = try CSVTable(path: path)
        var c: [String: Int] = [:]
        for name in requiredColumns { c[name] = try table.requiredColumn(name, path: path) }
        func col(_ name: String) -> Int { c[name] ?? 0 }
        let terrain = table.column("terrain_m"), temperature = table.column("temperature_k"), theta = table.column("theta_k")
        let mixing = table.column("mixing_depth_m"), humidity = table.column("relative_humidity_pct")

        var trajectories: [Trajectory] = []
        var currentKey: String?
        for (line, fields) in table.rows {
            let f = CSVField(path: path, line: line, fields: fields)
            let key = f.text(col("trajectory"))
            let endpoint = TrajectoryEndpoint(
                time: try f.time(col("time"), "time"), ageHours: try f.number(col("age_h"), "age_h"),
                latitude: try f.number(col("latitude"), "latitude"), longitude: try f.number(col("longitude"), "longitude"),
                heightAGL: try f.numberOrNaN(col("height_agl_m"), "height_agl_m"),
                pressureHPa: try f.numberOrNaN(col("pressure_hpa"), "pressure_hpa"),
                diagnostics: EndpointDiagnostics(
                    terrainM: try f.optionalNumber(terrain, "terrain_m"), temperatureK: try f.optionalNumber(temperature, "temperature_k"),
                    thetaK: try f.optionalNumber(theta, "theta_k"), mixingDepthM: try f.optionalNumber(mixing, "mixing_depth_m"),
                    relativeHumidityPct: try f.optionalNumber(humidity, "relative_humidity_pct")))
            let reasonText = f.text(col("termination"))
            guard let reason = TerminationReason(rawValue: reasonText) else {
                throw TrajectoryReadError.badValue(path: path, line: line, column: "termination", value: reasonText,
                                                   expected: "one of " + TerminationReason.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if key != currentKey || trajectories.isEmpty {
                currentKey = key
                let start = TrajectoryStart(
                    site: f.text(col("site")), latitude: try f.number(col("start_latitude"), "start_latitude"),
                    longitude: try f.number(col("start_longitude"), "start_longitude"),
                    height: try f.number(col("start_height_m"), "start_height_m"), time: try f.time(col("start_time"), "start_time"))
                trajectories.append(Trajectory(
                    id: try f.integer(col("trajectory"), "trajectory"), start: start, member: try f.integer(col("member"), "member"),
                    isBackward: false, verticalMode: .data, endpoints: [], termination: Termination(reason: reason, time: start.time)))
            }
            let last = trajectories.count - 1
            trajectories[last].endpoints.append(endpoint)
            trajectories[last].termination = Termination(reason: reason, time: endpoint.time)
            if endpoint.ageHours < 0 { trajectories[last].isBackward = true }
        }
        return trajectories
    }
}

/// openair-ready trajectory CSV: what openair's `importTraj` returns, for `trajPlot`,
/// `trajLevel`, `trajCluster` and friends (`read.csv` then `as.POSIXct(date, tz = "GMT")`).
///
/// Columns, exactly: `date,receptor,year,month,day,hour,hour.inc,lat,lon,height,pressure,date2`.
/// `date` is the arrival (start) time and `date2` the endpoint time, both `YYYY-MM-DD HH:MM:SS`
/// UTC; `receptor` is the site name (quoted per RFC 4180 when needed); `year`, `month`, `day`,
/// `hour` are the endpoint time's fields; `hour.inc` is the age in hours (negative backward;
/// whole numbers without decimals, others with 2); `lat`, `lon` degrees with 4 decimals,
/// longitude in [−180, 180); `height` m AGL and `pressure` hPa with 1 decimal; a NaN is `NA`.
/// One row per endpoint, trajectory after trajectory, LF line ends.
///
/// Reading takes the columns by name: `date`, `receptor`, `hour.inc`, `lat`, `lon`, `height` are
/// required, `pressure` and `date2` optional (without `date2` the endpoint time is
/// `date + hour.inc` hours). A new trajectory starts where `date` or `receptor` changes or where
/// |`hour.inc`| stops increasing. The start position is the row with `hour.inc` 0 (else the
/// first row); `isBackward` is true when any `hour.inc` is negative; the vertical mode is data,
/// the termination `completed` at the last endpoint time, ids 1, 2, … in file order.
public enum OpenAirCSV {
    /// The header, in order.
    public static let columns = ["date", "receptor", "year", "month", "day", "hour", "hour.inc", "lat", "lon", "height", "pressure", "date2"]

    /// The CSV text for `trajectories`, header included.
    public static func text(_ trajectories: [Trajectory]) -> String {
        var out = columns.joined(separator: ",") + "\n"
        for t in trajectories {
            let prefix = dateText(t.start.time) + "," + csvField(t.start.site) + ","
            for e in t.endpoints {
                let c = e.time.components
                out += prefix
                out += "\(c.year),\(c.month),\(c.day),\(c.hour),"
                out += ageText(e.ageHours) + ","
                out += (NumberText.fixed(e.latitude, decimals: 4) ?? "NA") + ","
                out += (NumberText.longitude(e.longitude, decimals: 4) ?? "NA") + ","
                out += (NumberText.fixed(e.heightAGL, decimals: 1) ?? "NA") + ","
                out += (NumberText.fixed(e.pressureHPa, decimals: 1) ?? "NA") + ","
                out += dateText(e.time) + "\n"
            }
        }
        return out
    }

    /// Writes `trajectories` to `path` through a temporary file renamed onto `path` when complete.
    /// - Throws: ``TrajectoryOutputError``.
    public static func write(_ trajectories: [Trajectory], to path: String) throws {
        let file = try AtomicOutputFile(path: path)
        try file.append(text(trajectories))
        try file.commit()
    }

    /// Reads an openair trajectory CSV.
    /// - Throws: ``TrajectoryReadError`` naming the file, line and column.
    public static func read(path: String) throws -> [Trajectory] {
        TrajectoryCSVReader.settleDirections(try readRows(path: path))
    }

    /// The rows of `path` as trajectories (CSV.swift), with line-numbered errors.
    static func readRows(path: String) throws -> [Trajectory] {
        let table = try CSVTable(path: path)
        let date = try table.requiredColumn("date", path: path)
        let receptor = try table.requiredColumn("receptor", path: path)
        let age = try table.requiredColumn("hour.inc", path: path)
        let lat = try table.requiredColumn("lat", path: path)
        let lon = try table.requiredColumn("lon", path: path)
        let height = try table.requiredColumn("height", path: path)
        let pressure = table.column("pressure"), date2 = table.column("date2")

        var trajectories: [Trajectory] = []
        var previous: (date: String, receptor: String, age: Double)?
        for (line, fields) in table.rows {
            let f = CSVField(path: path, line: line, fields: fields)
            let arrival = try f.time(date, "date")
            let hours = try f.number(age, "hour.inc")
            // Bounded so the seconds cannot overflow: a million hours is 114 years.
            guard abs(hours) <= 1_000_000 else {
                throw TrajectoryReadError.badValue(path: path, line: line, column: "hour.inc", value: f.text(age), expected: "hours within ±1000000")
            }
            let time = try date2.map { try f.time($0, "date2") } ?? arrival + Int64((hours * 3600).rounded())
            let endpoint = TrajectoryEndpoint(time: time, ageHours: hours, latitude: try f.number(lat, "lat"),
                                              longitude: try f.number(lon, "lon"), heightAGL: try f.numberOrNaN(height, "height"),
                                              pressureHPa: try f.numberOrNaN(pressure, "pressure"))
            let key = (f.text(date), f.text(receptor))
            if previous == nil || previous?.date != key.0 || previous?.receptor != key.1 || abs(hours) <= abs(previous?.age ?? 0) {
                let start = TrajectoryStart(site: key.1, latitude: endpoint.latitude, longitude: endpoint.longitude,
                                            height: endpoint.heightAGL, time: arrival)
                trajectories.append(Trajectory(id: trajectories.count + 1, start: start, isBackward: false, verticalMode: .data,
                                               endpoints: [], termination: Termination(reason: .completed, time: time)))
            }
            previous = (key.0, key.1, hours)
            let last = trajectories.count - 1
            if hours == 0 {
                trajectories[last].start.latitude = endpoint.latitude
                trajectories[last].start.longitude = endpoint.longitude
                trajectories[last].start.height = endpoint.heightAGL
            }
            if hours < 0 { trajectories[last].isBackward = true }
            trajectories[last].endpoints.append(endpoint)
            trajectories[last].termination.time = time
        }
        return trajectories
    }

    /// `YYYY-MM-DD HH:MM:SS` (UTC).
    static func dateText(_ t: UTCTime) -> String {
        let iso = t.iso8601  // YYYY-MM-DDTHH:MM:SSZ
        return String(iso.dropLast()).replacingOccurrences(of: "T", with: " ")
    }

    /// An age in hours: whole numbers without decimals, others with 2.
    static func ageText(_ hours: Double) -> String {
        guard hours.isFinite else { return "NA" }
        if hours == hours.rounded(), abs(hours) < 1e15 { return String(Int(hours)) }
        return NumberText.fixed(hours, decimals: 2) ?? "NA"
    }

    /// A CSV field, quoted when it holds a comma, quote or line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
