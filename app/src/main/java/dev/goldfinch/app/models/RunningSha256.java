package dev.goldfinch.app.models;

import static dev.goldfinch.app.models.DownloadException.reason;

import dev.goldfinch.app.models.DownloadException.Kind;
import dev.goldfinch.app.models.DownloadProgress.Phase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a file computed while its bytes arrive, so that it is known as soon as the last byte is. A digest's
 * state cannot be saved, so a resumed download first feeds it again what its {@code .part} kept ({@link #feed}).
 */
final class RunningSha256 {
    private final MessageDigest digest;

    RunningSha256() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
    }

    /** Forgets what it was fed: the server sends the file from its first byte. */
    void restart() {
        digest.reset();
    }

    /** The checksum in lower-case hex; the digest starts afresh after it. */
    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Feeds the first {@code length} bytes of a file, telling the transfer's progress as CHECKING; a pause stops it
     * (and says {@code total}, the whole file's size or -1).
     */
    void feed(Path file, long length, long total, Transfer t) throws DownloadException {
        long t0 = System.nanoTime();
        long lastReport = t0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            long pos = 0;
            while (pos < length) {
                if (t.stopped()) throw t.paused(length, total);
                buf.clear().limit((int) Math.min(buf.capacity(), length - pos));
                int n = ch.read(buf, pos);
                if (n < 0) break;
                buf.flip();
                digest.update(buf);
                pos += n;
                long now = System.nanoTime();
                if (now - lastReport >= Transfer.REPORT_EVERY_NANOS) {
                    lastReport = now;
                    double bps = pos * 1e9 / (now - t0);
                    t.report(Phase.CHECKING, pos, length, bps, (length - pos) / bps);
                }
            }
        } catch (DownloadException e) {
            throw e;
        } catch (IOException e) {
            throw new DownloadException(Kind.LOCAL_IO, "cannot read " + file + ": " + reason(e), e);
        }
    }
}
