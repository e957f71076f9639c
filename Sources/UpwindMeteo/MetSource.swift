import Foundation
import UpwindCore

/// Whatever met a run uses, opened in one call: HYSPLIT ARL packed files or CF NetCDF (told
/// apart by content, not by name), one file or many, globs expanded, with an optional variable
/// mapping for NetCDF. It carries the field the engine integrates through and what outputs
/// need to know about the met: the diagnostics it can give (CSV columns) and its
/// `MetProvenance` (tdump record 2: one grid per ARL file with its first time).
///
/// ```swift
/// let met = try MetSource.open(["Fixtures/met/gdas_042.bin"])
/// let engine = try TrajectoryEngine(field: met.field, options: TrajectoryOptions(hours: -24))
/// ```
///
/// The `upwind` CLI opens every `--met` through this type; it holds no other logic about met kinds.
public struct MetSource: Sendable {
    /// The two kinds of met file.
    public enum Format: String, Sendable, CaseIterable {
        /// HYSPLIT ARL packed (``ARLWindField``).
        case arl = "ARL packed"
        /// CF NetCDF (classic, 64-bit offset, CDF5 or NetCDF-4; ``MetWindField``).
        case netcdf = "NetCDF"
    }

    /// The files' format.
    public let format: Format
    /// The files opened, globs expanded, in the order the dataset sorts them.
    public let paths: [String]
    /// The field the engine integrates through (an ``ARLWindField``, a ``MetWindField``, or a
    /// ``WRFWindField`` for WRF ARW output, recognised by its staggered dimensions).
    public let field: any WindField
    /// Per-endpoint diagnostics the met can give (terrain, temperature and θ, mixing depth,
    /// relative humidity): the CSV columns to write before the first trajectory is known.
    public let diagnostics: DiagnosticSet
    /// What outputs say about the met (also stamped on every trajectory the engine computes).
    public var provenance: MetProvenance { field.provenance ?? MetProvenance(format: format.rawValue, grids: []) }

    /// Creates a source from a field opened by other means.
    public init(format: Format, paths: [String], field: any WindField, diagnostics: DiagnosticSet) {
        self.format = format
        self.paths = paths
        self.field = field
        self.diagnostics = diagnostics
    }

    /// The format of `patterns` (files or glob patterns; each pattern's first file is read).
    /// Paths that do not exist are skipped here (opening reports them).
    /// - Throws: ``MetError/mixedFormats(arlPath:otherPath:)`` when ARL and non-ARL files are mixed.
    public static func format(of patterns: [String]) throws -> Format {
        var arl: String?
        var other: String?
        for pattern in patterns {
            guard let path = ARLDataset.firstPath(of: pattern), FileManager.default.fileExists(atPath: path) else { continue }
            if ARLDataset.isARL(path: path) { arl = arl ?? path } else { other = other ?? path }
        }
        if let arl, let other { throw MetError.mixedFormats(arlPath: arl, otherPath: other) }
        return arl != nil ? .arl : .netcdf
    }

    /// Opens `patterns` (files or quoted glob patterns) as one source.
    ///
    /// - Parameters:
    ///   - patterns: met files or glob patterns, all ARL or all NetCDF.
    ///   - mapping: which NetCDF variable plays which role (e.g. `[.u: "UGRD"]`), for files
    ///     whose variables are not recognised; ARL files have fixed names and take none.
    /// - Throws: ``MetError/mixedFormats(arlPath:otherPath:)``,
    ///   ``MetError/mappingWithARL(paths:)``, and the readers' errors (``MetError``,
    ///   ``ARLError``).
    public static func open(_ patterns: [String], mapping: MetVariableMapping = MetVariableMapping()) throws -> MetSource {
        switch try format(of: patterns) {
        case .arl:
            guard mapping.names.isEmpty else { throw MetError.mappingWithARL(paths: patterns) }
            let field = try ARLWindField(paths: patterns)
            let d = field.dataset
            var diagnostics: DiagnosticSet = []
            if d.variables["SHGT"] != nil || d.variables["HGTS"] != nil { diagnostics.insert(.terrain) }
            if d.variables["TEMP"] != nil { diagnostics.formUnion([.temperature, .theta]) }
            if d.variables["PBLH"] != nil { diagnostics.insert(.mixingDepth) }
            if d.variables["RELH"] != nil { diagnostics.insert(.relativeHumidity) }
            return MetSource(format: .arl, paths: d.paths, field: field, diagnostics: diagnostics)
        case .netcdf:
            if let first = patterns.first.flatMap(ARLDataset.firstPath(of:)), WRFDataset.isWRF(path: first) {
                guard mapping.names.isEmpty else {
                    throw MetError.unsupportedFormat(path: first, detail: "WRF output names its variables (U, V, PH, PHB, P, PB, T, …): --map does not apply to it")
                }
                let field = WRFWindField(try WRFDataset(paths: patterns))
                var diagnostics: DiagnosticSet = [.terrain]
                let names = field.dataset.variableNames
                if names.contains("T") { diagnostics.formUnion([.temperature, .theta]) }
                if names.contains("PBLH") { diagnostics.insert(.mixingDepth) }
                return MetSource(format: .netcdf, paths: field.dataset.paths, field: field, diagnostics: diagnostics)
            }
            let dataset = try MetDataset(paths: patterns, mapping: mapping)
            let field = try MetWindField(dataset)
            var diagnostics: DiagnosticSet = []
            let v = dataset.variables
            if v[.orography] != nil || v[.geopotential] != nil || v[.geopotentialHeight] != nil { diagnostics.insert(.terrain) }
            if v[.temperature] != nil { diagnostics.formUnion([.temperature, .theta]) }
            if v[.boundaryLayerHeight] != nil { diagnostics.insert(.mixingDepth) }
            if v[.relativeHumidity] != nil { diagnostics.insert(.relativeHumidity) }
            return MetSource(format: .netcdf, paths: dataset.paths, field: field, diagnostics: diagnostics)
        }
    }

    /// Opens `patterns` with a role → variable-name mapping (NetCDF only).
    /// - Throws: what `open(_:mapping:)` throws.
    public static func open(_ patterns: [String], mapping: [MetRole: String]) throws -> MetSource {
        try open(patterns, mapping: MetVariableMapping(mapping))
    }

    /// Opens the met a `RunPlan` names (its `met.files`).
    /// - Throws: ``MetError/noFiles(pattern:)`` when the plan names no files (a dataset id is
    ///   resolved by the service, not here), and what `open(_:mapping:)` throws.
    public static func open(_ met: RunPlan.Met, mapping: MetVariableMapping = MetVariableMapping()) throws -> MetSource {
        guard let files = met.files, !files.isEmpty else {
            throw MetError.noFiles(pattern: met.dataset.map { "(dataset '\($0)': a dataset id is resolved by the service; give met.files)" }
                                   ?? "(the plan names no met files: give \"met\": {\"files\": [...]})")
        }
        return try open(files, mapping: mapping)
    }
}
