import Foundation
import MaxhubJSON

/// The manifest's JSON Schema, compiled into the binary from `schemas/manifest.schema.json`.
public enum ManifestSchema {
    /// The loaded schema. The text is part of the build and a test loads it, so failing here is a build defect.
    public static let schema: JSONSchema = {
        do {
            return try JSONSchema(JSONValue(json: Data(text.utf8)))
        } catch {
            fatalError("the embedded manifest schema does not load: \(error)")
        }
    }()

    /// Every way `document` breaks the schema, in document order; empty when it is valid.
    public static func violations(in document: JSONValue) -> [SchemaViolation] {
        schema.validate(document)
    }
}
