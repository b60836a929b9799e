import MaxhubCore

/// The running SHA-256 of the uploads this process appends to, so that an append hashes only the bytes it brings.
///
/// A caller checks an upload's hasher out for its exclusive use and checks it back in, or releases it when it can no
/// longer vouch for it; calls on the same upload wait their turn. A hasher missing (the process restarted, or an
/// append failed half-way) is rebuilt by the caller from the upload's file.
actor UploadHashers {
    private enum Slot {
        case idle(DigestingHasher)
        case checkedOut
    }

    private var slots: [String: Slot] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Waits until no one else holds the upload, then takes it; returns its hasher, or nil when it must be rebuilt.
    func checkOut(_ upload: String) async -> DigestingHasher? {
        while case .checkedOut = slots[upload] {
            await withCheckedContinuation { waiting[upload, default: []].append($0) }
        }
        let slot = slots[upload]
        slots[upload] = .checkedOut
        if case .idle(let hasher) = slot { return hasher }
        return nil
    }

    /// Gives the upload back with a hasher that matches its file exactly.
    func checkIn(_ upload: String, _ hasher: DigestingHasher) {
        slots[upload] = .idle(hasher)
        wakeNext(upload)
    }

    /// Gives the upload back without a hasher (its file and the hasher may disagree), or forgets an upload that is gone.
    func release(_ upload: String) {
        slots[upload] = nil
        wakeNext(upload)
    }

    /// Forgets an upload that is gone, unless a call is working on it (that call gives it back when it fails).
    func forget(_ upload: String) {
        if case .idle = slots[upload] { slots[upload] = nil }
    }

    /// Whether a call is working on the upload right now.
    func isCheckedOut(_ upload: String) -> Bool {
        if case .checkedOut = slots[upload] { return true }
        return false
    }

    private func wakeNext(_ upload: String) {
        guard var queue = waiting[upload], !queue.isEmpty else { return }
        let next = queue.removeFirst()
        waiting[upload] = queue.isEmpty ? nil : queue
        next.resume()
    }
}
