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
            guard let images = set.column("image") else {
                throw ClaimError("\(dataset) needs an image column for a model served with MAX's API")
            }
            var ranked: [[String]] = []
            ranked.reserveCapacity(images.count)
            for image in images {
                ranked.append(try await predictMAX(image: image))
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

    /// `POST /model/predict?top_k=5` with the image as the multipart field `image`: the labels, best first.
    func predictMAX(image: String) async throws(ClaimError) -> [String] {
        guard !image.hasPrefix("/"), !image.split(separator: "/").contains("..") else {
            throw ClaimError("\(image) is not a path inside the package")
        }
        guard let bytes = FileManager.default.contents(atPath: "\(packagePath)/\(image)") else {
            throw ClaimError("cannot read \(image)")
        }
        let boundary = "maxhub-\(UUID().uuidString)"
        let filename = (image as NSString).lastPathComponent
        let type = filename.lowercased().hasSuffix(".png") ? "image/png" : "image/jpeg"
        let head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"image\"; filename=\"\(filename)\"\r\n"
        var body = Data((head + "Content-Type: \(type)\r\n\r\n").utf8)
        body.append(bytes)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        let answer = try await post("/model/predict?top_k=5", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
        guard case .object(let object) = answer, case .array(let predictions)? = object["predictions"] else {
            throw ClaimError("/model/predict did not answer {\"status\": \"ok\", \"predictions\": [...]}")
        }
        return predictions.compactMap { prediction -> String? in
            guard case .object(let fields) = prediction else { return nil }
            if case .string(let label)? = fields["label"] { return label }
            if case .number(let id)? = fields["label_id"] { return Self.text(id) }
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
