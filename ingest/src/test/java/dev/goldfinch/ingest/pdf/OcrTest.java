package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldfinch.ingest.IngestException;
import dev.goldfinch.ingest.IngestException.Reason;
import dev.goldfinch.ingest.IngestOptions;
import dev.goldfinch.ingest.IngestedDocument;
import dev.goldfinch.ingest.Ingestor;
import dev.goldfinch.ingest.pdf.TestPdfs.Page;

/**
 * OCR of scanned PDF pages. The tests with real OCR need {@code tesseract} on the PATH and are skipped without it
 * (.ci/test installs it; in CI, GOLDFINCH_CI=1, they fail without it); the ones about a missing, failing or hanging
 * tesseract use a stand-in script and always run (on a machine with /bin/sh).
 */
class OcrTest {
    private static final String[] SCAN = {"The quick brown fox jumps", "over the lazy sleeping dog", "beside the quiet river."};
    private static final String[] SCAN2 = {"Goldfinch birds like thistle seeds", "and sing loudly in the garden."};

    private final Ingestor ingestor = new Ingestor();
    private final IngestOptions ocr = IngestOptions.defaults().withOcr(true);

    @TempDir
    Path dir;

    @AfterEach
    void realTesseract() {
        Tesseract.force(null);
    }

    /** Skips a test of real OCR without tesseract; in CI (GOLDFINCH_CI=1, set by .ci/test as root) that is a failure. */
    private static void assumeTesseract() {
        boolean found = Tesseract.findOnPath("tesseract");
        String missing = "tesseract is not installed (apt-get install tesseract-ocr)";
        if (!found && "1".equals(System.getenv("GOLDFINCH_CI"))) fail(missing + " (GOLDFINCH_CI=1: in CI every test runs, none is skipped)");
        assumeTrue(found, missing);
    }

    /** The words of {@code expected} missing from {@code text}, ignoring case. */
    private static List<String> missing(String text, String... expected) {
        String t = text.toLowerCase(Locale.ROOT);
        return java.util.Arrays.stream(expected).filter(w -> !t.contains(w.toLowerCase(Locale.ROOT))).toList();
    }

