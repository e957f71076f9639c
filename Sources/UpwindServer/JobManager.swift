import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import Upwind

/// What a job does once it runs: writes its result files into `out` and returns its summary.
struct JobWork: Sendable {
    /// The job's total work (trajectories or starts) for progress.
    var total: Int
    /// Runs the job, writing into `out`, reporting progress; returns the summary and the names
    /// of the files written (in `out`).
    var run: @Sendable (_ out: String, _ progress: @escaping @Sendable (SweepProgress) -> Void) async throws -> (summary: JSONValue, files: [String])
}

/// Live progress of running jobs (done, total), written from the engine's tasks.
final class ProgressBoard: Sendable {
    let state = Mutex<[String: (done: Int, total: Int)]>([:])
}

/// The bounded job queue: at most `maxQueuedJobs` jobs waiting or running, `maxRunningJobs`
/// running; state in the ``JobStore``, files in `jobsDirectory/<id>/`. A service of the
/// server's `ServiceGroup`: on graceful shutdown it stops taking jobs and lets running ones
/// finish for `shutdownGraceSeconds`, then cancels them. Nothing is lost silently: with
/// `limits.maxJobAttempts` above 1 (the default 3) the queued jobs stay queued and the cancelled
/// ones are queued again (unless they have been started that many times, then they are failed
/// with the reason), and the next server start resumes them (``UpwindHTTPServer``); with 1 both
/// are recorded as failed.
actor JobManager: Service {
    let store: JobStore
    let directory: String
    let limits: ServerConfig.Limits
    let logger: Logger
    private var queue: [(id: String, work: JobWork)] = []
    private var running: [String: Task<Void, Never>] = [:]
    private var cancelledByClient: Set<String> = []
    private var shuttingDown = false
    private let progress = ProgressBoard()
    private let queuedGauge = Gauge(label: "upwind_jobs_queued")
    private let runningGauge = Gauge(label: "upwind_jobs_running")

    /// Creates the queue; `resumed` are jobs an earlier process left unfinished, already
    /// recorded as queued and prepared in their folders, started first (in this order).
    init(store: JobStore, directory: String, limits: ServerConfig.Limits, logger: Logger, resumed: [(id: String, work: JobWork)] = []) {
        self.store = store
        self.directory = directory
        self.limits = limits
        self.logger = logger
        self.queue = resumed
    }

    /// Whether interrupted jobs are started again by the next process (`limits.maxJobAttempts` > 1).
    var resumesJobs: Bool { limits.maxJobAttempts > 1 }

    /// The folder of job `id`.
    nonisolated func folder(_ id: String) -> String { Self.folder(id, in: directory) }
    /// The folder of job `id`'s result files.
    nonisolated func outFolder(_ id: String) -> String { Self.outFolder(id, in: directory) }
    /// The folder of job `id` in the jobs directory `directory`.
    static func folder(_ id: String, in directory: String) -> String { (directory as NSString).appendingPathComponent(id) }
    /// The folder of job `id`'s result files in the jobs directory `directory`.
    static func outFolder(_ id: String, in directory: String) -> String { (folder(id, in: directory) as NSString).appendingPathComponent("out") }

    /// Queues a job: checks the queue's room, writes the request and the job's inputs
    /// (`prepare`, given the job's folder) atomically, records it as queued and starts it when a
    /// slot is free.
    /// - Throws: ``APIError`` 503 while shutting down, 429 with `Retry-After` when the queue is full.
    func submit(kind: String, request: Data, prepare: @Sendable (_ folder: String) throws -> JobWork) throws -> JobRecord {
        guard !shuttingDown else {
            throw APIError(status: .serviceUnavailable, code: "shutting_down", message: "the server is shutting down and takes no new jobs; retry later", retryAfter: 30)
        }
        guard queue.count + running.count < limits.maxQueuedJobs else {
            throw APIError(status: .tooManyRequests, code: "queue_full",
                           message: "the job queue is full (\(limits.maxQueuedJobs) jobs waiting or running, limits.maxQueuedJobs); retry later",
                           details: [("limit", .number(Double(limits.maxQueuedJobs)))], retryAfter: 10)
        }
        let id = UUID().uuidString.lowercased()
        let folder = folder(id)
        try FileManager.default.createDirectory(atPath: outFolder(id), withIntermediateDirectories: true)
        try Self.writeAtomically(request, to: (folder as NSString).appendingPathComponent("request.json"))
        let work: JobWork
        do {
            work = try prepare(folder)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        let record = JobRecord(id: id, kind: kind, status: "queued", done: 0, total: work.total, error: nil, summary: nil, files: [],
                               created: Date().timeIntervalSince1970)
        try store.insert(record)
        queue.append((id, work))
        logger.info("job queued", metadata: ["job": "\(id)", "kind": "\(kind)"])
        pump()
        return record
    }

    /// The job with its live progress.
    func status(_ id: String) throws -> JobRecord? {
        guard var job = try store.job(id) else { return nil }
        if job.status == "running", let p = progress.state.withLock({ $0[id] }) { job.done = p.done; job.total = p.total }
        return job
    }

    /// Cancels a queued or running job (a running one stops within one met window).
    /// - Returns: the job after cancelling, nil when unknown.
    /// - Throws: ``APIError`` 409 for a finished job.
    func cancel(_ id: String) async throws -> JobRecord? {
        guard let job = try store.job(id) else { return nil }
        if job.isFinished {
            throw APIError.conflict("job \(id) has already finished (\(job.status))", details: [("status", .string(job.status))])
        }
        if let i = queue.firstIndex(where: { $0.id == id }) {
            queue.remove(at: i)
            try store.update(id: id, status: "cancelled", error: "cancelled by the client before it started")
            updateGauges()
        } else if let task = running[id] {
            cancelledByClient.insert(id)
            task.cancel()
            await task.value
        }
        return try status(id)
    }

    /// Starts queued jobs while slots are free.
    private func pump() {
        while !shuttingDown, running.count < limits.maxRunningJobs, !queue.isEmpty {
            let (id, work) = queue.removeFirst()
            running[id] = Task { await self.execute(id: id, work: work) }
        }
        updateGauges()
    }

    private func updateGauges() {
        queuedGauge.record(queue.count)
        runningGauge.record(running.count)
    }

    private func execute(id: String, work: JobWork) async {
        let start = ContinuousClock.now
        var attempt = 1
        do {
            attempt = try store.markStarted(id: id, total: work.total)
            let progress = self.progress
            progress.state.withLock { $0[id] = (0, work.total) }
            let out = outFolder(id)
            let timeout = APIError(status: .gatewayTimeout, code: "timeout", message: "the job took longer than \(limits.jobTimeoutSeconds) s (limits.jobTimeoutSeconds)")
            let result = try await withTimeout(seconds: limits.jobTimeoutSeconds, onTimeout: timeout) {
                try await work.run(out) { p in progress.state.withLock { $0[id] = (p.done, p.total) } }
            }
            var files: [JobRecord.JobFile] = []
            for name in result.files where !name.contains("/") {
                let path = (out as NSString).appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
                files.append(.init(name: name, bytes: size))
            }
            let summary = result.summary.serialized(pretty: false)
            try Self.writeAtomically(Data(summary.utf8), to: (folder(id) as NSString).appendingPathComponent("summary.json"))
            let done = progress.state.withLock { $0[id]?.done } ?? work.total
            try store.update(id: id, status: "succeeded", done: max(done, work.total), total: work.total, summary: summary, files: files)
            Counter(label: "upwind_jobs_finished_total", dimensions: [("status", "succeeded")]).increment()
            logger.info("job succeeded", metadata: ["job": "\(id)", "seconds": "\(ContinuousClock.now - start)"])
        } catch {
            if !cancelledByClient.contains(id), shuttingDown, resumesJobs, attempt < limits.maxJobAttempts {
                // Left for the next start, which clears its partial files (UpwindHTTPServer.resumeUnfinished).
                do { try store.requeue(id: id) } catch {
                    logger.error("could not record a job's end", metadata: ["job": "\(id)", "error": "\(error)"])
                }
                logger.info("job interrupted by the shutdown; the next start resumes it", metadata: ["job": "\(id)", "attempt": "\(attempt)"])
            } else {
                let (status, reason): (String, String)
                if cancelledByClient.contains(id) {
                    (status, reason) = ("cancelled", "cancelled by the client (DELETE /v1/jobs/\(id))")
                } else if shuttingDown {
                    (status, reason) = ("failed", resumesJobs
                        ? "the server shut down while the job ran, and it had been started \(attempt) times (limits.maxJobAttempts); submit it again"
                        : "the server shut down while the job ran; submit it again")
                } else if let e = error as? APIError {
                    (status, reason) = ("failed", e.message)
                } else {
                    (status, reason) = ("failed", (error as? LocalizedError)?.errorDescription ?? "\(error)")
                }
                do { try store.update(id: id, status: status, error: reason) } catch {
                    logger.error("could not record a job's end", metadata: ["job": "\(id)", "error": "\(error)"])
                }
                Counter(label: "upwind_jobs_finished_total", dimensions: [("status", status)]).increment()
                logger.info("job ended", metadata: ["job": "\(id)", "status": "\(status)", "reason": "\(reason.prefix(300))"])
            }
        }
        progress.state.withLock { _ = $0.removeValue(forKey: id) }
        running[id] = nil
        cancelledByClient.remove(id)
        pump()
    }

    /// Starts the resumed jobs, sweeps expired jobs periodically (``sweepInterval(retentionHours:)``)
    /// until graceful shutdown, then stops taking jobs (see the type's documentation).
    func run() async throws {
        pump() // the jobs resumed from an earlier process
        let retention = limits.jobRetentionHours
        let sweeper = Task { [store, directory, logger] in
            guard retention > 0 else { return }
            let interval = Self.sweepInterval(retentionHours: retention)
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
                if Task.isCancelled { break }
                do {
                    let removed = try Self.removeExpired(store: store, directory: directory, retentionHours: retention)
                    if !removed.isEmpty { logger.info("expired jobs deleted", metadata: ["jobs": "\(removed.count)", "retention_hours": "\(retention)"]) }
                } catch {
                    logger.error("could not delete expired jobs", metadata: ["error": "\(error)"])
                }
            }
        }
        try? await gracefulShutdown()
        sweeper.cancel()
        await shutdown()
    }

    /// Seconds between retention sweeps: a tenth of the retention, between 1 s and 10 minutes.
    static func sweepInterval(retentionHours: Double) -> Double { min(600, max(1, retentionHours * 360)) }

    /// Deletes the jobs that finished more than `retentionHours` before `now`: their rows first
    /// (so they are gone for clients), then their folders. Jobs still queued or running are
    /// never touched; `retentionHours` 0 keeps everything.
    /// - Returns: the ids deleted.
    static func removeExpired(store: JobStore, directory: String, retentionHours: Double, now: Date = Date()) throws -> [String] {
        guard retentionHours > 0, retentionHours.isFinite else { return [] }
        let ids = try store.deleteFinished(before: now.timeIntervalSince1970 - retentionHours * 3600)
        for id in ids where Handlers.isJobID(id) {
            try? FileManager.default.removeItem(atPath: folder(id, in: directory))
        }
        return ids
    }

    /// Stops taking jobs, gives the running ones `shutdownGraceSeconds` and cancels what is
    /// left; queued and cancelled jobs are left for the next start (or failed, with
    /// `limits.maxJobAttempts` 1; see the type's documentation). Every job's state is recorded.
    func shutdown() async {
        guard !shuttingDown else { return }
        shuttingDown = true
        for (id, _) in queue {
            if resumesJobs {
                logger.info("job left queued for the next start", metadata: ["job": "\(id)"])
            } else {
                try? store.update(id: id, status: "failed", error: "the server shut down before the job started; submit it again")
            }
        }
        queue = []
        updateGauges()
        let tasks = Array(running.values)
        guard !tasks.isEmpty else { return }
        logger.info("waiting for running jobs", metadata: ["jobs": "\(tasks.count)", "grace_seconds": "\(limits.shutdownGraceSeconds)"])
        let grace = limits.shutdownGraceSeconds
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int64(grace * 1000)))
                for t in tasks { t.cancel() }
            }
            for t in tasks { group.addTask { await t.value } }
            // When every job has ended, the grace timer is no longer needed.
            var ended = 0
            while ended < tasks.count, await group.next() != nil { ended += 1 }
            group.cancelAll()
        }
    }

    /// Writes `data` to `path` through a temporary file renamed when complete.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let sink = try FileSink(path: path)
        try sink.write(data)
        try sink.finish()
    }
}
