package dev.goldfinch.app.models;

import static dev.goldfinch.app.models.DownloadException.reason;
import static dev.goldfinch.app.models.DownloadException.seconds;
import static dev.goldfinch.app.models.DownloadProgress.bytes;

import dev.goldfinch.app.models.DownloadException.Kind;
import dev.goldfinch.app.models.DownloadProgress.Phase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An answer's body into the {@code .part}, hashed as it goes, with the speed and time left told a few times a
 * second. A blocked read ends at once when the transfer is paused (the handle closes the stream) and after
 * {@code stallTimeout} without data (a watchdog closes it): a connection that went silent is reported, not waited on
 * for ever, and what arrived is kept for the resume.
 */
final class BodyReceiver {
    private final Transfer t;
    private final Path part;
    private final Duration stallTimeout;

    BodyReceiver(Transfer t, Path part, Duration stallTimeout) {
        this.t = t;
        this.part = part;
        this.stallTimeout = stallTimeout;
    }

    /**
     * Streams {@code in} into the .part from {@code start} (what it held beyond is cut), feeding {@code sha};
     * {@code total} is the whole file's size or -1. Returns the bytes now in the .part.
     */
    long receive(InputStream in, long start, long total, RunningSha256 sha) throws DownloadException {
        long stallNanos = stallTimeout.toNanos();
        AtomicLong lastData = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        t.handle().onCancel(() -> HttpGet.closeQuietly(in));
        Thread watchdog = Thread.ofVirtual().name("download-watchdog").start(() -> {
            try {
                while (true) {
                    Thread.sleep(Math.max(10, Math.min(1000, stallNanos / 4_000_000)));
                    if (System.nanoTime() - lastData.get() > stallNanos) {
                        stalled.set(true);
                        HttpGet.closeQuietly(in);
                        return;
                    }
                }
            } catch (InterruptedException done) {
                // the transfer ended
            }
        });
        long done = start;
        Rate rate = new Rate();
        try (in; FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (ch.size() > start) ch.truncate(start);
            ch.position(start);
            byte[] buf = new byte[1 << 18];
            long lastReport = 0;
            rate.add(System.nanoTime(), 0);
            while (true) {
                if (t.stopped()) throw t.paused(done, total);
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    if (t.stopped()) throw t.paused(done, total);
                    if (stalled.get()) throw stalled(done);
                    throw new DownloadException(Kind.INTERRUPTED, "the connection to " + t.host() + " broke after " + bytes(done)
                            + (total > 0 ? " of " + bytes(total) : "") + " of " + t.name() + " (" + reason(e) + "); download again to resume", e);
                }
                if (n < 0) break;
                long now = System.nanoTime();
                lastData.set(now);
                sha.update(buf, 0, n);
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) ch.write(bb);
                done += n;
                if (now - lastReport >= Transfer.REPORT_EVERY_NANOS) {
                    lastReport = now;
                    rate.add(now, done - start);
                    double bps = rate.bytesPerSecond();
                    t.report(Phase.DOWNLOADING, done, total, bps, total > 0 && bps > 0 ? (total - done) / bps : Double.NaN);
                }
            }
            if (t.stopped()) throw t.paused(done, total);
            if (stalled.get()) throw stalled(done);
            ch.force(false);
            t.report(Phase.DOWNLOADING, done, total, rate.bytesPerSecond(), 0);
            return done;
        } catch (ClosedByInterruptException e) {
            Thread.interrupted();
            Thread.currentThread().interrupt();
            throw t.paused(LocalFiles.sizeOrZero(part), total);
        } catch (IOException e) {
            if (e instanceof DownloadException de) throw de;
            if (t.stopped()) throw t.paused(LocalFiles.sizeOrZero(part), total);
            throw new DownloadException(Kind.LOCAL_IO, "cannot write " + part + ": " + reason(e), e);
        } finally {
            watchdog.interrupt();
            t.handle().clearOnCancel();
        }
    }

    private DownloadException stalled(long done) {
        return new DownloadException(Kind.INTERRUPTED, "no data from " + t.host() + " for " + seconds(stallTimeout)
                + " after " + bytes(done) + " of " + t.name() + "; the connection seems lost, download again to resume");
    }

    /** Bytes per second over the last few seconds. */
    private static final class Rate {
        private static final long WINDOW = 5_000_000_000L;
        private final ArrayDeque<long[]> samples = new ArrayDeque<>();

        void add(long nanos, long bytes) {
            samples.addLast(new long[] {nanos, bytes});
            while (samples.size() > 2 && nanos - samples.peekFirst()[0] > WINDOW) samples.removeFirst();
        }

        double bytesPerSecond() {
            if (samples.size() < 2) return 0;
            long[] a = samples.peekFirst();
            long[] b = samples.peekLast();
            return b[0] == a[0] ? 0 : (b[1] - a[1]) * 1e9 / (b[0] - a[0]);
        }
    }
}
