import Dispatch
import Foundation

/// Set once any of the signals arrives. `ignoringDefaultActions` keeps them from ending the process first, so that the
/// caller can stop what it started and then return.
public final class SignalLatch: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    private var sources: [DispatchSourceSignal] = []

    public init(_ signals: [Int32], ignoringDefaultActions: Bool = true) {
        for number in signals {
            if ignoringDefaultActions { signal(number, SIG_IGN) }
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                lock.lock()
                set = true
                lock.unlock()
            }
            source.resume()
            sources.append(source)
        }
    }

    public var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return set
    }
}
