package dev.goldfinch.engine.transfer;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.model.CacheFolder;
import dev.goldfinch.engine.store.TransferCancelledException;
import dev.goldfinch.engine.store.TransferProgress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The SHA-256 of a checkpoint file, what a reading export names its model by. Hashing a multi-GB checkpoint takes
 * seconds to minutes, so the digest is remembered in the cache folder ({@code sha256/}) under the file's real path,
 * its file key (device and inode), size and modification time: computed once per version of the file, and again
 * when the file changes in place. A remembered digest that is not one is computed again.
 */
public final class CheckpointSha256 {
    private static final System.Logger LOG = System.getLogger(CheckpointSha256.class.getName());
    private static final int BUFFER = 8 << 20;

    private CheckpointSha256() {
    }

    /** The file's SHA-256 (lower-case hex), saying how far it is while it is computed; cancellable between 8 MiB pieces. */
    public static String of(Path checkpoint, TransferProgress progress, BooleanSupplier cancelled) {
        Path record = recordFor(checkpoint);
        if (record != null) {
            try {
                String kept = Files.isRegularFile(record) ? Files.readString(record, StandardCharsets.US_ASCII).strip() : "";
                if (kept.matches("[0-9a-f]{64}")) return kept;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot read the remembered SHA-256 {0}: {1}", record, e.getMessage());
            }
        }
        String sha = compute(checkpoint, progress, cancelled);
        if (record != null && record.equals(recordFor(checkpoint))) remember(record, sha); // not if the file changed meanwhile
        return sha;
    }

    /** Whether the digest of this version of the file is remembered (nothing to wait for). */
    public static boolean remembered(Path checkpoint) {
        Path record = recordFor(checkpoint);
        return record != null && Files.isRegularFile(record);
    }

    private static String compute(Path file, TransferProgress progress, BooleanSupplier cancelled) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size(), done = 0;
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
            progress.progress("checking the model file (SHA-256)", 0, size);
            for (int n; (n = ch.read(buf)) >= 0; ) {
                if (cancelled.getAsBoolean()) throw new TransferCancelledException("cancelled while the model file was being checked");
                buf.flip();
                sha.update(buf);
                buf.clear();
                done += n;
                progress.progress("checking the model file (SHA-256)", done, size);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new EngineException("cannot read the checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** Where the digest of this version of the file is remembered, or null when its attributes cannot be read. */
    private static Path recordFor(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            String version = file.toRealPath() + "\n" + a.fileKey() + "\n" + a.size() + "\n" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            byte[] key = MessageDigest.getInstance("SHA-256").digest(version.getBytes(StandardCharsets.UTF_8));
            return CacheFolder.resolve("sha256").resolve(HexFormat.of().formatHex(key));
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    private static void remember(Path record, String sha) {
        try {
            Files.createDirectories(record.getParent());
            Path part = record.resolveSibling(record.getFileName() + "." + ProcessHandle.current().pid() + ".part");
            Files.writeString(part, sha + "\n", StandardCharsets.US_ASCII);
            Files.move(part, record, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, String.format(Locale.ROOT, "cannot remember the SHA-256 in %s: %s; it is computed again next time", record, e.getMessage()));
        }
    }
}
