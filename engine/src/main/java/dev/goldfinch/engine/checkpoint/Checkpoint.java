package dev.goldfinch.engine.checkpoint;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.io.InputFiles;
import dev.goldfinch.engine.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A torch {@code .pth} checkpoint (what {@code torch.save(state_dict)} writes), memory-mapped whole. Opening
 * reads only the ZIP central directory, the local headers and {@code data.pkl}; each tensor's data is a slice
 * of the mapping where the storage lies, so weights are neither copied nor read until used. The tensors stay
 * valid until {@link #close()}, which unmaps the file.
 */
public final class Checkpoint implements AutoCloseable {

    /**
     * data.pkl of a 15 GB checkpoint is well under 1 MB (about 150 bytes a tensor). The bound also caps the heap a
     * hostile pickle can make the unpickler fill, which can be some 30 times its size.
     */
    private static final long MAX_PICKLE_BYTES = 16L << 20;
    private static final long IDENTITY_EDGE = 1L << 20;
    private static final String DATA_PKL = "/data.pkl";

    private final Path path;
    private final String where;
    private final Arena arena;
    private final MemorySegment file;
    private final byte[] pickle;
    private final Map<String, Tensor> tensors;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String identity;

    private Checkpoint(Path path, String where, Arena arena, MemorySegment file, byte[] pickle,
                       Map<String, Tensor> tensors) {
        this.path = path;
        this.where = where;
        this.arena = arena;
        this.file = file;
        this.pickle = pickle;
        this.tensors = tensors;
    }

    /** Maps and indexes {@code path}; every problem is an {@link EngineException} with a one-line message. */
    public static Checkpoint open(Path path) {
        String where = "checkpoint " + path;
        if (Files.isDirectory(path)) {
            throw new EngineException(where + ": is a directory, not a checkpoint file");
        }
        InputFiles.requireRegular(path, where);
        Arena arena = Arena.ofShared(); // shared: the engine reads weights from several threads
        try {
            MemorySegment file;
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            }
            ZipIndex zip = ZipIndex.read(file, where);
            String top = topFolder(zip, where);
            MemorySegment pkl = zip.data(zip.find(top + "/data.pkl").orElseThrow());
            if (pkl.byteSize() > MAX_PICKLE_BYTES) {
                throw new EngineException(where + ": data.pkl is " + pkl.byteSize() + " bytes, too large for a state_dict");
            }
            byte[] pickle = pkl.toArray(ValueLayout.JAVA_BYTE);
            Map<String, TensorRef> refs = RestrictedUnpickler.readStateDict(pickle, where);
            Map<String, Tensor> tensors = materialize(refs, zip, top, where);
            return new Checkpoint(path, where, arena, file, pickle, Collections.unmodifiableMap(tensors));
        } catch (NoSuchFileException e) {
            arena.close();
            throw new EngineException(where + ": no such file", e);
        } catch (IOException e) {
            arena.close();
            throw new EngineException(where + ": cannot read the file (" + e + ")", e);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public long fileSize() {
        return file.byteSize();
    }

    /** All tensors, in the order the state_dict lists them. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Tensor get(String name) {
        return find(name).orElseThrow(() -> new EngineException(where + ": missing tensor '" + name + "'"));
    }

    public Optional<Tensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /**
     * A fingerprint that tells checkpoints apart without hashing gigabytes: SHA-256 (hex) over the file size,
     * data.pkl (names, shapes, layout) and the first and last MiB of the file. Computed on first use, so that
     * opening reads no weights.
     */
    public String identity() {
        String id = identity;
        if (id == null) {
            synchronized (this) {
                if (identity == null) identity = computeIdentity();
                id = identity;
            }
        }
        return id;
    }

    /** Unmaps the file: every tensor of this checkpoint becomes unusable. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) arena.close();
    }

    @Override
    public String toString() {
        return "Checkpoint[" + path + ", " + tensors.size() + " tensors]";
    }

    private String computeIdentity() {
        if (closed.get()) throw new IllegalStateException(where + " is closed");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        long size = file.byteSize();
        sha.update(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(size).flip());
        sha.update(pickle);
        long edge = Math.min(IDENTITY_EDGE, size);
        sha.update(file.asSlice(0, edge).asByteBuffer());
        sha.update(file.asSlice(size - edge, edge).asByteBuffer());
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The one folder all entries sit in (torch names it {@code archive} or after the file): the home of data.pkl. */
    private static String topFolder(ZipIndex zip, String where) {
        List<String> tops = zip.entries().stream()
                .map(ZipIndex.Entry::name)
                .filter(n -> n.endsWith(DATA_PKL) && n.indexOf('/') == n.length() - DATA_PKL.length() && n.length() > DATA_PKL.length())
                .map(n -> n.substring(0, n.length() - DATA_PKL.length()))
                .toList();
        if (tops.isEmpty()) {
            throw new EngineException(where + ": the archive has no <folder>/data.pkl (not a torch checkpoint)");
        }
        if (tops.size() > 1) {
            throw new EngineException(where + ": the archive holds several data.pkl (" + tops.size() + " top folders)");
        }
        return tops.getFirst();
    }

    /** Turns each descriptor into a zero-copy view of its storage entry, after checking it stays inside it. */
    private static Map<String, Tensor> materialize(Map<String, TensorRef> refs, ZipIndex zip, String top, String where) {
        Map<String, MemorySegment> storages = new HashMap<>();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            String name = e.getKey();
            String shown = "tensor '" + Printable.of(name) + "'";
            TensorRef t = e.getValue();
            String entryName = top + "/data/" + t.storage().key();
            MemorySegment storage = storages.computeIfAbsent(entryName, n -> zip.data(zip.find(n).orElseThrow(() ->
                    new EngineException(where + ": " + shown + " needs the entry '" + Printable.of(n)
                            + "', which is missing from the archive"))));

            long declared;
            try {
                declared = t.storage().byteSize();
            } catch (ArithmeticException overflow) {
                declared = -1;
            }
            if (declared < 0 || declared > storage.byteSize()) {
                throw new EngineException(where + ": storage '" + Printable.of(entryName) + "' holds "
                        + storage.byteSize() + " bytes, fewer than data.pkl declares");
            }
            long numel = t.numel();
            if (numel < 0) {
                throw new EngineException(where + ": " + shown + " has an impossible shape " + Arrays.toString(t.shape()));
            }
            int bytes = t.dtype().bytes;
            long capacity = declared / bytes;
            if (t.offset() > capacity || numel > capacity - t.offset()) {
                throw new EngineException(where + ": " + shown + " lies outside its storage (elements " + t.offset()
                        + " to " + (t.offset() + numel) + " of a storage of " + capacity + ")");
            }
            if (!t.isContiguous()) {
                throw new EngineException(where + ": " + shown + " is not contiguous (shape "
                        + Arrays.toString(t.shape()) + ", stride " + Arrays.toString(t.stride())
                        + "); re-save it with .contiguous()");
            }
            MemorySegment data = storage.asSlice(t.offset() * bytes, numel * bytes);
            out.put(name, new Tensor(name, t.dtype(), t.shape(), data));
        }
        return out;
    }
}
