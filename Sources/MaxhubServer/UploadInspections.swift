import Foundation
import MaxhubArchive
import MaxhubCore
import MaxhubStore
import NIOCore
import Synchronization

/// Archive checks that run while an upload arrives, so that the publish naming the archive costs no second read.
///
/// Each upload that starts at its first byte gets a pipe that its request bodies are copied into as the store
/// writes them; a thread reads the pipe through libarchive, checking entries the way `PublishCheck.archive` does
/// (unsafe paths, limits, each file's size and digest) and keeping the first bytes of Markdown files (the model
/// card). When the upload ends under a digest, the report is kept under that digest for the publish to use.
///
/// Whatever breaks the one pass (a chunk that fails, one that does not follow on, two requests at once, an upload
/// sent partly to another hub process, too many uploads at once) abandons the inspection; the publish then checks
/// the stored archive as before. Reports are this process's own and bounded in number.
final class UploadInspections: Sendable {
    /// What an upload's inspection found.
    struct Report: Sendable {
        var entries: [InspectedEntry]
        /// The first bytes of the archive's Markdown files, by path.
        var prefixes: [String: [UInt8]]
    }

    private final class Session: Sendable {
        /// At most this much of an upload is held between the store and the inspection (4 MiB, times `maxSessions`).
        let pipe = BytePipe(capacity: 4 << 20)
        let inspection: Task<Result<ArchiveInspector.StreamReport, ArchiveError>, Never>

        init(limits: ArchiveLimits, label: String) {
            let pipe = pipe
            inspection = Task {
                await onOwnThread(named: "maxhub-inspect") { () throws(ArchiveError) -> ArchiveInspector.StreamReport in
                    // Whatever ends the inspection, the upload it follows goes on unhindered.
                    defer { pipe.drain() }
                    return try ArchiveInspector(limits: limits).inspect(
                        reading: pipe, label: label, keepingPrefixesOf: UploadInspections.isModelCard,
                        maxBytes: ModelCard.maxBytes + 1, maxKept: UploadInspections.maxKeptPrefixes)
                }
            }
        }

        func abandon() {
            pipe.fail("the upload's inspection was abandoned")
            pipe.drain()
        }
    }

    private struct Entry {
        let session: Session
        var fed: Int64 = 0
        var busy = false
        var lastUsed: ContinuousClock.Instant
    }

    private struct State {
        var sessions: [String: Entry] = [:]
        var reports: [Digest: Report] = [:]
        var reportOrder: [Digest] = []
    }

    static let maxSessions = 16
    static let maxReports = 32
    static let maxKeptPrefixes = 8
    static let idleLimit: Duration = .seconds(600)

    private let limits: ArchiveLimits
    private let state = Mutex(State())

    init(limits: ArchiveLimits) {
        self.limits = limits
    }

    static func isModelCard(_ path: String) -> Bool {
        let lowered = path.lowercased()
        return lowered.hasSuffix(".md") || lowered.hasSuffix(".markdown")
    }

    // MARK: Feeding

    /// The pipe to copy a request's bytes for upload `id` into, when they follow on from what was fed (a new
    /// inspection starts at offset 0); nil when the upload is not inspected. A caller that gets a pipe must end with
    /// `fed(_:size:)` or `abandon(_:)`.
    func claim(_ id: String, at offset: Int64) -> BytePipe? {
        let now = ContinuousClock.now
        let (pipe, dropped) = state.withLock { state -> (BytePipe?, [Session]) in
            var dropped: [Session] = []
            for (key, entry) in state.sessions where !entry.busy && now - entry.lastUsed > Self.idleLimit {
                dropped.append(entry.session)
                state.sessions[key] = nil
            }
            if var entry = state.sessions[id] {
                guard !entry.busy, entry.fed == offset else {
                    dropped.append(entry.session)
                    state.sessions[id] = nil
                    return (nil, dropped)
                }
                entry.busy = true
                entry.lastUsed = now
                state.sessions[id] = entry
                return (entry.session.pipe, dropped)
            }
            guard offset == 0, state.sessions.count < Self.maxSessions else { return (nil, dropped) }
            let session = Session(limits: limits, label: "upload \(id)")
            state.sessions[id] = Entry(session: session, busy: true, lastUsed: now)
            return (session.pipe, dropped)
        }
        for session in dropped { session.abandon() }
        return pipe
    }

    /// The request's bytes were all stored: the upload now holds `size` bytes, all of them fed.
    func fed(_ id: String, size: Int64) {
        state.withLock { state in
            guard var entry = state.sessions[id] else { return }
            entry.busy = false
            entry.fed = size
            entry.lastUsed = .now
            state.sessions[id] = entry
        }
    }

    /// Stops inspecting upload `id` (a failed chunk, a cancelled upload).
    func abandon(_ id: String) {
        let session = state.withLock { $0.sessions.removeValue(forKey: id)?.session }
        session?.abandon()
    }

    /// The upload was stored as `reference`: the inspection reads to the end, and its report is kept under the digest
    /// when it covered every byte. Waits for the inspection, which trails the upload by at most a pipe's worth.
    func complete(_ id: String, as reference: ArchiveReference) async {
        guard let entry = state.withLock({ $0.sessions.removeValue(forKey: id) }) else { return }
        guard entry.fed == reference.size else {
            entry.session.abandon()
            return
        }
        entry.session.pipe.finish()
        guard case .success(let report) = await entry.session.inspection.value else { return }
        state.withLock { state in
            if state.reports[reference.digest] == nil {
                state.reportOrder.append(reference.digest)
                if state.reportOrder.count > Self.maxReports { state.reports[state.reportOrder.removeFirst()] = nil }
            }
            state.reports[reference.digest] = Report(entries: report.entries, prefixes: report.prefixes)
        }
    }

    // MARK: Reading

    /// The report of an inspected upload of the archive `digest`, if this process made one.
    func report(for digest: Digest) -> Report? {
        state.withLock { $0.reports[digest] }
    }

    /// The upload's chunks, each copied into its inspection's pipe as it passes on to the store.
    static func tee<Chunks: AsyncSequence<ByteBuffer, any Error> & Sendable>(_ chunks: Chunks, into pipe: BytePipe?) -> TeeChunks<Chunks> {
        TeeChunks(base: chunks, pipe: pipe)
    }
}

/// An upload body that copies each chunk into an inspection's pipe before passing it on.
struct TeeChunks<Base: AsyncSequence<ByteBuffer, any Error> & Sendable>: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: Base
    let pipe: BytePipe?

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let pipe: BytePipe?

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            if let pipe, chunk.readableBytes > 0 {
                try await pipe.write(Array(chunk.readableBytesView))
            }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), pipe: pipe) }
}
