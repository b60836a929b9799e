import Foundation

/// The one thread that starts server processes, for as long as the process lives.
///
/// A server started with bwrap's `--die-with-parent` is sent SIGKILL when the *thread* that started it ends
/// (`PR_SET_PDEATHSIG`), and the threads that run Swift's tasks come and go; so processes are started here instead.
final class SpawnThread: @unchecked Sendable {
    static let shared = SpawnThread()

    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    private init() {
        let thread = Thread { [self] in loop() }
        thread.name = "maxhub-spawn"
        thread.start()
    }

    /// Runs `body` on the spawn thread and returns what it returns.
    func run<Value>(_ body: @escaping () -> Value) -> Value {
        let done = DispatchSemaphore(value: 0)
        var result: Value?
        condition.lock()
        jobs.append {
            result = body()
            done.signal()
        }
        condition.signal()
        condition.unlock()
        done.wait()
        guard let result else { preconditionFailure("the spawn thread ran no job") }
        return result
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
