package dev.goldfinch.app.ui;

import static dev.goldfinch.app.ui.UiTestSupport.anyWindowNode;
import static dev.goldfinch.app.ui.UiTestSupport.close;
import static dev.goldfinch.app.ui.UiTestSupport.entry;
import static dev.goldfinch.app.ui.UiTestSupport.onFx;
import static dev.goldfinch.app.ui.UiTestSupport.runFx;
import static dev.goldfinch.app.ui.UiTestSupport.screenshot;
import static dev.goldfinch.app.ui.UiTestSupport.service;
import static dev.goldfinch.app.ui.UiTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.library.DocumentStatus;
import dev.goldfinch.app.ui.UiTestSupport.ScriptedDialogs;
import dev.goldfinch.app.ui.view.OcrOfferDialog;
import dev.goldfinch.engine.TestEnvironment;
import dev.goldfinch.ingest.pdf.Tesseract;
import dev.goldfinch.ingest.pdf.TestPdfs;
import dev.goldfinch.ingest.pdf.TestPdfs.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * Adding documents without dead ends, in the real window (Xvfb in CI): a scanned PDF is offered "Read with OCR" and
 * read with real tesseract, page by page, cancellable, the choice remembered; without tesseract the offer says how to
 * get it; a wrong password is asked again, and Cancel adds nothing and says so in one line.
 */
