import PostgresNIO

/// The catalog's PostgreSQL schema, as named migrations recorded in `maxhub_migration`.
///
/// As `CatalogSchema` for SQLite: migrations are append-only, never edited once shipped, and the invariants live here
/// (`NOT NULL`, `UNIQUE`, `CHECK`, foreign keys, triggers that keep the audit log append-only, reviews final, READMEs
/// immutable and the catalog generation moving). Each migration is applied in a transaction of its own that holds a
/// transaction-level advisory lock, so that hubs starting together on one database apply each migration once; a
/// database that records a migration this binary does not know is newer than it, and is not opened.
enum PostgresSchema {
    struct Migration: Sendable {
        var name: String
        /// Run in order, one statement each (the extended protocol takes one at a time).
        var statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(name: "v1", statements: v1),
        Migration(name: "v2-hub-secrets", statements: v2HubSecrets),
        Migration(name: "v3-signatures", statements: v3Signatures),
        Migration(name: "v4-archive-layers", statements: v4ArchiveLayers),
        Migration(name: "v5-registry", statements: v5Registry),
        Migration(name: "v6-registry-subjects", statements: v6RegistrySubjects),
    ]

    /// The advisory lock that migrations hold: `maxhub` in ASCII, then 1 (the audit log's, in `v1`, ends in 2). Advisory
    /// locks are per database.
    static let migrationLock: Int64 = 0x6D61_7868_7562_0001

