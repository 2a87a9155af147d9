package dev.goldfinch.engine.store;

import dev.goldfinch.engine.EngineException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The owner of the {@code documents} table: a document's text, token ids and metadata, added once per content hash.
 * The text is checked against the CRC32C written with it, the token ids against their SHA-256; damaged ids are mended
 * from an intact reading of exactly those ids, never by replacing that reading.
 */
public final class Documents {
    private final DocumentStore store;
    private final Connection db;

    Documents(DocumentStore store, Connection db) {
        this.store = store;
        this.db = db;
    }

    /** Adds a document (or returns the existing one with the same content hash). */
    public long put(String contentHash, String name, String text, int[] tokens, String metadata) {
        return store.inTransaction(() -> {
            Optional<StoredDocument> existing = byHash(contentHash);
            if (existing.isPresent()) return existing.get().id();
            return insert(contentHash, name, text, tokens, metadata);
        });
    }

    /** Inserts a document row, sealed with its checksum, inside the caller's transaction (an import's too). */
    long insert(String contentHash, String name, String text, int[] tokens, String metadata) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO documents(content_hash, name, text, token_count, tokens, tokens_hash,"
                + " metadata, added_at) VALUES (?,?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, contentHash);
            ps.setString(2, name);
            ps.setString(3, text);
            ps.setInt(4, tokens.length);
            ps.setBytes(5, RowCodec.encodeTokens(tokens, 0, tokens.length));
            ps.setString(6, DocumentStore.tokensHash(tokens));
            ps.setString(7, metadata);
            ps.setLong(8, System.currentTimeMillis());
            ps.executeUpdate();
            long id = DocumentStore.generatedKey(ps);
            sealDocument(db, id);
            return id;
        }
    }

    public List<StoredDocument> all() {
        return store.call(() -> {
            List<StoredDocument> out = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(DOC_COLUMNS + " ORDER BY added_at, id")) {
                while (rs.next()) out.add(document(rs));
            }
            return out;
        });
    }

    public Optional<StoredDocument> get(long id) {
        return store.call(() -> queryDocument(DOC_COLUMNS + " WHERE id = ?", ps -> ps.setLong(1, id)));
    }

    public Optional<StoredDocument> byHash(String contentHash) {
        return store.call(() -> queryDocument(DOC_COLUMNS + " WHERE content_hash = ?", ps -> ps.setString(1, contentHash)));
    }

    /** The document's text, checked against the checksum it was written with. */
    public String text(long id) {
        return store.call(() -> {
            try (PreparedStatement ps = db.prepareStatement(DOC_ROW + ", crc FROM documents WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new EngineException("store " + store.file() + ": no document " + id);
                    if (rs.getObject(9) == null || rs.getLong(9) != documentChecksum(rs)) {
                        throw damagedDocument(id, rs.getString(3), "its text");
                    }
                    return rs.getString(4);
                }
            }
        });
    }

    /**
     * The document's token ids, checked against its tokens hash. Damaged ids are mended from a saved reading of
     * exactly those tokens when one is intact (its rows hold them too); else the document is reported damaged. A
     * saved reading is never replaced because the document's own ids are damaged.
     */
    public int[] tokens(long id) {
        return store.call(() -> {
            String name, hash;
            int[] tokens = null;
            try (PreparedStatement ps = db.prepareStatement("SELECT token_count, tokens, tokens_hash, name FROM documents WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new EngineException("store " + store.file() + ": no document " + id);
                    name = rs.getString(4);
                    hash = rs.getString(3);
                    byte[] blob = rs.getBytes(2);
                    int count = rs.getInt(1);
                    if (count >= 0 && blob != null && blob.length == (long) count * 4) tokens = RowCodec.decodeTokens(blob, count, "");
                }
            }
            if (tokens != null && DocumentStore.tokensHash(tokens).equals(hash)) return tokens;
            int[] mended = store.readings().intactTokens(id, hash);
            if (mended == null) throw damagedDocument(id, name, "its token ids");
            if (store.readOnly()) return mended;
            try (PreparedStatement ps = db.prepareStatement("UPDATE documents SET tokens = ?, token_count = ? WHERE id = ?")) {
                ps.setBytes(1, RowCodec.encodeTokens(mended, 0, mended.length));
                ps.setInt(2, mended.length);
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            System.getLogger(Documents.class.getName()).log(System.Logger.Level.WARNING,
                    "store " + store.file() + ": the token ids of '" + name + "' were damaged; mended from its saved reading");
            return mended;
        });
    }

    /** Removes a document with its caches and conversations. */
    public void delete(long id) {
        store.inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM documents WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private DamagedStoreException damagedDocument(long id, String name, String what) {
        return new DamagedStoreException("the document '" + name + "' is damaged in the store (" + what + " fail their checksum); add it again",
                what + " fail their checksum", id, -1);
    }

    private static final String DOC_ROW = "SELECT id, content_hash, name, text, token_count, tokens_hash, metadata, added_at";

    /** Over a row read with DOC_ROW: every field but the token blob, which its tokens hash covers. */
    static long documentChecksum(ResultSet rs) throws SQLException {
        return RowChecksum.of().add(rs.getLong(1)).add(rs.getString(2)).add(rs.getString(3)).add(rs.getString(4)).add(rs.getLong(5))
                .add(rs.getString(6)).add(rs.getString(7)).add(rs.getLong(8)).value();
    }

    static void sealDocument(Connection c, long id) throws SQLException {
        DocumentStore.seal(c, DOC_ROW + " FROM documents WHERE id = ?", "UPDATE documents SET crc = ? WHERE id = ?", id, Documents::documentChecksum);
    }

    private static final String DOC_COLUMNS = "SELECT id, content_hash, name, token_count, tokens_hash, metadata, added_at FROM documents";

    private static StoredDocument document(ResultSet rs) throws SQLException {
        return new StoredDocument(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getString(6), rs.getLong(7));
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private Optional<StoredDocument> queryDocument(String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(document(rs)) : Optional.empty();
            }
        }
    }


    /** The upgrade to checksums (schema 4): every document written before it gets the checksum of what it holds. */
    static void checksumOlderRows(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM documents")) {
            while (rs.next()) ids.add(rs.getLong(1));
        }
        for (long id : ids) sealDocument(c, id);
    }
}
