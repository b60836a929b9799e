import Foundation
import FuzzSupport
import MaxhubCore

/// The same text read as a version (`Version(parsing:)`) and as a range (`VersionRange(parsing:)`).
///
/// A version prints back exactly as written and reads back as itself. A range is accepted exactly when
/// `VersionRange.grammarPattern` (the manifest schema's pattern) matches it; its normalized forms, without and with
/// prereleases, read back and admit the same versions as the range, tried on the versions the normalized form names and
/// their neighbours.
enum VersionRangeFuzz {
    /// The longest range `VersionRange(parsing:)` accepts, in characters.
    private static let maximumLength = 256
    /// The most digits a number in a range may have.
    private static let maximumDigits = 15
    private static let grammar = try! NSRegularExpression(pattern: VersionRange.grammarPattern)
    private static let fixedVersions = ["0.0.0", "0.0.1", "0.1.0", "1.0.0-0", "1.0.0-rc.1", "1.0.0", "1.2.3", "2.0.0-0", "2.0.0"]
        .map { Version($0)! }

    static func test(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        checkVersion(text)
        checkRange(text)
    }

    private static func checkVersion(_ text: String) {
        guard let version = try? Version(parsing: text) else { return }
        FuzzCheck.expect(version.description == text, "the version prints as \(version.description)", input: text)
        let reread = try? Version(parsing: version.description)
        FuzzCheck.expect(reread == version && reread?.build == version.build, "the version does not read back", input: text)
        FuzzCheck.expect(!(version < version), "the version precedes itself", input: text)
        FuzzCheck.expect(version.release == version || version.release > version, "a prerelease is above its release", input: text)
    }

    private static func checkRange(_ text: String) {
        let range = try? VersionRange(parsing: text)
        let utf16 = NSRange(text.startIndex..., in: text)
        let matches = grammar.firstMatch(in: text, options: [], range: utf16) != nil
        FuzzCheck.expect(
            matches == (range != nil),
            range == nil ? "grammarPattern matches a range the parser refuses" : "the parser accepts a range grammarPattern refuses",
            input: text)
        guard let range else { return }
        // The normalized form can be longer than the 256 characters a range may have (`1 2||3 4` grows to
        // `>=1.0.0 <2.0.0-0 ...`); it is for display, and the client sends a range as written, so only a normalized form
        // within the limit must read back.
        // Likewise `>999999999999999` normalizes to `>=1000000000000000.0.0`, one digit over the parser's limit.
        let normalized = range.normalized
        guard normalized.utf8.count <= maximumLength, !hasLongNumber(normalized) else { return }
        guard let reread = try? VersionRange(parsing: normalized) else {
            FuzzCheck.expect(false, "the normalized form \(normalized) does not read back", input: text)
            return
        }
        // The normalized form need not be stable as text: as in node-semver, `>=0.0.0+v` prints as `>=0.0.0`, which
        // prints as `*`. What must hold is that it admits the same versions, checked below.
        let withPrerelease = range.normalizedIncludingPrerelease
        let readable = withPrerelease.utf8.count <= maximumLength && !hasLongNumber(withPrerelease)
        let rereadWithPrerelease = readable ? try? VersionRange(parsing: withPrerelease) : nil
        FuzzCheck.expect(
            !readable || rereadWithPrerelease != nil, "the normalized form with prereleases \(withPrerelease) does not read back",
            input: text)
        for version in fixedVersions + versions(namedIn: normalized) {
            FuzzCheck.expect(
                reread.isSatisfied(by: version) == range.isSatisfied(by: version),
                "the normalized form \(normalized) disagrees on \(version)", input: text)
            if let rereadWithPrerelease {
                FuzzCheck.expect(
                    rereadWithPrerelease.isSatisfied(by: version, includePrerelease: true)
                        == range.isSatisfied(by: version, includePrerelease: true),
                    "the normalized form \(withPrerelease) disagrees on \(version) with prereleases included", input: text)
            }
        }
    }

    /// Whether `text` has a number of more digits than a range may have (15).
    private static func hasLongNumber(_ text: String) -> Bool {
        var digits = 0
        for byte in text.utf8 {
            digits = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? digits + 1 : 0
            if digits > maximumDigits { return true }
        }
        return false
    }

    /// The versions of a normalized range's comparators, each with its neighbours: one patch below and above, and
    /// the release of a prerelease.
    private static func versions(namedIn normalized: String) -> [Version] {
        var versions: [Version] = []
        for word in normalized.split(whereSeparator: { $0 == " " || $0 == "|" }) {
            guard let version = Version(String(word.drop { "<>=".contains($0) })) else { continue }
            versions.append(version)
            versions.append(version.release)
            if version.patch > 0, let below = try? Version(major: version.major, minor: version.minor, patch: version.patch - 1) {
                versions.append(below)
            }
            if let above = try? Version(major: version.major, minor: version.minor, patch: version.patch + 1) {
                versions.append(above)
            }
        }
        return versions
    }
}

@main
struct VersionRangeFuzzMain {
    static func main() { FuzzDriver.main("VersionRangeFuzz", fuzz) }
}

/// libFuzzer's entry point: one input per call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    VersionRangeFuzz.test(data.map { Data(bytes: $0, count: size) } ?? Data())
    return 0
}
