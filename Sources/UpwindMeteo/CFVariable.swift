import Foundation
import NetCDFKit
import UpwindCore

/// A snapshot of one NetCDF variable's metadata (name, dimensions, type, attributes).
struct CFVariable: Sendable {
    let handle: NetCDFVariable
    let name: String
    let dimensions: [NetCDFDimension]
    let type: NetCDFDataType
    let attributes: [String: NetCDFAttributeValue]

    init(_ v: NetCDFVariable) throws {
        handle = v
        name = v.name
        dimensions = v.dimensions
        type = v.type
        var attrs: [String: NetCDFAttributeValue] = [:]
        for a in try v.attributes() { attrs[a.name] = a.value }
        attributes = attrs
    }

    /// Text attribute, trimmed; nil when absent or numeric.
    func text(_ name: String) -> String? {
        guard let s = attributes[name]?.string else { return nil }
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\0"))
        return t.isEmpty ? nil : t
    }

    /// Numeric attribute values; nil when absent or text.
    func numbers(_ name: String) -> [Double]? { attributes[name]?.doubles }

    /// Units attribute as stored ("" when absent).
    var units: String { text("units") ?? "" }
    /// `standard_name`, lower-cased.
    var standardName: String? { text("standard_name")?.lowercased() }
    /// Dimension names in order.
    var dimensionNames: [String] { dimensions.map(\.name) }
    /// True for a 1-D variable named like its dimension (a CF coordinate variable).
    var isCoordinate: Bool { dimensions.count == 1 && dimensions[0].name == name }
}

/// How stored values become physical ones (see the *Reading meteorology* article in Upwind's documentation): values equal to a fill
/// or missing value, or outside the valid range, become NaN *before* unpacking;
/// then `value·scale_factor + add_offset`, then the role's unit conversion.
struct CFPacking: Sendable {
    var scale: Double = 1
    var offset: Double = 0
    var fills: [Double] = []
    var fillIsNaN = false
    var validMin: Double = -.infinity
    var validMax: Double = .infinity
    /// True when the valid range is expressed in unpacked units (NUG rule: its
    /// type differs from the packed variable's type).
    var validRangeUnpacked = false
    /// Conversion of the unpacked value to Upwind's normalised units.
    var unitScale: Double = 1
    var unitOffset: Double = 0

    init(_ v: CFVariable) {
        scale = v.numbers("scale_factor")?.first ?? 1
        offset = v.numbers("add_offset")?.first ?? 0
        let isPacked = v.attributes["scale_factor"] != nil || v.attributes["add_offset"] != nil
        var rawFills: [Double] = []
        if let f = v.numbers("_FillValue") { rawFills += f } else if let d = CFPacking.defaultFill(v.type) { rawFills.append(d) }
        if let m = v.numbers("missing_value") { rawFills += m }
        fillIsNaN = rawFills.contains { $0.isNaN }
        fills = rawFills.filter { !$0.isNaN }.map { CFPacking.asStored($0, type: v.type) }
        if let r = v.numbers("valid_range"), r.count == 2 {
            validMin = r[0]; validMax = r[1]
        }
        if let m = v.numbers("valid_min")?.first { validMin = m }
        if let m = v.numbers("valid_max")?.first { validMax = m }
        if isPacked, let attr = v.attributes["valid_range"] ?? v.attributes["valid_min"] ?? v.attributes["valid_max"] {
            validRangeUnpacked = !CFPacking.attribute(attr, hasTypeOf: v.type)
        }
    }

    /// The netCDF default fill value of a type (masked when `_FillValue` is absent, as
    /// netCDF4-python does; bytes have none).
    static func defaultFill(_ type: NetCDFDataType) -> Double? {
        switch type {
        case .short: return -32767
        case .int: return -2_147_483_647
        case .float: return Double(Float(9.9692099683868690e+36))
        case .double: return 9.9692099683868690e+36
        case .ushort: return 65535
        case .uint: return 4_294_967_295
        default: return nil
        }
    }

    /// A fill value as the stored type would hold it (so float fills compare exactly).
    static func asStored(_ value: Double, type: NetCDFDataType) -> Double {
        switch type {
        case .float: return Double(Float(value))
        case .double: return value
        default: return value.rounded()
        }
    }

