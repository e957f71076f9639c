import Foundation
import GRDB

/// A job's state as stored.
struct JobRecord: Sendable, Equatable {
    /// The job id (a UUID, lower case).
    var id: String
    /// `trajectories` or `hotspots`.
    var kind: String
    /// `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    var status: String
    /// Work done and total (trajectories, or starts for hotspots).
    var done: Int
    var total: Int
    /// Why the job failed or was cancelled.
    var error: String?
    /// The result summary (a JSON object's text) once succeeded.
    var summary: String?
    /// The result files (name and size, bytes) once succeeded.
    var files: [JobFile]
    /// When submitted, seconds since 1970.
    var created: Double
    /// How many times the job has been started (a restart or shutdown that interrupts it
    /// queues it again; see `ServerConfig.Limits.maxJobAttempts`).
    var attempts: Int = 0

    struct JobFile: Sendable, Equatable, Codable { var name: String; var bytes: Int }

    var isFinished: Bool { ["succeeded", "failed", "cancelled"].contains(status) }
}

/// Job state in SQLite through GRDB (a `DatabasePool`, so WAL mode): `jobs.sqlite` in the jobs
/// directory. Every change is one transaction; the job's files are written beside it atomically.
final class JobStore: Sendable {
    let pool: DatabasePool

    /// Opens (creating when missing) the store in `directory`.
    init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: (directory as NSString).appendingPathComponent("jobs.sqlite"), configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "jobs") { t in
                t.primaryKey("id", .text)
                t.column("kind", .text).notNull()
                t.column("status", .text).notNull()
                t.column("done", .integer).notNull().defaults(to: 0)
                t.column("total", .integer).notNull().defaults(to: 0)
                t.column("error", .text)
                t.column("summary", .text)
                t.column("files", .text)
                t.column("created", .double).notNull()
                t.column("updated", .double).notNull()
            }
        }
        migrator.registerMigration("v2: attempts") { db in
            try db.alter(table: "jobs") { t in t.add(column: "attempts", .integer).notNull().defaults(to: 0) }
        }
        try migrator.migrate(pool)
    }

    /// The jobs an earlier process left queued or running, oldest first.
    func unfinished() throws -> [JobRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY created, id").map(Self.record)
        }
    }

    /// Records that job `id` starts: status `running`, progress 0 of `total`, one more attempt.
    /// - Returns: the job's attempts, this one included.
    func markStarted(id: String, total: Int) throws -> Int {
        try pool.write { db in
            try db.execute(sql: "UPDATE jobs SET status = 'running', done = 0, total = ?, attempts = attempts + 1, updated = ? WHERE id = ?",
                           arguments: [total, Date().timeIntervalSince1970, id])
            return try Int.fetchOne(db, sql: "SELECT attempts FROM jobs WHERE id = ?", arguments: [id]) ?? 0
        }
    }

    /// Puts job `id` back in the queue (status `queued`, progress 0, no error), to be started
    /// again by the next process.
    func requeue(id: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE jobs SET status = 'queued', done = 0, error = NULL, updated = ? WHERE id = ?",
                           arguments: [Date().timeIntervalSince1970, id])
        }
    }

    /// Adds a job; `updated` (seconds since 1970, default now) is when its status last changed.
    func insert(_ job: JobRecord, updated: Double = Date().timeIntervalSince1970) throws {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO jobs (id, kind, status, done, total, error, summary, files, created, updated, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [job.id, job.kind, job.status, job.done, job.total, job.error, job.summary, try Self.filesText(job.files),
                                       job.created, updated, job.attempts])
        }
    }

    /// Deletes the finished jobs (succeeded, failed, cancelled) whose status last changed before
    /// `cutoff` (seconds since 1970) in one transaction.
    /// - Returns: their ids (their folders are the caller's to remove).
    func deleteFinished(before cutoff: Double) throws -> [String] {
        try pool.write { db in
            let sql = "FROM jobs WHERE status IN ('succeeded', 'failed', 'cancelled') AND updated < ?"
            let ids = try String.fetchAll(db, sql: "SELECT id " + sql, arguments: [cutoff])
            try db.execute(sql: "DELETE " + sql, arguments: [cutoff])
            return ids
        }
    }

    /// Sets a job's status (and progress, error, summary, files when given).
    func update(id: String, status: String, done: Int? = nil, total: Int? = nil, error: String? = nil, summary: String? = nil,
                files: [JobRecord.JobFile]? = nil) throws {
        try pool.write { db in
            try db.execute(sql: """
                UPDATE jobs SET status = ?, done = COALESCE(?, done), total = COALESCE(?, total), error = COALESCE(?, error),
                summary = COALESCE(?, summary), files = COALESCE(?, files), updated = ? WHERE id = ?
                """, arguments: [status, done, total, error, summary, try files.map(Self.filesText), Date().timeIntervalSince1970, id])
        }
    }

    func job(_ id: String) throws -> JobRecord? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(Self.record)
        }
    }

    /// A job from its row.
    static func record(_ row: Row) -> JobRecord {
        let filesText: String? = row["files"]
        let files = filesText.flatMap { try? JSONDecoder().decode([JobRecord.JobFile].self, from: Data($0.utf8)) } ?? []
        return JobRecord(id: row["id"], kind: row["kind"], status: row["status"], done: row["done"], total: row["total"], error: row["error"],
                         summary: row["summary"], files: files, created: row["created"], attempts: row["attempts"])
    }

    /// How many jobs have each status.
    func counts() throws -> [String: Int] {
        try pool.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM jobs GROUP BY status") { out[row["status"]] = row["n"] }
            return out
        }
    }

    static func filesText(_ files: [JobRecord.JobFile]) throws -> String {
        String(decoding: try JSONEncoder().encode(files), as: UTF8.self)
    }
}
