import Hummingbird
import MaxhubCore
import NIOCore
import Synchronization

/// Rendered answers of the catalog's reads (the JSON API and the web catalog's pages), kept until the catalog changes.
///
/// Each answer is keyed by what decides its bytes: the request's path and query, and who is asking as far as
/// visibility goes (anonymous and readers share answers, a curator has their own, reviewers and admins theirs). An
/// answer is kept for the catalog's generation (`CatalogStore.generation()`) it was rendered under, and everything is
/// dropped when the generation moves:
/// - a write through this process (any request that is not a `GET` or `HEAD`) makes the next read ask the database;
/// - otherwise the database is asked at most every `recheckInterval`, so that a change made by another hub sharing the
///   database shows here within that time.
///
/// Every answer carries a strong `ETag` (a hash of its bytes, so the same on every replica); `If-None-Match` with it is
/// a 304. Memory is bounded by `maxBytes` of bodies: past it, the cache starts again empty.
final class CatalogResponseCache: Sendable {
    /// A rendered answer.
    struct Entry: Sendable {
        var headers: HTTPFields
        var body: ByteBuffer
        var tag: String
    }

    private struct State {
        var generation: Int64?
        var checkedAt: ContinuousClock.Instant?
        /// Moves on with every `invalidate()`, so that a generation read before a local write is not trusted after it.
        var epoch: UInt64 = 0
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    private let readGeneration: @Sendable () async throws -> Int64
    let recheckInterval: Duration
    let maxBytes: Int

    init(
        recheckInterval: Duration = .milliseconds(250), maxBytes: Int = 16 << 20,
        generation: @escaping @Sendable () async throws -> Int64
    ) {
        self.recheckInterval = recheckInterval
        self.maxBytes = maxBytes
        self.readGeneration = generation
    }

    /// After a write through this process: the next read asks the database for the generation.
    func invalidate() {
        state.withLock { state in
            state.epoch &+= 1
            state.checkedAt = nil
        }
    }

    /// The catalog's generation, read from the database when the last reading is older than `recheckInterval` or a
    /// local write came since.
    func currentGeneration() async throws -> Int64 {
        let now = ContinuousClock.now
        let (known, epoch) = state.withLock { state -> (Int64?, UInt64) in
            if let checkedAt = state.checkedAt, now - checkedAt < recheckInterval { return (state.generation, state.epoch) }
            return (nil, state.epoch)
        }
        if let known { return known }
        let fresh = try await readGeneration()
        state.withLock { state in
            if state.generation != fresh {
                state.generation = fresh
                state.entries = [:]
                state.bytes = 0
            }
            if state.epoch == epoch { state.checkedAt = now }
        }
        return fresh
    }

    /// The answer for `key`: from the cache when it was rendered under the current generation, else rendered by
    /// `render` (which may throw, a 404 say; errors are not kept) and kept.
    func answer(
        _ key: String, request: Request, render: () async throws -> (headers: HTTPFields, body: ByteBuffer)
    ) async throws -> Response {
        let generation = try await currentGeneration()
        if let entry = state.withLock({ $0.generation == generation ? $0.entries[key] : nil }) {
            return Self.response(entry, request: request)
        }
        let rendered = try await render()
        let entry = Entry(headers: rendered.headers, body: rendered.body, tag: Self.tag(of: rendered.body))
        state.withLock { state in
            // Rendered under an older generation than the cache now holds: served once, not kept.
            guard state.generation == generation else { return }
            if state.bytes + entry.body.readableBytes > maxBytes {
                state.entries = [:]
                state.bytes = 0
            }
            if let replaced = state.entries.updateValue(entry, forKey: key) { state.bytes -= replaced.body.readableBytes }
            state.bytes += entry.body.readableBytes
        }
        return Self.response(entry, request: request)
    }

    /// The key of a read: the visibility class of the caller, then the request's path and query as sent.
    static func key(_ request: Request, identity: Identity?) -> String {
        let visibility = VisibilityPolicy.visibility(for: identity)
        let states = visibility.states.map(\.rawValue).sorted().joined(separator: ",")
        return "\(states)|\(visibility.publisher ?? "")|\(request.uri.description)"
    }

    /// A strong entity tag for a body: the first 128 bits of its SHA-256.
    static func tag(of body: ByteBuffer) -> String {
        var hasher = DigestingHasher()
        body.withUnsafeReadableBytes { hasher.update($0) }
        return "\"\(hasher.finalize().hex.prefix(32))\""
    }

    static func response(_ entry: Entry, request: Request) -> Response {
        var headers = entry.headers
        headers[.eTag] = entry.tag
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-cache" }
        if let tags = request.headers[.ifNoneMatch], matches(tags, entry.tag) {
            return Response(status: .notModified, headers: headers, body: ResponseBody())
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: entry.body))
    }

    /// Whether an `If-None-Match` list names `tag` (weakly compared, as RFC 9110 says for this header) or is `*`. Read
    /// as bytes: it runs on every conditional read.
    static func matches(_ tags: String, _ tag: String) -> Bool {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
        for candidate in tags.utf8.split(separator: UInt8(ascii: ",")) {
            var text = candidate[...]
            while let first = text.first, first == space || first == tab { text = text.dropFirst() }
            while let last = text.last, last == space || last == tab { text = text.dropLast() }
            if text.starts(with: "W/".utf8) { text = text.dropFirst(2) }
            if text.elementsEqual("*".utf8) || text.elementsEqual(tag.utf8) { return true }
        }
        return false
    }
}

/// Tells the catalog's response cache about writes: any request that may change the catalog (not a `GET` or `HEAD`)
/// makes the next read ask the database for its generation, once the write has answered.
struct CatalogWriteMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let cache: CatalogResponseCache

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.method == .get || request.method == .head { return try await next(request, context) }
        defer { cache.invalidate() }
        return try await next(request, context)
    }
}
