import Foundation
import Upwind

/// The datasets a server holds, opened once when it starts: clients name a dataset by its id,
/// and no path a client sends is ever opened.
final class DatasetRegistry: Sendable {
    /// One opened dataset.
    struct Entry: Sendable {
        /// The id clients use.
        let id: String
        /// What it is, for people.
        let description: String
        /// The opened met (files expanded from the configured globs).
        let source: MetSource
        /// What `upwind inspect --json --no-scan` prints for it.
        let inspection: JSONValue
    }

    let entries: [String: Entry]

    /// Opens every dataset of `config` (globs expanded now).
    /// - Throws: ``ServerConfigError/dataset(id:reason:)`` naming the dataset that failed.
    init(config: ServerConfig) throws(ServerConfigError) {
        var entries: [String: Entry] = [:]
        for (id, d) in config.datasets.sorted(by: { $0.key < $1.key }) {
            do {
                let source = try MetSource.open(d.met)
                let inspection: JSONValue
                switch source.format {
                case .arl: inspection = try ARLInspection(try ARLDataset(paths: source.paths), scan: false).jsonValue
                default: inspection = try MetInspection(try MetDataset(paths: source.paths), scan: false).jsonValue
                }
                entries[id] = Entry(id: id, description: d.description ?? "", source: source, inspection: inspection)
            } catch {
                throw .dataset(id: id, reason: (error as? LocalizedError)?.errorDescription ?? "\(error)")
            }
        }
        self.entries = entries
    }

    /// The dataset `id`.
    /// - Throws: ``APIError`` 422 `unknown_dataset` (a path, a glob or any name not configured).
    func entry(_ id: String) throws(APIError) -> Entry {
        guard let e = entries[id] else {
            throw APIError.unprocessable("unknown_dataset", "unknown dataset '\(id.prefix(200))': name a dataset id from GET /v1/datasets (paths are never opened)",
                                         details: [("dataset", .string(String(id.prefix(200)))), ("known", .array(entries.keys.sorted().map { .string($0) }))])
        }
        return e
    }
}
