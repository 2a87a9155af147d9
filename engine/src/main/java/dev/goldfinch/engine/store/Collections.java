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
import java.util.UUID;

/**
 * The owner of the {@code collections} and {@code collection_members} tables. A collection is a row of
 * {@code documents} too (its text and stored tokens are its members' bodies one after another, each after a separator),
 * so its readings and conversations are a document's; this class keeps which documents rows are collections, their
 * names and their members in order. Every row carries a CRC32C checked on every read; the link of a member to the
 * library's document is left out of it (removing that document sets it to null and leaves the member as it was).
 */
public final class Collections {
    private static final String MEMBER_ROW = "SELECT collection_id, ordinal, member_id, title, text_start, text_end, token_start, token_end, crc FROM collection_members";

    private final DocumentStore store;

    Collections(DocumentStore store) {
        this.store = store;
    }

    /** A new, empty collection: a documents row with no text yet and its collections row, in one transaction. */
    public long create(String name, String metadata) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty()) throw new EngineException("a collection needs a name");
        return store.change(db -> {
            if (idByName(db, clean).isPresent()) throw new EngineException("there is a collection named '" + clean + "' already");
            long id;
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO documents(content_hash, name, text, token_count, tokens, tokens_hash,"
                    + " metadata, added_at) VALUES (?,?,?,0,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, "collection:" + UUID.randomUUID()); // a collection has no file: nothing to be the same bytes as
                ps.setString(2, clean);
                ps.setString(3, "");
                ps.setBytes(4, new byte[0]);
                ps.setString(5, DocumentStore.tokensHash(new int[0]));
                ps.setString(6, metadata);
                ps.setLong(7, System.currentTimeMillis());
                ps.executeUpdate();
                id = DocumentStore.generatedKey(ps);
            }
            Documents.sealDocument(db, id);
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO collections(document_id, name, crc) VALUES (?,?,?)")) {
                ps.setLong(1, id);
                ps.setString(2, clean);
                ps.setLong(3, collectionChecksum(id, clean));
                ps.executeUpdate();
            }
            return id;
        });
    }

    /** The collection of that name (its documents row's id). */
    public Optional<Long> byName(String name) {
        return store.query(db -> idByName(db, name == null ? "" : name.strip()));
    }

    public boolean isCollection(long documentId) {
        return store.query(db -> {
            try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM collections WHERE document_id = ?")) {
                ps.setLong(1, documentId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The ids of every collection, in the order they were made. */
    public List<Long> all() {
        return store.query(db -> {
            List<Long> out = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT document_id FROM collections ORDER BY document_id")) {
                while (rs.next()) out.add(rs.getLong(1));
            }
            return out;
        });
    }

    /** The collections that hold the library's document {@code documentId}. */
    public List<Long> holding(long documentId) {
        return store.query(db -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT DISTINCT collection_id FROM collection_members WHERE member_id = ? ORDER BY collection_id")) {
                ps.setLong(1, documentId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    /**
     * The collection's members in order, each checked against its checksum: a damaged one (or a gap in the order, or
     * spans that do not follow one another) is a {@link DamagedStoreException} naming the collection.
     */
    public List<CollectionMember> members(long collectionId) {
        return store.query(db -> {
            List<CollectionMember> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement(MEMBER_ROW + " WHERE collection_id = ? ORDER BY ordinal")) {
                ps.setLong(1, collectionId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        CollectionMember m = new CollectionMember(rs.getInt(2), rs.getObject(3) == null ? -1 : rs.getLong(3), rs.getString(4),
                                rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8));
                        if (rs.getLong(9) != memberChecksum(collectionId, m)) throw damaged(db, collectionId, "member " + m.ordinal() + " fails its checksum");
                        CollectionMember before = out.isEmpty() ? null : out.getLast();
                        boolean follows = m.ordinal() == out.size() + 1 && m.textStart() <= m.textEnd() && m.tokenStart() <= m.tokenEnd()
                                && (before == null || (m.textStart() >= before.textEnd() && m.tokenStart() >= before.tokenEnd()));
                        if (!follows) throw damaged(db, collectionId, "member " + m.ordinal() + " does not follow member " + out.size());
                        out.add(m);
                    }
                }
            }
            return out;
        });
    }

    /**
     * Gives a collection new content in one transaction: its text, stored tokens and metadata (the documents row,
     * checksummed again) and its members. The caller builds them together (the members' spans lie in that text and
     * those tokens); a reading of the old content stays in the store, to go on from where the new one agrees with it.
     */
    public void replace(long collectionId, String text, int[] tokens, String metadata, List<CollectionMember> members) {
        store.change(db -> {
            if (!exists(db, collectionId)) throw new EngineException("the collection is no longer in the library");
            for (CollectionMember m : members) {
                if (m.textEnd() > text.length() || m.tokenEnd() > tokens.length) {
                    throw new EngineException("member " + m.ordinal() + " of the collection lies past its text or tokens");
                }
            }
            try (PreparedStatement ps = db.prepareStatement("UPDATE documents SET text = ?, token_count = ?, tokens = ?, tokens_hash = ?, metadata = ? WHERE id = ?")) {
                ps.setString(1, text);
                ps.setInt(2, tokens.length);
                ps.setBytes(3, RowCodec.encodeTokens(tokens, 0, tokens.length));
                ps.setString(4, DocumentStore.tokensHash(tokens));
                ps.setString(5, metadata);
                ps.setLong(6, collectionId);
                ps.executeUpdate();
            }
            Documents.sealDocument(db, collectionId);
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM collection_members WHERE collection_id = ?")) {
                ps.setLong(1, collectionId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO collection_members(collection_id, ordinal, member_id, title, text_start, text_end,"
                    + " token_start, token_end, crc) VALUES (?,?,?,?,?,?,?,?,?)")) {
                for (CollectionMember m : members) {
                    ps.setLong(1, collectionId);
                    ps.setInt(2, m.ordinal());
                    if (m.inLibrary()) ps.setLong(3, m.documentId());
                    else ps.setNull(3, java.sql.Types.INTEGER);
                    ps.setString(4, m.title());
                    ps.setInt(5, m.textStart());
                    ps.setInt(6, m.textEnd());
                    ps.setInt(7, m.tokenStart());
                    ps.setInt(8, m.tokenEnd());
                    ps.setLong(9, memberChecksum(collectionId, m));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * Makes the documents row {@code documentId} (written in this transaction) the collection {@code name} holding
     * {@code members} (checked by the caller against its text and tokens): a collection imported from a reading file.
     */
    void insertImported(Connection db, long documentId, String name, List<CollectionMember> members) throws SQLException {
        if (idByName(db, name).isPresent()) throw new EngineException("there is a collection named '" + name + "' already");
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO collections(document_id, name, crc) VALUES (?,?,?)")) {
            ps.setLong(1, documentId);
            ps.setString(2, name);
            ps.setLong(3, collectionChecksum(documentId, name));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO collection_members(collection_id, ordinal, member_id, title, text_start, text_end,"
                + " token_start, token_end, crc) VALUES (?,?,NULL,?,?,?,?,?,?)")) {
            for (CollectionMember m : members) {
                ps.setLong(1, documentId);
                ps.setInt(2, m.ordinal());
                ps.setString(3, m.title());
                ps.setInt(4, m.textStart());
                ps.setInt(5, m.textEnd());
                ps.setInt(6, m.tokenStart());
                ps.setInt(7, m.tokenEnd());
                ps.setLong(8, memberChecksum(documentId, m));
                ps.executeUpdate();
            }
        }
    }

    private static boolean exists(Connection db, long collectionId) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM collections WHERE document_id = ?")) {
            ps.setLong(1, collectionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Optional<Long> idByName(Connection db, String name) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT document_id, name, crc FROM collections WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                long id = rs.getLong(1);
                if (rs.getLong(3) != collectionChecksum(id, rs.getString(2))) throw damaged(db, id, "its record fails its checksum");
                return Optional.of(id);
            }
        }
    }

    private DamagedStoreException damaged(Connection db, long collectionId, String detail) throws SQLException {
        String name = "collection " + collectionId;
        try (PreparedStatement ps = db.prepareStatement("SELECT name FROM documents WHERE id = ?")) {
            ps.setLong(1, collectionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) name = rs.getString(1);
            }
        }
        return new DamagedStoreException("the collection '" + name + "' is damaged in the store (" + detail + ")", detail, collectionId, -1);
    }

    private static long collectionChecksum(long id, String name) {
        return RowChecksum.of().add(id).add(name).value();
    }

    /** Over everything but the link to the library's document (removing that document clears it). */
    static long memberChecksum(long collectionId, CollectionMember m) {
        return RowChecksum.of().add(collectionId).add(m.ordinal()).add(m.title()).add(m.textStart()).add(m.textEnd())
                .add(m.tokenStart()).add(m.tokenEnd()).value();
    }
}
