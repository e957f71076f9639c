import Foundation
import UpwindCore

/// Why a HYSPLIT tdump (trajectory endpoints) file could not be read or written.
///
/// Every case's ``description`` is one line naming the file (and, for content errors, the
/// 1-based line number) and saying what to do.
public enum TdumpError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but could not be read, or is not text.
    case unreadable(path: String, reason: String)
    /// The file is empty or holds only blank lines.
    case empty(path: String)
    /// The header ends before all the records it declares (met grids, starts, diagnostic labels).
    case truncatedHeader(path: String, line: Int, expected: String)
    /// A header record could not be parsed.
    case badHeader(path: String, line: Int, record: String, text: String)
    /// An endpoint record has the wrong number of values or a value that is not a number.
    case badEndpoint(path: String, line: Int, reason: String)
    /// An endpoint names a trajectory number outside 1…(the number the header declares).
    case unknownTrajectory(path: String, line: Int, number: Int, declared: Int)
    /// The header is complete but no endpoint record follows.
    case noEndpoints(path: String)
    /// The trajectories to write differ in direction or vertical method, which one tdump cannot hold.
    case mixedRuns(path: String, first: Int, other: Int, what: String)
    /// There is nothing to write.
    case noTrajectories(path: String)

    /// A one-line explanation naming the file, line or record, and what to do.
    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "tdump file '\(path)' does not exist; check the path"
        case let .unreadable(path, reason):
            return "cannot read tdump file '\(path)': \(reason); give a HYSPLIT trajectory endpoints (tdump) text file"
        case let .empty(path):
            return "tdump file '\(path)' is empty; HYSPLIT probably failed before writing it (see its MESSAGE file) and the run needs repeating"
        case let .truncatedHeader(path, line, expected):
            return "tdump file '\(path)' ends at line \(line) inside the header (expected \(expected)); the file is cut short, rerun HYSPLIT or copy it again"
        case let .badHeader(path, line, record, text):
            return "tdump file '\(path)' line \(line): '\(text)' is not a valid \(record); is this a HYSPLIT tdump file?"
        case let .badEndpoint(path, line, reason):
            return "tdump file '\(path)' line \(line): \(reason); fix or delete that line (endpoint records are 8I6,F8.1,2F9.3,1X,F8.1,n(1X,F8.1))"
        case let .unknownTrajectory(path, line, number, declared):
            return "tdump file '\(path)' line \(line): trajectory number \(number) is outside 1…\(declared) declared in the header; fix the header count or the line"
        case let .noEndpoints(path):
            return "tdump file '\(path)' has a header but no endpoint lines; HYSPLIT stopped before its first output (see its MESSAGE file)"
        case let .mixedRuns(path, first, other, what):
            return "cannot write tdump '\(path)': trajectories \(first) and \(other) differ in \(what), which one tdump file cannot hold; write them to separate files"
        case let .noTrajectories(path):
            return "cannot write tdump '\(path)': there are no trajectories; a tdump needs at least one"
        }
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }
}

/// The fixed vocabulary of HYSPLIT tdump files: vertical-motion labels, diagnostic labels and
/// the model-id field.
public enum TdumpLabels {
    /// The diagnostic labels HYSPLIT writes, in its fixed order (`PRESSURE` always first when present).
    ///
    /// Units: pressure hPa, θ K, air temperature K, rainfall mm/h, mixing depth m, RH %,
    /// specific humidity g/kg, H₂O mixing ratio g/kg, terrain m above mean sea level,
    /// downward short-wave flux W/m².
    public static let diagnosticOrder = ["PRESSURE", "THETA", "AIR_TEMP", "RAINFALL", "MIXDEPTH", "RELHUMID",
                                         "SPCHUMID", "H2OMIXRA", "TERR_MSL", "SUN_FLUX"]

    /// The record-3 label for a vertical mode: `OMEGA` (model vertical velocity, verified on real
    /// v5.3.0 files), `ISOBARIC` (verified), `THETA` (isentropic; the User's Guide's example list
    /// "OMEGA,THETA,..."), `SIGMA` for constant height above ground (HYSPLIT's isosigma mode,
    /// vertical code 4, which follows the terrain; not verified on a real file).
    public static func verticalLabel(_ mode: VerticalMode) -> String {
        switch mode {
        case .data: return "OMEGA"
        case .isobaric: return "ISOBARIC"
        case .isentropic: return "THETA"
        case .height: return "SIGMA"
        }
    }

