import MaxhubCore

/// A model in search results: its name and the latest visible version that describes it.
public struct ModelSummaryRecord: Sendable, Equatable {
    public var latest: VersionRecord

    public init(latest: VersionRecord) {
        self.latest = latest
    }
}
