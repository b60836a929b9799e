/// Applies compiled schemas to an instance, collecting every problem.
struct SchemaEvaluator {
    /// How deeply subschema evaluations may nest before validation reports the instance as too deep instead
    /// of risking the stack (each level of the instance takes one or more). Cycles are refused at load, so
    /// only deep instances reach it; Python's validator stops with a RecursionError at a similar depth.
    static let maximumDepth = 300

    let nodes: [CompiledSchema]

    func evaluate(_ index: Int, _ instance: JSONValue, at location: [JSONPath.Component], depth: Int,
                  into problems: inout [SchemaProblem]) {
        guard depth < Self.maximumDepth else {
            reportTooDeep(index, at: location, into: &problems)
            return
        }
        switch nodes[index] {
        case .boolean(true, _):
            return
        case .boolean(false, let pointer):
            problems.append(SchemaProblem(location: location, message: "is not allowed", keyword: "false", schemaLocation: pointer))
        case .rules(let node):
            var context = RuleContext(evaluator: self, rules: node, instance: instance, location: location, depth: depth)
            context.run()
            problems += context.problems
        }
    }

    private func reportTooDeep(_ index: Int, at location: [JSONPath.Component], into problems: inout [SchemaProblem]) {
        problems.append(SchemaProblem(location: location, message: "is nested too deeply to validate", keyword: "maximumDepth",
                                      schemaLocation: nodes[index].pointer))
    }

    func isValid(_ index: Int, _ instance: JSONValue, depth: Int) -> Bool {
        var problems: [SchemaProblem] = []
        evaluate(index, instance, at: [], depth: depth, into: &problems)
        return problems.isEmpty
    }

    func isFalse(_ index: Int) -> Bool {
        if case .boolean(false, _) = nodes[index] { return true }
        return false
    }
}
