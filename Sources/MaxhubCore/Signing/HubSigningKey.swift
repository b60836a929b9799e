import Crypto
import Foundation

/// The hub's ECDSA P-256 signing key: it signs the statements of approved versions.
public struct HubSigningKey: Sendable {
    public let privateKey: P256.Signing.PrivateKey
    public let publicKey: HubPublicKey

    /// A new random key.
    public init() {
        self.init(P256.Signing.PrivateKey())
    }

    public init(_ privateKey: P256.Signing.PrivateKey) {
        self.privateKey = privateKey
        publicKey = HubPublicKey(privateKey.publicKey)
    }

    /// Reads a PEM private key (PKCS#8 or SEC1).
    public init(pem: String) throws(SignatureError) {
        do {
            self.init(try P256.Signing.PrivateKey(pemRepresentation: pem))
        } catch {
            throw .unreadableKey("not an ECDSA P-256 private key in PEM form (\(error))")
        }
    }

    /// The private key as PKCS#8 PEM, which OpenSSL and `model_signing sign key --private_key` read.
    public var pem: String { HubPublicKey.pem(der: Array(privateKey.derRepresentation), label: "PRIVATE KEY") }

    /// A bundle of `payload` (an in-toto statement's JSON), signed with this key.
    public func bundle(payload: [UInt8]) throws(SignatureError) -> SignatureBundle {
        let signed = SignatureBundle.preAuthenticationEncoding(payloadType: SignatureBundle.inTotoPayloadType, payload: payload)
        let signature: P256.Signing.ECDSASignature
        do {
            signature = try privateKey.signature(for: signed)
        } catch {
            throw .unreadableKey("signing failed: \(error)")
        }
        return SignatureBundle(payload: payload, signature: Array(signature.derRepresentation), keyFingerprint: publicKey.fingerprint)
    }
}
