import Foundation
import FuzzSupport
import MaxhubCore

/// An untrusted `maxhub.yaml` (a package folder, an archive's manifest): `Manifest(yaml:)` must either refuse it or
/// give a manifest whose canonical YAML and JSON forms read back as the same manifest (`files:` sorted, in YAML) and are
/// stable.
enum ManifestYAMLFuzz {
    static func test(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        guard let manifest = try? Manifest(yaml: text) else { return }
        let yaml = manifest.canonicalYAML()
        let reread: Manifest
        do {
            reread = try Manifest(yaml: yaml)
        } catch {
            FuzzCheck.expect(false, "the canonical YAML does not read back: \(error)\n\(yaml)", input: text)
            return
        }
        // The canonical form sorts `files:` by path.
        var sorted = manifest
        sorted.files = manifest.files?.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        FuzzCheck.expect(reread == sorted, "the canonical YAML reads back as another manifest:\n\(yaml)", input: text)
        FuzzCheck.expect(reread.canonicalYAML() == yaml, "the canonical YAML is not stable:\n\(yaml)", input: text)
        let json = manifest.canonicalJSON()
        do {
            let fromJSON = try Manifest(json: json)
            FuzzCheck.expect(fromJSON == manifest, "the canonical JSON reads back as another manifest", input: text)
            FuzzCheck.expect(fromJSON.canonicalJSON() == json, "the canonical JSON is not stable", input: text)
        } catch {
            FuzzCheck.expect(false, "the canonical JSON does not read back: \(error)", input: text)
        }
    }
}

@main
struct ManifestYAMLFuzzMain {
    static func main() { FuzzDriver.main("ManifestYAMLFuzz", fuzz) }
}

/// libFuzzer's entry point: one input per call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ManifestYAMLFuzz.test(data.map { Data(bytes: $0, count: size) } ?? Data())
    return 0
}
