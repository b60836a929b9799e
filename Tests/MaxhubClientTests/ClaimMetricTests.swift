import Foundation
import MaxhubClient
import MaxhubTestSupport
import Testing

/// The metrics `verify --claims` computes, against scikit-learn's values for the same inputs
/// (`accuracy_score`, `balanced_accuracy_score`, `precision/recall/f1_score(average="macro", zero_division=0)`,
/// `mean_absolute_error`, `mean_squared_error`, `r2_score`).
@Suite("Claim metrics", .onTestThreads)
struct ClaimMetricTests {
    static let truth = ["a", "a", "b", "b", "c", "c", "c"]
    static let predicted = ["a", "b", "b", "b", "c", "a", "c"]

    @Test("classification metrics equal scikit-learn's", arguments: [
        (ClaimMetric.accuracy, 0.7142857142857143),
        (.balancedAccuracy, 0.7222222222222222),
        (.precision, 0.7222222222222222),
        (.recall, 0.7222222222222222),
        (.f1, 0.7000000000000001),
        (.macroF1, 0.7000000000000001),
    ])
    func classification(metric: ClaimMetric, expected: Double) {
        let score = metric.score(ranked: Self.predicted.map { [$0] }, truth: Self.truth)
        #expect(abs(score - expected) < 1e-12, "\(metric.rawValue): \(score)")
        #expect(metric.higherIsBetter)
    }

    @Test("a class that is only predicted counts in the macro averages, as scikit-learn's labels do")
    func predictedOnlyClass() {
        let ranked = [["a"], ["c"], ["b"]]
        let truth = ["a", "a", "b"]
        #expect(abs(ClaimMetric.precision.score(ranked: ranked, truth: truth) - 0.6666666666666666) < 1e-12)
        #expect(abs(ClaimMetric.recall.score(ranked: ranked, truth: truth) - 0.5) < 1e-12)
        #expect(abs(ClaimMetric.macroF1.score(ranked: ranked, truth: truth) - 0.5555555555555555) < 1e-12)
    }

    @Test("top-5 accuracy looks at the first five answers")
    func topFive() {
        let ranked = [["1", "2", "3", "4", "5", "6"], ["6", "5", "4", "3", "2", "1"], ["9"]]
        #expect(ClaimMetric.top5Accuracy.score(ranked: ranked, truth: ["5", "1", "9"]) == 2.0 / 3.0)
        #expect(ClaimMetric.accuracy.score(ranked: ranked, truth: ["5", "1", "9"]) == 1.0 / 3.0)
    }

    @Test("regression metrics equal scikit-learn's, and errors are lower-is-better", arguments: [
        (ClaimMetric.mae, 0.5), (.mse, 0.375), (.rmse, 0.6123724356957945), (.r2, 0.9486081370449679),
    ])
    func regression(metric: ClaimMetric, expected: Double) {
        let score = metric.score(predicted: [2.5, 0.0, 2.0, 8.0], truth: [3.0, -0.5, 2.0, 7.0])
        #expect(abs(score - expected) < 1e-12, "\(metric.rawValue): \(score)")
        #expect(metric.isRegression)
        #expect(metric.higherIsBetter == (metric == .r2))
    }

    @Test("cer sums edit distances over summed reference lengths, in Unicode scalars; exact lines are accuracy")
    func characterErrorRate() {
        // kitten -> sitting is 3 edits over 7; "café" read as "cafe" is 1 over 4; an empty answer costs its whole line.
        let ranked = [["kitten"], ["cafe"], [""], ["INV-2024-0173"]]
        let truth = ["sitting", "café", "abc", "INV-2024-0173"]
        #expect(abs(ClaimMetric.cer.score(ranked: ranked, truth: truth) - 7.0 / 27.0) < 1e-12)
        #expect(ClaimMetric.accuracy.score(ranked: ranked, truth: truth) == 0.25)
        #expect(!ClaimMetric.cer.higherIsBetter)
        #expect(ClaimMetric.cer.score(ranked: [["same"]], truth: ["same"]) == 0)
    }

    @Test("frame_f1 counts 10 ms frames whose middle lies in a segment, over the whole set")
    func frameF1() {
        // Truth 1.00-2.00 s (100 frames); answer 1.50-2.50 s: 50 frames right, 50 said wrongly, 50 missed.
        #expect(abs(ClaimMetric.frameF1.score(ranked: [["1.5-2.5"]], truth: ["1.000-2.000"]) - 0.5) < 1e-12)
        // Two clips summed: the second is right, 30 frames; a clip with no speech and no answer adds nothing.
        let two = ClaimMetric.frameF1.score(ranked: [["1.5-2.5"], ["0.2-0.5"], [""]], truth: ["1-2", "0.200-0.500", ""])
        #expect(abs(two - 2.0 * 80 / (2 * 80 + 100)) < 1e-12)
        // Speech said where there is none is all wrong; a perfect answer is 1; what is not a segment is left out.
        #expect(ClaimMetric.frameF1.score(ranked: [["0-1"]], truth: [""]) == 0)
        #expect(ClaimMetric.frameF1.score(ranked: [["0.3-0.9 1.2-1.4"]], truth: ["0.3-0.9 1.2-1.4"]) == 1)
        #expect(ClaimMetric.frameF1.score(ranked: [["x-y 2-1 0.3-0.9"]], truth: ["0.3-0.9"]) == 1)
        #expect(ClaimMetric.frameF1.higherIsBetter)
    }
}

@Suite("Evaluation sets", .onTestThreads)
struct EvaluationSetTests {
    @Test("CSV with quoted fields, doubled quotes, CRLF and blank lines")
    func parsing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maxhub-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("set.csv").path
        try "alcohol,\"ash, total\",label\r\n13.7,2.36,0\r\n\r\n\"12.5\",\"1.5\",\"say \"\"two\"\"\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let set = try EvaluationSet(contentsOf: path)
        #expect(set.columns == ["alcohol", "ash, total", "label"])
        #expect(set.labels == ["0", "say \"two\""])
        #expect(try set.features() == [[13.7, 2.36], [12.5, 1.5]])
    }

    @Test("a row of the wrong width, a missing label column and a non-number are errors naming the place")
    func errors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("maxhub-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("set.csv").path
        try "x,label\n1,0\n2\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ClaimError.self) { try EvaluationSet(contentsOf: path) }
        try "x,y\n1,0\n".write(toFile: path, atomically: true, encoding: .utf8)
        let noLabel = #expect(throws: ClaimError.self) { try EvaluationSet(contentsOf: path) }
        #expect(noLabel?.description.hasSuffix("has no label column") == true)
        try "x,label\nseven,0\n".write(toFile: path, atomically: true, encoding: .utf8)
        let word = #expect(throws: ClaimError.self) { try EvaluationSet(contentsOf: path).features() }
        #expect(word?.description == "row 1, column x: \"seven\" is not a number")
    }
}
