import AsyncHTTPClient
import Foundation
import MaxhubCore
import NIOCore
import NIOHTTP1

extension HubClient {
    /// The version a range resolves to on the hub.
    public func resolve(_ name: ModelName, range: String, includePrerelease: Bool) async throws -> Resolution {
        try await send(
            .GET, "/api/v1/models/\(name.pathSegment)/resolve?range=\(Self.escape(range))&pre=\(includePrerelease)",
            as: Resolution.self)
    }

    /// Downloads a blob into `partial`, hashing as it writes. A `partial` file left by an interrupted download is
    /// hashed and continued with a `Range` request (with `If-Range`, so a changed blob starts over); a hub that ignores
    /// the range sends the whole blob and the file starts over. Returns the digest of the whole file and whether it resumed.
    ///
    /// `progress` gets the file's length once the hub has answered (the kept prefix, or 0) and after every write, so a
    /// reader can follow the file as it grows.
    public func downloadBlob(
        _ digest: Digest, size: Int64, to partial: String, progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws -> (digest: Digest, resumed: Bool) {
        var hasher = DigestingHasher()
        var offset: Int64 = 0
        let existing = (try? FileManager.default.attributesOfItem(atPath: partial)[.size] as? Int64) ?? 0
        if existing > 0 && existing < size {
            hasher = try Self.hash(fileAt: partial)
            offset = existing
        }
        var request = HTTPClientRequest(url: baseURL + "/api/v1/blobs/\(digest)")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if offset > 0 {
            request.headers.add(name: "Range", value: "bytes=\(offset)-")
            request.headers.add(name: "If-Range", value: "\"\(digest)\"")
        }
        var response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .hours(24))
        } catch {
            throw HubClientError.unreachable(baseURL, "\(error)")
        }
        if [301, 302, 303, 307, 308].contains(response.status.code) {
            // A hub whose blobs live in an object store sends the download there, to a URL that carries its own
            // authorization: the hub's token and If-Range (the store's ETag is not the digest) stay behind; the range
            // and the check of the digest below work as ever.
            guard let location = response.headers.first(name: "Location") else {
                throw HubClientError.unexpectedAnswer("a redirect for blob \(digest) without a Location")
            }
            _ = try? await response.body.collect(upTo: 1 << 20)
            var direct = HTTPClientRequest(url: Self.resolve(location, against: baseURL))
            if offset > 0 { direct.headers.add(name: "Range", value: "bytes=\(offset)-") }
            do {
                response = try await http.execute(direct, timeout: .hours(24))
            } catch {
                throw HubClientError.unreachable(baseURL, "the blob store it redirected to: \(error)")
            }
        }
        let resumed: Bool
        switch response.status.code {
        case 206:
            guard response.headers.first(name: "Content-Range")?.hasPrefix("bytes \(offset)-") == true else {
                throw HubClientError.unexpectedAnswer("a ranged download of \(digest) answered another range")
            }
            resumed = true
        case 200:
            hasher = DigestingHasher()
            offset = 0
            resumed = false
        default:
            let body = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            throw HubClientError.from(status: Int(response.status.code), body: body)
        }
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_CLOEXEC | (offset == 0 ? O_TRUNC : O_APPEND), 0o644)
        guard descriptor >= 0 else { throw DownloadError.cannotWrite(partial, errno) }
        defer { close(descriptor) }
        var written = offset
        // The file now holds exactly the prefix the hub agreed to continue (nothing after a restart).
        progress(written)
        do {
            for try await buffer in response.body {
                try buffer.withUnsafeReadableBytes { bytes in
                    hasher.update(bytes)
                    var done = 0
                    while done < bytes.count {
                        let count = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                        guard count > 0 else { throw DownloadError.cannotWrite(partial, errno) }
                        done += count
                    }
                }
                written += Int64(buffer.readableBytes)
                progress(written)
            }
        } catch let error as DownloadError {
            throw error
        } catch {
            // A hub that finds its copy damaged cuts the download short and answers the digest as missing from then on:
            // the bytes that arrived are not worth resuming.
            if (try? await hasBlob(digest)) == false {
                try? FileManager.default.removeItem(atPath: partial)
                throw HubClientError.damagedOnHub(baseURL, digest)
            }
            throw HubClientError.interrupted(baseURL, "\(written) of \(size) bytes arrived: \(error)")
        }
        return (hasher.finalize(), resumed)
    }

    /// A `Location` made absolute.
    static func resolve(_ location: String, against base: String) -> String {
        if location.hasPrefix("http://") || location.hasPrefix("https://") { return location }
        guard let url = URL(string: location, relativeTo: URL(string: base)) else { return location }
        return url.absoluteString
    }

    /// A hasher that has read the whole file, for continuing a download.
    static func hash(fileAt path: String) throws -> DigestingHasher {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DownloadError.cannotRead(path, errno) }
        defer { try? handle.close() }
        var hasher = DigestingHasher()
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
            hasher.update(data: data)
        }
        return hasher
    }
}

/// A local file a download could not use.
public enum DownloadError: Error, CustomStringConvertible {
    case cannotWrite(String, Int32)
    case cannotRead(String, Int32)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let code): "cannot write \(path): \(String(cString: strerror(code)))"
        case .cannotRead(let path, let code): "cannot read \(path): \(String(cString: strerror(code)))"
        }
    }
}
