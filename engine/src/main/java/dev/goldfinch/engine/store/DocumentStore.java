package dev.goldfinch.engine.store;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.model.SavedState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The one-file SQLite store: documents, models, and for each (document, model) the persisted cache — token ids and
 * cc_t of every position in chunks of rows, plus every layer's end states. Every write is one transaction, so the
 * file holds either the old state or the new one; a cache recorded for another model or another tokenisation of
 * the document is refused, never misused.
 */
public final class DocumentStore implements AutoCloseable {
    /** Positions per chunk row: sqlite-jdbc reads a BLOB whole, so big caches are kept in many modest rows. */
    static final int CHUNK_ROWS = 4096;
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final Connection db;

    private DocumentStore(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    public Path file() {
        return file;
    }

    /**
     * Opens (or creates) a store. A file that is not SQLite, is another program's database, or was written by a
     * newer schema is refused with a one-line reason and left exactly as it was.
     */
    public static DocumentStore open(Path file) {
        String where = "store " + file;
        boolean fresh = !Files.exists(file);
        try {
            if (!fresh) {
                if (!Files.isRegularFile(file)) throw new EngineException(where + ": not a regular file");
                fresh = Files.size(file) == 0;
                if (!fresh) {
                    byte[] head = new byte[16];
                    try (InputStream in = Files.newInputStream(file)) {
                        if (in.readNBytes(head, 0, 16) != 16 || !java.util.Arrays.equals(head, SQLITE_MAGIC)) {
                            throw new EngineException(where + ": not a GoldFinch store (not an SQLite file); it was left untouched");
                        }
                    }
                }
            } else if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw new EngineException(where + ": cannot read: " + e.getMessage(), e);
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            int app = pragmaInt(c, "application_id"), version = pragmaInt(c, "user_version");
            boolean empty = !fresh && countTables(c) == 0;
            if (!fresh && !empty && app != Schema.APPLICATION_ID) {
                throw new EngineException(where + ": an SQLite file of another program, not a GoldFinch store; it was left untouched");
            }
            if (version > Schema.latestVersion()) {
                throw new EngineException(where + ": written by a newer GoldFinch Reader (schema " + version + ", this version reads up to "
                        + Schema.latestVersion() + "); it was left untouched");
            }
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA foreign_keys = ON");
                s.execute("PRAGMA busy_timeout = 5000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL");
            }
            migrate(c, version);
            return new DocumentStore(file, c);
        } catch (SQLException e) {
            closeQuietly(c);
            throw failure(where, e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static void migrate(Connection c, int from) throws SQLException {
        for (int v = from; v < Schema.latestVersion(); v++) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : Schema.MIGRATIONS.get(v).split(";")) {
                    if (!sql.isBlank()) s.execute(sql);
                }
                s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
                s.execute("PRAGMA user_version = " + (v + 1));
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    public int schemaVersion() {
        return call(() -> pragmaInt(db, "user_version"));
    }

    // ---- documents -------------------------------------------------------------------------------------------

    /** Adds a document (or returns the existing one with the same content hash). */
    public synchronized long putDocument(String contentHash, String name, String text, int[] tokens, String metadata) {
        return call(() -> {
            Optional<StoredDocument> existing = documentByHash(contentHash);
            if (existing.isPresent()) return existing.get().id();
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO documents(content_hash, name, text, token_count, tokens, tokens_hash,"
                    + " metadata, added_at) VALUES (?,?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, contentHash);
                ps.setString(2, name);
                ps.setString(3, text);
                ps.setInt(4, tokens.length);
                ps.setBytes(5, RowCodec.encodeTokens(tokens, 0, tokens.length));
                ps.setString(6, tokensHash(tokens));
                ps.setString(7, metadata);
                ps.setLong(8, System.currentTimeMillis());
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    public synchronized List<StoredDocument> documents() {
        return call(() -> {
            List<StoredDocument> out = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(DOC_COLUMNS + " ORDER BY added_at, id")) {
                while (rs.next()) out.add(document(rs));
            }
            return out;
        });
    }

    public synchronized Optional<StoredDocument> document(long id) {
        return call(() -> queryDocument(DOC_COLUMNS + " WHERE id = ?", ps -> ps.setLong(1, id)));
    }

    public synchronized Optional<StoredDocument> documentByHash(String contentHash) {
        return call(() -> queryDocument(DOC_COLUMNS + " WHERE content_hash = ?", ps -> ps.setString(1, contentHash)));
    }

    public synchronized String documentText(long id) {
        return call(() -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT text FROM documents WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new EngineException("store " + file + ": no document " + id);
                    return rs.getString(1);
                }
            }
        });
    }

    public synchronized int[] documentTokens(long id) {
        return call(() -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT token_count, tokens FROM documents WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new EngineException("store " + file + ": no document " + id);
                    return RowCodec.decodeTokens(rs.getBytes(2), rs.getInt(1), "store " + file + ", document " + id);
                }
            }
        });
    }

