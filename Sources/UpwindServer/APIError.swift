import Foundation
import Hummingbird
import OpenAPIRuntime
import Synchronization
import UpwindCore

/// An error answered as JSON `{"error": {"code", "message", "details"}}` with its HTTP status.
struct APIError: Error, Sendable {
    /// The HTTP status.
    var status: HTTPResponse.Status
    /// Machine-readable code (e.g. `unknown_dataset`).
    var code: String
    /// One line for people: what is wrong and what to do.
    var message: String
    /// Extra facts (strings, numbers).
    var details: [(String, JSONValue)] = []
    /// Seconds for `Retry-After` (429/503).
    var retryAfter: Int?

    static func badRequest(_ message: String, details: [(String, JSONValue)] = []) -> APIError {
        APIError(status: .badRequest, code: "bad_request", message: message, details: details)
    }
    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, code: "not_found", message: message) }
    static func unprocessable(_ code: String, _ message: String, details: [(String, JSONValue)] = []) -> APIError {
        APIError(status: .unprocessableContent, code: code, message: message, details: details)
    }
    static func conflict(_ message: String, details: [(String, JSONValue)] = []) -> APIError {
        APIError(status: .conflict, code: "conflict", message: message, details: details)
    }

    /// The JSON body.
    var body: JSONValue {
        .object([("error", .object([("code", .string(code)), ("message", .string(message)), ("details", .object(details))]))])
    }

    /// The response.
    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"upwind\"" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body.serialized(pretty: false) + "\n")))
    }

    /// A description of a decoding error: the key path and what was wrong.
    static func decoding(_ error: DecodingError) -> APIError {
        func path(_ c: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = c.codingPath + (key.map { [$0] } ?? [])
            return keys.isEmpty ? "(the body)" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let c):
            return .badRequest("missing key '\(path(c, key))'", details: [("path", .string(path(c, key)))])
        case .typeMismatch(_, let c), .valueNotFound(_, let c):
            return .badRequest("bad value at '\(path(c))': \(c.debugDescription)", details: [("path", .string(path(c)))])
        case .dataCorrupted(let c):
            return .badRequest(c.codingPath.isEmpty ? "the body is not valid JSON: \(c.debugDescription)" : "bad value at '\(path(c))': \(c.debugDescription)",
                               details: [("path", .string(path(c)))])
        @unknown default:
            return .badRequest("the body could not be decoded: \(error)")
        }
    }
}

/// Turns every error into a JSON error response: ``APIError`` as it is; the generated server's
/// decoding failures (bad JSON, missing or mistyped keys, wrong content type) as 400;
/// Hummingbird's errors (no route: 404, body too large: 413) with their status; anything else
/// as 500 without internals.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var api = Self.map(error)
            // A path of the API with a method it does not take: 405 with Allow, not 404.
            if api.status == .notFound, api.code == "not_found", let allowed = Self.allowedMethods(request.uri.path), !allowed.contains(request.method.rawValue) {
                api = APIError(status: .methodNotAllowed, code: "method_not_allowed",
                               message: "\(request.uri.path) takes \(allowed.joined(separator: ", ")), not \(request.method.rawValue): see /openapi.json")
                var response = api.response()
                response.headers[.allow] = allowed.joined(separator: ", ")
                return response
            }
            if api.status.code >= 500 {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "code": "\(api.code)", "error": "\(String(describing: error).prefix(500))"])
            } else {
                context.logger.info("request refused", metadata: ["path": "\(request.uri.path)", "status": "\(api.status.code)", "code": "\(api.code)"])
            }
            return api.response()
        }
    }

    /// The methods the API takes on `path` (nil when the path is not one of the API's).
    static func allowedMethods(_ path: String) -> [String]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        switch parts.count {
        case 1 where ["health", "metrics", "openapi.json"].contains(parts[0]): return ["GET"]
        case 2 where parts[0] == "v1" && parts[1] == "datasets": return ["GET"]
        case 2 where parts[0] == "v1" && (parts[1] == "trajectories" || parts[1] == "jobs"): return ["POST"]
        case 3 where parts[0] == "v1" && parts[1] == "jobs" && !parts[2].isEmpty: return ["GET", "DELETE"]
        case 4 where parts[0] == "v1" && parts[1] == "jobs" && parts[3] == "result": return ["GET"]
        case 5 where parts[0] == "v1" && parts[1] == "jobs" && parts[3] == "files" && !parts[4].isEmpty: return ["GET"]
        default: return nil
        }
    }

    static func map(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as ServerError:
            if let inner = e.underlyingError as? APIError { return inner }
            if let inner = e.underlyingError as? DecodingError { return .decoding(inner) }
            if e.httpStatus == .notAcceptable {
                return APIError(status: .notAcceptable, code: "not_acceptable",
                                message: "the Accept header allows none of this endpoint's formats: accept application/geo+json or text/csv, or name \"format\" in the body")
            }
            // The generated server's own checks: missing body, content type, parameters.
            return .badRequest("the request does not match the API: \(e.causeDescription)", details: [("operation", .string(e.operationID))])
        case let e as DecodingError: return .decoding(e)
        case let e as HTTPError:
            switch e.status {
            case .notFound: return .notFound("no such endpoint: see /openapi.json")
            case .contentTooLarge: return APIError(status: .contentTooLarge, code: "body_too_large", message: "the request body is larger than the server's limit (limits.maxBodyBytes)")
            case .methodNotAllowed: return APIError(status: .methodNotAllowed, code: "method_not_allowed", message: "this endpoint does not take that method: see /openapi.json")
            default: return APIError(status: e.status, code: e.status.code < 500 ? "bad_request" : "internal", message: e.body ?? e.status.reasonPhrase)
            }
        case is CancellationError:
            return APIError(status: .serviceUnavailable, code: "shutting_down", message: "the request was cancelled (the server is shutting down); retry", retryAfter: 5)
        default:
            return APIError(status: .internalServerError, code: "internal", message: "internal error; the server log has the details")
        }
    }
}