class ImportDeadEndsTest {
    private static final String[] SCAN = {"Goldfinch birds like thistle seeds", "and sing loudly in the garden."};
    private final FxRobot robot = new FxRobot();

    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        UiTestSupport.startToolkit();
    }

    @BeforeEach
    void rememberModel() throws Exception {
        UiTestSupport.settingsFor(TestModels.small(), 8).save(dir.resolve("config"));
    }

    private ReaderWindow openWithModel() throws Exception {
        return UiTestSupport.openWithModel(UiTestSupport.options(dir), new ScriptedDialogs());
    }

    private static void requireTesseract() {
        TestEnvironment.require(Tesseract.available(), "tesseract is not installed (apt-get install tesseract-ocr)");
    }

    private static String status(ReaderWindow w) {
        return UiTestSupport.<Label>node(w, "#status-message").map(l -> onFx(l::getText)).orElse("");
    }

    private static List<DocumentStatus> documents(ReaderWindow w) throws Exception {
        return service(w).library().get(30, TimeUnit.SECONDS);
    }

    private void press(String dialogId, ButtonType button) {
        DialogPane pane = UiTestSupport.<DialogPane>anyWindowNode(dialogId).orElseThrow();
        robot.clickOn(onFx(() -> pane.lookupButton(button)));
    }

    private static boolean tesseractRunning() {
        return ProcessHandle.current().descendants().anyMatch(h -> h.info().command().map(c -> c.endsWith("tesseract")).orElse(false));
    }

    /** The offer, "Read with OCR", its progress page by page, the document with its OCR text; the same file changed is read with OCR unasked. */
    @Test
    void aScannedPdfIsOfferedOcrAndReadWithItAndTheChoiceIsRemembered() throws Exception {
        requireTesseract();
        Path scan = TestPdfs.scannedPdf(dir.resolve("scan.pdf"), false, Page.scan(SCAN), Page.scan("Teasel heads hold seeds", "for the winter flocks."),
                Page.scan("A charm of goldfinches", "feeds on the seed heads."));
        ReaderWindow w = openWithModel();
        try {
            runFx(() -> w.imports().importFiles(List.of(scan)));
            waitUntil("the offer to read it with OCR", 60, () -> anyWindowNode("#read-with-ocr").isPresent());
            DialogPane offer = UiTestSupport.<DialogPane>anyWindowNode("#ocr-offer").orElseThrow();
            assertEquals("“scan.pdf” has no text layer: it looks scanned.", onFx(offer::getHeaderText));
            assertEquals(List.of("Read with OCR", "Cancel"), onFx(() -> offer.getButtonTypes().stream().map(ButtonType::getText).toList()));
            screenshot(offer.getScene(), "ocr-offer");
            assertTrue(documents(w).isEmpty(), "nothing is added before the person chooses");

            robot.clickOn(UiTestSupport.<Node>anyWindowNode("#read-with-ocr").orElseThrow());
            waitUntil("OCR's progress page by page", 30, () -> anyWindowNode("#ocr-pages").map(n -> onFx(((Label) n)::getText)).orElse("").matches("OCR page [1-3] of 3"));
            screenshot(anyWindowNode("#ocr-progress").orElseThrow().getScene(), "ocr-progress");
            waitUntil("the scanned document in the library", 120, () -> entry(w, "Goldfinch birds").isPresent());
            waitUntil("the progress dialog to close", 10, () -> anyWindowNode("#ocr-progress").isEmpty());
            DocumentStatus d = documents(w).getFirst();
            assertTrue(d.meta().ocr(), "the OCR choice is kept with the document");
            String text = service(w).documentText(d.document().id()).get(30, TimeUnit.SECONDS).text().toLowerCase(Locale.ROOT);
            for (String word : List.of("thistle", "garden", "teasel", "winter", "charm", "seed heads")) assertTrue(text.contains(word), word + " in " + text);

            // the same file scanned again with other words: read with OCR at once, no offer
            Files.delete(scan);
            TestPdfs.scannedPdf(scan, false, Page.scan("Siskins visit the alder trees", "at the end of the winter."));
            runFx(() -> w.imports().importFiles(List.of(scan)));
            waitUntil("the changed file in the library", 120, () -> entry(w, "Siskins visit").isPresent());
            assertTrue(anyWindowNode("#ocr-offer").isEmpty(), "no offer for a file read with OCR before");
            assertEquals(2, documents(w).size());
        } finally {
            close(w);
        }
    }

    /** Cancel while OCR runs: tesseract stops, nothing is added, and the status bar says so in one line. */
    @Test
    void cancellingOcrStopsTesseractAndAddsNothing() throws Exception {
        requireTesseract();
        Page[] pages = new Page[8];
        java.util.Arrays.fill(pages, Page.scan(SCAN));
        Path scan = TestPdfs.scannedPdf(dir.resolve("long scan.pdf"), false, pages);
        ReaderWindow w = openWithModel();
        try {
            runFx(() -> w.imports().importFiles(List.of(scan)));
            waitUntil("the offer to read it with OCR", 60, () -> anyWindowNode("#read-with-ocr").isPresent());
            robot.clickOn(UiTestSupport.<Node>anyWindowNode("#read-with-ocr").orElseThrow());
            waitUntil("tesseract at work", 30, ImportDeadEndsTest::tesseractRunning);
            robot.clickOn(UiTestSupport.<Node>anyWindowNode("#cancel-ocr").orElseThrow());
            waitUntil("the progress dialog to close", 30, () -> anyWindowNode("#ocr-progress").isEmpty());
            assertEquals("“long scan.pdf” was not added: adding it was cancelled.", status(w));
            assertFalse(tesseractRunning(), "tesseract was stopped");
            assertTrue(documents(w).isEmpty(), "nothing was added");
        } finally {
            close(w);
        }
    }

    /** Where tesseract is missing the offer says how to get it, and has no OCR button. */
    @Test
    void withoutTesseractTheOfferSaysHowToGetIt() throws Exception {
        ReaderWindow w = openWithModel();
        try {
            Alert a = onFx(() -> {
                Alert d = OcrOfferDialog.create(w.stage(), dir.resolve("scan.pdf"), false);
                d.show();
                return d;
            });
            String text = onFx(a::getContentText);
            for (String how : List.of("tesseract, which is not installed", "sudo apt install tesseract-ocr", "brew install tesseract", "UB Mannheim installer")) {
                assertTrue(text.contains(how), how + " in " + text);
            }
            assertTrue(anyWindowNode("#read-with-ocr").isEmpty(), "no OCR button");
            assertEquals(List.of(ButtonType.CLOSE), onFx(() -> List.copyOf(a.getButtonTypes())));
            screenshot(a.getDialogPane().getScene(), "ocr-offer-without-tesseract");
            press("#ocr-offer", ButtonType.CLOSE);
            waitUntil("the offer to close", 10, () -> !onFx(a::isShowing));
        } finally {
            close(w);
        }
    }

    /** A wrong password brings the dialog back saying so; the right one adds the document. Cancel adds nothing, in one line. */
    @Test
    void aWrongPasswordIsAskedAgainAndCancelAddsNothing() throws Exception {
        Path locked = TestPdfs.encryptedPdf(dir.resolve("locked.pdf"), "sesame");
        Path other = TestPdfs.encryptedPdf(dir.resolve("other.pdf"), "thistle");
        ReaderWindow w = openWithModel();
        try {
            runFx(() -> w.imports().importFiles(List.of(locked)));
            waitUntil("the password dialog", 60, () -> anyWindowNode("#document-password").isPresent());
            assertTrue(anyWindowNode("#password-wrong").isEmpty(), "not wrong yet");
            robot.clickOn(UiTestSupport.<Node>anyWindowNode("#document-password").orElseThrow()).write("open sesame");
            press("#password-dialog", ButtonType.OK);
            waitUntil("the dialog back, saying the password was wrong", 30, () -> anyWindowNode("#password-wrong").isPresent());
            screenshot(anyWindowNode("#password-dialog").orElseThrow().getScene(), "password-wrong");
            robot.clickOn(UiTestSupport.<Node>anyWindowNode("#document-password").orElseThrow()).write("sesame");
            press("#password-dialog", ButtonType.OK);
            waitUntil("the unlocked document in the library", 60, () -> entry(w, "The secret recipe").isPresent());
            assertEquals(1, documents(w).size());

            // Cancel at once, and Cancel after a wrong one: nothing is added, each said in one line
            runFx(() -> w.imports().importFiles(List.of(other)));
            waitUntil("the password dialog", 60, () -> anyWindowNode("#document-password").isPresent());
            press("#password-dialog", ButtonType.CANCEL);
            waitUntil("the line that says it was not added", 30, () -> status(w).equals("“other.pdf” was not added: it is locked and no password was given."));
            runFx(() -> w.imports().importFiles(List.of(other)));
            waitUntil("the password dialog", 60, () -> anyWindowNode("#document-password").isPresent());
            robot.clickOn(UiTestSupport.<Node>anyWindowNode("#document-password").orElseThrow()).write("sesame");
            press("#password-dialog", ButtonType.OK);
            waitUntil("the dialog back, saying the password was wrong", 30, () -> anyWindowNode("#password-wrong").isPresent());
            press("#password-dialog", ButtonType.CANCEL);
            waitUntil("the line that says it was not added", 30,
                    () -> status(w).equals("“other.pdf” was not added: it is locked and the password given was wrong."));
            assertEquals(1, documents(w).size(), "nothing more was added");
            assertTrue(anyWindowNode("#error-message").isEmpty(), "no error dialog for a Cancel");
        } finally {
            close(w);
        }
    }
}
