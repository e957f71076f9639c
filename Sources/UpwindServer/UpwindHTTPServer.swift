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
    /// Jobs left queued or running by an earlier process that could not be resumed (started
    /// `limits.maxJobAttempts` times already, or their request no longer fits this server), marked failed at start.
    public let jobsFailedAtStart: Int
    /// Jobs left queued or running by an earlier process, queued again at start (started first,
    /// oldest first, from the beginning).
    public var jobsResumedAtStart: Int { resumed.count }
    /// Finished jobs older than `limits.jobRetentionHours`, deleted at start.
    public let jobsExpiredAtStart: Int
    /// The jobs to resume, prepared in their folders.
    let resumed: [(id: String, work: JobWork)]

    /// The error of a job an earlier process left unfinished that is not started again
    /// (`limits.maxJobAttempts` starts reached).
    public static let restartReason = "the server restarted before the job finished, and the job had been started limits.maxJobAttempts times; submit it again"

    /// Opens the datasets and the job store and reads the API keys from the environment variable
    /// `config.apiKeysEnv` names. Jobs an earlier process left queued or running (a crash, a
    /// restart, a shutdown) are resumed: each is prepared again from the request stored in its
    /// folder (checked against this configuration's datasets and limits), its partial results are
    /// removed, and it is queued to start from the beginning, unless it has been started
    /// `limits.maxJobAttempts` times or its request no longer fits, when it is marked failed with
    /// the reason (with `maxJobAttempts` 1 every unfinished job is marked failed, as a job that
    /// was never started is too).
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
            (resumed, jobsFailedAtStart) = try Self.resumeUnfinished(store: store, config: config, datasets: datasets, logger: logger)
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
                                               "jobs_resumed_at_start": "\(resumed.count)", "jobs_failed_at_start": "\(jobsFailedAtStart)",
                                               "jobs_expired_at_start": "\(jobsExpiredAtStart)"])
    }

    /// Prepares the jobs an earlier process left unfinished again, or marks them failed (see
    /// ``init(config:environment:logLevel:)``).
    /// - Returns: the jobs to queue (recorded as queued) and how many were marked failed.
    static func resumeUnfinished(store: JobStore, config: ServerConfig, datasets: DatasetRegistry,
                                 logger: Logger) throws -> (resumed: [(id: String, work: JobWork)], failed: Int) {
        let limit = config.limits.maxJobAttempts
        var resumed: [(id: String, work: JobWork)] = []
        var failed = 0
        for job in try store.unfinished() {
            let folder = JobManager.folder(job.id, in: config.jobsDirectory)
            if limit <= 1 || job.attempts >= limit {
                let reason = limit <= 1 ? "the server restarted before the job finished; submit it again" : restartReason
                try store.update(id: job.id, status: "failed", error: reason)
                failed += 1
                logger.warning("unfinished job not resumed", metadata: ["job": "\(job.id)", "attempts": "\(job.attempts)", "limit": "\(limit)"])
                continue
            }
            do {
                guard Handlers.isJobID(job.id) else { throw ResumeError("its id is not a job id") }
                let requestPath = (folder as NSString).appendingPathComponent("request.json")
                guard let data = FileManager.default.contents(atPath: requestPath) else { throw ResumeError("its request.json is missing") }
                let request: Components.Schemas.JobRequest
                do { request = try JSONDecoder().decode(Components.Schemas.JobRequest.self, from: data) } catch {
                    throw ResumeError("its request.json is not a job request (\(error))")
                }
                let (kind, prepare) = try Handlers.jobWork(for: request, config: config, datasets: datasets)
                guard kind == job.kind else { throw ResumeError("its request.json is a \(kind) job, the record a \(job.kind) job") }
                let out = JobManager.outFolder(job.id, in: config.jobsDirectory)
                if FileManager.default.fileExists(atPath: out) { try FileManager.default.removeItem(atPath: out) }
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let work = try prepare(folder)
                try store.requeue(id: job.id)
                resumed.append((job.id, work))
                logger.info("unfinished job resumed", metadata: ["job": "\(job.id)", "kind": "\(kind)", "attempts": "\(job.attempts)"])
            } catch {
                let why = (error as? APIError)?.message ?? (error as? ResumeError)?.message ?? "\(error)"
                try store.update(id: job.id, status: "failed", error: "the server restarted and could not resume the job: \(why); submit it again")
                failed += 1
                logger.warning("unfinished job not resumed", metadata: ["job": "\(job.id)", "reason": "\(why.prefix(300))"])
            }
        }
        return (resumed, failed)
    }

    /// Why a stored job cannot be prepared again.
    struct ResumeError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// The application listening on `host`:`port` (0: any free port), with the job queue as one
    /// of its services (holding the jobs resumed at start: make one application per server);
    /// `onListening` is given the port it listens on once it does.
    public func makeApplication(host: String = "127.0.0.1", port: Int = 8080,
                                onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let jobs = JobManager(store: store, directory: config.jobsDirectory, limits: config.limits, logger: logger, resumed: resumed)
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
