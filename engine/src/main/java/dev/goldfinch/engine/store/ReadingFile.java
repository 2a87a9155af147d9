package dev.goldfinch.engine.store;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.model.SavedState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A read document handed over as one file (".gfread"): a small SQLite database of its own (application id "GFRx",
 * {@code PRAGMA user_version} its format version) that holds the store's own rows of one reading (the document, its
 * cache record, its rows and its final layer states, each with the checksum the store writes, over this file's ids), a
 * manifest ({@link ReadingManifest}) and the list of the documents rows it holds (one: the document, or the collection, read).
 * Format 1 holds a document; format 2 a collection: its documents row (its name, and its members' text and tokens one
 * after another), its members' titles and spans ({@code collection_members}) and the reading's member-end checkpoints
 * ({@code kept_checkpoints}, their layer states in {@code cache_states} beside the end's), so that a document added
 * to the imported collection is read alone. The members' own documents are not in it: the collection holds their text.
 * <p>Nothing in it is trusted before it is checked: the header is read as bytes before SQLite opens the file (not one,
 * another program's, a library instead of an export, a newer format, cut short); SQLite's integrity check; the schema
 * must be exactly this one (no view, trigger or other table); then every row is checked against its checksum and every
 * size it claims against what it holds ({@code length()} in SQL before a BLOB is fetched), so a forged size never makes
 * this allocate. The file is opened read-only and immutable: reading it changes nothing.
 */
public final class ReadingFile implements AutoCloseable {
    /** "GFRx": a GoldFinch reading export (the store is "GFRd"). */
    static final int APPLICATION_ID = 0x47465278;
    /** The newest format this version reads: 1 (a document) and 2 (a collection), each written for its kind. */
    public static final int FORMAT = 2;
    static final int DOCUMENT_FORMAT = 1;
    static final int COLLECTION_FORMAT = 2;
    static final String FORMAT_NAME = "goldfinch-reading";
    /** Bounds on what a row may claim, checked before it is read: far above any real document, far below the memory. */
    static final long MAX_FILE_BYTES = 16L << 30;
    static final long MAX_TEXT_BYTES = 256L << 20;
    static final long MAX_METADATA_BYTES = 64L << 20;
    static final long MAX_STATE_BYTES = 256L << 20;
    static final int MAX_LAYERS = 1024;

    static final String SCHEMA = """
            CREATE TABLE manifest(
              format TEXT NOT NULL,
              kind TEXT NOT NULL,
              created_at INTEGER NOT NULL,
              made_by TEXT NOT NULL,
              model_file TEXT NOT NULL,
              model_size INTEGER NOT NULL,
              model_sha256 TEXT NOT NULL,
              model_identity TEXT NOT NULL,
              architecture TEXT NOT NULL,
              layers INTEGER NOT NULL,
              d_model INTEGER NOT NULL,
              att_width INTEGER NOT NULL,
              cc_width INTEGER NOT NULL,
              vocab INTEGER NOT NULL,
              description TEXT NOT NULL,
              framing TEXT NOT NULL,
              crc INTEGER NOT NULL);
            CREATE TABLE members(
              position INTEGER PRIMARY KEY,
              document_id INTEGER NOT NULL,
              crc INTEGER NOT NULL);
            CREATE TABLE documents(
              id INTEGER PRIMARY KEY,
              content_hash TEXT NOT NULL,
              name TEXT NOT NULL,
              text TEXT NOT NULL,
              token_count INTEGER NOT NULL,
              tokens BLOB NOT NULL,
              tokens_hash TEXT NOT NULL,
              metadata TEXT,
              added_at INTEGER NOT NULL,
              crc INTEGER);
            CREATE TABLE caches(
              id INTEGER PRIMARY KEY,
              document_id INTEGER NOT NULL,
              model_id INTEGER NOT NULL,
              model_identity TEXT NOT NULL,
              tokens_hash TEXT NOT NULL,
              precision TEXT NOT NULL,
              cc_width INTEGER NOT NULL,
              positions INTEGER NOT NULL,
              total_tokens INTEGER NOT NULL,
              complete INTEGER NOT NULL,
              seconds REAL NOT NULL,
              updated_at INTEGER NOT NULL,
              crc INTEGER);
            CREATE TABLE cache_chunks(
              cache_id INTEGER NOT NULL,
              first_position INTEGER NOT NULL,
              rows INTEGER NOT NULL,
              encoding TEXT NOT NULL,
              tokens BLOB NOT NULL,
              cc BLOB NOT NULL,
              crc INTEGER,
              PRIMARY KEY(cache_id, first_position));
            CREATE TABLE cache_states(
              cache_id INTEGER NOT NULL,
              position INTEGER NOT NULL,
              layer INTEGER NOT NULL,
              att_shift BLOB NOT NULL,
              ffn_shift BLOB NOT NULL,
              wkv BLOB,
              crc INTEGER,
              PRIMARY KEY(cache_id, position, layer));
            """;

    /** What format 2 (a collection) adds to format 1's tables. */
    static final String COLLECTION_SCHEMA = """
            CREATE TABLE collection_members(
              ordinal INTEGER PRIMARY KEY,
              title TEXT NOT NULL,
              text_start INTEGER NOT NULL,
              text_end INTEGER NOT NULL,
              token_start INTEGER NOT NULL,
              token_end INTEGER NOT NULL,
              crc INTEGER NOT NULL);
            CREATE TABLE kept_checkpoints(
              position INTEGER PRIMARY KEY,
              crc INTEGER NOT NULL);
            """;
    /** Bounds on a collection's members, checked before they are read. */
    static final int MAX_MEMBERS = 100_000;
    static final long MAX_TITLE_BYTES = 4096;

    /** sqlite_master as SQLite records each format's schema (made once in memory): a file must hold exactly its format's. */
    private static final Set<String> DOCUMENT_SCHEMA = expectedSchema(DOCUMENT_FORMAT);
    private static final Set<String> COLLECTION_SCHEMA_ENTRIES = expectedSchema(COLLECTION_FORMAT);

    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final String name;
    private final Connection db;
    private final ReadingManifest manifest;
    private final long memberId;

    private ReadingFile(Path file, Connection db, ReadingManifest manifest, long memberId) {
        this.file = file;
        this.name = file.getFileName().toString();
        this.db = db;
        this.manifest = manifest;
        this.memberId = memberId;
    }

    /** The document of a reading export, as checked: its row's fields and its token ids (which hash to its tokens hash). */
    public record Document(long id, String contentHash, String name, String text, int[] tokens, String tokensHash, String metadata) {
    }

    /** One chunk of a reading's rows as the file holds them (checked: its checksum, its place, its sizes). */
    public record Chunk(int first, int rows, CachePrecision encoding, byte[] tokenBlob, byte[] ccBlob) {
        public int[] tokens() {
            return RowCodec.decodeTokens(tokenBlob, rows, "");
        }

        /** The cc_t rows [rows, width] as numbers. */
        public float[] compressed(int width) {
            float[] out = new float[rows * width];
            RowCodec.decode(encoding, ccBlob, rows, width, out, 0, "");
            return out;
        }
    }

    /** One layer's state at the reading's end, as the file holds it (checked against its checksum). */
    public record State(int layer, byte[] attShift, byte[] ffnShift, byte[] wkv) {
        public SavedState.Layer decoded() {
            return new SavedState.Layer(RowCodec.decodeFloats(attShift, attShift.length / 4, ""), RowCodec.decodeFloats(ffnShift, ffnShift.length / 4, ""),
                    wkv == null ? null : RowCodec.decodeFloats(wkv, wkv.length / 4, ""));
        }
    }

    /** Receives a reading's chunks in order. */
    @FunctionalInterface
    public interface ChunkVisitor {
        void chunk(Chunk chunk);
    }

    // ---- opening and checking ---------------------------------------------------------------------------------

    /**
     * Opens a reading export read-only, after checking its header, SQLite's integrity check, its schema, its manifest
     * and its list of members; any problem is one line naming the file.
     */
    public static ReadingFile open(Path file) {
        String name = file.getFileName().toString();
        int format = checkHeader(file, name);
        Connection c = null;
        try {
            org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
            config.setReadOnly(true);
            c = config.createConnection(DocumentStore.connectionUrl(file, true));
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only = ON");
                s.execute("PRAGMA trusted_schema = OFF");
                s.execute("PRAGMA cell_size_check = ON");
            }
            String integrity = firstString(c, "PRAGMA integrity_check");
            if (!"ok".equals(integrity)) throw damaged(name, "SQLite finds it malformed: " + firstLine(integrity));
            checkSchema(c, name, format);
            ReadingManifest manifest = readManifest(c, name);
            long member = readMember(c, name, manifest, format);
            return new ReadingFile(file, c, manifest, member);
        } catch (SQLException e) {
            close(c);
            throw damaged(name, "SQLite cannot read it: " + firstLine(String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            close(c);
            throw e;
        }
    }

    /** The 100-byte SQLite header, read as bytes: what the file is, which format, and whether it is whole. */
    private static int checkHeader(Path file, String name) {
        byte[] head = new byte[100];
        long size;
        int read;
        try {
            if (!Files.isRegularFile(file)) throw new EngineException(name + ": not a regular file; nothing was imported");
            size = Files.size(file);
            try (InputStream in = Files.newInputStream(file)) {
                read = in.readNBytes(head, 0, 100);
            }
        } catch (IOException e) {
            throw new EngineException(name + ": cannot read it (" + e.getMessage() + "); nothing was imported", e);
        }
        if (read < 16 || !java.util.Arrays.equals(head, 0, 16, SQLITE_MAGIC, 0, 16)) throw notAnExport(name, "not an SQLite file");
        if (read < 100) throw damaged(name, "it is cut short: " + read + " bytes, less than its header");
        ByteBuffer b = ByteBuffer.wrap(head); // the header's integers are big-endian
        int application = b.getInt(68), version = b.getInt(60);
        if (application == Schema.APPLICATION_ID) {
            throw new EngineException(name + " is a GoldFinch library (a store), not a reading export; export a reading from it first; nothing was imported");
        }
        if (application != APPLICATION_ID) throw notAnExport(name, "an SQLite file of another program");
        if (version > FORMAT) {
            throw new EngineException(name + " was made by a newer GoldFinch Reader (format " + version + "; this version reads format " + FORMAT
                    + "); nothing was imported");
        }
        if (version < 1) throw damaged(name, "its format version is " + version);
        if (size > MAX_FILE_BYTES) throw damaged(name, String.format(Locale.ROOT, "it is %,d bytes, more than any reading export (%,d)", size, MAX_FILE_BYTES));
        int pageSize = b.getShort(16) & 0xffff;
        long pageBytes = pageSize == 1 ? 65536 : pageSize;
        long pages = b.getInt(28) & 0xffffffffL;
        boolean sizeValid = b.getInt(92) == b.getInt(24) && pages > 0; // SQLite's own rule for the in-header size
        if (sizeValid && size < pages * pageBytes) {
            throw damaged(name, String.format(Locale.ROOT, "it is cut short: %,d of its %,d bytes", size, pages * pageBytes));
        }
        return version;
    }

    private static void checkSchema(Connection c, String name, int format) throws SQLException {
        Set<String> found = schemaOf(c), expected = format == COLLECTION_FORMAT ? COLLECTION_SCHEMA_ENTRIES : DOCUMENT_SCHEMA;
        if (!found.equals(expected)) {
            Set<String> extra = new TreeSet<>(found);
            extra.removeAll(expected);
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(found);
            String what = !extra.isEmpty() ? "it holds " + describe(extra) + " that no export has" : "it lacks " + describe(missing);
            throw forged(name, what);
        }
    }

    private static String describe(Set<String> entries) {
        return entries.stream().map(e -> e.substring(0, e.indexOf('\u0001')).replace('\u0000', ' ')).findFirst().orElse("?");
    }

    private static Set<String> schemaOf(Connection c) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT type, name, tbl_name, sql FROM sqlite_master")) {
            while (rs.next()) out.add(rs.getString(1) + '\u0000' + rs.getString(2) + '\u0001' + rs.getString(3) + '\u0001' + rs.getString(4));
        }
        return out;
    }

    private static Set<String> expectedSchema(int format) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            create(c, format);
            return Set.copyOf(schemaOf(c));
        } catch (SQLException e) {
            throw new IllegalStateException("the reading export's schema does not build", e);
        }
    }

    /** Makes a format's tables in a new, empty database, marked as a reading export of that format. */
    static void create(Connection c, int format) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : (format == COLLECTION_FORMAT ? SCHEMA + COLLECTION_SCHEMA : SCHEMA).split(";")) {
                if (!sql.isBlank()) s.execute(sql);
            }
            s.execute("PRAGMA application_id = " + APPLICATION_ID);
            s.execute("PRAGMA user_version = " + format);
        }
    }

    private static ReadingManifest readManifest(Connection c, String name) throws SQLException {
        if (count(c, "manifest") != 1) throw forged(name, "it has " + count(c, "manifest") + " manifests, not one");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT format, kind, created_at, made_by, model_file, model_size, model_sha256,"
                + " model_identity, architecture, layers, d_model, att_width, cc_width, vocab, description, framing, crc FROM manifest")) {
            rs.next();
            if (!FORMAT_NAME.equals(rs.getString(1))) throw notAnExport(name, "its manifest names another format");
            ReadingManifest m = new ReadingManifest(rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getLong(6), rs.getString(7),
                    rs.getString(8), rs.getString(9), rs.getInt(10), rs.getInt(11), rs.getInt(12), rs.getInt(13), rs.getInt(14), rs.getString(15),
                    rs.getString(16));
            if (rs.getLong(17) != m.checksum()) throw damaged(name, "its manifest fails its checksum");
            return m;
        }
    }

    private static long readMember(Connection c, String name, ReadingManifest m, int format) throws SQLException {
        String kind = format == COLLECTION_FORMAT ? ReadingManifest.COLLECTION : ReadingManifest.DOCUMENT;
        if (!kind.equals(m.kind())) throw forged(name, "its manifest says it holds a " + m.kind() + "; a format " + format + " file holds a " + kind);
        if (count(c, "members") != 1) throw forged(name, "a " + kind + " export lists " + count(c, "members") + " documents");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT position, document_id, crc FROM members")) {
            rs.next();
            if (rs.getLong(3) != memberChecksum(rs.getLong(1), rs.getLong(2))) throw damaged(name, "its list of documents fails its checksum");
            return rs.getLong(2);
        }
    }

    static long memberChecksum(long position, long documentId) {
        return RowChecksum.of().add(position).add(documentId).value();
    }

    // ---- the checked contents -------------------------------------------------------------------------------------

    public ReadingManifest manifest() {
        return manifest;
    }

    public Path file() {
        return file;
    }

    /** Whether it holds a collection (format 2), not a single document. */
    public boolean isCollection() {
        return ReadingManifest.COLLECTION.equals(manifest.kind());
    }

    /**
     * A collection's members in order (none for a document), each checked against its checksum, its title's size
     * bounded before it is read. Their spans are the importer's to check against the collection's text and tokens;
     * none is linked to a library document ({@link CollectionMember#documentId()} −1): the file holds none.
     */
    public List<CollectionMember> members() {
        if (!isCollection()) return List.of();
        return call(() -> {
            long n = count(db, "collection_members");
            if (n < 1 || n > MAX_MEMBERS) throw forged(name, "its collection has " + n + " members");
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM collection_members"
                    + " WHERE typeof(title) != 'text' OR length(CAST(title AS BLOB)) > " + MAX_TITLE_BYTES)) {
                if (rs.next() && rs.getLong(1) > 0) throw forged(name, "a member's title is not a title");
            }
            List<CollectionMember> out = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT ordinal, title, text_start, text_end, token_start, token_end, crc"
                    + " FROM collection_members ORDER BY ordinal")) {
                while (rs.next()) {
                    CollectionMember m = new CollectionMember(rs.getInt(1), -1, rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6));
                    if (rs.getLong(7) != Collections.memberChecksum(1, m)) throw damaged(name, "member " + m.ordinal() + " of its collection fails its checksum");
                    out.add(m);
                }
            }
            return out;
        });
    }

    /** The positions a collection's reading keeps for good (its members' ends), each checked against its checksum; none for a document. */
    public List<Integer> keptPositions(CacheInfo cache) {
        if (!isCollection()) return List.of();
        return call(() -> {
            long n = count(db, "kept_checkpoints");
            if (n > MAX_MEMBERS) throw forged(name, "it keeps " + n + " checkpoints, more than any collection has members");
            List<Integer> out = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT position, crc FROM kept_checkpoints ORDER BY position")) {
                while (rs.next()) {
                    long p = rs.getLong(1);
                    if (p <= 0 || p > cache.positions()) throw forged(name, "it keeps a checkpoint at position " + p + ", outside its reading");
                    if (rs.getLong(2) != Readings.keptChecksum(1, p)) throw damaged(name, "its kept checkpoint at position " + p + " fails its checksum");
                    out.add((int) p);
                }
            }
            return out;
        });
    }

    /** The export's document, checked: bounded sizes, its checksum, its token ids against its tokens hash. */
    public Document document() {
        return call(() -> {
            if (count(db, "documents") != 1) throw forged(name, "it holds " + count(db, "documents") + " documents, not one");
            try (PreparedStatement ps = db.prepareStatement("SELECT id, length(CAST(text AS BLOB)), token_count, length(tokens), typeof(tokens),"
                    + " length(CAST(metadata AS BLOB)) FROM documents WHERE id = ?")) {
                ps.setLong(1, memberId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw forged(name, "its listed document is not in it");
                    long textBytes = rs.getLong(2), tokens = rs.getLong(3), tokenBytes = rs.getLong(4), meta = rs.getLong(6);
                    if (textBytes > MAX_TEXT_BYTES || meta > MAX_METADATA_BYTES) throw forged(name, "its document is larger than any document");
                    // every token of the World vocabulary stands for at least one byte of the text
                    if (!"blob".equals(rs.getString(5)) || tokens <= 0 || tokens > textBytes || tokenBytes != tokens * 4) {
                        throw forged(name, String.format(Locale.ROOT, "its document claims %,d tokens in %,d bytes of ids and %,d bytes of text", tokens, tokenBytes, textBytes));
                    }
                }
            }
            try (PreparedStatement ps = db.prepareStatement("SELECT id, content_hash, name, text, token_count, tokens_hash, metadata, added_at, crc, tokens"
                    + " FROM documents WHERE id = ?")) {
                ps.setLong(1, memberId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getObject(9) == null || rs.getLong(9) != Documents.documentChecksum(rs)) throw damaged(name, "its document fails its checksum");
                    int[] tokens = RowCodec.decodeTokens(rs.getBytes(10), rs.getInt(5), name);
                    if (!DocumentStore.tokensHash(tokens).equals(rs.getString(6))) throw damaged(name, "its document's token ids fail their hash");
                    if (!isCollection() && !isSha256(rs.getString(2))) throw forged(name, "its document's content hash is not a SHA-256");
                    if (isCollection() && !rs.getString(2).startsWith("collection:")) throw forged(name, "its collection's content hash is not a collection's");
                    return new Document(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), tokens, rs.getString(6), rs.getString(7));
                }
            }
        });
    }

    /** The export's one reading of its document, checked as the store checks its own: its checksum, known precision, sane positions. */
    public CacheInfo cache() {
        return call(() -> {
            if (count(db, "caches") != 1) throw forged(name, "it holds " + count(db, "caches") + " readings, not one");
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(Readings.CACHE_COLUMNS)) {
                rs.next();
                CacheInfo info = Readings.cacheInfo(rs);
                if (info.problem() != null) {
                    if (info.problem().contains("checksum")) throw damaged(name, "its reading's record fails its checksum");
                    throw forged(name, "its reading has " + info.problem());
                }
                if (info.documentId() != memberId) throw forged(name, "its reading is of another document than the one it lists");
                if (!info.complete() || info.positions() != info.totalTokens()) {
                    throw forged(name, String.format(Locale.ROOT, "its reading is not complete (%,d of %,d tokens)", info.positions(), info.totalTokens()));
                }
                return info;
            }
        });
    }

    /**
     * Every chunk of the reading's rows, in order: each one's sizes checked before it is fetched (at most
     * {@link Readings#CHUNK_ROWS} rows, blobs of exactly the size its rows and encoding make), then its checksum and
     * its place (chunks follow each other from position 0 to the end, none missing, none overlapping).
     */
    public void chunks(CacheInfo cache, ChunkVisitor visitor) {
        call(() -> {
            int width = cache.ccWidth(), next = 0;
            List<long[]> index = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT first_position, rows, encoding, length(tokens), length(cc), typeof(tokens), typeof(cc),"
                    + " cache_id FROM cache_chunks ORDER BY cache_id, first_position")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long first = rs.getLong(1), rows = rs.getLong(2);
                        CachePrecision p = CachePrecision.known(rs.getString(3)).orElseThrow(() -> forged(name, "its rows are in an unknown encoding"));
                        if (rs.getLong(8) != cache.id()) throw forged(name, "it holds rows of no reading");
                        if (first != next || rows <= 0 || rows > Readings.CHUNK_ROWS || first + rows > cache.positions()) {
                            throw forged(name, "its rows at position " + first + " do not follow position " + next);
                        }
                        if (!"blob".equals(rs.getString(6)) || !"blob".equals(rs.getString(7)) || rs.getLong(4) != rows * 4
                                || rs.getLong(5) != RowCodec.encodedSize(p, (int) rows, width)) {
                            throw forged(name, "its rows at position " + first + " have impossible sizes");
                        }
                        index.add(new long[] {first, rows});
                        next = (int) (first + rows);
                    }
                }
            }
            if (next != cache.positions()) throw forged(name, String.format(Locale.ROOT, "it holds %,d of its reading's %,d positions", next, cache.positions()));
            try (PreparedStatement ps = db.prepareStatement("SELECT encoding, tokens, cc, crc FROM cache_chunks WHERE cache_id = ? AND first_position = ?")) {
                for (long[] at : index) {
                    ps.setLong(1, cache.id());
                    ps.setLong(2, at[0]);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        String encoding = rs.getString(1);
                        byte[] t = rs.getBytes(2), cc = rs.getBytes(3);
                        if (rs.getObject(4) == null || rs.getLong(4) != Readings.chunkChecksum(cache.id(), at[0], at[1], encoding, t, cc)) {
                            throw damaged(name, "its rows at position " + at[0] + " fail their checksum");
                        }
                        visitor.chunk(new Chunk((int) at[0], (int) at[1], CachePrecision.known(encoding).orElseThrow(), t, cc));
                    }
                }
            }
            return null;
        });
    }

    /** The layer states at the reading's end, layer 0 first, each checked against its checksum; none elsewhere but at its kept checkpoints. */
    public List<State> states(CacheInfo cache) {
        return states(cache, cache.positions());
    }

    /**
     * The layer states at {@code position} (the reading's end or one of its kept checkpoints), layer 0 first, each
     * checked against its checksum; the file may hold states at no other position.
     */
    public List<State> states(CacheInfo cache, int position) {
        List<Integer> kept = keptPositions(cache);
        return call(() -> {
            StringBuilder allowed = new StringBuilder().append(cache.positions());
            for (int p : kept) allowed.append(',').append(p);
            try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM cache_states WHERE cache_id != ? OR position NOT IN (" + allowed + ")")) {
                ps.setLong(1, cache.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getLong(1) > 0) throw forged(name, "it holds a layer state of another position");
                }
            }
            long rows;
            try (PreparedStatement ps = db.prepareStatement("SELECT count(*) FROM cache_states WHERE position = ?")) {
                ps.setInt(1, position);
                try (ResultSet rs = ps.executeQuery()) {
                    rows = rs.next() ? rs.getLong(1) : 0;
                }
            }
            if (rows == 0 || rows > MAX_LAYERS) throw forged(name, "it holds " + rows + " layer states" + (position == cache.positions() ? "" : " at position " + position));
            try (PreparedStatement ps = db.prepareStatement("SELECT cache_id, position, layer, length(att_shift), length(ffn_shift),"
                    + " length(wkv), typeof(att_shift), typeof(ffn_shift), typeof(wkv) FROM cache_states WHERE position = ? ORDER BY layer")) {
                ps.setInt(1, position);
                ResultSet rs = ps.executeQuery();
                int layer = 0;
                while (rs.next()) {
                    if (rs.getLong(1) != cache.id()) throw forged(name, "it holds a layer state of another position");
                    if (rs.getLong(3) != layer++) throw forged(name, "layer " + (layer - 1) + "'s state is missing");
                    boolean blobs = "blob".equals(rs.getString(7)) && "blob".equals(rs.getString(8)) && ("blob".equals(rs.getString(9)) || "null".equals(rs.getString(9)));
                    if (!blobs || rs.getLong(4) > MAX_STATE_BYTES || rs.getLong(5) > MAX_STATE_BYTES || rs.getLong(6) > MAX_STATE_BYTES) {
                        throw forged(name, "layer " + (layer - 1) + "'s state has impossible sizes");
                    }
                }
                rs.close();
            }
            List<State> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT layer, att_shift, ffn_shift, wkv, crc FROM cache_states WHERE position = ? ORDER BY layer")) {
                ps.setInt(1, position);
                ResultSet rs = ps.executeQuery();
                while (rs.next()) {
                    int layer = rs.getInt(1);
                    byte[] att = rs.getBytes(2), ffn = rs.getBytes(3), wkv = rs.getBytes(4);
                    if (rs.getObject(5) == null || rs.getLong(5) != Readings.stateChecksum(cache.id(), position, layer, att, ffn, wkv)) {
                        throw damaged(name, "layer " + layer + "'s state fails its checksum");
                    }
                    if (att.length % 4 != 0 || ffn.length % 4 != 0 || (wkv != null && wkv.length % 4 != 0)) {
                        throw forged(name, "layer " + layer + "'s state has impossible sizes");
                    }
                    out.add(new State(layer, att, ffn, wkv));
                }
                rs.close();
            }
            return out;
        });
    }

    @Override
    public void close() {
        close(db);
    }

    // ---- one-line refusals ----------------------------------------------------------------------------------------

    static EngineException notAnExport(String name, String why) {
        return new EngineException(name + " is not a GoldFinch reading export (" + why + "); nothing was imported");
    }

    static EngineException damaged(String name, String why) {
        return new EngineException(name + " is damaged (" + why + "); nothing was imported");
    }

    /** A file whose rows are sound but say what no export says: made by hand, or by something else. */
    public static EngineException forged(String name, String why) {
        return new EngineException(name + " is not a reading this version wrote (" + why + "); nothing was imported");
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    private interface Work<T> {
        T run() throws SQLException;
    }

    private synchronized <T> T call(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw damaged(name, "SQLite cannot read it: " + firstLine(String.valueOf(e.getMessage())));
        } catch (EngineException e) {
            if (e instanceof TransferCancelledException || e.getMessage() != null && e.getMessage().startsWith(name)) throw e;
            throw damaged(name, firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static String firstString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static boolean isSha256(String s) {
        if (s == null || s.length() != 64) return false;
        try {
            HexFormat.of().parseHex(s);
            return s.equals(s.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static void close(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a file only read: nothing to lose
        }
    }
}
