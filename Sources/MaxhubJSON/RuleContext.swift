/// The evaluation of one object schema against one instance.
///
/// Validation recurses once per level of the instance, through `run`, `descendIntoArray` or
/// `descendIntoObject`, and `descend`. Those stay small; building messages happens in separate
/// functions off that path, so that deep documents need little stack even in debug builds.
struct RuleContext {
    let evaluator: SchemaEvaluator
    let rules: SchemaNode
    let instance: JSONValue
    let location: [JSONPath.Component]
    let depth: Int
    var problems: [SchemaProblem] = []

    init(evaluator: SchemaEvaluator, rules: SchemaNode, instance: JSONValue, location: [JSONPath.Component], depth: Int) {
        self.evaluator = evaluator
        self.rules = rules
        self.instance = instance
        self.location = location
        self.depth = depth
    }

    mutating func run() {
        if let reference = rules.reference {
            descend(reference, instance, location)
        }
        if checkType() {
            checkEnumAndConst()
        }
        switch instance {
        case .number(let number):
            checkNumber(number)
        case .string(let string):
            checkString(string)
        case .array(let elements):
            descendIntoArray(elements)
            checkArray(elements)
        case .object(let object):
            checkObject(object)
            descendIntoObject(object)
        default:
            break
        }
        descendIntoApplicators()
    }

    // MARK: - Helpers

    private mutating func report(_ message: String, _ keyword: String, at path: [JSONPath.Component]? = nil,
                                 expectedTypes: [String] = []) {
        problems.append(SchemaProblem(location: path ?? location, message: message, keyword: keyword,
                                      schemaLocation: "\(rules.pointer)/\(keyword)", expectedTypes: expectedTypes))
    }

    private mutating func descend(_ index: Int, _ value: JSONValue, _ path: [JSONPath.Component]) {
        evaluator.evaluate(index, value, at: path, depth: depth + 1, into: &problems)
    }

    private func problems(ofBranch index: Int) -> [SchemaProblem] {
        var found: [SchemaProblem] = []
        evaluator.evaluate(index, instance, at: location, depth: depth + 1, into: &found)
        return found
    }

    private func isValid(_ index: Int, _ value: JSONValue) -> Bool {
        evaluator.isValid(index, value, depth: depth + 1)
    }

    // MARK: - Any type

