/// The vertical levels of gridded data, ordered bottom-up (index 0 nearest the ground).
public enum VerticalLevels: Sendable, Equatable {
    /// Isobaric levels, hPa, decreasing upward.
    case pressure([Double])
    /// Terrain-following σ levels, decreasing upward: p = top + σ·(p_surface − top), hPa.
    case sigma([Double], topPressure: Double)
    /// Hybrid σ-pressure levels, bottom-up: p = a + b·p_surface, hPa (a in hPa, b dimensionless).
    case hybrid(a: [Double], b: [Double])
    /// A single level with no vertical coordinate (2-D flow).
    case single

    /// Number of levels.
    public var count: Int {
        switch self {
        case .pressure(let p): return p.count
        case .sigma(let s, _): return s.count
        case .hybrid(let a, _): return a.count
        case .single: return 1
        }
    }
}

/// One time of gridded met data in the engine's layout: `Float` arrays indexed
/// `(k·ny + j)·nx + i`, levels bottom-up, NaN where missing. Winds are along the grid's
/// ``HorizontalGrid/windAxes(i:j:)``.
///
/// A value type backed by one shared, immutable storage object that holds every field once,
/// in one read-only buffer (see `ReadOnlyBuffer` for the lifetime rule of the unmanaged views
/// the integrator reads): passing slices around costs one reference count, not one per field.
/// The field properties return copies of the stored values (read a field once per slice, not
/// once per point); every setter builds new storage.
public struct GridSlice: Sendable {
    /// The fields a slice can hold, in storage order.
    enum Field: Int, CaseIterable, Sendable {
        case u, v, omega, height, temperature, relativeHumidity, surfacePressure, terrain, mixingDepth, pressure

        /// True for fields on the levels (`nx·ny·nz` values), false for surface ones (`nx·ny`).
        var isThreeDimensional: Bool {
            switch self {
            case .u, .v, .omega, .height, .temperature, .relativeHumidity, .pressure: return true
            case .surfacePressure, .terrain, .mixingDepth: return false
            }
        }
    }

    /// Immutable storage: every field once, one after another in one ``ReadOnlyBuffer``, and
    /// ``raw``, the views of them the integrator reads (no reference counting, no exclusivity
    /// checks). Valid views as long as this storage lives (the buffer's rule).
    final class Storage: Sendable {
        let time: UTCTime
        let nx: Int, ny: Int, nz: Int
        /// The fields' values, one after another.
        let buffer: ReadOnlyBuffer<Float>
        /// Where each field lies in ``buffer``, by ``Field`` raw value (nil: absent).
        let ranges: [Range<Int>?]
        /// Views of the fields in ``buffer``.
        let raw: RawSlice

        /// Copies `fields` (by ``Field`` raw value, nil where absent) into one buffer.
        /// Precondition: each field holds `nx·ny·nz` values (3-D) or `nx·ny` (surface), and u, v are present.
        convenience init(time: UTCTime, nx: Int, ny: Int, nz: Int, fields: [[Float]?]) {
            precondition(fields.count == Field.allCases.count && fields[Field.u.rawValue] != nil && fields[Field.v.rawValue] != nil,
                         "GridSlice: u and v are required")
            var ranges: [Range<Int>?] = []
            var total = 0
            for field in Field.allCases {
                guard let values = fields[field.rawValue] else { ranges.append(nil); continue }
                let expected = field.isThreeDimensional ? nx * ny * nz : nx * ny
                precondition(values.count == expected,
                             "GridSlice: \(field) holds \(values.count) values, expected \(expected) (nx \(nx), ny \(ny), nz \(nz))")
                ranges.append(total ..< total + values.count)
                total += values.count
            }
            let buffer = ReadOnlyBuffer<Float>(count: total) { out in
                for case let (values?, range?) in zip(fields, ranges) {
                    _ = UnsafeMutableBufferPointer(rebasing: out[range]).initialize(fromContentsOf: values)
                }
            }
            self.init(time: time, nx: nx, ny: ny, nz: nz, buffer: buffer, ranges: ranges)
        }

