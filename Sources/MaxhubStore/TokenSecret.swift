import Crypto
import Foundation
import MaxhubCore

/// Bearer token secrets: `mxh_` and 43 characters of base64url (32 random bytes). Only their SHA-256 is stored; the
/// secrets are random enough that a plain hash cannot be reversed.
public enum TokenSecret {
    public static let prefix = "mxh_"

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + text
    }

    /// The hex SHA-256 of the secret, as stored.
    public static func hash(of secret: String) -> String {
        Digest.of(Data(secret.utf8)).hex
    }
}
