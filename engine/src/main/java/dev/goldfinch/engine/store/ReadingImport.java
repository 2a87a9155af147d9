package dev.goldfinch.engine.store;

import dev.goldfinch.engine.EngineException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BooleanSupplier;

/**
 * Copies a checked {@link ReadingFile} into the store in one transaction: the document (unless the library has it
 * already, the same content and tokens), the model's record, the reading's record, its rows and its end's layer states,
 * each re-checked against the export's checksum as it is copied and sealed with the store's own over the new ids. The
 * new reading is read back whole before the transaction commits; a failure, or Cancel, rolls all of it back.
 */
public final class ReadingImport {
    private ReadingImport() {
    }

    /** The document's id in the store (new, or the one it had) and its new reading's. */
    public record Written(long documentId, long cacheId) {
    }

    /**
     * @param existingDocument the library's document with the export's content and token ids, or −1 to add the export's
     * @param model            the model the reading is recorded for (checked by the caller to be the export's)
     */
    public static Written write(DocumentStore store, ReadingFile file, ReadingFile.Document doc, CacheInfo cache, ModelIdentity model,
                                long existingDocument, TransferProgress progress, BooleanSupplier cancelled) {
        return store.change(db -> {
            long documentId = existingDocument >= 0 ? existingDocument
                    : store.documents().insert(doc.contentHash(), doc.name(), doc.text(), doc.tokens(), doc.metadata());
            long modelId = store.models().put(model);
            long cacheId;
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO caches(document_id, model_id, model_identity, tokens_hash, precision, cc_width,"
                    + " positions, total_tokens, complete, seconds, updated_at) VALUES (?,?,?,?,?,?,?,?,1,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, documentId);
                ps.setLong(2, modelId);
                ps.setString(3, model.identity());
                ps.setString(4, cache.tokensHash());
                ps.setString(5, cache.precision().name());
                ps.setInt(6, cache.ccWidth());
                ps.setInt(7, cache.positions());
                ps.setInt(8, cache.totalTokens());
                ps.setDouble(9, cache.seconds());
                ps.setLong(10, System.currentTimeMillis());
                ps.executeUpdate();
                cacheId = DocumentStore.generatedKey(ps);
            }
            Readings.sealCache(db, cacheId);
            copyChunks(db, file, cache, cacheId, progress, cancelled);
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO cache_states(cache_id, position, layer, att_shift, ffn_shift, wkv, crc) VALUES (?,?,?,?,?,?,?)")) {
                for (ReadingFile.State s : file.states(cache)) {
                    ps.setLong(1, cacheId);
                    ps.setInt(2, cache.positions());
                    ps.setInt(3, s.layer());
                    ps.setBytes(4, s.attShift());
                    ps.setBytes(5, s.ffnShift());
                    ps.setBytes(6, s.wkv());
                    ps.setLong(7, Readings.stateChecksum(cacheId, cache.positions(), s.layer(), s.attShift(), s.ffnShift(), s.wkv()));
                    ps.executeUpdate();
                }
            }
            CacheInfo written = store.readings().cache(cacheId).orElseThrow();
            store.readings().verify(written).ifPresent(problem -> {
                throw new EngineException("the imported reading does not read back (" + problem + "); nothing was imported");
            });
            return new Written(documentId, cacheId);
        });
    }

    /** A store failure inside the file's visitor, carried out of it to be reported as the store's. */
    private static final class StoreFailure extends RuntimeException {
        StoreFailure(SQLException e) {
            super(e);
        }
    }

    private static void copyChunks(Connection db, ReadingFile file, CacheInfo cache, long cacheId, TransferProgress progress, BooleanSupplier cancelled)
            throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO cache_chunks(cache_id, first_position, rows, encoding, tokens, cc, crc) VALUES (?,?,?,?,?,?,?)")) {
            file.chunks(cache, chunk -> {
                if (cancelled.getAsBoolean()) throw new TransferCancelledException("the import was cancelled; nothing was imported");
                try {
                    String encoding = chunk.encoding().name();
                    ps.setLong(1, cacheId);
                    ps.setInt(2, chunk.first());
                    ps.setInt(3, chunk.rows());
                    ps.setString(4, encoding);
                    ps.setBytes(5, chunk.tokenBlob());
                    ps.setBytes(6, chunk.ccBlob());
                    ps.setLong(7, Readings.chunkChecksum(cacheId, chunk.first(), chunk.rows(), encoding, chunk.tokenBlob(), chunk.ccBlob()));
                    ps.executeUpdate();
                } catch (SQLException e) {
                    throw new StoreFailure(e);
                }
                progress.progress("importing the reading", chunk.first() + chunk.rows(), cache.positions());
            });
        } catch (StoreFailure f) {
            throw (SQLException) f.getCause();
        }
    }
}
