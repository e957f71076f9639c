import Foundation
import Testing
import UpwindTestSupport
@testable import NetCDFKit

/// The off switch of the direct chunk path (`UPWIND_DIRECT_CHUNKS=0`): plain libnetcdf reads
/// instead, with the same values.
@Suite("Direct chunk reads: the UPWIND_DIRECT_CHUNKS off switch")
struct DirectChunkSwitchTests {
    @Test("only 0, false, no and off (any case, blanks ignored) turn the direct path off")
    func environmentValues() {
        #expect(StoredChunkAPI.environmentVariable == "UPWIND_DIRECT_CHUNKS")
        for value in [nil, "", "1", "yes", "on", "true", "2"] {
            #expect(StoredChunkAPI.allows(environmentValue: value), "\(String(describing: value))")
        }
        for value in ["0", " 0 ", "0\n", "false", "FALSE", "no", "Off"] {
            #expect(!StoredChunkAPI.allows(environmentValue: value), "\(value)")
        }
    }

    /// What a reader does: decode the stored chunks when offered, else read through libnetcdf.
    static func read(_ v: NetCDFVariable, start: [Int], count: [Int]) throws -> (values: [Float], direct: Bool) {
        var out = [Float](repeating: 42, count: count.reduce(1, *))
        if let stored = try v.storedChunks(start: start, count: count) {
            try out.withUnsafeMutableBufferPointer { try stored.decode(into: $0) }
            return (out, true)
        }
        _ = try out.withUnsafeMutableBufferPointer { try v.read(into: $0, start: start, count: count) }
        return (out, false)
    }

    @Test("switched off, a file offers no stored chunks and reads the same bits through libnetcdf; switched on again, it does")
    func offSwitch() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("switch.nc").path
            let written = try StoredChunkTests.writeFile(path)
            let file = try NetCDFFile.open(path)
            defer { try? file.close() }
            let slabs: [([Int], [Int])] = [([1, 0, 0, 0], [1, 4, 6, 10]), ([0, 0, 0, 0], [3, 4, 6, 10]), ([2, 1, 2, 3], [1, 2, 3, 4])]
            let shape = [3, 4, 6, 10]
            for name in ["shuffled", "deflated", "plain", "tiles", "edges"] {
                let v = try file.root.requiredVariable(named: name)
                let values = try #require(written[name])
                for (start, count) in slabs {
                    let expected = hyperslabIndices(shape: shape, start: start, count: count).map { values[$0] }
                    file.directChunkReads = true
                    let direct = try Self.read(v, start: start, count: count)
                    file.directChunkReads = false
                    #expect(!file.directChunkReads)
                    #expect(try v.storedChunks(start: start, count: count) == nil)
                    let plain = try Self.read(v, start: start, count: count)
                    #expect(direct.direct && !plain.direct, "\(name) \(start) \(count)")
                    #expect(StoredChunkTests.bits(plain.values) == StoredChunkTests.bits(direct.values), "\(name) \(start) \(count)")
                    #expect(StoredChunkTests.bits(plain.values) == StoredChunkTests.bits(expected), "\(name) \(start) \(count)")
                }
            }
            file.directChunkReads = true
            #expect(try file.root.requiredVariable(named: "shuffled").storedChunks(start: [0, 0, 0, 0], count: shape) != nil)
        }
    }

    @Test("a file switched off before its first read never opens HDF5 handles and closes cleanly")
    func offFromTheStart() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("off.nc").path
            let written = try StoredChunkTests.writeFile(path)
            let file = try NetCDFFile.open(path)
            file.directChunkReads = false
            let v = try file.root.requiredVariable(named: "shuffled")
            let plain = try Self.read(v, start: [0, 0, 0, 0], count: [3, 4, 6, 10])
            #expect(!plain.direct)
            #expect(StoredChunkTests.bits(plain.values) == StoredChunkTests.bits(try #require(written["shuffled"])))
            #expect(try Library.locked { file.storedChunkFile.datasets.isEmpty })
            try file.close()
        }
    }
}
