package dev.goldfinch.engine.store;

import dev.goldfinch.engine.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Writes one complete reading of a document out of the store into a {@link ReadingFile}: the document's row, the
 * reading's record, its rows and its layer states at its end (a collection's also its members and its member-end
 * checkpoints with their layer states, in format 2), copied as stored (so a q8 or f16 reading is handed over
 * bit for bit) and each checked against the store's checksum as it is copied, then sealed with the checksum over the
 * export's own ids. The file is written beside the target and moved into place when whole: a cancelled or failed export
 * leaves no file.
 */
public final class ReadingExport {
    private ReadingExport() {
    }

    public static void write(DocumentStore store, CacheInfo cache, ReadingManifest manifest, Path out, TransferProgress progress, BooleanSupplier cancelled) {
        if (!cache.complete()) throw new EngineException("the document is not read to the end yet; read it first, then export it");
        store.readings().verify(cache).ifPresent(problem -> {
            throw new EngineException(store.readings().damaged(cache, problem).getMessage() + "; read it again before exporting it");
        });
        StoredDocument doc = store.documents().get(cache.documentId()).orElseThrow(() -> new EngineException("the document is no longer in the library"));
        String text = store.documents().text(doc.id());
        int[] tokens = store.documents().tokens(doc.id());
        boolean collection = ReadingManifest.COLLECTION.equals(manifest.kind());
        List<CollectionMember> members = collection ? store.collections().members(doc.id()) : List.of();
        List<Integer> kept = collection ? store.readings().keptCheckpoints(cache).stream().filter(p -> p <= cache.positions()).toList() : List.of();
        Path target = out.toAbsolutePath();
        if (sameFile(target, store.file())) throw new EngineException(out + " is the library itself; choose another file to export to");
        Path part = target.resolveSibling(target.getFileName() + ".part");
        boolean done = false;
        try {
            Files.deleteIfExists(part);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + part)) {
                ReadingFile.create(c, collection ? ReadingFile.COLLECTION_FORMAT : ReadingFile.DOCUMENT_FORMAT);
                c.setAutoCommit(false);
                writeManifest(c, manifest);
                writeDocument(c, doc, text, tokens);
                writeCache(c, cache);
                if (collection) writeCollection(c, members, kept);
                copyRows(store, c, cache, kept, progress, cancelled);
                c.commit();
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } catch (SQLException e) {
            throw new EngineException("cannot write " + target + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        } catch (IOException e) {
            throw new EngineException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (!done) deleteQuietly(part, part.resolveSibling(part.getFileName() + "-journal"));
        }
    }

