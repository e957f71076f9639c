import Foundation
import Testing
import UpwindTestSupport
@testable import NetCDFKit

@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("two tasks reading the same file concurrently 200 times each get correct results")
    func concurrentReads() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("shared.nc").path
            let expected = (0 ..< 600).map { Double($0) * 0.5 }
            do {
                let file = try NetCDFFile.create(path, format: .netcdf4)
                let y = try file.root.defineDimension("y", length: 20)
                let x = try file.root.defineDimension("x", length: 30)
                let v = try file.root.defineVariable("v", type: .double, dimensions: [y, x], deflateLevel: 1)
                try v.write(expected)
                try file.close()
            }
            let shared = try NetCDFFile.open(path)
            defer { try? shared.close() }
            let failures = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0 ..< 2 {
                    group.addTask {
                        var failures = 0
                        for iteration in 0 ..< 200 {
                            let v = try shared.root.requiredVariable(named: "v")
                            let row = (iteration + worker) % 20
                            let values: [Double] = try v.read(start: [row, 0], count: [1, 30])
                            if values != Array(expected[(row * 30) ..< (row * 30 + 30)]) { failures += 1 }
                            // A second handle opened and closed concurrently.
                            if iteration % 20 == 0 {
                                let own = try NetCDFFile.open(path)
                                let all: [Float] = try own.root.requiredVariable(named: "v").read()
                                if all != expected.map(Float.init) { failures += 1 }
                                try own.close()
                            }
                        }
                        return failures
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(failures == 0)
        }
    }
}
