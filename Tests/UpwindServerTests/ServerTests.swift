import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Testing
import Upwind
@testable import UpwindServer
import UpwindTestSupport

/// A GeoJSON feature's coordinates.
func coordinates(_ f: [String: Any]) -> [[Double]] { ((f["geometry"] as? [String: Any])?["coordinates"] as? [[Double]]) ?? [] }

@Suite("UpwindServer")
struct ServerTests {
    @Test("GET /health, /openapi.json (the generated-from document) and /metrics")
    func healthDocumentMetrics() async throws {
        let h = try ServerHarness()
        try await h.live { client in
            let health = try await client.get("/health")
            #expect(health.status == .ok)
            #expect(health.json["status"] as? String == "ok")
            #expect(health.json["datasets"] as? Int == 1)
            let doc = try await client.get("/openapi.json")
            #expect(doc.status == .ok)
            #expect(doc.body == (try UpwindHTTPServer.document()))
            let paths = (doc.json["paths"] as? [String: Any])?.keys.sorted() ?? []
            #expect(paths == ["/health", "/metrics", "/v1/datasets", "/v1/jobs", "/v1/jobs/{id}", "/v1/jobs/{id}/files/{name}", "/v1/jobs/{id}/result", "/v1/trajectories"])
            _ = try await client.post("/v1/trajectories", planJSON())
            let metrics = try await client.get("/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("upwind_trajectory_request_seconds"))
            #expect(metrics.text.contains("upwind_jobs_queued"))
        }
    }

    @Test("GET /v1/datasets gives each id with what `upwind inspect --json --no-scan` prints")
    func datasets() async throws {
        let h = try ServerHarness()
        let expected = try ARLInspection(try ARLDataset(paths: [Fixtures.met("gdas_042.bin")]), scan: false).jsonValue.serialized(pretty: false)
        try await h.live { client in
            let r = try await client.get("/v1/datasets")
            #expect(r.status == .ok)
            let list = r.json["datasets"] as? [[String: Any]] ?? []
            #expect(list.count == 1)
            #expect(list.first?["id"] as? String == "gdas")
            #expect(list.first?["description"] as? String == "GDAS fixture")
            let met = try #require(list.first?["met"] as? [String: Any])
            let truth = try #require(try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? NSDictionary)
            #expect(NSDictionary(dictionary: met) == truth)
        }
    }

    @Test("POST /v1/trajectories: GeoJSON by default, CSV by format or Accept, the same trajectories as the library")
    func trajectories() async throws {
        let h = try ServerHarness()
        // The truth: the library's own run of the same plan on the same met.
        let plan = try JSONDecoder().decode(RunPlan.self, from: Data(planJSON().utf8))
        let source = try MetSource.open([Fixtures.met("gdas_042.bin")])
        let runner = try TrajectoryRunner(plan: plan, met: source, maxConcurrency: 1)
        let csvSink = DataSink()
        _ = try await runner.run(writingTo: csvSink, format: .csv)
        let truthCSV = csvSink.string
        let geoSink = DataSink()
        _ = try await runner.run(writingTo: geoSink, format: .geojson)
        let truthGeo = try #require(try JSONSerialization.jsonObject(with: geoSink.data) as? [String: Any])
        let (truthGeoBytes, truthCSVBytes) = (geoSink.data, csvSink.data)
        let truthFeatures = truthGeo["features"] as? [[String: Any]] ?? []
        let want = truthFeatures.map(coordinates).sorted { ($0.last?[1] ?? 0) < ($1.last?[1] ?? 0) }
        try await h.live { client in
            let geo = try await client.post("/v1/trajectories", planJSON())
            #expect(geo.status == .ok)
            #expect(geo.headers[.contentType]?.hasPrefix("application/geo+json") == true)
            let features = geo.json["features"] as? [[String: Any]] ?? []
            #expect(features.count == 2)
            #expect(want.count == 2)
            let got = features.map(coordinates).sorted { ($0.last?[1] ?? 0) < ($1.last?[1] ?? 0) }
            #expect(got == want)
            // The library writer's bytes, unchanged (not re-serialised through the generated types).
            #expect(geo.body == truthGeoBytes)
            #expect(got.first?.count == 13)   // 12 hourly endpoints and the start

            let csv = try await client.post("/v1/trajectories", planJSON(extra: #","format":"csv""#))
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.body == truthCSVBytes)
            let lines = csv.text.split(separator: "\n")
            #expect(lines.first == truthCSV.split(separator: "\n").first)
            #expect(lines.count == 1 + 2 * 13)
            #expect(Set(lines) == Set(truthCSV.split(separator: "\n")))

            let byAccept = try await client.post("/v1/trajectories", planJSON(), headers: jsonHeaders(accept: "text/csv"))
            #expect(byAccept.headers[.contentType]?.hasPrefix("text/csv") == true)
            // The body's format wins over Accept.
            let formatWins = try await client.post("/v1/trajectories", planJSON(extra: #","format":"geojson""#), headers: jsonHeaders(accept: "text/csv"))
            #expect(formatWins.status == .ok)
            #expect(formatWins.headers[.contentType]?.hasPrefix("application/geo+json") == true)
            let csvWins = try await client.post("/v1/trajectories", planJSON(extra: #","format":"csv""#), headers: jsonHeaders(accept: "application/geo+json"))
            #expect(csvWins.headers[.contentType]?.hasPrefix("text/csv") == true)
            // Neither format acceptable and none named: 406 as JSON.
            let none = try await client.post("/v1/trajectories", planJSON(), headers: jsonHeaders(accept: "application/xml"))
            #expect(none.status == .notAcceptable)
            #expect(none.errorCode == "not_acceptable")
        }
    }

    @Test("Bad requests: JSON errors with 400, 404, 413 and 422, and no client path is ever opened")
    func errors() async throws {
        var h = try ServerHarness()
        h.limits.maxMembers = 1
        try await h.live { client in
            func check(_ r: TestResponse, _ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(r.status == status, sourceLocation: sourceLocation)
                #expect(r.errorCode == code, sourceLocation: sourceLocation)
                #expect(r.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
                let error = r.json["error"] as? [String: Any]
                #expect((error?["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
                #expect(error?["details"] is [String: Any], sourceLocation: sourceLocation)
            }
            check(try await client.post("/v1/trajectories", "{not json"), .badRequest, "bad_request")
            check(try await client.post("/v1/trajectories", #"{"met":{"dataset":"gdas"}}"#), .badRequest, "bad_request")
            check(try await client.post("/v1/trajectories", planJSON().replacingOccurrences(of: "-12", with: "\"twelve\"")), .badRequest, "bad_request")
            check(try await client.post("/v1/trajectories", planJSON().replacingOccurrences(of: "2010-02-13T00:00:00Z", with: "yesterday")), .badRequest, "bad_request")
            check(try await client.post("/v1/trajectories", planJSON(dataset: "era5")), .unprocessableContent, "unknown_dataset")
            // A path (even of a real met file) is not a dataset id, and "files" is not accepted.
            check(try await client.post("/v1/trajectories", planJSON(dataset: Fixtures.met("gdas_042.bin"))), .unprocessableContent, "unknown_dataset")
            check(try await client.post("/v1/trajectories", planJSON().replacingOccurrences(of: #"{"dataset":"gdas"}"#, with: #"{"dataset":"gdas","files":["/etc/passwd"]}"#)),
                  .badRequest, "bad_request")
            // Limits.
            check(try await client.post("/v1/trajectories", planJSON(hours: -49)), .unprocessableContent, "limit_exceeded")
            check(try await client.post("/v1/trajectories", planJSON(starts: 201)), .unprocessableContent, "limit_exceeded")
            check(try await client.post("/v1/trajectories", planJSON(extra: #","ensemble":true"#)), .unprocessableContent, "limit_exceeded")
            check(try await client.post("/v1/trajectories", planJSON(extra: #","pad":"\#(String(repeating: "x", count: 200_001))""#)),
                  .contentTooLarge, "body_too_large")
            check(try await client.post("/v1/trajectories", planJSON(extra: #","format":"tdump""#)), .badRequest, "bad_request")
            // Starts outside the met: the engine's error, as 422.
            check(try await client.post("/v1/trajectories", planJSON().replacingOccurrences(of: "2010-02-13", with: "2011-02-13")),
                  .unprocessableContent, "run_failed")
            // Jobs and routes that do not exist.
            check(try await client.get("/v1/jobs/00000000-0000-0000-0000-000000000000"), .notFound, "not_found")
            check(try await client.get("/v1/jobs/..%2Fjobs.sqlite/result"), .notFound, "not_found")
            check(try await client.execute(uri: "/v1/jobs/00000000-0000-0000-0000-000000000000", method: .delete), .notFound, "not_found")
            check(try await client.get("/v1/nothing"), .notFound, "not_found")
            let trace = try await client.execute(uri: "/v1/datasets", method: .trace)
            check(trace, .methodNotAllowed, "method_not_allowed")
            #expect(trace.headers[.allow] == "GET")
            check(try await client.get("/v1/trajectories"), .methodNotAllowed, "method_not_allowed")
            check(try await client.post("/v1/jobs", #"{"kind":"trajectories"}"#), .badRequest, "bad_request")
            check(try await client.post("/v1/jobs", #"{"kind":"volcano"}"#), .badRequest, "bad_request")
            // Each kind has its own required keys (the document's oneOf on "kind").
            check(try await client.post("/v1/jobs", #"{"kind":"hotspots","dataset":"gdas"}"#), .badRequest, "bad_request")
            check(try await client.post("/v1/jobs", #"{"kind":"hotspots","observations":[{"site":"A","latitude":1,"longitude":2,"time":"2010-02-12T12:00:00Z","value":1}]}"#),
                  .badRequest, "bad_request")
            check(try await client.post("/v1/trajectories", planJSON(hours: 0)), .unprocessableContent, "invalid_plan")
            check(try await client.post("/v1/jobs", #"{"kind":"hotspots","dataset":"/etc","observations":[{"site":"A","latitude":1,"longitude":2,"time":"2010-02-12T12:00:00Z","value":1}],"settings":{"hotspotThreshold":1}}"#),
                  .unprocessableContent, "unknown_dataset")
        }
    }

    @Test("API keys: 401 without or with a wrong bearer key, 200 with a right one; /health stays open")
    func apiKeys() async throws {
        var h = try ServerHarness()
        h.environment = ["UPWIND_TEST_KEYS": "k-one, k-two"]
        try await h.live { client in
            let none = try await client.get("/v1/datasets")
            #expect(none.status == .unauthorized)
            #expect(none.errorCode == "unauthorized")
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let wrong = try await client.get("/v1/datasets", headers: [.authorization: "Bearer k-three"])
            #expect(wrong.status == .unauthorized)
            let prefix = try await client.get("/v1/datasets", headers: [.authorization: "Bearer k-on"])
            #expect(prefix.status == .unauthorized)
            #expect(try await client.get("/v1/datasets", headers: [.authorization: "Bearer k-two"]).status == .ok)
            #expect(try await client.post("/v1/trajectories", planJSON(), headers: jsonHeaders(key: "k-one")).status == .ok)
            #expect(try await client.post("/v1/trajectories", planJSON()).status == .unauthorized)
            #expect(try await client.get("/health").status == .ok)
            #expect(try await client.get("/openapi.json").status == .ok)
        }
    }

    @Test("A run longer than requestTimeoutSeconds is cancelled and answered 504")
    func timeout() async throws {
        var h = try ServerHarness()
        h.limits.requestTimeoutSeconds = 0.001
        try await h.live { client in
            let r = try await client.post("/v1/trajectories", planJSON(starts: 50))
            #expect(r.status == .gatewayTimeout)
            #expect(r.errorCode == "timeout")
            // The server still answers.
            #expect(try await client.get("/health").status == .ok)
        }
    }

    @Test("A trajectories job: 202, status, result and its file; names outside the list are 404")
    func trajectoriesJob() async throws {
        let h = try ServerHarness()
        try await h.live { client in
            let created = try await client.post("/v1/jobs", #"{"kind":"trajectories","format":"csv","plan":\#(planJSON())}"#)
            #expect(created.status == .accepted)
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["status"] as? String == "queued")
            let done = try await client.waitForJob(id)
            #expect(done["status"] as? String == "succeeded")
            #expect(done["kind"] as? String == "trajectories")
            #expect((done["progress"] as? [String: Any])?["total"] as? Int == 2)
            let result = try await client.get("/v1/jobs/\(id)/result")
            #expect(result.status == .ok)
            #expect((result.json["summary"] as? [String: Any])?["trajectories"] as? Int == 2)
            let files = result.json["files"] as? [[String: Any]] ?? []
            #expect(files.map { $0["name"] as? String } == ["trajectories.csv"])
            #expect(files.first?["url"] as? String == "/v1/jobs/\(id)/files/trajectories.csv")
            let file = try await client.get("/v1/jobs/\(id)/files/trajectories.csv")
            #expect(file.status == .ok)
            #expect(file.body.count == files.first?["bytes"] as? Int)
            #expect(file.text.split(separator: "\n").count == 1 + 2 * 13)
            // The job folder holds the request and the result, written atomically.
            #expect(FileManager.default.fileExists(atPath: h.folder.path("jobs/\(id)/request.json")))
            #expect(FileManager.default.fileExists(atPath: h.folder.path("jobs/\(id)/out/trajectories.csv")))
            // ".." percent-encoded: curl (under URLSession on Linux) would squash a bare dot segment.
            for name in ["..%2Frequest.json", "request.json", "%2E%2E", "jobs.sqlite"] {
                #expect(try await client.get("/v1/jobs/\(id)/files/\(name)").status == .notFound)
            }
            let again = try await client.execute(uri: "/v1/jobs/\(id)", method: .delete)
            #expect(again.status == .conflict)
        }
    }

    /// A hotspots job on the fixture: 13 hourly observations at one site, three of them above
    /// the threshold (one event), one height, 12-h trajectories.
    static let hotspotsJobJSON: String = {
        let observations = (0 ..< 13).map { i in
            #"{"site":"MSR","latitude":16.7,"longitude":-62.2,"time":"2010-02-12T\#(String(format: "%02d", 11 + i)):00:00Z","value":\#((5 ... 7).contains(i) ? 80 : 20)}"#
        }
        return #"{"kind":"hotspots","dataset":"gdas","observations":[\#(observations.joined(separator: ","))],"fires":null,"regions":null,"settings":{"hotspotThreshold":50,"heights":[500],"hours":-12,"clusters":"none"}}"#
    }()

    @Test("A hotspots job writes what `upwind hotspots --out` writes")
    func hotspotsJob() async throws {
        let h = try ServerHarness()
        let body = Self.hotspotsJobJSON
        try await h.live { client in
            let created = try await client.post("/v1/jobs", body)
            #expect(created.status == .accepted)
            let id = try #require(created.json["id"] as? String)
            let done = try await client.waitForJob(id)
            #expect(done["status"] as? String == "succeeded", "\(done)")
            let result = try await client.get("/v1/jobs/\(id)/result")
            let summary = result.json["summary"] as? [String: Any] ?? [:]
            #expect(summary["events"] as? Int == 1)
            #expect(summary["trajectories"] as? Int == 13)
            let names = Set((result.json["files"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
            #expect(names == ["events.csv", "trajectories.csv", "grid.csv", "grid.geojson", "grid.nc", "run.json"])
            let events = try await client.get("/v1/jobs/\(id)/files/events.csv")
            #expect(events.text.split(separator: "\n").count == 2)
            #expect(events.text.hasPrefix("site,event,start_time,end_time,hours,peak_value,mean_value,criterion"))
        }
    }

    @Test("The queue is bounded (429 with Retry-After) and DELETE cancels a running job")
    func queueAndCancel() async throws {
        var h = try ServerHarness()
        h.limits.maxQueuedJobs = 1
        try await h.live { client in
            let long = #"{"kind":"trajectories","plan":\#(planJSON(hours: -36, starts: 200))}"#
            let first = try await client.post("/v1/jobs", long)
            #expect(first.status == .accepted)
            let id = try #require(first.json["id"] as? String)
            let second = try await client.post("/v1/jobs", long)
            #expect(second.status == .tooManyRequests)
            #expect(second.errorCode == "queue_full")
            #expect(second.headers[.retryAfter] != nil)
            let cancelled = try await client.execute(uri: "/v1/jobs/\(id)", method: .delete)
            #expect(cancelled.status == .ok)
            #expect(cancelled.json["status"] as? String == "cancelled")
            #expect(try await client.get("/v1/jobs/\(id)/result").status == .conflict)
            // Room again.
            let third = try await client.post("/v1/jobs", #"{"kind":"trajectories","plan":\#(planJSON())}"#)
            #expect(third.status == .accepted)
            let done = try await client.waitForJob(try #require(third.json["id"] as? String))
            #expect(done["status"] as? String == "succeeded")
        }
    }

    @Test("Concurrent requests over separate connections all succeed with the same answer")
    func concurrent() async throws {
        let h = try ServerHarness()
        try await h.live { client in
            let port = client.port
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/v1/trajectories"))
            let body = Data(planJSON(extra: #","format":"csv""#).utf8)
            let answers = try await withThrowingTaskGroup(of: (Int, Data).self) { group in
                for _ in 0 ..< 16 {
                    group.addTask {
                        var request = URLRequest(url: url)
                        request.httpMethod = "POST"
                        request.httpBody = body
                        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                        let (data, response) = try await URLSession.shared.data(for: request)
                        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
                    }
                }
                var all: [(Int, Data)] = []
                for try await a in group { all.append(a) }
                return all
            }
            #expect(answers.count == 16)
            #expect(answers.allSatisfy { $0.0 == 200 })
            #expect(Set(answers.map { Set(String(decoding: $0.1, as: UTF8.self).split(separator: "\n")) }).count == 1)
        }
    }

    @Test("After a restart finished jobs are still served, unfinished ones are resumed from their stored request, and those that cannot be are marked failed with the reason")
    func restart() async throws {
        let h = try ServerHarness()
        let id = try await h.live { client in
            let created = try await client.post("/v1/jobs", #"{"kind":"trajectories","plan":\#(planJSON())}"#)
            let id = try #require(created.json["id"] as? String)
            #expect(try await client.waitForJob(id)["status"] as? String == "succeeded")
            return id
        }
        // Jobs an earlier process left unfinished (as after a crash), each with a partial result file.
        let store = try JobStore(directory: h.folder.path("jobs"))
        func orphan(status: String, attempts: Int, request: String?, kind: String = "trajectories") throws -> String {
            let id = UUID().uuidString.lowercased()
            let folder = h.folder.path("jobs/\(id)")
            try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
            if let request { try Data(request.utf8).write(to: URL(fileURLWithPath: folder + "/request.json")) }
            try Data("{\"partial".utf8).write(to: URL(fileURLWithPath: folder + "/out/trajectories.geojson"))
            try store.insert(JobRecord(id: id, kind: kind, status: status, done: 1, total: 2, error: nil, summary: nil, files: [],
                                       created: Date().timeIntervalSince1970, attempts: attempts))
            return id
        }
        let body = #"{"kind":"trajectories","plan":\#(planJSON())}"#
        let crashed = try orphan(status: "running", attempts: 1, request: body)
        let waiting = try orphan(status: "queued", attempts: 0, request: body)
        let exhausted = try orphan(status: "running", attempts: 3, request: body)
        let noRequest = try orphan(status: "running", attempts: 1, request: nil)
        let unknownDataset = try orphan(status: "queued", attempts: 0, request: #"{"kind":"trajectories","plan":\#(planJSON(dataset: "era5"))}"#)
        let hotspots = try orphan(status: "running", attempts: 1, request: Self.hotspotsJobJSON, kind: "hotspots")
        // A second server on the same jobs folder and database: three resumed, three failed with the reason.
        let second = try ServerHarness(folder: h.folder)
        let opened = try second.server()
        #expect(opened.jobsResumedAtStart == 3)
        #expect(opened.jobsFailedAtStart == 3)
        #expect(try store.job(crashed)?.status == "queued")
        #expect(!FileManager.default.fileExists(atPath: h.folder.path("jobs/\(crashed)/out/trajectories.geojson")))
        try await second.live { client in
            let result = try await client.get("/v1/jobs/\(id)/result")
            #expect(result.status == .ok)
            #expect((result.json["files"] as? [[String: Any]])?.first?["name"] as? String == "trajectories.geojson")
            let file = try await client.get("/v1/jobs/\(id)/files/trajectories.geojson")
            #expect(file.status == .ok)
            #expect((file.json["features"] as? [Any])?.count == 2)
            for (resumed, attempts) in [(crashed, 2), (waiting, 1)] {
                let done = try await client.waitForJob(resumed)
                #expect(done["status"] as? String == "succeeded")
                #expect(done["attempts"] as? Int == attempts)
                let again = try await client.get("/v1/jobs/\(resumed)/files/trajectories.geojson")
                #expect(again.status == .ok)
                #expect((again.json["features"] as? [Any])?.count == 2, "the resumed job's file replaces the partial one")
            }
            let resumedHotspots = try await client.waitForJob(hotspots)
            #expect(resumedHotspots["status"] as? String == "succeeded", "\(resumedHotspots)")
            let summary = try await client.get("/v1/jobs/\(hotspots)/result").json["summary"] as? [String: Any] ?? [:]
            #expect(summary["events"] as? Int == 1)
            #expect(summary["trajectories"] as? Int == 13)
            let lost = try await client.get("/v1/jobs/\(exhausted)")
            #expect(lost.json["status"] as? String == "failed")
            #expect(lost.json["error"] as? String == UpwindHTTPServer.restartReason)
            let missing = try await client.get("/v1/jobs/\(noRequest)")
            #expect(missing.json["status"] as? String == "failed")
            #expect((missing.json["error"] as? String)?.contains("could not resume the job: its request.json is missing") == true)
            let gone = try await client.get("/v1/jobs/\(unknownDataset)")
            #expect(gone.json["status"] as? String == "failed")
            #expect((gone.json["error"] as? String)?.contains("unknown dataset 'era5'") == true)
        }
        // Started once before the crash and once after.
        #expect(try store.job(crashed)?.attempts == 2)
        #expect(try store.job(waiting)?.attempts == 1)
    }

    @Test("With limits.maxJobAttempts 1 a restart marks every unfinished job failed")
    func restartWithoutResuming() async throws {
        var h = try ServerHarness()
        h.limits.maxJobAttempts = 1
        let store = try JobStore(directory: h.folder.path("jobs"))
        let orphan = UUID().uuidString.lowercased()
        try store.insert(JobRecord(id: orphan, kind: "trajectories", status: "queued", done: 0, total: 2, error: nil, summary: nil, files: [],
                                   created: Date().timeIntervalSince1970))
        let server = try h.server()
        #expect(server.jobsResumedAtStart == 0)
        #expect(server.jobsFailedAtStart == 1)
        let job = try #require(try store.job(orphan))
        #expect(job.status == "failed")
        #expect(job.error == "the server restarted before the job finished; submit it again")
    }

    @Test("Graceful shutdown leaves running and queued jobs queued for the next start; at limits.maxJobAttempts, or with 1, they are recorded as failed")
    func shutdownRecordsJobs() async throws {
        let h = try ServerHarness()
        let store = try JobStore(directory: h.folder.path("jobs"))
        let slow = JobWork(total: 1) { _, _ in
            try await Task.sleep(for: .seconds(30))
            return (.object([]), [])
        }
        // Resuming (the default 3 attempts): nothing is failed.
        let manager = JobManager(store: store, directory: h.folder.path("jobs"), limits: h.limits, logger: .init(label: "test"))
        let a = try await manager.submit(kind: "trajectories", request: Data("{}".utf8)) { _ in slow }
        let b = try await manager.submit(kind: "trajectories", request: Data("{}".utf8)) { _ in slow }
        try await Task.sleep(for: .milliseconds(100))
        await manager.shutdown()
        var ra = try #require(try store.job(a.id)), rb = try #require(try store.job(b.id))
        #expect(ra.status == "queued" && ra.attempts == 1 && ra.error == nil)
        #expect(rb.status == "queued" && rb.attempts == 0)
        await #expect(throws: APIError.self) { _ = try await manager.submit(kind: "trajectories", request: Data()) { _ in slow } }

        // Resumed by a queue allowing 2 starts: the second interruption fails it.
        var two = h.limits
        two.maxJobAttempts = 2
        let resumed = JobManager(store: store, directory: h.folder.path("jobs"), limits: two, logger: .init(label: "test"), resumed: [(a.id, slow)])
        _ = try await resumed.submit(kind: "trajectories", request: Data("{}".utf8)) { _ in slow }
        try await Task.sleep(for: .milliseconds(100))
        await resumed.shutdown()
        ra = try #require(try store.job(a.id))
        #expect(ra.status == "failed")
        #expect(ra.attempts == 2)
        #expect(ra.error?.contains("had been started 2 times (limits.maxJobAttempts)") == true)

        // Not resuming (1 attempt): both recorded as failed, as before.
        var one = h.limits
        one.maxJobAttempts = 1
        let single = JobManager(store: store, directory: h.folder.path("jobs"), limits: one, logger: .init(label: "test"))
        let c = try await single.submit(kind: "trajectories", request: Data("{}".utf8)) { _ in slow }
        let d = try await single.submit(kind: "trajectories", request: Data("{}".utf8)) { _ in slow }
        try await Task.sleep(for: .milliseconds(100))
        await single.shutdown()
        let rc = try #require(try store.job(c.id)), rd = try #require(try store.job(d.id))
        #expect(rc.status == "failed")
        #expect(rc.error?.contains("shut down while the job ran") == true)
        #expect(rd.status == "failed")
        #expect(rd.error?.contains("before the job started") == true)
        rb = try #require(try store.job(b.id))
        #expect(rb.status == "queued")
    }

    @Test("The example configuration (JSON5 with comments) loads and its datasets open")
    func exampleConfig() throws {
        let path = Fixtures.root.deletingLastPathComponent().appendingPathComponent("server.example.json5").path
        let config = try ServerConfig.load(path: path)
        #expect(config.datasets.keys.sorted() == ["grads1987", "montserrat2010"])
        #expect(config.limits.maxStarts == 1000)
        #expect(config.limits.maxQueuedJobs == 16)
        #expect(config.apiKeysEnv == "UPWIND_API_KEYS")
        #expect(config.jobsDirectory.hasPrefix("/"))
        let registry = try DatasetRegistry(config: config)
        #expect(registry.entries.count == 2)
        #expect(throws: ServerConfigError.self) { try ServerConfig(datasets: [:], limits: .init(maxStarts: 0), jobsDirectory: "x").validate() }
        #expect(config.limits.maxJobAttempts == 3)
        #expect(throws: ServerConfigError.self) { try ServerConfig(datasets: [:], limits: .init(maxJobAttempts: 0), jobsDirectory: "x").validate() }
    }

    @Test("Hotspots settings map to the library's receptor-grid settings; refused values are 400/422 JSON errors; report writes report.html")
    func hotspotSettings() async throws {
        let h = try ServerHarness()
        let observations = (0 ..< 13).map { i in
            #"{"site":"MSR","latitude":16.7,"longitude":-62.2,"time":"2010-02-12T\#(String(format: "%02d", 11 + i)):00:00Z","value":\#((5 ... 7).contains(i) ? 80 : 20)}"#
        }.joined(separator: ",")
        @Sendable func job(_ settings: String) -> String {
            #"{"kind":"hotspots","dataset":"gdas","observations":[\#(observations)],"settings":{"hotspotThreshold":50,"heights":[500],"hours":-12,"clusters":"none"\#(settings)}}"#
        }
        // What `upwind hotspots --preset openair --residence-norm endpoints --max-height mixing-depth --segments --bounds …` builds.
        let truth = try ReceptorGridSettings(parsingPreset: "openair", residenceNormalisation: "endpoints", maxHeight: "mixing-depth", segments: true,
                                             includeAgeZero: true, countsMissingValues: false)
        try await h.live { client in
            func refused(_ settings: String, _ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let r = try await client.post("/v1/jobs", job(settings))
                #expect(r.status == status, "\(r.text)", sourceLocation: sourceLocation)
                #expect(r.errorCode == code, sourceLocation: sourceLocation)
                #expect((r.json["error"] as? [String: Any])?["message"] is String, sourceLocation: sourceLocation)
            }
            try await refused(#","preset":"hysplit""#, .badRequest, "bad_request")
            try await refused(#","residenceNorm":"hours""#, .badRequest, "bad_request")
            try await refused(#","unknownSetting":1"#, .badRequest, "bad_request")
            try await refused(#","pscfWeights":"relative:1,2""#, .unprocessableContent, "invalid_settings")
            try await refused(#","maxHeight":"high""#, .unprocessableContent, "invalid_settings")
            try await refused(#","bounds":"30,20""#, .unprocessableContent, "invalid_settings")
            try await refused(#","resolution":0.7"#, .unprocessableContent, "invalid_settings")
            try await refused(#","fireRadius":5000"#, .unprocessableContent, "invalid_settings")
            try await refused(#","homeRegion":"410000""#, .unprocessableContent, "invalid_settings")

            let settings = #","preset":"openair","residenceNorm":"endpoints","maxHeight":"mixing-depth","segments":true,"includeAgeZero":true,"countMissing":false,"bounds":"10,25,-75,-50","report":true"#
            let created = try await client.post("/v1/jobs", job(settings))
            #expect(created.status == .accepted, "\(created.text)")
            let id = try #require(created.json["id"] as? String)
            let done = try await client.waitForJob(id, seconds: 120)
            #expect(done["status"] as? String == "succeeded", "\(done)")
            let result = try await client.get("/v1/jobs/\(id)/result")
            let names = Set((result.json["files"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
            #expect(names.contains("report.html"))
            #expect(names.isSuperset(of: ["events.csv", "grid.csv", "run.json"]))
            let html = try await client.get("/v1/jobs/\(id)/files/report.html")
            #expect(html.status == .ok)
            #expect(html.text.contains("<html"))
            // run.json records the settings the library built, the same as the CLI's for these flags.
            let run = try await client.get("/v1/jobs/\(id)/files/run.json")
            let recorded = try #require(run.json["settings"] as? [String: Any])
            #expect(recorded["residence_norm"] as? String == truth.residenceNormalisation.rawValue)
            #expect(recorded["pscf_weights"] as? String == truth.pscfWeights.description)
            #expect(recorded["cwt_weights"] as? String == truth.cwtWeights.description)
            #expect(recorded["percentile_convention"] as? String == truth.percentileConvention.rawValue)
            #expect(recorded["binning"] as? String == truth.binning.rawValue)
            #expect(recorded["max_height"] as? String == truth.maxHeight?.description)
            #expect(recorded["segments"] as? Bool == true)
            #expect(recorded["include_age_zero"] as? Bool == true)
            #expect(recorded["count_missing"] as? Bool == false)
            #expect(recorded["bounds"] as? [Double] == [10, 25, -75, -50])
            // Bounds clip what is written: every grid.csv cell lies inside 10–25°N, 75–50°W.
            let grid = try await client.get("/v1/jobs/\(id)/files/grid.csv")
            let rows = grid.text.split(separator: "\n")
            let header = rows.first?.split(separator: ",").map(String.init) ?? []
            let lat = try #require(header.firstIndex(of: "latitude")), lon = try #require(header.firstIndex(of: "longitude"))
            #expect(rows.count > 1)
            for row in rows.dropFirst() {
                let f = row.split(separator: ",", omittingEmptySubsequences: false)
                let (y, x) = (Double(f[lat]) ?? .nan, Double(f[lon]) ?? .nan)
                #expect((10 ... 25).contains(y) && (-75 ... -50).contains(x), "\(row)")
            }
        }
    }

    @Test("Job retention: finished jobs older than limits.jobRetentionHours are deleted (row and files) at start and by the sweep; recent ones stay")
    func retention() async throws {
        var h = try ServerHarness()
        h.limits.jobRetentionHours = 24
        let jobs = h.folder.path("jobs")
        let store = try JobStore(directory: jobs)
        let now = Date().timeIntervalSince1970
        func add(_ status: String, hoursAgo: Double) throws -> String {
            let id = UUID().uuidString.lowercased()
            try FileManager.default.createDirectory(atPath: "\(jobs)/\(id)/out", withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: "\(jobs)/\(id)/out/trajectories.csv"))
            try store.insert(JobRecord(id: id, kind: "trajectories", status: status, done: 1, total: 1, error: nil, summary: "{}",
                                       files: [.init(name: "trajectories.csv", bytes: 1)], created: now - hoursAgo * 3600 - 60),
                             updated: now - hoursAgo * 3600)
            return id
        }
        let old = try add("succeeded", hoursAgo: 25), oldFailed = try add("failed", hoursAgo: 100)
        let recent = try add("succeeded", hoursAgo: 23)
        let server = try h.server()
        #expect(server.jobsExpiredAtStart == 2)
        for id in [old, oldFailed] {
            #expect(try store.job(id) == nil)
            #expect(!FileManager.default.fileExists(atPath: "\(jobs)/\(id)"))
        }
        #expect(try store.job(recent)?.status == "succeeded")
        #expect(FileManager.default.fileExists(atPath: "\(jobs)/\(recent)/out/trajectories.csv"))
        // The periodic sweep, 2 h later: the recent job is now 25 h old; a queued or running one is never touched.
        let running = try add("running", hoursAgo: 1000)
        let removed = try JobManager.removeExpired(store: store, directory: jobs, retentionHours: 24, now: Date(timeIntervalSince1970: now + 2 * 3600))
        #expect(removed == [recent])
        #expect(!FileManager.default.fileExists(atPath: "\(jobs)/\(recent)"))
        #expect(try store.job(running)?.status == "running")
        // 0 keeps jobs forever.
        #expect(try JobManager.removeExpired(store: store, directory: jobs, retentionHours: 0, now: Date(timeIntervalSince1970: now + 1e9)).isEmpty)
        #expect(JobManager.sweepInterval(retentionHours: 168) == 600)
        #expect(JobManager.sweepInterval(retentionHours: 0.001) == 1)
        // Over HTTP the expired job is gone.
        try await h.live { client in
            let gone = try await client.get("/v1/jobs/\(old)")
            #expect(gone.status == .notFound)
        }
    }
}
