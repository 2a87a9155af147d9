package dev.goldfinch.engine.model;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.checkpoint.Checkpoint;
import dev.goldfinch.engine.checkpoint.Printable;
import dev.goldfinch.engine.kernel.NonFinite;
import dev.goldfinch.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Refuses a checkpoint with a NaN or an infinite value in any tensor, naming the tensor: one such weight makes the
 * logits NaN, and the model then answers token 0 forever. The scan reads the whole file ({@link NonFinite}, at memory
 * speed), so a clean result is remembered in the cache folder, under the checkpoint's identity and the file's own
 * (device and inode, size, modification time): loading the same unchanged file again skips the scan, which matters
 * most for int8 weights, whose cache means the stored matrices are otherwise never read. A file changed in place
 * (a new modification time) is scanned again, even where its identity, which samples only its ends, stays the same.
 */
final class FiniteWeights {
    private static final System.Logger LOG = System.getLogger(FiniteWeights.class.getName());

    private FiniteWeights() {
    }

    /** Throws an {@link EngineException} naming the first tensor with a non-finite value; true if it scanned now. */
    static boolean require(Checkpoint ckpt) {
        Path record = recordFor(ckpt);
        if (record != null && Files.exists(record)) return false;
        for (Tensor t : ckpt.tensors().values()) {
            long at = NonFinite.first(t.data(), t.dtype());
            if (at >= 0) {
                float v = t.get(at);
                throw new EngineException("checkpoint " + ckpt.path() + ": tensor '" + Printable.of(t.name()) + "' holds "
                        + (Float.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf") + " (element " + at + " of " + t.elements()
                        + "): the weights are damaged, and a model with them can only answer nonsense");
            }
        }
        if (record != null) remember(record);
        return true;
    }

    /** The record's file for this version of the checkpoint's file, or null if the file's attributes are unreadable. */
    private static Path recordFor(Checkpoint ckpt) {
        try {
            BasicFileAttributes a = Files.readAttributes(ckpt.path(), BasicFileAttributes.class);
            Object file = a.fileKey() != null ? a.fileKey() : ckpt.path().toRealPath();
            String version = ckpt.identity() + "\n" + file + "\n" + a.size() + "\n" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            return CacheFolder.resolve("finite").resolve(sha256(version));
        } catch (IOException e) {
            return null;
        }
    }

    private static void remember(Path record) {
        try {
            Files.createDirectories(record.getParent());
            Files.createFile(record);
        } catch (FileAlreadyExistsException e) {
            // another load got there first
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot record the checked checkpoint in {0}: {1}; it is checked again at the next load",
                    record, e.getMessage());
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
