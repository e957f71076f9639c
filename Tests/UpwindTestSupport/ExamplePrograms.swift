import Foundation

/// The package's example executables (`Examples/NAME`, built next to `upwind` by
/// `swift build --build-tests`), run as a user would.
public enum ExamplePrograms {
    /// The executable `name` in the build folder that holds `upwind`, nil when it was not built.
    public static func binary(_ name: String) -> URL? {
        guard let folder = CLI.binary?.deletingLastPathComponent() else { return nil }
        let url = folder.appendingPathComponent(name)
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// An example that was not built next to the tests.
    public struct NotBuilt: Error, CustomStringConvertible {
        /// The example's name.
        public var name: String
        /// Says how to build it.
        public var description: String { "the example \(name) was not built next to the tests (swift build --build-tests)" }
    }

    /// Runs example `name` with `arguments` (in `directory` when given).
    /// - Throws: ``NotBuilt`` when the executable is missing; Foundation's error when it cannot start.
    public static func run(_ name: String, _ arguments: [String], in directory: URL? = nil) throws -> ProcessResult {
        guard let binary = binary(name) else { throw NotBuilt(name: name) }
        return try ProcessRunner.run(binary, arguments, in: directory)
    }
}
