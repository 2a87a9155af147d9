package dev.goldfinch.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The owner of the {@code conversations} and {@code messages} tables: the conversations about the store's documents,
 * on the store's one connection (so they share its transactions, its read-only mode and its failure messages).
 * Every row carries a CRC32C written with it; one that fails it is read back marked not intact, never passed off as
 * what was written. Removing a document removes its conversations (ON DELETE CASCADE).
 */
public final class Conversations {
    private static final String CONVERSATION_ROW = "SELECT id, document_id, title, created_at, crc FROM conversations";
    private static final String MESSAGE_ROW = "SELECT id, conversation_id, role, text, thinking, sources, created_at, crc FROM messages";

    private final DocumentStore store;

    Conversations(DocumentStore store) {
        this.store = store;
    }

    /** The document's conversations, newest first. */
    public List<Conversation> of(long documentId) {
        return store.query(db -> {
            List<Conversation> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement(CONVERSATION_ROW + " WHERE document_id = ? ORDER BY created_at DESC, id DESC")) {
                ps.setLong(1, documentId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(conversation(rs));
                }
            }
            return out;
        });
    }

    public Conversation create(long documentId, String title) {
        return store.change(db -> {
            long now = System.currentTimeMillis(), id;
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO conversations(document_id, title, created_at, crc) VALUES (?,?,?,0)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, documentId);
                ps.setString(2, title);
                ps.setLong(3, now);
                ps.executeUpdate();
                id = DocumentStore.generatedKey(ps);
            }
            seal(db, "conversations", id, conversationChecksum(id, documentId, title, now));
            return new Conversation(id, documentId, title, now, true);
        });
    }

    public void rename(long conversationId, String title) {
        store.change(db -> {
            Conversation before = null;
            try (PreparedStatement ps = db.prepareStatement(CONVERSATION_ROW + " WHERE id = ?")) {
                ps.setLong(1, conversationId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) before = conversation(rs);
                }
            }
            if (before == null) return null;
            try (PreparedStatement ps = db.prepareStatement("UPDATE conversations SET title = ? WHERE id = ?")) {
                ps.setString(1, title);
                ps.setLong(2, conversationId);
                ps.executeUpdate();
            }
            // a record that was damaged before stays so: renaming does not vouch for the rest of it
            if (before.intact()) seal(db, "conversations", conversationId, conversationChecksum(conversationId, before.documentId(), title, before.createdAt()));
            return null;
        });
    }

    public void delete(long conversationId) {
        store.change(db -> {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM conversations WHERE id = ?")) {
                ps.setLong(1, conversationId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Adds a message; {@code thinking} (null or empty: none) is kept apart from the text. */
    public Message add(long conversationId, Message.Role role, String text, String thinking, String sources) {
        String thought = thinking == null || thinking.isEmpty() ? null : thinking;
        return store.change(db -> {
            long now = System.currentTimeMillis(), id;
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO messages(conversation_id, role, text, thinking, sources, created_at, crc) VALUES (?,?,?,?,?,?,0)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, conversationId);
                ps.setString(2, role.column());
                ps.setString(3, text);
                ps.setString(4, thought);
                ps.setString(5, sources);
                ps.setLong(6, now);
                ps.executeUpdate();
                id = DocumentStore.generatedKey(ps);
            }
            seal(db, "messages", id, messageChecksum(id, conversationId, role.column(), text, thought, sources, now));
            return new Message(id, conversationId, role, text, thought, sources, now, true);
        });
    }

    /** The messages of a conversation in the order they were written. */
    public List<Message> messages(long conversationId) {
        return store.query(db -> {
            List<Message> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement(MESSAGE_ROW + " WHERE conversation_id = ? ORDER BY id")) {
                ps.setLong(1, conversationId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String role = rs.getString(3);
                        boolean intact = rs.getObject(8) != null && rs.getLong(8) == messageChecksum(rs.getLong(1), rs.getLong(2), role,
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7));
                        out.add(new Message(rs.getLong(1), rs.getLong(2), Message.Role.of(role), rs.getString(4), rs.getString(5), rs.getString(6),
                                rs.getLong(7), intact));
                    }
                }
            }
            return out;
        });
    }

    private static Conversation conversation(ResultSet rs) throws SQLException {
        long id = rs.getLong(1), doc = rs.getLong(2), created = rs.getLong(4);
        String title = rs.getString(3);
        boolean intact = rs.getObject(5) != null && rs.getLong(5) == conversationChecksum(id, doc, title, created);
        return new Conversation(id, doc, title, created, intact);
    }

    static long conversationChecksum(long id, long documentId, String title, long createdAt) {
        return RowChecksum.of().add(id).add(documentId).add(title).add(createdAt).value();
    }

    static long messageChecksum(long id, long conversationId, String role, String text, String thinking, String sources, long createdAt) {
        return RowChecksum.of().add(id).add(conversationId).add(role).add(text).add(thinking).add(sources).add(createdAt).value();
    }

    private static void seal(java.sql.Connection db, String table, long id, long crc) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("UPDATE " + table + " SET crc = ? WHERE id = ?")) {
            ps.setLong(1, crc);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** The upgrade to checksums on conversations: every row written before it gets the checksum of what it holds. */
    static void checksumOlderRows(java.sql.Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT id, document_id, title, created_at FROM conversations")) {
            while (rs.next()) seal(db, "conversations", rs.getLong(1), conversationChecksum(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4)));
        }
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT id, conversation_id, role, text, thinking, sources, created_at FROM messages")) {
            while (rs.next()) {
                seal(db, "messages", rs.getLong(1), messageChecksum(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getLong(7)));
            }
        }
    }
}
