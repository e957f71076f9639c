import Foundation
import Testing
import UpwindTestSupport

/// The CNetCDF shim must fail with an install hint, as the first error, when libnetcdf is
/// missing or too old. Checked by compiling the header with the toolchain's clang against
/// an empty include path and against a fake libnetcdf 4.6.
@Suite("CNetCDF shim guard")
struct ShimGuardTests {
    static let shim: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/CNetCDF/shim.h")

    func clang(_ extra: [String]) throws -> String {
        let r = try ProcessRunner.run(["clang", "-fsyntax-only", "-nostdinc"] + extra + ["-x", "c", Self.shim.path])
        #expect(r.status != 0)
        return r.stderr
    }

    @Test("missing netcdf.h: the first error names the install commands")
    func missingHeader() throws {
        let out = try clang([])
        let first = try #require(out.split(separator: "\n").first { $0.contains("error") })
        #expect(first.contains("apt-get install libnetcdf-dev"))
        #expect(first.contains("dnf install netcdf-devel"))
        #expect(first.contains("brew install netcdf"))
    }

    @Test("libnetcdf older than 4.7 is refused")
    func oldLibrary() throws {
        let dir = try TemporaryDirectory(prefix: "upwind-shim")
        try dir.write("netcdf.h", "")
        try dir.write("netcdf_meta.h", "#define NC_VERSION_MAJOR 4\n#define NC_VERSION_MINOR 6\n")
        let out = try clang(["-I", dir.path])
        let first = try #require(out.split(separator: "\n").first { $0.contains("error") })
        #expect(first.contains("older than 4.7"))
    }
}
