import Foundation

/// Runs blocking work (a socket read, a wait) on a thread of its own, so that it never holds one of the few threads
/// that run every test's tasks: on a 2-core machine, two blocked tasks would stall all the others, the hub's handlers
/// included.
public func onThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.name = "maxhub-test-blocking"
        thread.start()
    }
}