        /// Storage over an existing buffer (a new time for the same fields shares them).
        init(time: UTCTime, nx: Int, ny: Int, nz: Int, buffer: ReadOnlyBuffer<Float>, ranges: [Range<Int>?]) {
            self.time = time; self.nx = nx; self.ny = ny; self.nz = nz
            self.buffer = buffer; self.ranges = ranges
            func view(_ f: Field) -> UnsafePointer<Float>? { ranges[f.rawValue].map { buffer.base + $0.lowerBound } }
            // u and v are always present (checked when the buffer was filled).
            raw = RawSlice(nx: nx, ny: ny, nz: nz, u: view(.u) ?? buffer.base, v: view(.v) ?? buffer.base, omega: view(.omega),
                           surfacePressure: view(.surfacePressure), height: view(.height), temperature: view(.temperature),
                           relativeHumidity: view(.relativeHumidity), terrain: view(.terrain), mixingDepth: view(.mixingDepth),
                           pressure: view(.pressure))
        }

        /// A copy of field `f`'s values, or nil when absent.
        func values(_ f: Field) -> [Float]? {
            ranges[f.rawValue].map { Array(UnsafeBufferPointer(rebasing: buffer.elements[$0])) }
        }

        /// New storage with field `f` replaced by `values` (the other fields copied).
        func replacing(_ f: Field, with values: [Float]?) -> Storage {
            var fields = Field.allCases.map { self.values($0) }
            fields[f.rawValue] = values
            return Storage(time: time, nx: nx, ny: ny, nz: nz, fields: fields)
        }

        /// The same fields (shared, not copied) at another time.
        func at(_ time: UTCTime) -> Storage { Storage(time: time, nx: nx, ny: ny, nz: nz, buffer: buffer, ranges: ranges) }
    }

    let storage: Storage

    /// Creates a slice from its fields, copied once into the slice's storage (each optional
    /// one may be set afterwards too, but every setter rebuilds the storage: a reader should
    /// pass all it has here, once). Units as the properties below; 3-D arrays hold `nx·ny·nz`
    /// values indexed `(k·ny + j)·nx + i`, 2-D ones `nx·ny` indexed `j·nx + i` (a wrong count
    /// is a programming error and traps).
    ///
    /// `pressure` (hPa, 3-D) gives every node's level pressures for terrain-following data whose
    /// pressure is a field rather than a formula (WRF's `P + PB`): when present on σ or hybrid
    /// levels the engine uses it instead of the levels' formula (pressure levels ignore it).
    public init(time: UTCTime, nx: Int, ny: Int, nz: Int, u: [Float], v: [Float], omega: [Float]? = nil, height: [Float]? = nil,
                temperature: [Float]? = nil, relativeHumidity: [Float]? = nil, surfacePressure: [Float]? = nil,
                terrain: [Float]? = nil, mixingDepth: [Float]? = nil, pressure: [Float]? = nil) {
        storage = Storage(time: time, nx: nx, ny: ny, nz: nz,
                          fields: [u, v, omega, height, temperature, relativeHumidity, surfacePressure, terrain, mixingDepth, pressure])
    }

    init(storage: Storage) { self.storage = storage }

    /// Valid time (UTC).
    public var time: UTCTime { get { storage.time } set { self = GridSlice(storage: storage.at(newValue)) } }
    /// Nodes along x.
    public var nx: Int { storage.nx }
    /// Nodes along y.
    public var ny: Int { storage.ny }
    /// Levels.
    public var nz: Int { storage.nz }
    /// Wind component along the grid's u axis, m s⁻¹, 3-D (a copy).
    public var u: [Float] { get { storage.values(.u) ?? [] } set { self = GridSlice(storage: storage.replacing(.u, with: newValue)) } }
    /// Wind component along the grid's v axis, m s⁻¹, 3-D (a copy).
    public var v: [Float] { get { storage.values(.v) ?? [] } set { self = GridSlice(storage: storage.replacing(.v, with: newValue)) } }
    /// Pressure vertical velocity ω, Pa s⁻¹ (positive downward), 3-D (a copy).
    public var omega: [Float]? { get { storage.values(.omega) } set { self = GridSlice(storage: storage.replacing(.omega, with: newValue)) } }
    /// Geopotential height, m above mean sea level, 3-D (a copy).
    public var height: [Float]? { get { storage.values(.height) } set { self = GridSlice(storage: storage.replacing(.height, with: newValue)) } }
    /// Air temperature, K, 3-D (a copy).
    public var temperature: [Float]? { get { storage.values(.temperature) } set { self = GridSlice(storage: storage.replacing(.temperature, with: newValue)) } }
    /// Relative humidity, %, 3-D (a copy).
    public var relativeHumidity: [Float]? { get { storage.values(.relativeHumidity) } set { self = GridSlice(storage: storage.replacing(.relativeHumidity, with: newValue)) } }
    /// Surface pressure, hPa, 2-D (a copy).
    public var surfacePressure: [Float]? { get { storage.values(.surfacePressure) } set { self = GridSlice(storage: storage.replacing(.surfacePressure, with: newValue)) } }
    /// Terrain height above mean sea level, m, 2-D (a copy).
    public var terrain: [Float]? { get { storage.values(.terrain) } set { self = GridSlice(storage: storage.replacing(.terrain, with: newValue)) } }
    /// Boundary-layer (mixing) depth, m, 2-D (a copy).
    public var mixingDepth: [Float]? { get { storage.values(.mixingDepth) } set { self = GridSlice(storage: storage.replacing(.mixingDepth, with: newValue)) } }
    /// Pressure of every level at every node, hPa, 3-D (a copy); nil when the levels' formula
    /// gives it (pressure, σ and hybrid levels from surface pressure).
    public var pressure: [Float]? { get { storage.values(.pressure) } set { self = GridSlice(storage: storage.replacing(.pressure, with: newValue)) } }

