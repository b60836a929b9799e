import MaxhubCore
import NIOCore

/// How an upload is made: in one request, or in chunks that may be resumed later.
public enum UploadKind: String, Sendable, Equatable {
    case monolithic
    case resumable
}
