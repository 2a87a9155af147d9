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
    private final boolean readOnly;
    private final Conversations conversations = new Conversations(this);

    private DocumentStore(Path file, Connection db, boolean readOnly) {
        this.file = file;
        this.db = db;
        this.readOnly = readOnly;
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
        boolean readOnly = !fresh && !writable(file);
        Connection c = null;
        try {
            c = DriverManager.getConnection(connectionUrl(file, readOnly));
            int app = pragmaInt(c, "application_id"), version = pragmaInt(c, "user_version");
            boolean empty = !fresh && countTables(c) == 0;
            if (!fresh && !empty && app != Schema.APPLICATION_ID) {
                throw new EngineException(where + ": an SQLite file of another program, not a GoldFinch store; it was left untouched");
            }
            if (version > Schema.latestVersion()) {
                throw new EngineException(where + ": written by a newer GoldFinch Reader (schema " + version + ", this version reads up to "
                        + Schema.latestVersion() + "); it was left untouched");
            }
            if (readOnly) {
                if (version < Schema.latestVersion()) {
                    throw new EngineException(where + ": the store is read-only and was written by an older version (schema " + version
                            + "); open it once where it can be written, to bring it up to date");
                }
                return new DocumentStore(file, c, true);
            }
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA foreign_keys = ON");
                s.execute("PRAGMA busy_timeout = 5000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL");
            }
            migrate(c, version);
            return new DocumentStore(file, c, false);
        } catch (SQLException e) {
            closeQuietly(c);
            throw failure(file, e, 0);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * The JDBC address of a store file; read-only (a read-only file or file system), SQLite's immutable mode, which
     * needs no lock or journal file beside the store. Every connection to a store opens it this way.
     */
    public static String connectionUrl(Path file, boolean readOnly) {
        return readOnly ? "jdbc:sqlite:file:" + file.toAbsolutePath() + "?immutable=1" : "jdbc:sqlite:" + file.toAbsolutePath();
    }

    /** Whether the store file, its folder (for SQLite's journal) and their file system can be written. */
    private static boolean writable(Path file) {
        try {
            Path abs = file.toAbsolutePath();
            return !Files.getFileStore(abs).isReadOnly() && Files.isWritable(abs) && (abs.getParent() == null || Files.isWritable(abs.getParent()));
        } catch (IOException e) {
            return true; // let SQLite say what is wrong
        }
    }

    private static void migrate(Connection c, int from) throws SQLException {
        for (int v = from; v < Schema.latestVersion(); v++) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : Schema.MIGRATIONS.get(v).split(";")) {
                    if (!sql.isBlank()) s.execute(sql);
                }
                if (v + 1 == Schema.CHECKSUMS) checksumOlderRows(c);
                if (v + 1 == Schema.STATE_POSITIONS) checksumStatePositions(c);
                if (v + 1 == Schema.CONVERSATION_CHECKSUMS) Conversations.checksumOlderRows(c);
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

    /** The conversations about the store's documents (their tables' owner, on this store's connection). */
    public Conversations conversations() {
        return conversations;
    }

    public int schemaVersion() {
        return call(() -> pragmaInt(db, "user_version"));
    }

    // ---- documents -------------------------------------------------------------------------------------------

    /** Adds a document (or returns the existing one with the same content hash). */
    public synchronized long putDocument(String contentHash, String name, String text, int[] tokens, String metadata) {
        return inTransaction(() -> {
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
                long id;
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                sealDocument(db, id);
                return id;
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

    /** The document's text, checked against the checksum it was written with. */
    public synchronized String documentText(long id) {
        return call(() -> {
            try (PreparedStatement ps = db.prepareStatement(DOC_ROW + ", crc FROM documents WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new EngineException("store " + file + ": no document " + id);
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
    public synchronized int[] documentTokens(long id) {
        return call(() -> {
            String name, hash;
            int[] tokens = null;
            try (PreparedStatement ps = db.prepareStatement("SELECT token_count, tokens, tokens_hash, name FROM documents WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new EngineException("store " + file + ": no document " + id);
                    name = rs.getString(4);
                    hash = rs.getString(3);
                    byte[] blob = rs.getBytes(2);
                    int count = rs.getInt(1);
                    if (count >= 0 && blob != null && blob.length == (long) count * 4) tokens = RowCodec.decodeTokens(blob, count, "");
                }
            }
            if (tokens != null && tokensHash(tokens).equals(hash)) return tokens;
            int[] mended = tokensFromReading(id, hash);
            if (mended == null) throw damagedDocument(id, name, "its token ids");
            if (readOnly) return mended;
            try (PreparedStatement ps = db.prepareStatement("UPDATE documents SET tokens = ?, token_count = ? WHERE id = ?")) {
                ps.setBytes(1, RowCodec.encodeTokens(mended, 0, mended.length));
                ps.setInt(2, mended.length);
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            System.getLogger(DocumentStore.class.getName()).log(System.Logger.Level.WARNING,
                    "store " + file + ": the token ids of '" + name + "' were damaged; mended from its saved reading");
            return mended;
        });
    }

    /** The token ids of an intact complete reading of this document whose ids hash to {@code hash}, or null. */
    private int[] tokensFromReading(long documentId, String hash) throws SQLException {
        List<CacheInfo> candidates = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(CACHE_COLUMNS + " WHERE c.document_id = ? AND c.complete = 1 AND c.tokens_hash = ?")) {
            ps.setLong(1, documentId);
            ps.setString(2, hash);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) candidates.add(cacheInfo(rs));
            }
        }
        for (CacheInfo c : candidates) {
            if (c.problem() != null) continue;
            try {
                int[] t = readChunks(c, c.positions(), "").tokens();
                if (tokensHash(t).equals(hash)) return t;
            } catch (DamagedStoreException e) {
                // another reading may still be intact
            }
        }
        return null;
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

    /** The model's id, registered on first use; in a read-only store −1 for a model it never saw (it has no readings). */
    public synchronized long putModel(ModelIdentity m) {
        return call(() -> {
            long id = -1;
            try (PreparedStatement ps = db.prepareStatement("SELECT id FROM models WHERE identity = ?")) {
                ps.setString(1, m.identity());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) id = rs.getLong(1);
                }
            }
            if (readOnly) return id;
            if (id >= 0) {
                try (PreparedStatement up = db.prepareStatement("UPDATE models SET path = ? WHERE id = ?")) {
                    up.setString(1, m.path());
                    up.setLong(2, id);
                    up.executeUpdate();
                }
                return id;
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

    /** A cache by its id, complete or not. */
    public synchronized Optional<CacheInfo> cache(long cacheId) {
        return call(() -> {
            try (PreparedStatement ps = db.prepareStatement(CACHE_COLUMNS + " WHERE c.id = ?")) {
                ps.setLong(1, cacheId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(cacheInfo(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Removes one saved reading (a damaged one, before it is read again); the document and its conversations stay. */
    public synchronized void deleteCache(long cacheId) {
        inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM caches WHERE id = ?")) {
                ps.setLong(1, cacheId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Every cache in the store, complete or not; a damaged one is listed with its {@link CacheInfo#problem()}. */
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
                long id;
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                sealCache(db, id);
                return id;
            }
        });
    }

    /**
     * Appends positions [cache.positions, state.position()) and replaces the layer states, in one transaction.
     * With complete = true the cache becomes the document's cache for this model, replacing an older one.
     */
    public synchronized void write(long cacheId, SavedRows rows, List<SavedState.Layer> layers, double seconds, boolean complete) {
        long bytes = (long) rows.count() * (4 + 4L * rows.width());
        for (SavedState.Layer l : layers) bytes += 4L * (l.attShift().length + l.ffnShift().length + (l.wkv() == null ? 0 : l.wkv().length));
        inTransaction(bytes, () -> {
            CacheInfo info = cacheById(cacheId);
            if (info.problem() != null) throw damagedCache(info, info.problem());
            if (info.complete()) throw new EngineException("store " + file + ": cache " + cacheId + " is already complete");
            if (rows.from() != info.positions()) {
                throw new EngineException("store " + file + ": cache " + cacheId + " holds " + info.positions() + " positions, rows start at " + rows.from());
            }
            insertChunks(cacheId, info, rows);
            int positions = rows.from() + rows.count();
            int spare = spareCheckpoint(cacheId, info.positions());
            try (PreparedStatement del = db.prepareStatement("DELETE FROM cache_states WHERE cache_id = ? AND (position <> ? OR position = ?)")) {
                del.setLong(1, cacheId);
                del.setInt(2, spare);
                del.setInt(3, positions);
                del.executeUpdate();
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO cache_states(cache_id, position, layer, att_shift, ffn_shift, wkv, crc) VALUES (?,?,?,?,?,?,?)")) {
                for (int i = 0; i < layers.size(); i++) {
                    SavedState.Layer l = layers.get(i);
                    byte[] att = RowCodec.encodeFloats(l.attShift()), ffn = RowCodec.encodeFloats(l.ffnShift()), wkv = RowCodec.encodeFloats(l.wkv());
                    ps.setLong(1, cacheId);
                    ps.setInt(2, positions);
                    ps.setInt(3, i);
                    ps.setBytes(4, att);
                    ps.setBytes(5, ffn);
                    ps.setBytes(6, wkv);
                    ps.setLong(7, stateChecksum(cacheId, positions, i, att, ffn, wkv));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
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
            sealCache(db, cacheId);
            return null;
        });
    }

    /**
     * The one earlier checkpoint whose states a cache keeps besides its newest, when a new newest is written over
     * {@code newest}: the old newest when it is at least twice as far in as the kept one (or none is kept yet), else
     * the kept one. So the spare always lies past about half-way, and damage anywhere after it costs at most the
     * reading since it, for one more set of layer states on disk.
     */
    private int spareCheckpoint(long cacheId, int newest) throws SQLException {
        int spare = -1;
        try (PreparedStatement ps = db.prepareStatement("SELECT DISTINCT position FROM cache_states WHERE cache_id = ? AND position < ? ORDER BY position DESC")) {
            ps.setLong(1, cacheId);
            ps.setInt(2, newest);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) spare = rs.getInt(1);
            }
        }
        return spare < 0 || newest >= 2L * spare ? newest : spare;
    }

    /** Positions [from, from+count) of a state: their token ids and cc_t rows [count, width]. */
    public record SavedRows(int from, int count, int[] tokens, float[] compressed, int width) {
    }

    private void insertChunks(long cacheId, CacheInfo info, SavedRows rows) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO cache_chunks(cache_id, first_position, rows, encoding, tokens, cc, crc) VALUES (?,?,?,?,?,?,?)")) {
            int width = info.ccWidth();
            if (rows.width() != width) throw new EngineException("store " + file + ": cache rows are " + rows.width() + " wide, the cache " + width);
            for (int done = 0; done < rows.count(); done += CHUNK_ROWS) {
                int n = Math.min(CHUNK_ROWS, rows.count() - done);
                CachePrecision p = RowCodec.effective(info.precision(), rows.compressed(), done * width, n * width);
                byte[] tokens = RowCodec.encodeTokens(rows.tokens(), done, n), cc = RowCodec.encode(p, rows.compressed(), done * width, n, width);
                ps.setLong(1, cacheId);
                ps.setInt(2, rows.from() + done);
                ps.setInt(3, n);
                ps.setString(4, p.name());
                ps.setBytes(5, tokens);
                ps.setBytes(6, cc);
                ps.setLong(7, chunkChecksum(cacheId, rows.from() + done, n, p.name(), tokens, cc));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Reads a cache back. Refuses it when it was recorded for another checkpoint or for other token ids of the
     * document (an edited document). Every row is checked against its checksum: a damaged, missing or truncated part
     * is a {@link DamagedStoreException} that names the document, never a state that differs from the one written.
     */
    public synchronized SavedState loadCache(CacheInfo info, String modelIdentity, String documentTokensHash) {
        return loadCheckpoint(info, info.positions(), modelIdentity, documentTokensHash);
    }

    /**
     * Reads a cache back as it was at one of its {@link #checkpoints}: the rows before it and the layer states there,
     * checked as {@link #loadCache} checks them.
     */
    public synchronized SavedState loadCheckpoint(CacheInfo info, int position, String modelIdentity, String documentTokensHash) {
        String where = "store " + file + ", cache " + info.id();
        if (info.problem() != null) throw damagedCache(info, info.problem());
        if (!info.modelIdentity().equals(modelIdentity)) {
            throw new EngineException(where + ": recorded for another model checkpoint; it will not be used (pre-fill again)");
        }
        if (!info.tokensHash().equals(documentTokensHash)) {
            throw new EngineException(where + ": recorded for another version of the document; it will not be used (pre-fill again)");
        }
        if (position < 0 || position > info.positions()) throw new EngineException(where + ": no checkpoint at position " + position);
        return call(() -> {
            Rows rows = readChunks(info, position, where);
            return new SavedState(position, rows.tokens(), rows.cc(), readStates(info, position, where));
        });
    }

    /** The positions a cache keeps layer states at, newest first: where a damaged reading can go on from. */
    public synchronized List<Integer> checkpoints(CacheInfo info) {
        return call(() -> {
            List<Integer> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT DISTINCT position FROM cache_states WHERE cache_id = ? AND position BETWEEN 1 AND ? ORDER BY position DESC")) {
                ps.setLong(1, info.id());
                ps.setInt(2, info.positions());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getInt(1));
                }
            }
            return out;
        });
    }

    /**
     * Takes a cache back to one of its checkpoints: the rows and states after it go, and it becomes the document's
     * unfinished reading for its model (replacing another unfinished one), to be read on from there.
     */
    public synchronized void rewind(long cacheId, int position) {
        inTransaction(() -> {
            CacheInfo info = cacheById(cacheId);
            if (position <= 0 || position > info.positions()) throw new EngineException("store " + file + ": cache " + cacheId + " has no checkpoint at " + position);
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM caches WHERE document_id = ? AND model_id = ? AND complete = 0 AND id <> ?")) {
                ps.setLong(1, info.documentId());
                ps.setLong(2, info.modelId());
                ps.setLong(3, cacheId);
                ps.executeUpdate();
            }
            for (String sql : new String[] {"DELETE FROM cache_chunks WHERE cache_id = ? AND first_position >= ?",
                    "DELETE FROM cache_states WHERE cache_id = ? AND position > ?"}) {
                try (PreparedStatement ps = db.prepareStatement(sql)) {
                    ps.setLong(1, cacheId);
                    ps.setInt(2, position);
                    ps.executeUpdate();
                }
            }
            // the reading time kept is the share of the positions kept (what resuming adds to)
            try (PreparedStatement ps = db.prepareStatement("UPDATE caches SET positions = ?, complete = 0, seconds = ?, updated_at = ? WHERE id = ?")) {
                ps.setInt(1, position);
                ps.setDouble(2, info.seconds() * position / info.positions());
                ps.setLong(3, System.currentTimeMillis());
                ps.setLong(4, cacheId);
                ps.executeUpdate();
            }
            sealCache(db, cacheId);
            return null;
        });
    }

    /**
     * Reads a whole cache back, checking every row: why it is damaged (what {@link DamagedStoreException} would say),
     * or empty when it is intact.
     */
    public synchronized Optional<String> verify(CacheInfo info) {
        if (info.problem() != null) return Optional.of(info.problem());
        try {
            call(() -> {
                readChunks(info, info.positions(), "");
                return readStates(info, info.positions(), "");
            });
            return Optional.empty();
        } catch (DamagedStoreException e) {
            return Optional.of(e.detail());
        }
    }

    private List<SavedState.Layer> readStates(CacheInfo info, int position, String where) throws SQLException {
        List<SavedState.Layer> layers = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT layer, att_shift, ffn_shift, wkv, crc FROM cache_states WHERE cache_id = ? AND position = ? ORDER BY layer")) {
            ps.setLong(1, info.id());
            ps.setInt(2, position);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int layer = rs.getInt(1);
                    byte[] att = rs.getBytes(2), ffn = rs.getBytes(3), wkv = rs.getBytes(4);
                    if (layer != layers.size()) throw damagedCache(info, "layer " + layers.size() + "'s state is missing");
                    if (rs.getObject(5) == null || rs.getLong(5) != stateChecksum(info.id(), position, layer, att, ffn, wkv)) {
                        throw damagedCache(info, "layer " + layer + "'s state fails its checksum");
                    }
                    if (att == null || ffn == null || att.length != ffn.length || att.length % 4 != 0 || (wkv != null && wkv.length % 4 != 0)) {
                        throw damagedCache(info, "layer " + layer + "'s state has impossible sizes");
                    }
                    int d = att.length / 4;
                    layers.add(new SavedState.Layer(RowCodec.decodeFloats(att, d, where), RowCodec.decodeFloats(ffn, d, where),
                            wkv == null ? null : RowCodec.decodeFloats(wkv, wkv.length / 4, where)));
                }
            }
        }
        return layers;
    }

    /** A cache's token ids and cc_t rows, every chunk checked against its checksum. */
    private record Rows(int[] tokens, float[] cc) {
    }

    private Rows readChunks(CacheInfo info, int n, String where) throws SQLException {
        int width = info.ccWidth();
        int[] tokens = new int[n];
        float[] cc = new float[Math.multiplyExact(n, width)];
        int next = 0;
        try (PreparedStatement ps = db.prepareStatement("SELECT first_position, rows, encoding, tokens, cc, crc FROM cache_chunks WHERE cache_id = ? AND first_position < ? ORDER BY first_position")) {
            ps.setLong(1, info.id());
            ps.setInt(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int first = rs.getInt(1), rowsInChunk = rs.getInt(2);
                    String encoding = rs.getString(3);
                    byte[] t = rs.getBytes(4), c = rs.getBytes(5);
                    if (rs.getObject(6) == null || rs.getLong(6) != chunkChecksum(info.id(), first, rowsInChunk, encoding, t, c)) {
                        throw damagedCache(info, "the rows at position " + first + " fail their checksum");
                    }
                    if (first != next || rowsInChunk <= 0 || first + rowsInChunk > n) {
                        throw damagedCache(info, "the rows at position " + first + " do not follow position " + next);
                    }
                    CachePrecision p = CachePrecision.known(encoding).orElseThrow(() -> damagedCache(info, "rows in an unknown encoding '" + encoding + "'"));
                    try {
                        System.arraycopy(RowCodec.decodeTokens(t, rowsInChunk, where), 0, tokens, first, rowsInChunk);
                        RowCodec.decode(p, c, rowsInChunk, width, cc, first * width, where);
                    } catch (EngineException e) {
                        throw damagedCache(info, "the rows at position " + first + " are truncated");
                    }
                    next = first + rowsInChunk;
                }
            }
        }
        if (next != n) throw damagedCache(info, "it holds " + next + " of its " + n + " positions");
        return new Rows(tokens, cc);
    }

    /** The one-line report of a damaged saved reading, naming its document. */
    public synchronized DamagedStoreException damagedCache(CacheInfo info, String detail) {
        return new DamagedStoreException("the saved reading of '" + documentName(info.documentId()) + "' is damaged (" + detail + ")", detail,
                info.documentId(), info.id());
    }

    private DamagedStoreException damagedDocument(long id, String name, String what) {
        return new DamagedStoreException("the document '" + name + "' is damaged in the store (" + what + " fail their checksum); add it again",
                what + " fail their checksum", id, -1);
    }

    private String documentName(long documentId) {
        try (PreparedStatement ps = db.prepareStatement("SELECT name FROM documents WHERE id = ?")) {
            ps.setLong(1, documentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "document " + documentId;
            }
        } catch (SQLException e) {
            return "document " + documentId;
        }
    }

    // ---- checksums -------------------------------------------------------------------------------------------

    private static final String DOC_ROW = "SELECT id, content_hash, name, text, token_count, tokens_hash, metadata, added_at";
    private static final String CACHE_ROW = "SELECT id, document_id, model_id, model_identity, tokens_hash, precision, cc_width, positions,"
            + " total_tokens, complete, seconds";

    /** Over a row read with DOC_ROW: every field but the token blob, which its tokens hash covers. */
    private static long documentChecksum(ResultSet rs) throws SQLException {
        return RowChecksum.of().add(rs.getLong(1)).add(rs.getString(2)).add(rs.getString(3)).add(rs.getString(4)).add(rs.getLong(5))
                .add(rs.getString(6)).add(rs.getString(7)).add(rs.getLong(8)).value();
    }

    /** Over a row read with CACHE_ROW. */
    private static long cacheChecksum(ResultSet rs) throws SQLException {
        return RowChecksum.of().add(rs.getLong(1)).add(rs.getLong(2)).add(rs.getLong(3)).add(rs.getString(4)).add(rs.getString(5))
                .add(rs.getString(6)).add(rs.getLong(7)).add(rs.getLong(8)).add(rs.getLong(9)).add(rs.getLong(10)).add(rs.getDouble(11)).value();
    }

    private static long chunkChecksum(long cacheId, long first, long rows, String encoding, byte[] tokens, byte[] cc) {
        return RowChecksum.of().add(cacheId).add(first).add(rows).add(encoding).add(tokens).add(cc).value();
    }

    private static long stateChecksum(long cacheId, long position, long layer, byte[] att, byte[] ffn, byte[] wkv) {
        return RowChecksum.of().add(cacheId).add(position).add(layer).add(att).add(ffn).add(wkv).value();
    }

    /** The checksum of a layer state in schema 4, which kept one set of states per cache and no position. */
    private static long unpositionedStateChecksum(long cacheId, long layer, byte[] att, byte[] ffn, byte[] wkv) {
        return RowChecksum.of().add(cacheId).add(layer).add(att).add(ffn).add(wkv).value();
    }

    private static void sealDocument(Connection c, long id) throws SQLException {
        seal(c, DOC_ROW + " FROM documents WHERE id = ?", "UPDATE documents SET crc = ? WHERE id = ?", id, DocumentStore::documentChecksum);
    }

    private static void sealCache(Connection c, long id) throws SQLException {
        seal(c, CACHE_ROW + " FROM caches WHERE id = ?", "UPDATE caches SET crc = ? WHERE id = ?", id, DocumentStore::cacheChecksum);
    }

    private interface RowSum {
        long of(ResultSet rs) throws SQLException;
    }

    private static void seal(Connection c, String select, String update, long id, RowSum sum) throws SQLException {
        long crc;
        try (PreparedStatement ps = c.prepareStatement(select)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return;
                crc = sum.of(rs);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(update)) {
            ps.setLong(1, crc);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** The upgrade to checksums: every row written before it gets the checksum of what it holds now. */
    private static void checksumOlderRows(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM documents")) {
            while (rs.next()) ids.add(rs.getLong(1));
        }
        for (long id : ids) sealDocument(c, id);
        ids.clear();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM caches")) {
            while (rs.next()) ids.add(rs.getLong(1));
        }
        for (long id : ids) sealCache(c, id);
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT cache_id, first_position, rows, encoding, tokens, cc FROM cache_chunks");
             PreparedStatement up = c.prepareStatement("UPDATE cache_chunks SET crc = ? WHERE cache_id = ? AND first_position = ?")) {
            while (rs.next()) {
                up.setLong(1, chunkChecksum(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getBytes(5), rs.getBytes(6)));
                up.setLong(2, rs.getLong(1));
                up.setLong(3, rs.getLong(2));
                up.executeUpdate();
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT cache_id, layer, att_shift, ffn_shift, wkv FROM cache_states");
             PreparedStatement up = c.prepareStatement("UPDATE cache_states SET crc = ? WHERE cache_id = ? AND layer = ?")) {
            while (rs.next()) {
                up.setLong(1, unpositionedStateChecksum(rs.getLong(1), rs.getLong(2), rs.getBytes(3), rs.getBytes(4), rs.getBytes(5)));
                up.setLong(2, rs.getLong(1));
                up.setLong(3, rs.getLong(2));
                up.executeUpdate();
            }
        }
    }

    /**
     * The upgrade to states by position: a state whose schema-4 checksum holds gets one that covers its position too;
     * one that fails it stays without (and reads as damaged), so the upgrade never makes a damaged state look sound.
     */
    private static void checksumStatePositions(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT cache_id, position, layer, att_shift, ffn_shift, wkv, crc FROM cache_states");
             PreparedStatement up = c.prepareStatement("UPDATE cache_states SET crc = ? WHERE cache_id = ? AND position = ? AND layer = ?")) {
            while (rs.next()) {
                long cacheId = rs.getLong(1), position = rs.getLong(2), layer = rs.getLong(3);
                byte[] att = rs.getBytes(4), ffn = rs.getBytes(5), wkv = rs.getBytes(6);
                boolean sound = rs.getObject(7) != null && rs.getLong(7) == unpositionedStateChecksum(cacheId, layer, att, ffn, wkv);
                if (sound) up.setLong(1, stateChecksum(cacheId, position, layer, att, ffn, wkv));
                else up.setNull(1, java.sql.Types.INTEGER);
                up.setLong(2, cacheId);
                up.setLong(3, position);
                up.setLong(4, layer);
                up.executeUpdate();
            }
        }
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
            + " (SELECT COALESCE(SUM(length(s.att_shift) + length(s.ffn_shift) + COALESCE(length(s.wkv), 0)), 0) FROM cache_states s WHERE s.cache_id = c.id),"
            + " c.crc FROM caches c";

    private CacheInfo cacheById(long id) {
        return cache(id).orElseThrow(() -> new EngineException("store " + file + ": no cache " + id));
    }

    /** A cache row as read; one that fails its checksum or holds impossible values is returned with its problem. */
    private static CacheInfo cacheInfo(ResultSet rs) throws SQLException {
        String precisionName = rs.getString(6);
        CachePrecision precision = CachePrecision.known(precisionName).orElse(null);
        long positions = rs.getLong(8), total = rs.getLong(9), width = rs.getLong(7);
        String problem = null;
        if (rs.getObject(14) == null || rs.getLong(14) != cacheChecksum(rs)) problem = "its record fails its checksum";
        else if (precision == null) problem = "an unknown cache precision '" + precisionName + "'";
        else if (positions < 0 || total < 0 || positions > total || total > Integer.MAX_VALUE) problem = "impossible positions " + positions + " of " + total;
        else if (width < 0 || width > 1 << 20) problem = "an impossible row width " + width;
        return new CacheInfo(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                precision == null ? CachePrecision.F32 : precision, (int) width, (int) positions, (int) total, rs.getInt(10) == 1,
                rs.getDouble(11), rs.getLong(12), rs.getLong(13), problem);
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

    /** Work of a table owner beside this class ({@link Conversations}) on the store's connection. */
    interface Work<T> {
        T run(Connection db) throws SQLException;
    }

    /** Reads, with the store's failure messages. */
    synchronized <T> T query(Work<T> work) {
        return call(() -> work.run(db));
    }

    /** Writes in one transaction, refused in a read-only store, with the store's failure messages. */
    synchronized <T> T change(Work<T> work) {
        return inTransaction(() -> work.run(db));
    }

    private <T> T call(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw failure(file, e, 0);
        }
    }

    /** Runs work in one transaction: all of it lands, or none of it. */
    private <T> T inTransaction(SqlWork<T> work) {
        return inTransaction(0, work);
    }

    /** {@link #inTransaction(SqlWork)} for a write of about {@code bytes} bytes (what a full disk is short of). */
    private synchronized <T> T inTransaction(long bytes, SqlWork<T> work) {
        if (readOnly) throw readOnlyStore();
        try {
            db.setAutoCommit(false);
            try {
                T result = work.run();
                db.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                // SQLite may have rolled back already (a full disk does): the first failure is the one to report.
                try {
                    db.rollback();
                } catch (SQLException again) {
                    e.addSuppressed(again);
                }
                throw e;
            } finally {
                try {
                    db.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection reports its state at the next statement
                }
            }
        } catch (SQLException e) {
            throw failure(file, e, bytes);
        }
    }

    private EngineException readOnlyStore() {
        return new EngineException("store " + file + ": the store is read-only; saved readings can be used, but new readings and conversations cannot be saved");
    }

    /** Whether the store was opened read-only (a read-only file or file system): saved readings answer, nothing is saved. */
    public boolean readOnly() {
        return readOnly;
    }

    /** An SQLite failure as one line, told apart by its result code (SQLITE_FULL = 13 …), never by its message's words. */
    private static EngineException failure(Path file, SQLException e, long needed) {
        String where = "store " + file, msg = String.valueOf(e.getMessage());
        int primary = e instanceof org.sqlite.SQLiteException se ? se.getResultCode().code & 0xff : e.getErrorCode() & 0xff;
        return switch (primary) {
            case 13 -> new EngineException(where + ": the disk is full" + freeSpace(file, needed) + "; nothing was written", e); // SQLITE_FULL
            case 26 -> new EngineException(where + ": not a GoldFinch store (not an SQLite file)", e); // SQLITE_NOTADB
            case 11 -> new EngineException(where + ": the store file is damaged", e); // SQLITE_CORRUPT
            case 5, 6 -> new EngineException(where + ": the store is in use by another process", e); // SQLITE_BUSY, SQLITE_LOCKED
            case 8, 14 -> new EngineException(where + ": cannot write the store file (" + msg.lines().findFirst().orElse("") + ")", e); // READONLY, CANTOPEN
            case 10 -> new EngineException(where + ": the disk could not be read or written (" + msg.lines().findFirst().orElse("") + ")", e); // SQLITE_IOERR
            default -> new EngineException(where + ": " + msg.lines().findFirst().orElse(msg), e);
        };
    }

    /** " (1.2 MB free on tmpfs; …)" for the file system of the store file. */
    private static String freeSpace(Path file, long needed) {
        try {
            Path p = file.toAbsolutePath();
            Path dir = Files.exists(p) ? p : p.getParent();
            long free = Files.getFileStore(dir).getUsableSpace();
            String need = needed > 0 ? String.format(java.util.Locale.ROOT, "; this write needs about %.1f MB, twice that with the journal", needed / 1e6) : "";
            return String.format(java.util.Locale.ROOT, " (%.1f MB free on %s%s; free some space and go on: what was saved before is kept)", free / 1e6,
                    Files.getFileStore(dir).name(), need);
        } catch (RuntimeException | IOException e) {
            return "";
        }
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
