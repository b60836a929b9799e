import AsyncHTTPClient
import Foundation
import MaxhubArchive
import MaxhubCore
import MaxhubJSON
import NIOCore
import NIOHTTP1
import _NIOFileSystem

extension HubClient {
    /// Whether the hub already has a blob (`HEAD`); a client skips the upload when it does.
    public func hasBlob(_ digest: Digest) async throws -> Bool {
        var request = HTTPClientRequest(url: baseURL + "/api/v1/blobs/\(digest)")
        request.method = .HEAD
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(60))
        } catch {
            throw HubClientError.unreachable(baseURL, "\(error)")
        }
        switch response.status.code {
        case 200: return true
        case 404: return false
        default: throw HubClientError.from(status: Int(response.status.code), body: Data())
        }
    }

    /// Streams a file to the hub as one blob, checked there against `digest`. `progress` gets the bytes sent so far.
    public func uploadBlob(
        at path: String, digest: Digest, size: Int64, progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws -> ArchiveReference {
        var request = HTTPClientRequest(url: baseURL + "/api/v1/blobs/uploads?digest=\(digest)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        // The file is open only within this scope, which closes it however the upload ends: a dropped connection
        // leaves the body half read, and a handle that is never closed is a fatal error in NIO's file system.
        let prepared = request
        let http = http
        let answer: (status: UInt, body: Data)
        do {
            answer = try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { handle in
                var upload = prepared
                upload.body = .stream(FileUploadChunks(handle: handle, progress: progress), length: .known(size))
                let response = try await http.execute(upload, timeout: .hours(24))
                return (response.status.code, Data(buffer: try await response.body.collect(upTo: 1 << 20)))
            }
        } catch let error as HubClientError {
            throw error
        } catch {
            throw HubClientError.unreachable(baseURL, "\(error)")
        }
        let (status, body) = answer
        guard status == 201 else { throw HubClientError.from(status: Int(status), body: body) }
        do {
            return try HubJSON.decoder().decode(ArchiveReference.self, from: body)
        } catch {
            throw HubClientError.unexpectedAnswer("upload: \(error)")
        }
    }

    // MARK: Resumable uploads

    /// Starts a resumable upload; the path of the upload to send its bytes to.
    public func startUpload() async throws -> String {
        let (status, headers, body) = try await exchange(.POST, "/api/v1/blobs/uploads")
        guard status == 202, let location = headers.first(name: "Location") else {
            throw HubClientError.from(status: Int(status), body: body)
        }
        return location
    }

    /// How many bytes the hub holds of an upload.
    public func uploadOffset(_ location: String) async throws -> Int64 {
        let (status, _, body) = try await exchange(.GET, location)
        guard status == 200 else { throw HubClientError.from(status: Int(status), body: body) }
        do {
            return try HubJSON.decoder().decode(UploadStatus.self, from: body).offset
        } catch {
            throw HubClientError.unexpectedAnswer("upload status: \(error)")
        }
    }

    /// Sends what `pipe` yields to an upload in one chunked `PATCH`, leaving out its first `skipping` bytes (which the
    /// hub holds from an earlier attempt); the bytes the hub holds afterwards. The hub refuses the chunk (416) unless
    /// the upload holds exactly `skipping` bytes when it starts. `progress` gets the bytes the upload holds so far,
    /// counting the skipped ones.
    public func appendUpload(
        _ location: String, from pipe: BytePipe, skipping: Int64 = 0, progress: @escaping @Sendable (Int64) -> Void = { _ in }
    ) async throws -> Int64 {
        let chunks = PipeUploadChunks(pipe: pipe, skipping: skipping, progress: progress)
        let (status, _, body) = try await exchange(
            .PATCH, location, headers: ["Upload-Offset": String(skipping)], body: .stream(chunks, length: .unknown), timeout: .hours(24))
        guard status == 202 else { throw HubClientError.from(status: Int(status), body: body) }
        do {
            return try HubJSON.decoder().decode(UploadStatus.self, from: body).offset
        } catch {
            throw HubClientError.unexpectedAnswer("upload: \(error)")
        }
    }

    /// Ends an upload, declaring its digest; the hub checks the bytes it holds against it.
    public func finishUpload(_ location: String, digest: Digest) async throws -> ArchiveReference {
        let (status, _, body) = try await exchange(.PUT, location + "?digest=\(digest)", timeout: .hours(1))
        guard status == 201 else { throw HubClientError.from(status: Int(status), body: body) }
        do {
            return try HubJSON.decoder().decode(ArchiveReference.self, from: body)
        } catch {
            throw HubClientError.unexpectedAnswer("upload: \(error)")
        }
    }

    /// Abandons an upload; the hub drops what it holds of it. Errors are ignored: the hub also sweeps stale uploads.
    public func cancelUpload(_ location: String) async {
        _ = try? await exchange(.DELETE, location)
    }

    /// One request with an optional streamed body: the status, headers and (up to 1 MiB of) the answer.
    private func exchange(
        _ method: HTTPMethod, _ path: String, headers: [String: String] = [:], body: HTTPClientRequest.Body? = nil,
        timeout: TimeAmount = .seconds(60)
    ) async throws -> (status: UInt, headers: HTTPHeaders, body: Data) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/octet-stream")
            request.body = body
        }
        do {
            let response = try await http.execute(request, timeout: timeout)
            return (response.status.code, response.headers, Data(buffer: try await response.body.collect(upTo: 1 << 20)))
        } catch let error as BytePipe.Closed {
            throw error
        } catch {
            throw HubClientError.unreachable(baseURL, "\(error)")
        }
    }

    /// Publishes a manifest naming an uploaded archive.
    public func publish(_ manifest: JSONValue, name: ModelName, version: Version, archive: ArchiveReference) async throws -> VersionDetail {
        try await send(
            .PUT, "/api/v1/models/\(name.pathSegment)/versions/\(Self.escape(version.description))",
            body: PublishRequest(manifest: manifest, archive: archive), as: VersionDetail.self)
    }
}

/// An open file read in 1 MiB chunks as the upload asks for them, counting what was read. The file's owner closes it.
struct FileUploadChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let handle: ReadFileHandle
    let progress: @Sendable (Int64) -> Void

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: ReadFileHandle
        let progress: @Sendable (Int64) -> Void
        var offset: Int64 = 0
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            let chunk = try await handle.readChunk(fromAbsoluteOffset: offset, length: .mebibytes(1))
            if chunk.readableBytes == 0 {
                finished = true
                return nil
            }
            offset += Int64(chunk.readableBytes)
            progress(offset)
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(handle: handle, progress: progress) }
}

/// The chunks a pipe yields, as an upload body: the first `skipping` bytes are left out, and `progress` gets the bytes
/// passed so far (skipped ones included).
struct PipeUploadChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let pipe: BytePipe
    let skipping: Int64
    let progress: @Sendable (Int64) -> Void

    struct AsyncIterator: AsyncIteratorProtocol {
        let pipe: BytePipe
        var toSkip: Int64
        let progress: @Sendable (Int64) -> Void
        var offset: Int64 = 0

        mutating func next() async throws -> ByteBuffer? {
            while let chunk = try await pipe.read() {
                offset += Int64(chunk.count)
                if toSkip >= Int64(chunk.count) {
                    toSkip -= Int64(chunk.count)
                    continue
                }
                let start = Int(toSkip)
                toSkip = 0
                progress(offset)
                return ByteBuffer(bytes: chunk[start...])
            }
            return nil
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(pipe: pipe, toSkip: skipping, progress: progress) }
}
