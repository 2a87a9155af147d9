package dev.goldfinch.engine.store;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.model.SavedState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The owner of the readings: the {@code caches} table (one record per document and model, complete or a checkpoint
 * to resume from), its {@code cache_chunks} (token ids and cc_t rows, in chunks) and {@code cache_states} (layer
 * states at the newest checkpoint and at a spare one past half-way). Everything is checked against the CRC32C it was
 * written with; what fails is a {@link DamagedStoreException} naming the document, never another state.
 */
public final class Readings {
    /** Positions per chunk row: sqlite-jdbc reads a BLOB whole, so big caches are kept in many modest rows. */
    static final int CHUNK_ROWS = 4096;

    private final DocumentStore store;
    private final Connection db;

    Readings(DocumentStore store, Connection db) {
        this.store = store;
        this.db = db;
    }

    /** The complete cache (complete = true) or the pre-fill checkpoint (false) of a document for a model. */
    public Optional<CacheInfo> cache(long documentId, long modelId, boolean complete) {
        return store.call(() -> {
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
    public Optional<CacheInfo> cache(long cacheId) {
        return store.call(() -> {
            try (PreparedStatement ps = db.prepareStatement(CACHE_COLUMNS + " WHERE c.id = ?")) {
                ps.setLong(1, cacheId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(cacheInfo(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Removes one saved reading (a damaged one, before it is read again); the document and its conversations stay. */
    public void delete(long cacheId) {
        store.inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM caches WHERE id = ?")) {
                ps.setLong(1, cacheId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Every cache in the store, complete or not; a damaged one is listed with its {@link CacheInfo#problem()}. */
    public List<CacheInfo> all() {
        return store.call(() -> {
            List<CacheInfo> out = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(CACHE_COLUMNS + " ORDER BY c.id")) {
                while (rs.next()) out.add(cacheInfo(rs));
            }
            return out;
        });
    }

    /** Starts a new pre-fill of a document (dropping an older unfinished one); returns the partial cache's id. */
    public long begin(long documentId, long modelId, String modelIdentity, String tokensHash,
                                        CachePrecision precision, int ccWidth, int totalTokens) {
        return store.inTransaction(() -> {
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
                long id = DocumentStore.generatedKey(ps);
                sealCache(db, id);
                return id;
            }
        });
    }

    /**
     * Appends positions [cache.positions, state.position()) and replaces the layer states, in one transaction.
     * With complete = true the cache becomes the document's cache for this model, replacing an older one.
     */
    public void write(long cacheId, SavedRows rows, List<SavedState.Layer> layers, double seconds, boolean complete) {
        write(cacheId, rows, layers, seconds, complete, false);
    }

    /**
     * Like {@link #write(long, SavedRows, List, double, boolean)}; with {@code kept} the layer states written stay for
     * good (the end of a collection's member: a document added later goes on from there), whatever later checkpoints
     * are written, until the reading is taken back to before them.
     */
    public void write(long cacheId, SavedRows rows, List<SavedState.Layer> layers, double seconds, boolean complete, boolean kept) {
        long bytes = (long) rows.count() * (4 + 4L * rows.width());
        for (SavedState.Layer l : layers) bytes += 4L * (l.attShift().length + l.ffnShift().length + (l.wkv() == null ? 0 : l.wkv().length));
        store.inTransaction(bytes, () -> {
            CacheInfo info = cacheById(cacheId);
            if (info.problem() != null) throw damaged(info, info.problem());
            if (info.complete()) throw new EngineException("store " + store.file() + ": cache " + cacheId + " is already complete");
            if (rows.from() != info.positions()) {
                throw new EngineException("store " + store.file() + ": cache " + cacheId + " holds " + info.positions() + " positions, rows start at " + rows.from());
            }
            insertChunks(cacheId, info, rows);
            int positions = rows.from() + rows.count();
            int spare = spareCheckpoint(cacheId, info.positions());
            try (PreparedStatement del = db.prepareStatement("DELETE FROM cache_states WHERE cache_id = ? AND (position <> ? OR position = ?)"
                    + " AND (position = ? OR position NOT IN (SELECT position FROM cache_kept_checkpoints WHERE cache_id = ?))")) {
                del.setLong(1, cacheId);
                del.setInt(2, spare);
                del.setInt(3, positions);
                del.setInt(4, positions);
                del.setLong(5, cacheId);
                del.executeUpdate();
            }
            if (kept) {
                try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO cache_kept_checkpoints(cache_id, position, crc) VALUES (?,?,?)")) {
                    ps.setLong(1, cacheId);
                    ps.setInt(2, positions);
                    ps.setLong(3, keptChecksum(cacheId, positions));
                    ps.executeUpdate();
                }
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
                    throw new EngineException("store " + store.file() + ": cache " + cacheId + " completed at " + positions + " of " + info.totalTokens() + " positions");
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
        try (PreparedStatement ps = db.prepareStatement("SELECT DISTINCT position FROM cache_states WHERE cache_id = ? AND position < ?"
                + " AND position NOT IN (SELECT position FROM cache_kept_checkpoints WHERE cache_id = ?) ORDER BY position DESC")) {
            ps.setLong(1, cacheId);
            ps.setInt(2, newest);
            ps.setLong(3, cacheId);
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
            if (rows.width() != width) throw new EngineException("store " + store.file() + ": cache rows are " + rows.width() + " wide, the cache " + width);
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
    public SavedState load(CacheInfo info, String modelIdentity, String documentTokensHash) {
        return loadCheckpoint(info, info.positions(), modelIdentity, documentTokensHash);
    }

    /**
     * Reads a cache back as it was at one of its {@link #checkpoints}: the rows before it and the layer states there,
     * checked as {@link #load} checks them.
     */
    public SavedState loadCheckpoint(CacheInfo info, int position, String modelIdentity, String documentTokensHash) {
        String where = "store " + store.file() + ", cache " + info.id();
        if (info.problem() != null) throw damaged(info, info.problem());
        if (!info.modelIdentity().equals(modelIdentity)) {
            throw new EngineException(where + ": recorded for another model checkpoint; it will not be used (pre-fill again)");
        }
        if (!info.tokensHash().equals(documentTokensHash)) {
            throw new EngineException(where + ": recorded for another version of the document; it will not be used (pre-fill again)");
        }
        if (position < 0 || position > info.positions()) throw new EngineException(where + ": no checkpoint at position " + position);
        return store.call(() -> {
            Rows rows = readChunks(info, position, where);
            return new SavedState(position, rows.tokens(), rows.cc(), readStates(info, position, where));
        });
    }

    /** The positions a cache keeps layer states at, newest first: where a damaged reading can go on from. */
    public List<Integer> checkpoints(CacheInfo info) {
        return store.call(() -> {
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
    public void rewind(long cacheId, int position) {
        store.inTransaction(() -> {
            CacheInfo info = cacheById(cacheId);
            // a reading goes on only from before its end (a complete reading's end is no checkpoint to resume from)
            if (position <= 0 || position > info.positions() || position >= info.totalTokens()) {
                throw new EngineException("store " + store.file() + ": cache " + cacheId + " has no checkpoint to go on from at " + position);
            }
            takeBack(info, position, info.tokensHash(), info.totalTokens());
            return null;
        });
    }

    /**
     * Re-points a reading, complete or not, at other tokens that agree with the ones it read up to one of its
     * checkpoints (a collection with a document added, removed or moved): it is taken back to {@code position} and
     * becomes the document's unfinished reading of {@code tokensHash}, {@code totalTokens} long, to be read on from
     * there. The caller has checked that the new tokens before {@code position} are the ones the reading holds.
     */
    public void repoint(long cacheId, int position, String tokensHash, int totalTokens) {
        store.inTransaction(() -> {
            CacheInfo info = cacheById(cacheId);
            if (info.problem() != null) throw damaged(info, info.problem());
            if (position <= 0 || position > info.positions() || position >= totalTokens) {
                throw new EngineException("store " + store.file() + ": cache " + cacheId + " has no checkpoint to go on from at " + position);
            }
            try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM cache_states WHERE cache_id = ? AND position = ?")) {
                ps.setLong(1, cacheId);
                ps.setInt(2, position);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new EngineException("store " + store.file() + ": cache " + cacheId + " keeps no states at " + position);
                }
            }
            takeBack(info, position, tokensHash, totalTokens);
            return null;
        });
    }

    /** Within a transaction: the cache back at {@code position}, unfinished, as the reading of {@code tokensHash}. */
    private void takeBack(CacheInfo info, int position, String tokensHash, int totalTokens) throws SQLException {
        long cacheId = info.id();
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM caches WHERE document_id = ? AND model_id = ? AND complete = 0 AND id <> ?")) {
            ps.setLong(1, info.documentId());
            ps.setLong(2, info.modelId());
            ps.setLong(3, cacheId);
            ps.executeUpdate();
        }
        for (String sql : new String[] {"DELETE FROM cache_chunks WHERE cache_id = ? AND first_position >= ?",
                "DELETE FROM cache_states WHERE cache_id = ? AND position > ?", "DELETE FROM cache_kept_checkpoints WHERE cache_id = ? AND position > ?"}) {
            try (PreparedStatement ps = db.prepareStatement(sql)) {
                ps.setLong(1, cacheId);
                ps.setInt(2, position);
                ps.executeUpdate();
            }
        }
        // the reading time kept is the share of the positions kept (what resuming adds to)
        try (PreparedStatement ps = db.prepareStatement("UPDATE caches SET positions = ?, complete = 0, seconds = ?, tokens_hash = ?, total_tokens = ?,"
                + " updated_at = ? WHERE id = ?")) {
            ps.setInt(1, position);
            ps.setDouble(2, info.seconds() * position / info.positions());
            ps.setString(3, tokensHash);
            ps.setInt(4, totalTokens);
            ps.setLong(5, System.currentTimeMillis());
            ps.setLong(6, cacheId);
            ps.executeUpdate();
        }
        sealCache(db, cacheId);
    }

    /** The positions whose layer states a reading keeps for good (its collection members' ends), each checked; in order. */
    public List<Integer> keptCheckpoints(CacheInfo info) {
        return store.call(() -> {
            List<Integer> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT position, crc FROM cache_kept_checkpoints WHERE cache_id = ? ORDER BY position")) {
                ps.setLong(1, info.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getLong(2) != keptChecksum(info.id(), rs.getInt(1))) throw damaged(info, "a kept checkpoint's record fails its checksum");
                        out.add(rs.getInt(1));
                    }
                }
            }
            return out;
        });
    }

    static long keptChecksum(long cacheId, long position) {
        return RowChecksum.of().add(cacheId).add(position).add("kept").value();
    }

    /**
     * Reads a whole cache back, checking every row: why it is damaged (what {@link DamagedStoreException} would say),
     * or empty when it is intact.
     */
    public Optional<String> verify(CacheInfo info) {
        if (info.problem() != null) return Optional.of(info.problem());
        try {
            store.call(() -> {
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
                    if (layer != layers.size()) throw damaged(info, "layer " + layers.size() + "'s state is missing");
                    if (rs.getObject(5) == null || rs.getLong(5) != stateChecksum(info.id(), position, layer, att, ffn, wkv)) {
                        throw damaged(info, "layer " + layer + "'s state fails its checksum");
                    }
                    if (att == null || ffn == null || att.length != ffn.length || att.length % 4 != 0 || (wkv != null && wkv.length % 4 != 0)) {
                        throw damaged(info, "layer " + layer + "'s state has impossible sizes");
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
                        throw damaged(info, "the rows at position " + first + " fail their checksum");
                    }
                    if (first != next || rowsInChunk <= 0 || first + rowsInChunk > n) {
                        throw damaged(info, "the rows at position " + first + " do not follow position " + next);
                    }
                    CachePrecision p = CachePrecision.known(encoding).orElseThrow(() -> damaged(info, "rows in an unknown encoding '" + encoding + "'"));
                    try {
                        System.arraycopy(RowCodec.decodeTokens(t, rowsInChunk, where), 0, tokens, first, rowsInChunk);
                        RowCodec.decode(p, c, rowsInChunk, width, cc, first * width, where);
                    } catch (EngineException e) {
                        throw damaged(info, "the rows at position " + first + " are truncated");
                    }
                    next = first + rowsInChunk;
                }
            }
        }
        if (next != n) throw damaged(info, "it holds " + next + " of its " + n + " positions");
        return new Rows(tokens, cc);
    }

    /** The one-line report of a damaged saved reading, naming its document. */
    public DamagedStoreException damaged(CacheInfo info, String detail) {
        return new DamagedStoreException("the saved reading of '" + documentName(info.documentId()) + "' is damaged (" + detail + ")", detail,
                info.documentId(), info.id());
    }

    private String documentName(long documentId) {
        try {
            return store.documents().get(documentId).map(StoredDocument::name).orElse("document " + documentId);
        } catch (EngineException e) {
            return "document " + documentId;
        }
    }

    private static final String CACHE_ROW = "SELECT id, document_id, model_id, model_identity, tokens_hash, precision, cc_width, positions,"
            + " total_tokens, complete, seconds";

    /** Over a row read with CACHE_ROW. */
    private static long cacheChecksum(ResultSet rs) throws SQLException {
        return RowChecksum.of().add(rs.getLong(1)).add(rs.getLong(2)).add(rs.getLong(3)).add(rs.getString(4)).add(rs.getString(5))
                .add(rs.getString(6)).add(rs.getLong(7)).add(rs.getLong(8)).add(rs.getLong(9)).add(rs.getLong(10)).add(rs.getDouble(11)).value();
    }

    static long chunkChecksum(long cacheId, long first, long rows, String encoding, byte[] tokens, byte[] cc) {
        return RowChecksum.of().add(cacheId).add(first).add(rows).add(encoding).add(tokens).add(cc).value();
    }

    static long stateChecksum(long cacheId, long position, long layer, byte[] att, byte[] ffn, byte[] wkv) {
        return RowChecksum.of().add(cacheId).add(position).add(layer).add(att).add(ffn).add(wkv).value();
    }

    /** The checksum of a layer state in schema 4, which kept one set of states per cache and no position. */
    private static long unpositionedStateChecksum(long cacheId, long layer, byte[] att, byte[] ffn, byte[] wkv) {
        return RowChecksum.of().add(cacheId).add(layer).add(att).add(ffn).add(wkv).value();
    }

    static void sealCache(Connection c, long id) throws SQLException {
        DocumentStore.seal(c, CACHE_ROW + " FROM caches WHERE id = ?", "UPDATE caches SET crc = ? WHERE id = ?", id, Readings::cacheChecksum);
    }

    /**
     * The upgrade to states by position: a state whose schema-4 checksum holds gets one that covers its position too;
     * one that fails it stays without (and reads as damaged), so the upgrade never makes a damaged state look sound.
     */
    static void checksumStatePositions(Connection c) throws SQLException {
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

    static final String CACHE_COLUMNS = "SELECT c.id, c.document_id, c.model_id, c.model_identity, c.tokens_hash, c.precision, c.cc_width,"
            + " c.positions, c.total_tokens, c.complete, c.seconds,"
            + " (SELECT COALESCE(SUM(length(k.tokens) + length(k.cc)), 0) FROM cache_chunks k WHERE k.cache_id = c.id),"
            + " (SELECT COALESCE(SUM(length(s.att_shift) + length(s.ffn_shift) + COALESCE(length(s.wkv), 0)), 0) FROM cache_states s WHERE s.cache_id = c.id),"
            + " c.crc, c.updated_at FROM caches c";

    private CacheInfo cacheById(long id) {
        return cache(id).orElseThrow(() -> new EngineException("store " + store.file() + ": no cache " + id));
    }

    /** A cache row as read; one that fails its checksum or holds impossible values is returned with its problem. */
    static CacheInfo cacheInfo(ResultSet rs) throws SQLException {
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
                rs.getDouble(11), rs.getLong(12), rs.getLong(13), problem, rs.getLong(15));
    }

    /** The token ids of an intact complete reading of this document whose ids hash to {@code hash}, or null. */
    int[] intactTokens(long documentId, String hash) throws SQLException {
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
                if (DocumentStore.tokensHash(t).equals(hash)) return t;
            } catch (DamagedStoreException e) {
                // another reading may still be intact
            }
        }
        return null;
    }


    /** The upgrade to checksums (schema 4): every reading's record, rows and layer states written before it get theirs. */
    static void checksumOlderRows(Connection c) throws SQLException {
        List<Long> ids = new ArrayList<>();
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
}
