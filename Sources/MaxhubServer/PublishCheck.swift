import MaxhubArchive
import MaxhubCore
import MaxhubJSON
import MaxhubStore

/// What the hub checks before it records a version: a valid manifest that names the version in the URL and lists its
/// files, and an archive whose entries are exactly those files, safe, with the declared sizes and digests.
enum PublishCheck {
    static func manifest(from document: JSONValue, name: ModelName, version: Version) throws(HubError) -> Manifest {
        let manifest: Manifest
        do {
            manifest = try Manifest(document: document)
        } catch {
            throw .badRequest(
                "the manifest is invalid", kind: "invalid-manifest",
                errors: error.problems.map { ProblemDetails.Item(path: $0.path, message: $0.message) })
        }
        var problems: [ProblemDetails.Item] = []
        if manifest.name != name {
            problems.append(.init(path: "name", message: "the manifest names \(manifest.name), the URL \(name)"))
        }
        if manifest.version != version || manifest.version.build != version.build {
            problems.append(.init(path: "version", message: "the manifest says \(manifest.version), the URL \(version)"))
        }
        if manifest.files == nil {
            problems.append(.init(path: "files", message: "required to publish; `maxhub pack` writes it"))
        }
        guard problems.isEmpty else {
            throw .badRequest("the manifest does not match the request", kind: "invalid-manifest", errors: problems)
        }
        return manifest
    }

    /// Reads the archive through libarchive (refusing unsafe entries and anything over `limits`) and compares its
    /// entries with `files:`. Returns the model card: the start of the manifest's `readme:` (else of a `README.md` that
    /// `files:` lists), read in the same pass and bounded by `ModelCard.maxBytes`.
    static func archive(at path: String, matches manifest: Manifest, limits: ArchiveLimits) throws(HubError) -> CheckedArchive {
        let entries: [InspectedEntry]
        let readme: [UInt8]?
        do {
            let report = try ArchiveInspector(limits: limits).inspect(
                archiveAt: path, keepingPrefixOf: readmePath(of: manifest) ?? "", maxBytes: ModelCard.maxBytes + 1)
            entries = report.entries
            readme = report.prefix
        } catch {
            let detail = error.description.replacingOccurrences(of: path, with: "the archive")
            throw .badRequest(detail, kind: "invalid-archive")
        }
        try requireMatch(entries, manifest)
        return CheckedArchive(card: readme.map { ModelCard(bytes: $0) }, entries: entries)
    }

    /// What `archive(at:matches:limits:)` finds, from the inspection that ran while the archive was uploaded: nil
    /// when there is none, or when it did not keep the model card the manifest names (the caller then reads the
    /// archive). The card is nil when the package has none.
    static func inspected(_ report: UploadInspections.Report?, matches manifest: Manifest) throws(HubError) -> CheckedArchive? {
        guard let report else { return nil }
        var card: ModelCard?
        if let readme = readmePath(of: manifest) {
            if let prefix = report.prefixes[readme] {
                card = ModelCard(bytes: prefix)
            } else if report.entries.contains(where: { $0.path == readme && $0.kind == .file }) {
                return nil
            }
        }
        try requireMatch(report.entries, manifest)
        return CheckedArchive(card: card, entries: report.entries)
    }

    /// Throws archive-mismatch unless the entries are exactly the manifest's `files:`.
    private static func requireMatch(_ entries: [InspectedEntry], _ manifest: Manifest) throws(HubError) {
        let mismatches = PackageVerifier.verify(entries: entries, against: manifest)
        guard mismatches.isEmpty else {
            throw .badRequest(
                "the archive does not match the manifest's files:", kind: "archive-mismatch",
                errors: mismatches.map { ProblemDetails.Item(path: $0.path, message: $0.problem) })
        }
    }

    /// An archive found to match its manifest, and its model card if it has one.
    struct CheckedArchive {
        var card: ModelCard?
        /// The sha256 of the archive's `maxhub.yaml` entry, if it has one.
        var manifestFile: Digest?

        init(card: ModelCard?, entries: [InspectedEntry]) {
            self.card = card
            manifestFile = entries.first { $0.path == Manifest.fileName && $0.kind == .file }?.digest
        }
    }

    /// The package's model card file: `readme:`, else a `README.md` at the root.
    static func readmePath(of manifest: Manifest) -> String? {
        if let readme = manifest.readme { return readme }
        return manifest.files?.contains { $0.path == "README.md" } == true ? "README.md" : nil
    }
}
