package dev.goldfinch.app.ui;

import static dev.goldfinch.app.ui.UiTestSupport.close;
import static dev.goldfinch.app.ui.UiTestSupport.entry;
import static dev.goldfinch.app.ui.UiTestSupport.onFx;
import static dev.goldfinch.app.ui.UiTestSupport.runFx;
import static dev.goldfinch.app.ui.UiTestSupport.screenshot;
import static dev.goldfinch.app.ui.UiTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.cli.AskCommandTest;
import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.library.Source;
import dev.goldfinch.app.library.SourcesJson;
import dev.goldfinch.app.library.TextMatchSourcesTest;
import dev.goldfinch.app.ui.UiTestSupport.ScriptedDialogs;
import dev.goldfinch.app.ui.view.DocumentPane;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.MessageView;
import dev.goldfinch.app.ui.view.PdfPageView;
import dev.goldfinch.engine.store.Message;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Hyperlink;
import javafx.scene.input.KeyCode;
import javafx.scene.shape.Rectangle;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * A Finch model (no attention layers) in the real window: its answer lists "passages matching the answer", not where
 * the model looked; a click on one turns the PDF to its page and highlights that sentence over its words, and the text
 * view selects it; the stored answer keeps the kind, so the reopened conversation says the same.
 */
class TextMatchSourcesUiTest {
    private static final String[] PAGES = TextMatchSourcesTest.PAGES;
    private static final String RENT = "The rent is due on the third day of each month.";
    /** Where AskCommandTest.writePdf draws each page's line: 12 pt Helvetica, baseline at (72, 700) from the bottom left. */
    private static final float X = 72, BASELINE = 700, SIZE = 12, SLACK_PX = 3;
    private final FxRobot robot = new FxRobot();

    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        UiTestSupport.startToolkit();
    }

    @Test
    void aFinchAnswerShowsPassagesMatchingItAndAClickHighlightsOne() throws Exception {
        UiTestSupport.rememberModel(dir.resolve("config"), TestModels.finch(), true);
        Path pdf = dir.resolve("lease.pdf");
        AskCommandTest.writePdf(pdf, PAGES);
        ReaderWindow w = UiTestSupport.openWithModel(UiTestSupport.options(dir), new ScriptedDialogs());
        try {
            runFx(() -> w.imports().importFiles(List.of(pdf)));
            waitUntil("the document in the library", 30, () -> entry(w, "lease").isPresent());
            LibraryEntry e = entry(w, "lease").orElseThrow();
            runFx(() -> w.library().select(e.id()));
            DocumentPane pane = w.documentPane();
            PdfPageView view = pane.pageView();
            waitUntil("the first page rendered", 60, () -> pane.showingPages() && view.renderedPage() == 0);
            waitUntil("the document to be ready", 300, () -> e.state() == CacheState.READY);
            waitUntil("the question box", 30, () -> w.conversation().input().isEditable() && !w.conversation().input().isDisabled());
            robot.clickOn(w.conversation().input()).write("When is the rent due?");
            robot.type(KeyCode.ENTER);
            waitUntil("the answer", 120, () -> w.conversation().messageViews().size() == 2 && !w.conversation().answeringProperty().get());

            MessageView message = onFx(() -> w.conversation().messageViews().get(1));
            assertEquals("Sources (passages matching the answer)", onFx(message::sourcesTitle), "labelled as what they are");
            List<Hyperlink> links = onFx(message::sourceLinks);
            assertFalse(links.isEmpty(), "a Finch answer has sources");
            assertTrue(onFx(() -> links.getFirst().getText()).startsWith("p. 3 · "), onFx(() -> links.getFirst().getText()));
            assertTrue(onFx(() -> links.getFirst().getText()).endsWith("“" + RENT + "”"), "the best match first");
            assertTrue(onFx(message::copyText).contains("\n\nSources (passages matching the answer):\n- p. 3 · "), "Copy says it too");

            // A click: the PDF turns to page 3 and the sentence is highlighted over its words, not the rest of the line.
            robot.clickOn(links.getFirst());
            waitUntil("page 3 with its highlight", 30, () -> view.currentPage() == 2 && view.renderedPage() == 2 && !view.highlightBoxes().isEmpty());
            List<Rectangle> boxes = onFx(view::highlightBoxes);
            assertEquals(1, boxes.size(), "one line");
            double zoom = onFx(view::zoom);
            Rectangle r = boxes.getFirst();
            float pageHeight = PDRectangle.LETTER.getHeight();
            assertEquals(X * zoom, r.getX(), SLACK_PX + zoom, "left edge at the line's start: " + r);
            assertEquals((X + width(RENT)) * zoom, r.getX() + r.getWidth(), SLACK_PX + zoom, "right edge at the sentence's end, before 'Notice': " + r);
            assertEquals((pageHeight - BASELINE - 0.718 * SIZE) * zoom, r.getY(), SLACK_PX + zoom, "on the drawn line: " + r);
            screenshot(w.stage().getScene(), "finch-passages-matching");

            // The text view selects the same sentence.
            robot.clickOn("#view-text");
            waitUntil("the text view", 10, () -> !pane.showingPages() && pane.shownPage() != null && pane.shownPage().isVisible());
            assertEquals(RENT, onFx(() -> pane.shownPage().getSelectedText()).replaceAll("\\s+", " ").strip(), "the passage selected in the text");
            robot.clickOn("#view-page");

            // Stored with their kind: the conversation read back from the store says the same.
            waitUntil("the conversation saved", 30, () -> w.conversation().currentConversation() != null);
            long conversation = onFx(() -> w.conversation().currentConversation().id());
            waitUntil("the answer stored", 30, () -> {
                try {
                    List<Message> m = UiTestSupport.service(w).messagesOf(conversation).get(30, TimeUnit.SECONDS);
                    return m.size() == 2 && m.get(1).sources() != null;
                } catch (Exception x) {
                    return false;
                }
            });
            List<Source> stored = SourcesJson.read(UiTestSupport.service(w).messagesOf(conversation).get(30, TimeUnit.SECONDS).get(1).sources());
            assertFalse(stored.isEmpty());
            for (Source s : stored) assertEquals(Source.Kind.TEXT_MATCH, s.kind());
            assertEquals(RENT, stored.getFirst().text());
            MessageView reread = new MessageView(Message.Role.ASSISTANT, "");
            runFx(() -> reread.setSources(stored, "page", s -> { }));
            assertEquals("Sources (passages matching the answer)", onFx(reread::sourcesTitle), "a stored answer keeps its label");
        } finally {
            close(w);
        }
    }

    /** No sentence matching: one line says so under the answer; an attention answer without sources shows nothing, as before. */
    @Test
    void noMatchingPassageIsSaidInALine() {
        MessageView v = onFx(() -> new MessageView(Message.Role.ASSISTANT, "Noise."));
        runFx(() -> v.setSources(List.of(), Source.Kind.TEXT_MATCH, "page", s -> { }));
        assertEquals("Sources (passages matching the answer): no matching passage (no sentence of the document shares a word with the "
                + "question or the answer)", onFx(v::sourcesTitle));
        assertTrue(onFx(v::sourceLinks).isEmpty());
        assertEquals("Noise.", onFx(v::copyText), "Copy takes the answer alone");
        runFx(() -> v.setSources(List.of(), Source.Kind.ATTENTION, "page", s -> { }));
        assertEquals(null, onFx(v::sourcesTitle));
        runFx(() -> v.setSources(List.of(new Source(0, 6, 0.5, 1, "1", "Seeds.")), "page", s -> { }));
        assertEquals("Sources (where the model looked)", onFx(v::sourcesTitle), "a stored attention source, old or new");
    }

    private static float width(String s) {
        try {
            return new PDType1Font(Standard14Fonts.FontName.HELVETICA).getStringWidth(s) / 1000 * SIZE;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
