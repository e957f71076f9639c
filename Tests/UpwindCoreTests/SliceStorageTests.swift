import Testing
@testable import UpwindCore

/// A decoded slice holds each field once, in one read-only buffer that its views point into.
@Suite("Slice storage: each field held once")
struct SliceStorageTests {
    @Test("an 81 × 81 × 16 slice with five 3-D fields holds 2,099,520 bytes, the fields once, and gives them back bit for bit")
    func heldOnce() throws {
        let nx = 81, ny = 81, nz = 16, n = nx * ny * nz
        func field(_ seed: Float) -> [Float] { (0 ..< n).map { Float($0 % 977) * 0.25 + seed } }
        var fields = (1 ... 5).map { field(Float($0)) }
        fields[2][17] = .nan
        let s = GridSlice(time: UTCTime(year: 2024, month: 1, day: 1), nx: nx, ny: ny, nz: nz, u: fields[0], v: fields[1],
                          omega: fields[2], height: fields[3], temperature: fields[4])
        #expect(s.byteCount == 2_099_520)
        #expect(s.storage.buffer.count == 5 * n)
        // The views point into the one buffer, field after field, in storage order.
        let raw = s.storage.raw, base = s.storage.buffer.base
        #expect(raw.u == base && raw.v == base + n && raw.omega == base + 2 * n && raw.height == base + 3 * n
                && raw.temperature == base + 4 * n)
        #expect(raw.relativeHumidity == nil && raw.surfacePressure == nil && raw.terrain == nil && raw.mixingDepth == nil)
        #expect(raw.omega.map { $0[17].isNaN } == true && raw.temperature.map { $0[n - 1] } == Float((n - 1) % 977) * 0.25 + 5)
        // The properties give the values back bit for bit.
        #expect(s.u.map(\.bitPattern) == fields[0].map(\.bitPattern))
        #expect(s.omega?.map(\.bitPattern) == fields[2].map(\.bitPattern))
        #expect(s.relativeHumidity == nil && s.has(.height) && !s.has(.terrain))
    }

    @Test("a new time shares the fields; setting a field builds new storage and leaves the original alone")
    func setters() throws {
        let u: [Float] = [1, 2, 3, 4, 5, 6], v: [Float] = [6, 5, 4, 3, 2, 1]
        let a = GridSlice(time: UTCTime(secondsSince1970: 0), nx: 3, ny: 2, nz: 1, u: u, v: v)
        var b = a
        b.time = UTCTime(secondsSince1970: 3600)
        #expect(b.storage.buffer === a.storage.buffer && b.time.secondsSince1970 == 3600 && a.time.secondsSince1970 == 0)
        var c = a
        c.terrain = [10, 20, 30, 40, 50, 60]
        #expect(c.storage.buffer !== a.storage.buffer && c.byteCount == 18 * 4 && a.byteCount == 12 * 4)
        #expect(c.terrain == [10, 20, 30, 40, 50, 60] && a.terrain == nil && c.u == u && c.v == v)
        #expect(c.storage.raw.terrain.map { $0[4] } == 50)
    }
}
