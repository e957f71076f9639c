import Foundation
import UpwindCore

// MARK: - Errors

/// Why a met file could not be written or converted. Its ``description`` is one line that
/// names the file and ends with what to do about it.
public enum MetWriteError: Error, CustomStringConvertible, Sendable {
    /// The output (or its temporary file) cannot be created, written, closed or renamed.
    case cannotWrite(path: String, detail: String)
    /// The input cannot be expressed in the output format.
    case unconvertible(path: String, detail: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let detail):
            return "\(path): cannot write the met file (\(detail)): check that the folder exists, is writable and has space"
        case .unconvertible(let path, let detail):
            return "\(path): \(detail)"
        }
    }
}

// MARK: - Packing

/// The result of packing one field with ``ARLPacking/pack(_:nx:ny:)``.
public struct ARLPackedField: Sendable, Equatable {
    /// The `nx·ny` packed bytes, row order from the south-west corner (x fastest).
    public var bytes: [UInt8]
    /// Packing exponent NEXP (differences are scaled by 2^(7 − NEXP)).
    public var exponent: Int
    /// Precision PREC = 2^NEXP / 254, in the field's units, as the header text holds it.
    public var precision: Float
    /// VAR1, the value at grid point (1, 1) as the header text holds it (7 significant digits).
    public var firstValue: Float
    /// HYSPLIT's rotating checksum of ``bytes`` (see ``ARLPacking/checksum(_:)``).
    public var checksum: Int
    /// Largest |unpacked − input| over the finite input values, in the field's units.
    public var maxError: Double
    /// The header's `E14.7` text of ``precision`` (what the packing used, verbatim).
    public var precisionText: String
    /// The header's `E14.7` text of ``firstValue`` (what the packing started from, verbatim).
    public var firstValueText: String

    /// The theoretical bound on |unpacked − input|, in the field's units: half a packing
    /// step 2^(NEXP−7)/2 from rounding, plus PREC for values that unpack below PREC and are
    /// set to zero, plus two single-precision ulps of the largest magnitude (the running sums
    /// are single precision, as in HYSPLIT).
    public func errorBound(largestMagnitude: Double) -> Double {
        let step = ARLPacking.powerOfTwo(exponent - 7)
        return 0.5 * step + Double(precision) + 2 * Double(Float(largestMagnitude).ulp)
    }
}

extension ARLPacking {
    /// Packs `nx·ny` values (row order from the south-west corner, x fastest) as HYSPLIT's
    /// `PAKOUT` does, but exactly inverse to ``unpack(_:nx:ny:exponent:precision:firstValue:)``:
    ///
    /// - NEXP is chosen as HYSPLIT chooses it from the largest difference between neighbours
    ///   along rows and down the first column: `NEXP = INT(log2 rmax)`, plus one when the
    ///   logarithm is ≥ 0 or whole; PREC = 2^NEXP/254. In the rare record where a difference
    ///   from the reconstructed running value would not fit a byte with that exponent (HYSPLIT's
    ///   `PAKOUT` then writes the byte value 256, which wraps to 0), the exponent is raised by one.
    /// - VAR1 is rounded to the 7 significant digits the header's `E14.7` field keeps, before
    ///   packing starts from it.
    /// - Every value is packed against the value the unpacker will have *reconstructed*
    ///   (single precision, with the first column restarting from the previous row's first
    ///   value after its |v| < PREC zeroing), so rounding errors never accumulate along rows:
    ///   each unpacked value is within half a packing step of its input (or zero when below PREC).
    ///
    /// Non-finite values are packed as "no change" (byte 127) and excluded from NEXP and from
    /// ``ARLPackedField/maxError``; fill them before packing.
    public static func pack(_ values: [Float], nx: Int, ny: Int) -> ARLPackedField {
        let n = nx * ny
        guard nx > 0, ny > 0, values.count >= n else {
            return ARLPackedField(bytes: [UInt8](repeating: 127, count: max(0, n)), exponent: 0, precision: 0, firstValue: 0, checksum: 0, maxError: 0,
                                  precisionText: ARLFormat.e14(0), firstValueText: ARLFormat.e14(0))
        }
        let first = values[0].isFinite ? values[0] : (values.first(where: \.isFinite) ?? 0)
        // Largest neighbour difference, as PAKOUT computes it (rows, then column starts).
        var rmax: Double = 0
        var rold = Double(first)
        for j in 0..<ny {
            for i in 0..<nx {
                let v = values[j * nx + i]
                guard v.isFinite else { continue }
                rmax = max(rmax, abs(Double(v) - rold))
                rold = Double(v)
            }
            let start = values[j * nx]
            if start.isFinite { rold = Double(start) }
        }
        var sexp = 0.0
        if rmax != 0 { sexp = log(rmax) / log(2.0) }
        var nexp = Int(sexp) // truncation toward zero, as Fortran INT
        if sexp >= 0 || sexp.truncatingRemainder(dividingBy: 1) == 0 { nexp += 1 }
        let var1Text = ARLFormat.e14(Double(first))
        let var1 = Float(var1Text.trimmingSpaces) ?? first
        // HYSPLIT's exponent; one more only when a difference would not fit a byte (PAKOUT
        // would then write a byte value of 256, which wraps), so that no value is clamped.
        for attempt in 0..<8 {
            if let packed = packOnce(values, nx: nx, ny: ny, exponent: nexp + attempt, var1: var1, var1Text: var1Text) { return packed }
        }
        return packOnce(values, nx: nx, ny: ny, exponent: nexp + 8, var1: var1, var1Text: var1Text, clamp: true)
            ?? ARLPackedField(bytes: [UInt8](repeating: 127, count: n), exponent: nexp, precision: 0, firstValue: var1, checksum: 0, maxError: .infinity,
                              precisionText: ARLFormat.e14(0), firstValueText: var1Text)
    }

