import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// One bucket of an S3-compatible object store, reached over HTTP with SigV4: the few operations `S3BlobStore` needs,
/// each a single request whose body is either small or streamed.
public struct S3Bucket: Sendable {
    /// Where the bucket is: `s3://BUCKET?endpoint=http://127.0.0.1:8333&region=us-east-1`. With an endpoint, objects are
    /// addressed path-style (`ENDPOINT/BUCKET/KEY`); without one, AWS's virtual-hosted style
    /// (`https://BUCKET.s3.REGION.amazonaws.com/KEY`).
    public struct Location: Sendable, Equatable, CustomStringConvertible {
        public var bucket: String
        public var region: String
        /// `http` or `https`.
        public var scheme: String
        /// The host as the request's `Host` header carries it: with the port when it is not the scheme's.
        public var host: String
        /// Whether the bucket is the first path segment (an endpoint was given) rather than part of the host.
        public var pathStyle: Bool

        public init(parsing text: String) throws(S3Error) {
            guard let components = URLComponents(string: text), components.scheme == "s3",
                let bucket = components.host, !bucket.isEmpty, components.path.isEmpty || components.path == "/"
            else { throw .badLocation(text, "expected s3://BUCKET?endpoint=URL&region=REGION") }
            guard bucket.range(of: "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", options: .regularExpression) != nil else {
                throw .badLocation(text, "\(bucket) is not a bucket name (3 to 63 lowercase letters, digits, dots, hyphens)")
            }
            var items: [String: String] = [:]
            for item in components.queryItems ?? [] {
                guard ["endpoint", "region"].contains(item.name), let value = item.value, !value.isEmpty else {
                    throw .badLocation(text, "unknown or empty setting \(item.name); it takes endpoint= and region=")
                }
                items[item.name] = value
            }
            self.bucket = bucket
            self.region = items["region"] ?? "us-east-1"
            if let endpoint = items["endpoint"] {
                guard let url = URLComponents(string: endpoint), let scheme = url.scheme, ["http", "https"].contains(scheme),
                    let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/"
                else { throw .badLocation(text, "the endpoint \(endpoint) is not an http(s)://HOST[:PORT] address") }
                self.scheme = scheme
                self.host = url.port.map { "\(host):\($0)" } ?? host
                self.pathStyle = true
            } else {
                self.scheme = "https"
                self.host = "\(bucket).s3.\(region).amazonaws.com"
                self.pathStyle = false
            }
        }

        /// The object's path, unencoded.
        func path(of key: String) -> String { pathStyle ? "/\(bucket)/\(key)" : "/\(key)" }

        public var description: String { "s3://\(bucket) at \(scheme)://\(host)" }
    }

    /// An object as a listing or a `HEAD` gives it.
    public struct Object: Sendable, Equatable {
        public var key: String
        public var size: Int64
        public var lastModified: Date
    }

    public let location: Location
    let signer: SigV4
    let http: HTTPClient

    public init(location: Location, credentials: SigV4.Credentials, http: HTTPClient = S3Bucket.sharedHTTPClient) {
        self.location = location
        self.signer = SigV4(credentials: credentials, region: location.region)
        self.http = http
    }

    /// The process's client for object stores: many connections per host, because each download streamed through the
    /// hub holds one for as long as its reader takes.
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 256
        configuration.timeout.connect = .seconds(10)
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    // MARK: Objects

    /// The object's size and modification time, or nil when there is none.
    public func head(_ key: String) async throws -> Object? {
        let response = try await send("HEAD", key)
        if response.status == .notFound { return nil }
        try await Self.expect(response, [.ok], "HEAD", key)
        guard let size = response.headers.first(name: "Content-Length").flatMap(Int64.init) else {
            throw S3Error.malformedAnswer("HEAD \(key) gave no Content-Length")
        }
        let modified = response.headers.first(name: "Last-Modified").flatMap(Self.httpDate) ?? Date()
        return Object(key: key, size: size, lastModified: modified)
    }

    /// Streams the object, or `range` of it, to `write`, one network chunk at a time: the next is read only once
    /// `write` returns. Returns false (and writes nothing) when there is no such object.
    public func get(
        _ key: String, range: Range<Int64>? = nil, to write: (ByteBuffer) async throws -> Void
    ) async throws -> Bool {
        var headers: [(name: String, value: String)] = []
        if let range { headers.append(("Range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")) }
        let response = try await send("GET", key, headers: headers, timeout: .hours(24))
        if response.status == .notFound { return false }
        try await Self.expect(response, range == nil ? [.ok] : [.partialContent], "GET", key)
        var chunks = response.body.makeAsyncIterator()
        while true {
            let chunk: ByteBuffer?
            do {
                chunk = try await chunks.next()
            } catch {
                throw S3Error.unreachable(location.description, "GET \(key) broke off: \(error)")
            }
            guard let chunk else { return true }
            try await write(chunk)
        }
    }

