import Foundation
import Testing

/// Paths to the committed fixtures and a scratch folder per test.
enum Fixtures {
    /// The package's `Fixtures/` folder, found from this source file.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("Fixtures")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("cdl").path) { return candidate }
        }
        return URL(fileURLWithPath: "Fixtures")
    }()

    /// A real met file copied into `Fixtures/met/`.
    static func met(_ name: String) -> String { root.appendingPathComponent("met").appendingPathComponent(name).path }

    /// The CDL text of `Fixtures/cdl/NAME.cdl`.
    static func cdl(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("cdl").appendingPathComponent(name + ".cdl"), encoding: .utf8)
    }
}

/// A unique temporary folder removed when the value is released.
final class ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("upwind-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A path inside the folder.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Builds `Fixtures/cdl/NAME.cdl` into `NAME.nc` here with `ncgen` (netCDF-4 when the
    /// CDL's first line says `-k nc4`), so readers are tested against an independent writer.
    @discardableResult
    func ncgen(_ name: String, as output: String? = nil, cdl text: String? = nil) throws -> String {
        let source = try text ?? Fixtures.cdl(name)
        let cdlPath = path(name + ".cdl")
        try source.write(toFile: cdlPath, atomically: true, encoding: .utf8)
        let out = path(output ?? name + ".nc")
        var arguments = ["ncgen"]
        if source.prefix(200).contains("-k nc4") { arguments += ["-k", "nc4"] }
        arguments += ["-o", out, cdlPath]
        try run(arguments)
        return out
    }

    /// Runs a command, throwing when it fails.
    func run(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw CommandFailed(command: arguments.joined(separator: " "), message: message)
        }
    }
}

struct CommandFailed: Error, CustomStringConvertible {
    var command: String
    var message: String
    var description: String { "\(command) failed: \(message)" }
}

/// |a − b| ≤ tolerance.
func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { abs(a - b) <= tolerance }
func close(_ a: Float, _ b: Double, _ tolerance: Double) -> Bool { abs(Double(a) - b) <= tolerance }