    /// Applies the migrations the database lacks, one transaction each, and returns the names of those it has.
    /// Throws `CatalogStorageError.cannotOpen` when the database has one this binary does not know, or is not UTF-8.
    static func migrate(on connection: PostgresConnection, location: PostgresLocation, logger: Logger) async throws -> [String] {
        // Words are cut and compared by character (`search_lexemes`, `PostgresFullText`), which needs UTF-8.
        let encoding = try await connection.run("SHOW server_encoding", logger: logger).first.map {
            try $0.makeRandomAccess().value("server_encoding", as: String.self)
        }
        guard encoding == "UTF8" else {
            throw CatalogStorageError.cannotOpen(
                path: location.description, reason: "its encoding is \(encoding ?? "unknown"); the catalog needs a UTF8 database")
        }
        let known = Set(migrations.map(\.name))
        while true {
            try await connection.run("BEGIN", logger: logger)
            do {
                try await connection.run("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
                try await connection.run(
                    """
                    CREATE TABLE IF NOT EXISTS maxhub_migration (
                        position integer PRIMARY KEY,
                        name text NOT NULL UNIQUE,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """,
                    logger: logger
                )
                let applied = try await connection.run("SELECT name FROM maxhub_migration ORDER BY position", logger: logger).map {
                    try $0.makeRandomAccess().value("name", as: String.self)
                }
                let unknown = applied.filter { !known.contains($0) }
                guard unknown.isEmpty else {
                    throw CatalogStorageError.cannotOpen(
                        path: location.description,
                        reason: "its schema is newer than this maxhub: it has the migration\(unknown.count == 1 ? "" : "s") "
                            + "\(unknown.joined(separator: ", ")), which this maxhub does not know; run a newer maxhub"
                    )
                }
                guard let next = migrations.first(where: { !applied.contains($0.name) }) else {
                    try await connection.run("COMMIT", logger: logger)
                    return applied
                }
                for statement in next.statements {
                    try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let position = applied.count + 1
                try await connection.run(
                    "INSERT INTO maxhub_migration (position, name) VALUES (\(position), \(next.name))", logger: logger
                )
                try await connection.run("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.run("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Models, versions with their full-text words, reviews, READMEs, tokens, the audit log and the catalog
    /// generation: SQLite's five migrations as one, since the PostgreSQL catalog starts here.
    ///
    /// Names, precedence keys and audit subjects compare in byte order (`COLLATE "C"`), as SQLite's BINARY does, so
    /// that listings come in the same order whatever the database's locale. Times are `timestamptz` to the millisecond.
    ///
    /// Full-text search keeps each version's words, as `PostgresFullText` makes them from the model's name, the task and
    /// the description, in three arrays; `search_vector` holds them as lexemes for a GIN index that finds candidate
    /// versions by prefix, and the arrays give what ranking needs (`PostgresCatalogStore+Search`).
    private static let v1: [String] = [
        """
        CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """,
        """
        CREATE FUNCTION move_catalog_generation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE catalog_generation SET value = value + 1 WHERE id = 1;
            RETURN NULL;
        END
        $$
        """,
        // Lexemes longer than PostgreSQL allows are cut; the arrays keep the whole words, which searches check.
        """
        CREATE FUNCTION search_lexemes(words text[]) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
            SELECT array_to_tsvector(ARRAY(SELECT left(word, 255) FROM unnest(words) AS word))
        $$
        """,
        """
        CREATE TABLE catalog_generation (
            id integer PRIMARY KEY CHECK (id = 1),
            value bigint NOT NULL
        )
        """,
        "INSERT INTO catalog_generation (id, value) VALUES (1, 0)",
        """
        CREATE TABLE model (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text COLLATE "C" NOT NULL UNIQUE,
            created_at timestamptz NOT NULL
        )
        """,
        """
        CREATE TABLE version (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            model_id bigint NOT NULL REFERENCES model (id),
            version text NOT NULL,
            version_key text NOT NULL,
            precedence text COLLATE "C" NOT NULL,
            is_release boolean NOT NULL,
            state text NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'yanked')),
            task text NOT NULL,
            description text NOT NULL,
            framework text,
            license_code text NOT NULL,
            license_weights text NOT NULL,
            license_data text NOT NULL,
            archive_digest text NOT NULL,
            archive_size bigint NOT NULL CHECK (archive_size >= 0),
            manifest json NOT NULL,
            published_by text NOT NULL,
            published_at timestamptz NOT NULL,
            yank_reason text,
            search_name text[] NOT NULL,
            search_task text[] NOT NULL,
            search_description text[] NOT NULL,
            search_length integer GENERATED ALWAYS AS
                (cardinality(search_name) + cardinality(search_task) + cardinality(search_description)) STORED,
            search_vector tsvector GENERATED ALWAYS AS (search_lexemes(search_name || search_task || search_description)) STORED,
            UNIQUE (model_id, version_key)
        )
        """,
        // The latest visible version of a model: walked backwards, it answers without touching the table.
        "CREATE INDEX version_latest ON version (model_id, is_release, precedence, state, published_by)",
        "CREATE INDEX version_queue ON version (state, published_at)",
        "CREATE INDEX version_archive ON version (archive_digest)",
        "CREATE INDEX version_search ON version USING gin (search_vector)",
        """
        CREATE TABLE review (
            version_id bigint PRIMARY KEY REFERENCES version (id),
            reviewer text NOT NULL,
            decision text NOT NULL CHECK (decision IN ('approve', 'reject')),
            license_code text NOT NULL,
            license_weights text NOT NULL,
            license_data text NOT NULL,
            note text,
            reviewed_at timestamptz NOT NULL,
            CHECK (decision = 'approve' OR length(btrim(coalesce(note, ''))) > 0)
        )
        """,
        """
        CREATE TRIGGER review_is_final BEFORE UPDATE OR DELETE ON review
        FOR EACH ROW EXECUTE FUNCTION refuse_change('a review is final')
        """,
        """
        CREATE TRIGGER review_is_not_truncated BEFORE TRUNCATE ON review
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('a review is final')
        """,
        """
        CREATE TABLE version_readme (
            version_id bigint PRIMARY KEY REFERENCES version (id),
            text text NOT NULL,
            truncated boolean NOT NULL
        )
        """,
        """
        CREATE TRIGGER version_readme_is_immutable BEFORE UPDATE ON version_readme
        FOR EACH ROW EXECUTE FUNCTION refuse_change('a README is as immutable as its version')
        """,
        """
        CREATE TABLE token (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            user_name text NOT NULL,
            roles text NOT NULL,
            hash text NOT NULL UNIQUE,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            revoked_at timestamptz,
            expires_at timestamptz
        )
        """,
        "CREATE SEQUENCE audit_entry_id AS bigint",
        """
        CREATE TABLE audit_entry (
            id bigint PRIMARY KEY,
            at timestamptz NOT NULL,
            actor text NOT NULL,
            action text NOT NULL,
            subject text COLLATE "C" NOT NULL,
            from_state text CHECK (from_state IN ('pending', 'approved', 'rejected', 'yanked')),
            to_state text CHECK (to_state IN ('pending', 'approved', 'rejected', 'yanked')),
            detail text
        )
        """,
        "ALTER SEQUENCE audit_entry_id OWNED BY audit_entry.id",
        "CREATE INDEX audit_entry_subject ON audit_entry (subject)",
        "CREATE INDEX audit_entry_actor ON audit_entry (actor)",
        // Readers page through the log by id (`AuditFilter.afterID`), so ids must follow commit order: an entry is
        // numbered under a lock that its transaction holds until it commits, and concurrent writers wait their turn.
        """
        CREATE FUNCTION number_audit_entry() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(7881713212916367362);
            NEW.id := nextval('audit_entry_id');
            RETURN NEW;
        END
        $$
        """,
        """
        CREATE TRIGGER audit_entry_numbered BEFORE INSERT ON audit_entry
        FOR EACH ROW EXECUTE FUNCTION number_audit_entry()
        """,
        """
        CREATE TRIGGER audit_entry_is_append_only BEFORE UPDATE OR DELETE ON audit_entry
        FOR EACH ROW EXECUTE FUNCTION refuse_change('the audit log is append-only')
        """,
        """
        CREATE TRIGGER audit_entry_is_not_truncated BEFORE TRUNCATE ON audit_entry
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('the audit log is append-only')
        """,
    ] + ["model", "version", "review", "version_readme"].flatMap { table in
        [
            """
            CREATE TRIGGER \(table)_moves_generation AFTER INSERT OR UPDATE OR DELETE ON \(table)
            FOR EACH ROW EXECUTE FUNCTION move_catalog_generation()
            """,
            """
            CREATE TRIGGER \(table)_truncate_moves_generation AFTER TRUNCATE ON \(table)
            FOR EACH STATEMENT EXECUTE FUNCTION move_catalog_generation()
            """,
        ]
    }

    /// The hub-wide secrets (`CatalogStore.sharedSecret`): written once, then only read.
    private static let v2HubSecrets: [String] = [
        """
        CREATE TABLE hub_secret (
            name text COLLATE "C" PRIMARY KEY CHECK (length(name) > 0),
            value bytea NOT NULL CHECK (length(value) > 0),
            created_at timestamptz NOT NULL
        )
        """,
        """
        CREATE TRIGGER hub_secret_is_kept BEFORE UPDATE ON hub_secret
        FOR EACH ROW EXECUTE FUNCTION refuse_change('a hub secret is never changed')
        """,
    ]

    /// The hub's signing keys (never changed or removed), the signatures of approved versions (never changed), and the
    /// digest of each archive's `maxhub.yaml`, which a signature lists with the other files.
    private static let v3Signatures: [String] = [
        "ALTER TABLE version ADD COLUMN manifest_file_sha256 text CHECK (manifest_file_sha256 ~ '^sha256:[0-9a-f]{64}$')",
        """
        CREATE TABLE signing_key (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            fingerprint text COLLATE "C" NOT NULL UNIQUE CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
            public_key text NOT NULL CHECK (public_key LIKE '-----BEGIN PUBLIC KEY-----%'),
            private_key text NOT NULL CHECK (private_key LIKE '-----BEGIN PRIVATE KEY-----%'),
            created_at timestamptz NOT NULL,
            created_by text NOT NULL
        )
        """,
        """
        CREATE TRIGGER signing_key_is_kept BEFORE UPDATE OR DELETE ON signing_key
        FOR EACH ROW EXECUTE FUNCTION refuse_change('a signing key is never changed or removed')
        """,
        """
        CREATE TABLE version_signature (
            version_id bigint NOT NULL REFERENCES version(id),
            kind text NOT NULL CHECK (kind IN ('files', 'review')),
            key_fingerprint text COLLATE "C" NOT NULL REFERENCES signing_key(fingerprint),
            bundle text NOT NULL CHECK (json_typeof(bundle::json) = 'object'),
            PRIMARY KEY (version_id, kind)
        )
        """,
        """
        CREATE TRIGGER version_signature_is_kept BEFORE UPDATE ON version_signature
        FOR EACH ROW EXECUTE FUNCTION refuse_change('a signature is never changed')
        """,
    ]

    /// What each archive is as an OCI layer (its compression and DiffID), kept by its digest once a hub read it.
    private static let v4ArchiveLayers: [String] = [
        """
        CREATE TABLE archive_layer (
            archive_digest text COLLATE "C" PRIMARY KEY CHECK (archive_digest ~ '^sha256:[0-9a-f]{64}$'),
            compression text NOT NULL CHECK (compression IN ('zstd', 'gzip')),
            diff_id text NOT NULL CHECK (diff_id ~ '^sha256:[0-9a-f]{64}$'),
            uncompressed_size bigint NOT NULL CHECK (uncompressed_size >= 0)
        )
        """
    ]

    /// What is pushed under `/v2/`: manifests byte for byte, the blobs and manifests each names, and tags that never move.
    private static let v5Registry: [String] = [
        """
        CREATE TABLE registry_manifest (
            repository text COLLATE "C" NOT NULL CHECK (repository LIKE '%/%'),
            digest text COLLATE "C" NOT NULL CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
            media_type text NOT NULL CHECK (length(media_type) > 0),
            body text NOT NULL,
            pushed_by text NOT NULL,
            pushed_at timestamptz NOT NULL,
            PRIMARY KEY (repository, digest)
        )
        """,
        """
        CREATE TRIGGER registry_manifest_is_kept BEFORE UPDATE ON registry_manifest
        FOR EACH ROW EXECUTE FUNCTION refuse_change('a pushed manifest is never changed')
        """,
        """
        CREATE TABLE registry_reference (
            repository text COLLATE "C" NOT NULL,
            manifest_digest text COLLATE "C" NOT NULL,
            digest text COLLATE "C" NOT NULL CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
            kind text NOT NULL CHECK (kind IN ('blob', 'manifest')),
            PRIMARY KEY (repository, manifest_digest, digest),
            FOREIGN KEY (repository, manifest_digest) REFERENCES registry_manifest (repository, digest)
        )
        """,
        "CREATE INDEX registry_reference_by_digest ON registry_reference (digest)",
        """
        CREATE TABLE registry_tag (
            repository text COLLATE "C" NOT NULL,
            tag text COLLATE "C" NOT NULL,
            digest text COLLATE "C" NOT NULL,
            PRIMARY KEY (repository, tag),
            FOREIGN KEY (repository, digest) REFERENCES registry_manifest (repository, digest)
        )
        """,
        """
        CREATE TRIGGER registry_tag_never_moves BEFORE UPDATE ON registry_tag
        FOR EACH ROW EXECUTE FUNCTION refuse_change('a tag never moves')
        """,
    ]

    /// The manifest each pushed manifest's `subject` names, for the referrers API; kept with the manifest, never changed.
    /// Manifests pushed before this migration are read for their subject.
    private static let v6RegistrySubjects: [String] = [
        """
        CREATE TABLE registry_subject (
            repository text COLLATE "C" NOT NULL,
            manifest_digest text COLLATE "C" NOT NULL,
            subject text COLLATE "C" NOT NULL CHECK (subject ~ '^sha256:[0-9a-f]{64}$'),
            PRIMARY KEY (repository, manifest_digest),
            FOREIGN KEY (repository, manifest_digest) REFERENCES registry_manifest (repository, digest)
        )
        """,
        "CREATE INDEX registry_subject_by_subject ON registry_subject (repository, subject)",
        """
        CREATE TRIGGER registry_subject_is_kept BEFORE UPDATE ON registry_subject
        FOR EACH ROW EXECUTE FUNCTION refuse_change('a pushed manifest is never changed')
        """,
        """
        INSERT INTO registry_subject (repository, manifest_digest, subject)
        SELECT repository, digest, body::jsonb -> 'subject' ->> 'digest' FROM registry_manifest
        WHERE body::jsonb -> 'subject' ->> 'digest' ~ '^sha256:[0-9a-f]{64}$'
        """,
    ]
}
