import Foundation
import MaxhubTestSupport
import Testing
@testable import MaxhubServer

@Suite("The web assets compiled into the binary", .onTestThreads)
struct WebAssetsTests {
    static let web = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("web")

    @Test func theEmbeddedCopyIsWebAsItIs() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.web.path)
            .filter { $0.hasSuffix(".mustache") || $0.hasSuffix(".css") || $0.hasSuffix(".js") }
        #expect(Set(names) == Set(WebAssets.files.keys), "run `make web` after adding or removing a file in web/")
        for name in names {
            let text = try String(contentsOf: Self.web.appendingPathComponent(name), encoding: .utf8)
            #expect(
                WebAssets.files[name]?.trimmingCharacters(in: .newlines) == text.trimmingCharacters(in: .newlines),
                "run `make web` after editing web/\(name)")
        }
    }

    @Test func everyTemplateParses() {
        for name in WebAssets.files.keys where name.hasSuffix(".mustache") {
            #expect(WebAssets.library.getTemplate(named: String(name.dropLast(".mustache".count))) != nil, "\(name)")
        }
    }
}
