import Foundation
import Testing

/// The CNetCDF shim must fail with an install hint, as the first error, when libnetcdf is
/// missing or too old. Checked by compiling the header with the toolchain's clang against
/// an empty include path and against a fake libnetcdf 4.6.
@Suite("CNetCDF shim guard")
struct ShimGuardTests {
    static let shim: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/CNetCDF/shim.h")

    func clang(_ extra: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["clang", "-fsyntax-only", "-nostdinc"] + extra + ["-x", "c", Self.shim.path]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus != 0)
        return String(decoding: data, as: UTF8.self)
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
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("upwind-shim-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "".write(to: dir.appendingPathComponent("netcdf.h"), atomically: true, encoding: .utf8)
        try "#define NC_VERSION_MAJOR 4\n#define NC_VERSION_MINOR 6\n".write(to: dir.appendingPathComponent("netcdf_meta.h"), atomically: true, encoding: .utf8)
        let out = try clang(["-I", dir.path])
        let first = try #require(out.split(separator: "\n").first { $0.contains("error") })
        #expect(first.contains("older than 4.7"))
    }
}
