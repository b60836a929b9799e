/// A violation while it is being collected: its location as components, and the types a `type` keyword wanted.
struct SchemaProblem {
    var location: [JSONPath.Component]
    var message: String
    var keyword: String
    var schemaLocation: String
    var expectedTypes: [String] = []

    var violation: SchemaViolation {
        SchemaViolation(location: JSONPath(location), message: message, keyword: keyword, schemaLocation: schemaLocation)
    }

    /// Sorts problems by where they are in the instance (members in the order written, missing members last,
    /// a value before what is inside it), keeping the evaluation order among equals, and drops repeats.
    static func ordered(_ problems: [SchemaProblem], in instance: JSONValue) -> [SchemaViolation] {
        let keyed = problems.enumerated().map { offset, problem in
            (key: orderKey(problem.location, in: instance), offset: offset, problem: problem)
        }
        let sorted = keyed.sorted { lhs, rhs in
            if lhs.key != rhs.key {
                return lhs.key.lexicographicallyPrecedes(rhs.key)
            }
            return lhs.offset < rhs.offset
        }
        var seen = Set<String>()
        var result: [SchemaViolation] = []
        for entry in sorted {
            let violation = entry.problem.violation
            if seen.insert(violation.description).inserted {
                result.append(violation)
            }
        }
        return result
    }

    private static func orderKey(_ location: [JSONPath.Component], in instance: JSONValue) -> [Int] {
        var key: [Int] = []
        var current: JSONValue? = instance
        for component in location {
            switch component {
            case .index(let index):
                key.append(index)
                current = current?[index]
            case .key(let name):
                if case .object(let object) = current, let position = object.position(of: name) {
                    key.append(position)
                    current = object[name]
                } else {
                    key.append(Int.max)
                    current = nil
                }
            }
        }
        return key
    }
}
