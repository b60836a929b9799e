/// Why a model cannot be started as asked, or did not start.
public struct LaunchError: Error, CustomStringConvertible {
    public var description: String
    /// The request itself is wrong (a port that is no port number), rather than the start failing.
    public var isUsage: Bool

    public init(_ description: String, isUsage: Bool = false) {
        self.description = description
        self.isUsage = isUsage
    }
}
