import Foundation
import UpwindAttribution

/// A regions file (issue 11 item 1): a GeoJSON FeatureCollection (RFC 7946) of Polygon and
/// MultiPolygon features (holes included) read into ``regions``, with each feature's own JSON
/// kept so that `regions.geojson` can be written as the input features with the statistics added
/// (``RegionFiles/geojson(_:file:)``).
///
/// **Ids and labels.** The id is the property named by `idProperty` (`--region-id`); without
/// one, the first of `adcode`, `id`, `name` that every feature has (a Feature's own `id` member
/// counts as its `id` property). String ids are kept as written; numbers are written in their
/// shortest form (`410102`, never `410102.0`). The label is the `name` property (a string or a
/// number), else the id. Ids must be unique.
///
/// ```swift
/// let file = try RegionFile.read(path: "henan-counties.geojson")      // ids from `adcode`
/// let index = try RegionIndex(regions: file.regions)
/// ```
public struct RegionFile: Sendable {
    /// The path as given (or the name given to ``parse(_:name:idProperty:)``).
    public let path: String
    /// The property the ids were taken from.
    public let idProperty: String
    /// One region per feature, in file order.
    public let regions: [Region]
    /// The file's bytes (the features' JSON is copied from them when writing).
    let source: [UInt8]
    /// Each feature's members (key and the byte range of its value), in file order.
    let features: [[Member]]
    /// Each feature's properties (key and the byte range of its value), in file order.
    let properties: [[Member]]
    /// The collection's members other than `features`.
    let collection: [Member]

    /// A member of a JSON object and where its value lies in ``source``.
    struct Member: Sendable {
        var key: String
        var range: Range<Int>
    }

    /// The default id properties, tried in this order.
    public static let defaultIDProperties = ["adcode", "id", "name"]

    /// Reads a regions file.
    /// - Parameters:
    ///   - path: the GeoJSON file.
    ///   - idProperty: the property holding the ids, or nil for the default (see the type).
    /// - Returns: the file's regions.
    /// - Throws: ``RegionFileError`` naming the file, the feature and what to do.
    public static func read(path: String, idProperty: String? = nil) throws(RegionFileError) -> RegionFile {
        if let kind = InputDevice.kind(path) { throw .unreadable(path: path, reason: "it is \(kind), not a file") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "\(error.localizedDescription)" : "no such file"
            throw .unreadable(path: path, reason: reason)
        }
        return try parse([UInt8](data), name: path, idProperty: idProperty)
    }

    /// Parses regions from GeoJSON bytes.
    /// - Parameters:
    ///   - bytes: the UTF-8 GeoJSON text.
    ///   - name: a name for messages (the path).
    ///   - idProperty: the property holding the ids, or nil for the default.
    /// - Returns: the regions.
    /// - Throws: ``RegionFileError``.
    public static func parse(_ bytes: [UInt8], name: String, idProperty: String? = nil) throws(RegionFileError) -> RegionFile {
        let root: RegionJSON
        do throws(RegionJSONSyntaxError) {
            root = try RegionJSONParser.parse(bytes)
        } catch {
            let (line, column) = error.position(in: bytes)
            throw .invalidJSON(path: name, line: line, column: column, reason: error.reason)
        }
        guard case .object(let top) = root.kind else { throw .notFeatureCollection(path: name, found: root.kindName) }
        guard case .string("FeatureCollection")? = root["type"]?.kind else {
            let found = root["type"].map { "type \($0.kindName)" } ?? "an object without \"type\""
            throw .notFeatureCollection(path: name, found: found)
        }
        guard let featuresValue = root["features"], case .array(let items) = featuresValue.kind else {
            throw .notFeatureCollection(path: name, found: "a FeatureCollection without a \"features\" array")
        }
        guard !items.isEmpty else { throw .noFeatures(path: name) }

        // Properties and geometry of each feature.
        var propertyLists: [[(key: String, value: RegionJSON)]] = []
        var featureIDs: [RegionJSON?] = []
        var polygons: [[Region.Polygon]] = []
        var members: [[Member]] = []
        for (f, item) in items.enumerated() {
            guard case .object(let fields) = item.kind else {
                throw .invalidFeature(path: name, feature: f, reason: "it is \(item.kindName), not a Feature object")
            }
            if let type = item["type"], !(type.isString("Feature")) {
                throw .invalidFeature(path: name, feature: f, reason: "its type is \(type.kindName), not \"Feature\"")
            }
            members.append(fields.map { Member(key: $0.key, range: $0.value.range) })
            switch item["properties"]?.kind {
            case .object(let p)?: propertyLists.append(p)
            case .null?, nil: propertyLists.append([])
            case .some:
                throw .invalidFeature(path: name, feature: f, reason: "its properties are \(item["properties"]?.kindName ?? "?"), not an object")
            }
            featureIDs.append(item["id"])
            guard let geometry = item["geometry"], !geometry.isNull else { throw .missingGeometry(path: name, feature: f) }
            polygons.append(try readGeometry(geometry, path: name, feature: f))
        }

        // The id property.
        func value(_ f: Int, _ key: String) -> RegionJSON? {
            if let v = propertyLists[f].first(where: { $0.key == key })?.value, !v.isNull { return v }
            if key == "id", let v = featureIDs[f], !v.isNull { return v }
            return nil
        }
        var present: [String] = []
        for list in propertyLists {
            for (key, _) in list where !present.contains(key) { present.append(key) }
        }
        let property: String
        if let idProperty {
            guard (0..<items.count).contains(where: { value($0, idProperty) != nil }) else {
                throw .unknownIDProperty(path: name, property: idProperty, feature: nil, available: present)
            }
            if let f = (0..<items.count).first(where: { value($0, idProperty) == nil }) {
                throw .unknownIDProperty(path: name, property: idProperty, feature: f, available: propertyLists[f].map(\.key))
            }
            property = idProperty
        } else {
            guard let found = defaultIDProperties.first(where: { key in (0..<items.count).allSatisfy { value($0, key) != nil } }) else {
                throw .noIDProperty(path: name, tried: defaultIDProperties, available: present)
            }
            property = found
        }

        var regions: [Region] = []
        regions.reserveCapacity(items.count)
        var seen: [String: Int] = [:]
        for f in 0..<items.count {
            guard let raw = value(f, property) else { throw .unknownIDProperty(path: name, property: property, feature: f, available: []) }
            let id: String
            switch raw.kind {
            case .string(let s):
                guard !s.isEmpty else { throw .invalidID(path: name, feature: f, property: property, reason: "is an empty string") }
                id = s
            case .number(let x):
                id = numberText(x, raw: bytes[raw.range])
            default:
                throw .invalidID(path: name, feature: f, property: property, reason: "is \(raw.kindName)")
            }
            if let first = seen[id] { throw .duplicateID(path: name, id: id, first: first, second: f) }
            seen[id] = f
            var label = id
            if let n = value(f, "name") {
                switch n.kind {
                case .string(let s) where !s.isEmpty: label = s
                case .number(let x): label = numberText(x, raw: bytes[n.range])
                default: break
                }
            }
            let region = Region(id: id, name: label, polygons: polygons[f])
            do throws(RegionError) {
                try region.validate(feature: f)
            } catch {
                throw .invalidRegion(path: name, error: error)
            }
            regions.append(region)
        }
        let collection = top.filter { $0.key != "features" }.map { Member(key: $0.key, range: $0.value.range) }
        let properties = propertyLists.map { list in list.map { Member(key: $0.key, range: $0.value.range) } }
        return RegionFile(path: name, idProperty: property, regions: regions, source: bytes, features: members,
                          properties: properties, collection: collection)
    }

