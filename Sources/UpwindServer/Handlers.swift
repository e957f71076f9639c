import Foundation
import Logging
import Metrics
import OpenAPIRuntime
import Upwind

/// The API's operations (the protocol is generated from `openapi.json`).
struct Handlers: APIProtocol {
    let config: ServerConfig
    let datasets: DatasetRegistry
    let jobs: JobManager
    let logger: Logger

    // MARK: - Health, metrics, datasets

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .json(.init(status: "ok", datasets: datasets.entries.count))))
    }

    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        .ok(.init(body: .plainText(HTTPBody(ServerMetrics.exposition()))))
    }

    func listDatasets(_ input: Operations.ListDatasets.Input) async throws -> Operations.ListDatasets.Output {
        let list = try datasets.entries.values.sorted { $0.id < $1.id }.map { e in
            Components.Schemas.Dataset(id: e.id, description: e.description, met: .init(additionalProperties: try Self.container(e.inspection)))
        }
        return .ok(.init(body: .json(.init(datasets: list))))
    }

    // MARK: - Trajectories

    func runTrajectories(_ input: Operations.RunTrajectories.Input) async throws -> Operations.RunTrajectories.Output {
        guard case .json(let request) = input.body else { throw APIError.badRequest("send the plan as application/json") }
        let plan = try Self.plan(from: request)
        let format: TrajectoryFileFormat
        if let f = request.format {
            format = f == .csv ? .csv : .geojson
        } else {
            let accepted = input.headers.accept.sortedByQuality().map(\.contentType)
            let csvFirst = accepted.first { $0 == .csv || $0 == .applicationGeoJson } == .csv
            format = csvFirst ? .csv : .geojson
        }
        let runner = try prepare(plan)
        let started = ContinuousClock.now
        let limit = config.limits.requestTimeoutSeconds
        let timeout = APIError(status: .gatewayTimeout, code: "timeout",
                               message: "the run took longer than \(limit) s (limits.requestTimeoutSeconds) and was cancelled: ask for fewer starts or hours, or submit it as a job (POST /v1/jobs)")
        let data: Data = try await withTimeout(seconds: limit, onTimeout: timeout) {
            let sink = DataSink()
            do {
                _ = try await runner.run(writingTo: sink, format: format)
            } catch let e as APIError { throw e } catch is CancellationError { throw CancellationError() } catch {
                throw APIError.unprocessable("run_failed", Self.describe(error))
            }
            return sink.data
        }
        let elapsed = ContinuousClock.now - started
        Metrics.Timer(label: "upwind_trajectory_request_seconds").recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        Counter(label: "upwind_trajectories_total").increment(by: runner.starts.count * (runner.ensemble ? RunLimits.ensembleMembers : 1))
        if format == .csv { return .ok(.init(body: .csv(HTTPBody(data)))) }
        // The writer's bytes go out unchanged (GeoJSONPassThrough swaps them in for the placeholder).
        guard let passThrough = GeoJSONPassThrough.current else {
            throw APIError(status: .internalServerError, code: "internal", message: "the GeoJSON pass-through is not installed")
        }
        passThrough.set(data)
        return .ok(.init(body: .applicationGeoJson(try GeoJSONPassThrough.placeholder())))
    }

    /// A RunPlan from a generated request (the same keys): re-encoded and decoded by RunPlan's
    /// own decoder, its dataset resolved and the service's limits applied.
    static func plan<T: Encodable>(from request: T) throws -> RunPlan {
        let data = try JSONEncoder().encode(request)
        do {
            return try JSONDecoder().decode(RunPlan.self, from: data)
        } catch let e as DecodingError {
            throw APIError.decoding(e)
        }
    }

    /// Checks a plan against the limits and prepares its run on the dataset's open met.
    func prepare(_ plan: RunPlan) throws -> TrajectoryRunner {
        try Self.prepare(plan, config: config, datasets: datasets)
    }

    /// Checks a plan against `config`'s limits and prepares its run on the dataset's open met.
    static func prepare(_ plan: RunPlan, config: ServerConfig, datasets: DatasetRegistry) throws -> TrajectoryRunner {
        let limits = config.limits
        guard let id = plan.met.dataset, plan.met.files == nil else {
            throw APIError.unprocessable("unknown_dataset", "name the met by dataset id: \"met\": {\"dataset\": \"<id>\"} (see GET /v1/datasets)")
        }
        let entry = try datasets.entry(id)
        guard abs(plan.hours) <= limits.maxHours else {
            throw APIError.unprocessable("limit_exceeded", "hours \(plan.hours) is longer than this server's limit of \(limits.maxHours) h either way (limits.maxHours)",
                                         details: [("hours", .number(Double(plan.hours))), ("limit", .number(Double(limits.maxHours)))])
        }
        if plan.ensemble == true && limits.maxMembers < RunLimits.ensembleMembers {
            throw APIError.unprocessable("limit_exceeded", "the ensemble has \(RunLimits.ensembleMembers) members per start, more than this server's limit of \(limits.maxMembers) (limits.maxMembers): send \"ensemble\": false",
                                         details: [("members", .number(Double(RunLimits.ensembleMembers))), ("limit", .number(Double(limits.maxMembers)))])
        }
        var bounded = plan
        bounded.maxStarts = limits.maxStarts
        do {
            try bounded.checkLimits()
        } catch {
            let text = error.description
            let code = text.contains("maxStarts") ? "limit_exceeded" : "invalid_plan"
            throw APIError.unprocessable(code, text.replacingOccurrences(of: " or raise \"maxStarts\" in the plan", with: "") + (code == "limit_exceeded" ? " (this server's limits.maxStarts)" : ""),
                                         details: code == "limit_exceeded" ? [("limit", .number(Double(limits.maxStarts)))] : [])
        }
        do {
            return try TrajectoryRunner(plan: bounded, met: entry.source, maxConcurrency: 1)
        } catch {
            throw APIError.unprocessable("invalid_plan", Self.describe(error))
        }
    }

    // MARK: - Jobs

    func createJob(_ input: Operations.CreateJob.Input) async throws -> Operations.CreateJob.Output {
        guard case .json(let request) = input.body else { throw APIError.badRequest("send the job as application/json") }
        let requestData = try JSONEncoder().encode(request)
        let (kind, prepare) = try Self.jobWork(for: request, config: config, datasets: datasets)
        let record = try await jobs.submit(kind: kind, request: requestData, prepare: prepare)
        return .accepted(.init(body: .json(.init(id: record.id, status: .queued))))
    }

    /// A job's kind and how to prepare its work in its folder, from its request (the body of
    /// `POST /v1/jobs`), checked against `config`'s datasets and limits. Used when a job is
    /// submitted and when a restarted server resumes it from its stored `request.json`.
    /// - Throws: ``APIError`` as `POST /v1/jobs` answers it (unknown dataset, limits, settings).
    static func jobWork(for request: Components.Schemas.JobRequest, config: ServerConfig, datasets: DatasetRegistry) throws
        -> (kind: String, prepare: @Sendable (_ folder: String) throws -> JobWork) {
        switch request {
        case .trajectories(let job):
            let runner = try prepare(try plan(from: job.plan), config: config, datasets: datasets)
            let format: TrajectoryFileFormat = job.format == .csv ? .csv : .geojson
            let total = runner.starts.count * (runner.ensemble ? RunLimits.ensembleMembers : 1)
            return ("trajectories", { _ in
                JobWork(total: total) { out, progress in
                    let name = "trajectories.\(format == .csv ? "csv" : "geojson")"
                    let summary = try await runner.run(writingTo: (out as NSString).appendingPathComponent(name), format: format, progress: progress)
                    return (Self.summaryJSON(summary), [name])
                }
            })
        case .hotspots(let job):
            let hotspots = try HotspotJob(request: job, config: config, datasets: datasets)
            return ("hotspots", { folder in try hotspots.prepare(folder: folder) })
        }
    }

    func getJob(_ input: Operations.GetJob.Input) async throws -> Operations.GetJob.Output {
        guard let job = try await jobs.status(Self.checkedID(input.path.id)) else { throw Self.unknownJob(input.path.id) }
        return .ok(.init(body: .json(Self.status(job))))
    }

    func cancelJob(_ input: Operations.CancelJob.Input) async throws -> Operations.CancelJob.Output {
        guard let job = try await jobs.cancel(Self.checkedID(input.path.id)) else { throw Self.unknownJob(input.path.id) }
        return .ok(.init(body: .json(Self.status(job))))
    }

    func getJobResult(_ input: Operations.GetJobResult.Input) async throws -> Operations.GetJobResult.Output {
        let job = try await finishedJob(input.path.id)
        let summary = try JSONDecoder().decode(Components.Schemas.JobResult.SummaryPayload.self, from: Data((job.summary ?? "{}").utf8))
        let files = job.files.map { Components.Schemas.JobFile(name: $0.name, bytes: $0.bytes, url: "/v1/jobs/\(job.id)/files/\($0.name)") }
        return .ok(.init(body: .json(.init(summary: summary, files: files))))
    }

    func getJobFile(_ input: Operations.GetJobFile.Input) async throws -> Operations.GetJobFile.Output {
        let job = try await finishedJob(input.path.id)
        // Only a name the job listed is served: no path from the client reaches the file system.
        guard let file = job.files.first(where: { $0.name == input.path.name }) else {
            throw APIError.notFound("job \(job.id) has no file '\(input.path.name.prefix(200))': see GET /v1/jobs/\(job.id)/result for its files")
        }
        let path = (jobs.outFolder(job.id) as NSString).appendingPathComponent(file.name)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw APIError(status: .internalServerError, code: "internal", message: "the file \(file.name) of job \(job.id) is missing from the jobs directory")
        }
        let body = HTTPBody(AsyncThrowingStream<ArraySlice<UInt8>, any Error> { continuation in
            defer { try? handle.close() }
            do {
                while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty { continuation.yield(ArraySlice(chunk)) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }, length: .known(Int64(file.bytes)), iterationBehavior: .single)
        return .ok(.init(body: .binary(body)))
    }

    /// A job that has succeeded.
    /// - Throws: 404 for an unknown job, 409 for a job that has not succeeded.
    func finishedJob(_ id: String) async throws -> JobRecord {
        guard let job = try await jobs.status(Self.checkedID(id)) else { throw Self.unknownJob(id) }
        guard job.status == "succeeded" else {
            throw APIError.conflict("job \(job.id) is \(job.status)\(job.error.map { ": \($0)" } ?? ""); results exist once it has succeeded",
                                    details: [("status", .string(job.status))])
        }
        return job
    }

    /// A job id as stored (a lower-case UUID); anything else is an unknown job.
    static func checkedID(_ id: String) throws -> String {
        guard isJobID(id) else { throw unknownJob(id) }
        return id
    }

    /// True for a job id as stored (a lower-case UUID).
    static func isJobID(_ id: String) -> Bool { id.count == 36 && UUID(uuidString: id) != nil && id == id.lowercased() }

    static func unknownJob(_ id: String) -> APIError { .notFound("no job '\(id.prefix(100))' on this server") }

    static func status(_ job: JobRecord) -> Components.Schemas.JobStatus {
        .init(id: job.id, kind: job.kind == "hotspots" ? .hotspots : .trajectories, status: Components.Schemas.JobState(rawValue: job.status) ?? .failed,
              progress: .init(done: job.done, total: job.total), error: job.error, attempts: job.attempts)
    }

    // MARK: - Helpers

    /// The summary of a trajectory run as JSON (the keys of `upwind trajectories --json`).
    static func summaryJSON(_ s: TrajectoryRunSummary) -> JSONValue {
        .object([("command", .string("trajectories")), ("trajectories", .number(Double(s.count))),
                 ("terminated", .object(s.byReason.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, .number(Double($0.value))) })),
                 ("skipped_starts", .number(Double(s.skipped.count))), ("seconds", .number((s.wallSeconds * 1000).rounded() / 1000))])
    }

    /// A JSON value as the generated free-form object.
    static func container(_ value: JSONValue) throws -> OpenAPIObjectContainer {
        try JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(value.serialized(pretty: false).utf8))
    }

    /// An error's text for a client (the library's errors say what to do).
    static func describe(_ error: any Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? String(describing: error)
    }
}