    private mutating func checkType() -> Bool {
        guard let types = rules.types else { return true }
        let matches = types.contains { type in
            switch (type, instance) {
            case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string),
                 ("array", .array), ("object", .object):
                true
            case ("integer", .number(let number)):
                number.isWholeNumber
            default:
                false
            }
        }
        if !matches {
            report("expected \(SchemaText.alternatives(types)), got \(SchemaText.kind(of: instance))", "type", expectedTypes: types)
        }
        return matches
    }

    private mutating func checkEnumAndConst() {
        if let values = rules.enumValues, !values.contains(instance) {
            if values.count == 1, let only = values.first {
                report("must be \(SchemaText.listed(only)), got \(SchemaText.shown(instance))", "enum")
            } else {
                report("must be one of \(SchemaText.listed(values)), got \(SchemaText.shown(instance))", "enum")
            }
        }
        if let constant = rules.constValue, constant != instance {
            report("must be \(SchemaText.shown(constant)), got \(SchemaText.shown(instance))", "const")
        }
    }

    // MARK: - Numbers

    private mutating func checkNumber(_ number: JSONNumber) {
        if let minimum = rules.minimum, JSONNumber.compare(number, minimum) != nil, number < minimum {
            report("must be at least \(minimum), got \(number)", "minimum")
        }
        if let maximum = rules.maximum, JSONNumber.compare(number, maximum) != nil, number > maximum {
            report("must be at most \(maximum), got \(number)", "maximum")
        }
        if let bound = rules.exclusiveMinimum, JSONNumber.compare(number, bound) != nil, number <= bound {
            report("must be greater than \(bound), got \(number)", "exclusiveMinimum")
        }
        if let bound = rules.exclusiveMaximum, JSONNumber.compare(number, bound) != nil, number >= bound {
            report("must be less than \(bound), got \(number)", "exclusiveMaximum")
        }
        if let divisor = rules.multipleOf, !Self.isMultiple(number, of: divisor) {
            report("must be a multiple of \(divisor), got \(number)", "multipleOf")
        }
    }

    /// Python jsonschema's `multipleOf`: with a float divisor, the float quotient must be whole; with an
    /// integer divisor, the remainder must be zero (exactly, for an integer instance).
    static func isMultiple(_ number: JSONNumber, of divisor: JSONNumber) -> Bool {
        switch (number, divisor) {
        case (.integer(let value), .integer(let step)):
            return value.remainderReportingOverflow(dividingBy: step).partialValue == 0
        case (.float(let value), .integer(let step)):
            return value.truncatingRemainder(dividingBy: Double(step)) == 0
        case (_, .float(let step)):
            let quotient = number.doubleValue / step
            if quotient.isInfinite {
                return number.doubleValue.truncatingRemainder(dividingBy: step) == 0
            }
            return quotient.isFinite && quotient.rounded(.towardZero) == quotient
        }
    }

    // MARK: - Strings

    private mutating func checkString(_ string: String) {
        if rules.minLength != nil || rules.maxLength != nil {
            let length = string.unicodeScalars.count
            if let minimum = rules.minLength, length < minimum {
                report("must be at least \(SchemaText.count(minimum, "character")) long, got \(length)", "minLength")
            }
            if let maximum = rules.maxLength, length > maximum {
                report("must be at most \(SchemaText.count(maximum, "character")) long, got \(length)", "maxLength")
            }
        }
        if let pattern = rules.pattern, !pattern.matches(string) {
            if let expected = rules.expected {
                report("expected \(expected), got \(SchemaText.shown(instance))", "pattern")
            } else {
                report("does not match pattern \(pattern.source), got \(SchemaText.shown(instance))", "pattern")
            }
        }
    }

    // MARK: - Arrays

    /// The keywords that apply subschemas to elements (on the recursion path: no messages built here).
    private mutating func descendIntoArray(_ elements: [JSONValue]) {
        if !rules.prefixItems.isEmpty {
            descendIntoPrefixItems(elements)
        }
        if let items = rules.items, elements.count > rules.prefixItems.count {
            descendIntoItems(elements, items)
        }
        if let contains = rules.contains {
            checkContains(countMatches(elements, contains))
        }
    }

    private mutating func descendIntoPrefixItems(_ elements: [JSONValue]) {
        for (position, schema) in zip(elements.indices, rules.prefixItems) {
            descend(schema, elements[position], location + [.index(position)])
        }
    }

    private mutating func descendIntoItems(_ elements: [JSONValue], _ items: Int) {
        for position in rules.prefixItems.count..<elements.count {
            if evaluator.isFalse(items) {
                reportUnexpectedItem(at: position)
            } else {
                descend(items, elements[position], location + [.index(position)])
            }
        }
    }

    private func countMatches(_ elements: [JSONValue], _ schema: Int) -> Int {
        var matches = 0
        for element in elements where isValid(schema, element) {
            matches += 1
        }
        return matches
    }

    private mutating func reportUnexpectedItem(at position: Int) {
        let allowed = rules.prefixItems.count
        let message = allowed == 0 ? "no items are allowed" : "unexpected item; at most \(SchemaText.count(allowed, "item")) allowed"
        report(message, "items", at: location + [.index(position)])
    }

    private mutating func checkContains(_ matches: Int) {
        let minimum = rules.minContains ?? 1
        if matches < minimum {
            if matches == 0 {
                report(minimum == 1 ? "must contain at least one matching item"
                    : "must contain at least \(minimum) matching items, got none", "contains")
            } else {
                report("must contain at least \(minimum) matching items, got \(matches)", "minContains")
            }
        }
        if let maximum = rules.maxContains, matches > maximum {
            report("must contain at most \(SchemaText.count(maximum, "matching item")), got \(matches)", "maxContains")
        }
    }

    private mutating func checkArray(_ elements: [JSONValue]) {
        if let minimum = rules.minItems, elements.count < minimum {
            report("must have at least \(SchemaText.count(minimum, "item")), got \(elements.count)", "minItems")
        }
        if let maximum = rules.maxItems, elements.count > maximum {
            report("must have at most \(SchemaText.count(maximum, "item")), got \(elements.count)", "maxItems")
        }
        if rules.uniqueItems {
            var firstPosition: [JSONValue: Int] = [:]
            for (position, element) in elements.enumerated() {
                if let earlier = firstPosition[element] {
                    report("duplicates \(JSONPath(location + [.index(earlier)])); items must be unique", "uniqueItems",
                           at: location + [.index(position)])
                } else {
                    firstPosition[element] = position
                }
            }
        }
    }

    // MARK: - Objects

    private mutating func checkObject(_ object: JSONObject) {
        for name in rules.required where !object.contains(key: name) {
            report("required property is missing", "required", at: location + [.key(name)])
        }
        for (property, required) in rules.dependentRequired where object.contains(key: property) {
            for name in required where !object.contains(key: name) {
                report("required property is missing (required when \(property) is present)", "dependentRequired",
                       at: location + [.key(name)])
            }
        }
        if let minimum = rules.minProperties, object.count < minimum {
            report("must have at least \(SchemaText.count(minimum, "property")), got \(object.count)", "minProperties")
        }
        if let maximum = rules.maxProperties, object.count > maximum {
            report("must have at most \(SchemaText.count(maximum, "property")), got \(object.count)", "maxProperties")
        }
        if let names = rules.propertyNames {
            checkPropertyNames(object, against: names)
        }
    }

    /// The keywords that apply subschemas to members (on the recursion path: no messages built here).
    private mutating func descendIntoObject(_ object: JSONObject) {
        if !rules.properties.isEmpty {
            descendIntoProperties(object)
        }
        if !rules.patternProperties.isEmpty || rules.additionalProperties != nil {
            descendIntoOtherProperties(object)
        }
    }

    private mutating func descendIntoProperties(_ object: JSONObject) {
        for (name, schema) in rules.properties {
            if let value = object[name] {
                descend(schema, value, location + [.key(name)])
            }
        }
    }

    private mutating func descendIntoOtherProperties(_ object: JSONObject) {
        for key in object.keys {
            guard let value = object[key] else { continue }
            var matchedPattern = false
            for (pattern, schema) in rules.patternProperties where pattern.matches(key) {
                matchedPattern = true
                descend(schema, value, location + [.key(key)])
            }
            guard let additional = rules.additionalProperties, !matchedPattern, !isDeclared(key) else { continue }
            if evaluator.isFalse(additional) {
                reportUnknownProperty(key)
            } else {
                descend(additional, value, location + [.key(key)])
            }
        }
    }

    private func isDeclared(_ key: String) -> Bool {
        rules.properties.contains { $0.name == key }
    }

    private mutating func reportUnknownProperty(_ key: String) {
        report("unknown property", "additionalProperties", at: location + [.key(key)])
    }

    private mutating func checkPropertyNames(_ object: JSONObject, against names: Int) {
        for key in object.keys {
            var found: [SchemaProblem] = []
            evaluator.evaluate(names, .string(key), at: [], depth: depth + 1, into: &found)
            for problem in found {
                var renamed = problem
                renamed.location = location + [.key(key)]
                renamed.message = "invalid property name: \(problem.message)"
                problems.append(renamed)
            }
        }
    }

    // MARK: - Applicators

    private mutating func descendIntoApplicators() {
        for schema in rules.allOf {
            descend(schema, instance, location)
        }
        if !rules.anyOf.isEmpty {
            checkAnyOf()
        }
        if !rules.oneOf.isEmpty {
            checkOneOf()
        }
        if let not = rules.not {
            checkNot(not)
        }
        if let condition = rules.ifSchema {
            descendIntoConditional(condition)
        }
    }

    private mutating func checkNot(_ not: Int) {
        if isValid(not, instance) {
            report("must not match the schema given under \"not\"", "not")
        }
    }

    private mutating func descendIntoConditional(_ condition: Int) {
        if isValid(condition, instance) {
            if let then = rules.thenSchema { descend(then, instance, location) }
        } else if let otherwise = rules.elseSchema {
            descend(otherwise, instance, location)
        }
    }

    private mutating func checkAnyOf() {
        let results = rules.anyOf.map(problems(ofBranch:))
        if !results.contains(where: \.isEmpty) {
            problems += explainNoMatch(results, keyword: "anyOf")
        }
    }

    private mutating func checkOneOf() {
        let results = rules.oneOf.map(problems(ofBranch:))
        let validCount = results.filter(\.isEmpty).count
        if validCount == 0 {
            problems += explainNoMatch(results, keyword: "oneOf")
        } else if validCount > 1 {
            report("must match exactly one of the allowed forms, but matches \(validCount) of them", "oneOf")
        }
    }

    /// One concise account of why no branch of `anyOf` or `oneOf` matched: the problems of the branch the
    /// instance evidently meant, else a merged `expected A or B` when every branch wants another type, else
    /// a single "does not match" at the composite's location.
    private func explainNoMatch(_ results: [[SchemaProblem]], keyword: String) -> [SchemaProblem] {
        let depth = location.count
        let isWrongKind: (SchemaProblem) -> Bool = { $0.location.count == depth && ($0.keyword == "type" || $0.keyword == "false") }
        let candidates = results.filter { !$0.contains(where: isWrongKind) }
        let schemaLocation = "\(rules.pointer)/\(keyword)"

        if candidates.isEmpty {
            let rootProblems = results.flatMap { $0.filter(isWrongKind) }
            if rootProblems.allSatisfy({ !$0.expectedTypes.isEmpty }) {
                var expected: [String] = []
                for type in rootProblems.flatMap(\.expectedTypes) where !expected.contains(type) {
                    expected.append(type)
                }
                let message = "expected \(SchemaText.alternatives(expected)), got \(SchemaText.kind(of: instance))"
                return [SchemaProblem(location: location, message: message, keyword: "type", schemaLocation: schemaLocation,
                                      expectedTypes: expected)]
            }
        } else if candidates.count == 1 {
            return candidates[0]
        } else {
            let discriminating: Set<String> = ["required", "dependentRequired", "additionalProperties", "const", "enum", "false"]
            let isDeep: (SchemaProblem) -> Bool = {
                $0.location.count > depth + 1 || ($0.location.count == depth + 1 && !discriminating.contains($0.keyword))
            }
            let deep = candidates.filter { $0.allSatisfy(isDeep) }
            if deep.count == 1 {
                return deep[0]
            }
            let onlyMissing = candidates.allSatisfy { branch in
                branch.allSatisfy { $0.keyword == "required" && $0.location.count == depth + 1 }
            }
            if onlyMissing, let last = candidates.last?.first {
                // Point at a property that would fix it (the last alternative's), and name all the alternatives.
                let alternatives = candidates.map { branch in
                    branch.compactMap { problem -> String? in
                        if case .key(let name) = problem.location.last { return name }
                        return nil
                    }.joined(separator: " and ")
                }
                let quantifier = keyword == "oneOf" ? "exactly one" : "at least one"
                let message = "required property is missing (\(quantifier) of \(alternatives.joined(separator: ", ")) is required)"
                return [SchemaProblem(location: last.location, message: message, keyword: keyword, schemaLocation: schemaLocation)]
            }
        }
        return [SchemaProblem(location: location, message: "does not match any of the allowed forms", keyword: keyword,
                              schemaLocation: schemaLocation)]
    }
}
