import Foundation
import Testing

/// Runs a suite's tests on `TestThreads.shared` instead of Swift's cooperative pool.
///
/// The cooperative pool has one thread per core: two on CI's machine. Every test of the run starts at once, and a test
/// that waits for a process (`waitUntilExit`, a pipe read, a poll with `Thread.sleep`) holds a pool thread while it
/// waits; two such waits stall every other test's tasks, the in-process hubs' handlers included, until their requests
/// time out. On threads of their own, a wait holds only its own thread.
public struct OnTestThreads: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(TestThreads.shared) { try await function() }
    }
}

extension Trait where Self == OnTestThreads {
    /// The suite's tests, and the tasks they start, run on `TestThreads.shared`.
    public static var onTestThreads: Self { OnTestThreads() }
}

/// A task executor of many threads that take jobs from one queue, for tests that block.
///
/// The queue's lock is held only to append or take a job, and idle threads wait on a counting semaphore (a futex), not
/// on a condition variable: with dozens of threads waiting on one condition, the signal of glibc 2.36 waits, the lock
/// held, until the woken threads have left, and every enqueue (an event loop's resumption of a test's task included)
/// waits behind it.
public final class TestThreads: TaskExecutor, @unchecked Sendable {
    /// Enough that the tests that wait at one moment never take them all.
    public static let shared = TestThreads(count: 64)

    private let lock = NSLock()
    private let ready = DispatchSemaphore(value: 0)
    private var queue: [UnownedJob] = []
    private var head = 0

    init(count: Int) {
        for index in 0..<count {
            let thread = Thread { [self] in work() }
            thread.name = "maxhub-test-\(index)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        lock.lock()
        queue.append(job)
        lock.unlock()
        ready.signal()
    }

    private func work() {
        while true {
            ready.wait()
            lock.lock()
            let job = queue[head]
            head += 1
            if head > 1024 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            lock.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
