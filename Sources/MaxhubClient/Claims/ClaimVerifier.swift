import AsyncHTTPClient
import Foundation
import MaxhubCore
import MaxhubJSON
import NIOCore
import NIOFoundationCompat

/// `maxhub verify --claims`: sends a package's evaluation sets through its running server's standard API, computes
/// each claimed metric and compares it with the claim.
public struct ClaimVerifier: Sendable {
    public var manifest: Manifest
    public var packagePath: String
    /// The server's base URL, `http://127.0.0.1:PORT`.
    public var serverURL: String
    /// The tolerance for every claim, overriding the manifest's (absolute, in the metric's units).
    public var tolerance: Double?
    public static let defaultTolerance = 0.005
    var http: HTTPClient

    public init(manifest: Manifest, packagePath: String, serverURL: String, tolerance: Double?, http: HTTPClient = HubClient.sharedHTTPClient) {
        self.manifest = manifest
        self.packagePath = packagePath
        self.serverURL = serverURL
        self.tolerance = tolerance
        self.http = http
    }

    public struct Outcome: Sendable, Encodable {
        public var metric: String
        public var dataset: String
        public var claimed: Double
        public var measured: Double?
        public var tolerance: Double
        public var examples: Int
        public var holds: Bool
        /// Why the claim could not be checked.
        public var problem: String?
    }

