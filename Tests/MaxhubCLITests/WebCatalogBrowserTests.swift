import Foundation
import MaxhubTestSupport
import Testing

/// The web catalog in a real browser: `maxhub serve` with packages published and reviewed through the CLI, driven by
/// `scripts/web-tests.py` (selenium, Debian's headless chromium and chromedriver), which checks every page it opens
/// with axe-core. Screenshots of the home, a model page and the review page at desktop and phone widths go to
/// `.build/screenshots` (or `MAXHUB_SCREENSHOTS`).
@Suite("The web catalog in headless Chromium", .onTestThreads)
struct WebCatalogBrowserTests {
    static var screenshots: String {
        if let configured = ProcessInfo.processInfo.environment["MAXHUB_SCREENSHOTS"], !configured.isEmpty { return configured }
        return CLIHarness.root.appendingPathComponent(".build/screenshots").path
    }

    /// A package folder: a manifest, its files, a README.
    static func writePackage(_ name: String, manifest: String, readme: String, files: [String: String], in harness: CLIHarness) throws -> String {
        let folder = harness.url("packages/\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try manifest.write(to: folder.appendingPathComponent("maxhub.yaml"), atomically: true, encoding: .utf8)
        try readme.write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        for (path, contents) in files {
            let target = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: target, atomically: true, encoding: .utf8)
        }
        return folder.path
    }

    static func digits(_ version: String) -> String {
        """
        name: digits-classifier
        version: \(version)
        task: image-classification
        description: Handwritten digit classifier (8x8 grayscale).
        license: {code: Apache-2.0, weights: Apache-2.0, data: CC-BY-4.0}
        authors: [Ada Example]
        source: {url: "https://example.org/digits"}
        framework: {name: onnxruntime, version: ">=1.16 <2"}
        inputs:
          - name: image
            type: image
            shape: [1, 64]
            element_type: float32
            processing:
              - decode: {color_layout: GRAY}
              - resize: {dimensions: [8, 8]}
              - normalize: {mean: [0], stddev: [16]}
        outputs:
          - {name: probabilities, type: probability, labels: labels.txt}
        claims:
          - {metric: accuracy, value: 0.96, dataset: eval/digits-test.csv}
        serving: {api: max, port: 5000, health: /model/metadata, command: [python3, serve.py]}
        readme: README.md
        """
    }

    static func simple(_ name: String, task: String, framework: String, licenses: String, description: String) -> String {
        """
        name: \(name)
        version: 1.0.0
        task: \(task)
        description: \(description)
        license: {\(licenses)}
        framework: {name: \(framework)}
        inputs: [{name: x, type: tensor}]
        outputs: [{name: y, type: tensor}]
        serving: {api: max, port: 5000, command: [python3, serve.py]}
        readme: README.md
        """
    }

