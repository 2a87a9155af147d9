package dev.goldfinch.app.cli.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The process's memory during one phase of work, sampled on a daemon thread: heap used and committed (and the heap
 * used just before every collection, which sampling alone would miss), resident memory (Linux: /proc/self/status),
 * and the resident part of one mapped file (the checkpoint, from /proc/self/smaps), so that what the process holds
 * beyond the weights it maps can be told apart from the weights. Outside Linux the resident figures are -1.
 */
final class MemoryFootprint implements AutoCloseable {
    private static final long SAMPLE_MILLIS = 100;

    private static final java.util.Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP).map(java.lang.management.MemoryPoolMXBean::getName)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    /** A mapping's first line in smaps: "7f3c0000-7f3d0000 r--s 00000000 fd:01 1234   /path". */
    private static final java.util.regex.Pattern MAPPING = java.util.regex.Pattern.compile("^[0-9a-f]+-[0-9a-f]+ ");

    private final String mappedFile;
    private final MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
    private final Thread sampler;
    private final List<Runnable> unsubscribe = new ArrayList<>();
    private volatile boolean running = true;

    private long peakHeapUsed, peakHeapCommitted, peakRssAnon, peakBeyondMapped, mappedResident;

    /** What one phase held at its peaks, in bytes. */
    record Peaks(long heapUsed, long heapCommitted, long rssHighWater, long rssAnon, long beyondMapped, long mappedResident, long liveAfterGc) {
        String line() {
            return String.format(Locale.ROOT, "peak heap used %s, committed %s; peak resident beyond the mapped weights %s (anonymous %s; all %s, of which the weights at most %s);"
                            + " live after a full GC %s", mb(heapUsed), mb(heapCommitted), mb(beyondMapped), mb(rssAnon), mb(rssHighWater), mb(mappedResident), mb(liveAfterGc));
        }
    }

    /** Starts sampling; {@code mappedFile} is the checkpoint whose resident pages count as weights. */
    MemoryFootprint(Path mappedFile) {
        this.mappedFile = mappedFile.toAbsolutePath().normalize().toString();
        resetHighWater();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter emitter)) continue;
            NotificationListener listener = (n, h) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
                heapBeforeGc(info.getMemoryUsageBeforeGc());
            };
            emitter.addNotificationListener(listener, null, null);
            unsubscribe.add(() -> {
                try {
                    emitter.removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException e) {
                    // already gone
                }
            });
        }
        sample();
        sampler = Thread.ofPlatform().daemon().name("memory-footprint").start(this::run);
    }

    private void run() {
        for (int i = 1; running; i++) {
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    /** The heap's pools just before a collection: the used heap's true peaks, which 50 ms samples would miss. */
    private synchronized void heapBeforeGc(java.util.Map<String, MemoryUsage> pools) {
        long used = 0, committed = 0;
        for (var e : pools.entrySet()) {
            if (!HEAP_POOLS.contains(e.getKey())) continue; // the notification lists code and metaspace too
            used += e.getValue().getUsed();
            committed += e.getValue().getCommitted();
        }
        peakHeapUsed = Math.max(peakHeapUsed, used);
        peakHeapCommitted = Math.max(peakHeapCommitted, committed);
    }

    /** One sample; the file's resident part is read right after the resident total, so the two belong together. */
    private synchronized void sample() {
        MemoryUsage h = heap.getHeapMemoryUsage();
        peakHeapUsed = Math.max(peakHeapUsed, h.getUsed());
        peakHeapCommitted = Math.max(peakHeapCommitted, h.getCommitted());
        long[] status = status("VmRSS:", "RssAnon:");
        long mapped = residentOf(mappedFile);
        mappedResident = Math.max(mappedResident, mapped);
        if (status[0] >= 0 && mapped >= 0) {
            peakBeyondMapped = Math.max(peakBeyondMapped, status[0] - mapped);
            peakRssAnon = Math.max(peakRssAnon, status[1]);
        }
    }

    /** Stops sampling (call it while the weights are still mapped); a full GC then says what was live at the end of the phase. */
    Peaks finish() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
        unsubscribe.forEach(Runnable::run);
        long highWater = status("VmHWM:")[0];
        System.gc();
        long live = heap.getHeapMemoryUsage().getUsed();
        synchronized (this) {
            return new Peaks(peakHeapUsed, peakHeapCommitted, highWater, peakRssAnon, peakBeyondMapped, mappedResident, live);
        }
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        unsubscribe.forEach(Runnable::run);
        unsubscribe.clear();
    }

    /** Lets VmHWM start from now (Linux: writing 5 to clear_refs resets the peak resident size); quiet where it cannot. */
    private static void resetHighWater() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not Linux, or not allowed: VmHWM then counts from the process's start
        }
    }

    /** The named fields of /proc/self/status in bytes (-1 each where unreadable). */
    static long[] status(String... fields) {
        long[] out = new long[fields.length];
        java.util.Arrays.fill(out, -1);
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                for (int i = 0; i < fields.length; i++) if (line.startsWith(fields[i])) out[i] = kib(line.substring(fields[i].length()));
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return out;
    }

    /** Resident bytes of every mapping of one file (/proc/self/smaps), -1 where unreadable. */
    static long residentOf(String file) {
        try {
            long rss = 0;
            boolean inFile = false;
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
                if (MAPPING.matcher(line).lookingAt()) {
                    inFile = line.endsWith(" " + file);
                } else if (inFile && line.startsWith("Rss:")) {
                    rss += kib(line.substring(4));
                }
            }
            return rss;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long kib(String value) {
        return Long.parseLong(value.replace("kB", "").strip()) * 1024;
    }

    static String mb(long bytes) {
        return bytes < 0 ? "(unknown)" : String.format(Locale.ROOT, "%,.0f MB", bytes / 1e6);
    }
}