    /** Removes a document with its caches and conversations. */
    public synchronized void deleteDocument(long id) {
        inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM documents WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- models ----------------------------------------------------------------------------------------------

    public synchronized long putModel(ModelIdentity m) {
        return call(() -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT id FROM models WHERE identity = ?")) {
                ps.setString(1, m.identity());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long id = rs.getLong(1);
                        try (PreparedStatement up = db.prepareStatement("UPDATE models SET path = ? WHERE id = ?")) {
                            up.setString(1, m.path());
                            up.setLong(2, id);
                            up.executeUpdate();
                        }
                        return id;
                    }
                }
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO models(identity, path, size, architecture, layers, att_width, description)"
                    + " VALUES (?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, m.identity());
                ps.setString(2, m.path());
                ps.setLong(3, m.size());
                ps.setString(4, m.architecture());
                ps.setInt(5, m.layers());
                ps.setInt(6, m.attWidth());
                ps.setString(7, m.description());
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    public synchronized Optional<ModelIdentity> model(long id) {
        return call(() -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT identity, path, size, architecture, layers, att_width, description FROM models WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new ModelIdentity(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getInt(5), rs.getInt(6), rs.getString(7))) : Optional.empty();
                }
            }
        });
    }

    // ---- caches ----------------------------------------------------------------------------------------------

    /** The complete cache (complete = true) or the pre-fill checkpoint (false) of a document for a model. */
    public synchronized Optional<CacheInfo> cache(long documentId, long modelId, boolean complete) {
        return call(() -> {
            try (PreparedStatement ps = db.prepareStatement(CACHE_COLUMNS + " WHERE c.document_id = ? AND c.model_id = ? AND c.complete = ?")) {
                ps.setLong(1, documentId);
                ps.setLong(2, modelId);
                ps.setInt(3, complete ? 1 : 0);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(cacheInfo(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Every cache in the store, complete or not. */
    public synchronized List<CacheInfo> caches() {
        return call(() -> {
            List<CacheInfo> out = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(CACHE_COLUMNS + " ORDER BY c.id")) {
                while (rs.next()) out.add(cacheInfo(rs));
            }
            return out;
        });
    }

    /** Starts a new pre-fill of a document (dropping an older unfinished one); returns the partial cache's id. */
    public synchronized long beginCache(long documentId, long modelId, String modelIdentity, String tokensHash,
                                        CachePrecision precision, int ccWidth, int totalTokens) {
        return inTransaction(() -> {
            try (PreparedStatement del = db.prepareStatement("DELETE FROM caches WHERE document_id = ? AND model_id = ? AND complete = 0")) {
                del.setLong(1, documentId);
                del.setLong(2, modelId);
                del.executeUpdate();
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO caches(document_id, model_id, model_identity, tokens_hash, precision,"
                    + " cc_width, positions, total_tokens, complete, seconds, updated_at) VALUES (?,?,?,?,?,?,0,?,0,0,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, documentId);
                ps.setLong(2, modelId);
                ps.setString(3, modelIdentity);
                ps.setString(4, tokensHash);
                ps.setString(5, precision.name());
                ps.setInt(6, ccWidth);
                ps.setInt(7, totalTokens);
                ps.setLong(8, System.currentTimeMillis());
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Appends positions [cache.positions, state.position()) and replaces the layer states, in one transaction.
     * With complete = true the cache becomes the document's cache for this model, replacing an older one.
     */
    public synchronized void write(long cacheId, SavedRows rows, List<SavedState.Layer> layers, double seconds, boolean complete) {
        inTransaction(() -> {
            CacheInfo info = cacheById(cacheId);
            if (info.complete()) throw new EngineException("store " + file + ": cache " + cacheId + " is already complete");
            if (rows.from() != info.positions()) {
                throw new EngineException("store " + file + ": cache " + cacheId + " holds " + info.positions() + " positions, rows start at " + rows.from());
            }
            insertChunks(cacheId, info, rows);
            try (PreparedStatement del = db.prepareStatement("DELETE FROM cache_states WHERE cache_id = ?")) {
                del.setLong(1, cacheId);
                del.executeUpdate();
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO cache_states(cache_id, layer, att_shift, ffn_shift, wkv) VALUES (?,?,?,?,?)")) {
                for (int i = 0; i < layers.size(); i++) {
                    SavedState.Layer l = layers.get(i);
                    ps.setLong(1, cacheId);
                    ps.setInt(2, i);
                    ps.setBytes(3, RowCodec.encodeFloats(l.attShift()));
                    ps.setBytes(4, RowCodec.encodeFloats(l.ffnShift()));
                    ps.setBytes(5, RowCodec.encodeFloats(l.wkv()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            int positions = rows.from() + rows.count();
            if (complete) {
                if (positions != info.totalTokens()) {
                    throw new EngineException("store " + file + ": cache " + cacheId + " completed at " + positions + " of " + info.totalTokens() + " positions");
                }
                try (PreparedStatement del = db.prepareStatement("DELETE FROM caches WHERE document_id = ? AND model_id = ? AND complete = 1")) {
                    del.setLong(1, info.documentId());
                    del.setLong(2, info.modelId());
                    del.executeUpdate();
                }
            }
            try (PreparedStatement ps = db.prepareStatement("UPDATE caches SET positions = ?, seconds = ?, complete = ?, updated_at = ? WHERE id = ?")) {
                ps.setInt(1, positions);
                ps.setDouble(2, seconds);
                ps.setInt(3, complete ? 1 : 0);
                ps.setLong(4, System.currentTimeMillis());
                ps.setLong(5, cacheId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Positions [from, from+count) of a state: their token ids and cc_t rows [count, width]. */
    public record SavedRows(int from, int count, int[] tokens, float[] compressed, int width) {
    }

    private void insertChunks(long cacheId, CacheInfo info, SavedRows rows) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO cache_chunks(cache_id, first_position, rows, encoding, tokens, cc) VALUES (?,?,?,?,?,?)")) {
            int width = info.ccWidth();
            if (rows.width() != width) throw new EngineException("store " + file + ": cache rows are " + rows.width() + " wide, the cache " + width);
            for (int done = 0; done < rows.count(); done += CHUNK_ROWS) {
                int n = Math.min(CHUNK_ROWS, rows.count() - done);
                CachePrecision p = RowCodec.effective(info.precision(), rows.compressed(), done * width, n * width);
                ps.setLong(1, cacheId);
                ps.setInt(2, rows.from() + done);
                ps.setInt(3, n);
                ps.setString(4, p.name());
                ps.setBytes(5, RowCodec.encodeTokens(rows.tokens(), done, n));
                ps.setBytes(6, RowCodec.encode(p, rows.compressed(), done * width, n, width));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Reads a cache back. Refuses it when it was recorded for another checkpoint or for other token ids of the
     * document (an edited document), and when any chunk is missing or truncated.
     */
    public synchronized SavedState loadCache(CacheInfo info, String modelIdentity, String documentTokensHash) {
        String where = "store " + file + ", cache " + info.id();
        if (!info.modelIdentity().equals(modelIdentity)) {
            throw new EngineException(where + ": recorded for another model checkpoint; it will not be used (pre-fill again)");
        }
        if (!info.tokensHash().equals(documentTokensHash)) {
            throw new EngineException(where + ": recorded for another version of the document; it will not be used (pre-fill again)");
        }
        return call(() -> {
            int width = info.ccWidth(), n = info.positions();
            int[] tokens = new int[n];
            float[] cc = new float[n * width];
            int next = 0;
            try (PreparedStatement ps = db.prepareStatement("SELECT first_position, rows, encoding, tokens, cc FROM cache_chunks WHERE cache_id = ? ORDER BY first_position")) {
                ps.setLong(1, info.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int first = rs.getInt(1), rowsInChunk = rs.getInt(2);
                        if (first != next || first + rowsInChunk > n) throw new EngineException(where + ": chunk at position " + first + " does not follow " + next + " (damaged store)");
                        int[] t = RowCodec.decodeTokens(rs.getBytes(4), rowsInChunk, where);
                        System.arraycopy(t, 0, tokens, first, rowsInChunk);
                        RowCodec.decode(CachePrecision.valueOf(rs.getString(3)), rs.getBytes(5), rowsInChunk, width, cc, first * width, where);
                        next = first + rowsInChunk;
                    }
                }
            }
            if (next != n) throw new EngineException(where + ": holds " + next + " of " + n + " positions (damaged store)");
            List<SavedState.Layer> layers = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT layer, att_shift, ffn_shift, wkv FROM cache_states WHERE cache_id = ? ORDER BY layer")) {
                ps.setLong(1, info.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getInt(1) != layers.size()) throw new EngineException(where + ": layer states out of order (damaged store)");
                        byte[] att = rs.getBytes(2), ffn = rs.getBytes(3), wkv = rs.getBytes(4);
                        if (att == null || ffn == null || att.length != ffn.length || att.length % 4 != 0) {
                            throw new EngineException(where + ": layer " + layers.size() + " state is damaged");
                        }
                        int d = att.length / 4;
                        layers.add(new SavedState.Layer(RowCodec.decodeFloats(att, d, where), RowCodec.decodeFloats(ffn, d, where),
                                wkv == null ? null : RowCodec.decodeFloats(wkv, wkv.length / 4, where)));
                    }
                }
            }
            return new SavedState(n, tokens, cc, layers);
        });
    }

    /** sha-256 of the token ids (int32 little-endian): what a cache is checked against. */
    public static String tokensHash(int[] tokens) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(tokens.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int t : tokens) b.putInt(t);
            return HexFormat.of().formatHex(md.digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(db);
    }

    // ---- plumbing --------------------------------------------------------------------------------------------

    private static final String DOC_COLUMNS = "SELECT id, content_hash, name, token_count, tokens_hash, metadata, added_at FROM documents";
    private static final String CACHE_COLUMNS = "SELECT c.id, c.document_id, c.model_id, c.model_identity, c.tokens_hash, c.precision, c.cc_width,"
            + " c.positions, c.total_tokens, c.complete, c.seconds,"
            + " (SELECT COALESCE(SUM(length(k.tokens) + length(k.cc)), 0) FROM cache_chunks k WHERE k.cache_id = c.id),"
            + " (SELECT COALESCE(SUM(length(s.att_shift) + length(s.ffn_shift) + COALESCE(length(s.wkv), 0)), 0) FROM cache_states s WHERE s.cache_id = c.id)"
            + " FROM caches c";

    private CacheInfo cacheById(long id) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(CACHE_COLUMNS + " WHERE c.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new EngineException("store " + file + ": no cache " + id);
                return cacheInfo(rs);
            }
        }
    }

    private static CacheInfo cacheInfo(ResultSet rs) throws SQLException {
        return new CacheInfo(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                CachePrecision.valueOf(rs.getString(6)), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10) == 1,
                rs.getDouble(11), rs.getLong(12), rs.getLong(13));
    }

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

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private <T> T call(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw failure("store " + file, e);
        }
    }

    /** Runs work in one transaction: all of it lands, or none of it. */
    private synchronized <T> T inTransaction(SqlWork<T> work) {
        try {
            db.setAutoCommit(false);
            try {
                T result = work.run();
                db.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("store " + file, e);
        }
    }

    private static EngineException failure(String where, SQLException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("SQLITE_FULL")) return new EngineException(where + ": the disk is full; nothing was written", e);
        if (msg.contains("SQLITE_NOTADB")) return new EngineException(where + ": not a GoldFinch store (not an SQLite file)", e);
        if (msg.contains("SQLITE_CORRUPT")) return new EngineException(where + ": the store file is damaged", e);
        if (msg.contains("SQLITE_BUSY") || msg.contains("SQLITE_LOCKED")) return new EngineException(where + ": the store is in use by another process", e);
        if (msg.contains("SQLITE_READONLY") || msg.contains("SQLITE_CANTOPEN")) return new EngineException(where + ": cannot write the store file (" + msg.lines().findFirst().orElse("") + ")", e);
        return new EngineException(where + ": " + msg.lines().findFirst().orElse(msg), e);
    }

    private static int pragmaInt(Connection c, String pragma) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static int countTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing after a failure: the first error is the one worth reporting
        }
    }
}
