import Foundation
import NetCDFKit
import Testing
import UpwindTestSupport
import UpwindCore
@testable import UpwindMeteo

/// The fast decoding paths must be invisible: stored chunks inflated by Upwind give the same
/// bits as libnetcdf's reads, and ``MetWindField`` gives the same slices as reordering the
/// dataset's full slice (what it did before decoding only the engine's fields in engine order).
@Suite("Decode paths: the same bits as libnetcdf and as the full slice")
struct DecodePathTests {
    /// Three daily ERA5-legacy-like files (float: zlib + shuffle, one step per chunk), 6-hourly.
    static func files(_ dir: TemporaryDirectory, storage: SyntheticMet.Storage = .float) throws -> [String] {
        let field = try SyntheticMet.Field(model: .regional(.init(seed: 3)),
                                           domain: .init(south: 30, north: 36, west: 110, east: 117, resolution: 0.5),
                                           levels: [300, 500, 700, 850, 925, 1000],
                                           times: (0 ..< 12).map { UTCTime(year: 2024, month: 5, day: 1) + Int64($0 * 6 * 3600) })
        return try field.write(directory: dir.url.path, name: "era5", storage: storage, split: .daily)
    }

    static func bits(_ values: [Float]?) -> [UInt32]? { values?.map(\.bitPattern) }

    @Test("stored chunks decoded by Upwind give the same slices as libnetcdf, whole grid and boxes")
    func storedChunksMatchLibnetcdf() throws {
        let dir = try TemporaryDirectory()
        let paths = try Self.files(dir)
        #expect(paths.count == 3)
        let fast = try MetDataset(paths: paths, cacheBudgetBytes: 0)
        let reference = try MetDataset(paths: paths, mapping: MetVariableMapping(), cacheBudgetBytes: 0, decodesStoredChunks: false)
        #expect(fast.decodesStoredChunks && !reference.decodesStoredChunks)
        // The whole-grid reads of these files take the direct path.
        let u = try #require(fast.sources[.u]?.variables[0]?.variable.handle)
        #expect(try u.storedChunks(start: [0, 0, 0, 0], count: [1, 6, 13, 15]) != nil)
        let boxes: [BoundingBox?] = [nil, BoundingBox(south: 31, north: 33, west: 111.2, east: 113.9)]
        for box in boxes {
            for i in fast.times.indices {
                let a = try fast.slice(at: i, box: box), b = try reference.slice(at: i, box: box)
                #expect(Set(a.fields.keys) == Set(b.fields.keys))
                #expect(a.fields.count >= 8)
                for (role, field) in a.fields {
                    let other = try #require(b.fields[role])
                    #expect(field.nz == other.nz && field.ny == other.ny && field.nx == other.nx)
                    #expect(Self.bits(field.values) == Self.bits(other.values), "\(role) at \(i), box \(String(describing: box))")
                }
            }
        }
        #expect(fast.bytesDecoded == reference.bytesDecoded)
    }

    /// What `MetWindField.slice(at:)` computed before: the dataset's full slice, every 3-D
    /// field reordered bottom-up, geopotential divided by g₀.
    static func referenceSlice(_ met: MetDataset, _ field: MetWindField, at index: Int) throws -> [String: [Float]] {
        let ms = try met.slice(at: index, roles: nil, box: nil, cached: false)
        let plane = ms.grid.nx * ms.grid.ny, nz = field.order.count
        func reorder(_ f: MetField?) -> [Float]? {
            guard let f else { return nil }
            if f.nz == 1 && nz == 1 { return f.values }
            var out = [Float](repeating: .nan, count: nz * plane)
            for (k, fk) in field.order.enumerated() {
                for n in 0 ..< plane { out[k * plane + n] = f.values[fk * plane + n] }
            }
            return out
        }
        var out: [String: [Float]] = [:]
        out["u"] = reorder(ms.fields[.u]); out["v"] = reorder(ms.fields[.v]); out["omega"] = reorder(ms.fields[.w])
        out["temperature"] = reorder(ms.fields[.temperature])
        out["height"] = reorder(ms.fields[.geopotentialHeight]) ?? reorder(ms.fields[.geopotential])?.map { $0 / Float(standardGravity) }
        out["rh"] = reorder(ms.fields[.relativeHumidity])
        out["sp"] = ms.fields[.surfacePressure]?.values
        out["terrain"] = ms.fields[.orography]?.values
        out["mixing"] = ms.fields[.boundaryLayerHeight]?.values
        return out
    }

    @Test("MetWindField decodes only the engine's fields, in engine order, with the same bits as the full slice",
          arguments: [SyntheticMet.Storage.float, .packedShort])
    func windFieldMatchesFullSlice(storage: SyntheticMet.Storage) throws {
        let dir = try TemporaryDirectory()
        let met = try MetDataset(paths: Self.files(dir, storage: storage), cacheBudgetBytes: 0)
        let field = try MetWindField(met)
        #expect(field.order == [5, 4, 3, 2, 1, 0])
        for i in met.times.indices {
            let s = try field.slice(at: i)
            let ref = try Self.referenceSlice(met, field, at: i)
            #expect(Self.bits(s.u) == Self.bits(ref["u"]))
            #expect(Self.bits(s.v) == Self.bits(ref["v"]))
            #expect(Self.bits(s.omega) == Self.bits(ref["omega"]))
            #expect(Self.bits(s.temperature) == Self.bits(ref["temperature"]))
            #expect(Self.bits(s.height) == Self.bits(ref["height"]))
            #expect(Self.bits(s.relativeHumidity) == Self.bits(ref["rh"]))
            #expect(Self.bits(s.surfacePressure) == Self.bits(ref["sp"]))
            #expect(Self.bits(s.terrain) == Self.bits(ref["terrain"]))
            #expect(Self.bits(s.mixingDepth) == Self.bits(ref["mixing"]))
            #expect(s.height != nil && s.omega != nil && s.terrain != nil && s.mixingDepth != nil)
        }
    }

    @Test("chunk caches hold one chunk for at most two files per variable, and get their size back after")
    func fittedChunkCaches() throws {
        let dir = try TemporaryDirectory()
        let paths = try Self.files(dir)
        // Chunks of 6×13×15 floats (4,680 bytes) are larger than this default.
        NetCDFFile.setDefaultChunkCache(bytes: 4096)
        defer { NetCDFFile.setDefaultChunkCache(bytes: 256 * 1024) }
        let met = try MetDataset(paths: paths, mapping: MetVariableMapping(), cacheBudgetBytes: 0, decodesStoredChunks: false)
        let u = try #require(met.sources[.u])
        let fit = try #require(u.chunkFits[0])
        #expect(fit.original.bytes == 4096 && fit.fitted.bytes == 6 * 13 * 15 * 4)
        #expect(met.sources[.surfacePressure]?.chunkFits.isEmpty == true) // 2-D chunks fit the default
        func cacheBytes(_ file: Int) throws -> Int? { try u.variables[file]?.variable.handle.chunkCache()?.bytes }
        for i in met.times.indices { _ = try met.slice(at: i, roles: [.u]) }
        #expect(met.state.withLock { $0.fittedFiles[.u] } == [1, 2])
        #expect(try cacheBytes(0) == 4096)
        #expect(try cacheBytes(1) == fit.fitted.bytes && cacheBytes(2) == fit.fitted.bytes)
        _ = try met.slice(at: 0, roles: [.u])
        #expect(met.state.withLock { $0.fittedFiles[.u] } == [2, 0])
        #expect(try cacheBytes(1) == 4096)
    }
}
