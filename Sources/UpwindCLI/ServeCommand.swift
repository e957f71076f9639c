import ArgumentParser
import Foundation
import UpwindServer

/// `upwind serve`: Upwind as an HTTP JSON service (issue 14).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve trajectories and hotspot jobs over HTTP (JSON; the API is /openapi.json).",
        discussion: """
        The configuration (JSON, or JSON5 with comments; see server.example.json5) names the datasets clients may use by id (met files or globs, expanded when the server starts), the limits (maxStarts, maxHours, maxMembers, maxBodyBytes, requestTimeoutSeconds, maxQueuedJobs, jobRetentionHours: finished jobs are deleted that many hours after they end, default 168, 0 keeps them; maxJobAttempts: a job that a crash, restart or shutdown interrupts is resumed when the server next starts, from its stored request and from the beginning, until it has been started that many times, default 3, 1 marks it failed instead), apiKeysEnv (the environment variable holding the API keys; when it is set, clients send 'Authorization: Bearer KEY') and jobsDirectory (job state in jobs.sqlite and files). Endpoints: GET /health, GET /openapi.json, GET /metrics, GET /v1/datasets, POST /v1/trajectories, POST /v1/jobs, GET /v1/jobs/{id}, GET /v1/jobs/{id}/result, GET /v1/jobs/{id}/files/{name}, DELETE /v1/jobs/{id}. SIGTERM or SIGINT stops it gracefully: running jobs may finish for limits.shutdownGraceSeconds, then they are cancelled; they and the queued jobs are resumed at the next start (see maxJobAttempts).

        Examples:
          upwind serve --config server.example.json5
          UPWIND_API_KEYS=secret upwind serve --config server.json --host 0.0.0.0 --port 8080
          curl -s localhost:8080/v1/datasets
          curl -s -X POST localhost:8080/v1/trajectories -H 'Content-Type: application/json' \\
            -d '{"met":{"dataset":"grads1987"},"starts":[{"site":"SYD","latitude":-33.9,"longitude":151.2,"height":1000,"time":"1987-01-05T00:00:00Z"}],"hours":-24,"vertical":"isobaric","format":"csv"}'
        """
    )

    @Option(name: .customLong("config"), help: ArgumentHelp("The server configuration (JSON or JSON5).", valueName: "server.json"))
    var config = "server.json"

    @Option(name: .customLong("host"), help: "Address to listen on (default 127.0.0.1: this machine only).")
    var host = "127.0.0.1"

    @Option(name: .customLong("port"), help: "Port to listen on (default 8080).")
    var port = 8080

    func validate() throws {
        guard (0 ... 65_535).contains(port) else { throw ValidationError("--port must be 0…65535, not \(port)") }
    }

    func run() async throws {
        let server: UpwindHTTPServer
        do {
            server = try UpwindHTTPServer(config: try ServerConfig.load(path: config))
        } catch let error as ServerConfigError {
            throw ValidationError(error.description)
        }
        try await server.run(host: host, port: port)
    }
}
