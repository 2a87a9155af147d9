package dev.goldfinch.engine.store;

import dev.goldfinch.engine.EngineException;
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
import java.util.HexFormat;

/**
 * The one-file SQLite store: opening it (refusing what is not one, or is newer), its migrations, its one connection
 * and how a failure of it is said (by SQLite's result codes), read-only mode. Each table has one owner on that
 * connection: {@link Documents}, {@link Models}, {@link Readings} (a document's reading by a model: records, rows and
 * layer states), {@link Conversations} and {@link RecallChecks}. Every write is one transaction, so the file holds either the old state or
 * the new one; a reading recorded for another model or another tokenisation of the document is refused, never misused.
 */
public final class DocumentStore implements AutoCloseable {
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final Connection db;
    private final boolean readOnly;
    private final Documents documents;
    private final Models models;
    private final Readings readings;
    private final Conversations conversations = new Conversations(this);
    private final RecallChecks recallChecks = new RecallChecks(this);
    private final Collections collections = new Collections(this);

    private DocumentStore(Path file, Connection db, boolean readOnly) {
        this.file = file;
        this.db = db;
        this.readOnly = readOnly;
        this.documents = new Documents(this, db);
        this.models = new Models(this, db);
        this.readings = new Readings(this, db);
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
                walMode(s);
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

    /**
     * Switches the store to write-ahead logging. That needs the file to itself, and SQLite says busy at once rather than
     * waiting when another connection (one opening the same new store at this moment) holds it: so wait here, briefly.
     */
    private static void walMode(Statement s) throws SQLException {
        long giveUp = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                s.execute("PRAGMA journal_mode = WAL");
                return;
            } catch (SQLException e) {
                boolean busy = e.getMessage() != null && e.getMessage().contains("SQLITE_BUSY");
                if (!busy || System.nanoTime() > giveUp) throw e;
                try {
                    Thread.sleep(10);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Brings the store up to the newest schema, a migration per transaction. Each takes the write lock first (BEGIN
     * IMMEDIATE) and reads the version again under it: another process that opened the same new store at the same
     * moment has migrated it meanwhile (the step is skipped) or waits for this one, instead of both creating its tables.
     */
    private static void migrate(Connection c, int from) throws SQLException {
        for (int v = from; v < Schema.latestVersion(); v++) {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                try {
                    int now = pragmaInt(c, "user_version");
                    if (now > v) {
                        s.execute("COMMIT");
                        v = now - 1; // migrated by another connection up to now
                        continue;
                    }
                    for (String sql : Schema.MIGRATIONS.get(v).split(";")) {
                        if (!sql.isBlank()) s.execute(sql);
                    }
                    if (v + 1 == Schema.CHECKSUMS) {
                        Documents.checksumOlderRows(c);
                        Readings.checksumOlderRows(c);
                    }
                    if (v + 1 == Schema.STATE_POSITIONS) Readings.checksumStatePositions(c);
                    if (v + 1 == Schema.CONVERSATION_CHECKSUMS) Conversations.checksumOlderRows(c);
                    s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
                    s.execute("PRAGMA user_version = " + (v + 1));
                    s.execute("COMMIT");
                } catch (SQLException | RuntimeException e) {
                    s.execute("ROLLBACK");
                    throw e;
                }
            }
        }
    }

    /** The documents (their table's owner, on this store's connection). */
    public Documents documents() {
        return documents;
    }

    /** The models documents were read with. */
    public Models models() {
        return models;
    }

    /** The documents' readings: their records, rows and layer states. */
    public Readings readings() {
        return readings;
    }

    /** The conversations about the store's documents (their tables' owner, on this store's connection). */
    public Conversations conversations() {
        return conversations;
    }

    /** The models' recall checks (their table's owner, on this store's connection). */
    public RecallChecks recallChecks() {
        return recallChecks;
    }

    /** The collections: which documents rows are collections, and their members in order. */
    public Collections collections() {
        return collections;
    }

    public int schemaVersion() {
        return call(() -> pragmaInt(db, "user_version"));
    }

    // ---- documents -------------------------------------------------------------------------------------------









    // ---- models ----------------------------------------------------------------------------------------------



    // ---- caches ----------------------------------------------------------------------------------------------





















    // ---- checksums -------------------------------------------------------------------------------------------









    interface RowSum {
        long of(ResultSet rs) throws SQLException;
    }

    /** Sets a row's checksum to the one of what it holds now (read back with {@code select}). */
    static void seal(Connection c, String select, String update, long id, RowSum sum) throws SQLException {
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



    /** The id SQLite gave the row an INSERT just made. */
    static long generatedKey(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.getGeneratedKeys()) {
            rs.next();
            return rs.getLong(1);
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







    interface SqlWork<T> {
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

    /** Runs reads, one owner at a time on the one connection, with the store's failure messages. */
    synchronized <T> T call(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw failure(file, e, 0);
        }
    }

    /** Runs work in one transaction: all of it lands, or none of it. */
    <T> T inTransaction(SqlWork<T> work) {
        return inTransaction(0, work);
    }

    /** {@link #inTransaction(SqlWork)} for a write of about {@code bytes} bytes (what a full disk is short of). */
    synchronized <T> T inTransaction(long bytes, SqlWork<T> work) {
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
