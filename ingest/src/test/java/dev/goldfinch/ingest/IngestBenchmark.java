package dev.goldfinch.ingest;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Not a unit test: how fast a 500-page PDF is read, and how much heap it takes. Run it with a bounded heap, e.g.
 * <pre>
 * ./mvnw -q -B -pl ingest -am test-compile
 * java -Xmx256m -cp "$(cat cp.txt):ingest/target/classes:ingest/target/test-classes" dev.goldfinch.ingest.IngestBenchmark [pages] [runs]
 * </pre>
 * (cp.txt from {@code ./mvnw -q -pl ingest dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test}).
 * It writes a one-column and a two-column PDF of that many pages with PDFBox, then reads each {@code runs} times;
 * the first run includes class loading and JIT warm-up. Peak heap is the sum of the heap pools' peaks since the
 * run started (an upper bound: the pools need not peak at the same moment).
 */
public final class IngestBenchmark {
    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("goldfinch-bench");
        try {
            System.out.printf("max heap %d MB, %d cores, java %s%n", Runtime.getRuntime().maxMemory() >> 20,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            for (int columns : new int[] {1, 2}) {
                Path pdf = TestDocs.longPdf(dir.resolve("long-" + columns + ".pdf"), pages, columns);
                System.out.printf("%d-column PDF: %d pages, %.1f MB%n", columns, pages, Files.size(pdf) / 1048576.0);
                Ingestor ingestor = new Ingestor();
                for (int run = 1; run <= runs; run++) {
                    System.gc();
                    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                            .filter(p -> p.getType() == MemoryType.HEAP).toList();
                    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
                    long t0 = System.nanoTime();
                    IngestedDocument doc = ingestor.ingest(pdf);
                    double s = (System.nanoTime() - t0) / 1e9;
                    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
                    System.out.printf("  run %d: %.2f s, %.0f pages/s, %,d chars, peak heap %d MB%s%n", run, s,
                            doc.pages().size() / s, doc.text().length(), peak >> 20,
                            run == 1 ? " (cold)" : "");
                }
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
