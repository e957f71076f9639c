import Foundation

/// The configuration of `upwind serve` (`server.json`, read with JSON5 allowed so it may carry
/// comments; see `server.example.json5`).
///
/// ```json5
/// {datasets: {demo: {met: ["Fixtures/met/grads_model_1987.nc"], description: "…"}},
///  limits: {maxStarts: 1000, maxHours: 240, maxMembers: 27, maxBodyBytes: 10485760,
///           requestTimeoutSeconds: 60, maxQueuedJobs: 16},
///  apiKeysEnv: "UPWIND_API_KEYS", jobsDirectory: "upwind-jobs"}
/// ```
///
/// API keys never come from the file: `apiKeysEnv` names the environment variable holding them
/// (comma- or whitespace-separated). When that variable is set and not empty, every endpoint
/// but `/health` and `/openapi.json` needs `Authorization: Bearer KEY`.
public struct ServerConfig: Sendable, Codable, Equatable {
    /// One dataset: met files or glob patterns (expanded by the server when it starts; clients
    /// name the dataset by its id and never send a path).
    public struct Dataset: Sendable, Codable, Equatable {
        /// Met files or glob patterns, all NetCDF or all HYSPLIT ARL; relative paths are taken
        /// from the configuration file's folder.
        public var met: [String]
        /// What the dataset is, for people.
        public var description: String?
        /// Creates a dataset.
        public init(met: [String], description: String? = nil) { self.met = met; self.description = description }
    }

    /// Bounds on the work one request may ask for.
    public struct Limits: Sendable, Codable, Equatable {
        /// The most trajectories (starts × ensemble members) one request may make (default 1,000).
        public var maxStarts: Int
        /// The longest run, hours in either direction (default 240).
        public var maxHours: Int
        /// The most ensemble members per start (default 27, HYSPLIT's ensemble; 1 refuses ensembles).
        public var maxMembers: Int
        /// The largest request body, bytes (default 10 MiB); larger bodies get 413.
        public var maxBodyBytes: Int
        /// A synchronous run is cancelled after this many seconds, answered with 504 (default 60).
        public var requestTimeoutSeconds: Double
        /// The most jobs waiting or running at once (default 16); more get 429 with Retry-After.
        public var maxQueuedJobs: Int
        /// Jobs run at the same time (default 1).
        public var maxRunningJobs: Int
        /// A job is cancelled after this many seconds (default 3,600).
        public var jobTimeoutSeconds: Double
        /// On SIGTERM, running jobs may finish for this many seconds before they are cancelled (default 10).
        public var shutdownGraceSeconds: Double
        /// Finished jobs (succeeded, failed, cancelled) are deleted, row and files, this many hours
        /// after they finished (default 168, a week; 0 keeps them forever). Swept when the
        /// server starts and periodically while it runs.
        public var jobRetentionHours: Double
        /// How many times a job may be started in all (default 3). A job that a restart, a crash
        /// or a shutdown interrupts is queued again and started from the beginning when the
        /// server next starts, until it has been started this many times; then it is marked
        /// failed with the reason. 1 never starts a job again (interrupted jobs are marked failed).
        public var maxJobAttempts: Int

        /// Creates limits; the defaults are the documented ones.
        public init(maxStarts: Int = 1_000, maxHours: Int = 240, maxMembers: Int = 27, maxBodyBytes: Int = 10 << 20,
                    requestTimeoutSeconds: Double = 60, maxQueuedJobs: Int = 16, maxRunningJobs: Int = 1,
                    jobTimeoutSeconds: Double = 3_600, shutdownGraceSeconds: Double = 10, jobRetentionHours: Double = 168,
                    maxJobAttempts: Int = 3) {
            self.maxStarts = maxStarts; self.maxHours = maxHours; self.maxMembers = maxMembers; self.maxBodyBytes = maxBodyBytes
            self.requestTimeoutSeconds = requestTimeoutSeconds; self.maxQueuedJobs = maxQueuedJobs; self.maxRunningJobs = maxRunningJobs
            self.jobTimeoutSeconds = jobTimeoutSeconds; self.shutdownGraceSeconds = shutdownGraceSeconds
            self.jobRetentionHours = jobRetentionHours; self.maxJobAttempts = maxJobAttempts
        }

        enum CodingKeys: String, CodingKey {
            case maxStarts, maxHours, maxMembers, maxBodyBytes, requestTimeoutSeconds, maxQueuedJobs, maxRunningJobs, jobTimeoutSeconds
            case shutdownGraceSeconds, jobRetentionHours, maxJobAttempts
        }

