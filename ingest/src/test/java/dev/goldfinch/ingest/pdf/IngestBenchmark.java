package dev.goldfinch.ingest.pdf;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.goldfinch.ingest.IngestOptions;
import dev.goldfinch.ingest.IngestedDocument;
import dev.goldfinch.ingest.Ingestor;

/**
 * Not a unit test: how fast a 500-page PDF is read, and how much heap it takes. Run it with a bounded heap, e.g.
 * <pre>
 * ./mvnw -q -B -pl ingest -am test-compile
 * java -Xmx256m -cp "$(cat cp.txt):ingest/target/classes:ingest/target/test-classes" dev.goldfinch.ingest.pdf.IngestBenchmark [pages] [runs]
 * </pre>
 * (cp.txt from {@code ./mvnw -q -pl ingest dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test}).
 * It writes a one-column and a two-column PDF of that many pages with PDFBox, then reads each {@code runs} times;
 * the first run includes class loading and JIT warm-up. Peak heap is the sum of the heap pools' peaks since the
 * run started (an upper bound: the pools need not peak at the same moment).
 *
 * <p>{@code IngestBenchmark ocr [pages]} (default 10) times OCR instead: a PDF of that many scanned pages (a full
 * page of 22 lines of prose in 19 pt text each, as a 150 dpi JPEG), read with OCR on; needs tesseract. Per-page timings
 * (render, tesseract) are logged at FINE by ScannedPages.
 */
public final class IngestBenchmark {
    private IngestBenchmark() {
    }

    private static void ocr(int pages) throws Exception {
        Path dir = Files.createTempDirectory("goldfinch-bench");
        try {
            String prose = "When the bridge fell in the great flood the town moved its market up the hill to the"
                    + " square by the castle gate, where it is held to this day on every second Tuesday; traders"
                    + " come from the valley with apples, wool and salt, and the bells of the church ring at noon"
                    + " to open the stalls. ";
            String[] words = prose.repeat(4).split(" ");
            TestPdfs.Page[] scans = new TestPdfs.Page[pages];
            for (int p = 0; p < pages; p++) {
                List<String> lines = new java.util.ArrayList<>();
                StringBuilder line = new StringBuilder("Page " + (p + 1) + ".");
                for (int w = p % 7; lines.size() < 22; w = (w + 1) % words.length) {
                    if (line.length() + words[w].length() > 44) {
                        lines.add(line.toString());
                        line.setLength(0);
                    }
                    line.append(line.isEmpty() ? "" : " ").append(words[w]);
                }
                scans[p] = TestPdfs.Page.scan(lines.toArray(String[]::new));
            }
            Path pdf = TestPdfs.scannedPdf(dir.resolve("scan.pdf"), true, scans);
            System.out.printf("%d cores, %d tesseract processes at once; scanned PDF: %d pages, %.1f MB%n",
                    Runtime.getRuntime().availableProcessors(), Tesseract.parallelism(), pages, Files.size(pdf) / 1048576.0);
            for (int run = 1; run <= 2; run++) {
                long t0 = System.nanoTime();
                IngestedDocument doc = new Ingestor().ingest(pdf, IngestOptions.defaults().withOcr(true)
                        .withTimeLimit(java.time.Duration.ofHours(1)));
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("  run %d: %.1f s, %.2f s/page, %,d chars%n", run, s, s / pages, doc.text().length());
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("ocr")) {
            ocr(args.length > 1 ? Integer.parseInt(args[1]) : 10);
            return;
        }
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("goldfinch-bench");
        try {
            System.out.printf("max heap %d MB, %d cores, java %s%n", Runtime.getRuntime().maxMemory() >> 20,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            for (int columns : new int[] {1, 2}) {
                Path pdf = TestPdfs.longPdf(dir.resolve("long-" + columns + ".pdf"), pages, columns);
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
