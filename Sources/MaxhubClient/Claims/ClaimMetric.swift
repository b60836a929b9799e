import Foundation

/// The metrics `maxhub verify --claims` computes from a model's answers, by the manifest schema's names.
public enum ClaimMetric: String, CaseIterable, Sendable {
    case accuracy, top5Accuracy = "top5_accuracy", balancedAccuracy = "balanced_accuracy"
    case precision, recall, f1, macroF1 = "macro_f1"
    case mae, mse, rmse, r2

    /// Whether a larger value is better (a claim holds when the measurement is no lower than claimed, minus the
    /// tolerance); for the error metrics it holds when the measurement is no higher, plus the tolerance.
    public var higherIsBetter: Bool {
        switch self {
        case .mae, .mse, .rmse: false
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
    /// `average="macro"`.
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
        default:
            preconditionFailure("\(rawValue) is a regression metric")
        }
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
