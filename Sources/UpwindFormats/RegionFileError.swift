import Foundation
import UpwindAttribution

/// Why a regions GeoJSON file could not be read (issue 11, Bad input), or its outputs written
/// against it. Features are numbered 0-based in file order; every message names the file.
public enum RegionFileError: Error, CustomStringConvertible, Sendable, Equatable, LocalizedError {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file is not valid JSON: 1-based line and column of the problem.
    case invalidJSON(path: String, line: Int, column: Int, reason: String)
    /// The JSON is not a GeoJSON FeatureCollection (`found` says what it is).
    case notFeatureCollection(path: String, found: String)
    /// A FeatureCollection without features.
    case noFeatures(path: String)
    /// A feature that is not a GeoJSON Feature object, or whose properties are not an object.
    case invalidFeature(path: String, feature: Int, reason: String)
    /// A feature whose geometry is null or absent.
    case missingGeometry(path: String, feature: Int)
    /// A geometry other than Polygon or MultiPolygon.
    case unsupportedGeometry(path: String, feature: Int, type: String)
    /// Coordinates not shaped as the geometry type requires.
    case invalidCoordinates(path: String, feature: Int, reason: String)
    /// The id property named explicitly is on no feature (`feature` nil) or missing on one
    /// feature; `available` lists the properties present (on every feature, or on that one).
    case unknownIDProperty(path: String, property: String, feature: Int?, available: [String])
    /// No default id property (`adcode`, `id`, `name`) is on every feature.
    case noIDProperty(path: String, tried: [String], available: [String])
    /// An id that is not a non-empty string or a number.
    case invalidID(path: String, feature: Int, property: String, reason: String)
    /// Two features with the same id.
    case duplicateID(path: String, id: String, first: Int, second: Int)
    /// A geometry that parsed but is not a valid region (unclosed or short ring, bad coordinate).
    case invalidRegion(path: String, error: RegionError)
    /// A result whose regions are not this file's features (written against the wrong file).
    case resultMismatch(path: String, reason: String)

    /// The message: what is wrong, where, and what to do.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read regions file \(path): \(reason)"
        case .invalidJSON(let path, let line, let column, let reason):
            return "regions file \(path) is not valid JSON (line \(line), column \(column)): \(reason)"
        case .notFeatureCollection(let path, let found):
            return "regions file \(path) is not a GeoJSON FeatureCollection (found \(found)); give a FeatureCollection of Polygon or MultiPolygon features"
        case .noFeatures(let path):
            return "regions file \(path) has no features; give at least one Polygon or MultiPolygon feature"
        case .invalidFeature(let path, let feature, let reason):
            return "regions file \(path), feature \(feature): \(reason)"
        case .missingGeometry(let path, let feature):
            return "regions file \(path), feature \(feature) has no geometry; give it a Polygon or MultiPolygon or remove it"
        case .unsupportedGeometry(let path, let feature, let type):
            return "regions file \(path), feature \(feature) is a \(type); regions must be Polygon or MultiPolygon features"
        case .invalidCoordinates(let path, let feature, let reason):
            return "regions file \(path), feature \(feature): \(reason)"
        case .unknownIDProperty(let path, let property, let feature, let available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            if let feature {
                return "regions file \(path), feature \(feature) has no property '\(property)' (its properties: \(list)); give every feature that property or choose another id property"
            }
            return "regions file \(path) has no property '\(property)' (properties present: \(list)); choose one of those as the id property"
        case .noIDProperty(let path, let tried, let available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "regions file \(path): no feature id found (tried \(tried.joined(separator: ", ")), none is on every feature; properties present: \(list); name the id property explicitly"
        case .invalidID(let path, let feature, let property, let reason):
            return "regions file \(path), feature \(feature): id property '\(property)' \(reason); ids must be non-empty strings or numbers"
        case .duplicateID(let path, let id, let first, let second):
            return "regions file \(path): features \(first) and \(second) have the same id \(id); ids must be unique (choose another id property)"
        case .invalidRegion(let path, let error):
            return "regions file \(path): \(error.description)"
        case .resultMismatch(let path, let reason):
            return "cannot write regions for \(path): \(reason)"
        }
    }

    /// Same as ``description``.
    public var errorDescription: String? { description }
}
