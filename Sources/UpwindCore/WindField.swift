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
/// A value type backed by one shared storage object (copy-on-write), so passing slices
/// around the integrator costs one reference count, not one per field.
public struct GridSlice: Sendable {
    /// Immutable storage: reads on the integrator's hot path are plain loads (no
    /// exclusivity checks); a setter replaces the storage.
    final class Storage: Sendable {
        let time: UTCTime
        let nx: Int, ny: Int, nz: Int
        let u: [Float], v: [Float]
        let omega: [Float]?, height: [Float]?, temperature: [Float]?, relativeHumidity: [Float]?
        let surfacePressure: [Float]?, terrain: [Float]?, mixingDepth: [Float]?

        /// Unmanaged copies of the fields the integrator reads at every evaluation, so the hot
        /// path touches no reference counts (shared storage would bounce its count between cores).
        let raw: RawSlice

        init(time: UTCTime, nx: Int, ny: Int, nz: Int, u: [Float], v: [Float], omega: [Float]? = nil, height: [Float]? = nil,
             temperature: [Float]? = nil, relativeHumidity: [Float]? = nil, surfacePressure: [Float]? = nil,
             terrain: [Float]? = nil, mixingDepth: [Float]? = nil) {
            self.time = time; self.nx = nx; self.ny = ny; self.nz = nz; self.u = u; self.v = v
            self.omega = omega; self.height = height; self.temperature = temperature; self.relativeHumidity = relativeHumidity
            self.surfacePressure = surfacePressure; self.terrain = terrain; self.mixingDepth = mixingDepth
            raw = RawSlice(nx: nx, ny: ny, nz: nz, u: u, v: v, omega: omega, surfacePressure: surfacePressure, height: height,
                           temperature: temperature, relativeHumidity: relativeHumidity, terrain: terrain, mixingDepth: mixingDepth)
        }

        deinit { raw.deallocate() }

        func with(time: UTCTime? = nil, u: [Float]? = nil, v: [Float]? = nil, omega: [Float]?? = nil, height: [Float]?? = nil,
                  temperature: [Float]?? = nil, relativeHumidity: [Float]?? = nil, surfacePressure: [Float]?? = nil,
                  terrain: [Float]?? = nil, mixingDepth: [Float]?? = nil) -> Storage {
            Storage(time: time ?? self.time, nx: nx, ny: ny, nz: nz, u: u ?? self.u, v: v ?? self.v,
                    omega: omega ?? self.omega, height: height ?? self.height, temperature: temperature ?? self.temperature,
                    relativeHumidity: relativeHumidity ?? self.relativeHumidity, surfacePressure: surfacePressure ?? self.surfacePressure,
                    terrain: terrain ?? self.terrain, mixingDepth: mixingDepth ?? self.mixingDepth)
        }
    }

    let storage: Storage

    /// Creates a slice from its fields (each optional one may be set afterwards too, but
    /// every setter rebuilds the storage: a reader should pass all it has here, once).
    /// Units as the properties below; arrays indexed `(k·ny + j)·nx + i`, 2-D ones `j·nx + i`.
    public init(time: UTCTime, nx: Int, ny: Int, nz: Int, u: [Float], v: [Float], omega: [Float]? = nil, height: [Float]? = nil,
                temperature: [Float]? = nil, relativeHumidity: [Float]? = nil, surfacePressure: [Float]? = nil,
                terrain: [Float]? = nil, mixingDepth: [Float]? = nil) {
        storage = Storage(time: time, nx: nx, ny: ny, nz: nz, u: u, v: v, omega: omega, height: height, temperature: temperature,
                          relativeHumidity: relativeHumidity, surfacePressure: surfacePressure, terrain: terrain, mixingDepth: mixingDepth)
    }

    init(storage: Storage) { self.storage = storage }

