import Crypto
import Foundation

/// A hub's ECDSA P-256 public key: what verifies its signatures, pinned by clients.
///
/// Its PEM is written the way OpenSSL and Python's `cryptography` write a SubjectPublicKeyInfo (64-column base64 lines
/// and a trailing newline), because the model-signing format names a key by the sha256 of exactly those bytes.
public struct HubPublicKey: Sendable, Hashable {
    public let key: P256.Signing.PublicKey
    /// The PEM, as described above.
    public let pem: String
    /// The sha256 (hex) of `pem`: the bundle's key hint.
    public let fingerprint: String

    public init(_ key: P256.Signing.PublicKey) {
        self.key = key
        pem = Self.pem(der: Array(key.derRepresentation), label: "PUBLIC KEY")
        fingerprint = Digest.of(Array(pem.utf8)).hex
    }

    /// Reads a PEM public key. Throws for anything but an ECDSA P-256 key.
    public init(pem text: String) throws(SignatureError) {
        do {
            self.init(try P256.Signing.PublicKey(pemRepresentation: text))
        } catch {
            throw .unreadableKey("not an ECDSA P-256 public key in PEM form (\(error))")
        }
    }

    public func isValidSignature(_ der: [UInt8], for message: [UInt8]) -> Bool {
        guard let signature = try? P256.Signing.ECDSASignature(derRepresentation: der) else { return false }
        return key.isValidSignature(signature, for: message)
    }

    /// A shorter form of the fingerprint for people: its first 16 hex digits in groups of four.
    public var shortFingerprint: String {
        let head = Array(fingerprint.prefix(16))
        return stride(from: 0, to: head.count, by: 4).map { String(head[$0..<min($0 + 4, head.count)]) }.joined(separator: ":")
    }

    public static func == (lhs: HubPublicKey, rhs: HubPublicKey) -> Bool { lhs.fingerprint == rhs.fingerprint }
    public func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }

    static func pem(der: [UInt8], label: String) -> String {
        let base64 = Array(Data(der).base64EncodedString())
        var text = "-----BEGIN \(label)-----\n"
        for start in stride(from: 0, to: base64.count, by: 64) {
            text += String(base64[start..<min(start + 64, base64.count)]) + "\n"
        }
        return text + "-----END \(label)-----\n"
    }
}
