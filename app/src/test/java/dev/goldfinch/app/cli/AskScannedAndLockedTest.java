package dev.goldfinch.app.cli;

import static dev.goldfinch.app.cli.AskCommandTest.VOCAB;
import static dev.goldfinch.app.cli.AskCommandTest.runBoth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.Main;
import dev.goldfinch.app.cli.AskCommandTest.Output;
import dev.goldfinch.app.library.Library;
import dev.goldfinch.engine.TestEnvironment;
import dev.goldfinch.engine.model.Architecture;
import dev.goldfinch.engine.model.RandomModels;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.store.StoredDocument;
import dev.goldfinch.engine.tensor.DType;
import dev.goldfinch.ingest.pdf.Tesseract;
import dev.goldfinch.ingest.pdf.TestPdfs;
import dev.goldfinch.ingest.pdf.TestPdfs.Page;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `goldfinch ask` on a scanned PDF (--ocr, remembered for the document) and on a locked one (--password; a prompt
 * without echo on a terminal, asked again after a wrong password; without a terminal, one line that says to give
 * --password). Real PDFs made with PDFBox, real tesseract, a random GoldFinch, a real store file.
 */
class AskScannedAndLockedTest {
    @TempDir
    Path dir;
    private Path model;
    private Path db;

    @BeforeEach
    void modelAndStore() throws Exception {
        model = RandomModels.write(dir.resolve("gf.pth"), Architecture.GOLDFINCH, 2, 64, RandomModels.DEFAULT_VOCAB, DType.BF16, 7);
        db = dir.resolve("store.sqlite");
    }

    private String[] ask(Path doc, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("ask", "--model", model.toString(), "--vocab", VOCAB.toString(), "--db", db.toString(),
                "--doc", doc.toString(), "--greedy", "--max-new", "2"));
        args.addAll(List.of(more));
        args.add("What is it about?");
        return args.toArray(String[]::new);
    }

    private List<StoredDocument> documents() {
        try (DocumentStore store = DocumentStore.open(db)) {
            return store.documents().all();
        }
    }

    private String text(StoredDocument d) {
        try (DocumentStore store = DocumentStore.open(db)) {
            return store.documents().text(d.id());
        }
    }

    private static void requireTesseract() {
        TestEnvironment.require(Tesseract.available(), "tesseract is not installed (apt-get install tesseract-ocr)");
    }

    /** Without --ocr a scan is refused with "try --ocr"; with it, it is read and answered; the file changed later is read with OCR unasked. */
    @Test
    void aScanNeedsOcrWhichIsThenRememberedForTheDocument() throws Exception {
        requireTesseract();
        Path scan = TestPdfs.scannedPdf(dir.resolve("scan.pdf"), false, Page.scan("Goldfinch birds like thistle seeds", "and sing loudly in the garden."));
        Output refused = runBoth(ask(scan));
        assertEquals(1, refused.code(), refused.err());
        assertEquals("goldfinch: scan.pdf has no text layer (it looks scanned): OCR is needed; tesseract is installed, so it can be OCRed; try --ocr",
                refused.err().strip());
        assertTrue(documents().isEmpty(), "nothing was added");

        Output read = runBoth(ask(scan, "--ocr"));
        assertEquals(0, read.code(), read.err());
        assertTrue(read.err().contains("OCR read all 1 page"), read.err());
        List<StoredDocument> docs = documents();
        assertEquals(1, docs.size());
        assertTrue(Library.meta(docs.getFirst()).ocr(), "the choice is kept with the document");
        String text = text(docs.getFirst()).toLowerCase(Locale.ROOT);
        assertTrue(text.contains("thistle") && text.contains("garden"), text);

        // the same file, scanned again with other words: read with OCR without --ocr, as chosen for it before
        Files.delete(scan);
        TestPdfs.scannedPdf(scan, false, Page.scan("Teasel heads hold seeds", "for the winter flocks."));
        Output again = runBoth(ask(scan));
        assertEquals(0, again.code(), again.err());
        docs = documents();
        assertEquals(2, docs.size());
        String second = text(docs.getLast()).toLowerCase(Locale.ROOT);
        assertTrue(second.contains("teasel") && second.contains("winter"), second);
        assertTrue(Library.meta(docs.getLast()).ocr());
    }

    /** No --password and no terminal: one line saying to give it; a wrong one: one line; the right one: answered. */
    @Test
    void aLockedPdfIsOpenedWithPasswordAndRefusedInOneLineWithoutIt() throws Exception {
        Path locked = TestPdfs.encryptedPdf(dir.resolve("locked.pdf"), "sesame");
        Output none = runBoth(ask(locked));
        assertEquals(1, none.code(), none.err());
        assertEquals("goldfinch: locked.pdf is password-protected: a password is needed to open it; give it with --password", none.err().strip());
        Output wrong = runBoth(ask(locked, "--password", "open sesame"));
        assertEquals(1, wrong.code(), wrong.err());
        assertEquals("goldfinch: locked.pdf is password-protected and the password given is wrong; give the right one with --password", wrong.err().strip());
        assertTrue(documents().isEmpty(), "nothing was added");

        Output right = runBoth(ask(locked, "--password", "sesame"));
        assertEquals(0, right.code(), right.err());
        List<StoredDocument> docs = documents();
        assertEquals(1, docs.size());
        assertTrue(text(docs.getFirst()).contains("The secret recipe needs three eggs."));
    }

    /** On a terminal (a pseudo-terminal made by script(1)) the password is asked without --password, and asked again after a wrong one. */
    @Test
    void onATerminalThePasswordIsAskedAndAskedAgainAfterAWrongOne() throws Exception {
        Path script = Path.of("/usr/bin/script");
        TestEnvironment.require(Files.isExecutable(script), "no /usr/bin/script (util-linux) to give the command a terminal");
        Path locked = TestPdfs.encryptedPdf(dir.resolve("locked.pdf"), "sesame");
        List<String> java = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        java.addAll(List.of(ask(locked)));
        String command = String.join(" ", java.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        Process p = new ProcessBuilder(script.toString(), "-qec", command, "/dev/null").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write("open sesame\nsesame\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("locked.pdf is password-protected. Password: "), out);
        assertTrue(out.contains("That password is wrong. Password for locked.pdf (Enter alone gives up): "), out);
        List<StoredDocument> docs = documents();
        assertEquals(1, docs.size());
        assertTrue(text(docs.getFirst()).contains("The secret recipe needs three eggs."));
    }
}
