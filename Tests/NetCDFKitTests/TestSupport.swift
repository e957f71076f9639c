import Foundation
import Testing
@testable import NetCDFKit

/// Runs `body` with a fresh, unique temporary directory that is removed afterwards.
func withTemporaryDirectory<R>(_ body: (URL) throws -> R) throws -> R {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("NetCDFKitTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// Async variant of ``withTemporaryDirectory(_:)``.
func withTemporaryDirectory<R>(_ body: (URL) async throws -> R) async throws -> R {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("NetCDFKitTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

/// Row-major linear indices of a (strided) hyperslab of an array with `shape`.
func hyperslabIndices(shape: [Int], start: [Int], count: [Int], stride: [Int]? = nil) -> [Int] {
    let stride = stride ?? [Int](repeating: 1, count: shape.count)
    var result: [Int] = []
    func visit(_ dim: Int, _ offset: Int) {
        if dim == shape.count {
            result.append(offset)
            return
        }
        let inner = shape[(dim + 1)...].reduce(1, *)
        for k in 0 ..< count[dim] {
            visit(dim + 1, offset + (start[dim] + k * stride[dim]) * inner)
        }
    }
    visit(0, 0)
    return result
}

/// Runs `ncgen` on CDL text, producing `output`.
func runNcgen(cdl: String, kind: String, output: URL) throws {
    let input = output.deletingPathExtension().appendingPathExtension("cdl")
    try cdl.write(to: input, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["ncgen", "-k", kind, "-o", output.path, input.path]
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    process.waitUntilExit()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 0, "ncgen failed: \(message)")
}

/// The file's size in bytes.
func fileSize(_ path: String) throws -> Int64 {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.size] as? NSNumber)?.int64Value ?? -1
}

/// Truncates the file to `size` bytes.
func truncate(_ path: String, to size: Int64) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.truncate(atOffset: UInt64(size))
}

extension NetCDFError {
    /// The case name, for compact assertions.
    var caseName: String {
        switch self {
        case .fileNotFound: return "fileNotFound"
        case .isDirectory: return "isDirectory"
        case .emptyFile: return "emptyFile"
        case .notNetCDF: return "notNetCDF"
        case .truncated: return "truncated"
        case .variableNotFound: return "variableNotFound"
        case .dimensionNotFound: return "dimensionNotFound"
        case .attributeNotFound: return "attributeNotFound"
        case .invalidRequest: return "invalidRequest"
        case .library: return "library"
        }
    }
}
