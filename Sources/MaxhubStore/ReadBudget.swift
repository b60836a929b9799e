import Synchronization

/// The bytes that reads running at once may hold between the disk and their writers: each read's chunk is its share of
/// `total`, between `smallest` and `largest`. One read streams in large chunks; many share the budget, so the store's
/// memory does not grow with the number of downloads (down to `smallest` each).
final class ReadBudget: Sendable {
    let total: Int64
    let largest: Int64
    let smallest: Int64
    private let readers = Atomic<Int>(0)

    init(total: Int64, largest: Int64, smallest: Int64) {
        precondition(smallest > 0 && smallest <= largest)
        self.total = total
        self.largest = largest
        self.smallest = smallest
    }

    /// A read starts; each `enter` has its `leave`.
    func enter() { readers.add(1, ordering: .relaxed) }

    func leave() { readers.subtract(1, ordering: .relaxed) }

    /// The chunk size for a read now: `total` shared among the reads running, within bounds.
    func share() -> Int64 {
        let count = Int64(max(readers.load(ordering: .relaxed), 1))
        return min(largest, max(smallest, total / count))
    }
}
