import Foundation

/// A signing key as the catalog keeps it. Keys are never changed or removed: a rotation adds one, and the newest signs.
public struct SigningKeyRecord: Sendable, Equatable {
    public var id: Int64
    /// The sha256 (hex) of `publicKeyPEM`: how signature bundles name the key.
    public var fingerprint: String
    public var publicKeyPEM: String
    /// PKCS#8 PEM.
    public var privateKeyPEM: String
    public var createdAt: Date
    public var createdBy: String

    public init(id: Int64, fingerprint: String, publicKeyPEM: String, privateKeyPEM: String, createdAt: Date, createdBy: String) {
        self.id = id
        self.fingerprint = fingerprint
        self.publicKeyPEM = publicKeyPEM
        self.privateKeyPEM = privateKeyPEM
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// A signing key about to be stored.
public struct NewSigningKey: Sendable, Equatable {
    public var fingerprint: String
    public var publicKeyPEM: String
    public var privateKeyPEM: String
    public var createdBy: String
    public var at: Date

    public init(fingerprint: String, publicKeyPEM: String, privateKeyPEM: String, createdBy: String, at: Date) {
        self.fingerprint = fingerprint
        self.publicKeyPEM = publicKeyPEM
        self.privateKeyPEM = privateKeyPEM
        self.createdBy = createdBy
        self.at = at
    }
}

/// A signature bundle of an approved version: over its files (the OpenSSF model-signing statement) or over its review.
public struct VersionSignature: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case files
        case review
    }

    public var kind: Kind
    /// The fingerprint of the key that made it.
    public var keyFingerprint: String
    /// The Sigstore bundle's JSON.
    public var bundle: [UInt8]

    public init(kind: Kind, keyFingerprint: String, bundle: [UInt8]) {
        self.kind = kind
        self.keyFingerprint = keyFingerprint
        self.bundle = bundle
    }
}
