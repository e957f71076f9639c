import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
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

    /// Runs `body` against a live server on a free loopback port.
    func live<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await server().makeApplication(host: "127.0.0.1", port: 0).test(.live, body)
    }
}

/// A two-start plan on the fixture (12 h back from 2010-02-13 00Z).
func planJSON(dataset: String = "gdas", hours: Int = -12, extra: String = "", starts: Int = 2) -> String {
    let list = (0 ..< starts).map { i in
        #"{"site":"S\#(i)","latitude":\#(16.7 - Double(i % 10) * 0.1),"longitude":-62.2,"height":\#(500 + 10 * (i / 10)),"time":"2010-02-13T00:00:00Z"}"#
    }
    return #"{"met":{"dataset":"\#(dataset)"},"starts":[\#(list.joined(separator: ","))],"hours":\#(hours)\#(extra)}"#
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:] }
    /// The error body's code.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var text: String { String(buffer: body) }
}

func jsonHeaders(key: String? = nil, accept: String? = nil) -> HTTPFields {
    var h = HTTPFields()
    h[.contentType] = "application/json"
    if let key { h[.authorization] = "Bearer \(key)" }
    if let accept { h[.accept] = accept }
    return h
}

extension TestClientProtocol {
    func post(_ uri: String, _ body: String, headers: HTTPFields = jsonHeaders()) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
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