    /// Index of node (i, j) at level k.
    @inlinable public func index(_ i: Int, _ j: Int, _ k: Int) -> Int { (k * ny + j) * nx + i }

    /// True when the slice holds field `f` (no copy, unlike the field properties).
    func has(_ f: Field) -> Bool { storage.ranges[f.rawValue] != nil }

    /// The bytes this slice's storage holds for its fields (each field once).
    var byteCount: Int { storage.buffer.count * MemoryLayout<Float>.size }
}

/// Read-only views of one slice's fields in its storage's ``ReadOnlyBuffer`` (a non-owning
/// view: valid while that storage lives, under the buffer's lifetime rule), so the integrator
/// and the endpoint diagnostics read them with no reference counting.
///
/// `@unchecked Sendable` because it holds pointers: they are `let`s into memory that is
/// immutable after the storage's `init` (``ReadOnlyBuffer``), so any thread may read them.
struct RawSlice: @unchecked Sendable {
    let nx: Int, ny: Int, nz: Int
    let u: UnsafePointer<Float>
    let v: UnsafePointer<Float>
    let omega: UnsafePointer<Float>?
    let surfacePressure: UnsafePointer<Float>?
    let height: UnsafePointer<Float>?
    let temperature: UnsafePointer<Float>?
    let relativeHumidity: UnsafePointer<Float>?
    let terrain: UnsafePointer<Float>?
    let mixingDepth: UnsafePointer<Float>?
    /// Per-node level pressures, hPa (terrain-following data such as WRF's), or nil.
    let pressure: UnsafePointer<Float>?
}

/// Time-sliced gridded meteorology the engine integrates through: a grid, levels,
/// valid times and slices loaded on demand. Implementations must be thread-safe.
public protocol WindField: Sendable {
    /// The horizontal grid.
    var grid: any HorizontalGrid { get }
    /// The vertical levels.
    var levels: VerticalLevels { get }
    /// Valid times, strictly increasing.
    var times: [UTCTime] { get }
    /// The met model's id for outputs (e.g. `ERA5`), if known.
    var modelID: String? { get }
    /// The slice at time index `index`.
    /// - Throws: whatever the underlying reader throws.
    func slice(at index: Int) throws -> GridSlice
    /// What outputs say about this met (files, first times, model), stamped on every
    /// trajectory as ``TrajectoryProvenance/met``; nil when unknown (the default).
    var provenance: MetProvenance? { get }
}

extension WindField {
    /// No provenance: outputs fall back to the model id and the trajectories' own times.
    public var provenance: MetProvenance? { nil }
}

/// A ``WindField`` held in memory (analytic fields in tests, small derived datasets).
public struct InMemoryWindField: WindField {
    public let grid: any HorizontalGrid
    public let levels: VerticalLevels
    public let slices: [GridSlice]
    public let modelID: String?
    public var times: [UTCTime] { slices.map(\.time) }

    /// Creates a field from slices in increasing time order.
    public init(grid: any HorizontalGrid, levels: VerticalLevels, slices: [GridSlice], modelID: String? = nil) {
        self.grid = grid; self.levels = levels; self.slices = slices; self.modelID = modelID
    }

    public func slice(at index: Int) throws -> GridSlice {
        guard slices.indices.contains(index) else { throw TrajectoryError.sliceOutOfRange(index: index, count: slices.count) }
        return slices[index]
    }
}