    @Test
    void scannedPageBetweenTypedPagesIsReadIntoItsPlace() throws IOException {
        assumeTesseract();
        Path pdf = TestPdfs.scannedPdf(dir.resolve("mixed.pdf"), false,
                Page.typed("This first page has a real text layer about gardens."),
                Page.scan(SCAN),
                Page.typed("The third page is typed text again."));
        long t0 = System.nanoTime();
        IngestedDocument doc = ingestor.ingest(pdf, ocr);
        System.out.printf("OCR of 1 scanned page (+2 typed): %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        assertEquals(3, doc.pages().size());
        String p1 = doc.textOf(doc.pages().get(0));
        String p2 = doc.textOf(doc.pages().get(1));
        String p3 = doc.textOf(doc.pages().get(2));
        assertTrue(p1.startsWith("This first page has a real text layer about gardens."), p1);
        assertTrue(p3.startsWith("The third page is typed text again."), p3);
        // large clear print: every distinctive word is expected; one misread is tolerated
        List<String> lost = missing(p2, "quick", "brown", "jumps", "lazy", "sleeping", "river");
        assertTrue(lost.size() <= 1, "missing " + lost + " in page 2: " + p2);
        assertTrue(missing(p1 + p3, "quick", "brown", "lazy", "river").size() == 4, doc.text());
        int at = doc.text().toLowerCase(Locale.ROOT).indexOf("brown");
        assertEquals(2, doc.pageAt(at >= 0 ? at : doc.text().toLowerCase(Locale.ROOT).indexOf("lazy")).page());
        assertTrue(doc.warnings().stream().anyMatch(w -> w.contains("page 2") && w.contains("OCR")),
                doc.warnings().toString());
        assertFalse(doc.warnings().stream().anyMatch(w -> w.contains("OCR is needed")), doc.warnings().toString());
    }

    @Test
    void whollyScannedJpegPdfIsReadPageByPage() throws IOException {
        assumeTesseract();
        Path pdf = TestPdfs.scannedPdf(dir.resolve("scan.pdf"), true, Page.scan(SCAN), Page.scan(SCAN2));
        long t0 = System.nanoTime();
        IngestedDocument doc = ingestor.ingest(pdf, ocr);
        System.out.printf("OCR of 2 scanned JPEG pages: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        assertEquals(2, doc.pages().size());
        String p1 = doc.textOf(doc.pages().get(0));
        String p2 = doc.textOf(doc.pages().get(1));
        assertTrue(missing(p1, "quick", "brown", "jumps", "lazy", "river").size() <= 1, p1);
        assertTrue(missing(p2, "goldfinch", "thistle", "seeds", "garden").size() <= 1, p2);
        assertTrue(missing(p1, "thistle", "garden").size() == 2, p1);
        assertEquals("en", doc.language());
        // the same file without OCR: scanned, with the reason
        IngestException e = assertThrows(IngestException.class, () -> ingestor.ingest(pdf));
        assertEquals(Reason.NO_TEXT_LAYER, e.reason());
        assertTrue(e.getMessage().contains("looks scanned") && e.getMessage().contains("OCR is needed")
                && e.getMessage().contains("tesseract is installed"), e.getMessage());
    }

    @Test
    void ocrOfABlankScanSaysItFoundNothing() throws IOException {
        assumeTesseract();
        Path pdf = TestPdfs.scannedPdf(dir.resolve("blank-scan.pdf"), false, Page.scan());
        IngestException e = assertThrows(IngestException.class, () -> ingestor.ingest(pdf, ocr));
        assertEquals(Reason.NO_TEXT_LAYER, e.reason());
        assertTrue(e.getMessage().contains("recognised no text"), e.getMessage());
    }

    @Test
    void withoutTesseractOcrIsNeededAndSaidSo() throws IOException {
        Tesseract.force(dir.resolve("no-such-tesseract"));
        Path scan = TestPdfs.scannedPdf(dir.resolve("scan.pdf"), false, Page.scan(SCAN));
        for (IngestOptions options : List.of(IngestOptions.defaults(), ocr)) {
            IngestException e = assertThrows(IngestException.class, () -> ingestor.ingest(scan, options));
            assertEquals(Reason.NO_TEXT_LAYER, e.reason());
            String m = e.getMessage();
            assertTrue(m.startsWith("scan.pdf has no text layer (it looks scanned): OCR is needed"), m);
            assertTrue(m.endsWith("tesseract is not installed: " + Tesseract.HOW_TO_INSTALL), m);
            assertTrue(m.contains("sudo apt install tesseract-ocr") && m.contains("brew install tesseract"), m);
            assertFalse(m.contains("tesseract is installed"), m);
        }
        // a mixed file is read, and says which pages are missing and why
        Path mixed = TestPdfs.scannedPdf(dir.resolve("mixed.pdf"), false, Page.typed("Typed page one."),
                Page.scan(SCAN), Page.scan(SCAN2));
        IngestedDocument doc = ingestor.ingest(mixed, ocr);
        assertEquals("Typed page one.", doc.text());
        assertTrue(doc.warnings().stream().anyMatch(w -> w.contains("pages 2-3") && w.contains("tesseract is not installed")),
                doc.warnings().toString());
    }

    @Test
    void aFailingTesseractIsReportedInOneLine() throws IOException {
        Tesseract.force(StandInTesseract.write(dir, """
                if [ "$1" = --list-langs ]; then echo "List of available languages (1):"; echo eng; exit 0; fi
                echo "Error opening data file /usr/share/tesseract-ocr/5/tessdata/eng.traineddata" >&2
                echo "Failed loading language 'eng'" >&2
                exit 1"""));
        Path scan = TestPdfs.scannedPdf(dir.resolve("scan.pdf"), false, Page.scan(SCAN));
        IngestException e = assertThrows(IngestException.class, () -> ingestor.ingest(scan, ocr));
        assertEquals(Reason.NO_TEXT_LAYER, e.reason());
        assertEquals("scan.pdf has no text layer (it looks scanned) and OCR failed on it (tesseract, page 1: exit "
                + "code 1: Failed loading language 'eng')", e.getMessage());
    }

    /** The caller hears of every page OCR reads ("OCR page 2 of 3"), from 0 of the scanned pages to all of them. */
    @Test
    void ocrSaysHowFarItIsPageByPage() throws IOException {
        // a stand-in that "recognises" one word on every page, as tesseract's TSV says it
        Tesseract.force(StandInTesseract.write(dir, """
                if [ "$1" = --list-langs ]; then echo eng; exit 0; fi
                printf 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n' > "$2.tsv"
                printf '5\t1\t1\t1\t1\t1\t100\t100\t300\t40\t96\tthistle\n' >> "$2.tsv"
                """));
        Path scan = TestPdfs.scannedPdf(dir.resolve("scan.pdf"), false, Page.scan(SCAN), Page.typed("Typed page two."),
                Page.scan(SCAN2), Page.scan(SCAN));
        List<String> heard = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        IngestedDocument doc = ingestor.ingest(scan, ocr.withOcrProgress((done, total) -> heard.add(done + " of " + total)));
        assertEquals(List.of("0 of 3", "1 of 3", "2 of 3", "3 of 3"), heard);
        assertEquals(4, doc.pages().size());
        assertEquals("thistle", doc.textOf(doc.pages().get(2)).strip());
    }

    /** The caller's cancel kills tesseract (and its children) at once and the file fails as cancelled, not timed out. */
    @Test
    void cancellingStopsTesseractAtOnce() throws IOException, InterruptedException {
        Path pids = hangingTesseract();
        Path scan = TestPdfs.scannedPdf(dir.resolve("scan.pdf"), false, Page.scan(SCAN), Page.scan(SCAN2));
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        IngestOptions cancellable = ocr.withCancel(stop::get).withOcrProgress((done, total) -> {
            if (done == 0) {
                Thread.ofVirtual().start(() -> {
                    awaitFile(pids);
                    stop.set(true); // as a Cancel button does, while tesseract runs
                });
            }
        });
        long t0 = System.nanoTime();
        IngestException e = assertThrows(IngestException.class, () -> ingestor.ingest(scan, cancellable));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(Reason.CANCELLED, e.reason(), e.getMessage());
        assertEquals("scan.pdf was not read: reading was cancelled", e.getMessage());
        assertTrue(ms < 10_000, ms + " ms");
        assertAllGone(Files.readString(pids).strip().split("\\s+"), System.currentTimeMillis() + 3000);
    }

    /** A tesseract that hangs, in a child process of the script (both must go); the file it writes their ids to. */
    private Path hangingTesseract() throws IOException {
        Path pids = dir.resolve("pids");
        Tesseract.force(StandInTesseract.write(dir, """
                if [ "$1" = --list-langs ]; then echo eng; exit 0; fi
                sleep 60 &
                echo $$ $! >> '%s'
                wait""".formatted(pids)));
        return pids;
    }

    /** Every process of {@code ids} has ended by {@code deadline} (a killed child may take a moment to be reaped). */
    private static void assertAllGone(String[] ids, long deadline) throws InterruptedException {
        for (String id : ids) {
            Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(id));
            while (h.isPresent() && h.get().isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(h.isPresent() && h.get().isAlive(), "process " + id + " of the stand-in tesseract still runs");
        }
    }

    private static void awaitFile(Path f) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!Files.exists(f) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Test
    void theTimeLimitKillsTesseract() throws IOException, InterruptedException {
        Path pids = hangingTesseract();
        Path scan = TestPdfs.scannedPdf(dir.resolve("scan.pdf"), false, Page.scan(SCAN), Page.scan(SCAN2));
        long t0 = System.nanoTime();
        IngestException e = assertThrows(IngestException.class,
                () -> ingestor.ingest(scan, ocr.withTimeLimit(Duration.ofSeconds(2))));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(Reason.TIMEOUT, e.reason(), e.getMessage());
        assertTrue(ms < 5000, ms + " ms");
        assertTrue(e.getMessage().contains("(OCR had read 0 of 2 scanned pages)"), e.getMessage());
        long deadline = System.currentTimeMillis() + 5000;
        while (!Files.exists(pids) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(200); // a second page's stand-in may still be writing
        String[] ids = Files.readString(pids).strip().split("\\s+");
        assertTrue(ids.length >= 2, Files.readString(pids));
        assertAllGone(ids, deadline);
    }

    @Test
    void tesseractTsv() {
        List<String> tsv = List.of(
                "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
                "1\t1\t0\t0\t0\t0\t0\t0\t2550\t3300\t-1\t",
                "2\t1\t1\t0\t0\t0\t300\t300\t1500\t200\t-1\t",
                "5\t1\t1\t1\t1\t1\t300\t300\t200\t60\t96.5\tThe",
                "5\t1\t1\t1\t1\t2\t520\t290\t200\t80\t95.1\tquick",
                "5\t1\t1\t1\t2\t1\t300\t420\t200\t60\t91.0\tfox",
                "5\t1\t1\t1\t3\t1\t300\t520\t20\t20\t12.0\t~",
                "5\t1\t1\t2\t1\t1\t300\t600\t200\t60\t93.0\tNew",
                "5\t1\t2\t1\t1\t1\t300\t3000\t200\t60\t-1\t ",
                "5\t1\t2\t1\t1\t2\t300\t3000\t200\t60\t90.0\t7");
        List<Line> lines = Ocr.parseTsv(tsv, 72f / 300);
        assertEquals(List.of("The quick", "fox", "New", "7"), lines.stream().map(Line::text).toList());
        assertEquals(List.of(false, false, true, true),
                lines.stream().map(Line::paragraphStart).toList());
        assertEquals(290 * 0.24f, lines.getFirst().top(), 0.01);
        assertEquals(370 * 0.24f, lines.getFirst().bottom(), 0.01);
        assertEquals(2, lines.getLast().region());
    }
}