    /// One packing pass with exponent `nexp`; nil when a byte would fall outside 0…255
    /// (unless `clamp`).
    static func packOnce(_ values: [Float], nx: Int, ny: Int, exponent nexp: Int, var1: Float, var1Text: String, clamp: Bool = false) -> ARLPackedField? {
        let n = nx * ny
        let precisionText = ARLFormat.e14(Double(Float(powerOfTwo(nexp) / 254)))
        let precision = Float(precisionText.trimmingSpaces) ?? Float(powerOfTwo(nexp) / 254)
        let scale = Float(powerOfTwo(7 - nexp))
        let scaleD = Double(scale)

        var bytes = [UInt8](repeating: 127, count: n)
        var ksum = 0
        var maxError = 0.0
        var vold = var1
        var rowStart: Float = var1
        for j in 0..<ny {
            for i in 0..<nx {
                let k = j * nx + i
                let x = values[k]
                var b: UInt8 = 127
                if x.isFinite {
                    let q = ((Double(x) - Double(vold)) * scaleD + 127.5).rounded(.down)
                    if !clamp && (q < 0 || q > 255) { return nil }
                    b = UInt8(max(0, min(255, q)))
                }
                bytes[k] = b
                ksum += Int(b)
                if ksum >= 256 { ksum -= 255 }
                // Exactly the unpacker's arithmetic.
                var v = (Float(b) - 127) / scale + vold
                vold = v
                if abs(v) < precision { v = 0 }
                if x.isFinite { maxError = max(maxError, abs(Double(v) - Double(x))) }
                if i == 0 { rowStart = v }
            }
            vold = rowStart
        }
        return ARLPackedField(bytes: bytes, exponent: nexp, precision: precision, firstValue: var1, checksum: ksum, maxError: maxError,
                              precisionText: precisionText, firstValueText: var1Text)
    }
}

// MARK: - Fortran-style text

/// Fortran edit descriptors as HYSPLIT's packing library (`PAKREC`, `PAKNDX`) writes them.
enum ARLFormat {
    /// `Iw`: right-justified integer; asterisks when it does not fit.
    static func int(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        if s.count > width { return String(repeating: "*", count: width) }
        return String(repeating: " ", count: width - s.count) + s
    }

    /// `Fw.d`, dropping the leading zero when the value would not fit otherwise (as gfortran does).
    static func fixed(_ v: Double, _ width: Int, _ decimals: Int) -> String {
        var s = String(format: "%.\(decimals)f", v)
        if s == "-" + String(format: "%.\(decimals)f", 0.0) { s = String(s.dropFirst()) }
        if s.count > width {
            if s.hasPrefix("0.") { s = String(s.dropFirst()) } else if s.hasPrefix("-0.") { s = "-" + s.dropFirst(2) }
        }
        if s.count > width { return String(repeating: "*", count: width) }
        return String(repeating: " ", count: width - s.count) + s
    }