    /// The vertical mode a record-3 label stands for: `OMEGA`→data, `ISOBARIC`→isobaric,
    /// `THETA`/`ISENTROP…`→isentropic, `SIGMA`/`ISOSIGMA`→height; any other label (HYSPLIT's
    /// density, divergence, remapped or damped modes) reads as data (the label itself is kept in
    /// ``TdumpProvenance/verticalLabel``).
    public static func verticalMode(label: String) -> VerticalMode {
        let l = label.uppercased().trimmingCharacters(in: .whitespaces)
        if l.hasPrefix("ISOBAR") { return .isobaric }
        if l.hasPrefix("THETA") || l.hasPrefix("ISENTR") { return .isentropic }
        if l == "SIGMA" || l.hasPrefix("ISOSIG") { return .height }
        return .data
    }

    /// The 8-character model-id field of record 2 for a met model id.
    ///
    /// Rule (from real v5.3.0 files, which write four blanks then the 4-character ARL id,
    /// e.g. `    GDAS`, `    NGM `): an id of up to 4 characters is written as four blanks
    /// followed by the id padded on the right to 4 (`ERA5` → `    ERA5`, `NGM` → `    NGM `);
    /// an id of 5–8 characters is right-justified in 8 (`GFS0P25` → ` GFS0P25`); a longer id is
    /// cut to its first 8 characters. Surrounding blanks are ignored; nil or blank gives
    /// ` UNKNOWN`.
    public static func modelField(_ id: String?) -> String {
        let trimmed = (id ?? "").trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return " UNKNOWN" }
        if trimmed.count <= 4 { return "    " + trimmed + String(repeating: " ", count: 4 - trimmed.count) }
        let cut = String(trimmed.prefix(8))
        return String(repeating: " ", count: 8 - cut.count) + cut
    }
}

/// Fortran-style fixed-width number text (`Iw`, `Fw.d`) as gfortran writes it: right-justified,
/// a minus sign for negative values including those that round to zero (`-0.0`), `NaN` for NaN
/// and asterisks when the value does not fit the width.
enum FortranText {
    private static let powersOfTen: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]
    private static let integerPowers: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `Iw`: an integer right-justified in `width`.
    static func i(_ value: Int, _ width: Int) -> String {
        pad(String(value), width)
    }

    /// `Fw.d`: `value` with `decimals` digits after the point (0…6), right-justified in `width`.
    static func f(_ value: Double, _ width: Int, _ decimals: Int) -> String {
        guard value.isFinite else {
            if value.isNaN { return pad("NaN", width) }
            return pad(value < 0 ? "-Infinity" : "Infinity", width)
        }
        let d = min(max(decimals, 0), powersOfTen.count - 1)
        let scaled = (abs(value) * powersOfTen[d]).rounded(.toNearestOrAwayFromZero)
        var text: String
        if scaled >= 9.0e15 {
            text = String(format: "%.\(d)f", abs(value))
        } else {
            let n = UInt64(scaled)
            text = String(n / integerPowers[d])
            if d > 0 {
                let fraction = String(n % integerPowers[d])
                text += "." + String(repeating: "0", count: d - fraction.count) + fraction
            }
        }
        if value.sign == .minus { text = "-" + text }
        return pad(text, width)
    }

    /// `text` right-justified in `width`, or `width` asterisks when it is longer.
    static func pad(_ text: String, _ width: Int) -> String {
        let n = text.utf8.count
        if n > width { return String(repeating: "*", count: width) }
        return String(repeating: " ", count: width - n) + text
    }

    /// `text` left-justified in `width` (Fortran `Aw` output of a shorter string), cut when longer.
    static func a(_ text: String, _ width: Int) -> String {
        let cut = String(text.prefix(width))
        return cut + String(repeating: " ", count: max(0, width - cut.count))
    }
}