    private static void writeManifest(Connection c, ReadingManifest m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO manifest(format, kind, created_at, made_by, model_file, model_size, model_sha256,"
                + " model_identity, architecture, layers, d_model, att_width, cc_width, vocab, description, framing, crc) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            Object[] values = {ReadingFile.FORMAT_NAME, m.kind(), m.createdAt(), m.madeBy(), m.modelFile(), m.modelSize(), m.modelSha256(), m.modelIdentity(),
                m.architecture(), m.layers(), m.dModel(), m.attWidth(), m.ccWidth(), m.vocab(), m.description(), m.framing(), m.checksum()};
            for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO members(position, document_id, crc) VALUES (0, 1, ?)")) {
            ps.setLong(1, ReadingFile.memberChecksum(0, 1));
            ps.executeUpdate();
        }
    }

    private static void writeDocument(Connection c, StoredDocument d, String text, int[] tokens) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO documents(id, content_hash, name, text, token_count, tokens, tokens_hash, metadata, added_at)"
                + " VALUES (1,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, d.contentHash());
            ps.setString(2, d.name());
            ps.setString(3, text);
            ps.setInt(4, tokens.length);
            ps.setBytes(5, RowCodec.encodeTokens(tokens, 0, tokens.length));
            ps.setString(6, d.tokensHash());
            ps.setString(7, d.metadata());
            ps.setLong(8, d.addedAt());
            ps.executeUpdate();
        }
        Documents.sealDocument(c, 1);
    }

    /** A collection's members (over the file's collection id, 1) and the positions its reading keeps. */
    private static void writeCollection(Connection c, List<CollectionMember> members, List<Integer> kept) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO collection_members(ordinal, title, text_start, text_end, token_start, token_end, crc)"
                + " VALUES (?,?,?,?,?,?,?)")) {
            for (CollectionMember m : members) {
                Object[] values = {m.ordinal(), m.title(), m.textStart(), m.textEnd(), m.tokenStart(), m.tokenEnd(), Collections.memberChecksum(1, m)};
                for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO kept_checkpoints(position, crc) VALUES (?,?)")) {
            for (int p : kept) {
                ps.setInt(1, p);
                ps.setLong(2, Readings.keptChecksum(1, p));
                ps.executeUpdate();
            }
        }
    }

    private static void writeCache(Connection c, CacheInfo info) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO caches(id, document_id, model_id, model_identity, tokens_hash, precision, cc_width,"
                + " positions, total_tokens, complete, seconds, updated_at) VALUES (1,1,1,?,?,?,?,?,?,1,?,?)")) {
            ps.setString(1, info.modelIdentity());
            ps.setString(2, info.tokensHash());
            ps.setString(3, info.precision().name());
            ps.setInt(4, info.ccWidth());
            ps.setInt(5, info.positions());
            ps.setInt(6, info.totalTokens());
            ps.setDouble(7, info.seconds());
            ps.setLong(8, info.updatedAt());
            ps.executeUpdate();
        }
        Readings.sealCache(c, 1);
    }

    /** The reading's rows and its end's layer states, checked against the store's checksums as they are copied. */
    private static void copyRows(DocumentStore store, Connection c, CacheInfo info, List<Integer> kept, TransferProgress progress, BooleanSupplier cancelled) {
        store.query(db -> {
            try (PreparedStatement in = db.prepareStatement("SELECT first_position, rows, encoding, tokens, cc, crc FROM cache_chunks"
                    + " WHERE cache_id = ? AND first_position < ? ORDER BY first_position");
                 PreparedStatement outRow = c.prepareStatement("INSERT INTO cache_chunks(cache_id, first_position, rows, encoding, tokens, cc, crc) VALUES (1,?,?,?,?,?,?)")) {
                in.setLong(1, info.id());
                in.setInt(2, info.positions());
                try (ResultSet rs = in.executeQuery()) {
                    while (rs.next()) {
                        if (cancelled.getAsBoolean()) throw new TransferCancelledException("the export was cancelled; no file was written");
                        int first = rs.getInt(1), rows = rs.getInt(2);
                        String encoding = rs.getString(3);
                        byte[] t = rs.getBytes(4), cc = rs.getBytes(5);
                        if (rs.getLong(6) != Readings.chunkChecksum(info.id(), first, rows, encoding, t, cc)) {
                            throw store.readings().damaged(info, "the rows at position " + first + " fail their checksum");
                        }
                        outRow.setInt(1, first);
                        outRow.setInt(2, rows);
                        outRow.setString(3, encoding);
                        outRow.setBytes(4, t);
                        outRow.setBytes(5, cc);
                        outRow.setLong(6, Readings.chunkChecksum(1, first, rows, encoding, t, cc));
                        outRow.executeUpdate();
                        progress.progress("writing the reading", first + rows, info.positions());
                    }
                }
            }
            java.util.SortedSet<Integer> positions = new java.util.TreeSet<>(kept);
            positions.add(info.positions());
            try (PreparedStatement in = db.prepareStatement("SELECT layer, att_shift, ffn_shift, wkv, crc FROM cache_states WHERE cache_id = ? AND position = ? ORDER BY layer");
                 PreparedStatement outRow = c.prepareStatement("INSERT INTO cache_states(cache_id, position, layer, att_shift, ffn_shift, wkv, crc) VALUES (1,?,?,?,?,?,?)")) {
                for (int position : positions) {
                    in.setLong(1, info.id());
                    in.setInt(2, position);
                    int layers = 0;
                    try (ResultSet rs = in.executeQuery()) {
                        while (rs.next()) {
                            int layer = rs.getInt(1);
                            byte[] att = rs.getBytes(2), ffn = rs.getBytes(3), wkv = rs.getBytes(4);
                            if (rs.getLong(5) != Readings.stateChecksum(info.id(), position, layer, att, ffn, wkv)) {
                                throw store.readings().damaged(info, "layer " + layer + "'s state at position " + position + " fails its checksum");
                            }
                            outRow.setInt(1, position);
                            outRow.setInt(2, layer);
                            outRow.setBytes(3, att);
                            outRow.setBytes(4, ffn);
                            outRow.setBytes(5, wkv);
                            outRow.setLong(6, Readings.stateChecksum(1, position, layer, att, ffn, wkv));
                            outRow.executeUpdate();
                            layers++;
                        }
                    }
                    if (layers == 0) throw store.readings().damaged(info, "its checkpoint at position " + position + " has no layer states");
                }
            }
            return null;
        });
    }

    /** Whether {@code a} exists and is {@code b} (under another name, too). */
    public static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path... files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // a leftover .part is replaced by the next export to the same name
            }
        }
    }
}
