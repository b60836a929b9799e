import Foundation
import MaxhubCore
import MaxhubJSON

/// The `/docs` page: `schemas/openapi.yaml` (as compiled in) read once and laid out as text, operation by operation.
/// Descriptions are Markdown, rendered like a model card.
struct APIDocsView {
    struct Operation {
        var anchor: String
        var method: String
        var path: String
        var summary: String
        var descriptionHTML: String?
        var hasParameters: Bool
        var parameters: [Parameter]
        var requestBody: String?
        var responses: [ResponseRow]
    }

    struct Parameter {
        var name: String
        var location: String
        var required: String
        var description: String
    }

    struct ResponseRow {
        var status: String
        var description: String
    }

    var chrome: PageChrome?
    var apiTitle: String
    var apiVersion: String
    var openapi: String
    var introHTML: String
    var operations: [Operation]

    static let shared: APIDocsView = {
        let document = (try? JSONValue(yaml: OpenAPIDocument.text)) ?? .null
        return APIDocsView(document: document)
    }()

    init(document: JSONValue) {
        apiTitle = document["info"]?["title"]?.stringValue ?? "maxhub"
        apiVersion = document["info"]?["version"]?.stringValue ?? ""
        openapi = document["openapi"]?.stringValue ?? ""
        introHTML = SafeMarkdown.html(from: document["info"]?["description"]?.stringValue ?? "")

        func resolve(_ value: JSONValue) -> JSONValue {
            guard let reference = value["$ref"]?.stringValue, reference.hasPrefix("#/") else { return value }
            var target: JSONValue? = document
            for part in reference.dropFirst(2).split(separator: "/") { target = target?[String(part)] }
            return target ?? value
        }
        var operations: [Operation] = []
        for (path, item) in document["paths"]?.objectValue ?? JSONObject() {
            let shared = item["parameters"]?.arrayValue ?? []
            for method in ["get", "head", "post", "put", "patch", "delete"] {
                guard let operation = item[method] else { continue }
                let parameters = (shared + (operation["parameters"]?.arrayValue ?? [])).map(resolve).map { parameter in
                    Parameter(
                        name: parameter["name"]?.stringValue ?? "", location: parameter["in"]?.stringValue ?? "",
                        required: parameter["required"]?.boolValue == true ? "yes" : "no",
                        description: (parameter["description"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
                }
                let body = operation["requestBody"].map(resolve)
                let bodyTypes = body?["content"]?.objectValue?.keys.joined(separator: ", ")
                let responses = (operation["responses"]?.objectValue ?? JSONObject()).map { status, response in
                    ResponseRow(
                        status: status,
                        description: (resolve(response)["description"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
                }
                let description = operation["description"]?.stringValue
                operations.append(
                    Operation(
                        anchor: operation["operationId"]?.stringValue ?? "\(method)-\(path)".filter { $0.isLetter || $0.isNumber || $0 == "-" },
                        method: method.uppercased(), path: path, summary: operation["summary"]?.stringValue ?? "",
                        descriptionHTML: description.map { SafeMarkdown.html(from: $0) }, hasParameters: !parameters.isEmpty,
                        parameters: parameters,
                        requestBody: bodyTypes.map { types in
                            let text = body?["description"]?.stringValue.map { " " + $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
                            return "\(types).\(text)"
                        },
                        responses: responses))
            }
        }
        self.operations = operations
    }
}
