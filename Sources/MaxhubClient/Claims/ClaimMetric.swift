import Foundation

/// The metrics `maxhub verify --claims` computes from a model's answers, by the manifest schema's names.
public enum ClaimMetric: String, CaseIterable, Sendable {
    case accuracy, top5Accuracy = "top5_accuracy", balancedAccuracy = "balanced_accuracy"
    case precision, recall, f1, macroF1 = "macro_f1"
    case mae, mse, rmse, r2
    /// Character error rate of text answers: edit distance over reference length, in Unicode scalars, summed over the set.
    case cer
    /// F1 of speech in 10 ms frames, from segments in seconds ("0.500-1.830 2.100-3.000"), summed over the set.
    case frameF1 = "frame_f1"

    /// The length of a frame that `frame_f1` counts, in seconds.
    public static let frameSeconds = 0.01

    /// Whether a larger value is better (a claim holds when the measurement is no lower than claimed, minus the
    /// tolerance); for the error metrics it holds when the measurement is no higher, plus the tolerance.
    public var higherIsBetter: Bool {
        switch self {
        case .mae, .mse, .rmse, .cer: false
        default: true
        }
    }

    public var isRegression: Bool {
        switch self {
        case .mae, .mse, .rmse, .r2: true
        default: false
        }
    }

    /// Classification metrics from each example's ranked predictions (best first) and its true label. Precision, recall
    /// and f1 are macro averages over the classes that occur in the labels or the predictions, like scikit-learn's
    /// `average="macro"`. `cer` and `frame_f1` compare each example's first answer (its text, or its segments) with the
    /// truth as a whole.
    public func score(ranked: [[String]], truth: [String]) -> Double {
        precondition(ranked.count == truth.count && !truth.isEmpty)
        let top = ranked.map { $0.first ?? "" }
        switch self {
        case .accuracy:
            return Double(zip(top, truth).filter { $0 == $1 }.count) / Double(truth.count)
        case .top5Accuracy:
            return Double(zip(ranked, truth).filter { $0.prefix(5).contains($1) }.count) / Double(truth.count)
        case .balancedAccuracy:
            let classes = Set(truth)
            let recalls = classes.map { label -> Double in
                let members = truth.indices.filter { truth[$0] == label }
                return Double(members.filter { top[$0] == label }.count) / Double(members.count)
            }
            return recalls.reduce(0, +) / Double(classes.count)
        case .precision, .recall, .f1, .macroF1:
            let classes = Set(truth).union(top)
            var total = 0.0
            for label in classes {
                let truePositives = Double(truth.indices.filter { truth[$0] == label && top[$0] == label }.count)
                let predicted = Double(top.filter { $0 == label }.count)
                let actual = Double(truth.filter { $0 == label }.count)
                let precision = predicted > 0 ? truePositives / predicted : 0
                let recall = actual > 0 ? truePositives / actual : 0
                switch self {
                case .precision: total += precision
                case .recall: total += recall
                default: total += precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
                }
            }
            return total / Double(classes.count)
        case .cer:
            var distance = 0
            var length = 0
            for (answer, reference) in zip(top, truth) {
                distance += Self.editDistance(Array(answer.unicodeScalars), Array(reference.unicodeScalars))
                length += reference.unicodeScalars.count
            }
            return length > 0 ? Double(distance) / Double(length) : (distance == 0 ? 0 : 1)
        case .frameF1:
            var truePositives = 0
            var wrong = 0
            for (answer, reference) in zip(top, truth) {
                let predicted = Self.frames(Self.spans(answer))
                let actual = Self.frames(Self.spans(reference))
                for index in 0..<max(predicted.count, actual.count) {
                    let said = index < predicted.count && predicted[index]
                    let spoken = index < actual.count && actual[index]
                    if said && spoken { truePositives += 1 } else if said || spoken { wrong += 1 }
                }
            }
            return truePositives + wrong > 0 ? 2 * Double(truePositives) / Double(2 * truePositives + wrong) : 1
        default:
            preconditionFailure("\(rawValue) is a regression metric")
        }
    }

    /// Levenshtein distance: the fewest insertions, deletions and substitutions that turn one sequence into the other.
    static func editDistance<Element: Equatable>(_ a: [Element], _ b: [Element]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for (i, x) in a.enumerated() {
            current[0] = i + 1
            for (j, y) in b.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// "START-END START-END" in seconds as pairs; what does not read as a pair of numbers is left out.
    static func spans(_ text: String) -> [(Double, Double)] {
        text.split(whereSeparator: \.isWhitespace).compactMap { part in
            let bounds = part.split(separator: "-", maxSplits: 1)
            guard bounds.count == 2, let start = Double(bounds[0]), let end = Double(bounds[1]), start.isFinite, end.isFinite,
                start >= 0, end >= start, end < 86_400 else { return nil }
            return (start, end)
        }
    }

    /// Speech per 10 ms frame, up to the last span's end: a frame is speech when its middle lies in a span.
    static func frames(_ spans: [(Double, Double)]) -> [Bool] {
        let count = Int(((spans.map(\.1).max() ?? 0) / frameSeconds).rounded(.up))
        var frames = [Bool](repeating: false, count: count)
        for (start, end) in spans {
            var index = max(0, Int((start / frameSeconds - 0.5).rounded(.up)))
            while index < count, (Double(index) + 0.5) * frameSeconds < end {
                frames[index] = true
                index += 1
            }
        }
        return frames
    }

    /// Regression metrics from predicted and true values.
    public func score(predicted: [Double], truth: [Double]) -> Double {
        precondition(predicted.count == truth.count && !truth.isEmpty)
        let count = Double(truth.count)
        let errors = zip(predicted, truth).map { $0 - $1 }
        switch self {
        case .mae: return errors.map(abs).reduce(0, +) / count
        case .mse: return errors.map { $0 * $0 }.reduce(0, +) / count
        case .rmse: return (errors.map { $0 * $0 }.reduce(0, +) / count).squareRoot()
        case .r2:
            let mean = truth.reduce(0, +) / count
            let total = truth.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
            let residual = errors.map { $0 * $0 }.reduce(0, +)
            return total > 0 ? 1 - residual / total : (residual == 0 ? 1 : 0)
        default:
            preconditionFailure("\(rawValue) is a classification metric")
        }
    }
}