    /// The whole object, when it holds at most `limit` bytes; nil when there is none.
    public func getAll(_ key: String, limit: Int) async throws -> ByteBuffer? {
        var buffer = ByteBuffer()
        let found = try await get(key) { chunk in
            guard buffer.readableBytes + chunk.readableBytes <= limit else {
                throw S3Error.malformedAnswer("\(key) is larger than the \(limit) bytes expected")
            }
            buffer.writeImmutableBuffer(chunk)
        }
        return found ? buffer : nil
    }

    /// Stores the bytes under `key`, replacing what was there; the store checks them against their SHA-256.
    public func put(_ key: String, _ body: ByteBuffer) async throws {
        let hash = body.withUnsafeReadableBytes { SHA256.hash(data: $0).hexString }
        let response = try await send("PUT", key, body: body, payloadHash: hash, timeout: .minutes(10))
        try await Self.expect(response, [.ok], "PUT", key)
    }

    /// Copies one object of at most 5 GiB onto another key, within the bucket.
    public func copy(_ source: String, to key: String) async throws {
        let response = try await send("PUT", key, headers: [("x-amz-copy-source", copySource(source))], timeout: .minutes(30))
        try await Self.expect(response, [.ok], "PUT (copy from \(source))", key)
        // A copy can fail after its 200: the error is then the body.
        let body = try await response.body.collect(upTo: 1 << 20)
        if let code = S3XML.first("Code", in: body) {
            throw S3Error.refused(operation: "copy \(source)", key: key, status: 200, code: code, message: S3XML.first("Message", in: body) ?? "")
        }
    }

    /// Removes the object; a missing one is no error.
    public func delete(_ key: String) async throws {
        let response = try await send("DELETE", key)
        try await Self.expect(response, [.noContent, .ok, .notFound], "DELETE", key)
    }

