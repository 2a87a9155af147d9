package dev.goldfinch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import dev.goldfinch.ingest.IngestException.Reason;
import dev.goldfinch.ingest.pdf.TestPdfs;

/** Everything that should fail, failing with the right reason and a one-line message. */
class HostileInputTest {
    private final Ingestor ingestor = new Ingestor();

    @TempDir
    Path dir;

    private static IngestException fails(Reason reason, Executable call) {
        IngestException e = assertThrows(IngestException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        return e;
    }

    @Test
    void lyingExtensions() throws IOException {
        Path pdf = TestPdfs.hyphenPdf(dir.resolve("real.pdf"));
        Path fake = Files.copy(pdf, dir.resolve("report.docx"));
        IngestException e = fails(Reason.MISLABELLED, () -> ingestor.ingest(fake));
        assertEquals("report.docx is really a PDF document, not a Word document as its name says (rename it to .pdf)",
                e.getMessage());
        assertEquals(fake, e.file());

        Path docxAsPdf = Files.copy(TestDocs.docx(dir.resolve("real.docx")), dir.resolve("scan.pdf"));
        fails(Reason.MISLABELLED, () -> ingestor.ingest(docxAsPdf));
        Path textAsPdf = Files.writeString(dir.resolve("notes.pdf"), "just some notes, not a PDF at all\n");
        fails(Reason.MISLABELLED, () -> ingestor.ingest(textAsPdf));
        // a more specific name for the same family is fine: plain text named .md, an HTML page named .txt
        Files.writeString(dir.resolve("page.txt"), "<html><body><p>Hello <b>there</b></p></body></html>");
        assertEquals("Hello there", ingestor.ingest(dir.resolve("page.txt")).text());
    }

    @Test
    void unrecognisableContent() throws IOException {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        Path junkPdf = Files.write(dir.resolve("broken.pdf"), noise);
        IngestException e = fails(Reason.CORRUPT, () -> ingestor.ingest(junkPdf));
        assertTrue(e.getMessage().contains("not a valid PDF"), e.getMessage());
        Path junk = Files.write(dir.resolve("mystery.bin"), noise);
        fails(Reason.UNSUPPORTED, () -> ingestor.ingest(junk));
        Path binaryTxt = Files.write(dir.resolve("binary.txt"), noise);
        fails(Reason.UNSUPPORTED, () -> ingestor.ingest(binaryTxt));
    }

    @Test
    void imagesAreNotDocuments() throws IOException {
        BufferedImage img = TestPdfs.picture();
        Path png = dir.resolve("photo.png");
        ImageIO.write(img, "png", png.toFile());
        IngestException e = fails(Reason.UNSUPPORTED, () -> ingestor.ingest(png));
        assertTrue(e.getMessage().contains("OCR"), e.getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.pdf"));
        IngestException e = fails(Reason.EMPTY, () -> ingestor.ingest(empty));
        assertEquals("empty.pdf is empty (0 bytes)", e.getMessage());
    }

    /** A pipe, a device and a /proc file are refused at once, not read forever nor called empty. */
    @Test
    void specialFilesAreRefusedAtOnce() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")) && Files.exists(Path.of("/proc/self/status")), "a Linux machine");
        Path fifo = dir.resolve("pipe.txt");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() == 0, "mkfifo is available");
        for (Path f : List.of(fifo, Path.of("/dev/zero"), Path.of("/proc/self/status"))) {
            IngestException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> fails(Reason.UNREADABLE, () -> ingestor.ingest(f)), f + " was read instead of refused");
            assertEquals(f.getFileName() + " is not a regular file (a pipe, a device or a /proc file)", e.getMessage());
        }
    }

    @Test
    void overSizeFileAndTooMuchText() throws IOException {
        Path pdf = TestPdfs.runningHeadersPdf(dir.resolve("big.pdf"), 4);
        IngestException e = fails(Reason.TOO_LARGE,
                () -> ingestor.ingest(pdf, IngestOptions.defaults().withMaxFileBytes(1024)));
        assertTrue(e.getMessage().matches("big\\.pdf is [0-9.]+ KB, over the 1 KB limit"), e.getMessage());

        Path txt = Files.writeString(dir.resolve("long.txt"), "word ".repeat(10_000));
        fails(Reason.TOO_LARGE, () -> ingestor.ingest(txt, IngestOptions.defaults().withMaxTextChars(1000)));
        fails(Reason.TOO_LARGE, () -> ingestor.ingest(pdf, IngestOptions.defaults().withMaxTextChars(50)));
    }

    @Test
    void zipBombWithDefaultLimits() throws IOException {
        Path bomb = TestDocs.zipBomb(dir.resolve("bomb.zip"), "zeros.txt", 600L << 20);
        assertTrue(Files.size(bomb) < 1 << 20, "the bomb itself is small");
        IngestException e = fails(Reason.ARCHIVE_BOMB, () -> ingestor.ingest(bomb));
        assertTrue(e.getMessage().contains("512 MB"), e.getMessage());
    }

    @Test
    void zipBombInsideADocx() throws IOException {
        Path docx = TestDocs.docx(dir.resolve("plan.docx"));
        Path bomb = dir.resolve("bomb.docx");
        try (ZipFile in = new ZipFile(docx.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bomb))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.getInputStream(e).transferTo(out);
                out.closeEntry();
            }
            out.setLevel(9);
            out.putNextEntry(new ZipEntry("docProps/padding.xml"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 48; i++) {
                out.write(zeros);
            }
            out.closeEntry();
        }
        fails(Reason.ARCHIVE_BOMB, () -> ingestor.ingest(bomb, IngestOptions.defaults().withMaxExpandedBytes(16L << 20)));
        // with room enough, the same file reads
        assertTrue(ingestor.ingest(bomb, IngestOptions.defaults()).text().contains("forty trees"));
    }

    @Test
    void deeplyNestedArchive() throws IOException {
        Path deep = TestDocs.nestedZip(dir.resolve("deep.zip"), 10);
        IngestException e = fails(Reason.ARCHIVE_BOMB, () -> ingestor.ingest(deep));
        assertTrue(e.getMessage().contains("levels deep"), e.getMessage());
        Path shallow = TestDocs.nestedZip(dir.resolve("shallow.zip"), 2);
        IngestedDocument doc = ingestor.ingest(shallow);
        assertTrue(doc.text().contains("deep inside"), doc.text());
        assertEquals("note.txt", doc.pageAt(doc.text().indexOf("deep inside")).label());
    }

    @Test
    void truncatedDocx() throws IOException {
        byte[] bytes = Files.readAllBytes(TestDocs.docx(dir.resolve("plan.docx")));
        Path cut = Files.write(dir.resolve("cut.docx"), Arrays.copyOf(bytes, bytes.length / 2));
        fails(Reason.CORRUPT, () -> ingestor.ingest(cut));
    }

    @Test
    void missingFileAndFolder() throws IOException {
        IngestException e = fails(Reason.UNREADABLE, () -> ingestor.ingest(dir.resolve("nope.pdf")));
        assertEquals("nope.pdf does not exist", e.getMessage());
        fails(Reason.UNREADABLE, () -> ingestor.ingest(Files.createDirectory(dir.resolve("folder.pdf"))));
    }

    @Test
    void aHangingParserIsAbandonedAfterTheTimeLimit() throws IOException {
        Path txt = Files.writeString(dir.resolve("hang.txt"), "text", StandardCharsets.UTF_8);
        AtomicBoolean release = new AtomicBoolean();
        AtomicReference<Thread> worker = new AtomicReference<>();
        // a parser stuck in a loop that ignores interrupts and the cancel flag
        Ingestor stuck = new Ingestor(job -> {
            worker.set(Thread.currentThread());
            while (!release.get()) {
                LockSupport.parkNanos(1_000_000);
            }
            return null;
        });
        long t0 = System.nanoTime();
        IngestException e = fails(Reason.TIMEOUT,
                () -> stuck.ingest(txt, IngestOptions.defaults().withTimeLimit(Duration.ofMillis(300))));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 300 && ms < 5000, "returned after " + ms + " ms");
        assertEquals("hang.txt took longer than 0.3 s to read and was given up", e.getMessage());
        Thread t = worker.get();
        assertTrue(t.isAlive() && t.isDaemon(), "the stuck worker is left running as a daemon");
        release.set(true);
    }

    @Test
    void aSlowParseStopsAtTheTimeLimit() throws Exception {
        Path pdf = TestPdfs.longPdf(dir.resolve("long.pdf"), 150);
        fails(Reason.TIMEOUT, () -> ingestor.ingest(pdf, IngestOptions.defaults().withTimeLimit(Duration.ofMillis(20))));
        // the worker polls its cancel flag between pages, so it does not run on
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && Thread.getAllStackTraces().keySet().stream()
                .anyMatch(th -> th.getName().equals("goldfinch-ingest long.pdf"))) {
            Thread.sleep(20);
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(th -> th.getName().equals("goldfinch-ingest long.pdf")), "worker still running");
    }
}
