import Foundation

/// A Sigstore bundle (v0.3) holding one DSSE envelope signed by a bare public key, as the OpenSSF model-signing tool
/// writes and reads it (`model_signing sign key` / `verify key`): `verificationMaterial.publicKey.hint` is the sha256 of
/// the key's PEM, there are no transparency-log entries, and the envelope's one signature is a DER ECDSA signature over
/// the DSSE pre-authentication encoding of the payload.
public struct SignatureBundle: Codable, Sendable, Equatable {
    public static let mediaType = "application/vnd.dev.sigstore.bundle.v0.3+json"
    /// The payload type of an in-toto statement.
    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    public var mediaType: String
    public var verificationMaterial: VerificationMaterial
    public var dsseEnvelope: Envelope

    public struct VerificationMaterial: Codable, Sendable, Equatable {
        public var publicKey: PublicKeyIdentifier
        public var tlogEntries: [JSONNull]
    }

    public struct PublicKeyIdentifier: Codable, Sendable, Equatable {
        /// The sha256 (hex) of the signing key's PEM.
        public var hint: String?
    }

    public struct Envelope: Codable, Sendable, Equatable {
        /// The payload, base64.
        public var payload: String
        public var payloadType: String
        public var signatures: [EnvelopeSignature]
    }

    public struct EnvelopeSignature: Codable, Sendable, Equatable {
        /// The DER signature, base64.
        public var sig: String
        public var keyid: String?
    }

    /// Stands for the entries of a list that this format keeps empty.
    public struct JSONNull: Codable, Sendable, Equatable {}

    /// The DSSE pre-authentication encoding (DSSEv1) that the signature covers.
    public static func preAuthenticationEncoding(payloadType: String, payload: [UInt8]) -> [UInt8] {
        Array("DSSEv1 \(payloadType.utf8.count) \(payloadType) \(payload.count) ".utf8) + payload
    }

    /// Reads a bundle, refusing any other media type, payload type or number of signatures.
    public init(json bytes: some DataProtocol) throws(SignatureError) {
        let decoded: SignatureBundle
        do {
            decoded = try JSONDecoder().decode(SignatureBundle.self, from: Data(bytes))
        } catch {
            throw .malformedBundle("not a bundle: \(error)")
        }
        guard decoded.mediaType == Self.mediaType else {
            throw .malformedBundle("its media type is \(decoded.mediaType), not \(Self.mediaType)")
        }
        guard decoded.dsseEnvelope.payloadType == Self.inTotoPayloadType else {
            throw .malformedBundle("its payload type is \(decoded.dsseEnvelope.payloadType), not \(Self.inTotoPayloadType)")
        }
        guard decoded.dsseEnvelope.signatures.count == 1 else {
            throw .malformedBundle("it carries \(decoded.dsseEnvelope.signatures.count) signatures, not one")
        }
        self = decoded
    }

    init(payload: [UInt8], signature: [UInt8], keyFingerprint: String) {
        mediaType = Self.mediaType
        verificationMaterial = VerificationMaterial(publicKey: PublicKeyIdentifier(hint: keyFingerprint), tlogEntries: [])
        dsseEnvelope = Envelope(
            payload: Data(payload).base64EncodedString(), payloadType: Self.inTotoPayloadType,
            signatures: [EnvelopeSignature(sig: Data(signature).base64EncodedString(), keyid: "")])
    }

    /// The bundle as JSON (keys sorted, so the same bundle gives the same bytes).
    public func json() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain strings and lists cannot fail.
        return Array((try? encoder.encode(self)) ?? Data())
    }

    /// The fingerprint the bundle names its key by, if any.
    public var keyHint: String? { verificationMaterial.publicKey.hint.flatMap { $0.isEmpty ? nil : $0 } }

    /// The payload's bytes, once the signature checked out under one of `keys` (the one the hint names; every one when
    /// the bundle gives no hint). Returns the key that verified it.
    public func verifiedPayload(trusting keys: [HubPublicKey]) throws(SignatureError) -> (payload: [UInt8], key: HubPublicKey) {
        guard let payload = Data(base64Encoded: dsseEnvelope.payload) else { throw .malformedBundle("its payload is not base64") }
        guard let signature = Data(base64Encoded: dsseEnvelope.signatures[0].sig) else {
            throw .malformedBundle("its signature is not base64")
        }
        let candidates: [HubPublicKey]
        if let hint = keyHint {
            candidates = keys.filter { $0.fingerprint == hint.lowercased() }
            guard !candidates.isEmpty else { throw .unknownKey(hint: hint) }
        } else {
            candidates = keys
        }
        let signed = Self.preAuthenticationEncoding(payloadType: dsseEnvelope.payloadType, payload: Array(payload))
        for key in candidates where key.isValidSignature(Array(signature), for: signed) {
            return (Array(payload), key)
        }
        throw .badSignature(fingerprint: candidates.first?.fingerprint ?? "none")
    }
}
