package dev.goldfinch.engine.checkpoint;

import dev.goldfinch.engine.EngineException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The central directory of a ZIP archive that is already memory-mapped, read by hand so that entries can be
 * sliced out of the mapping where they lie (java.util.zip would copy them onto the heap). Handles ZIP64
 * (checkpoints reach 15 GB, and torch writes ZIP64 end records even for small files) and entries followed
 * by data descriptors (torch sets flag bit 3, so only the central directory holds the sizes). Only the
 * structure is checked here; whether an entry is usable is decided by {@link #data(Entry)}.
 */
public final class ZipIndex {

    /** One central-directory record; sizes and offset are already resolved through the ZIP64 extra field. */
    public record Entry(String name, int method, int flags, long compressedSize, long size, long localHeaderOffset) {}

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL_DIR = 0x06054b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int EOCD_SIZE = 22;
    private static final int CENTRAL_HEADER_SIZE = 46;
    private static final int LOCAL_HEADER_SIZE = 30;
    private static final int MAX_COMMENT = 0xffff;
    private static final long U32_SENTINEL = 0xffffffffL;

    private final MemorySegment file;
    private final String where;
    private final long centralDirOffset;
    private final Map<String, Entry> entries;

    private ZipIndex(MemorySegment file, String where, long centralDirOffset, Map<String, Entry> entries) {
        this.file = file;
        this.where = where;
        this.centralDirOffset = centralDirOffset;
        this.entries = entries;
    }

    /**
     * Reads the central directory of {@code file}. {@code where} starts every error message, e.g.
     * {@code "checkpoint /models/goldfinch.pth"}.
     */
    public static ZipIndex read(MemorySegment file, String where) {
        long eocd = findEndOfCentralDirectory(file);
        if (eocd < 0) {
            throw new EngineException(where + ": " + whyNotZip(file));
        }
        Reader r = new Reader(file, where);
        if (r.u16(eocd + 4) != 0 || r.u16(eocd + 6) != 0) {
            throw new EngineException(where + ": multi-volume ZIP archives are not supported");
        }
        long count = r.u16(eocd + 10);
        long cdSize = r.u32(eocd + 12);
        long cdOffset = r.u32(eocd + 16);
        long cdLimit = eocd; // the central directory must end before the record that describes it

        // torch writes ZIP64 records whenever it can; they must be used when the classic fields overflow.
        long locator = eocd - 20;
        if (locator >= 0 && r.u32(locator) == ZIP64_LOCATOR) {
            long eocd64 = r.u64(locator + 8);
            if (eocd64 < 0 || eocd64 > locator - 56 || r.u32(eocd64) != ZIP64_END) {
                throw r.damaged("the ZIP64 end record is missing");
            }
            if (r.u32(eocd64 + 16) != 0 || r.u32(eocd64 + 20) != 0) {
                throw new EngineException(where + ": multi-volume ZIP archives are not supported");
            }
            count = r.u64(eocd64 + 32);
            cdSize = r.u64(eocd64 + 40);
            cdOffset = r.u64(eocd64 + 48);
            cdLimit = eocd64;
        } else if (count == 0xffff || cdSize == U32_SENTINEL || cdOffset == U32_SENTINEL) {
            throw r.damaged("the ZIP64 end record is missing");
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset > cdLimit || cdSize > cdLimit - cdOffset) {
            throw r.damaged("the central directory lies outside the file");
        }
        if (count < 0 || count > cdSize / CENTRAL_HEADER_SIZE) { // bounds the work a forged count can cause
            throw r.damaged("the entry count does not fit the central directory");
        }

        Map<String, Entry> entries = new LinkedHashMap<>();
        long p = cdOffset;
        long cdEnd = cdOffset + cdSize;
        for (long i = 0; i < count; i++) {
            if (p > cdEnd - CENTRAL_HEADER_SIZE || r.u32(p) != CENTRAL_HEADER) {
                throw r.damaged("central directory entry " + i + " is damaged");
            }
            int flags = r.u16(p + 8);
            int method = r.u16(p + 10);
            long compressed = r.u32(p + 20);
            long size = r.u32(p + 24);
            int nameLen = r.u16(p + 28);
            int extraLen = r.u16(p + 30);
            int commentLen = r.u16(p + 32);
            long localOffset = r.u32(p + 42);
            long next = p + CENTRAL_HEADER_SIZE + nameLen + extraLen + commentLen;
            if (next > cdEnd) {
                throw r.damaged("central directory entry " + i + " is damaged");
            }
            String name = r.string(p + CENTRAL_HEADER_SIZE, nameLen);
            long extra = p + CENTRAL_HEADER_SIZE + nameLen;
            if (size == U32_SENTINEL || compressed == U32_SENTINEL || localOffset == U32_SENTINEL) {
                long[] resolved = zip64Fields(r, extra, extraLen, name, size, compressed, localOffset);
                size = resolved[0];
                compressed = resolved[1];
                localOffset = resolved[2];
            }
            if (entries.putIfAbsent(name, new Entry(name, method, flags, compressed, size, localOffset)) != null) {
                throw r.damaged("entry '" + Printable.of(name) + "' appears twice");
            }
            p = next;
        }
        return new ZipIndex(file, where, cdOffset, Collections.unmodifiableMap(entries));
    }

    /** All entries in central-directory order. */
    public Collection<Entry> entries() {
        return entries.values();
    }

    public Optional<Entry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * The bytes of a stored entry as a slice of the mapping (no copy). The data starts after the LOCAL header,
     * whose extra field differs from the central one (torch pads it so storages start 64-byte aligned).
     */
    public MemorySegment data(Entry e) {
        Reader r = new Reader(file, where);
        String shown = Printable.of(e.name());
        if ((e.flags() & 1) != 0) {
            throw new EngineException(where + ": entry '" + shown + "' is encrypted");
        }
        if (e.method() != 0) {
            throw new EngineException(where + ": entry '" + shown + "' is compressed (ZIP method " + e.method()
                    + "); checkpoint entries must be stored uncompressed, as torch.save writes them");
        }
        if (e.compressedSize() != e.size()) {
            throw r.damaged("entry '" + shown + "' has inconsistent sizes");
        }
        long h = e.localHeaderOffset();
        if (h < 0 || h > centralDirOffset - LOCAL_HEADER_SIZE || r.u32(h) != LOCAL_HEADER) {
            throw r.damaged("the local header of entry '" + shown + "' is missing");
        }
        int nameLen = r.u16(h + 26);
        int extraLen = r.u16(h + 28);
        long start = h + LOCAL_HEADER_SIZE + nameLen + extraLen;
        if (!r.string(h + LOCAL_HEADER_SIZE, nameLen).equals(e.name())) {
            throw r.damaged("the local header of entry '" + shown + "' names another entry");
        }
        if (e.size() < 0 || start > centralDirOffset || e.size() > centralDirOffset - start) {
            throw r.damaged("entry '" + shown + "' runs past the end of the data");
        }
        return file.asSlice(start, e.size());
    }

    /** Scans back over a possible archive comment for the end-of-central-directory signature. */
    private static long findEndOfCentralDirectory(MemorySegment file) {
        long size = file.byteSize();
        long lowest = Math.max(0, size - EOCD_SIZE - MAX_COMMENT);
        for (long p = size - EOCD_SIZE; p >= lowest; p--) {
            if (file.get(U32, p) == END_OF_CENTRAL_DIR
                    && p + EOCD_SIZE + Short.toUnsignedInt(file.get(U16, p + 20)) <= size) {
                return p;
            }
        }
        return -1;
    }

    private static String whyNotZip(MemorySegment file) {
        long size = file.byteSize();
        if (size >= 4 && file.get(U32, 0) == LOCAL_HEADER) {
            return "truncated or damaged ZIP archive (its end record is missing; was the download interrupted?)";
        }
        if (size >= 2 && file.get(ValueLayout.JAVA_BYTE, 0) == (byte) 0x80) {
            return "not a ZIP archive (it looks like a bare pickle: the legacy torch format before 1.6 is not supported)";
        }
        return "not a ZIP archive (a .pth checkpoint is the ZIP file torch.save writes)";
    }

    /** Resolves the classic fields that hold the 0xFFFFFFFF sentinel from the ZIP64 extra field (id 1). */
    private static long[] zip64Fields(Reader r, long extra, int extraLen, String name,
                                      long size, long compressed, long localOffset) {
        long end = extra + extraLen;
        for (long p = extra; p + 4 <= end; ) {
            int id = r.u16(p);
            int len = r.u16(p + 2);
            long q = p + 4;
            if (q + len > end) break;
            if (id == 1) {
                long limit = q + len;
                if (size == U32_SENTINEL) { size = r.zip64Value(q, limit, name); q += 8; }
                if (compressed == U32_SENTINEL) { compressed = r.zip64Value(q, limit, name); q += 8; }
                if (localOffset == U32_SENTINEL) { localOffset = r.zip64Value(q, limit, name); }
                return new long[] {size, compressed, localOffset};
            }
            p = q + len;
        }
        throw r.damaged("entry '" + Printable.of(name) + "' lacks its ZIP64 sizes");
    }

    /** Bounds-checked little-endian reads that fail with a one-line message instead of an index exception. */
    private record Reader(MemorySegment file, String where) {
        int u16(long p) {
            check(p, 2);
            return Short.toUnsignedInt(file.get(U16, p));
        }

        long u32(long p) {
            check(p, 4);
            return Integer.toUnsignedLong(file.get(U32, p));
        }

        /** A 64-bit field; values above Long.MAX_VALUE come out negative and callers reject them. */
        long u64(long p) {
            check(p, 8);
            return file.get(U64, p);
        }

        long zip64Value(long p, long limit, String name) {
            if (p + 8 > limit) throw damaged("entry '" + Printable.of(name) + "' has a short ZIP64 field");
            long v = u64(p);
            if (v < 0) throw damaged("entry '" + Printable.of(name) + "' has an impossible ZIP64 size");
            return v;
        }

        String string(long p, int len) {
            check(p, len);
            return new String(file.asSlice(p, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }

        void check(long p, long len) {
            if (p < 0 || p > file.byteSize() - len) throw damaged("a record lies past the end of the file");
        }

        EngineException damaged(String what) {
            return new EngineException(where + ": truncated or damaged ZIP archive (" + what + ")");
        }
    }
}
