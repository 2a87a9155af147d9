package dev.goldfinch.engine.store;

import java.util.List;

/**
 * The store's schema as an ordered list of migrations: migration i brings a store from version i to i+1.
 * PRAGMA user_version records the version; PRAGMA application_id marks the file as a GoldFinch store.
 */
final class Schema {
    /** "GFRd": tells a GoldFinch store from any other SQLite file. */
    static final int APPLICATION_ID = 0x47465264;

    static final List<String> MIGRATIONS = List.of(
            // 0 -> 1: documents, models and their persisted caches
            """
            CREATE TABLE documents(
              id INTEGER PRIMARY KEY,
              content_hash TEXT NOT NULL UNIQUE,
              name TEXT NOT NULL,
              text TEXT NOT NULL,
              token_count INTEGER NOT NULL,
              tokens BLOB NOT NULL,
              tokens_hash TEXT NOT NULL,
              metadata TEXT,
              added_at INTEGER NOT NULL);
            CREATE TABLE models(
              id INTEGER PRIMARY KEY,
              identity TEXT NOT NULL UNIQUE,
              path TEXT NOT NULL,
              size INTEGER NOT NULL,
              architecture TEXT NOT NULL,
              layers INTEGER NOT NULL,
              att_width INTEGER NOT NULL,
              description TEXT NOT NULL);
            CREATE TABLE caches(
              id INTEGER PRIMARY KEY,
              document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
              model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
              model_identity TEXT NOT NULL,
              tokens_hash TEXT NOT NULL,
              precision TEXT NOT NULL,
              cc_width INTEGER NOT NULL,
              positions INTEGER NOT NULL,
              total_tokens INTEGER NOT NULL,
              complete INTEGER NOT NULL,
              seconds REAL NOT NULL,
              updated_at INTEGER NOT NULL,
              UNIQUE(document_id, model_id, complete));
            CREATE TABLE cache_chunks(
              cache_id INTEGER NOT NULL REFERENCES caches(id) ON DELETE CASCADE,
              first_position INTEGER NOT NULL,
              rows INTEGER NOT NULL,
              encoding TEXT NOT NULL,
              tokens BLOB NOT NULL,
              cc BLOB NOT NULL,
              PRIMARY KEY(cache_id, first_position));
            CREATE TABLE cache_states(
              cache_id INTEGER NOT NULL REFERENCES caches(id) ON DELETE CASCADE,
              layer INTEGER NOT NULL,
              att_shift BLOB NOT NULL,
              ffn_shift BLOB NOT NULL,
              wkv BLOB,
              PRIMARY KEY(cache_id, layer));
            """,
            // 1 -> 2: conversations kept with their document
            """
            CREATE TABLE conversations(
              id INTEGER PRIMARY KEY,
              document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
              title TEXT NOT NULL,
              created_at INTEGER NOT NULL);
            CREATE TABLE messages(
              id INTEGER PRIMARY KEY,
              conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
              role TEXT NOT NULL,
              text TEXT NOT NULL,
              sources TEXT,
              created_at INTEGER NOT NULL);
            """,
            // 2 -> 3: an answer's thinking (RWKV-7 G1), kept apart from its text
            """
            ALTER TABLE messages ADD COLUMN thinking TEXT;
            """,
            // 3 -> 4: a checksum on every row a reading is made of (RowChecksum); rows written before it get theirs
            // from what they hold at the upgrade (DocumentStore.checksumOlderRows)
            """
            ALTER TABLE documents ADD COLUMN crc INTEGER;
            ALTER TABLE caches ADD COLUMN crc INTEGER;
            ALTER TABLE cache_chunks ADD COLUMN crc INTEGER;
            ALTER TABLE cache_states ADD COLUMN crc INTEGER;
            """,
            // 4 -> 5: layer states kept at more than one checkpoint (the newest and one about half-way), by position,
            // so a reading damaged after a checkpoint goes on from there; the checksums then cover the position too
            // (DocumentStore.checksumStatePositions)
            """
            CREATE TABLE cache_states_by_position(
              cache_id INTEGER NOT NULL REFERENCES caches(id) ON DELETE CASCADE,
              position INTEGER NOT NULL,
              layer INTEGER NOT NULL,
              att_shift BLOB NOT NULL,
              ffn_shift BLOB NOT NULL,
              wkv BLOB,
              crc INTEGER,
              PRIMARY KEY(cache_id, position, layer));
            INSERT INTO cache_states_by_position(cache_id, position, layer, att_shift, ffn_shift, wkv, crc)
              SELECT s.cache_id, c.positions, s.layer, s.att_shift, s.ffn_shift, s.wkv, s.crc FROM cache_states s JOIN caches c ON c.id = s.cache_id;
            DROP TABLE cache_states;
            ALTER TABLE cache_states_by_position RENAME TO cache_states;
            """,
            // 5 -> 6: a checksum on conversations and messages too (Conversations); rows written before it get theirs
            // from what they hold at the upgrade
            """
            ALTER TABLE conversations ADD COLUMN crc INTEGER;
            ALTER TABLE messages ADD COLUMN crc INTEGER;
            """,
            // 6 -> 7 (COLLECTIONS): collections, each a documents row (its text and tokens are its members' one
            // after another, so readings and conversations work on it as on a document) with its ordered members; and
            // the checkpoints a reading keeps for good (a collection's members' ends), whatever the newest/spare rule drops.
            // IF NOT EXISTS: a store taken back to an older version by hand (the upgrade tests) may hold them already
            """
            CREATE TABLE IF NOT EXISTS collections(
              document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
              name TEXT NOT NULL UNIQUE,
              crc INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS collection_members(
              collection_id INTEGER NOT NULL REFERENCES collections(document_id) ON DELETE CASCADE,
              ordinal INTEGER NOT NULL,
              member_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
              title TEXT NOT NULL,
              text_start INTEGER NOT NULL,
              text_end INTEGER NOT NULL,
              token_start INTEGER NOT NULL,
              token_end INTEGER NOT NULL,
              crc INTEGER NOT NULL,
              PRIMARY KEY(collection_id, ordinal));
            CREATE INDEX IF NOT EXISTS collection_members_by_member ON collection_members(member_id);
            CREATE TABLE IF NOT EXISTS cache_kept_checkpoints(
              cache_id INTEGER NOT NULL REFERENCES caches(id) ON DELETE CASCADE,
              position INTEGER NOT NULL,
              crc INTEGER NOT NULL,
              PRIMARY KEY(cache_id, position));
            """,
            // 7 -> 8 (RECALL_CHECKS): recall checks (RecallChecks): a model's grid of facts recalled by document length and
            // depth, one row a run
            // (IF NOT EXISTS: a store taken back to an older version number, as the upgrade tests do, keeps its table)
            """
            CREATE TABLE IF NOT EXISTS recall_checks(
              id INTEGER PRIMARY KEY,
              model_identity TEXT NOT NULL,
              model_name TEXT NOT NULL,
              started_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL,
              finished INTEGER NOT NULL,
              grid TEXT NOT NULL,
              crc INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS recall_checks_by_model ON recall_checks(model_identity, started_at);
            """);

    /** The first schema whose rows carry checksums. */
    static final int CHECKSUMS = 4;

    /** The first schema that keeps layer states by position. */
    static final int STATE_POSITIONS = 5;

    /** The first schema whose conversations and messages carry checksums. */
    static final int CONVERSATION_CHECKSUMS = 6;

    /** The first schema that keeps collections (and a reading's kept checkpoints). */
    static final int COLLECTIONS = 7;

    /** The first schema that keeps recall checks (the migration that adds {@code recall_checks}). */
    static final int RECALL_CHECKS = 8;

    static int latestVersion() {
        return MIGRATIONS.size();
    }

    private Schema() {
    }
}
