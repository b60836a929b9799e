import GRDB

/// The catalog's SQLite schema, as named migrations.
///
/// Migrations are append-only: once shipped, a migration is never edited; a change is a new migration registered after
/// the others. The invariants live here (`NOT NULL`, `UNIQUE`, `CHECK`, foreign keys, the append-only audit log), and
/// the store relies on them.
enum CatalogSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2-reviews", migrate: v2Reviews)
        migrator.registerMigration("v3-readmes", migrate: v3Readmes)
        migrator.registerMigration("v4-token-expiry", migrate: v4TokenExpiry)
        migrator.registerMigration("v5-catalog-generation", migrate: v5CatalogGeneration)
        migrator.registerMigration("v6-hub-secrets", migrate: v6HubSecrets)
        migrator.registerMigration("v7-signatures", migrate: v7Signatures)
        migrator.registerMigration("v8-archive-layers", migrate: v8ArchiveLayers)
        migrator.registerMigration("v9-registry", migrate: v9Registry)
        migrator.registerMigration("v10-registry-subjects", migrate: v10RegistrySubjects)
        return migrator
    }

    /// Models, versions, tokens, the audit log and the full-text index of versions.
    private static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE model (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    created_at TEXT NOT NULL
                );

                CREATE TABLE version (
                    id INTEGER PRIMARY KEY,
                    model_id INTEGER NOT NULL REFERENCES model(id),
                    version TEXT NOT NULL,
                    version_key TEXT NOT NULL,
                    precedence TEXT NOT NULL,
                    is_release INTEGER NOT NULL CHECK (is_release IN (0, 1)),
                    state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'yanked')),
                    task TEXT NOT NULL,
                    description TEXT NOT NULL,
                    framework TEXT,
                    license_code TEXT NOT NULL,
                    license_weights TEXT NOT NULL,
                    license_data TEXT NOT NULL,
                    archive_digest TEXT NOT NULL,
                    archive_size INTEGER NOT NULL CHECK (archive_size >= 0),
                    manifest TEXT NOT NULL CHECK (json_valid(manifest)),
                    published_by TEXT NOT NULL,
                    published_at TEXT NOT NULL,
                    UNIQUE (model_id, version_key)
                );

                -- The latest visible version of a model: walked backwards, it answers without touching the table.
                CREATE INDEX version_latest ON version (model_id, is_release, precedence, state, published_by);

                CREATE TABLE token (
                    id INTEGER PRIMARY KEY,
                    user TEXT NOT NULL,
                    roles TEXT NOT NULL,
                    hash TEXT NOT NULL UNIQUE,
                    created_by TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    revoked_at TEXT
                );

                CREATE TABLE audit_entry (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    from_state TEXT CHECK (from_state IN ('pending', 'approved', 'rejected', 'yanked')),
                    to_state TEXT CHECK (to_state IN ('pending', 'approved', 'rejected', 'yanked')),
                    detail TEXT
                );

                CREATE INDEX audit_entry_subject ON audit_entry (subject);
                CREATE INDEX audit_entry_actor ON audit_entry (actor);

                CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
                BEGIN
                    SELECT RAISE(ABORT, 'the audit log is append-only');
                END;

                CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
                BEGIN
                    SELECT RAISE(ABORT, 'the audit log is append-only');
                END;

                -- One row per version (rowid = version.id); the model name is copied in, as a version never changes model.
                CREATE VIRTUAL TABLE version_search USING fts5 (
                    name, description, task,
                    tokenize = 'unicode61 remove_diacritics 2'
                );

                CREATE TRIGGER version_search_insert AFTER INSERT ON version
                BEGIN
                    INSERT INTO version_search (rowid, name, description, task)
                    VALUES (new.id, (SELECT name FROM model WHERE id = new.model_id), new.description, new.task);
                END;

                CREATE TRIGGER version_search_update AFTER UPDATE OF description, task ON version
                BEGIN
                    UPDATE version_search SET description = new.description, task = new.task WHERE rowid = new.id;
                END;

                CREATE TRIGGER version_search_delete AFTER DELETE ON version
                BEGIN
                    DELETE FROM version_search WHERE rowid = old.id;
                END;
                """
        )
    }

    /// The review workflow: one final review per reviewed version, the reason a version is yanked, and an index for
    /// the review queue.
    private static func v2Reviews(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE version ADD COLUMN yank_reason TEXT;

                CREATE INDEX version_queue ON version (state, published_at);
                CREATE INDEX version_archive ON version (archive_digest);

                CREATE TABLE review (
                    version_id INTEGER PRIMARY KEY REFERENCES version(id),
                    reviewer TEXT NOT NULL,
                    decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
                    license_code TEXT NOT NULL,
                    license_weights TEXT NOT NULL,
                    license_data TEXT NOT NULL,
                    note TEXT,
                    reviewed_at TEXT NOT NULL,
                    CHECK (decision = 'approve' OR length(trim(coalesce(note, ''))) > 0)
                );

                CREATE TRIGGER review_no_update BEFORE UPDATE ON review
                BEGIN
                    SELECT RAISE(ABORT, 'a review is final');
                END;

                CREATE TRIGGER review_no_delete BEFORE DELETE ON review
                BEGIN
                    SELECT RAISE(ABORT, 'a review is final');
                END;
                """
        )
    }

    /// Model cards: the README text a version's archive carried when it was published (bounded by the publisher), kept
    /// apart from `version` so that searches never read it. A README is as immutable as its version.
    private static func v3Readmes(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE version_readme (
                    version_id INTEGER PRIMARY KEY REFERENCES version(id),
                    text TEXT NOT NULL,
                    truncated INTEGER NOT NULL CHECK (truncated IN (0, 1))
                );

                CREATE TRIGGER version_readme_no_update BEFORE UPDATE ON version_readme
                BEGIN
                    SELECT RAISE(ABORT, 'a README is as immutable as its version');
                END;
                """
        )
    }

    /// Tokens may expire: the time a token stops working, or NULL for one that works until it is revoked.
    private static func v4TokenExpiry(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE token ADD COLUMN expires_at TEXT")
    }

    /// A counter that every change to what the catalog shows moves on, in the same transaction as the change: hubs
    /// sharing the database keep rendered answers until it moves (`CatalogStore.generation()`). Triggers keep it, so
    /// that no write path can forget it.
    private static func v5CatalogGeneration(_ db: Database) throws {
        var sql = """
            CREATE TABLE catalog_generation (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                value INTEGER NOT NULL
            );
            INSERT INTO catalog_generation (id, value) VALUES (1, 0);

            """
        for table in ["model", "version", "review", "version_readme"] {
            for event in ["INSERT", "UPDATE", "DELETE"] {
                sql += """
                    CREATE TRIGGER \(table)_\(event.lowercased())_moves_generation AFTER \(event) ON \(table)
                    BEGIN
                        UPDATE catalog_generation SET value = value + 1 WHERE id = 1;
                    END;

                    """
            }
        }
        try db.execute(sql: sql)
    }

    /// The hub-wide secrets (`CatalogStore.sharedSecret`): written once, then only read.
    private static func v6HubSecrets(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE hub_secret (
                    name TEXT PRIMARY KEY NOT NULL CHECK (length(name) > 0),
                    value BLOB NOT NULL CHECK (length(value) > 0),
                    created_at TEXT NOT NULL
                );
                CREATE TRIGGER hub_secret_is_kept BEFORE UPDATE ON hub_secret
                BEGIN
                    SELECT RAISE(ABORT, 'a hub secret is never changed');
                END;
                """)
    }

    /// The hub's signing keys (never changed or removed), the signatures of approved versions (never changed), and the
    /// digest of each archive's `maxhub.yaml`, which a signature lists with the other files.
    private static func v7Signatures(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE version ADD COLUMN manifest_file_sha256 TEXT
                    CHECK (manifest_file_sha256 IS NULL OR manifest_file_sha256 GLOB 'sha256:*');
                CREATE TABLE signing_key (
                    id INTEGER PRIMARY KEY,
                    fingerprint TEXT NOT NULL UNIQUE CHECK (length(fingerprint) = 64),
                    public_key TEXT NOT NULL CHECK (public_key LIKE '-----BEGIN PUBLIC KEY-----%'),
                    private_key TEXT NOT NULL CHECK (private_key LIKE '-----BEGIN PRIVATE KEY-----%'),
                    created_at TEXT NOT NULL,
                    created_by TEXT NOT NULL
                );
                CREATE TRIGGER signing_key_is_kept BEFORE UPDATE ON signing_key
                BEGIN
                    SELECT RAISE(ABORT, 'a signing key is never changed');
                END;
                CREATE TRIGGER signing_key_is_never_removed BEFORE DELETE ON signing_key
                BEGIN
                    SELECT RAISE(ABORT, 'a signing key is never removed');
                END;
                CREATE TABLE version_signature (
                    version_id INTEGER NOT NULL REFERENCES version(id),
                    kind TEXT NOT NULL CHECK (kind IN ('files', 'review')),
                    key_fingerprint TEXT NOT NULL REFERENCES signing_key(fingerprint),
                    bundle TEXT NOT NULL CHECK (json_valid(bundle)),
                    PRIMARY KEY (version_id, kind)
                );
                CREATE TRIGGER version_signature_is_kept BEFORE UPDATE ON version_signature
                BEGIN
                    SELECT RAISE(ABORT, 'a signature is never changed');
                END;
                """)
    }

    /// What each archive is as an OCI layer (its compression and DiffID), kept by its digest once a hub read it.
    private static func v8ArchiveLayers(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE archive_layer (
                    archive_digest TEXT PRIMARY KEY NOT NULL CHECK (archive_digest GLOB 'sha256:*'),
                    compression TEXT NOT NULL CHECK (compression IN ('zstd', 'gzip')),
                    diff_id TEXT NOT NULL CHECK (diff_id GLOB 'sha256:*'),
                    uncompressed_size INTEGER NOT NULL CHECK (uncompressed_size >= 0)
                );
                """)
    }

    /// What is pushed under `/v2/`: manifests byte for byte, the blobs and manifests each names, and tags that never move.
    private static func v9Registry(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE registry_manifest (
                    repository TEXT NOT NULL CHECK (repository GLOB '*/*'),
                    digest TEXT NOT NULL CHECK (digest GLOB 'sha256:*'),
                    media_type TEXT NOT NULL CHECK (length(media_type) > 0),
                    body TEXT NOT NULL,
                    pushed_by TEXT NOT NULL,
                    pushed_at TEXT NOT NULL,
                    PRIMARY KEY (repository, digest)
                );
                CREATE TRIGGER registry_manifest_is_kept BEFORE UPDATE ON registry_manifest
                BEGIN
                    SELECT RAISE(ABORT, 'a pushed manifest is never changed');
                END;
                CREATE TABLE registry_reference (
                    repository TEXT NOT NULL,
                    manifest_digest TEXT NOT NULL,
                    digest TEXT NOT NULL CHECK (digest GLOB 'sha256:*'),
                    kind TEXT NOT NULL CHECK (kind IN ('blob', 'manifest')),
                    PRIMARY KEY (repository, manifest_digest, digest),
                    FOREIGN KEY (repository, manifest_digest) REFERENCES registry_manifest(repository, digest)
                );
                CREATE INDEX registry_reference_by_digest ON registry_reference(digest);
                CREATE TABLE registry_tag (
                    repository TEXT NOT NULL,
                    tag TEXT NOT NULL,
                    digest TEXT NOT NULL,
                    PRIMARY KEY (repository, tag),
                    FOREIGN KEY (repository, digest) REFERENCES registry_manifest(repository, digest)
                );
                CREATE TRIGGER registry_tag_never_moves BEFORE UPDATE ON registry_tag
                BEGIN
                    SELECT RAISE(ABORT, 'a tag never moves');
                END;
                """)
    }

    /// The manifest each pushed manifest's `subject` names, for the referrers API; kept with the manifest, never changed.
    /// Manifests pushed before this migration are read for their subject.
    private static func v10RegistrySubjects(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE registry_subject (
                    repository TEXT NOT NULL,
                    manifest_digest TEXT NOT NULL,
                    subject TEXT NOT NULL CHECK (subject GLOB 'sha256:*'),
                    PRIMARY KEY (repository, manifest_digest),
                    FOREIGN KEY (repository, manifest_digest) REFERENCES registry_manifest(repository, digest)
                );
                CREATE INDEX registry_subject_by_subject ON registry_subject(repository, subject);
                CREATE TRIGGER registry_subject_is_kept BEFORE UPDATE ON registry_subject
                BEGIN
                    SELECT RAISE(ABORT, 'a pushed manifest is never changed');
                END;
                INSERT INTO registry_subject (repository, manifest_digest, subject)
                SELECT repository, digest, json_extract(body, '$.subject.digest') FROM registry_manifest
                WHERE json_valid(body) AND json_extract(body, '$.subject.digest') GLOB 'sha256:*';
                """)
    }
}
