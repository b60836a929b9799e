import MaxhubCore
import PostgresNIO

extension PostgresCatalogStore {
    public func searchModels(_ query: ModelQuery, visibility: CatalogVisibility) async throws -> ModelSearchResult {
        let (from, order) = Self.searchSource(query, visibility: visibility)
        let perPage = max(0, query.perPage)
        let (offset, overflow) = (max(1, query.page) - 1).multipliedReportingOverflow(by: perPage)
        return try await read { session in
            let total = try await session.query("SELECT count(*) AS count \(from)")
            let page = try await session.query(
                """
                SELECT \(VersionRow.postgresSelection(version: "v", model: "m")) \(from)
                ORDER BY \(sql: order) LIMIT \(Int64(perPage)) OFFSET \(Int64(overflow ? Int.max : offset))
                """
            )
            let models = try page.map { ModelSummaryRecord(latest: try VersionRow.record(postgres: $0)) }
            let count = try total.first.map { try $0.makeRandomAccess().value("count", as: Int64.self) } ?? 0
            return ModelSearchResult(total: Int(count), models: models)
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
        return try await read { session in
            func counts(_ values: PostgresSQL) async throws -> [FacetCount] {
                // Values in byte order, as SQLite's BINARY collation orders them.
                try await session.query(
                    """
                    SELECT value, count(*) AS count FROM (\(values)) AS facet WHERE value IS NOT NULL
                    GROUP BY value ORDER BY count DESC, value COLLATE "C"
                    """
                ).map { row in
                    let cells = row.makeRandomAccess()
                    do {
                        return FacetCount(value: try cells.value("value"), count: Int(try cells.value("count", as: Int64.self)))
                    } catch {
                        throw CatalogStorageError.unreadableRow(table: "version", id: nil, reason: "a facet count: \(error)")
                    }
                }
            }
            // UNION, not UNION ALL: a model whose parts share a license counts once for it.
            return CatalogFacets(
                tasks: try await counts("SELECT v.task AS value \(tasks)"),
                frameworks: try await counts("SELECT v.framework AS value \(frameworks)"),
                licenses: try await counts(
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
    /// and the order of the results, as `SQLiteCatalogStore.searchSource` makes them.
    ///
    /// Without text the query walks `model` by name and, for each, finds the latest visible version through the
    /// `version_latest` index; with text it starts from the full-text hits (`hits`) and keeps those that are their
    /// model's latest visible version.
    static func searchSource(_ query: ModelQuery, visibility: CatalogVisibility) -> (from: PostgresSQL, order: String) {
        var conditions: [PostgresSQL] = []
        if let task = query.task { conditions.append("v.task = \(task)") }
        if let framework = query.framework { conditions.append("v.framework = \(framework)") }
        if let license = query.license { conditions.append("\(license) IN (v.license_code, v.license_weights, v.license_data)") }
        guard let terms = PostgresFullText.terms(of: query.text) else {
            let from: PostgresSQL = """
                FROM model m JOIN version v ON v.id = \(latestVisibleVersion(ofModel: "m.id", visibility: visibility))
                \(whereClause(conditions))
                """
            return (from, "m.name")
        }
        conditions.insert("v.id = \(latestVisibleVersion(ofModel: "v.model_id", visibility: visibility))", at: 0)
        let from: PostgresSQL = """
            FROM (\(hits(terms))) h
            JOIN version v ON v.id = h.id
            JOIN model m ON m.id = v.model_id
            \(whereClause(conditions))
            """
        return (from, "h.rank, m.name")
    }

    /// The versions with a word beginning with each of `terms` (`id`), each with SQLite FTS5's `bm25` rank (`rank`,
    /// lower is better) computed as FTS5 computes it, so that both stores order results alike.
    ///
    /// For each term `i`: `idf(i) = ln((N - n(i) + 0.5) / (n(i) + 0.5))` (1e-6 when not positive), where `N` is the
    /// number of versions and `n(i)` those that have the term; for each version, `f(i)` counts the words that the term
    /// begins, 4 for one of the name, 2 of the task and 1 of the description (SQLite's column weights), and with `D`
    /// the version's number of words and `avgdl` the catalog's mean, the rank is
    /// `-Σ idf(i) · f(i) · (k1 + 1) / (f(i) + k1 · (1 - b + b · D / avgdl))` with `k1` = 1.2 and `b` = 0.75, summed in
    /// term order, in double precision and in FTS5's order of operations.
    private static func hits(_ terms: [String]) -> PostgresSQL {
        func occurrences(in column: String) -> PostgresSQL {
            "(SELECT count(*) FROM unnest(v.\(sql: column)) AS w (word) WHERE starts_with(w.word, t.word))"
        }
        return """
            WITH term (ordinal, word, lexemes) AS (
                SELECT t.ordinal, t.word, t.lexemes::tsquery
                FROM unnest(\(terms)::text[], \(terms.map(PostgresFullText.lexemeQuery))::text[]) WITH ORDINALITY AS t (word, lexemes, ordinal)
            ),
            catalog (versions, words) AS (
                SELECT count(*)::float8, coalesce(sum(search_length), 0)::float8 FROM version
            ),
            rarity (ordinal, idf) AS (
                SELECT t.ordinal, CASE WHEN x.idf <= 0 THEN 1e-6::float8 ELSE x.idf END
                FROM term t CROSS JOIN catalog c CROSS JOIN LATERAL (
                    SELECT ln((c.versions - count(*) + 0.5::float8) / (count(*) + 0.5::float8)) AS idf
                    FROM version x
                    WHERE x.search_vector @@ t.lexemes AND (length(t.word) <= \(sql: String(PostgresFullText.lexemeLength)) OR EXISTS (
                        SELECT 1 FROM unnest(x.search_name || x.search_task || x.search_description) AS w (word)
                        WHERE starts_with(w.word, t.word)))
                ) x
            ),
            frequency (id, ordinal, weight, length) AS (
                SELECT v.id, t.ordinal,
                    4.0::float8 * \(occurrences(in: "search_name")) + 1.0::float8 * \(occurrences(in: "search_description"))
                        + 2.0::float8 * \(occurrences(in: "search_task")),
                    v.search_length::float8
                FROM version v CROSS JOIN term t
                WHERE v.search_vector @@ \(PostgresFullText.lexemeQuery(terms))::tsquery
            )
            SELECT f.id, -1.0::float8 * sum(
                r.idf * ((f.weight * (1.2::float8 + 1.0::float8))
                    / (f.weight + 1.2::float8 * ((1.0::float8 - 0.75::float8) + ((0.75::float8 * f.length) / (c.words / c.versions)))))
                ORDER BY f.ordinal) AS rank
            FROM frequency f JOIN rarity r ON r.ordinal = f.ordinal CROSS JOIN catalog c
            GROUP BY f.id
            HAVING bool_and(f.weight > 0)
            """
    }

    /// The id of a model's latest visible version (`Collection<VersionRecord>.latest`): the highest visible release by
    /// precedence, else the highest visible prerelease.
    private static func latestVisibleVersion(ofModel modelID: String, visibility: CatalogVisibility) -> PostgresSQL {
        """
        (SELECT w.id FROM version w
         WHERE w.model_id = \(sql: modelID) AND \(PostgresSQL.visible(visibility, on: "w"))
         ORDER BY w.is_release DESC, w.precedence DESC LIMIT 1)
        """
    }

    private static func whereClause(_ conditions: [PostgresSQL]) -> PostgresSQL {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }
}
