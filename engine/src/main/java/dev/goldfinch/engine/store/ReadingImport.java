package dev.goldfinch.engine.store;

import dev.goldfinch.engine.EngineException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
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
     * What a collection's import adds to a document's: its name in this library, its metadata (its title that name),
     * its members (checked), its reading's kept positions.
     */
    public record AsCollection(String name, String metadata, List<CollectionMember> members, List<Integer> kept) {
    }

    /**
     * @param existingDocument the library's document with the export's content and token ids, or −1 to add the export's
     * @param model            the model the reading is recorded for (checked by the caller to be the export's)
     */
    public static Written write(DocumentStore store, ReadingFile file, ReadingFile.Document doc, CacheInfo cache, ModelIdentity model,
                                long existingDocument, TransferProgress progress, BooleanSupplier cancelled) {
        return write(store, file, doc, cache, model, existingDocument, null, progress, cancelled);
    }

    /** A collection's import ({@code collection} non-null): a new documents row (with a content hash of its own) and its collection rows too. */
    public static Written write(DocumentStore store, ReadingFile file, ReadingFile.Document doc, CacheInfo cache, ModelIdentity model,
                                long existingDocument, AsCollection collection, TransferProgress progress, BooleanSupplier cancelled) {
        return store.change(db -> {
            long documentId = existingDocument >= 0 ? existingDocument
                    : collection != null ? store.documents().insert("collection:" + UUID.randomUUID(), collection.name(), doc.text(), doc.tokens(), collection.metadata())
                    : store.documents().insert(doc.contentHash(), doc.name(), doc.text(), doc.tokens(), doc.metadata());
            if (collection != null) store.collections().insertImported(db, documentId, collection.name(), collection.members());
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
            List<Integer> kept = collection == null ? List.of() : collection.kept();
            java.util.SortedSet<Integer> positions = new java.util.TreeSet<>(kept);
            positions.add(cache.positions());
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO cache_states(cache_id, position, layer, att_shift, ffn_shift, wkv, crc) VALUES (?,?,?,?,?,?,?)")) {
                for (int position : positions) {
                    for (ReadingFile.State s : file.states(cache, position)) {
                        ps.setLong(1, cacheId);
                        ps.setInt(2, position);
                        ps.setInt(3, s.layer());
                        ps.setBytes(4, s.attShift());
                        ps.setBytes(5, s.ffnShift());
                        ps.setBytes(6, s.wkv());
                        ps.setLong(7, Readings.stateChecksum(cacheId, position, s.layer(), s.attShift(), s.ffnShift(), s.wkv()));
                        ps.executeUpdate();
                    }
                }
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO cache_kept_checkpoints(cache_id, position, crc) VALUES (?,?,?)")) {
                for (int p : kept) {
                    ps.setLong(1, cacheId);
                    ps.setInt(2, p);
                    ps.setLong(3, Readings.keptChecksum(cacheId, p));
                    ps.executeUpdate();
                }
            }
            CacheInfo written = store.readings().cache(cacheId).orElseThrow();
            store.readings().verify(written).ifPresent(problem -> {
                throw new EngineException("the imported reading does not read back (" + problem + "); nothing was imported");
            });
            if (!store.readings().keptCheckpoints(written).equals(kept)) throw new EngineException("the imported reading's kept checkpoints do not read back; nothing was imported");
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