    /// `E14.7`: ` 0.1234567E+03` (sign or blank, `0.`, 7 digits, a 2-digit exponent).
    static func e14(_ v: Double) -> String {
        guard v.isFinite, v != 0 else { return " 0.0000000E+00" }
        let s = String(format: "%.6E", abs(v)) // d.dddddd E±xx
        let parts = s.split(separator: "E")
        guard parts.count == 2, let e = Int(parts[1]) else { return " 0.0000000E+00" }
        let digits = parts[0].replacingOccurrences(of: ".", with: "")
        let exp = e + 1
        let expText = (exp < 0 ? "-" : "+") + (abs(exp) < 10 ? "0" : "") + String(abs(exp))
        return (v < 0 ? "-" : " ") + "0." + digits + "E" + expText
    }

    /// One of the 12 grid reals of an index record (`F7.x`), with the decimals HYSPLIT's
    /// `PAKNDX` chooses from the magnitude.
    static func gridReal(_ v: Double) -> String {
        if let d = gridDecimals(v) { return fixed(v, 7, d) }
        let s = String(format: "%.1E", v)
        return s.count <= 7 ? String(repeating: " ", count: 7 - s.count) + s : String(repeating: "*", count: 7)
    }

    /// The decimals `PAKNDX` writes a grid real with (`F7.d`), nil for the `E7.1` range (≤ −1000).
    static func gridDecimals(_ v: Double) -> Int? {
        if v >= 1000 { return 2 }
        if v >= 100 { return 3 }
        if v >= 10 { return 4 }
        if v >= 1 { return 5 }
        if v >= 0 { return 6 }
        if v > -1 { return 5 }
        if v > -10 { return 4 }
        if v > -100 { return 3 }
        if v > -1000 { return 2 }
        return nil
    }

    /// `v` rounded to the decimals its grid-real field keeps (what a reader gets back).
    static func gridRounded(_ v: Double) -> Double { Double(gridReal(v).trimmingSpaces) ?? v }

    /// A level value of an index record (`F6.x`), decimals as `PAKNDX` chooses them.
    static func levelValue(_ v: Double) -> String {
        switch v {
        case 10000...:
            let s = String(format: "%.0f", v) + "."
            return s.count <= 6 ? String(repeating: " ", count: 6 - s.count) + s : String(repeating: "*", count: 6)
        case 1000..<10000: return fixed(v, 6, 1)
        case 100..<1000: return fixed(v, 6, 2)
        case 10..<100: return fixed(v, 6, 3)
        case 1..<10: return fixed(v, 6, 4)
        default: return fixed(v, 6, 5)
        }
    }

    /// Pads or cuts `s` to exactly `width` characters (left-justified, `Aw`).
    static func text(_ s: String, _ width: Int) -> String {
        let chars = Array(s.utf8.prefix(width))
        return String(decoding: chars, as: UTF8.self) + String(repeating: " ", count: width - chars.count)
    }
}

// MARK: - Grid definition from a projection