    static func attribute(_ a: NetCDFAttributeValue, hasTypeOf type: NetCDFDataType) -> Bool {
        switch (a, type) {
        case (.int8, .byte), (.uint8, .ubyte), (.int16, .short), (.uint16, .ushort), (.int32, .int),
             (.uint32, .uint), (.int64, .int64), (.uint64, .uint64), (.float, .float), (.double, .double): return true
        default: return false
        }
    }

    /// The per-value decoder of this packing (constants folded once per read).
    var decoder: CFDecoder { CFDecoder(self) }
}

/// `CFPacking` turned into a per-value decoder: stored value → normalised physical `Float`,
/// NaN where missing (fill or missing value, NaN, outside the valid range, or not finite once
/// unpacked). Float data without packing, range or more than one fill takes a single-precision
/// path that gives the same results as the double-precision one.
struct CFDecoder: Sendable {
    /// Combined packing and unit scale, and offset: value = stored · scale + offset.
    let scale: Double
    let offset: Double
    let fills: [Double]
    let oneFill: Double?
    let checkRange: Bool
    let unpackedRange: Bool
    let validMin: Double
    let validMax: Double
    let packScale: Double
    let packOffset: Double
    /// Float input whose value is the stored one (+0 folds −0, as `·1 + 0` does in double).
    let floatIdentity: Bool
    /// The one fill as a Float (exact: float fills are stored as float), NaN when there is none.
    let floatFill: Float
    /// Float input with at most one fill and no valid range: only scale and offset apply.
    let floatSimple: Bool

    init(_ p: CFPacking) {
        scale = p.scale * p.unitScale
        offset = p.offset * p.unitScale + p.unitOffset
        fills = p.fills
        oneFill = p.fills.count == 1 ? p.fills[0] : nil
        checkRange = p.validMin > -Double.infinity || p.validMax < Double.infinity
        unpackedRange = p.validRangeUnpacked
        validMin = p.validMin
        validMax = p.validMax
        packScale = p.scale
        packOffset = p.offset
        floatSimple = p.fills.count <= 1 && !checkRange
        floatFill = p.fills.first.map { Float($0) } ?? .nan
        floatIdentity = floatSimple && scale == 1 && offset == 0
    }

    /// One stored value, decoded.
    @inline(__always)
    func value(_ r: Double) -> Float {
        var value = Double.nan
        if !r.isNaN, oneFill.map({ r != $0 }) ?? !fills.contains(r) {
            let inRange: Bool
            if checkRange {
                let tested = unpackedRange ? (r * packScale + packOffset) : r
                inRange = tested >= validMin && tested <= validMax
            } else {
                inRange = true
            }
            if inRange { value = r * scale + offset }
        }
        return value.isFinite ? Float(value) : .nan
    }

    /// Decodes `count` contiguous Float values from `src` into `dst`, each divided by `divisor`.
    func decode(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int, divisor: Float) {
        let fill = floatFill
        if floatIdentity && divisor == 1 {
            for i in 0..<count {
                let v = src[i]
                dst[i] = v.isFinite && v != fill ? v + 0 : .nan
            }
        } else if floatIdentity {
            for i in 0..<count {
                let v = src[i]
                dst[i] = (v.isFinite && v != fill ? v + 0 : .nan) / divisor
            }
        } else if floatSimple {
            let scale = self.scale, offset = self.offset
            for i in 0..<count {
                let v = src[i]
                let x = Double(v) * scale + offset
                let d: Float = !v.isNaN && v != fill && x.isFinite ? Float(x) : .nan
                dst[i] = divisor == 1 ? d : d / divisor
            }
        } else {
            for i in 0..<count { dst[i] = divisor == 1 ? value(Double(src[i])) : value(Double(src[i])) / divisor }
        }
    }

    /// Decodes `count` contiguous Double values from `src` into `dst`, each divided by `divisor`.
    func decode(_ src: UnsafePointer<Double>, into dst: UnsafeMutablePointer<Float>, count: Int, divisor: Float) {
        for i in 0..<count { dst[i] = divisor == 1 ? value(src[i]) : value(src[i]) / divisor }
    }
}
