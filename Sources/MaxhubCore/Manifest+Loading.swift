import Foundation
import MaxhubJSON

extension Manifest {
    /// The file name of the manifest at the root of a package.
    public static let fileName = "maxhub.yaml"

    /// Reads a manifest from YAML (JSON is YAML too), checking it against the schema first.
    public init(yaml text: String) throws(ManifestError) {
        let document: JSONValue
        do {
            document = try JSONValue(yaml: text)
        } catch {
            throw .unreadable("\(error)")
        }
        try self.init(document: document)
    }

    /// Reads a manifest from JSON bytes, checking it against the schema first.
    public init(json data: Data) throws(ManifestError) {
        let document: JSONValue
        do {
            document = try JSONValue(json: data)
        } catch {
            throw .unreadable("\(error)")
        }
        try self.init(document: document)
    }

    /// Reads a manifest from a parsed document: every schema violation is reported at once, then the
    /// rules the schema cannot express (unique file paths, referenced files that are listed).
    public init(document: JSONValue) throws(ManifestError) {
        let violations = ManifestSchema.violations(in: document)
        guard violations.isEmpty else {
            throw .invalid(violations.map { ManifestProblem(path: $0.path, message: $0.message) })
        }
        do {
            self = try document.decode(Manifest.self)
        } catch {
            throw .invalid([ManifestProblem(path: "(root)", message: "\(error)")])
        }
        let problems = consistencyProblems()
        guard problems.isEmpty else { throw .invalid(problems) }
    }

    /// Reads `maxhub.yaml` from a package folder.
    public init(contentsOfPackage folder: URL) throws(ManifestError) {
        let url = folder.appendingPathComponent(Self.fileName)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .missing(url.path)
        }
        try self.init(yaml: text)
    }

    /// The checks the schema cannot express: file paths are unique, and every file the manifest
    /// mentions (readme, labels, claim data sets, vocabularies) is in `files:` when that list is present.
    public func consistencyProblems() -> [ManifestProblem] {
        var problems: [ManifestProblem] = []
        guard let files else { return problems }
        var seen: [String: Int] = [:]
        for (index, file) in files.enumerated() {
            if let first = seen[file.path] {
                problems.append(ManifestProblem(path: "files[\(index)].path", message: "duplicate of files[\(first)]: \"\(file.path)\""))
            } else {
                seen[file.path] = index
            }
        }
        for reference in referencedFiles where seen[reference.file] == nil {
            problems.append(ManifestProblem(path: reference.path, message: "\"\(reference.file)\" is not in files:"))
        }
        return problems
    }

    /// The package files the manifest refers to, each with the path of the field that names it.
    public var referencedFiles: [(path: String, file: String)] {
        var references: [(path: String, file: String)] = []
        if let readme { references.append(("readme", readme)) }
        for (index, output) in outputs.enumerated() {
            if let labels = output.labels { references.append(("outputs[\(index)].labels", labels)) }
        }
        for (index, claim) in (claims ?? []).enumerated() {
            references.append(("claims[\(index)].dataset", claim.dataset))
        }
        let pipelines = inputs.enumerated().map { ("inputs[\($0)]", $1.processing ?? []) }
            + outputs.enumerated().map { ("outputs[\($0)]", $1.processing ?? []) }
        for (port, steps) in pipelines {
            for (stepIndex, step) in steps.enumerated() {
                for (option, file) in step.referencedFiles {
                    references.append(("\(port).processing[\(stepIndex)].\(step.name).\(option)", file))
                }
            }
        }
        return references
    }

    /// The canonical YAML form: fixed key order, no comments, `files:` sorted. The same manifest always
    /// gives the same bytes, which is what a reproducible archive needs.
    public func canonicalYAML() -> String {
        var copy = self
        copy.files = files?.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        do {
            return try CanonicalYAMLEncoder().encode(copy)
        } catch {
            fatalError("a manifest always encodes to YAML: \(error)")
        }
    }

    /// The canonical JSON form: sorted keys, no insignificant whitespace.
    public func canonicalJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(self)
        } catch {
            fatalError("a manifest always encodes to JSON: \(error)")
        }
    }

    /// `name@version`, as a `PackageReference` spells it.
    public var reference: String { PackageReference(name: name, version: version).description }
}
