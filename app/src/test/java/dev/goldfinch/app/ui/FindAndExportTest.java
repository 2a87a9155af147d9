package dev.goldfinch.app.ui;

import static dev.goldfinch.app.ui.UiTestSupport.close;
import static dev.goldfinch.app.ui.UiTestSupport.entry;
import static dev.goldfinch.app.ui.UiTestSupport.onFx;
import static dev.goldfinch.app.ui.UiTestSupport.open;
import static dev.goldfinch.app.ui.UiTestSupport.runFx;
import static dev.goldfinch.app.ui.UiTestSupport.screenshot;
import static dev.goldfinch.app.ui.UiTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.library.ConversationMarkdown;
import dev.goldfinch.app.library.Places;
import dev.goldfinch.app.library.Source;
import dev.goldfinch.app.library.SourceDocument.Page;
import dev.goldfinch.app.library.SourcesJson;
import dev.goldfinch.app.ui.UiTestSupport.ScriptedDialogs;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.ui.view.DocumentPane;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.MessageView;
import dev.goldfinch.engine.store.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.input.Clipboard;
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

/** Find in document (Ctrl+F), exporting a conversation as Markdown, and copying an answer with its sources, in the real window. */
class FindAndExportTest {
    private static final String[] WORDS = "the goldfinch reads a long document once and keeps its cache while seeds of teasel feed birds in winter".split(" ");
    /** Lines per page: more than the document view shows at once, so a match can lie below what is in view. */
    private static final int LINES = 40;
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

    private void rememberModel(TestModels.TestModel m) throws Exception {
        UiTestSupport.rememberModel(dir.resolve("config"), m, false);
    }

