import Foundation

/// A bounded queue of byte chunks from a producer to a consumer that run on different threads, so that a stream of
/// bytes can be packed, sent, received and inspected in one pass with at most `capacity` bytes held in between.
///
/// Either side may be a thread that blocks (libarchive's callbacks) or a task that awaits (an HTTP body): `write` and
/// `read` suspend, `writeBlocking` and `readBlocking` block the calling thread. One producer and one consumer.
///
/// `maxhub publish` packs into a pipe that the upload drains; the hub feeds an upload's bytes into a pipe that an
/// archive inspection reads behind the store.
public final class BytePipe: @unchecked Sendable {
    /// Thrown to the producer once the consumer cancelled, and to the consumer once the producer failed.
    public struct Closed: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    private enum ConsumerState {
        case reading
        /// The consumer stopped; writes are dropped without an error.
        case draining
        /// The consumer stopped; writes throw.
        case cancelled(String)
    }

    public let capacity: Int
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var held = 0
    private var finished = false
    private var failure: String?
    private var consumer = ConsumerState.reading
    private var waitingProducer: CheckedContinuation<Void, Never>?
    private var waitingConsumer: CheckedContinuation<Void, Never>?

    public init(capacity: Int = 8 << 20) {
        self.capacity = capacity
    }

    // MARK: Producer

    /// Appends a chunk, waiting while the pipe holds `capacity` bytes or more. Throws `Closed` once the consumer cancelled.
    public func write(_ chunk: [UInt8]) async throws {
        guard !chunk.isEmpty else { return }
        while true {
            let admitted: Bool = try locked { () throws -> Bool in
                try admit(chunk)
            }
            if admitted { return }
            await withCheckedContinuation { continuation in
                condition.lock()
                if hasRoom || !isReading {
                    condition.unlock()
                    continuation.resume()
                } else {
                    waitingProducer = continuation
                    condition.unlock()
                }
            }
        }
    }

    /// `write` for a thread that may block.
    public func writeBlocking(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        let chunk = [UInt8](bytes)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if try admit(chunk) { return }
            condition.wait()
        }
    }

    /// The producer: nothing more comes; the consumer reads what is left, then the end.
    public func finish() {
        let consumer = locked { () -> CheckedContinuation<Void, Never>? in
            finished = true
            return takeConsumer()
        }
        consumer?.resume()
    }

    /// The producer: the stream will not be completed; the consumer's next read throws `Closed(reason)`.
    public func fail(_ reason: String) {
        let consumer = locked { () -> CheckedContinuation<Void, Never>? in
            if failure == nil { failure = reason }
            return takeConsumer()
        }
        consumer?.resume()
    }

    /// Why the producer failed, if it did.
    public var producerFailure: String? {
        locked { failure }
    }

    // MARK: Consumer

    /// The next chunk, waiting for one; nil at the end. Throws `Closed` when the producer failed.
    public func read() async throws -> [UInt8]? {
        while true {
            switch try locked({ () throws -> ReadStep in try step() }) {
            case .chunk(let chunk, let producer):
                producer?.resume()
                return chunk
            case .end:
                return nil
            case .wait:
                await withCheckedContinuation { continuation in
                    condition.lock()
                    if head < chunks.count || finished || failure != nil {
                        condition.unlock()
                        continuation.resume()
                    } else {
                        waitingConsumer = continuation
                        condition.unlock()
                    }
                }
            }
        }
    }

    /// `read` for a thread that may block.
    public func readBlocking() throws -> [UInt8]? {
        condition.lock()
        while true {
            let next: ReadStep
            do {
                next = try step()
            } catch {
                condition.unlock()
                throw error
            }
            switch next {
            case .chunk(let chunk, let producer):
                condition.unlock()
                producer?.resume()
                return chunk
            case .end:
                condition.unlock()
                return nil
            case .wait:
                condition.wait()
            }
        }
    }

    /// The consumer stops reading and lets the producer run on: what is written from now on is dropped. An archive
    /// inspection that found a problem drains, so that the upload it follows is not held up.
    public func drain() {
        stopReading(.draining)
    }

    /// The consumer stops reading and the producer's writes throw `Closed(reason)` from now on: an upload that failed
    /// stops the packing that feeds it.
    public func cancel(_ reason: String) {
        stopReading(.cancelled(reason))
    }

    // MARK: State, under the lock

    private enum ReadStep {
        case chunk([UInt8], CheckedContinuation<Void, Never>?)
        case wait
        case end
    }

    private var hasRoom: Bool { held < capacity }

    private var isReading: Bool {
        if case .reading = consumer { return true }
        return false
    }

    private func admit(_ chunk: [UInt8]) throws -> Bool {
        switch consumer {
        case .cancelled(let reason): throw Closed(reason: reason)
        case .draining: return true
        case .reading: break
        }
        guard hasRoom else { return false }
        chunks.append(chunk)
        held += chunk.count
        condition.broadcast()
        if let consumer = takeConsumer() { consumer.resume() }
        return true
    }

    private func step() throws -> ReadStep {
        if let failure { throw Closed(reason: failure) }
        guard head < chunks.count else { return finished ? .end : .wait }
        let chunk = chunks[head]
        chunks[head] = []
        head += 1
        held -= chunk.count
        if head > 64, head * 2 > chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        let producer = waitingProducer
        waitingProducer = nil
        return .chunk(chunk, producer)
    }

    private func stopReading(_ state: ConsumerState) {
        let producer = locked { () -> CheckedContinuation<Void, Never>? in
            if case .reading = consumer { consumer = state }
            chunks = []
            head = 0
            held = 0
            condition.broadcast()
            let producer = waitingProducer
            waitingProducer = nil
            return producer
        }
        producer?.resume()
    }

    private func takeConsumer() -> CheckedContinuation<Void, Never>? {
        condition.broadcast()
        let consumer = waitingConsumer
        waitingConsumer = nil
        return consumer
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }
}
