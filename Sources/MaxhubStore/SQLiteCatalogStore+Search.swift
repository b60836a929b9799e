import GRDB
import MaxhubCore

extension SQLiteCatalogStore {
    /// Column weights for `bm25`, in the order of `version_search` (name, description, task): a word in the name counts
    /// more than one in the task, which counts more than one in the description.
    private static let rankWeights = "4.0, 1.0, 2.0"

    public func searchModels(_ query: ModelQuery, visibility: CatalogVisibility) async throws -> ModelSearchResult {
        let (from, order) = Self.searchSource(query, visibility: visibility)
        let perPage = max(0, query.perPage)
        let (offset, overflow) = (max(1, query.page) - 1).multipliedReportingOverflow(by: perPage)
        return try await read { db in
            let total: SQLRequest<Int> = "SELECT COUNT(*) \(from)"
            let page: SQLRequest<Row> = """
                SELECT \(sql: VersionRow.selection(version: "v", model: "m")) \(from)
                ORDER BY \(sql: order) LIMIT \(perPage) OFFSET \(overflow ? Int.max : offset)
                """
            let models = try page.fetchAll(db).map { ModelSummaryRecord(latest: try VersionRow.record(from: $0)) }
            return ModelSearchResult(total: try total.fetchOne(db) ?? 0, models: models)
        }
    }

    public func facets(_ query: ModelQuery, visibility: CatalogVisibility) async throws -> CatalogFacets {
        var byTask = query
        byTask.task = nil
        var byFramework = query
        byFramework.framework = nil
        var byLicense = query
        byLicense.license = nil
        let tasks = Self.searchSource(byTask, visibility: visibility).from
        let frameworks = Self.searchSource(byFramework, visibility: visibility).from
        let licenses = Self.searchSource(byLicense, visibility: visibility).from
        return try await read { db in
            func counts(_ values: SQL) throws -> [FacetCount] {
                let request: SQLRequest<Row> = """
                    SELECT value, COUNT(*) AS count FROM (\(values)) WHERE value IS NOT NULL
                    GROUP BY value ORDER BY count DESC, value
                    """
                return try request.fetchAll(db).map { row in
                    FacetCount(value: try row.decode(String.self, forColumn: "value"), count: try row.decode(Int.self, forColumn: "count"))
                }
            }
            // UNION, not UNION ALL: a model whose parts share a license counts once for it.
            return CatalogFacets(
                tasks: try counts("SELECT v.task AS value \(tasks)"),
                frameworks: try counts("SELECT v.framework AS value \(frameworks)"),
                licenses: try counts(
                    """
                    SELECT v.license_code AS value, m.id AS model \(licenses)
                    UNION SELECT v.license_weights, m.id \(licenses)
                    UNION SELECT v.license_data, m.id \(licenses)
                    """
                )
            )
        }
    }

    /// The `FROM ... WHERE ...` that yields one row per matching model (`m`) with its latest visible version (`v`),
    /// and the order of the results.
    ///
    /// Without text the query walks `model` by name and, for each, finds the latest visible version by walking the
    /// `version_latest` index backwards; with text it starts from the full-text hits and keeps those that are their
    /// model's latest visible version.
    static func searchSource(_ query: ModelQuery, visibility: CatalogVisibility) -> (from: SQL, order: String) {
        var conditions: [SQL] = []
        if let task = query.task { conditions.append("v.task = \(task)") }
        if let framework = query.framework { conditions.append("v.framework = \(framework)") }
        if let license = query.license { conditions.append("\(license) IN (v.license_code, v.license_weights, v.license_data)") }
        guard let match = FullTextQuery.expression(for: query.text) else {
            let from: SQL = """
                FROM model m JOIN version v ON v.id = \(latestVisibleVersion(ofModel: "m.id", visibility: visibility))
                \(whereClause(conditions))
                """
            return (from, "m.name")
        }
        conditions.insert("v.id = \(latestVisibleVersion(ofModel: "v.model_id", visibility: visibility))", at: 0)
        // Materialized so that bm25() runs in the full-text query it belongs to, however the planner orders the join.
        let from: SQL = """
            FROM (
                WITH hits (id, rank) AS MATERIALIZED (
                    SELECT rowid, bm25(version_search, \(sql: rankWeights)) FROM version_search WHERE version_search MATCH \(match)
                )
                SELECT id, rank FROM hits
            ) h
            JOIN version v ON v.id = h.id
            JOIN model m ON m.id = v.model_id
            \(whereClause(conditions))
            """
        return (from, "h.rank, m.name")
    }

    /// The id of a model's latest visible version (`Collection<VersionRecord>.latest`): the highest visible release by
    /// precedence, else the highest visible prerelease.
    private static func latestVisibleVersion(ofModel modelID: String, visibility: CatalogVisibility) -> SQL {
        """
        (SELECT w.id FROM version w
         WHERE w.model_id = \(sql: modelID) AND \(visibility.sqlPredicate(on: "w"))
         ORDER BY w.is_release DESC, w.precedence DESC LIMIT 1)
        """
    }

    private static func whereClause(_ conditions: [SQL]) -> SQL {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }
}
