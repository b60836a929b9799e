/// Where a chunked upload stands: its id and how many bytes the hub holds (the next `PATCH` starts at `offset`).
public struct UploadStatus: Codable, Sendable, Equatable {
    public var id: String
    public var offset: Int64

    public init(id: String, offset: Int64) {
        self.id = id
        self.offset = offset
    }
}