extension ARLGridDefinition {
    /// The 12 grid reals that describe `projection` in an index record, as HYSPLIT's
    /// converters write them: for a regular lat-lon grid the last point (pole fields), the
    /// spacing (reference fields, degrees), grid size 0 and the first point as sync point
    /// (longitude in 0–360); for conformal grids the pole (±90, central meridian), the
    /// latitude where the spacing is true, the central meridian, the spacing (km), the
    /// tangent latitude (±90 polar stereographic, 0 Mercator), and a sync point near grid
    /// point (1, 1) chosen so that the `F7` text holds it to about 10⁻⁵ of a grid cell.
    /// - Throws: ``MetError/unsupportedGrid(path:detail:)`` for irregular lat-lon grids.
    public init(projection: MapProjection, path: String) throws {
        func norm360(_ lon: Double) -> Double {
            var l = lon.truncatingRemainder(dividingBy: 360)
            if l < 0 { l += 360 }
            return l
        }
        switch projection {
        case .latLon(let g):
            guard g.nx >= 2, g.ny >= 2, let dlon = AxisSummary.regularStep(g.longitudes), let dlat = AxisSummary.regularStep(g.latitudes),
                  dlon > 0, dlat > 0 else {
                throw MetError.unsupportedGrid(path: path, detail: "ARL latitude-longitude grids must be regular with at least 2×2 points (this one is \(g.nx)×\(g.ny), irregular or descending): regrid first (e.g. cdo remapbil)")
            }
            let lastLon = g.longitudes[g.nx - 1]
            self.init(poleLatitude: g.latitudes[g.ny - 1], poleLongitude: norm360(lastLon), referenceLatitude: dlat, referenceLongitude: dlon,
                      gridSizeKm: 0, orientation: 0, tangentLatitude: 0, syncX: 1, syncY: 1,
                      syncLatitude: g.latitudes[0], syncLongitude: norm360(g.longitudes[0]), reserved: 0)
        case .polarStereographic(let g):
            let s = ARLGridDefinition.sync(g) { g.index(latitude: $0, longitude: $1) }
            self.init(poleLatitude: g.standardParallel >= 0 ? 90 : -90, poleLongitude: 0, referenceLatitude: g.standardParallel,
                      referenceLongitude: g.centralMeridian, gridSizeKm: g.spacingM / 1000, orientation: 0,
                      tangentLatitude: g.standardParallel >= 0 ? 90 : -90, syncX: s.x, syncY: s.y, syncLatitude: s.lat,
                      syncLongitude: s.lon, reserved: 0)
        case .lambertConformal(let g):
            let s = ARLGridDefinition.sync(g) { g.index(latitude: $0, longitude: $1) }
            self.init(poleLatitude: g.tangentLatitude >= 0 ? 90 : -90, poleLongitude: 0, referenceLatitude: g.referenceLatitude,
                      referenceLongitude: g.centralMeridian, gridSizeKm: g.spacingM / 1000, orientation: 0,
                      tangentLatitude: g.tangentLatitude, syncX: s.x, syncY: s.y, syncLatitude: s.lat, syncLongitude: s.lon, reserved: 0)
        case .mercator(let g):
            let s = ARLGridDefinition.sync(g) { g.index(latitude: $0, longitude: $1) }
            self.init(poleLatitude: 90, poleLongitude: 0, referenceLatitude: g.referenceLatitude, referenceLongitude: g.centralMeridian,
                      gridSizeKm: g.spacingM / 1000, orientation: 0, tangentLatitude: 0, syncX: s.x, syncY: s.y,
                      syncLatitude: s.lat, syncLongitude: s.lon, reserved: 0)
        case .curvilinear(let g):
            throw MetError.unsupportedGrid(path: path, detail: "a \(g.nx)×\(g.ny) curvilinear grid has no ARL grid definition (ARL holds latitude-longitude and conformal grids only): regrid first (e.g. cdo remapbil)")
        }
    }

    /// A sync point the `F7` text holds well: node (1, 1) rounded to the latitude and
    /// longitude (0–360) the fields keep, with its 1-based grid coordinates (5–6 decimals),
    /// so the grid a reader rebuilds sits within about 10⁻⁵ of a cell of the one written.
    static func sync(_ g: any HorizontalGrid, index: (Double, Double) -> (x: Double, y: Double)) -> (x: Double, y: Double, lat: Double, lon: Double) {
        let p = g.location(i: 0, j: 0)
        var lon = p.longitude.truncatingRemainder(dividingBy: 360)
        if lon < 0 { lon += 360 }
        let lat = ARLFormat.gridRounded(p.latitude)
        lon = ARLFormat.gridRounded(lon)
        let q = index(lat, lon)
        return (ARLFormat.gridRounded(q.x + 1), ARLFormat.gridRounded(q.y + 1), lat, lon)
    }
}

// MARK: - Writer

/// One field to write: a 4-character ARL variable name, a level index (0 = surface,
/// 1… upper levels bottom-up) and `nx·ny` values in the ARL units of that variable
/// (row order from the south-west corner, x fastest).
public struct ARLFieldValues: Sendable {
    /// The ARL variable name, e.g. `UWND` (cut or blank-padded to 4 characters).
    public var name: String
    /// Level index: 0 the surface, 1… the upper levels bottom-up.
    public var level: Int
    /// The values, `nx·ny`, in the variable's ARL units (m/s, hPa/s, K, m, hPa, %…).
    public var values: [Float]