    /** A PDF of {@code pages} pages; "Thistle" (or "thistle") appears on every page, a different number of times. */
    private Path pdf(String name, int pages) throws Exception {
        Path f = dir.resolve(name);
        java.util.Random r = new java.util.Random(5);
        try (PDDocument pdf = new PDDocument()) {
            pdf.getDocumentInformation().setTitle("Notes on thistles");
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 0; p < pages; p++) {
                PDPage page = new PDPage();
                pdf.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(pdf, page)) {
                    cs.beginText();
                    cs.setFont(font, 11);
                    cs.setLeading(15);
                    cs.newLineAtOffset(60, 730);
                    for (int line = 0; line < LINES; line++) {
                        StringBuilder sb = new StringBuilder();
                        for (int i = 0; i < 10; i++) sb.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
                        if (line <= p % 3 || line >= LINES - 1 - p % 2) sb.append(line % 2 == 0 ? "Thistle" : "thistle").append(" heads in autumn");
                        cs.showText(sb.toString().strip() + ".");
                        cs.newLine();
                    }
                    cs.endText();
                }
            }
            pdf.save(f.toFile());
        }
        return f;
    }

    private ReaderWindow openWithModel(ScriptedDialogs dialogs) throws Exception {
        return UiTestSupport.openWithModel(options(), dialogs);
    }

    private static ReaderService service(ReaderWindow w) {
        return UiTestSupport.service(w);
    }

    private LibraryEntry readDocument(ReaderWindow w, Path doc) {
        runFx(() -> w.imports().importFiles(List.of(doc)));
        waitUntil("the document in the library", 30, () -> entry(w, "thistles").isPresent());
        LibraryEntry e = entry(w, "thistles").orElseThrow();
        runFx(() -> w.library().select(e.id()));
        waitUntil("the document to be ready", 300, () -> e.state() == CacheState.READY);
        return e;
    }

    @Test
    void ctrlFFindsAWordOnEveryPageAndEnterAndShiftEnterMoveBetweenTheMatches() throws Exception {
        rememberModel(TestModels.small());
        Path doc = pdf("thistles.pdf", 5);
        ReaderWindow w = openWithModel(new ScriptedDialogs());
        try {
            LibraryEntry e = readDocument(w, doc);
            DocumentPane pane = w.documentPane();
            assertFalse(onFx(() -> w.documentPane().getScene() != null && w.documentPane().isVisible()), "the document view starts hidden");
            // Ctrl+F from the question box opens the document view with its find bar focused.
            robot.clickOn(w.conversation().input());
            robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
            waitUntil("the find bar", 10, () -> pane.getScene() != null && pane.findShown() && pane.findField().isFocused());
            waitUntil("the document shown", 30, () -> pane.documentId() == e.id());

            ReaderService.DocumentText text = service(w).documentText(e.id()).get(30, TimeUnit.SECONDS);
            String lower = text.text().toLowerCase(Locale.ROOT);
            List<Integer> expected = new java.util.ArrayList<>();
            for (int i = lower.indexOf("thistle"); i >= 0; i = lower.indexOf("thistle", i + 7)) expected.add(i);
            List<Page> pages = text.meta().pagesOf(text.text().length());
            long pagesWithMatches = pages.stream().filter(p -> expected.stream().anyMatch(i -> i >= p.start() && i < p.end())).count();
            assertTrue(pagesWithMatches >= 3, "the word is on several pages: " + pagesWithMatches);

            robot.write("THISTLE");
            waitUntil("the count", 10, () -> pane.findCount().getText().equals("1 of " + expected.size()));
            assertSelected(pane, pages, expected.get(0));
            screenshot(w.stage().getScene(), "find-in-document");

            // Enter goes on through the matches, onto the next pages; Shift+Enter and the buttons go back and on.
            int previousPage = onFx(pane::currentPage);
            boolean turned = false;
            for (int k = 1; k < expected.size(); k++) {
                robot.type(KeyCode.ENTER);
                int n = k + 1;
                waitUntil("match " + n, 10, () -> pane.findCount().getText().equals(n + " of " + expected.size()));
                assertSelected(pane, pages, expected.get(k));
                int page = onFx(pane::currentPage);
                turned |= page != previousPage;
                previousPage = page;
            }
            assertTrue(turned, "the matches took the view to other pages");
            robot.type(KeyCode.ENTER);
            waitUntil("back to the first after the last", 10, () -> pane.findCount().getText().equals("1 of " + expected.size()));
            robot.press(KeyCode.SHIFT).type(KeyCode.ENTER).release(KeyCode.SHIFT);
            waitUntil("Shift+Enter to the last", 10, () -> pane.findCount().getText().equals(expected.size() + " of " + expected.size()));
            assertSelected(pane, pages, expected.getLast());
            robot.clickOn(UiTestSupport.<Button>node(w, "#find-next").orElseThrow());
            waitUntil("the next button", 10, () -> pane.findCount().getText().equals("1 of " + expected.size()));
            robot.clickOn(UiTestSupport.<Button>node(w, "#find-previous").orElseThrow());
            waitUntil("the previous button", 10, () -> pane.findCount().getText().equals(expected.size() + " of " + expected.size()));

            robot.clickOn(pane.findField());
            robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL);
            robot.write("no-such-word");
            waitUntil("no matches", 10, () -> pane.findCount().getText().equals("no matches"));
            robot.type(KeyCode.ESCAPE);
            waitUntil("Esc to close the bar", 10, () -> !pane.findShown());
        } finally {
            close(w);
        }
    }

    private static void assertSelected(DocumentPane pane, List<Page> pages, int at) {
        Page p = pages.stream().filter(x -> at >= x.start() && at < x.end()).findFirst().orElseThrow();
        waitUntil("the page of the match at " + at, 10, () -> pane.currentPage() == pages.indexOf(p) && pane.shownPage() != null
                && pane.shownPage().getSelection().getStart() == at - p.start());
        assertEquals("thistle", onFx(() -> pane.shownPage().getSelectedText()).toLowerCase(Locale.ROOT));
    }

    @Test
    void aConversationIsExportedAsMarkdownAndCopyTakesTheAnswersSources() throws Exception {
        rememberModel(TestModels.small());
        Path doc = pdf("thistles.pdf", 3);
        ScriptedDialogs dialogs = new ScriptedDialogs();
        Path out = Files.createDirectories(dir.resolve("exports"));
        dialogs.exportFolder = out;
        ReaderWindow w = openWithModel(dialogs);
        try {
            LibraryEntry e = readDocument(w, doc);
            waitUntil("the question box", 30, () -> w.conversation().input().isEditable() && !w.conversation().input().isDisabled());
            robot.clickOn(w.conversation().input()).write("When do thistle heads ripen?");
            robot.type(KeyCode.ENTER);
            waitUntil("the answer", 120, () -> w.conversation().messageViews().size() == 2 && !w.conversation().answeringProperty().get());
            waitUntil("the conversation saved", 30, () -> w.conversation().currentConversation() != null);
            MessageView answer = onFx(() -> w.conversation().messageViews().get(1));
            assertFalse(onFx(answer::sourceLinks).isEmpty(), "the answer names its sources");

            // Copy: the answer's text, then its sources one a line.
            robot.clickOn(answer.lookup(".copy-answer"));
            String copied = onFx(() -> Clipboard.getSystemClipboard().getString());
            long conversation = onFx(() -> w.conversation().currentConversation().id());
            waitUntil("the answer stored", 30, () -> {
                try {
                    return service(w).messagesOf(conversation).get(30, TimeUnit.SECONDS).size() == 2;
                } catch (Exception x) {
                    return false;
                }
            });
            List<Message> stored = service(w).messagesOf(conversation).get(30, TimeUnit.SECONDS);
            Message a = stored.get(1);
            List<Source> sources = SourcesJson.read(a.sources());
            assertFalse(sources.isEmpty());
            String unit = e.status().meta().unit();
            StringBuilder expectCopy = new StringBuilder(a.text().strip()).append("\n\nSources (where the model looked):\n");
            for (Source s : sources) expectCopy.append("- ").append(Places.brief(unit, s.page(), s.pageLabel())).append(" · ")
                    .append(ConversationMarkdown.share(s.share())).append(" · “").append(s.text().replaceAll("\\s+", " ").strip()).append("”\n");
            assertEquals(expectCopy.toString(), copied);

            // Conversation → Export conversation… (Ctrl+E): the Markdown file holds the question, the stored answer and its sources.
            robot.clickOn(w.statusBar());
            robot.press(KeyCode.CONTROL, KeyCode.E).release(KeyCode.E, KeyCode.CONTROL);
            Path file = out.resolve("When do thistle heads ripen.md");
            waitUntil("the exported file", 30, () -> Files.isRegularFile(file));
            assertEquals("When do thistle heads ripen.md", dialogs.suggestedExportName);
            String md = Files.readString(file);
            assertTrue(md.startsWith("# When do thistle heads ripen?\n"), md);
            assertTrue(md.contains("Document: **Notes on thistles**"), md);
            assertTrue(md.contains("thistles.pdf"), md);
            assertTrue(md.contains("## Question\n\nWhen do thistle heads ripen?\n"), md);
            assertTrue(md.contains("## Answer\n\n" + a.text().strip() + "\n"), md);
            int at = md.indexOf("Sources (where the model looked):\n\n");
            assertTrue(at > md.indexOf("## Answer"), md);
            for (Source s : sources) assertTrue(md.contains("- " + ConversationMarkdown.sourceLine(unit, s) + "\n"), md);
            String source = e.status().meta().source();
            assertEquals(md, ConversationMarkdown.of(stored.getFirst().text(), e.title(), source == null || source.isBlank() ? e.fileName() : source, unit, stored),
                    "the export is the stored conversation");
            try (var files = Files.list(out)) {
                assertEquals(List.of(file), files.toList(), "no temporary file left");
            }
            // Cancelling the save dialog writes nothing.
            dialogs.exportFolder = null;
            Optional<Path> none = onFx(() -> w.export().export()).get(10, TimeUnit.SECONDS);
            assertTrue(none.isEmpty());
        } finally {
            close(w);
        }
    }
}
