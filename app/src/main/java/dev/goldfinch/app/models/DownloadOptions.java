package dev.goldfinch.app.models;

import static dev.goldfinch.app.models.DownloadProgress.bytes;

import dev.goldfinch.app.models.DownloadException.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ModelDownloader} waits, what disk space it insists on and where it asks for listings.
 * {@code responseTimeout} is the wait for the server's answer to a request, {@code stallTimeout} the longest silence
 * tolerated mid-transfer; {@code diskMargin} is left free on top of the bytes still to come; {@code hub} is where
 * repository listings and the files they name are asked for (Hugging Face; a local server in tests).
 */
public record DownloadOptions(Duration connectTimeout, Duration responseTimeout, Duration stallTimeout, long diskMargin,
                              FreeSpace freeSpace, URI hub) {

    /** Free bytes in a folder; {@code FileStore.getUsableSpace} normally, a fixed number in tests. */
    @FunctionalInterface
    public interface FreeSpace {
        long usableBytes(Path directory) throws IOException;
    }

    public static final URI HUGGING_FACE = URI.create("https://huggingface.co");

    public DownloadOptions {
        Objects.requireNonNull(connectTimeout);
        Objects.requireNonNull(responseTimeout);
        Objects.requireNonNull(stallTimeout);
        Objects.requireNonNull(freeSpace);
        Objects.requireNonNull(hub);
    }

    public static DownloadOptions defaults() {
        return new DownloadOptions(Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(60), 250_000_000L,
                dir -> Files.getFileStore(dir).getUsableSpace(), HUGGING_FACE);
    }

    public DownloadOptions withFreeSpace(FreeSpace f) {
        return new DownloadOptions(connectTimeout, responseTimeout, stallTimeout, diskMargin, f, hub);
    }

    public DownloadOptions withTimeouts(Duration connect, Duration response, Duration stall) {
        return new DownloadOptions(connect, response, stall, diskMargin, freeSpace, hub);
    }

    public DownloadOptions withDiskMargin(long margin) {
        return new DownloadOptions(connectTimeout, responseTimeout, stallTimeout, margin, freeSpace, hub);
    }

    public DownloadOptions withHub(URI h) {
        return new DownloadOptions(connectTimeout, responseTimeout, stallTimeout, diskMargin, freeSpace, h);
    }

    /** Refuses to start when the folder cannot take {@code need} more bytes plus the margin. */
    void requireSpace(Path dir, long need, String what) throws DownloadException {
        long free;
        try {
            free = freeSpace.usableBytes(dir);
        } catch (IOException | RuntimeException e) {
            return; // cannot tell: go ahead, a full disk is then reported when writing fails
        }
        if (free < need + diskMargin) {
            throw new DownloadException(Kind.DISK_SPACE, "not enough disk space in " + dir + ": " + what + " needs " + bytes(need)
                    + " (and " + bytes(diskMargin) + " to spare), only " + bytes(free) + " free; free some space or choose another folder");
        }
    }
}
