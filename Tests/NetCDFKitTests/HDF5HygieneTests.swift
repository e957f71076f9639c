import Foundation
import Testing
@testable import NetCDFKit
import UpwindTestSupport

/// Issue 13: a corrupt netCDF-4 file gives one error and nothing else: HDF5 prints nothing and
/// a failed open leaves no HDF5 identifier open (libnetcdf leaves some; NetCDFKit releases them).
@Suite("HDF5 hygiene")
struct HDF5HygieneTests {
    @Test("a netCDF-4 open that fails part-way leaves HDF5 identifiers open in libnetcdf; NetCDFKit releases every one")
    func failedOpenLeavesNoIdentifiers() throws {
        let dir = try TemporaryDirectory()
        let good = try dir.ncgen("era5_cds", kind: "nc4")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let bad = dir.path("bad.nc")
        // Four bytes inverted in the first 4 kB (superblock, root group): find a corruption that
        // makes nc_open fail after HDF5 opened objects.
        var leakingOffsets: [Int] = []
        for offset in stride(from: 0, to: min(4096, bytes.count - 4), by: 97) {
            var data = bytes
            for k in offset ..< offset + 4 { data[k] ^= 0xFF }
            try data.write(to: URL(fileURLWithPath: bad))
            guard let leaked = NetCDFFile.identifiersLeftByFailedOpen(bad, releasing: false), leaked > 0 else { continue }
            leakingOffsets.append(offset)
            #expect(NetCDFFile.identifiersLeftByFailedOpen(bad, releasing: true) == 0, "offset \(offset)")
            #expect(throws: NetCDFError.self) { try NetCDFFile.open(bad) }
        }
        #expect(!leakingOffsets.isEmpty, "no corruption made libnetcdf leak: the test lost its subject")
    }
}