    /// Valid time (UTC).
    public var time: UTCTime { get { storage.time } set { self = GridSlice(storage: storage.with(time: newValue)) } }
    /// Nodes along x.
    public var nx: Int { storage.nx }
    /// Nodes along y.
    public var ny: Int { storage.ny }
    /// Levels.
    public var nz: Int { storage.nz }
    /// Wind component along the grid's u axis, m s⁻¹, 3-D.
    public var u: [Float] { get { storage.u } set { self = GridSlice(storage: storage.with(u: newValue)) } }
    /// Wind component along the grid's v axis, m s⁻¹, 3-D.
    public var v: [Float] { get { storage.v } set { self = GridSlice(storage: storage.with(v: newValue)) } }
    /// Pressure vertical velocity ω, Pa s⁻¹ (positive downward), 3-D.
    public var omega: [Float]? { get { storage.omega } set { self = GridSlice(storage: storage.with(omega: .some(newValue))) } }
    /// Geopotential height, m above mean sea level, 3-D.
    public var height: [Float]? { get { storage.height } set { self = GridSlice(storage: storage.with(height: .some(newValue))) } }
    /// Air temperature, K, 3-D.
    public var temperature: [Float]? { get { storage.temperature } set { self = GridSlice(storage: storage.with(temperature: .some(newValue))) } }
    /// Relative humidity, %, 3-D.
    public var relativeHumidity: [Float]? { get { storage.relativeHumidity } set { self = GridSlice(storage: storage.with(relativeHumidity: .some(newValue))) } }
    /// Surface pressure, hPa, 2-D.
    public var surfacePressure: [Float]? { get { storage.surfacePressure } set { self = GridSlice(storage: storage.with(surfacePressure: .some(newValue))) } }
    /// Terrain height above mean sea level, m, 2-D.
    public var terrain: [Float]? { get { storage.terrain } set { self = GridSlice(storage: storage.with(terrain: .some(newValue))) } }
    /// Boundary-layer (mixing) depth, m, 2-D.
    public var mixingDepth: [Float]? { get { storage.mixingDepth } set { self = GridSlice(storage: storage.with(mixingDepth: .some(newValue))) } }

    /// Index of node (i, j) at level k.
    @inlinable public func index(_ i: Int, _ j: Int, _ k: Int) -> Int { (k * ny + j) * nx + i }
}

/// Unmanaged copies of one slice's fields (owned and freed by the slice's storage; valid
/// while that storage lives), so the integrator and the endpoint diagnostics read them with
/// no reference counting.
struct RawSlice: @unchecked Sendable {
    let nx: Int, ny: Int, nz: Int
    let u: UnsafeMutablePointer<Float>
    let v: UnsafeMutablePointer<Float>
    let omega: UnsafeMutablePointer<Float>?
    let surfacePressure: UnsafeMutablePointer<Float>?
    let height: UnsafeMutablePointer<Float>?
    let temperature: UnsafeMutablePointer<Float>?
    let relativeHumidity: UnsafeMutablePointer<Float>?
    let terrain: UnsafeMutablePointer<Float>?
    let mixingDepth: UnsafeMutablePointer<Float>?

    init(nx: Int, ny: Int, nz: Int, u: [Float], v: [Float], omega: [Float]?, surfacePressure: [Float]?, height: [Float]? = nil,
         temperature: [Float]? = nil, relativeHumidity: [Float]? = nil, terrain: [Float]? = nil, mixingDepth: [Float]? = nil) {
        self.nx = nx; self.ny = ny; self.nz = nz
        func copy(_ a: [Float]) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(a.count, 1))
            a.withUnsafeBufferPointer { src in
                if let base = src.baseAddress { p.initialize(from: base, count: a.count) }
            }
            return p
        }
        self.u = copy(u); self.v = copy(v)
        self.omega = omega.map(copy)
        self.surfacePressure = surfacePressure.map(copy)
        self.height = height.map(copy)
        self.temperature = temperature.map(copy)
        self.relativeHumidity = relativeHumidity.map(copy)
        self.terrain = terrain.map(copy)
        self.mixingDepth = mixingDepth.map(copy)
    }

    func deallocate() {
        u.deallocate(); v.deallocate(); omega?.deallocate(); surfacePressure?.deallocate()
        height?.deallocate(); temperature?.deallocate(); relativeHumidity?.deallocate(); terrain?.deallocate(); mixingDepth?.deallocate()
    }
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
