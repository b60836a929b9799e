import Crypto
import Foundation

/// A content address: `sha256:` followed by 64 lowercase hex digits.
///
/// Every blob the hub stores and every file a package lists is named by one.
public struct Digest: Hashable, Sendable, StringCodable, CustomStringConvertible, Comparable {
    /// The 64 lowercase hex digits of the SHA-256 value.
    public let hex: String

    /// The algorithm prefix of every digest maxhub writes.
    public static let algorithm = "sha256"

    /// Makes a digest from 64 hex digits (upper case is folded to lower case).
    public static func sha256(hex: String) throws(DigestError) -> Digest {
        let lowered = hex.lowercased()
        guard lowered.utf8.count == 64, lowered.utf8.allSatisfy(Self.isHexDigit) else {
            throw .malformedHex(hex)
        }
        return Digest(uncheckedHex: lowered)
    }

    /// Parses `sha256:<64 lowercase hex>`.
    public init(parsing text: String) throws(DigestError) {
        guard text.hasPrefix("\(Self.algorithm):") else {
            if let colon = text.firstIndex(of: ":") {
                throw .unsupportedAlgorithm(String(text[..<colon]))
            }
            throw .missingAlgorithm(text)
        }
        let hex = text.dropFirst(Self.algorithm.count + 1)
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ Self.isHexDigit($0) && !($0 >= 0x41 && $0 <= 0x46) }) else {
            throw .malformedHex(String(hex))
        }
        self.init(uncheckedHex: String(hex))
    }

    init(uncheckedHex: String) {
        self.hex = uncheckedHex
    }

    /// Makes a digest from the 32 bytes of a finished SHA-256.
    public init(_ hash: SHA256.Digest) {
        self.init(uncheckedHex: hash.map { Self.hexByte($0) }.joined())
    }

    /// `sha256:<hex>`.
    public var description: String { "\(Self.algorithm):\(hex)" }

    /// The digest of a byte string held in memory (for small data such as manifests).
    public static func of<D: DataProtocol>(_ data: D) -> Digest {
        Digest(SHA256.hash(data: data))
    }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.hex < rhs.hex }

    public init(codingText: String) throws { try self.init(parsing: codingText) }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func hexByte(_ byte: UInt8) -> String {
        String(decoding: [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0f)]], as: UTF8.self)
    }
}
