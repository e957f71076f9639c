import Foundation
import Testing
import UpwindTestSupport
@testable import NetCDFKit

/// Direct chunk reads (`storedChunks` + `decode`) against libnetcdf's own reads, the
/// buffer-filling `read(into:)`, and per-variable chunk caches.
@Suite("Stored chunks and chunk caches")
struct StoredChunkTests {
    /// Values with a bit of everything: signs, zeros of both signs, NaN, infinities, a fill-like value.
    static func values(_ n: Int, seed: Int) -> [Float] {
        (0 ..< n).map { i in
            switch (i + seed) % 97 {
            case 0: return -0.0
            case 1: return .nan
            case 2: return .infinity
            case 3: return 9.96921e36
            default: return Float(sin(Double(i * 7 + seed)) * 1000) + Float(i % 13) * 0.001
            }
        }
    }

    /// Writes a netCDF-4 file with float variables stored in several ways; returns the values written.
    static func writeFile(_ path: String) throws -> [String: [Float]] {
        let file = try NetCDFFile.create(path, format: .netcdf4)
        let g = file.root
        let t = try g.defineDimension("time", length: nil)
        let z = try g.defineDimension("level", length: 4)
        let y = try g.defineDimension("lat", length: 6)
        let x = try g.defineDimension("lon", length: 10)
        let n = 3 * 4 * 6 * 10
        var written: [String: [Float]] = [:]
        let layouts: [(String, [Int], Int?, Bool)] = [
            ("shuffled", [1, 4, 6, 10], 1, true),     // ERA5 legacy: one step per chunk
            ("deflated", [1, 4, 6, 10], 4, false),
            ("plain", [1, 4, 6, 10], nil, false),
            ("tiles", [1, 2, 3, 5], 1, true),         // several chunks per time step
            ("edges", [1, 3, 4, 7], 1, true),         // chunks overhanging the grid's edges
            ("steps", [2, 4, 6, 10], 1, true),        // two steps per chunk, the last one half empty
        ]
        var variables: [(NetCDFVariable, String)] = []
        for (name, chunks, level, shuffle) in layouts {
            let v = try g.defineVariable(name, type: .float, dimensions: [t, z, y, x], chunking: chunks, deflateLevel: level, shuffle: shuffle)
            variables.append((v, name))
        }
        let d = try g.defineVariable("double", type: .double, dimensions: [t, z, y, x], chunking: [1, 4, 6, 10], deflateLevel: 1, shuffle: true)
        // Written for the first 3 steps; "partial" only for the first one (the others are never stored).
        let partial = try g.defineVariable("partial", type: .float, dimensions: [t, z, y, x], chunking: [1, 4, 6, 10], deflateLevel: 1, shuffle: true)
        for (i, (v, name)) in variables.enumerated() {
            let values = values(n, seed: i)
            try v.write(values, start: [0, 0, 0, 0], count: [3, 4, 6, 10])
            written[name] = values
        }
        try d.write(values(n, seed: 9).map(Double.init), start: [0, 0, 0, 0], count: [3, 4, 6, 10])
        try partial.write(values(240, seed: 5), start: [0, 0, 0, 0], count: [1, 4, 6, 10])
        try file.close()
        return written
    }

    /// Bit patterns, so that NaN and −0 compare exactly.
    static func bits(_ v: [Float]) -> [UInt32] { v.map(\.bitPattern) }

    func decode(_ stored: NetCDFStoredChunks) throws -> [Float] {
        var out = [Float](repeating: 42, count: stored.valueCount)
        try out.withUnsafeMutableBufferPointer { try stored.decode(into: $0) }
        return out
    }

