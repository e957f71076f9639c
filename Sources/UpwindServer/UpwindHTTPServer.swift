import Foundation
import Hummingbird
import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import ServiceLifecycle

/// `upwind serve`: Upwind as a JSON service on Hummingbird 2. The routes and types are generated
/// from `openapi.json` (served at `/openapi.json`), datasets are opened once by id, jobs are
/// kept in SQLite (GRDB, WAL) with their files in the jobs directory, metrics go through
/// swift-metrics to Prometheus (`/metrics`), logs through swift-log (keys never logged).
///
/// ```swift
/// let server = try UpwindHTTPServer(config: try ServerConfig.load(path: "server.json"))
/// try await server.run(host: "127.0.0.1", port: 8080)   // until SIGTERM or SIGINT
/// ```
public struct UpwindHTTPServer: Sendable {
    /// The configuration (paths resolved).
    public let config: ServerConfig
    let datasets: DatasetRegistry
    let store: JobStore
    let apiKeys: [[UInt8]]
    let logger: Logger
    /// Jobs left queued or running by an earlier process, marked failed at start.
    public let jobsFailedAtStart: Int
    /// Finished jobs older than `limits.jobRetentionHours`, deleted at start.
    public let jobsExpiredAtStart: Int

    /// The error of a job an earlier process left unfinished.
    public static let restartReason = "the server restarted before the job finished; submit it again"

    /// Opens the datasets and the job store (failing jobs an earlier process left unfinished)
    /// and reads the API keys from the environment variable `config.apiKeysEnv` names.
    /// - Parameters:
    ///   - environment: where the API keys are read (default: the process's environment).
    ///   - logLevel: the log level (default info).
    /// - Throws: ``ServerConfigError`` for a dataset that does not open or a jobs directory that
    ///   cannot be used.
    public init(config: ServerConfig, environment: [String: String] = ProcessInfo.processInfo.environment,
                logLevel: Logger.Level = .info) throws {
        var logger = Logger(label: "upwind.server")
        logger.logLevel = logLevel
        self.logger = logger
        self.config = config
        datasets = try DatasetRegistry(config: config)
        do {
            store = try JobStore(directory: config.jobsDirectory)
            jobsFailedAtStart = try store.failUnfinished(reason: Self.restartReason)
            jobsExpiredAtStart = try JobManager.removeExpired(store: store, directory: config.jobsDirectory,
                                                              retentionHours: config.limits.jobRetentionHours).count
        } catch {
            throw ServerConfigError.invalid(path: config.jobsDirectory, reason: "cannot open the job store: \(error)")
        }
        if let name = config.apiKeysEnv, let text = environment[name] {
            apiKeys = text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { Array($0.utf8) }
        } else {
            apiKeys = []
        }
        _ = ServerMetrics.bootstrapped
        logger.info("server ready", metadata: ["datasets": "\(datasets.entries.keys.sorted())", "api_keys": "\(apiKeys.count)",
                                               "jobs_failed_at_start": "\(jobsFailedAtStart)", "jobs_expired_at_start": "\(jobsExpiredAtStart)"])
    }

    /// The application listening on `host`:`port` (0: any free port), with the job queue as one
    /// of its services; `onListening` is given the port it listens on once it does.
    public func makeApplication(host: String = "127.0.0.1", port: Int = 8080,
                                onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let jobs = JobManager(store: store, directory: config.jobsDirectory, limits: config.limits, logger: logger)
        let router = Router()
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: AuthMiddleware(keys: apiKeys))
        router.add(middleware: BodyLimitMiddleware(maxBytes: config.limits.maxBodyBytes))
        let document = try Self.document()
        router.get("openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: document)))
        }
        let handlers = Handlers(config: config, datasets: datasets, jobs: jobs, logger: logger)
        try handlers.registerHandlers(on: router, middlewares: [FormatWinsOverAccept(maxBytes: config.limits.maxBodyBytes), GeoJSONPassThrough()])
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "upwind"),
                           services: [jobs], onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) }, logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully: stops accepting connections,
    /// lets running jobs finish (`limits.shutdownGraceSeconds`), cancels and records the rest.
    public func run(host: String = "127.0.0.1", port: Int = 8080) async throws {
        try await makeApplication(host: host, port: port).runService()
    }

    /// The OpenAPI document the routes are generated from (the target's `openapi.json`).
    public static func document() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw ServerConfigError.invalid(path: "openapi.json", reason: "the OpenAPI document is missing from the UpwindServer resources")
        }
        return try Data(contentsOf: url)
    }
}