    /// Every object whose key starts with `prefix`, in key order.
    public func list(prefix: String) async throws -> [Object] {
        var objects: [Object] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let response = try await send("GET", nil, query: query)
            try await Self.expect(response, [.ok], "LIST", prefix)
            let body = try await response.body.collect(upTo: 64 << 20)
            for entry in S3XML.elements("Contents", in: body) {
                guard let key = S3XML.first("Key", in: entry), let size = S3XML.first("Size", in: entry).flatMap(Int64.init)
                else { throw S3Error.malformedAnswer("a listing of \(prefix) has an entry without Key or Size") }
                let modified = S3XML.first("LastModified", in: entry).flatMap(Self.isoDate) ?? Date()
                objects.append(Object(key: key, size: size, lastModified: modified))
            }
            token = S3XML.first("IsTruncated", in: body) == "true" ? S3XML.first("NextContinuationToken", in: body) : nil
        } while token != nil
        return objects
    }

    // MARK: Multipart uploads

    /// Starts a multipart upload to `key`; nothing is visible there until it completes.
    public func startMultipartUpload(_ key: String) async throws -> String {
        let response = try await send("POST", key, query: [("uploads", "")])
        try await Self.expect(response, [.ok], "POST ?uploads", key)
        let body = try await response.body.collect(upTo: 1 << 20)
        guard let id = S3XML.first("UploadId", in: body) else { throw S3Error.malformedAnswer("no UploadId for \(key)") }
        return id
    }

    /// Makes part `number` (from 1) of the upload a copy of the whole of object `source`; returns the part's ETag.
    public func copyPart(_ number: Int, of upload: String, to key: String, from source: String) async throws -> String {
        let response = try await send(
            "PUT", key, query: [("partNumber", String(number)), ("uploadId", upload)],
            headers: [("x-amz-copy-source", copySource(source))], timeout: .minutes(30))
        try await Self.expect(response, [.ok], "PUT part \(number) (copy from \(source))", key)
        let body = try await response.body.collect(upTo: 1 << 20)
        guard let etag = S3XML.first("ETag", in: body) else {
            throw S3Error.refused(operation: "copy part \(number) from \(source)", key: key, status: 200,
                                  code: S3XML.first("Code", in: body) ?? "NoETag", message: S3XML.first("Message", in: body) ?? "")
        }
        return etag
    }

    /// Completes the upload from its parts, in order: the object appears under `key` whole, at once.
    public func completeMultipartUpload(_ upload: String, of key: String, parts: [String]) async throws {
        var xml = "<CompleteMultipartUpload>"
        for (index, etag) in parts.enumerated() {
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(S3XML.escape(etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let body = ByteBuffer(string: xml)
        let hash = body.withUnsafeReadableBytes { SHA256.hash(data: $0).hexString }
        let response = try await send("POST", key, query: [("uploadId", upload)], body: body, payloadHash: hash, timeout: .minutes(30))
        try await Self.expect(response, [.ok], "POST ?uploadId (complete)", key)
        let answer = try await response.body.collect(upTo: 1 << 20)
        if let code = S3XML.first("Code", in: answer) {
            throw S3Error.refused(operation: "complete upload", key: key, status: 200, code: code, message: S3XML.first("Message", in: answer) ?? "")
        }
    }

    /// Drops a multipart upload and its parts.
    public func abortMultipartUpload(_ upload: String, of key: String) async throws {
        let response = try await send("DELETE", key, query: [("uploadId", upload)])
        try await Self.expect(response, [.noContent, .ok, .notFound], "DELETE ?uploadId", key)
    }

    // MARK: The bucket

    /// Creates the bucket; one that is already there (and ours) is no error.
    public func create() async throws {
        let response = try await send("PUT", nil)
        if response.status == .conflict {
            let body = try await response.body.collect(upTo: 1 << 20)
            if S3XML.first("Code", in: body) == "BucketAlreadyOwnedByYou" { return }
            throw S3Error.refused(operation: "create bucket", key: "", status: 409, code: S3XML.first("Code", in: body) ?? "",
                                  message: S3XML.first("Message", in: body) ?? "")
        }
        try await Self.expect(response, [.ok], "create bucket", "")
    }

    /// Checks that the bucket answers to these credentials: a listing of one key.
    public func check() async throws {
        let response = try await send("GET", nil, query: [("list-type", "2"), ("max-keys", "1")])
        try await Self.expect(response, [.ok], "LIST", "")
        _ = try await response.body.collect(upTo: 64 << 20)
    }

    /// A URL anyone may GET the object with, for `expires` seconds.
    public func presignedGET(_ key: String, expires: Int, at date: Date = Date()) -> String {
        let path = location.path(of: key)
        let query = signer.presignedQuery(.init(method: "GET", host: location.host, path: path), expires: expires, at: date)
        return "\(location.scheme)://\(location.host)" + SigV4.Request(method: "GET", host: location.host, path: path, query: query).encodedTarget
    }

    // MARK: Requests

    private func copySource(_ key: String) -> String {
        "/\(location.bucket)/" + key.split(separator: "/", omittingEmptySubsequences: false).map { SigV4.encode(String($0)) }
            .joined(separator: "/")
    }

    /// Signs and sends one request to the object `key` (the bucket itself when nil).
    private func send(
        _ method: String, _ key: String?, query: [(name: String, value: String)] = [],
        headers extra: [(name: String, value: String)] = [], body: ByteBuffer? = nil,
        payloadHash: String = SigV4.emptyPayload, timeout: TimeAmount = .seconds(60)
    ) async throws -> HTTPClientResponse {
        let path = key.map(location.path(of:)) ?? (location.pathStyle ? "/\(location.bucket)" : "/")
        let unsigned = SigV4.Request(method: method, host: location.host, path: path, query: query, headers: extra)
        var request = HTTPClientRequest(url: "\(location.scheme)://\(location.host)" + unsigned.encodedTarget)
        request.method = HTTPMethod(rawValue: method)
        if let body { request.body = .bytes(body) }
        // The signature holds the time, so each attempt signs anew.
        func sign() {
            request.headers = HTTPHeaders()
            for header in extra + signer.sign(unsigned, payloadHash: payloadHash, at: Date()) {
                request.headers.add(name: header.name, value: header.value)
            }
            if body == nil && (method == "PUT" || method == "POST") { request.headers.add(name: "Content-Length", value: "0") }
        }
        sign()
        // A store answers 500 or 503 when it is busy or growing (SeaweedFS while it adds a volume, S3 when it slows a
        // prefix down); every request here may be repeated, so those are tried again, as AWS's own clients do.
        var attempt = 0
        while true {
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, timeout: timeout)
            } catch {
                throw S3Error.unreachable(location.description, "\(method) \(key ?? "(bucket)"): \(error)")
            }
            guard Self.retried.contains(response.status.code), attempt < Self.retryDelays.count else { return response }
            _ = try? await response.body.collect(upTo: 1 << 20)
            try await Task.sleep(for: Self.retryDelays[attempt])
            attempt += 1
            sign()
        }
    }

    private static let retried: Set<UInt> = [500, 502, 503, 504]
    private static let retryDelays: [Duration] = [.milliseconds(50), .milliseconds(200), .milliseconds(800), .seconds(2)]

    /// Throws the store's refusal unless the status is one of `expected`.
    private static func expect(
        _ response: HTTPClientResponse, _ expected: [HTTPResponseStatus], _ operation: String, _ key: String
    ) async throws {
        guard !expected.contains(response.status) else { return }
        let body = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
        throw S3Error.refused(
            operation: operation, key: key, status: Int(response.status.code),
            code: S3XML.first("Code", in: body) ?? response.status.reasonPhrase, message: S3XML.first("Message", in: body) ?? "")
    }

    private static func isoDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}

/// What an object store refused or failed to do, as one sentence.
public enum S3Error: Error, Equatable, CustomStringConvertible {
    case badLocation(String, String)
    case unreachable(String, String)
    case refused(operation: String, key: String, status: Int, code: String, message: String)
    case malformedAnswer(String)

    public var description: String {
        switch self {
        case .badLocation(let text, let reason):
            "bad blob store location \(text): \(reason)"
        case .unreachable(let store, let detail):
            "the object store \(store) cannot be reached (\(detail))"
        case .refused(let operation, let key, let status, let code, let message):
            "the object store refused \(operation)\(key.isEmpty ? "" : " of \(key)"): \(status) \(code)"
                + (message.isEmpty ? "" : ": \(message)")
        case .malformedAnswer(let detail):
            "the object store gave an answer maxhub cannot read: \(detail)"
        }
    }
}
