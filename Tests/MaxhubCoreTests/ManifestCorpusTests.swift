import Foundation
import MaxhubJSON
import MaxhubTestSupport
import Testing
@testable import MaxhubCore

/// The manifest corpus, validated by the Swift validator and by Python's jsonschema, which must agree.
@Suite(.onTestThreads) struct ManifestCorpusTests {
    struct Fixture: CustomTestStringConvertible, Sendable {
        /// `valid`, `invalid` or `inconsistent` (schema-valid, but breaking a rule the schema cannot express).
        var group: String
        var url: URL
        var testDescription: String { "\(group)/\(url.lastPathComponent)" }

        var text: String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

        /// The problem paths an invalid fixture declares with `# expect: PATH` lines.
        var expectedPaths: [String] {
            text.split(separator: "\n").compactMap { line in
                line.hasPrefix("# expect: ") ? String(line.dropFirst("# expect: ".count)) : nil
            }
        }

        func document() throws -> JSONValue {
            url.pathExtension == "json" ? try JSONValue(json: Data(contentsOf: url)) : try JSONValue(yaml: text)
        }
    }

    static let fixtures: [Fixture] = {
        guard let root = Bundle.module.url(forResource: "Fixtures/manifests", withExtension: nil) else { return [] }
        return ["valid", "invalid", "inconsistent"].flatMap { group in
            let folder = root.appendingPathComponent(group)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.sorted().map { Fixture(group: group, url: folder.appendingPathComponent($0)) }
        }
    }()

    @Test func corpusIsLargeEnough() {
        #expect(Self.fixtures.filter { $0.group == "valid" }.count >= 15)
        #expect(Self.fixtures.filter { $0.group == "invalid" }.count >= 30)
    }

    @Test(arguments: fixtures)
    func swiftValidatorGivesTheExpectedVerdict(_ fixture: Fixture) throws {
        let violations = ManifestSchema.violations(in: try fixture.document())
        if fixture.group == "invalid" {
            #expect(!violations.isEmpty, "expected problems, got none")
            let expected = fixture.expectedPaths
            if !expected.isEmpty {
                #expect(violations.map(\.path) == expected, "\(violations.map(\.description))")
            }
        } else {
            #expect(violations.isEmpty, "\(violations.map(\.description))")
        }
    }

    @Test(arguments: fixtures.filter { $0.group != "invalid" })
    func schemaValidManifestsLoadAndRoundTripCanonically(_ fixture: Fixture) throws {
        let document = try fixture.document()
        if fixture.group == "inconsistent" {
            #expect(throws: ManifestError.self) { try Manifest(document: document) }
            do {
                _ = try Manifest(document: document)
            } catch {
                #expect(error.problems.map(\.path) == fixture.expectedPaths)
            }
            return
        }
        let manifest = try Manifest(document: document)
        let canonical = manifest.canonicalYAML()
        let reread = try Manifest(yaml: canonical)
        #expect(reread == manifest)
        #expect(reread.canonicalYAML() == canonical, "canonical YAML is a fixed point")
        let fromJSON = try Manifest(json: manifest.canonicalJSON())
        #expect(fromJSON == manifest)
    }

    /// Runs `scripts/check-manifests.py` (Python's jsonschema, Draft 2020-12) over the whole corpus with
    /// `schemas/manifest.schema.json` and asserts that it reaches the same verdict as Swift on every file.
    @Test func pythonJSONSchemaAgreesWithSwiftOnEveryFixture() throws {
        let python = try RepositoryLayout.python()
        let schemaPath = RepositoryLayout.root.appendingPathComponent("schemas/manifest.schema.json").path
        let script = RepositoryLayout.root.appendingPathComponent("scripts/check-manifests.py").path
        let output = try RepositoryLayout.run(python, [script, schemaPath] + Self.fixtures.map(\.url.path))
        let verdicts = try JSONDecoder().decode([String: PythonVerdict].self, from: output)
        #expect(verdicts.count == Self.fixtures.count)
        for fixture in Self.fixtures {
            let swiftValid = ManifestSchema.violations(in: try fixture.document()).isEmpty
            let pythonVerdict = try #require(verdicts[fixture.url.path], "no verdict for \(fixture.testDescription)")
            #expect(pythonVerdict.valid == swiftValid, "\(fixture.testDescription): python says \(pythonVerdict.problems)")
            #expect(pythonVerdict.valid == (fixture.group != "invalid"), "\(fixture.testDescription)")
        }
    }

    struct PythonVerdict: Decodable {
        var valid: Bool
        var problems: [String]
    }

    @Test func embeddedSchemaIsTheRepositorySchema() throws {
        let file = RepositoryLayout.root.appendingPathComponent("schemas/manifest.schema.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(ManifestSchema.text == text.trimmingCharacters(in: .newlines), "run `make schema` after editing the schema")
    }

    @Test func frameworkVersionPatternIsTheRangeGrammar() throws {
        let pattern = ManifestSchema.schema.document["$defs"]?["framework"]?["properties"]?["version"]?["pattern"]
            ?? ManifestSchema.schema.document["properties"]?["framework"]?["properties"]?["version"]?["pattern"]
        #expect(pattern?.stringValue == VersionRange.grammarPattern, "copy VersionRange.grammarPattern into the schema")
    }

    @Test func everyProblemIsReportedNotJustTheFirst() throws {
        let fixture = try #require(Self.fixtures.first { $0.url.lastPathComponent == "many-problems.yaml" })
        let document = try fixture.document()
        do {
            _ = try Manifest(document: document)
            Issue.record("an invalid manifest loaded")
        } catch {
            #expect(error.problems.count == 5)
            #expect(error.description.contains("inputs[0].shape: expected array"))
        }
    }
}

@Suite(.onTestThreads) struct ManifestFilesSectionTests {
    static let base = """
        # a comment that must survive
        name: demo   # trailing comment
        version: 1.0.0
        task: other
        description: Demo.
        license: {code: MIT, weights: MIT, data: MIT}
        inputs: [{name: x, type: tensor}]
        outputs: [{name: y, type: tensor}]
        serving: {api: max, port: 5000, command: [python3, serve.py]}

        """

    @Test func appendsReplacesAndKeepsComments() throws {
        var manifest = try Manifest(yaml: Self.base)
        manifest.files = [
            Manifest.File(path: "weights/model.onnx", size: 10, sha256: String(repeating: "ab", count: 32)),
            Manifest.File(path: "123", size: 1, sha256: String(repeating: "1", count: 63) + "e"),
            Manifest.File(path: "true", size: 2, sha256: String(repeating: "0", count: 64)),
            Manifest.File(path: "a b: #c", size: 3, sha256: String(repeating: "9", count: 64)),
        ]
        let once = manifest.replacingFilesSection(in: Self.base)
        #expect(once.hasPrefix("# a comment that must survive\nname: demo   # trailing comment\n"))
        #expect(try Manifest(yaml: once) == manifest, "numbers, booleans and odd paths read back as strings")
        manifest.files?.removeLast(3)
        let twice = manifest.replacingFilesSection(in: once)
        #expect(try Manifest(yaml: twice) == manifest)
        #expect(twice.components(separatedBy: "files:").count == 2, "one files: block")
    }
}
