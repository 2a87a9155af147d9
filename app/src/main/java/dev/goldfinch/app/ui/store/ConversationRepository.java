package dev.goldfinch.app.ui.store;

import dev.goldfinch.engine.EngineException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversations of the store's documents ({@code conversations} and {@code messages}, schema v2), through a
 * connection of its own to the same SQLite file: the store runs in WAL mode, so this connection and the
 * {@link dev.goldfinch.engine.store.DocumentStore}'s can both write. Open it after the DocumentStore, which creates
 * and migrates the schema. Removing a document removes its conversations (ON DELETE CASCADE). An answer's thinking
 * (a G1 model's thought before it answered) is kept beside its text, never in it (schema v3).
 */
public final class ConversationRepository implements AutoCloseable {
    /** The first schema version that has the conversation tables with the messages' thinking. */
    static final int SCHEMA_VERSION = 3;

    public record Conversation(long id, long documentId, String title, long createdAt) {
        @Override
        public String toString() {
            return title;
        }
    }

    /** @param thinking what the model thought before this answer, or null */
    public record Message(long id, long conversationId, Role role, String text, String thinking, String sources, long createdAt) {
    }

    public enum Role {
        USER, ASSISTANT;

        String column() {
            return name().toLowerCase();
        }

        static Role of(String column) {
            return "user".equalsIgnoreCase(column) ? USER : ASSISTANT;
        }
    }

    private final Path file;
    private final Connection db;

    private ConversationRepository(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    public static ConversationRepository open(Path storeFile) {
        return open(storeFile, false);
    }

    /** readOnly: the store is on a read-only file or file system; conversations are read, and saving one says why it cannot. */
    public static ConversationRepository open(Path storeFile, boolean readOnly) {
        Connection c = null;
        try {
            c = DriverManager.getConnection(dev.goldfinch.engine.store.DocumentStore.connectionUrl(storeFile, readOnly));
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA foreign_keys = ON");
                s.execute("PRAGMA busy_timeout = 10000");
                try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                    int v = rs.next() ? rs.getInt(1) : 0;
                    if (v < SCHEMA_VERSION) {
                        throw new EngineException("store " + storeFile + ": schema " + v + " has no conversations (open it with the document store first)");
                    }
                }
            }
            return new ConversationRepository(storeFile, c);
        } catch (SQLException e) {
            close(c);
            throw new EngineException("store " + storeFile + ": cannot open the conversations: " + firstLine(e), e);
        } catch (RuntimeException e) {
            close(c);
            throw e;
        }
    }

    /** The document's conversations, newest first. */
    public synchronized List<Conversation> conversations(long documentId) {
        return call(() -> {
            List<Conversation> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT id, document_id, title, created_at FROM conversations WHERE document_id = ? ORDER BY created_at DESC, id DESC")) {
                ps.setLong(1, documentId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new Conversation(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4)));
                }
            }
            return out;
        });
    }

    public synchronized Conversation create(long documentId, String title) {
        return call(() -> {
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO conversations(document_id, title, created_at) VALUES (?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, documentId);
                ps.setString(2, title);
                ps.setLong(3, now);
                ps.executeUpdate();
                return new Conversation(generatedKey(ps), documentId, title, now);
            }
        });
    }

    public synchronized void rename(long conversationId, String title) {
        call(() -> {
            try (PreparedStatement ps = db.prepareStatement("UPDATE conversations SET title = ? WHERE id = ?")) {
                ps.setString(1, title);
                ps.setLong(2, conversationId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public synchronized void delete(long conversationId) {
        call(() -> {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM conversations WHERE id = ?")) {
                ps.setLong(1, conversationId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public synchronized Message add(long conversationId, Role role, String text, String sources) {
        return add(conversationId, role, text, null, sources);
    }

    /** Adds a message; {@code thinking} (null or empty: none) is kept apart from the text. */
    public synchronized Message add(long conversationId, Role role, String text, String thinking, String sources) {
        String thought = thinking == null || thinking.isEmpty() ? null : thinking;
        return call(() -> {
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO messages(conversation_id, role, text, thinking, sources, created_at) VALUES (?,?,?,?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, conversationId);
                ps.setString(2, role.column());
                ps.setString(3, text);
                ps.setString(4, thought);
                ps.setString(5, sources);
                ps.setLong(6, now);
                ps.executeUpdate();
                return new Message(generatedKey(ps), conversationId, role, text, thought, sources, now);
            }
        });
    }

    /** The messages of a conversation in the order they were written. */
    public synchronized List<Message> messages(long conversationId) {
        return call(() -> {
            List<Message> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT id, conversation_id, role, text, thinking, sources, created_at FROM messages WHERE conversation_id = ? ORDER BY id")) {
                ps.setLong(1, conversationId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Message(rs.getLong(1), rs.getLong(2), Role.of(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public synchronized void close() {
        close(db);
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T call(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            // SQLITE_READONLY (8): a store on a read-only file or file system
            if (e instanceof org.sqlite.SQLiteException se && (se.getResultCode().code & 0xff) == 8) {
                throw new EngineException("store " + file + ": the store is read-only; this conversation cannot be saved", e);
            }
            throw new EngineException("store " + file + ": " + firstLine(e), e);
        }
    }

    private static long generatedKey(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.getGeneratedKeys()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.lines().findFirst().orElse(m);
    }

    private static void close(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to do with a connection that is going away
        }
    }
}
