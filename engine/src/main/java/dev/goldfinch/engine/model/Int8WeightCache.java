package dev.goldfinch.engine.model;

import dev.goldfinch.engine.checkpoint.Checkpoint;
import dev.goldfinch.engine.kernel.Int8Matrix;
import dev.goldfinch.engine.kernel.NonFinite;
import dev.goldfinch.engine.tensor.DType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * int8 weights kept on disk (see {@link #fileFor}), so a model is quantized once, not at every
 * start. The file records the checkpoint's identity and a CRC32C of everything after the header; a file for another
 * checkpoint (stale), with a wrong checksum (corrupt) or with a scale that is not a finite number is ignored and
 * rebuilt. Loaded files are memory-mapped.
 *
 * <p>Layout (little-endian): "GFQ8", version, identity (UTF-8, length-prefixed), matrix count, CRC32C of the body,
 * then the body: per matrix its name, out, in, block, and offsets of its int8 values and float scales (64-byte
 * aligned, from the start of the file), then the data.
 */
final class Int8WeightCache {
    private static final int MAGIC = 0x38514647; // "GFQ8"
    private static final int VERSION = 1;
    /** The header and index sit at the start; a view of this much covers them (ByteBuffers stop at 2 GB). */
    private static final long HEADER_WINDOW = 64L << 20;
    private static final System.Logger LOG = System.getLogger(Int8WeightCache.class.getName());

    private final Map<String, Int8Matrix> matrices;

    private Int8WeightCache(Map<String, Int8Matrix> matrices) {
        this.matrices = matrices;
    }

    /**
     * In the user's cache folder, named by the checkpoint's identity: never written beside the checkpoint, whose
     * folder may be shared or read-only. The folder is {@code goldfinch.cache.dir}, else ~/.cache/goldfinch.
     */
    static Path fileFor(Checkpoint ckpt) {
        return CacheFolder.resolve("int8").resolve(ckpt.identity() + ".int8");
    }

    Int8Matrix get(String name) {
        return matrices.get(name);
    }

    int size() {
        return matrices.size();
    }

    /** The cache for this checkpoint, or null when there is none, it is stale, or it is damaged (then it is rebuilt). */
    static Int8WeightCache load(Checkpoint ckpt, Arena arena) {
        Path file = fileFor(ckpt);
        if (!Files.isRegularFile(file)) return null;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            ByteBuffer head = all.asSlice(0, Math.min(all.byteSize(), HEADER_WINDOW)).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (head.getInt() != MAGIC || head.getInt() != VERSION) return discard(file, "not an int8 weight cache of this version");
            String identity = string(head);
            if (!identity.equals(ckpt.identity())) return discard(file, "made from another checkpoint (stale)");
            int count = head.getInt();
            int crc = head.getInt();
            int bodyStart = head.position();
            if ((int) crc32c(all.asSlice(bodyStart)) != crc) return discard(file, "checksum mismatch (damaged)");
            Map<String, Int8Matrix> out = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = string(head);
                int rows = head.getInt(), cols = head.getInt(), block = head.getInt();
                long values = head.getLong(), scales = head.getLong();
                long nScales = (long) rows * (cols / block);
                MemorySegment scaleData = all.asSlice(scales, nScales * 4);
                // the checksum only says the file is as written: a scale written as NaN would make every row it touches NaN
                long bad = NonFinite.first(scaleData, DType.F32);
                if (bad >= 0) return discard(file, "matrix '" + name + "' has a non-finite scale (block " + bad + ")");
                out.put(name, new Int8Matrix(name, rows, cols, block, all.asSlice(values, (long) rows * cols), scaleData));
            }
            return new Int8WeightCache(out);
        } catch (IOException | RuntimeException e) {
            return discard(file, "unreadable (" + e.getMessage() + ")");
        }
    }

    private static Int8WeightCache discard(Path file, String why) {
        LOG.log(System.Logger.Level.WARNING, "int8 weight cache {0} not used: {1}; it will be rebuilt", file, why);
        return null;
    }

    /** Writes the matrices to the cache file (atomically: a temporary file renamed into place). Failure is only logged. */
    static void write(Checkpoint ckpt, Map<String, Int8Matrix> matrices) {
        Path file = fileFor(ckpt);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            byte[] id = ckpt.identity().getBytes(StandardCharsets.UTF_8);
            int fixed = 4 + 4 + 4 + id.length + 4 + 4;
            int indexSize = 0;
            for (Int8Matrix m : matrices.values()) indexSize += 4 + m.name().getBytes(StandardCharsets.UTF_8).length + 12 + 16;
            long at = align(fixed + indexSize);
            ByteBuffer index = ByteBuffer.allocate(indexSize).order(ByteOrder.LITTLE_ENDIAN);
            Map<Int8Matrix, long[]> offsets = new LinkedHashMap<>();
            for (Int8Matrix m : matrices.values()) {
                long values = at;
                at = align(at + m.values().byteSize());
                long scales = at;
                at = align(at + m.scales().byteSize());
                offsets.put(m, new long[] {values, scales});
                putString(index, m.name());
                index.putInt(m.out()).putInt(m.in()).putInt(m.block()).putLong(values).putLong(scales);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MemorySegment all = ch.map(FileChannel.MapMode.READ_WRITE, 0, at, Arena.ofAuto());
                ByteBuffer head = all.asSlice(0, Math.min(all.byteSize(), HEADER_WINDOW)).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                head.putInt(MAGIC).putInt(VERSION).putInt(id.length).put(id).putInt(matrices.size());
                int crcAt = head.position();
                head.putInt(0);
                head.put(index.flip());
                for (var e : offsets.entrySet()) {
                    MemorySegment.copy(e.getKey().values(), 0, all, e.getValue()[0], e.getKey().values().byteSize());
                    MemorySegment.copy(e.getKey().scales(), 0, all, e.getValue()[1], e.getKey().scales().byteSize());
                }
                all.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), crcAt, (int) crc32c(all.asSlice(crcAt + 4)));
                all.force();
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not write the int8 weight cache {0}: {1}", file, e.getMessage());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to tidy
            }
        }
    }

    /** CRC32C of a segment of any size (a ByteBuffer view is limited to 2 GB, so it goes in slices). */
    private static long crc32c(MemorySegment seg) {
        CRC32C crc = new CRC32C();
        for (long at = 0; at < seg.byteSize(); at += 1L << 30) {
            crc.update(seg.asSlice(at, Math.min(1L << 30, seg.byteSize() - at)).asByteBuffer());
        }
        return crc.getValue();
    }

    private static long align(long n) {
        return (n + 63) & ~63L;
    }

    private static String string(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) throw new IllegalStateException("bad string length " + n);
        byte[] s = new byte[n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putInt(bytes.length).put(bytes);
    }
}
