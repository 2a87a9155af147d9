package dev.goldfinch.ingest;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link XmlBombTest}: ingests one file with the default limits and reports, one line each,
 * the outcome ("ok CHARS", "refused REASON MESSAGE" or "crashed ERROR"), the peak heap in bytes (the sum of the heap
 * pools' peaks) and the peak resident memory of the process in kB (VmHWM).
 */
public final class IngestProcessMain {
    private IngestProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        String outcome;
        try {
            IngestedDocument doc = new Ingestor().ingest(Path.of(args[0]));
            outcome = "ok " + doc.text().length();
        } catch (IngestException e) {
            outcome = "refused " + e.reason() + " " + e.getMessage();
        } catch (Throwable t) {
            outcome = "crashed " + t;
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.replaceAll("\\D", "")).findFirst().orElse("-1");
        System.out.println(outcome);
        System.out.println("peak-heap " + peak);
        System.out.println("peak-rss-kb " + hwm);
    }
}
