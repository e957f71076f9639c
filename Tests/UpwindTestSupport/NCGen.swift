import Foundation

/// Builds NetCDF files from CDL with netCDF's `ncgen`, so readers are tested against an
/// independent writer.
public enum NCGen {
    /// The `-k` kind for CDL text when none is given: `nc4` when the CDL's first 200
    /// characters say `-k nc4` (the fixtures' convention), otherwise nil (ncgen's default, classic).
    public static func kind(of cdl: String) -> String? { cdl.prefix(200).contains("-k nc4") ? "nc4" : nil }

    /// Runs `ncgen [-k KIND] -o OUTPUT CDLFILE`.
    /// - Parameters:
    ///   - cdlFile: Path of the CDL file.
    ///   - output: Path of the NetCDF file to write.
    ///   - kind: ncgen's `-k` value (`classic`, `64-bit offset`, `nc4`, …); nil reads it from the
    ///     CDL with ``kind(of:)``.
    /// - Throws: ``CommandFailed`` with ncgen's stderr when it exits non-zero.
    public static func run(cdlFile: String, output: String, kind: String? = nil) throws {
        let kind = try kind ?? Self.kind(of: String(contentsOfFile: cdlFile, encoding: .utf8))
        var arguments = ["ncgen"]
        if let kind { arguments += ["-k", kind] }
        arguments += ["-o", output, cdlFile]
        try ProcessRunner.check(arguments)
    }

    /// Writes `cdl` to `cdlPath` (default: `output` with the extension `.cdl`) and builds `output` from it.
    /// - Throws: ``CommandFailed`` when ncgen fails; Foundation's error when the CDL cannot be written.
    public static func build(cdl: String, output: String, cdlPath: String? = nil, kind: String? = nil) throws {
        let input = cdlPath ?? URL(fileURLWithPath: output).deletingPathExtension().appendingPathExtension("cdl").path
        try cdl.write(toFile: input, atomically: true, encoding: .utf8)
        try run(cdlFile: input, output: output, kind: kind ?? Self.kind(of: cdl))
    }
}