    @Test(.timeLimit(.minutes(10)))
    func searchReadReviewAndApproveInABrowser() throws {
        let harness = try CLIHarness()
        defer { harness.cleanUp() }
        let hub = try RunningHub(dataFolder: harness.url("hub").path)
        defer { hub.stop() }
        let admin = try #require(hub.printedAdminToken)
        func token(_ user: String, _ role: String) throws -> String {
            let result = try harness.run("token", "create", "--user", user, "--role", role, "--url", hub.url, "--token", admin)
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout.trimmingCharacters(in: .newlines)
        }
        let curator = try token("carl", "curator")
        let reviewer = try token("rita", "reviewer")
        func publish(_ folder: String, approve: Bool) throws {
            let published = try harness.run("publish", folder, "--url", hub.url, "--token", curator)
            #expect(published.status == 0, "\(published.stderr)")
            guard approve, let reference = published.lines.first else { return }
            let approved = try harness.run("review", "approve", reference, "--url", hub.url, "--token", admin)
            #expect(approved.status == 0, "\(approved.stderr)")
        }

        let digitsFiles = [
            "model.onnx": String(repeating: "w", count: 4096), "serve.py": "print('serving')\n",
            "labels.txt": (0...9).map(String.init).joined(separator: "\n") + "\n", "eval/digits-test.csv": "label,pixels\n0,0\n",
        ]
        let digitsReadme = """
            # Digits classifier

            Handwritten digits, 8×8 grayscale, from the UCI data set. **96 % accuracy** on the held-out split.

            ## Use

            ```sh
            maxhub run digits-classifier
            curl -F image=@seven.png http://127.0.0.1:5000/model/predict
            ```

            | class | precision |
            | --- | --- |
            | 0 | 0.99 |

            See [the paper](https://example.org/paper) for details.
            """
        for version in ["1.0.0", "1.1.0"] {
            try publish(
                try Self.writePackage(
                    "digits", manifest: Self.digits(version), readme: digitsReadme, files: digitsFiles.merging(["VERSION": version]) { $1 },
                    in: harness),
                approve: true)
        }
        try publish(
            try Self.writePackage(
                "sentiment",
                manifest: Self.simple(
                    "sentiment-analyzer", task: "text-classification", framework: "pytorch",
                    licenses: "code: MIT, weights: MIT, data: CC0-1.0", description: "Sentiment of English product reviews."),
                readme: "# Sentiment analyzer\n\nPositive or negative, for short English texts.\n", files: ["model.pt": "weights"], in: harness),
            approve: true)
        try publish(
            try Self.writePackage(
                "hostile",
                manifest: Self.simple(
                    "hostile-readme", task: "image-classification", framework: "onnxruntime",
                    licenses: "code: MIT, weights: MIT, data: CC-BY-4.0", description: "A package whose README attacks its readers."),
                readme: """
                    # Hostile README

                    <script>window.__pwned = 1</script>

                    An image: <img src=x onerror="window.__pwned = 2"> and a [link](javascript:window.__pwned=3) and
                    [another](JaVaScRiPt&#58;window.__pwned=4).
                    """,
                files: ["model.onnx": "weights"], in: harness),
            approve: true)
        try publish(
            try Self.writePackage(
                "wine",
                manifest: Self.simple(
                    "wine-quality", task: "tabular-regression", framework: "onnxruntime",
                    licenses: "code: Apache-2.0, weights: CC-BY-4.0, data: CC-BY-4.0", description: "Wine quality from its chemistry."),
                readme: "# Wine quality\n\nA score from 0 to 10 from eleven measurements.\n", files: ["model.onnx": "weights"], in: harness),
            approve: false)

        try? FileManager.default.removeItem(atPath: Self.screenshots)
        let script = CLIHarness.root.appendingPathComponent("scripts/web-tests.py").path
        let (status, output) = try OpenAPIConformanceTests.run(try OpenAPIConformanceTests.python(), [script, hub.url, reviewer, Self.screenshots])
        #expect(status == 0, "scripts/web-tests.py reported problems:\n\(output.suffix(8000))")
        #expect(output.contains(" passed, 0 failed"), "\(output.suffix(2000))")
        // Each kind of page went through axe-core and showed no accessibility violation.
        for page in ["/", "/?q=digit", "/models/digits-classifier", "/login?next=/review", "/review", "/review/wine-quality/1.0.0", "/docs"] {
            #expect(output.contains("ok: axe finds no accessibility violation on \(page) ("), "axe on \(page)")
        }
        for page in ["home", "model", "review"] {
            for width in ["desktop", "phone"] {
                #expect(FileManager.default.fileExists(atPath: "\(Self.screenshots)/\(page)-\(width).png"), "\(page)-\(width).png")
            }
        }
        // What the browser did went through the real workflow: the approval is rita's, in the audit log.
        let audit = try harness.run("audit", "--subject", "wine-quality", "--json", "--url", hub.url, "--token", admin)
        #expect(audit.stdout.contains("rita"), "\(audit.stdout)")
    }
}
