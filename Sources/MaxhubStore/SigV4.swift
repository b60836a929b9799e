import Crypto
import Foundation

/// AWS Signature Version 4, as S3 and S3-compatible stores (SeaweedFS, MinIO, Ceph) check it: the `Authorization`
/// header of a request, and the query of a presigned URL.
///
/// A request is described by what goes on the wire: its method, `host` (with the port when it is not the scheme's),
/// the object path *unencoded* (`/bucket/key`) and its query items. `encodedTarget` is the path and query exactly as
/// they were signed; send that, not a re-encoding of your own. S3 paths are encoded once and never normalized.
public struct SigV4: Sendable {
    public struct Credentials: Sendable, Equatable {
        public var accessKeyID: String
        public var secretAccessKey: String
        /// A temporary credential's session token (`AWS_SESSION_TOKEN`), sent as `x-amz-security-token`.
        public var sessionToken: String?

        public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
            self.sessionToken = sessionToken
        }
    }

    /// What is signed: the request as it will be sent.
    public struct Request: Sendable {
        public var method: String
        public var host: String
        public var path: String
        public var query: [(name: String, value: String)]
        /// Headers to sign besides `host` and the `x-amz-*` ones this signer adds; names in any case.
        public var headers: [(name: String, value: String)]

        public init(method: String, host: String, path: String, query: [(name: String, value: String)] = [],
                    headers: [(name: String, value: String)] = []) {
            self.method = method
            self.host = host
            self.path = path
            self.query = query
            self.headers = headers
        }

        /// The path and query as signed, for the request line.
        public var encodedTarget: String {
            let query = SigV4.canonicalQuery(query)
            return SigV4.canonicalURI(path) + (query.isEmpty ? "" : "?" + query)
        }
    }

    /// The SHA-256 that stands for a body the signature does not cover (presigned URLs).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// The SHA-256 of no bytes, the payload hash of a request without a body.
    public static let emptyPayload = SHA256.hash(data: Data()).hexString

    public let credentials: Credentials
    public let region: String
    public let service: String

    public init(credentials: Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers to add to the request: `x-amz-date`, `x-amz-content-sha256` (for S3), `x-amz-security-token` when
    /// the credentials have one, and `authorization`. `payloadHash` is the body's hex SHA-256, `emptyPayload` or
    /// `unsignedPayload`.
    public func sign(_ request: Request, payloadHash: String, at date: Date) -> [(name: String, value: String)] {
        let stamp = Self.timestamp(date)
        var added: [(name: String, value: String)] = [("x-amz-date", stamp)]
        if service == "s3" { added.append(("x-amz-content-sha256", payloadHash)) }
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        let headers = Self.canonicalHeaders([("host", request.host)] + request.headers + added)
        let signedHeaders = headers.map(\.name).joined(separator: ";")
        let canonical = [
            request.method, Self.canonicalURI(request.path), Self.canonicalQuery(request.query),
            headers.map { "\($0.name):\($0.value)\n" }.joined(), signedHeaders, payloadHash,
        ].joined(separator: "\n")
        let signature = self.signature(of: canonical, stamp: stamp)
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(stamp)), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return added + [("authorization", authorization)]
    }

    /// The query items that make a presigned URL of the request, valid for `expires` seconds from `date` (S3 allows
    /// at most 7 days). Only `host` is signed, and the body is not: a presigned GET.
    public func presignedQuery(_ request: Request, expires: Int, at date: Date) -> [(name: String, value: String)] {
        let stamp = Self.timestamp(date)
        var query = request.query + [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope(stamp))"),
            ("X-Amz-Date", stamp),
            ("X-Amz-Expires", String(expires)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken { query.append(("X-Amz-Security-Token", token)) }
        let canonical = [
            request.method, Self.canonicalURI(request.path), Self.canonicalQuery(query),
            "host:\(request.host)\n", "host", Self.unsignedPayload,
        ].joined(separator: "\n")
        return query + [("X-Amz-Signature", signature(of: canonical, stamp: stamp))]
    }

    // MARK: The algorithm

    private func scope(_ stamp: String) -> String {
        "\(stamp.prefix(8))/\(region)/\(service)/aws4_request"
    }

    private func signature(of canonicalRequest: String, stamp: String) -> String {
        let stringToSign = [
            "AWS4-HMAC-SHA256", stamp, scope(stamp), SHA256.hash(data: Data(canonicalRequest.utf8)).hexString,
        ].joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [String(stamp.prefix(8)), region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return Data(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key)).hexString
    }

    /// `20150830T123600Z`.
    static func timestamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
            parts.tm_min, parts.tm_sec)
    }

    /// Each path segment percent-encoded once, slashes kept.
    static func canonicalURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : "/" + path
        return absolute.split(separator: "/", omittingEmptySubsequences: false).map { encode(String($0)) }
            .joined(separator: "/")
    }

    /// Names and values encoded, sorted by name, then value; an item without a value is `name=`.
    static func canonicalQuery(_ items: [(name: String, value: String)]) -> String {
        let encoded: [(name: String, value: String)] = items.map { (encode($0.name), encode($0.value)) }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// Lowercased names, sorted; values trimmed with inner runs of spaces made one; repeated names joined by commas.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var merged: [String: [String]] = [:]
        for header in headers {
            let value = header.value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            merged[header.name.lowercased(), default: []].append(value)
        }
        return merged.keys.sorted().map { ($0, merged[$0]!.joined(separator: ",")) }
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters, in uppercase hex.
    static func encode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
}

extension Sequence where Element == UInt8 {
    /// Lowercase hex.
    var hexString: String {
        var text = ""
        for byte in self { text += String(format: "%02x", byte) }
        return text
    }
}
