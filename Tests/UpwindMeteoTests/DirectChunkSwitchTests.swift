import Foundation
@testable import NetCDFKit
import Testing
import UpwindCore
import UpwindTestSupport
@testable import UpwindMeteo

/// With the direct chunk path switched off (what `UPWIND_DIRECT_CHUNKS=0` does for every file),
/// the engine's slices are decoded through plain libnetcdf with the same bits.
@Suite("Direct chunk reads switched off: the same engine slices")
struct DirectChunkSwitchMeteoTests {
    @Test("MetWindField slices are bitwise the same with the direct path on and off")
    func sameSlices() throws {
        let dir = try TemporaryDirectory()
        let paths = try DecodePathTests.files(dir)
        let on = try MetDataset(paths: paths, cacheBudgetBytes: 0), off = try MetDataset(paths: paths, cacheBudgetBytes: 0)
        for f in on.files { f.file.directChunkReads = true }
        for f in off.files { f.file.directChunkReads = false }
        let uOn = try #require(on.sources[.u]?.variables[0]?.variable.handle)
        let uOff = try #require(off.sources[.u]?.variables[0]?.variable.handle)
        #expect(try uOn.storedChunks(start: [0, 0, 0, 0], count: [1, 6, 13, 15]) != nil)
        #expect(try uOff.storedChunks(start: [0, 0, 0, 0], count: [1, 6, 13, 15]) == nil)
        let a = try MetWindField(on), b = try MetWindField(off)
        for i in on.times.indices {
            let s = try a.slice(at: i), t = try b.slice(at: i)
            #expect(DecodePathTests.bits(s.u) == DecodePathTests.bits(t.u), "u at \(i)")
            #expect(DecodePathTests.bits(s.v) == DecodePathTests.bits(t.v), "v at \(i)")
            #expect(DecodePathTests.bits(s.omega) == DecodePathTests.bits(t.omega), "omega at \(i)")
            #expect(DecodePathTests.bits(s.height) == DecodePathTests.bits(t.height), "height at \(i)")
            #expect(DecodePathTests.bits(s.temperature) == DecodePathTests.bits(t.temperature), "temperature at \(i)")
            #expect(DecodePathTests.bits(s.relativeHumidity) == DecodePathTests.bits(t.relativeHumidity), "rh at \(i)")
            #expect(DecodePathTests.bits(s.surfacePressure) == DecodePathTests.bits(t.surfacePressure), "sp at \(i)")
            #expect(s.omega != nil && s.height != nil && s.u.count == 6 * 13 * 15)
        }
        // Both read every stored byte; the switched-off one through libnetcdf.
        #expect(on.bytesDecoded == off.bytesDecoded && off.bytesDecoded > 0)
    }
}
