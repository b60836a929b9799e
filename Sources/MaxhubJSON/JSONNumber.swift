/// A JSON number that remembers whether it was written as an integer (`1`) or a float (`1.0`, `1e3`).
///
/// Comparison and equality are numeric and exact, as in JSON Schema (and Python): `1 == 1.0`,
/// while `9007199254740993 != 9007199254740992.0`. Only the spelling differs between the cases,
/// so serializing keeps `1` as `1` and `1.0` as `1.0`.
public enum JSONNumber: Sendable, CustomStringConvertible {
    /// A number written without a fraction or exponent that fits in 64 bits.
    case integer(Int64)
    /// Any other number.
    case float(Double)

    /// The value as a `Double` (rounded for integers beyond 2^53).
    public var doubleValue: Double {
        switch self {
        case .integer(let value): Double(value)
        case .float(let value): value
        }
    }

    /// The value as an `Int64` when it is a whole number in range (`2.0` gives 2, `2.5` gives nil).
    public var int64Value: Int64? {
        switch self {
        case .integer(let value):
            return value
        case .float(let value):
            guard value.isFinite, value.rounded(.towardZero) == value,
                  value >= -9_223_372_036_854_775_808.0, value < 9_223_372_036_854_775_808.0
            else { return nil }
            return Int64(value)
        }
    }

    /// Whether the value is a whole number (`1` and `1.0`), the meaning of `"type": "integer"`.
    public var isWholeNumber: Bool {
        switch self {
        case .integer: true
        case .float(let value): value.isFinite && value.rounded(.towardZero) == value
        }
    }

    /// `5`, `0.96`, `1e-05`, `5000.0`: integers plainly, floats as Swift (and Python) print them.
    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .float(let value): value.description
        }
    }

    /// Compares two numbers exactly; nil when either is NaN.
    static func compare(_ lhs: JSONNumber, _ rhs: JSONNumber) -> Int? {
        switch (lhs, rhs) {
        case (.integer(let left), .integer(let right)):
            return left < right ? -1 : (left > right ? 1 : 0)
        case (.float(let left), .float(let right)):
            if left.isNaN || right.isNaN { return nil }
            return left < right ? -1 : (left > right ? 1 : 0)
        case (.integer(let left), .float(let right)):
            return compare(left, right)
        case (.float(let left), .integer(let right)):
            return compare(right, left).map { -$0 }
        }
    }

    /// Compares an integer with a double without rounding either.
    private static func compare(_ integer: Int64, _ double: Double) -> Int? {
        if double.isNaN { return nil }
        if double >= 9_223_372_036_854_775_808.0 { return -1 }
        if double < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = double.rounded(.towardZero)
        let truncated = Int64(whole)
        if integer < truncated { return -1 }
        if integer > truncated { return 1 }
        let fraction = double - whole
        return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
    }
}

extension JSONNumber: Hashable {
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        compare(lhs, rhs) == 0
    }

    public func hash(into hasher: inout Hasher) {
        if let whole = int64Value {
            hasher.combine(whole)
        } else {
            hasher.combine(doubleValue)
        }
    }
}

extension JSONNumber: Comparable {
    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        compare(lhs, rhs) == -1
    }
}
