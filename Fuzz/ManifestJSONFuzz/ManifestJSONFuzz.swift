import Foundation
import FuzzSupport
import MaxhubCore
import MaxhubJSON

/// A publish body's manifest, read as the hub reads it: the input is the manifest's JSON, put into a
/// `PublishRequest` body, decoded with `HubJSON.decoder()` and checked by `Manifest(document:)`. The same bytes read
/// with MaxhubJSON's own parser (`Manifest(json:)`, what the CLI uses) must give the same manifest when both accept
/// them, and an accepted manifest's canonical JSON must read back as itself.
enum ManifestJSONFuzz {
    private static let prefix = Data(#"{"manifest": "#.utf8)
    private static let suffix = Data(#", "archive": {"digest": "sha256:\#(String(repeating: "0", count: 64))", "size": 1}}"#.utf8)

    static func test(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        let hubManifest = (try? HubJSON.decoder().decode(PublishRequest.self, from: prefix + data + suffix))
            .flatMap { try? Manifest(document: $0.manifest) }
        let ownManifest = try? Manifest(json: data)
        if let hubManifest, let ownManifest {
            FuzzCheck.expect(hubManifest == ownManifest, "the hub's decoder and MaxhubJSON read different manifests", input: text)
        }
        for manifest in [hubManifest, ownManifest].compactMap({ $0 }) {
            let json = manifest.canonicalJSON()
            do {
                let reread = try Manifest(json: json)
                FuzzCheck.expect(reread == manifest, "the canonical JSON reads back as another manifest", input: text)
                FuzzCheck.expect(reread.canonicalJSON() == json, "the canonical JSON is not stable", input: text)
            } catch {
                FuzzCheck.expect(false, "the canonical JSON does not read back: \(error)", input: text)
            }
        }
    }
}

@main
struct ManifestJSONFuzzMain {
    static func main() { FuzzDriver.main("ManifestJSONFuzz", fuzz) }
}

/// libFuzzer's entry point: one input per call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ManifestJSONFuzz.test(data.map { Data(bytes: $0, count: size) } ?? Data())
    return 0
}