    /// The index of this file's regions.
    /// - Returns: the index.
    /// - Throws: ``RegionFileError/invalidRegion(path:error:)``.
    public func index() throws(RegionFileError) -> RegionIndex {
        do throws(RegionError) {
            return try RegionIndex(regions: regions)
        } catch {
            throw .invalidRegion(path: path, error: error)
        }
    }

    /// A number id or label: whole numbers below 10¹⁵ without a fraction, others as written.
    static func numberText(_ x: Double, raw: ArraySlice<UInt8>) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(decoding: raw, as: UTF8.self)
    }

    /// The polygons of a Polygon or MultiPolygon geometry.
    static func readGeometry(_ geometry: RegionJSON, path: String, feature f: Int) throws(RegionFileError) -> [Region.Polygon] {
        guard case .object = geometry.kind else {
            throw .invalidFeature(path: path, feature: f, reason: "its geometry is \(geometry.kindName), not an object")
        }
        guard let typeValue = geometry["type"], case .string(let type) = typeValue.kind else {
            throw .invalidFeature(path: path, feature: f, reason: "its geometry has no \"type\"")
        }
        guard type == "Polygon" || type == "MultiPolygon" else { throw .unsupportedGeometry(path: path, feature: f, type: type) }
        guard let coordinates = geometry["coordinates"] else {
            throw .invalidCoordinates(path: path, feature: f, reason: "the \(type) has no \"coordinates\"")
        }
        func fail(_ reason: String) -> RegionFileError { .invalidCoordinates(path: path, feature: f, reason: reason) }
        func position(_ v: RegionJSON, _ where_: String) throws(RegionFileError) -> Region.Position {
            guard case .array(let xs) = v.kind, xs.count >= 2, case .number(let lon) = xs[0].kind, case .number(let lat) = xs[1].kind else {
                throw fail("\(where_) is \(v.kindName), not a position [longitude, latitude]")
            }
            return Region.Position(longitude: lon, latitude: lat)
        }
        func polygon(_ v: RegionJSON, _ where_: String) throws(RegionFileError) -> Region.Polygon {
            guard case .array(let rings) = v.kind else { throw fail("\(where_) is \(v.kindName), not an array of rings") }
            guard !rings.isEmpty else { throw fail("\(where_) has no rings") }
            var out: [[Region.Position]] = []
            for (r, ring) in rings.enumerated() {
                let ringName = "\(where_), ring \(r)"
                guard case .array(let ps) = ring.kind else { throw fail("\(ringName) is \(ring.kindName), not an array of positions") }
                var list: [Region.Position] = []
                list.reserveCapacity(ps.count)
                for (k, p) in ps.enumerated() { list.append(try position(p, "\(ringName), position \(k)")) }
                out.append(list)
            }
            return Region.Polygon(outer: out[0], holes: Array(out.dropFirst()))
        }
        if type == "Polygon" { return [try polygon(coordinates, "the Polygon")] }
        guard case .array(let parts) = coordinates.kind else {
            throw fail("the MultiPolygon's coordinates are \(coordinates.kindName), not an array of polygons")
        }
        var out: [Region.Polygon] = []
        for (p, part) in parts.enumerated() { out.append(try polygon(part, "polygon \(p) of the MultiPolygon")) }
        return out
    }
}

extension RegionJSON {
    var isNull: Bool {
        if case .null = kind { return true }
        return false
    }

    func isString(_ s: String) -> Bool {
        if case .string(let t) = kind { return t == s }
        return false
    }
}
