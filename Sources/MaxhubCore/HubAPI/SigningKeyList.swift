import Foundation

/// `GET /api/v1/signing-keys`: every key the hub has signed with, oldest first; the last is the one it signs with now.
public struct SigningKeyList: Codable, Sendable, Equatable {
    public var keys: [Key]

    public struct Key: Codable, Sendable, Equatable {
        /// The sha256 (hex) of `pem`, as bundles name it.
        public var fingerprint: String
        public var pem: String
        public var createdAt: Date
        public var current: Bool

        public init(fingerprint: String, pem: String, createdAt: Date, current: Bool) {
            self.fingerprint = fingerprint
            self.pem = pem
            self.createdAt = createdAt
            self.current = current
        }

        private enum CodingKeys: String, CodingKey {
            case fingerprint, pem, current
            case createdAt = "created_at"
        }
    }

    public init(keys: [Key]) {
        self.keys = keys
    }
}
