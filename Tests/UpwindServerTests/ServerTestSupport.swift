import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging
import ServiceLifecycle
import Upwind
@testable import UpwindServer
import UpwindTestSupport

/// A server on the GDAS fixture (`gdas`: Caribbean, 2010-02-11 12Z to 02-13 00Z) over a temporary jobs folder.
struct ServerHarness {
    let folder: TemporaryDirectory
    var limits = ServerConfig.Limits(maxStarts: 200, maxHours: 48, maxMembers: 27, maxBodyBytes: 200_000, requestTimeoutSeconds: 30,
                                     maxQueuedJobs: 4, maxRunningJobs: 1, jobTimeoutSeconds: 60, shutdownGraceSeconds: 0)
    var environment: [String: String] = [:]
    var apiKeysEnv: String? = "UPWIND_TEST_KEYS"

    init(folder: TemporaryDirectory? = nil) throws { self.folder = try folder ?? TemporaryDirectory(prefix: "upwind-server") }

    var config: ServerConfig {
        ServerConfig(datasets: ["gdas": .init(met: [Fixtures.met("gdas_042.bin")], description: "GDAS fixture")], limits: limits,
                     apiKeysEnv: apiKeysEnv, jobsDirectory: folder.path("jobs"))
    }

    func server() throws -> UpwindHTTPServer { try UpwindHTTPServer(config: config, environment: environment, logLevel: .critical) }

    /// Runs `body` against the real server listening on a free loopback port (port 0), called
    /// over real sockets with URLSession; the server is shut down gracefully afterwards.
    func live<T: Sendable>(_ body: @Sendable (HTTPClient) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try server().makeApplication(host: "127.0.0.1", port: 0) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: Logger(label: "upwind.test")))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw HTTPClient.Failure(message: "the server did not start listening") }
            do {
                let value = try await body(HTTPClient(port: port))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }
}

/// A two-start plan on the fixture (12 h back from 2010-02-13 00Z).
func planJSON(dataset: String = "gdas", hours: Int = -12, extra: String = "", starts: Int = 2) -> String {
    let list = (0 ..< starts).map { i in
        #"{"site":"S\#(i)","latitude":\#(16.7 - Double(i % 10) * 0.1),"longitude":-62.2,"height":\#(500 + 10 * (i / 10)),"time":"2010-02-13T00:00:00Z"}"#
    }
    return #"{"met":{"dataset":"\#(dataset)"},"starts":[\#(list.joined(separator: ","))],"hours":\#(hours)\#(extra)}"#
}

/// One answer of the server.
struct TestResponse: Sendable {
    /// The status.
    var status: HTTPResponse.Status
    /// The header fields.
    var headers: HTTPFields
    /// The body's bytes.
    var body: Data
    /// The body as a JSON object.
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    /// The error body's code.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var text: String { String(decoding: body, as: UTF8.self) }
}

func jsonHeaders(key: String? = nil, accept: String? = nil) -> HTTPFields {
    var h = HTTPFields()
    h[.contentType] = "application/json"
    if let key { h[.authorization] = "Bearer \(key)" }
    if let accept { h[.accept] = accept }
    return h
}

/// Calls the server on 127.0.0.1:`port` with URLSession (FoundationNetworking on Linux), each
/// request a real HTTP/1.1 exchange over a socket.
struct HTTPClient: Sendable {
    struct Failure: Error, CustomStringConvertible { var message: String; var description: String { message } }

    let port: Int
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 60
        configuration.httpMaximumConnectionsPerHost = 32
        return URLSession(configuration: configuration)
    }()

    /// Sends `method` to `uri` (a path with its query, percent-encoded as it should reach the server).
    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: Data? = nil) async throws -> TestResponse {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(uri)") else { throw Failure(message: "not a URL: \(uri)") }
        var request = URLRequest(url: url)
        request.httpMethod = method.rawValue
        request.httpBody = body
        for field in headers { request.addValue(field.value, forHTTPHeaderField: field.name.rawName) }
        let (data, response) = try await Self.session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw Failure(message: "no HTTP response for \(uri)") }
        var fields = HTTPFields()
        for (key, value) in http.allHeaderFields {
            if let name = (key as? String).flatMap({ HTTPFields.Element.Name($0) }), let value = value as? String { fields[name] = value }
        }
        return TestResponse(status: HTTPResponse.Status(code: http.statusCode), headers: fields, body: data)
    }

    func post(_ uri: String, _ body: String, headers: HTTPFields = jsonHeaders()) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: headers, body: Data(body.utf8))
    }
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }
    /// Polls a job until it has finished (at most `seconds`).
    func waitForJob(_ id: String, seconds: Double = 60) async throws -> [String: Any] {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            let r = try await get("/v1/jobs/\(id)")
            let status = r.json["status"] as? String ?? ""
            if ["succeeded", "failed", "cancelled"].contains(status) { return r.json }
            try await Task.sleep(for: .milliseconds(50))
        }
        return [:]
    }
}
