package dev.goldfinch.app.ui;

import static dev.goldfinch.app.ui.UiTestSupport.close;
import static dev.goldfinch.app.ui.UiTestSupport.anyWindowNode;
import static dev.goldfinch.app.ui.UiTestSupport.entry;
import static dev.goldfinch.app.ui.UiTestSupport.node;
import static dev.goldfinch.app.ui.UiTestSupport.onFx;
import static dev.goldfinch.app.ui.UiTestSupport.open;
import static dev.goldfinch.app.ui.UiTestSupport.runFx;
import static dev.goldfinch.app.ui.UiTestSupport.screenshot;
import static dev.goldfinch.app.ui.UiTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.ui.UiTestSupport.ScriptedDialogs;
import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.ui.service.FollowUp;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.MessageView;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.answer.ScriptedModel;
import dev.goldfinch.engine.store.CacheInfo;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Node;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The real window under a real JavaFX toolkit (Xvfb in CI): first start, reading a document with a small model,
 * streamed answers, a restart that answers from the saved cache without reading again, closing mid-read, and a
 * broken file. Each state is written to target/screenshots.
 */
class ReaderWindowTest {
    private final FxRobot robot = new FxRobot();

    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        UiTestSupport.startToolkit();
    }

    private LaunchOptions options() {
        return UiTestSupport.options(dir);
    }

    /** Settings as if the model had been chosen before (and answers short, so the tests stay quick). */
    private void rememberModel(TestModels.TestModel m, int checkpointEvery) throws Exception {
        Settings s = UiTestSupport.settingsFor(m, 24);
        s.checkpointEvery = checkpointEvery;
        s.save(dir.resolve("config"));
    }

    /** Sentences about goldfinches, at random from a small word list. */
    private static List<String> sentences(int count, long seed) {
        String[] words = ("the goldfinch reads a long document once and keeps its small cache so that every later question "
                + "is answered without reading again while seeds of thistle and teasel feed the birds in winter").split(" ");
        Random r = new Random(seed);
        List<String> out = new java.util.ArrayList<>();
        for (int s = 0; s < count; s++) {
            StringBuilder sentence = new StringBuilder();
            for (int i = 0, n = 6 + r.nextInt(8); i < n; i++) sentence.append(i == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
            out.add(Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1) + ".");
        }
        return out;
    }

    /** A PDF made here with PDFBox: a title in its metadata and {@code pages} pages of text. */
    private Path pdf(String name, int pages) throws Exception {
        Path f = dir.resolve(name);
        try (PDDocument pdf = new PDDocument()) {
            pdf.getDocumentInformation().setTitle("Field notes on goldfinches");
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 0; p < pages; p++) {
                PDPage page = new PDPage();
                pdf.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(pdf, page)) {
                    cs.beginText();
                    cs.setFont(font, 11);
                    cs.setLeading(15);
                    cs.newLineAtOffset(60, 730);
                    cs.showText("Page " + (p + 1) + " of the field notes");
                    cs.newLine();
                    cs.newLine();
                    StringBuilder line = new StringBuilder();
                    int lines = 0;
                    for (String sentence : sentences(140, p)) {
                        if (line.length() + sentence.length() > 85) {
                            cs.showText(line.toString().strip());
                            cs.newLine();
                            line.setLength(0);
                            if (++lines == 42) break;
                        }
                        line.append(sentence).append(' ');
                    }
                    cs.endText();
                }
            }
            pdf.save(f.toFile());
        }
        return f;
    }

    /** A plain-text document of about {@code chars} characters. */
    private Path text(String name, int chars) throws Exception {
        StringBuilder sb = new StringBuilder("Field notes on goldfinches\n\n");
        for (String s : sentences(chars / 40, 7)) {
            if (sb.length() > chars) break;
            sb.append(s).append(sb.length() % 7 == 0 ? "\n\n" : " ");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    private void pressShortcut(ReaderWindow w, KeyCode key) {
        robot.clickOn(w.statusBar());
        robot.press(KeyCode.CONTROL, key).release(key, KeyCode.CONTROL);
    }

    /** Types a question, sends it with Enter, and waits (up to 120 s) until the window shows {@code views} messages and no answer runs. */
    private void askAndWait(ReaderWindow w, String question, int views, String what) {
        waitUntil("the question box on screen", 30, () -> w.conversation().input().getScene() != null && w.conversation().input().isVisible());
        robot.clickOn(w.conversation().input()).write(question);
        robot.type(KeyCode.ENTER);
        waitUntil(what, 120, () -> w.conversation().messageViews().size() == views && !w.conversation().answeringProperty().get());
    }

    private ReaderWindow openWithModel(ScriptedDialogs dialogs) throws Exception {
        return UiTestSupport.openWithModel(options(), dialogs);
    }

    private static ReaderService service(ReaderWindow w) {
        return UiTestSupport.service(w);
    }

    /** A question to a read document while another is being read is answered at once; the reading then finishes. */
    @Test
    void aQuestionIsAnsweredWhileAnotherDocumentIsRead() throws Exception {
        rememberModel(TestModels.small(), 64);
        // the large one long enough to be still read after the answer on the fastest machine seen (300,000 characters
        // were read within the answer on an AVX-512 machine)
        Path small = text("ready.txt", 1500), large = text("big.txt", 1_200_000);
        ReaderWindow w = openWithModel(new ScriptedDialogs());
        try {
            runFx(() -> w.imports().importFiles(List.of(small)));
            waitUntil("the first document to be ready", 120, () -> onFx(() -> w.library().entries().size() == 1
                    && w.library().entries().getFirst().state() == CacheState.READY));
            long ready = onFx(() -> w.library().entries().getFirst().id());
            runFx(() -> w.imports().importFiles(List.of(large)));
            waitUntil("the second document's reading", 120, () -> onFx(() -> w.library().entries().stream()
                    .anyMatch(e -> e.id() != ready && e.state() == CacheState.READING && e.fractionProperty().get() > 0)));
            LibraryEntry big = onFx(() -> w.library().entries().stream().filter(e -> e.id() != ready).findFirst().orElseThrow());
            runFx(() -> w.library().select(ready));
            waitUntil("the ready document in the conversation", 30, () -> onFx(() -> w.conversation().input().isEditable()));
            askAndWait(w, "What do goldfinches eat?", 2, "the answer while the other document is read");
            assertEquals(CacheState.READING, onFx(big::state), "answered while the other document was still being read");
            double at = onFx(() -> big.fractionProperty().get());
            assertTrue(at < 1, "answered before the reading's end, at " + at);
            assertTrue(onFx(() -> w.conversation().messageViews().get(1).text()).length() > 0);
            screenshot(w.stage().getScene(), "question-during-reading");
            waitUntil("the reading to finish", 300, () -> onFx(() -> big.state() == CacheState.READY));
        } finally {
            close(w);
        }
    }

    /** A long answer, saved, comes back after a restart drawn whole inside its bubble, at several window widths. */
    @Test
    void aLongAnswerComesBackWholeAfterARestart() throws Exception {
        rememberModel(TestModels.small(), 64);
        Path doc = text("answers.txt", 2000);
        String answer = MessageRenderingTest.longAnswer();
        ReaderWindow w = openWithModel(new ScriptedDialogs());
        try {
            runFx(() -> w.imports().importFiles(List.of(doc)));
            waitUntil("the document to be ready", 120, () -> entry(w, "Field notes").map(x -> x.state() == CacheState.READY).orElse(false));
            long id = entry(w, "Field notes").orElseThrow().id();
            var c = service(w).saveQuestion(null, id, "long", "Tell me everything.").get(30, TimeUnit.SECONDS);
            // with what a real answer has besides its text: a long thought, and sources quoting long passages
            String quote = "Averyveryverylongwordinthesourcewithoutanyspaces".repeat(3) + " and then the passage goes on for a while";
            String sources = dev.goldfinch.app.library.SourcesJson.write(List.of(new dev.goldfinch.app.library.Source(0, 40, 0.52, 1, "iv", quote),
                    new dev.goldfinch.app.library.Source(50, 90, 0.31, 2, "v", quote + " " + quote)));
            service(w).saveAnswer(c, answer, "Let me think about the goldfinch. ".repeat(40), sources).get(30, TimeUnit.SECONDS);
        } finally {
            close(w);
        }
        ReaderWindow again = openWithModel(new ScriptedDialogs());
        try {
            waitUntil("the saved conversation", 60, () -> again.conversation().messageViews().size() == 2);
            MessageView view = onFx(() -> again.conversation().messageViews().get(1));
            for (double width : new double[] {900, 1280, 1590}) {
                runFx(() -> again.stage().setWidth(width));
                org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
                MessageRenderingTest.assertDrawnWhole(view, answer, width + " px");
                screenshot(again.stage().getScene(), "long-answer-window-" + (int) width);
            }
        } finally {
            close(again);
        }
    }

    /** An OutOfMemoryError on a thread no job watches: one line in a dialog over the window, in words. */
    @Test
    void anErrorOnAnyThreadIsOneLineInADialog() throws Exception {
        rememberModel(TestModels.small(), 64);
        ReaderWindow w = openWithModel(new ScriptedDialogs());
        try {
            runFx(() -> GoldfinchApp.reportUncaughtErrors(w.stage()));
            OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
            Thread worker = new Thread(() -> {
                throw oom;
            }, "a-worker");
            worker.start();
            worker.join(10_000);
            waitUntil("the error dialog", 20, () -> anyWindowNode("#error-message").isPresent());
            javafx.scene.control.Label message = UiTestSupport.<javafx.scene.control.Label>anyWindowNode("#error-message").orElseThrow();
            String text = onFx(message::getText);
            assertEquals(dev.goldfinch.app.FailureMessage.of(oom), text);
            assertTrue(text.startsWith("out of memory (Java heap space; this program may use "), text);
            assertEquals(1, text.lines().count());
            runFx(() -> ((javafx.stage.Stage) message.getScene().getWindow()).close());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(null);
            close(w);
        }
    }

    /** A library on a read-only file system (a tmpfs remounted read-only; root only): the window opens it and says so for as long as it is open. */
    @Test
    void aReadOnlyLibraryIsSaidInTheStatusBar() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        try (dev.goldfinch.app.TmpfsMount mount = dev.goldfinch.app.TmpfsMount.at(mnt, "the read-only library is not tested")) {
            rememberModel(TestModels.small(), 64);
            LaunchOptions onMount = new LaunchOptions(dir.resolve("config"), mnt.resolve("library.sqlite"), null, null);
            ReaderWindow first = open(onMount, new ScriptedDialogs());
            try {
                service(first);
                assertTrue(!onFx(() -> node(first, "#status-read-only").map(Node::isVisible).orElse(true)), "a writable library is not marked");
            } finally {
                close(first);
            }
            assertTrue(mount.remountReadOnly());
            ReaderWindow w = open(onMount, new ScriptedDialogs());
            try {
                assertTrue(service(w).readOnly());
                waitUntil("the read-only mark", 20, () -> node(w, "#status-read-only").map(Node::isVisible).orElse(false));
                waitUntil("the model to load", 60, () -> service(w).model().isPresent());
                assertTrue(onFx(() -> node(w, "#status-read-only").map(Node::isVisible).orElse(false)), "still marked after the model loaded");
                screenshot(w.stage().getScene(), "read-only-library");
            } finally {
                close(w);
            }
        }
    }

    @Test
    void firstStartOffersToOpenACheckpointAndRemembersIt() throws Exception {
        TestModels.TestModel m = TestModels.small();
        ScriptedDialogs dialogs = new ScriptedDialogs();
        ReaderWindow w = open(options(), dialogs);
        try {
            assertEquals(ReaderWindow.TITLE, onFx(() -> w.stage().getTitle()));
            waitUntil("the first-start screen", 30, () -> node(w, "#open-checkpoint").map(Node::isVisible).orElse(false));
            screenshot(w.stage().getScene(), "01-first-start");
            dialogs.checkpoint = m.checkpoint();
            dialogs.vocabulary = m.vocabulary();
            robot.clickOn(node(w, "#open-checkpoint").orElseThrow());
            waitUntil("the model to load", 60, () -> service(w).model().isPresent() && node(w, "#library").isPresent());
            Settings saved = Settings.load(dir.resolve("config"));
            assertEquals(m.checkpoint().toAbsolutePath().normalize().toString(), saved.modelPath);
            assertEquals(m.vocabulary().toAbsolutePath().normalize().toString(), saved.vocabPath);
            waitUntil("the status bar to name the model", 10, () -> onFx(() -> w.statusBar().modelLabel().getText()).contains("goldfinch-random"));
            screenshot(w.stage().getScene(), "02-empty-library");
        } finally {
            close(w);
        }
        ReaderWindow again = open(options(), dialogs);
        try {
            waitUntil("the remembered model to load at start", 60, () -> service(again).model().isPresent());
        } finally {
            close(again);
        }
    }

    @Test
    void readsAsksStreamsAndAfterARestartAnswersWithoutReadingAgain() throws Exception {
        TestModels.TestModel m = TestModels.small();
        rememberModel(m, 1024);
        // Long enough that the reading still runs after the steps below on the fastest machine seen (60 pages were read
        // before the Cancel click on an AVX-512 machine).
        int pages = 240;
        Path doc = pdf("goldfinch-notes.pdf", pages);
        ScriptedDialogs dialogs = new ScriptedDialogs();
        ReaderWindow w = openWithModel(dialogs);
        int total;
        try {
            dialogs.documents = List.of(doc);
            pressShortcut(w, KeyCode.O);
            waitUntil("the document in the library", 30, () -> entry(w, "Field notes").isPresent());
            LibraryEntry e = entry(w, "Field notes").orElseThrow();
            waitUntil("reading progress", 60, () -> e.state() == CacheState.READING && e.fractionProperty().get() > 0.05);
            screenshot(w.stage().getScene(), "03-reading");
            // The speed and the time left are never cut off, even in a narrow window with a long message beside them;
            // the banner above the conversation says them too.
            double width = onFx(() -> w.stage().getWidth());
            runFx(() -> {
                w.stage().setWidth(1000);
                w.statusBar().showMessage("A long message that would push the reading figures out of the status bar if it were allowed to take their room.");
            });
            waitUntil("the speed and time left in the status bar", 20, () -> node(w, "#status-reading-figures").map(n -> {
                Label figures = (Label) n;
                javafx.geometry.Bounds b = figures.localToScene(figures.getBoundsInLocal());
                return figures.getText().matches("\\d+% · [\\d.,]+ tokens/s · .+ left") && figures.getWidth() + 0.5 >= figures.prefWidth(-1)
                        && b.getMaxX() <= w.stage().getScene().getWidth() + 0.5;
            }).orElse(false));
            waitUntil("the speed and time left in the banner", 20, () -> node(w, "#reading-banner-text").map(n -> ((Label) n).getText())
                    .orElse("").matches("Reading the document \\(\\d+% · [\\d.,]+ tokens/s · .+ left\\)\\. You can ask as soon as it is ready\\."));
            // a message goes once it is old news
            runFx(() -> {
                w.statusBar().keepMessagesFor(javafx.util.Duration.millis(300));
                w.statusBar().showMessage("soon gone");
            });
            waitUntil("the message to go", 10, () -> w.statusBar().message().isEmpty());
            runFx(() -> w.stage().setWidth(width));
            // Cancel in the status bar pauses the reading; the banner's button resumes it.
            robot.clickOn(node(w, "#cancel-reading").orElseThrow());
            waitUntil("the reading to pause", 60, () -> e.state() == CacheState.PAUSED);
            // where one types: why no question can be asked yet, and the button that changes that
            waitUntil("the reason in the question box", 10, () -> w.conversation().input().getPromptText().startsWith("Its reading is paused at ")
                    && w.conversation().input().getPromptText().endsWith(": press Resume reading above to ask about it"));
            assertEquals("Resume reading", onFx(() -> ((javafx.scene.control.Button) node(w, "#reading-banner-button").orElseThrow()).getText()));
            // before it goes on: how long the rest takes, from the pace of this reading
            waitUntil("the time the rest takes", 10, () -> node(w, "#reading-banner-text").map(n -> ((Label) n).getText()).orElse("")
                    .matches("Reading paused at \\d+%; it continues from there \\([\\d,]+ tokens to read, (under 1 min|about \\d+ min) on this machine\\)\\."));
            screenshot(w.stage().getScene(), "04-paused");
            robot.clickOn(node(w, "#reading-banner-button").orElseThrow());
            waitUntil("the document to be ready", 300, () -> e.state() == CacheState.READY);
            waitUntil("the cache size in the library", 10, () -> e.cacheBytesProperty().get() > 0);
            assertEquals(pages, e.status().pages());
            total = e.status().tokens();
            long read = service(w).tokensRead();
            // Resumed from its last checkpoint: only what was read after it (less than a checkpoint interval plus a chunk) is read twice.
            assertTrue(read >= total && read < total + 1024 + 256, "tokens read " + read + " for a document of " + total);
            waitUntil("the document view to show page 1 of " + pages, 10, () -> node(w, "#page-label").map(n -> ((Label) n).getText()).orElse("").startsWith("Page 1 of " + pages));
            screenshot(w.stage().getScene(), "05-ready");

            // Question 1 streams token by token; Esc stops it.
            runFx(() -> w.settings().maxAnswerTokens = 4000);
            robot.clickOn(w.conversation().input()).write("What do goldfinches eat in winter?");
            robot.type(KeyCode.ENTER);
            waitUntil("the answer to start", 60, () -> w.conversation().messageViews().size() == 2);
            MessageView answer1 = onFx(() -> w.conversation().messageViews().get(1));
            AtomicInteger updates = new AtomicInteger();
            runFx(() -> answer1.body().textProperty().addListener((o, a, b) -> updates.incrementAndGet()));
            waitUntil("streamed text", 60, () -> updates.get() >= 3 || !w.conversation().answeringProperty().get());
            assertTrue(onFx(() -> w.conversation().answeringProperty().get()), "the long answer is still running");
            screenshot(w.stage().getScene(), "06-answer-streaming");
            robot.type(KeyCode.ESCAPE);
            waitUntil("Esc to stop the answer", 60, () -> !w.conversation().answeringProperty().get());
            assertTrue(updates.get() >= 3, "the answer arrived in pieces: " + updates.get());
            String footer1 = footer(answer1);
            assertTrue(footer1.contains("stopped"), footer1);

            // Question 2 from the same saved state, to its length limit.
            runFx(() -> w.settings().maxAnswerTokens = 24);
            askAndWait(w, "Which seeds do they like best?", 4, "the second answer");
            MessageView answer2 = onFx(() -> w.conversation().messageViews().get(3));
            String footer2 = footer(answer2);
            assertTrue(footer2.matches("\\d+ tokens? · .*"), footer2);
            // The answer cites where its attention went; a click shows that passage on its page.
            List<javafx.scene.control.Hyperlink> links = onFx(answer2::sourceLinks);
            assertTrue(!links.isEmpty(), "the answer names its sources");
            robot.clickOn(links.getFirst());
            waitUntil("the cited passage selected in the document view", 10,
                    () -> node(w, "#page-text").map(n -> !((TextArea) n).getSelectedText().isEmpty()).orElse(false));
            screenshot(w.stage().getScene(), "07-two-answers");
            assertEquals(1, service(w).documentsOpened());
        } finally {
            close(w);
        }

        // Restart on the same store: the document is ready, the conversation is back, and asking reads nothing.
        ReaderWindow w2 = open(options(), dialogs);
        try {
            waitUntil("the library after the restart", 60, () -> entry(w2, "Field notes").map(x -> x.state() == CacheState.READY).orElse(false));
            waitUntil("the conversation restored", 30, () -> w2.conversation().messageViews().size() == 4);
            List<String> restored = onFx(() -> w2.conversation().messageViews().stream().map(MessageView::text).toList());
            assertEquals("What do goldfinches eat in winter?", restored.get(0));
            assertEquals("Which seeds do they like best?", restored.get(2));
            askAndWait(w2, "Where do they nest?", 6, "an answer after the restart");
            screenshot(w2.stage().getScene(), "08-after-restart");
            ReaderService s = service(w2);
            assertEquals(0, s.tokensRead(), "no document token is read again after a restart");
            assertEquals(1, s.documentsOpened());
            assertEquals(0, s.lastOpenRecurrentSteps(), "the engine's document-step counter of the reopened document");
            assertEquals(0, s.openRecurrentSteps());

            // A broken file: an error dialog with the reason, the details folded away; the window lives on.
            Path broken = dir.resolve("broken.pdf");
            byte[] junk = new byte[4096];
            new Random(3).nextBytes(junk);
            System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, junk, 0, 9);
            Files.write(broken, junk);
            dialogs.documents = List.of(broken);
            pressShortcut(w2, KeyCode.O);
            waitUntil("the error dialog", 60, () -> anyWindowNode("#error-message").isPresent());
            Label message = UiTestSupport.<Label>anyWindowNode("#error-message").orElseThrow();
            assertTrue(message.getText().contains("broken.pdf"), message.getText());
            screenshot(message.getScene(), "09-error-dialog");
            robot.clickOn(message.getScene().lookup(".details-button"));
            waitUntil("the details", 10, () -> anyWindowNode(".error-details").map(Node::isVisible).orElse(false));
            TextArea details = UiTestSupport.<TextArea>anyWindowNode(".error-details").orElseThrow();
            assertTrue(onFx(details::getText).contains("Exception"), "the details hold the stack trace");
            runFx(() -> details.getScene().getWindow().sizeToScene());
            screenshot(message.getScene(), "10-error-details");
            robot.clickOn(message.getScene().lookup(".button"));
            waitUntil("the dialog to close", 10, () -> anyWindowNode("#error-message").isEmpty());
            assertEquals(1, onFx(() -> w2.library().entries().size()));
        } finally {
            close(w2);
        }
    }

    @Test
    void closingMidReadKeepsWhatWasReadAndResumesOnTheNextStart() throws Exception {
        TestModels.TestModel m = TestModels.small();
        rememberModel(m, 256);
        Path doc = text("long-notes.txt", 40000);
        ScriptedDialogs dialogs = new ScriptedDialogs();
        ReaderWindow w = openWithModel(dialogs);
        try {
            runFx(() -> w.imports().importFiles(List.of(doc)));
            waitUntil("the document in the library", 30, () -> entry(w, "Field notes").isPresent());
            LibraryEntry e = entry(w, "Field notes").orElseThrow();
            waitUntil("a third of the reading", 120, () -> e.fractionProperty().get() > 0.33);
            assertTrue(e.state() == CacheState.READING, "still reading when the window closes");
        } finally {
            close(w);
        }
        int saved;
        try (DocumentStore store = DocumentStore.open(dir.resolve("library.sqlite"))) {
            CacheInfo partial = store.readings().all().stream().filter(c -> !c.complete()).findFirst().orElseThrow();
            saved = partial.positions();
            assertTrue(saved >= 256, "a checkpoint was kept: " + saved);
        }
        ReaderWindow w2 = open(options(), dialogs);
        try {
            waitUntil("the reading to resume and finish", 300, () -> entry(w2, "Field notes").map(x -> x.state() == CacheState.READY).orElse(false));
            LibraryEntry e = entry(w2, "Field notes").orElseThrow();
            assertEquals(e.status().tokens() - saved, service(w2).tokensRead(), "the reading resumed from its checkpoint");
        } finally {
            close(w2);
        }
    }

    @Test
    void settingsSwitchTheThemeAndARemovedDocumentTakesItsCacheAndConversationsWithIt() throws Exception {
        TestModels.TestModel m = TestModels.small();
        rememberModel(m, 1024);
        Path doc = text("short-notes.txt", 3000);
        ScriptedDialogs dialogs = new ScriptedDialogs();
        ReaderWindow w = openWithModel(dialogs);
        try {
            runFx(() -> w.imports().importFiles(List.of(doc)));
            waitUntil("the document to be ready", 120, () -> entry(w, "Field notes").map(x -> x.state() == CacheState.READY).orElse(false));
            askAndWait(w, "Is this the dark theme?", 2, "the answer");

            // Ctrl+D hides and shows the document view; Ctrl+N starts a new conversation.
            pressShortcut(w, KeyCode.D);
            waitUntil("the document view to close", 10, () -> w.documentPane().getScene() == null);
            assertTrue(!Settings.load(dir.resolve("config")).documentViewShown, "remembered");
            pressShortcut(w, KeyCode.D);
            waitUntil("the document view to open", 10, () -> w.documentPane().getScene() != null);
            pressShortcut(w, KeyCode.N);
            waitUntil("a new, empty conversation", 10, () -> w.conversation().messageViews().isEmpty() && w.conversation().currentConversation() == null);
            askAndWait(w, "Is this the dark theme?", 2, "the answer in the new conversation");
            assertEquals(2, service(w).conversations().of(entry(w, "Field notes").orElseThrow().id()).size());

            // Settings (Ctrl+,): the theme becomes dark and is remembered.
            pressShortcut(w, KeyCode.COMMA);
            waitUntil("the settings dialog", 30, () -> anyWindowNode("#settings-theme").isPresent());
            ChoiceBox<String> theme = UiTestSupport.<ChoiceBox<String>>anyWindowNode("#settings-theme").orElseThrow();
            runFx(() -> theme.setValue("dark"));
            ChoiceBox<String> weights = UiTestSupport.<ChoiceBox<String>>anyWindowNode("#settings-weights").orElseThrow();
            assertEquals("auto", weights.getValue());
            runFx(() -> weights.setValue("int8"));
            Path otherStore = dir.resolve("elsewhere/library.sqlite");
            dialogs.store = otherStore;
            robot.clickOn(anyWindowNode("#settings-store").orElseThrow());
            screenshot(theme.getScene(), "11-settings");
            DialogPane pane = (DialogPane) theme.getScene().getRoot();
            robot.clickOn(pane.lookupButton(pane.getButtonTypes().getFirst()));
            waitUntil("the dark theme", 10, () -> w.stage().getScene().getStylesheets().stream().anyMatch(u -> u.endsWith("dark.css")));
            assertTrue(Settings.load(dir.resolve("config")).dark(), "the theme is saved");
            assertEquals(otherStore.toString(), Settings.load(dir.resolve("config")).storePath, "the store's new place is saved");
            // int8 weights: the model is loaded again with its matrices as int8, and the status bar says so.
            waitUntil("the model in int8", 60, () -> onFx(() -> w.statusBar().modelLabel().getText()).endsWith("(int8)"));
            assertEquals("int8", Settings.load(dir.resolve("config")).weights);
            screenshot(w.stage().getScene(), "12-dark-theme");

            // Delete in the library asks first; Remove deletes the document, its cache and its conversations.
            robot.clickOn(w.library().listView());
            robot.type(KeyCode.DELETE);
            waitUntil("the confirmation", 30, () -> anyWindowNode(".dialog-pane").filter(n -> n.getScene() != w.stage().getScene()).isPresent());
            DialogPane confirm = (DialogPane) UiTestSupport.<Node>anyWindowNode(".dialog-pane").orElseThrow();
            assertTrue(confirm.getHeaderText().startsWith("Remove “Field notes"), confirm.getHeaderText());
            screenshot(confirm.getScene(), "13-remove-confirmation");
            Node removeButton = confirm.getButtonTypes().stream().filter(b -> b.getText().equals("Remove")).map(confirm::lookupButton).findFirst().orElseThrow();
            robot.clickOn(removeButton);
            waitUntil("the library to be empty", 30, () -> w.library().entries().isEmpty());
        } finally {
            close(w);
        }
        try (DocumentStore store = DocumentStore.open(dir.resolve("library.sqlite"))) {
            assertTrue(store.documents().all().isEmpty());
            assertTrue(store.readings().all().isEmpty(), "the cache went with the document");
        }
    }

    @Test
    void followUpContinuesTheConversationAndIsForgottenWhenTheDocumentIsReopened() throws Exception {
        TestModels.TestModel m = TestModels.small();
        Settings settings = new Settings();
        settings.threads = 1;
        settings.modelPath = m.checkpoint().toString();
        settings.vocabPath = m.vocabulary().toString();
        settings.maxAnswerTokens = 16;
        settings.checkpointEvery = 1024;
        settings.temperature = 0;
        settings.save(dir.resolve("config"));
        Path doc = text("follow-notes.txt", 3000);
        Path other = Files.writeString(dir.resolve("other.txt"), "Other notes on sparrows\n\n" + String.join(" ", sentences(40, 11)), StandardCharsets.UTF_8);
        ScriptedDialogs dialogs = new ScriptedDialogs();
        ReaderWindow w = openWithModel(dialogs);
        try {
            runFx(() -> w.imports().importFiles(List.of(doc, other)));
            waitUntil("both documents to be ready", 120, () -> entry(w, "Field notes").map(x -> x.state() == CacheState.READY).orElse(false)
                    && entry(w, "Other notes").map(x -> x.state() == CacheState.READY).orElse(false));
            long fieldId = entry(w, "Field notes").orElseThrow().id();
            long otherId = entry(w, "Other notes").orElseThrow().id();
            runFx(() -> w.library().select(fieldId));
            waitUntil("the field notes open", 10, () -> w.conversation().currentConversation() == null
                    && onFx(() -> w.conversation().followUpToggle().getScene() != null));
            var toggle = w.conversation().followUpToggle();
            var note = w.conversation().followUpNote();
            assertTrue(!onFx(toggle::isSelected), "follow-up is off by default");
            assertEquals("continue from the previous answer instead of starting from the document", onFx(() -> toggle.getTooltip().getText()));
            assertTrue(!onFx(note::isVisible));

            // On, with nothing kept yet: the note says the memory is in memory only.
            robot.clickOn(toggle);
            waitUntil("the toggle on", 10, () -> onFx(toggle::isSelected));
            assertTrue(onFx(note::isVisible), "the note shows while there is no live state");
            assertTrue(onFx(note::getText).contains("lost on restart"), onFx(note::getText));

            askAndWait(w, "What do goldfinches eat?", 2, "the first answer");
            FollowUp memory = onFx(() -> w.conversation().followUpMemory());
            assertTrue(memory != null && memory.isLive(), "the conversation keeps its state");
            int afterFirst = memory.position();
            assertTrue(!onFx(note::isVisible), "a live state: no note");
            assertTrue(!footer(onFx(() -> w.conversation().messageViews().get(1))).contains("follow-up"));

            askAndWait(w, "Where do they live?", 4, "the follow-up answer");
            String footer2 = footer(onFx(() -> w.conversation().messageViews().get(3)));
            assertTrue(footer2.contains("follow-up"), footer2);
            assertTrue(memory.position() > afterFirst, "the second question continued from the first answer's state");
            screenshot(w.stage().getScene(), "10-follow-up");

            // A new conversation starts with follow-up off and asks from the document.
            pressShortcut(w, KeyCode.N);
            waitUntil("a new conversation", 10, () -> w.conversation().messageViews().isEmpty() && !onFx(toggle::isSelected));
            askAndWait(w, "Where do they live?", 2, "the fresh answer");
            assertTrue(!footer(onFx(() -> w.conversation().messageViews().get(1))).contains("follow-up"));
            assertTrue(memory.isLive(), "the other conversation keeps its memory");

            // Reopening the document drops the memory; the toggle stays on and the note shows.
            runFx(() -> w.library().select(otherId));
            waitUntil("the other document", 10, () -> onFx(() -> w.conversation().currentConversation() == null && w.conversation().messageViews().isEmpty()));
            waitUntil("the memory to go", 10, () -> !memory.isLive());
            runFx(() -> w.library().select(fieldId));
            waitUntil("the conversations back", 30, () -> onFx(() -> w.conversation().currentConversation() != null));
            long firstId = service(w).conversations().of(fieldId).getLast().id();
            javafx.scene.control.ComboBox<dev.goldfinch.engine.store.Conversation> box = UiTestSupport.<javafx.scene.control.ComboBox<dev.goldfinch.engine.store.Conversation>>node(w, "#conversation-list").orElseThrow();
            runFx(() -> box.setValue(box.getItems().stream().filter(c -> c.id() == firstId).findFirst().orElseThrow()));
            waitUntil("the first conversation", 30, () -> w.conversation().messageViews().size() == 4);
            assertTrue(onFx(toggle::isSelected), "the conversation's toggle is remembered in this session");
            assertTrue(onFx(note::isVisible), "no live state after reopening: the note shows");
            askAndWait(w, "And in winter?", 6, "an answer from the document again");
            assertTrue(!footer(onFx(() -> w.conversation().messageViews().get(5))).contains("follow-up"));
            assertTrue(!onFx(note::isVisible), "the new answer's state is kept");
        } finally {
            close(w);
        }
    }

    /**
     * A G1 answer's thinking: folded in a "Thinking" pane above the answer, never in its text; kept apart in the store
     * and folded again after a restart. The model is a scripted checkpoint that thinks "Let me see", then answers.
     */
    @Test
    void g1ThinkingIsShownFoldedAboveTheAnswerAndComesBackFolded() throws Exception {
        WorldTokenizer tokenizer = WorldTokenizer.load(UiTestSupport.VOCAB);
        int[] prompt = tokenizer.encode(PromptLayout.G1.questionTurn("What do goldfinches eat?", true, "\n\n"));
        int[] script = java.util.Arrays.stream(new String[] {">", "\n", "Let", " me", " see", "</", "think", ">", "\n", "Yes", ",", " seeds", "."})
                .mapToInt(piece -> {
                    int[] one = tokenizer.encode(piece);
                    assertEquals(1, one.length, piece);
                    return one[0];
                }).toArray();
        // The app's sampling takes presence 0.3 + frequency 0.3 off a token written once.
        Path model = ScriptedModel.write(dir.resolve("scripted-g1.pth"), 0.6, prompt[prompt.length - 1], script);
        Settings settings = new Settings();
        settings.threads = 1;
        settings.modelPath = model.toString();
        settings.vocabPath = UiTestSupport.VOCAB.toString();
        settings.maxAnswerTokens = 40;
        settings.temperature = 0;
        settings.promptLayout = "g1";
        settings.think = true;
        settings.save(dir.resolve("config"));
        Path doc = text("g1-notes.txt", 3000);
        ScriptedDialogs dialogs = new ScriptedDialogs();
        ReaderWindow w = openWithModel(dialogs);
        try {
            runFx(() -> w.imports().importFiles(List.of(doc)));
            waitUntil("the document to be ready", 120, () -> entry(w, "Field notes").map(x -> x.state() == CacheState.READY).orElse(false));
            askAndWait(w, "What do goldfinches eat?", 2, "the answer");
            MessageView answer = onFx(() -> w.conversation().messageViews().get(1));
            javafx.scene.control.TitledPane pane = answer.thinkingPane();
            assertEquals("Yes, seeds.", onFx(answer::text));
            assertEquals("Yes, seeds.", onFx(() -> answer.body().getText()), "the bubble holds the answer alone");
            assertEquals("Let me see", onFx(answer::thinking));
            assertTrue(onFx(pane::isVisible), "the thinking is shown");
            assertTrue(!onFx(pane::isExpanded), "folded");
            assertEquals("Thinking", onFx(pane::getText));
            assertTrue(onFx(() -> answer.getChildren().indexOf(pane) < answer.getChildren().indexOf(answer.body())), "above the answer");
            screenshot(w.stage().getScene(), "14-g1-thinking-folded");
            robot.clickOn(pane.lookup(".title"));
            waitUntil("the thinking to unfold", 10, () -> onFx(pane::isExpanded));
            assertEquals("Let me see", onFx(() -> ((dev.goldfinch.app.ui.view.WrappedText) pane.getContent()).getText()));
            screenshot(w.stage().getScene(), "15-g1-thinking-open");
            long conversation = onFx(() -> w.conversation().currentConversation().id());
            waitUntil("the answer saved", 30, () -> service(w).conversations().messages(conversation).size() == 2);
            var saved = service(w).conversations().messages(conversation).get(1);
            assertEquals("Yes, seeds.", saved.text(), "the stored answer is the answer alone");
            assertEquals("Let me see", saved.thinking(), "the thinking is stored apart");

            // The settings dialog shows the layout and the thinking choice.
            pressShortcut(w, KeyCode.COMMA);
            waitUntil("the settings dialog", 30, () -> anyWindowNode("#settings-think").isPresent());
            javafx.scene.control.CheckBox think = UiTestSupport.<javafx.scene.control.CheckBox>anyWindowNode("#settings-think").orElseThrow();
            assertTrue(onFx(think::isSelected));
            assertEquals("g1", onFx(() -> UiTestSupport.<ChoiceBox<String>>anyWindowNode("#settings-layout").orElseThrow().getValue()));
            DialogPane dialog = (DialogPane) think.getScene().getRoot();
            robot.clickOn(dialog.lookupButton(javafx.scene.control.ButtonType.CANCEL));
            waitUntil("the dialog to close", 10, () -> anyWindowNode("#settings-think").isEmpty());
        } finally {
            close(w);
        }
        ReaderWindow w2 = open(options(), dialogs);
        try {
            waitUntil("the conversation restored", 60, () -> w2.conversation().messageViews().size() == 2);
            MessageView again = onFx(() -> w2.conversation().messageViews().get(1));
            assertEquals("Yes, seeds.", onFx(again::text));
            assertEquals("Let me see", onFx(again::thinking));
            assertTrue(onFx(() -> again.thinkingPane().isVisible() && !again.thinkingPane().isExpanded()), "folded again after a restart");
            assertTrue(!onFx(() -> w2.conversation().messageViews().get(0).thinkingPane().isVisible()), "a question has no thinking");
        } finally {
            close(w2);
        }
    }

    @Test
    void rwkv7ModelTalksG1WithAndWithoutThinkingAndAnswersFromItsSavedStateAfterARestart() throws Exception {
        // A random-weight RWKV-7 with the real vocabulary: its text is noise, the path through the app is the real one.
        TestModels.TestModel m = TestModels.rwkv7();
        rememberModel(m, 1024);
        Settings s0 = Settings.load(dir.resolve("config"));
        s0.temperature = 0;
        s0.maxAnswerTokens = 12;
        s0.think = true;
        s0.save(dir.resolve("config")); // the prompt layout setting stays "plain": an RWKV-7 model brings its own
        Path doc = text("rwkv7-notes.txt", 6000);
        ScriptedDialogs dialogs = new ScriptedDialogs();
        ReaderWindow w = openWithModel(dialogs);
        try {
            assertEquals(PromptLayout.G1, service(w).model().orElseThrow().layout(), "an RWKV-7 model is asked in the G1 layout");
            runFx(() -> w.imports().importFiles(List.of(doc)));
            waitUntil("the document to be ready", 120, () -> entry(w, "Field notes").map(x -> x.state() == CacheState.READY).orElse(false));
            assertTrue(service(w).tokensRead() > 0, "the document was read");

            askAndWait(w, "What do goldfinches eat?", 2, "the answer with thinking");
            MessageView thought = onFx(() -> w.conversation().messageViews().get(1));
            assertTrue(!onFx(thought::thinking).isEmpty(), "thinking on: the model's text goes to the folded thinking first");
            assertTrue(onFx(() -> thought.thinkingPane().isVisible() && !thought.thinkingPane().isExpanded()), "the thinking is folded");

            runFx(() -> w.settings().think = false);
            askAndWait(w, "Where do they nest?", 4, "the answer without thinking");
            MessageView plain = onFx(() -> w.conversation().messageViews().get(3));
            assertEquals("", onFx(plain::thinking), "thinking off: the empty thought of the prompt, nothing folded");
            assertTrue(!onFx(() -> plain.thinkingPane().isVisible()));
            assertTrue(footer(plain).matches("\\d+ tokens? · .*"), footer(plain));
            screenshot(w.stage().getScene(), "16-rwkv7-g1");
        } finally {
            close(w);
        }

        ReaderWindow w2 = open(options(), dialogs);
        try {
            waitUntil("the library after the restart", 60, () -> entry(w2, "Field notes").map(x -> x.state() == CacheState.READY).orElse(false));
            waitUntil("the conversation restored", 30, () -> w2.conversation().messageViews().size() == 4);
            askAndWait(w2, "Which seeds?", 6, "an answer after the restart");
            ReaderService s = service(w2);
            assertEquals(0, s.tokensRead(), "no document token is read again after a restart");
            assertEquals(1, s.documentsOpened());
            assertEquals(0, s.lastOpenRecurrentSteps(), "zero document steps: the saved RWKV-7 state is the document");
        } finally {
            close(w2);
        }
    }

    private String footer(MessageView v) {
        return onFx(() -> v.getChildren().stream().filter(n -> n.getStyleClass().contains("message-footer")).map(n -> ((Label) n).getText())
                .findFirst().orElse(""));
    }
}