        /// Decodes limits; a missing key takes its default.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Limits()
            maxStarts = try c.decodeIfPresent(Int.self, forKey: .maxStarts) ?? d.maxStarts
            maxHours = try c.decodeIfPresent(Int.self, forKey: .maxHours) ?? d.maxHours
            maxMembers = try c.decodeIfPresent(Int.self, forKey: .maxMembers) ?? d.maxMembers
            maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? d.maxBodyBytes
            requestTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .requestTimeoutSeconds) ?? d.requestTimeoutSeconds
            maxQueuedJobs = try c.decodeIfPresent(Int.self, forKey: .maxQueuedJobs) ?? d.maxQueuedJobs
            maxRunningJobs = try c.decodeIfPresent(Int.self, forKey: .maxRunningJobs) ?? d.maxRunningJobs
            jobTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .jobTimeoutSeconds) ?? d.jobTimeoutSeconds
            shutdownGraceSeconds = try c.decodeIfPresent(Double.self, forKey: .shutdownGraceSeconds) ?? d.shutdownGraceSeconds
            jobRetentionHours = try c.decodeIfPresent(Double.self, forKey: .jobRetentionHours) ?? d.jobRetentionHours
            maxJobAttempts = try c.decodeIfPresent(Int.self, forKey: .maxJobAttempts) ?? d.maxJobAttempts
        }
    }

    /// Datasets by id.
    public var datasets: [String: Dataset]
    /// Request limits.
    public var limits: Limits
    /// The environment variable holding the API keys (nil: no keys, no authentication).
    public var apiKeysEnv: String?
    /// Where jobs keep their state (`jobs.sqlite`) and files (`<id>/`); relative paths are taken
    /// from the configuration file's folder.
    public var jobsDirectory: String

    /// Creates a configuration.
    public init(datasets: [String: Dataset], limits: Limits = Limits(), apiKeysEnv: String? = nil, jobsDirectory: String) {
        self.datasets = datasets; self.limits = limits; self.apiKeysEnv = apiKeysEnv; self.jobsDirectory = jobsDirectory
    }

    enum CodingKeys: String, CodingKey { case datasets, limits, apiKeysEnv, jobsDirectory }

    /// Decodes a configuration; `limits` may be left out (defaults), `jobsDirectory` defaults to `upwind-jobs`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        datasets = try c.decode([String: Dataset].self, forKey: .datasets)
        limits = try c.decodeIfPresent(Limits.self, forKey: .limits) ?? Limits()
        apiKeysEnv = try c.decodeIfPresent(String.self, forKey: .apiKeysEnv)
        jobsDirectory = try c.decodeIfPresent(String.self, forKey: .jobsDirectory) ?? "upwind-jobs"
    }

    /// Reads a configuration file (JSON or JSON5: comments, trailing commas, unquoted keys);
    /// relative met and jobs paths are resolved against the file's folder.
    /// - Throws: ``ServerConfigError`` naming the file and what is wrong.
    public static func load(path: String) throws(ServerConfigError) -> ServerConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        var config: ServerConfig
        do {
            let decoder = JSONDecoder()
            decoder.allowsJSON5 = true
            config = try decoder.decode(ServerConfig.self, from: data)
        } catch {
            throw .invalid(path: path, reason: Self.describe(error))
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : folder.appendingPathComponent(p).path }
        for (id, d) in config.datasets { config.datasets[id]?.met = d.met.map(resolve) }
        config.jobsDirectory = resolve(config.jobsDirectory)
        try config.validate(path: path)
        return config
    }

    /// Checks the limits and the dataset ids.
    /// - Throws: ``ServerConfigError/invalid(path:reason:)``.
    public func validate(path: String = "<config>") throws(ServerConfigError) {
        let l = limits
        for (name, v) in [("maxStarts", l.maxStarts), ("maxHours", l.maxHours), ("maxMembers", l.maxMembers), ("maxBodyBytes", l.maxBodyBytes),
                          ("maxQueuedJobs", l.maxQueuedJobs), ("maxRunningJobs", l.maxRunningJobs), ("maxJobAttempts", l.maxJobAttempts)] where v < 1 {
            throw .invalid(path: path, reason: "limits.\(name) is \(v): it must be at least 1")
        }
        for (name, v) in [("requestTimeoutSeconds", l.requestTimeoutSeconds), ("jobTimeoutSeconds", l.jobTimeoutSeconds)] where !(v > 0) {
            throw .invalid(path: path, reason: "limits.\(name) is \(v): it must be positive")
        }
        guard l.jobRetentionHours.isFinite, l.jobRetentionHours >= 0 else {
            throw .invalid(path: path, reason: "limits.jobRetentionHours is \(l.jobRetentionHours): it must be 0 (keep jobs forever) or a number of hours")
        }
        for (id, d) in datasets {
            if id.isEmpty || id.contains("/") || id.contains("*") { throw .invalid(path: path, reason: "dataset id '\(id)' must be a plain name (no '/' or '*')") }
            if d.met.isEmpty { throw .invalid(path: path, reason: "dataset '\(id)' names no met files (\"met\": [\"file or glob\", …])") }
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let c): return "missing key '\((c.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "bad value at '\(c.codingPath.map(\.stringValue).joined(separator: "."))': \(c.debugDescription)"
        case DecodingError.dataCorrupted(let c): return "not valid JSON5: \(c.debugDescription) \(c.underlyingError.map { "\($0)" } ?? "")"
        default: return "\(error)"
        }
    }
}

/// Why a server configuration could not be used.
public enum ServerConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case unreadable(path: String)
    /// The file is not a valid configuration.
    case invalid(path: String, reason: String)
    /// A dataset's met could not be opened.
    case dataset(id: String, reason: String)

    /// One line naming the file and what to do.
    public var description: String {
        switch self {
        case .unreadable(let path): return "cannot read the server configuration '\(path)': check the path (see server.example.json5)"
        case .invalid(let path, let reason): return "\(path): \(reason) (see server.example.json5)"
        case .dataset(let id, let reason): return "dataset '\(id)': \(reason); fix its \"met\" files in the configuration"
        }
    }
}

extension ServerConfigError: LocalizedError {
    /// The description.
    public var errorDescription: String? { description }
}
