import AsyncHTTPClient
import Foundation
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