    /// Creates a field.
    public init(name: String, level: Int, values: [Float]) {
        self.name = name; self.level = level; self.values = values
    }
}

/// What was packed for one record: the header's packing parameters and the largest error.
public struct ARLRecordSummary: Sendable, Equatable {
    /// Valid time of the record.
    public var time: UTCTime
    /// The ARL variable name.
    public var variable: String
    /// Level index (0 = surface).
    public var level: Int
    /// Packing exponent NEXP.
    public var exponent: Int
    /// Precision PREC, in the variable's units.
    public var precision: Float
    /// Checksum written to the index.
    public var checksum: Int
    /// Largest |unpacked − input| over the record, in the variable's units.
    public var maxError: Double
    /// The theoretical bound on that error (see ``ARLPackedField/errorBound(largestMagnitude:)``).
    public var errorBound: Double
}

/// Writes a HYSPLIT ARL packed meteorological file, one time period at a time: an INDX
/// record (its text spanning several records when long) then one record per variable and
/// level, with HYSPLIT's headers, packing (``ARLPacking/pack(_:nx:ny:)``), checksums and
/// two-digit years (`year mod 100`; readers map 40–99 to 19xx and 00–39 to 20xx, as HYSPLIT).
///
/// The file is written under a temporary name in the destination folder and renamed to
/// `path` by ``finish()``; nothing is left at `path` when writing fails.
///
/// ```swift
/// let w = try ARLWriter(path: "out.arl", source: "ERA5", projection: .latLon(grid),
///                       verticalFlag: 2, levels: [1000, 850, 500])
/// try w.writePeriod(time: t, fields: [ARLFieldValues(name: "UWND", level: 1, values: u1000), …])
/// try w.finish()
/// ```
public final class ARLWriter {
    /// The destination path.
    public let path: String
    /// The 4-character data source id written in every index (e.g. `ERA5`, `GDAS`).
    public let source: String
    /// Nodes along x and y.
    public let nx: Int, ny: Int
    /// The grid definition written in every index.
    public let grid: ARLGridDefinition
    /// Vertical coordinate flag: 1 sigma, 2 pressure, 3 terrain-following height, 4 hybrid.
    public let verticalFlag: Int
    /// Level values of the upper levels, bottom-up (hPa, σ, m, or a + b for hybrid levels).
    public let levels: [Double]
    /// Level value written for the surface level 0 (0 for pressure data, 1 for σ/hybrid).
    public let surfaceLevelValue: Double
    /// Summaries of the records written so far, in file order.
    public private(set) var records: [ARLRecordSummary] = []

    let temporaryPath: String
    /// The file replaced when finished: ``path``, or the final target of a symbolic link.
    let target: String
    let handle: FileHandle
    var finished = false
    var lastTime: UTCTime?