    /// Every claim's outcome, in the manifest's order. A claim that cannot be checked (an unknown metric, an unreadable
    /// evaluation set, a server error) does not hold.
    public func verify() async -> [Outcome] {
        var predictions: [String: Result<Answers, ClaimError>] = [:]
        var outcomes: [Outcome] = []
        for claim in manifest.claims ?? [] {
            let tolerance = tolerance ?? claim.tolerance ?? Self.defaultTolerance
            var outcome = Outcome(
                metric: claim.metric, dataset: claim.dataset, claimed: claim.value, measured: nil, tolerance: tolerance,
                examples: 0, holds: false, problem: nil)
            guard let metric = ClaimMetric(rawValue: claim.metric) else {
                outcome.problem = "maxhub cannot compute \(claim.metric)"
                outcomes.append(outcome)
                continue
            }
            if predictions[claim.dataset] == nil {
                do {
                    predictions[claim.dataset] = .success(try await answers(for: claim.dataset))
                } catch {
                    predictions[claim.dataset] = .failure(error)
                }
            }
            switch predictions[claim.dataset]! {
            case .failure(let error):
                outcome.problem = error.description
            case .success(let answers):
                outcome.examples = answers.truth.count
                do {
                    let measured = try answers.score(metric)
                    outcome.measured = measured
                    outcome.holds = metric.higherIsBetter ? measured >= claim.value - tolerance - 1e-12 : measured <= claim.value + tolerance + 1e-12
                } catch {
                    outcome.problem = error.description
                }
            }
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// The model's answers for one evaluation set: ranked labels (classification) or values, and the truth.
    struct Answers: Sendable {
        var ranked: [[String]]
        var truth: [String]

        func score(_ metric: ClaimMetric) throws(ClaimError) -> Double {
            guard !truth.isEmpty else { throw ClaimError("the evaluation set has no examples") }
            if metric.isRegression {
                let predicted = ranked.compactMap { $0.first.flatMap(Double.init) }
                let actual = truth.compactMap { Double($0) }
                guard predicted.count == truth.count, actual.count == truth.count else {
                    throw ClaimError("\(metric.rawValue) needs numeric labels and predictions")
                }
                return metric.score(predicted: predicted, truth: actual)
            }
            return metric.score(ranked: ranked, truth: truth)
        }
    }

    func answers(for dataset: String) async throws(ClaimError) -> Answers {
        guard !dataset.hasPrefix("/"), !dataset.split(separator: "/").contains("..") else {
            throw ClaimError("\(dataset) is not a path inside the package")
        }
        let set = try EvaluationSet(contentsOf: "\(packagePath)/\(dataset)")
        switch manifest.serving.api {
        case "max":
            var ranked: [[String]] = []
            ranked.reserveCapacity(set.rows.count)
            if let texts = set.column("text") {
                var start = 0
                while start < texts.count {
                    let batch = Array(texts[start..<min(start + 64, texts.count)])
                    ranked += try await predictMAX(texts: batch)
                    start += batch.count
                }
                return Answers(ranked: ranked, truth: set.labels)
            }
            guard let field = ["image", "audio"].first(where: { set.column($0) != nil }), let files = set.column(field) else {
                throw ClaimError("\(dataset) needs an image, audio or text column for a model served with MAX's API")
            }
            for file in files {
                ranked.append(try await predictMAX(file: file, field: field))
            }
            return Answers(ranked: ranked, truth: set.labels)
        case "oip-v2":
            let features = try set.features()
            var ranked: [[String]] = []
            var start = 0
            while start < features.count {
                let batch = Array(features[start..<min(start + 256, features.count)])
                ranked += try await inferV2(batch)
                start += batch.count
            }
            return Answers(ranked: ranked, truth: set.labels)
        default:
            throw ClaimError("maxhub cannot send examples to a server with api \(manifest.serving.api)")
        }
    }

    /// `POST /model/predict?top_k=5` with the file as the multipart field `image` or `audio`: the answer, as
    /// `answer(fromPredictions:)` reads it.
    func predictMAX(file: String, field: String) async throws(ClaimError) -> [String] {
        guard !file.hasPrefix("/"), !file.split(separator: "/").contains("..") else {
            throw ClaimError("\(file) is not a path inside the package")
        }
        guard let bytes = FileManager.default.contents(atPath: "\(packagePath)/\(file)") else {
            throw ClaimError("cannot read \(file)")
        }
        let boundary = "maxhub-\(UUID().uuidString)"
        let filename = (file as NSString).lastPathComponent
        let type = Self.mediaTypes[(filename as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
        let head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\n"
        var body = Data((head + "Content-Type: \(type)\r\n\r\n").utf8)
        body.append(bytes)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        let answer = try await post("/model/predict?top_k=5", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
        guard case .object(let object) = answer, case .array(let predictions)? = object["predictions"] else {
            throw ClaimError("/model/predict did not answer {\"status\": \"ok\", \"predictions\": [...]}")
        }
        return Self.answer(fromPredictions: predictions)
    }

    static let mediaTypes = ["png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "wav": "audio/wav"]

    /// `POST /model/predict?top_k=5` with `{"text": [...]}`: one answer per text, each a list of predictions.
    func predictMAX(texts: [String]) async throws(ClaimError) -> [[String]] {
        let body: Data
        do {
            body = try JSONSerialization.data(withJSONObject: ["text": texts])
        } catch {
            throw ClaimError("cannot encode the predict request: \(error)")
        }
        let answer = try await post("/model/predict?top_k=5", body: body, contentType: "application/json")
        guard case .object(let object) = answer, case .array(let predictions)? = object["predictions"],
            predictions.count == texts.count
        else {
            throw ClaimError("/model/predict did not answer one list of predictions per text")
        }
        return try predictions.map { (item: JSONValue) throws(ClaimError) -> [String] in
            guard case .array(let ranked) = item else {
                throw ClaimError("/model/predict did not answer one list of predictions per text")
            }
            return Self.answer(fromPredictions: ranked)
        }
    }

    /// What MAX's `predictions` say, as the metrics read it:
    /// - classes (`label` or `label_id`): the labels, best first;
    /// - lines of text (`text`, in reading order): one string, the lines joined by a space;
    /// - segments (`start` and `end`, in seconds): one string, "START-END START-END".
    static func answer(fromPredictions predictions: [JSONValue]) -> [String] {
        let fields = predictions.compactMap { prediction -> JSONObject? in
            if case .object(let object) = prediction { return object }
            return nil
        }
        if fields.contains(where: { $0["start"] != nil && $0["end"] != nil }) {
            let spans = fields.compactMap { object -> String? in
                guard case .number(let start)? = object["start"], case .number(let end)? = object["end"] else { return nil }
                return "\(start.doubleValue)-\(end.doubleValue)"
            }
            return [spans.joined(separator: " ")]
        }
        if fields.contains(where: { $0["label"] == nil && $0["label_id"] == nil && $0["text"] != nil }) {
            return [fields.compactMap { $0["text"]?.stringValue }.joined(separator: " ")]
        }
        return fields.compactMap { object -> String? in
            if case .string(let label)? = object["label"] { return label }
            if case .number(let id)? = object["label_id"] { return text(id) }
            return nil
        }
    }

    /// `POST /v2/models/NAME/infer` with a batch of feature rows as the first input (FP32): the `label` output (or the
    /// first output), one value per row.
    func inferV2(_ rows: [[Double]]) async throws(ClaimError) -> [[String]] {
        let width = rows.first?.count ?? 0
        let input = manifest.inputs.first?.name ?? "input"
        let request: [String: Any] = [
            "inputs": [["name": input, "shape": [rows.count, width], "datatype": "FP32", "data": rows.flatMap { $0 }]]
        ]
        let body: Data
        do {
            body = try JSONSerialization.data(withJSONObject: request)
        } catch {
            throw ClaimError("cannot encode the infer request: \(error)")
        }
        let answer = try await post("/v2/models/\(manifest.name.name)/infer", body: body, contentType: "application/json")
        guard case .object(let object) = answer, case .array(let outputs)? = object["outputs"], !outputs.isEmpty else {
            throw ClaimError("the infer answer has no outputs")
        }
        let chosen = outputs.first { output in
            if case .object(let fields) = output, case .string("label")? = fields["name"] { return true }
            return false
        } ?? outputs[0]
        guard case .object(let fields) = chosen, case .array(let data)? = fields["data"], data.count == rows.count else {
            throw ClaimError("the infer answer's output does not hold one value per example")
        }
        return data.map { value in
            switch value {
            case .number(let number): [Self.text(number)]
            case .string(let text): [text]
            default: [""]
            }
        }
    }

    /// A number as a label: `3`, not `3.0`.
    static func text(_ number: JSONNumber) -> String {
        switch number {
        case .integer(let value): String(value)
        case .float(let value): value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
    }

    func post(_ path: String, body: Data, contentType: String) async throws(ClaimError) -> JSONValue {
        var request = HTTPClientRequest(url: serverURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .bytes(ByteBuffer(data: body))
        do {
            let response = try await http.execute(request, timeout: .seconds(60))
            let data = Data(buffer: try await response.body.collect(upTo: 64 << 20))
            guard response.status.code == 200 else {
                throw ClaimError("POST \(path) answered \(response.status.code): \(String(decoding: data.prefix(300), as: UTF8.self))")
            }
            return try JSONValue(json: data)
        } catch let error as ClaimError {
            throw error
        } catch {
            throw ClaimError("POST \(path): \(error)")
        }
    }
}
