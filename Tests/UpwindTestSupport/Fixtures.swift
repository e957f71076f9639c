import Foundation

/// Paths to the package's committed fixtures: the root `Fixtures/` folder, found by walking
/// up from this source file, so tests never depend on the current directory.
public enum Fixtures {
    /// The package's `Fixtures/` folder (the first ancestor of this file holding `Fixtures/cdl`).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("Fixtures")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("cdl").path) { return candidate }
        }
        return URL(fileURLWithPath: "Fixtures")
    }()

    /// The URL of `Fixtures/RELATIVE` (e.g. `met/gdas_042.bin`).
    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The path of `Fixtures/RELATIVE` (e.g. `hysplit/tutorial_CONTROL`).
    public static func path(_ relative: String) -> String { url(relative).path }

    /// The path of a real met file copied into `Fixtures/met/`.
    public static func met(_ name: String) -> String { path("met/" + name) }

    /// The path of a HYSPLIT file in `Fixtures/hysplit/`.
    public static func hysplit(_ name: String) -> String { path("hysplit/" + name) }

    /// The UTF-8 text of `Fixtures/RELATIVE`.
    /// - Throws: Foundation's error when the file is missing or not UTF-8.
    public static func text(_ relative: String) throws -> String {
        try String(contentsOf: url(relative), encoding: .utf8)
    }

    /// The CDL text of `Fixtures/cdl/NAME.cdl`.
    /// - Throws: Foundation's error when the file is missing.
    public static func cdl(_ name: String) throws -> String { try text("cdl/" + name + ".cdl") }
}
