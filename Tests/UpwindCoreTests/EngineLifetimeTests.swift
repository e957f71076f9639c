#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import UpwindCore

/// The process's resident set size, for leak checks.
enum ResidentMemory {
    /// Resident set size of this process in bytes (`/proc/self/statm` on Linux, the Mach
    /// task's basic info on macOS), or nil where neither is available.
    static func bytes() -> Int? {
        #if os(Linux)
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        // "size resident shared text lib data dt", in pages.
        let fields = String(decoding: buffer[0 ..< n], as: UTF8.self).split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #elseif canImport(Darwin)
        var info = mach_task_basic_info()
        var count = mach_msg_type_number_t(MemoryLayout<mach_task_basic_info>.size / MemoryLayout<natural_t>.size)
        let status = withUnsafeMutablePointer(to: &info) { p in
            p.withMemoryRebound(to: integer_t.self, capacity: Int(count)) { task_info(mach_task_self_, task_flavor_t(MACH_TASK_BASIC_INFO), $0, &count) }
        }
        return status == KERN_SUCCESS ? Int(info.resident_size) : nil
        #else
        return nil
        #endif
    }
}

/// A service holds engines for days and makes new ones per request: nothing an engine
/// allocates may outlive it.
@Suite("Engine lifetime: nothing allocated per engine outlives it")
struct EngineLifetimeTests {
    /// A small regular lat-lon field (3 × 3 nodes, two hours, 1.4 MB) with very many isobaric
    /// levels, so that anything an engine keeps per level (64 kB for 8,000 levels of `Double`)
    /// adds up to far more than the tolerance over 1,000 engines.
    static func deepField(levels count: Int = 8_000) -> InMemoryWindField {
        let grid = LatLonGrid(longitudes: [110, 111, 112], latitudes: [30, 31, 32], isGlobal: false)
        let levels = (0 ..< count).map { 1000 - Double($0) * 0.11 }
        return Analytic.field(grid: grid, levels: levels, hours: [0, 1]) { _, _, _, _ in (u: 2, v: 1, omega: 0) }
    }

    @Test("creating and dropping 1,000 engines (every 25th running a trajectory) leaves resident memory within 5 MB")
    func enginesDoNotLeak() throws {
        let field = Self.deepField()
        let options = TrajectoryOptions(hours: -1, verticalMode: .isobaric, fixedStepMinutes: 10)
        let start = TrajectoryStart(site: "T", latitude: 31, longitude: 111, height: 500, time: Analytic.t0 + 3600)
        // One engine's trajectory, as a check that the engines do real work on the fast path.
        var reference: Trajectory?
        var kernels = 0
        func cycle(_ n: Int) throws {
            for i in 0 ..< n {
                let engine = try TrajectoryEngine(field: field, options: options)
                if engine.kernel != nil { kernels += 1 }
                guard i % 25 == 0 else { continue }
                let t = try engine.run([start]).trajectories[0]
                if reference == nil { reference = t }
            }
        }
        try cycle(100)   // warm-up: caches, allocator arenas, lazily initialised globals
        #expect(kernels == 100, "every engine over this field takes the fast path, whose levels it owns")
        let t = try #require(reference)
        #expect(t.termination.reason == .completed && t.endpoints.count == 2)
        // 2 m/s east and 1 m/s north for an hour, backward: 7.2 km west, 3.6 km south.
        #expect(abs(t.endpoints[1].latitude - (31 - 3600 / (Earth.radius * Geodesy.radiansPerDegree))) < 1e-9)
        #expect(t.endpoints[1].longitude < 111 - 0.07 && t.endpoints[1].longitude > 111 - 0.08)
        // Other tests run in the same process at the same time and grow it while they run, so
        // the first quiet round counts (up to eight; the others finish meanwhile); a leak grows
        // every round (by 64 MB per round before engines freed their kernel's levels).
        var growths: [Int] = []
        for _ in 0 ..< 8 {
            let before = try #require(ResidentMemory.bytes())
            try cycle(1_000)
            let after = try #require(ResidentMemory.bytes())
            growths.append(after - before)
            if after - before < 5_000_000 { break }
        }
        let best = try #require(growths.min())
        #expect(best < 5_000_000, "resident memory grew by \(growths.map { "\($0 / 1000) kB" }) over rounds of 1,000 engines")
    }
}
