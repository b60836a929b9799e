import CMemory
import Foundation
import Hummingbird
import Logging
import MaxhubCore
import MaxhubStore

/// What `maxhub serve` tells its operator once the hub listens.
public struct HubAnnouncement: Sendable {
    public var url: String
    /// The first admin token, on the start that made it; nil afterwards.
    public var adminToken: String?
}
