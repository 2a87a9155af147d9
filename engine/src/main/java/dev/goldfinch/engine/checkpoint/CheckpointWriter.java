package dev.goldfinch.engine.checkpoint;

import dev.goldfinch.engine.tensor.DType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Writes a torch {@code .pth} checkpoint, the file {@code torch.save(state_dict)} writes and {@link Checkpoint#open}
 * reads: a ZIP archive of STORED entries under one top folder, {@code <top>/data/<key>} holding each tensor's raw
 * little-endian storage at a 64-byte aligned offset, {@code <top>/data.pkl} a protocol-2 pickle of an
 * {@code OrderedDict} name → {@code torch._utils._rebuild_tensor_v2(<persistent storage>, 0, size, stride, False,
 * OrderedDict())} whose storages are {@code torch.FloatStorage} / {@code BFloat16Storage} / {@code HalfStorage}
 * persistent ids, and {@code <top>/version}. ZIP64 records are always written (as torch does), so files past 4 GiB work.
 *
 * <p>Tensors are streamed: each one's values are asked for a block at a time ({@link Values}) and written
 * straight to the file, so writing a multi-gigabyte model needs only a small buffer of heap. Entries are written in
 * the order tensors are added; data.pkl and version follow them (the order of entries is free in a ZIP; readers go
 * through the central directory).
 *
 * <pre>{@code
 * try (CheckpointWriter w = CheckpointWriter.create(path)) {
 *     w.add("emb.weight", DType.BF16, new long[] {65536, 768}, (offset, dst, count) -> ...);
 *     w.add("ln_out.weight", DType.F32, new long[] {768}, ones);
 * }
 * }</pre>
 *
 * <p>bf16 values are rounded to nearest even from float32 (as torch's {@code .bfloat16()}), f16 likewise.
 * Not thread-safe.
 */
public final class CheckpointWriter implements AutoCloseable {

    /** Produces a tensor's elements in C order, a block at a time. */
    @FunctionalInterface
    public interface Values {
        /** Fills {@code dst[0, count)} with elements {@code offset … offset+count−1} of the tensor. */
        void fill(long offset, float[] dst, int count);
    }

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL_DIR = 0x06054b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final long U32_MAX = 0xffffffffL;
    private static final int ALIGN = 64;
    /** 1980-01-01, the ZIP epoch (torch writes the same fixed date). */
    private static final short DOS_DATE = (short) ((1 << 5) | 1);
    private static final int BLOCK = 1 << 16;

    private record Written(String name, long offset, long size, long crc) {}

    private record TensorEntry(String name, DType dtype, long[] shape, String key) {}

    private final Path path;
    private final String top;
    private final long zip64Threshold;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK * 4).order(ByteOrder.LITTLE_ENDIAN);
    private final float[] block = new float[BLOCK];
    private final List<Written> written = new ArrayList<>();
    private final List<TensorEntry> tensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private boolean closed;

    private CheckpointWriter(Path path, String top, long zip64Threshold) throws IOException {
        if (top.isEmpty() || top.contains("/")) throw new IllegalArgumentException("bad top folder name '" + top + "'");
        this.path = path;
        this.top = top;
        this.zip64Threshold = zip64Threshold;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    /** A new (or truncated) checkpoint file whose entries sit under the file's stem, as torch.save names them. */
    public static CheckpointWriter create(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return create(file, dot > 0 ? name.substring(0, dot) : name);
    }

    /** A new (or truncated) checkpoint file whose entries sit under {@code topFolder} (e.g. "archive"). */
    public static CheckpointWriter create(Path file, String topFolder) {
        return create(file, topFolder, U32_MAX);
    }

    /** For tests: entries and offsets at or above the threshold go through the ZIP64 extra fields. */
    static CheckpointWriter create(Path file, String topFolder, long zip64Threshold) {
        try {
            return new CheckpointWriter(file, topFolder, zip64Threshold);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** Adds a tensor whose values are streamed from {@code values}. Returns this. */
    public CheckpointWriter add(String name, DType dtype, long[] shape, Values values) {
        if (closed) throw new IllegalStateException("checkpoint " + path + " is already closed");
        if (!names.add(name)) throw new IllegalArgumentException("tensor '" + name + "' added twice");
        long count = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension");
            count = Math.multiplyExact(count, d);
        }
        long numel = count;
        String key = Integer.toString(tensors.size());
        tensors.add(new TensorEntry(name, dtype, shape.clone(), key));
        try {
            writeEntry(top + "/data/" + key, numel * dtype.bytes, crc -> streamValues(dtype, numel, values, crc));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** Adds a tensor from a float array holding all its elements (C order). Returns this. */
    public CheckpointWriter add(String name, DType dtype, long[] shape, float[] values) {
        long numel = 1;
        for (long d : shape) numel *= d;
        if (numel != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "': " + values.length + " values for " + numel + " elements");
        }
        return add(name, dtype, shape, (offset, dst, count) -> System.arraycopy(values, (int) offset, dst, 0, count));
    }

    /** Bytes written so far. */
    public long size() {
        try {
            return channel.position();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes data.pkl, version and the ZIP directory, and closes the file. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try (FileChannel ch = channel) {
            byte[] pickle = Pickle.stateDict(tensors);
            writeEntry(top + "/data.pkl", pickle.length, crc -> writeBytes(pickle, crc));
            byte[] version = "3\n".getBytes(StandardCharsets.US_ASCII);
            writeEntry(top + "/version", version.length, crc -> writeBytes(version, crc));
            writeDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    // ---- entries ----

    @FunctionalInterface
    private interface Body {
        void write(CRC32 crc) throws IOException;
    }

    /**
     * A local header (sizes known up front, CRC patched in afterwards, so no data descriptor is needed) padded with
     * an "FB" extra field, as torch pads it, so that the data starts 64-byte aligned; then the data.
     */
    private void writeEntry(String name, long size, Body body) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        long offset = channel.position();
        boolean zip64 = size >= zip64Threshold;
        int zip64Len = zip64 ? 20 : 0;
        long unpadded = offset + 30 + nameBytes.length + zip64Len + 4;
        int pad = (int) ((ALIGN - unpadded % ALIGN) % ALIGN);
        ByteBuffer h = le(30 + nameBytes.length + zip64Len + 4 + pad);
        h.putInt(LOCAL_HEADER).putShort((short) (zip64 ? 45 : 20)).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putShort(DOS_DATE).putInt(0)
                .putInt(zip64 ? -1 : (int) size).putInt(zip64 ? -1 : (int) size)
                .putShort((short) nameBytes.length).putShort((short) (zip64Len + 4 + pad)).put(nameBytes);
        if (zip64) h.putShort((short) 1).putShort((short) 16).putLong(size).putLong(size);
        h.putShort((short) 0x4246).putShort((short) pad); // "FB"
        for (int i = 0; i < pad; i++) h.put((byte) 'Z');
        flip(h);
        long start = channel.position();
        CRC32 crc = new CRC32();
        body.write(crc);
        long end = channel.position();
        if (end - start != size) throw new IllegalStateException("entry " + name + ": wrote " + (end - start) + " of " + size + " bytes");
        ByteBuffer c = le(4);
        c.putInt((int) crc.getValue()).flip();
        while (c.hasRemaining()) channel.write(c, offset + 14 + (4 - c.remaining()));
        written.add(new Written(name, offset, size, crc.getValue()));
    }

    private void streamValues(DType dtype, long numel, Values values, CRC32 crc) throws IOException {
        for (long done = 0; done < numel; ) {
            int n = (int) Math.min(BLOCK, numel - done);
            values.fill(done, block, n);
            buffer.clear();
            switch (dtype) {
                case F32 -> {
                    for (int i = 0; i < n; i++) buffer.putFloat(block[i]);
                }
                case BF16 -> {
                    for (int i = 0; i < n; i++) buffer.putShort(toBf16(block[i]));
                }
                case F16 -> {
                    for (int i = 0; i < n; i++) buffer.putShort(Float.floatToFloat16(block[i]));
                }
            }
            buffer.flip();
            crc.update(buffer.duplicate());
            while (buffer.hasRemaining()) channel.write(buffer);
            done += n;
        }
    }

    private void writeBytes(byte[] bytes, CRC32 crc) throws IOException {
        crc.update(bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) channel.write(b);
    }

    /** float32 → bf16 with round-to-nearest-even (NaN stays a quiet NaN), as torch converts. */
    public static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) return (short) ((bits >>> 16) | 0x40);
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    // ---- central directory ----

    private void writeDirectory() throws IOException {
        long cdStart = channel.position();
        for (Written w : written) {
            byte[] name = w.name().getBytes(StandardCharsets.UTF_8);
            boolean bigSize = w.size() >= zip64Threshold;
            boolean bigOffset = w.offset() >= zip64Threshold;
            int extra = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
            int extraLen = extra > 0 ? 4 + extra : 0;
            ByteBuffer c = le(46 + name.length + extraLen);
            c.putInt(CENTRAL_HEADER).putShort((short) (3 << 8 | 45)).putShort((short) (bigSize ? 45 : 20))
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort(DOS_DATE)
                    .putInt((int) w.crc())
                    .putInt(bigSize ? -1 : (int) w.size()).putInt(bigSize ? -1 : (int) w.size())
                    .putShort((short) name.length).putShort((short) extraLen).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0644 << 16)
                    .putInt(bigOffset ? -1 : (int) w.offset()).put(name);
            if (extra > 0) {
                c.putShort((short) 1).putShort((short) extra);
                if (bigSize) c.putLong(w.size()).putLong(w.size());
                if (bigOffset) c.putLong(w.offset());
            }
            flip(c);
        }
        long cdEnd = channel.position();
        long cdSize = cdEnd - cdStart;
        long count = written.size();
        ByteBuffer z = le(56 + 20 + 22);
        z.putInt(ZIP64_END).putLong(44).putShort((short) (3 << 8 | 45)).putShort((short) 45).putInt(0).putInt(0)
                .putLong(count).putLong(count).putLong(cdSize).putLong(cdStart);
        z.putInt(ZIP64_LOCATOR).putInt(0).putLong(cdEnd).putInt(1);
        boolean big = count >= 0xffff || cdSize >= U32_MAX || cdStart >= U32_MAX;
        z.putInt(END_OF_CENTRAL_DIR).putShort((short) 0).putShort((short) 0)
                .putShort((short) (big ? 0xffff : count)).putShort((short) (big ? 0xffff : count))
                .putInt(big ? -1 : (int) cdSize).putInt(big ? -1 : (int) cdStart).putShort((short) 0);
        flip(z);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void flip(ByteBuffer b) throws IOException {
        b.flip();
        while (b.hasRemaining()) channel.write(b);
    }

    // ---- data.pkl ----

    /** The pickle torch.save writes for a state_dict (protocol 2), with the globals memoized as pickle does. */
    private static final class Pickle {
        private static final int PROTO = 0x80, GLOBAL = 'c', MARK = '(', TUPLE = 't', EMPTY_TUPLE = ')',
                TUPLE1 = 0x85, REDUCE = 'R', BINPERSID = 'Q', BINUNICODE = 'X', BININT = 'J', BININT1 = 'K',
                BININT2 = 'M', LONG1 = 0x8a, NEWFALSE = 0x89, SETITEMS = 'u', BINPUT = 'q', LONG_BINPUT = 'r',
                BINGET = 'h', LONG_BINGET = 'j', STOP = '.';
        private static final int BATCH = 1000;

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Map<String, Integer> memo = new HashMap<>();

        static byte[] stateDict(List<TensorEntry> tensors) {
            Pickle p = new Pickle();
            p.op(PROTO).op(2);
            p.global("collections", "OrderedDict").op(EMPTY_TUPLE).op(REDUCE);
            for (int i = 0; i < tensors.size(); i++) {
                if (i % BATCH == 0) p.op(MARK);
                p.tensor(tensors.get(i));
                if (i % BATCH == BATCH - 1 || i == tensors.size() - 1) p.op(SETITEMS);
            }
            return p.op(STOP).out.toByteArray();
        }

        private void tensor(TensorEntry t) {
            unicode(t.name());
            global("torch._utils", "_rebuild_tensor_v2");
            op(MARK);
            // the persistent id ('storage', <class>, key, location, numel)
            op(MARK);
            unicode("storage");
            global("torch", switch (t.dtype()) {
                case F32 -> "FloatStorage";
                case BF16 -> "BFloat16Storage";
                case F16 -> "HalfStorage";
            });
            unicode(t.key());
            unicode("cpu");
            long numel = 1;
            for (long d : t.shape()) numel *= d;
            integer(numel);
            op(TUPLE).op(BINPERSID);
            integer(0);
            tuple(t.shape());
            long[] stride = new long[t.shape().length];
            long s = 1;
            for (int i = stride.length - 1; i >= 0; i--) {
                stride[i] = s;
                s *= t.shape()[i];
            }
            tuple(stride);
            op(NEWFALSE);
            global("collections", "OrderedDict").op(EMPTY_TUPLE).op(REDUCE);
            op(TUPLE).op(REDUCE);
        }

        private Pickle op(int b) {
            out.write(b);
            return this;
        }

        /** GLOBAL the first time (memoized), BINGET afterwards. */
        private Pickle global(String module, String name) {
            String key = module + "\n" + name + "\n";
            Integer index = memo.get(key);
            if (index != null) {
                if (index < 256) op(BINGET).op(index);
                else op(LONG_BINGET).le(index, 4);
                return this;
            }
            op(GLOBAL);
            out.writeBytes(key.getBytes(StandardCharsets.UTF_8));
            int i = memo.size();
            memo.put(key, i);
            if (i < 256) op(BINPUT).op(i);
            else op(LONG_BINPUT).le(i, 4);
            return this;
        }

        private void unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op(BINUNICODE).le(b.length, 4);
            out.writeBytes(b);
        }

        /** The smallest of BININT1, BININT2, BININT, LONG1, as pickle's save_long picks. */
        private void integer(long v) {
            if (v >= 0 && v < 256) op(BININT1).op((int) v);
            else if (v >= 0 && v < 65536) op(BININT2).le(v, 2);
            else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) op(BININT).le(v, 4);
            else {
                int n = 8;
                while (n > 1 && (v >> (8 * (n - 1) - 1)) == 0) n--; // drop leading zero bytes, keep a sign bit of 0
                op(LONG1).op(n).le(v, n);
            }
        }

        private void tuple(long[] values) {
            if (values.length == 0) {
                op(EMPTY_TUPLE);
                return;
            }
            if (values.length <= 3) {
                for (long v : values) integer(v);
                op(TUPLE1 + values.length - 1);
                return;
            }
            op(MARK);
            for (long v : values) integer(v);
            op(TUPLE);
        }

        private Pickle le(long v, int bytes) {
            for (int i = 0; i < bytes; i++) out.write((int) (v >>> (8 * i)));
            return this;
        }
    }
}
