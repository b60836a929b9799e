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
        let chunks = FileUploadChunks(path: path, progress: progress)
        request.body = .stream(chunks, length: .known(size))
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .hours(24))
        } catch let error as HubClientError {
            throw error
        } catch {
            throw HubClientError.unreachable(baseURL, "\(error)")
        }
        let body = Data(buffer: try await response.body.collect(upTo: 1 << 20))
        guard response.status.code == 201 else { throw HubClientError.from(status: Int(response.status.code), body: body) }
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

/// A file read in 1 MiB chunks as the upload asks for them, counting what was read.
struct FileUploadChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String
    let progress: @Sendable (Int64) -> Void

    struct AsyncIterator: AsyncIteratorProtocol {
        let path: String
        let progress: @Sendable (Int64) -> Void
        var handle: ReadFileHandle?
        var offset: Int64 = 0
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            if handle == nil { handle = try await FileSystem.shared.openFile(forReadingAt: FilePath(path), options: .init()) }
            guard let handle else { return nil }
            let chunk = try await handle.readChunk(fromAbsoluteOffset: offset, length: .mebibytes(1))
            if chunk.readableBytes == 0 {
                finished = true
                try await handle.close()
                return nil
            }
            offset += Int64(chunk.readableBytes)
            progress(offset)
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(path: path, progress: progress) }
}