/// Refuses bodies larger than `maxBytes` with 413 (by `Content-Length` when given, else while
/// reading) and hands the next handler the collected body.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes {
            throw APIError(status: .contentTooLarge, code: "body_too_large",
                           message: "the request body has \(length) bytes, more than the limit of \(maxBytes) (limits.maxBodyBytes)",
                           details: [("bytes", .number(Double(length))), ("limit", .number(Double(maxBytes)))])
        }
        var request = request
        if request.method == .post || request.method == .put || request.method == .patch {
            do {
                _ = try await request.collectBody(upTo: maxBytes)
            } catch let e as HTTPError where e.status == .contentTooLarge {
                throw APIError(status: .contentTooLarge, code: "body_too_large",
                               message: "the request body is larger than the limit of \(maxBytes) bytes (limits.maxBodyBytes)",
                               details: [("limit", .number(Double(maxBytes)))])
            }
        }
        return try await next(request, context)
    }
}

/// Bearer API keys: when `keys` is not empty, every path but `/health` and `/openapi.json`
/// needs `Authorization: Bearer KEY` with one of them (compared in constant time); keys are
/// never logged.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let keys: [[UInt8]]
    static var openPaths: Set<String> { ["/health", "/openapi.json"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !keys.isEmpty, !Self.openPaths.contains(request.uri.path) else { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw APIError(status: .unauthorized, code: "unauthorized", message: "this server needs an API key: send 'Authorization: Bearer KEY'")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", Self.matches(Array(parts[1].utf8), keys) else {
            throw APIError(status: .unauthorized, code: "unauthorized", message: "the API key is not valid: send 'Authorization: Bearer KEY' with a key the server holds")
        }
        return try await next(request, context)
    }

    /// True when `candidate` equals one of `keys`, looking at every byte of every key.
    static func matches(_ candidate: [UInt8], _ keys: [[UInt8]]) -> Bool {
        var found = false
        for key in keys {
            var diff = UInt8(key.count == candidate.count ? 0 : 1)
            for i in 0 ..< key.count { diff |= key[i] ^ (i < candidate.count ? candidate[i] : 0) }
            if diff == 0 { found = true }
        }
        return found
    }
}

/// The body's `"format"` wins over `Accept` on `POST /v1/trajectories`: when the body names a
/// format, the `Accept` header is dropped before the generated server checks it against the
/// response's content type.
struct FormatWinsOverAccept: ServerMiddleware {
    let maxBytes: Int
    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID == "runTrajectories", request.headerFields[.accept] != nil, let body else { return try await next(request, body, metadata) }
        let bytes = try await [UInt8](collecting: body, upTo: maxBytes)
        var request = request
        if let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any], object["format"] is String {
            request.headerFields[.accept] = nil
        }
        return try await next(request, HTTPBody(bytes), metadata)
    }
}

/// Sends the engine's GeoJSON bytes for `POST /v1/trajectories` unchanged. The generated server
/// JSON-encodes every `+json` body from its Codable type (swift-openapi-generator has no opaque
/// JSON bodies), which would re-serialise the writer's text; so the handler hands the bytes to
/// the box this middleware installs (a task local) and returns a placeholder collection, and the
/// middleware puts the bytes in its place once content negotiation has picked
/// `application/geo+json`. The document still describes the body (a FeatureCollection).
struct GeoJSONPassThrough: ServerMiddleware {
    /// The bytes one request's handler wrote.
    final class Box: Sendable {
        let data = Mutex<Data?>(nil)
        /// Keeps `bytes` as the response body.
        func set(_ bytes: Data) { data.withLock { $0 = bytes } }
    }

    /// The current request's box (nil outside `runTrajectories`).
    @TaskLocal static var current: Box?

    /// The collection returned in place of the bytes (never sent).
    static func placeholder() throws -> Components.Schemas.FeatureCollection {
        try JSONDecoder().decode(Components.Schemas.FeatureCollection.self, from: Data(#"{"type":"FeatureCollection","features":[]}"#.utf8))
    }

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID == "runTrajectories" else { return try await next(request, body, metadata) }
        let box = Box()
        var (response, responseBody) = try await Self.$current.withValue(box) { try await next(request, body, metadata) }
        if let bytes = box.data.withLock({ $0 }), response.headerFields[.contentType]?.hasPrefix("application/geo+json") == true {
            response.headerFields[.contentLength] = nil
            responseBody = HTTPBody(bytes)
        }
        return (response, responseBody)
    }
}
