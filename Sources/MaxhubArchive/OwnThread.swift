import Foundation

/// Runs `body` on a new thread and waits for its result without blocking a task: for work that blocks while it
/// waits for bytes (an extraction following a download, a pack feeding an upload, an inspection behind an upload),
/// which a thread of the cooperative pool must never do.
public func onOwnThread<Success: Sendable, Failure: Error>(
    named name: String, _ body: @escaping @Sendable () throws(Failure) -> Success
) async -> Result<Success, Failure> {
    await withCheckedContinuation { continuation in
        let thread = Thread {
            continuation.resume(returning: Result { () throws(Failure) in try body() })
        }
        thread.name = name
        thread.start()
    }
}