    @Test("decoded stored chunks equal libnetcdf's reads: shuffle + deflate, deflate, no filter, several chunks, parts of chunks")
    func sameAsLibnetcdf() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chunks.nc").path
            _ = try Self.writeFile(path)
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            let slabs: [([Int], [Int])] = [
                ([1, 0, 0, 0], [1, 4, 6, 10]), ([0, 0, 0, 0], [3, 4, 6, 10]),   // whole steps
                ([2, 1, 2, 3], [1, 2, 3, 4]), ([0, 0, 1, 1], [2, 4, 5, 9]),     // boxes
            ]
            for name in ["shuffled", "deflated", "plain", "tiles", "edges"] {
                let v = try file.root.requiredVariable(named: name)
                for (start, count) in slabs {
                    let stored = try #require(try v.storedChunks(start: start, count: count), "\(name) \(start) \(count)")
                    let expected: [Float] = try v.read(start: start, count: count)
                    #expect(Self.bits(try decode(stored)) == Self.bits(expected), "\(name) \(start) \(count)")
                }
            }
            // Whole tiles inside a step, and chunks of two steps read whole or over all three steps.
            let tiles = try file.root.requiredVariable(named: "tiles"), steps = try file.root.requiredVariable(named: "steps")
            for (v, start, count) in [(tiles, [2, 2, 3, 5], [1, 2, 3, 5]), (steps, [0, 0, 0, 0], [2, 4, 6, 10]), (steps, [0, 0, 0, 0], [3, 4, 6, 10])] {
                let stored = try #require(try v.storedChunks(start: start, count: count))
                let expected: [Float] = try v.read(start: start, count: count)
                #expect(Self.bits(try decode(stored)) == Self.bits(expected), "\(v.name) \(start) \(count)")
            }
        }
    }

    @Test("no direct path for one step of chunks holding two, unwritten chunks, doubles, or files open for writing")
    func fallbacks() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chunks.nc").path
            _ = try Self.writeFile(path)
            let file = try NetCDFFile.open(path)
            let shuffled = try file.root.requiredVariable(named: "shuffled")
            let steps = try file.root.requiredVariable(named: "steps")
            #expect(try steps.storedChunks(start: [0, 0, 0, 0], count: [1, 4, 6, 10]) == nil)
            #expect(try steps.storedChunks(start: [2, 0, 0, 0], count: [1, 4, 6, 10]) == nil)
            #expect(try steps.storedChunks(start: [1, 0, 0, 0], count: [2, 4, 6, 10]) != nil)
            // One level (or one value) of chunks holding several: left to libnetcdf's chunk cache.
            #expect(try shuffled.storedChunks(start: [1, 3, 0, 0], count: [1, 1, 6, 10]) == nil)
            #expect(try shuffled.storedChunks(start: [1, 3, 5, 9], count: [1, 1, 1, 1]) == nil)
            #expect(try file.root.requiredVariable(named: "double").storedChunks(start: [0, 0, 0, 0], count: [1, 4, 6, 10]) == nil)
            let partial = try file.root.requiredVariable(named: "partial")
            #expect(try partial.storedChunks(start: [0, 0, 0, 0], count: [1, 4, 6, 10]) != nil)
            #expect(try partial.storedChunks(start: [2, 0, 0, 0], count: [1, 4, 6, 10]) == nil)
            #expect(throws: NetCDFError.self) { try shuffled.storedChunks(start: [3, 0, 0, 0], count: [1, 4, 6, 10]) }
            try file.close()
            #expect(throws: NetCDFError.self) { try shuffled.storedChunks(start: [0, 0, 0, 0], count: [1, 4, 6, 10]) }

            let writable = try NetCDFFile.open(path, mode: .write)
            defer { try? writable.close() }
            #expect(try writable.root.requiredVariable(named: "shuffled").storedChunks(start: [0, 0, 0, 0], count: [1, 4, 6, 10]) == nil)
        }
    }

    @Test("a file written over after it was opened is read through libnetcdf, which still sees the old one")
    func replacedFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chunks.nc").path
            let written = try Self.writeFile(path)
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            let other = dir.appendingPathComponent("other.nc").path
            let f = try NetCDFFile.create(other, format: .netcdf4)
            let t = try f.root.defineDimension("time", length: nil), z = try f.root.defineDimension("level", length: 4)
            let y = try f.root.defineDimension("lat", length: 6), x = try f.root.defineDimension("lon", length: 10)
            let v = try f.root.defineVariable("shuffled", type: .float, dimensions: [t, z, y, x], chunking: [1, 4, 6, 10], deflateLevel: 1, shuffle: true)
            try v.write([Float](repeating: 1, count: 720), start: [0, 0, 0, 0], count: [3, 4, 6, 10])
            try f.close()
            #expect(rename(other, path) == 0)
            let shuffled = try file.root.requiredVariable(named: "shuffled")
            #expect(try shuffled.storedChunks(start: [0, 0, 0, 0], count: [1, 4, 6, 10]) == nil)
            let values: [Float] = try shuffled.read(start: [0, 0, 0, 0], count: [1, 4, 6, 10])
            #expect(Self.bits(values) == Self.bits(Array(try #require(written["shuffled"]).prefix(240))))
        }
    }

    @Test("decoding into a short buffer throws; decoding runs concurrently without the library lock")
    func decodeErrorsAndConcurrency() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chunks.nc").path
            let written = try Self.writeFile(path)
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            let v = try file.root.requiredVariable(named: "shuffled")
            let stored = try #require(try v.storedChunks(start: [0, 0, 0, 0], count: [3, 4, 6, 10]))
            var short = [Float](repeating: 0, count: 10)
            #expect(throws: NetCDFError.self) { try short.withUnsafeMutableBufferPointer { try stored.decode(into: $0) } }
            let expected = Self.bits(try #require(written["shuffled"]))
            let failures = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0 ..< 4 {
                    group.addTask {
                        var failures = 0
                        for _ in 0 ..< 25 {
                            let s = try #require(try v.storedChunks(start: [0, 0, 0, 0], count: [3, 4, 6, 10]))
                            var out = [Float](repeating: 0, count: s.valueCount)
                            try out.withUnsafeMutableBufferPointer { try s.decode(into: $0) }
                            if Self.bits(out) != expected { failures += 1 }
                        }
                        return failures
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(failures == 0)
        }
    }

    @Test("a corrupt chunk is reported, not decoded")
    func corrupt() throws {
        let chunk = NetCDFStoredChunks.Chunk(origin: [0, 0], bytes: [0x78, 0x01, 0xFF, 0xFF, 0x00, 0x00])
        let stored = NetCDFStoredChunks(path: "x.nc", variable: "u", start: [0, 0], count: [2, 2], chunkShape: [2, 2], chunks: [chunk],
                                        shuffled: true, deflated: true)
        var out = [Float](repeating: 0, count: 4)
        #expect(throws: NetCDFError.self) { try out.withUnsafeMutableBufferPointer { try stored.decode(into: $0) } }
    }

    @Test("a stored chunk whose checksum or data was altered is rejected (libdeflate verifies the Adler-32)")
    func adler() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chunks.nc").path
            _ = try Self.writeFile(path)
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            let stored = try #require(try file.root.requiredVariable(named: "shuffled").storedChunks(start: [0, 0, 0, 0], count: [1, 4, 6, 10]))
            let good = try #require(stored.chunks.first)
            var out = [Float](repeating: 0, count: stored.valueCount)
            for position in [good.bytes.count - 1, good.bytes.count / 2] {
                var bytes = good.bytes
                bytes[position] ^= 0x40
                let altered = NetCDFStoredChunks(path: stored.path, variable: stored.variable, start: stored.start, count: stored.count, chunkShape: stored.chunkShape,
                                                 chunks: [.init(origin: good.origin, bytes: bytes)], shuffled: true, deflated: true)
                #expect(throws: NetCDFError.self, "byte \(position) altered") {
                    try out.withUnsafeMutableBufferPointer { try altered.decode(into: $0) }
                }
            }
        }
    }

    @Test("read(into:) fills a caller's buffer and checks its size")
    func readInto() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chunks.nc").path
            let written = try Self.writeFile(path)
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            let v = try file.root.requiredVariable(named: "tiles")
            var out = [Float](repeating: 0, count: 50)
            let n = try out.withUnsafeMutableBufferPointer { try v.read(into: $0, start: [1, 1, 2, 3], count: [1, 2, 3, 4]) }
            #expect(n == 24)
            let all = try #require(written["tiles"])
            let expected = hyperslabIndices(shape: [3, 4, 6, 10], start: [1, 1, 2, 3], count: [1, 2, 3, 4]).map { all[$0] }
            #expect(Self.bits(Array(out[0 ..< 24])) == Self.bits(expected))
            #expect(out[24 ..< 50].allSatisfy { $0 == 0 })
            #expect(throws: NetCDFError.self) {
                try out.withUnsafeMutableBufferPointer { try v.read(into: UnsafeMutableBufferPointer(rebasing: $0[0 ..< 10]), start: [0, 0, 0, 0], count: [1, 2, 3, 4]) }
            }
        }
    }

    @Test("per-variable chunk caches can be read and resized; classic files have none")
    func chunkCaches() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("chunks.nc").path
            _ = try Self.writeFile(path)
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            let v = try file.root.requiredVariable(named: "shuffled")
            let before = try #require(try v.chunkCache())
            let fitted = NetCDFChunkCache(bytes: 4 * 240, slots: before.slots, preemption: before.preemption)
            try v.setChunkCache(fitted)
            let after = try #require(try v.chunkCache())
            #expect(after.bytes == fitted.bytes && after.slots == fitted.slots)
            #expect(throws: NetCDFError.self) { try v.setChunkCache(NetCDFChunkCache(bytes: 1, slots: 0, preemption: 0.5)) }
            // Reads still give the same values.
            let again: [Float] = try v.read(start: [0, 0, 0, 0], count: [1, 4, 6, 10])
            #expect(again.count == 240)

            let classicPath = dir.appendingPathComponent("classic.nc").path
            let classic = try NetCDFFile.create(classicPath, format: .classic)
            let x = try classic.root.defineDimension("x", length: 3)
            let c = try classic.root.defineVariable("c", type: .float, dimensions: [x])
            try c.write([Float](repeating: 1, count: 3))
            #expect(try c.chunkCache() == nil)
            #expect(throws: NetCDFError.self) { try c.setChunkCache(before) }
            #expect(try c.storedChunks(start: [0], count: [3]) == nil)
            try classic.close()
        }
    }
}