    /// Opens a writer.
    /// - Parameters:
    ///   - path: the destination (replaced by ``finish()``).
    ///   - source: the data source id (4 characters are kept).
    ///   - projection: the horizontal grid.
    ///   - verticalFlag: 1 sigma, 2 pressure, 3 terrain-following height, 4 hybrid.
    ///   - levels: the upper levels' values, bottom-up.
    /// - Throws: ``MetError/unsupportedGrid(path:detail:)`` for grids ARL cannot hold,
    ///   ``MetWriteError/cannotWrite(path:detail:)`` when the temporary file cannot be created.
    public init(path: String, source: String, projection: MapProjection, verticalFlag: Int, levels: [Double]) throws {
        self.path = path
        self.source = source
        grid = try ARLGridDefinition(projection: projection, path: path)
        nx = projection.grid.nx
        ny = projection.grid.ny
        self.verticalFlag = verticalFlag
        self.levels = levels
        surfaceLevelValue = verticalFlag == 2 ? 0 : (verticalFlag == 3 ? 0 : 1)
        guard (1...4).contains(verticalFlag) else {
            throw MetError.unsupportedGrid(path: path, detail: "ARL vertical coordinate flag \(verticalFlag) is not one of 1 (sigma), 2 (pressure), 3 (height), 4 (hybrid)")
        }
        guard nx * ny >= ARLIndex.fixedLength else {
            throw MetError.unsupportedGrid(path: path, detail: "a \(nx)×\(ny) grid is too small for ARL (records must hold at least \(ARLIndex.fixedLength) bytes, i.e. \(ARLIndex.fixedLength) grid points): use a larger domain")
        }
        guard nx < 27_000, ny < 27_000 else {
            throw MetError.unsupportedGrid(path: path, detail: "a \(nx)×\(ny) grid is too large for ARL (at most 26999 points per side)")
        }
        guard levels.count <= 999 else { throw MetError.unsupportedGrid(path: path, detail: "\(levels.count) levels exceed ARL's 999") }
        target = try MetOutputTarget.resolve(path)
        let directory = (target as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MetWriteError.cannotWrite(path: path, detail: "the folder \(directory) does not exist")
        }
        temporaryPath = (directory.isEmpty ? "." : directory) + "/." + (target as NSString).lastPathComponent + ".\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil), let h = FileHandle(forWritingAtPath: temporaryPath) else {
            throw MetWriteError.cannotWrite(path: path, detail: "cannot create a temporary file in \(directory.isEmpty ? "." : directory)")
        }
        handle = h
    }

    deinit {
        if !finished {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporaryPath)
        }
    }

    /// The two grid characters of every header: the grid number 99, or letters for the
    /// thousands of nx and ny on grids of 1000 points or more (A = 1000).
    var gridCode: String {
        if nx >= 1000 || ny >= 1000 {
            return String(UnicodeScalar(UInt8(64 + nx / 1000))) + String(UnicodeScalar(UInt8(64 + ny / 1000)))
        }
        return "99"
    }

    /// The 50-character header of a record.
    func header(time: UTCTime, forecastHour: Int, level: Int, variable: String, exponent: Int, precision: String, firstValue: String) -> String {
        let c = time.components
        return ARLFormat.int(((c.year % 100) + 100) % 100, 2) + ARLFormat.int(c.month, 2) + ARLFormat.int(c.day, 2) + ARLFormat.int(c.hour, 2)
            + ARLFormat.int(min(forecastHour, 99), 2) + ARLFormat.int(level, 2) + gridCode + ARLFormat.text(variable, 4)
            + ARLFormat.int(exponent, 4) + precision + firstValue
    }

    /// Writes one time period: its index and one record per field, in the order given
    /// (surface fields first is usual). Fields of one name must not repeat at a level.
    /// - Parameters:
    ///   - time: the valid time (minutes go to the index; seconds are dropped).
    ///   - forecastHour: the forecast hour (0 for analyses).
    ///   - fields: the fields, values in ARL units; NaNs must be filled beforehand.
    /// - Returns: the summaries of the records written.
    /// - Throws: ``MetError/unsupportedLayout(path:variable:detail:)`` for a field of the wrong
    ///   size, a level out of range, a repeated field or a time not after the previous one;
    ///   ``MetWriteError/cannotWrite(path:detail:)`` when writing fails.
    @discardableResult
    public func writePeriod(time: UTCTime, forecastHour: Int = 0, fields: [ARLFieldValues]) throws -> [ARLRecordSummary] {
        let plane = nx * ny
        if let lastTime, !(time > lastTime) {
            throw MetError.unsupportedLayout(path: path, variable: "INDX", detail: "time \(time.iso8601) is not after the previous period (\(lastTime.iso8601))")
        }
        var seen = Set<String>()
        for f in fields {
            let key = "\(ARLFormat.text(f.name, 4))@\(f.level)"
            guard f.values.count == plane else {
                throw MetError.unsupportedLayout(path: path, variable: f.name, detail: "level \(f.level) holds \(f.values.count) values, not \(nx)×\(ny)")
            }
            guard f.level >= 0, f.level <= levels.count else {
                throw MetError.unsupportedLayout(path: path, variable: f.name, detail: "level index \(f.level) is outside 0…\(levels.count)")
            }
            guard seen.insert(key).inserted else {
                throw MetError.unsupportedLayout(path: path, variable: f.name, detail: "given twice at level \(f.level) for \(time.iso8601)")
            }
        }
        // Pack every field, in level order (surface first), keeping the given order within a level.
        let ordered = fields.enumerated().sorted { ($0.element.level, $0.offset) < ($1.element.level, $1.offset) }.map(\.element)
        var packed: [(field: ARLFieldValues, data: ARLPackedField)] = []
        for f in ordered { packed.append((f, ARLPacking.pack(f.values, nx: nx, ny: ny))) }

        // Index text.
        let c = time.components
        var text = ARLFormat.text(source, 4) + ARLFormat.int(forecastHour, 3) + ARLFormat.int(c.minute, 2)
        for v in grid.values { text += ARLFormat.gridReal(v) }
        text += ARLFormat.int(nx % 1000, 3) + ARLFormat.int(ny % 1000, 3) + ARLFormat.int(levels.count + 1, 3)
            + ARLFormat.int(verticalFlag, 2)
        var levelText = ""
        for k in 0...levels.count {
            let here = packed.filter { $0.field.level == k }
            levelText += ARLFormat.levelValue(k == 0 ? surfaceLevelValue : levels[k - 1]) + ARLFormat.int(here.count, 2)
            for p in here { levelText += ARLFormat.text(p.field.name, 4) + ARLFormat.int(p.data.checksum, 3) + " " }
        }
        var length = ARLIndex.fixedLength + levelText.utf8.count
        // HYSPLIT's PAKSET counts LENH/LREC + 1 index records; pad an exact multiple so that
        // every reader agrees on the number of index records.
        if length % plane == 0 { length += 1; levelText += " " }
        guard length <= 9999 else {
            throw MetError.unsupportedLayout(path: path, variable: "INDX", detail: "the index text would be \(length) characters, more than ARL's 9999: write fewer variables or levels")
        }
        text += ARLFormat.int(length, 4) + levelText
        let indexRecords = (length + plane - 1) / plane
        var textBytes = Array(text.utf8)
        textBytes += [UInt8](repeating: 32, count: indexRecords * plane - textBytes.count)

        var out = Data()
        out.reserveCapacity((indexRecords + packed.count) * (ARLRecordHeader.length + plane))
        let indexHeader = header(time: time, forecastHour: forecastHour, level: 0, variable: "INDX", exponent: 0,
                                 precision: ARLFormat.e14(0), firstValue: ARLFormat.e14(0))
        for r in 0..<indexRecords {
            out.append(contentsOf: Array(indexHeader.utf8))
            out.append(contentsOf: textBytes[(r * plane)..<((r + 1) * plane)])
        }
        var summaries: [ARLRecordSummary] = []
        for (f, d) in packed {
            let h = header(time: time, forecastHour: forecastHour, level: f.level, variable: f.name, exponent: d.exponent,
                           precision: d.precisionText, firstValue: d.firstValueText)
            out.append(contentsOf: Array(h.utf8))
            out.append(contentsOf: d.bytes)
            let largest = f.values.reduce(0.0) { $1.isFinite ? max($0, Double(abs($1))) : $0 }
            summaries.append(ARLRecordSummary(time: time, variable: ARLFormat.text(f.name, 4), level: f.level, exponent: d.exponent,
                                              precision: d.precision, checksum: d.checksum, maxError: d.maxError,
                                              errorBound: d.errorBound(largestMagnitude: largest)))
        }
        do {
            try handle.write(contentsOf: out)
        } catch {
            throw MetWriteError.cannotWrite(path: path, detail: "\(error)")
        }
        records += summaries
        lastTime = time
        return summaries
    }

    /// Closes the temporary file and renames it to ``path`` (replacing any file there).
    /// - Throws: ``MetWriteError/cannotWrite(path:detail:)`` when closing or renaming fails, or when
    ///   no time period was written.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        do {
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw MetWriteError.cannotWrite(path: path, detail: "closing failed: \(error)")
        }
        guard lastTime != nil else {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw MetWriteError.cannotWrite(path: path, detail: "no time period was written")
        }
        if rename(temporaryPath, target) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw MetWriteError.cannotWrite(path: path, detail: "cannot move the finished file into place: \(reason)")
        }
    }

    /// Abandons the file: the temporary file is removed and nothing is written at ``path``.
    public func cancel() {
        guard !finished else { return }
        finished = true
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }
}
