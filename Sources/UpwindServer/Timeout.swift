/// Runs `operation`, cancelling it after `seconds` and then throwing `onTimeout` (the engine
/// stops within one met window once cancelled).
func withTimeout<T: Sendable>(seconds: Double, onTimeout: APIError, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw onTimeout }
        guard let value = first else { throw onTimeout }
        return value
    }
}
