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

import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.library.Source;
import dev.goldfinch.app.library.SourcesJson;
import dev.goldfinch.app.ui.UiTestSupport.ScriptedDialogs;
import dev.goldfinch.app.ui.view.DocumentPane;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.MessageView;
import dev.goldfinch.app.ui.view.PdfPageView;
import dev.goldfinch.engine.store.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.control.Hyperlink;
import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;
import javafx.scene.input.KeyCode;
import javafx.scene.shape.Rectangle;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The real page of a PDF in the document view, in the real window with a random-weight model: a clicked source turns
 * to its page and is highlighted over the words where the test drew them, the highlight follows the zoom, the pages
 * turn, the text is a click away, and a moved or changed file falls back to the text with a line saying why.
 */
class PdfPageViewTest {
    private static final String[] WORDS = "goldfinches feed on thistle and teasel seeds in winter while the flock moves from field to hedge at dawn".split(" ");
    private static final int PAGES = 3, LINES = 24;
    private static final float X = 60, TOP = 720, LEADING = 16, SIZE = 11;
    /** A pixel or two of rounding, and the highlight's one point of room around the glyphs. */
    private static final double SLACK_PX = 3;
    private static final PDType1Font FONT = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private static final float PAGE_HEIGHT = PDRectangle.LETTER.getHeight();
    private final FxRobot robot = new FxRobot();

    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        UiTestSupport.startToolkit();
    }

    /** One line drawn by the test: its text with its baseline's origin at (x, y), y up from the bottom of the page. */
    private record Drawn(int page, float x, float y, String text) {
    }

    /** Each page's lines, one sentence each (numbered, so none repeats), drawn top down in 11 pt Helvetica. */
    private static List<Drawn> lines() {
        Random r = new Random(11);
        List<Drawn> out = new ArrayList<>();
        for (int p = 1; p <= PAGES; p++) {
            for (int l = 0; l < LINES; l++) {
                StringBuilder sb = new StringBuilder("Note " + p + "." + (l + 1) + " says");
                for (int i = 0; i < 7; i++) sb.append(' ').append(WORDS[r.nextInt(WORDS.length)]);
                out.add(new Drawn(p, X, TOP - LEADING * l, sb.append('.').toString()));
            }
        }
        return out;
    }

    private Path pdf(Path file, List<Drawn> lines) throws Exception {
        try (PDDocument pdf = new PDDocument()) {
            pdf.getDocumentInformation().setTitle("Goldfinch field notes");
            for (int p = 1; p <= PAGES; p++) {
                PDPage page = new PDPage(PDRectangle.LETTER);
                pdf.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(pdf, page)) {
                    for (Drawn d : lines) {
                        if (d.page != p) continue;
                        cs.beginText();
                        cs.setFont(FONT, SIZE);
                        cs.newLineAtOffset(d.x, d.y);
                        cs.showText(d.text);
                        cs.endText();
                    }
                }
            }
            pdf.save(file.toFile());
        }
        return file;
    }

    private void rememberModel(TestModels.TestModel m) throws Exception {
        UiTestSupport.rememberModel(dir.resolve("config"), m, true);
    }

    private static float width(String s) {
        try {
            return FONT.getStringWidth(s) / 1000 * SIZE;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Where the passage was drawn on its page, one box a line, in points from the page's top-left corner: left, top, right, baseline. */
    private static List<double[]> drawnAt(List<Drawn> lines, int page, String passage) {
        List<Drawn> onPage = lines.stream().filter(d -> d.page == page).toList();
        StringBuilder joined = new StringBuilder();
        List<Integer> starts = new ArrayList<>();
        for (Drawn d : onPage) {
            if (!joined.isEmpty()) joined.append(' ');
            starts.add(joined.length());
            joined.append(d.text);
        }
        int a = joined.indexOf(passage);
        assertTrue(a >= 0, "the passage was drawn on page " + page + ": " + passage);
        int b = a + passage.length();
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < onPage.size(); i++) {
            Drawn d = onPage.get(i);
            int s = starts.get(i), e = s + d.text.length();
            if (e <= a || s >= b) continue;
            String before = d.text.substring(0, Math.max(a, s) - s);
            String part = d.text.substring(Math.max(a, s) - s, Math.min(b, e) - s);
            double left = d.x + width(before);
            out.add(new double[] {left, PAGE_HEIGHT - d.y - 0.718 * SIZE, left + width(part.strip()), PAGE_HEIGHT - d.y});
        }
        return out;
    }

    /** Each highlight box lies over its line of the passage as drawn, at the zoom shown, within a few pixels. */
    private static void assertOver(List<double[]> expected, List<Rectangle> boxes, double zoom) {
        assertEquals(expected.size(), boxes.size(), "one box per line of the passage");
        for (int i = 0; i < boxes.size(); i++) {
            Rectangle r = boxes.get(i);
            double[] e = expected.get(i);
            String where = "box " + i + " at zoom " + zoom + ": " + r;
            assertEquals(e[0] * zoom, r.getX(), SLACK_PX + zoom, "left edge, " + where);
            assertEquals(e[2] * zoom, r.getX() + r.getWidth(), SLACK_PX + zoom, "right edge, " + where);
            assertEquals(e[1] * zoom, r.getY(), SLACK_PX + zoom, "top (the font's ascent above the baseline), " + where);
            double base = e[3] * zoom;
            assertTrue(r.getY() + r.getHeight() > base && r.getY() + r.getHeight() < base + 0.3 * SIZE * zoom + SLACK_PX, "bottom just under the baseline, " + where);
        }
    }

    /**
     * Ink of the rendered page lies under every box, and none in the page's left margin beside it: the highlight is
     * over the drawn words, not beside them. (Small type at fit width is anti-aliased grey, so "ink" is any pixel
     * clearly darker than the white page.)
     */
    private static void assertInkUnder(Image page, List<Rectangle> boxes, double zoom, double screen) {
        PixelReader px = page.getPixelReader();
        for (Rectangle r : boxes) {
            int y0 = (int) Math.max(0, r.getY() * screen), y1 = (int) Math.min(page.getHeight(), (r.getY() + r.getHeight()) * screen);
            int x0 = (int) (r.getX() * screen), x1 = (int) Math.min(page.getWidth(), (r.getX() + r.getWidth()) * screen);
            int under = ink(px, x0, x1, y0, y1);
            double area = (double) (x1 - x0) * (y1 - y0);
            assertTrue(under > 0.08 * area, "text drawn under " + r + ": " + under + " of " + (int) area + " pixels");
            assertEquals(0, ink(px, 0, (int) (0.8 * X * zoom * screen), y0, y1), "the margin beside " + r + " is blank");
        }
    }

    private static int ink(PixelReader px, int x0, int x1, int y0, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (px.getColor(x, y).getBrightness() < 0.8) n++;
            }
        }
        return n;
    }

    @Test
    void aClickedSourceIsHighlightedOnItsRenderedPageWhichZoomsTurnsAndGivesWayToTheText() throws Exception {
        rememberModel(TestModels.small());
        List<Drawn> drawn = lines();
        Path doc = pdf(dir.resolve("goldfinches.pdf"), drawn);
        ReaderWindow w = UiTestSupport.openWithModel(UiTestSupport.options(dir), new ScriptedDialogs());
        try {
            runFx(() -> w.imports().importFiles(List.of(doc)));
            waitUntil("the document in the library", 30, () -> entry(w, "Goldfinch").isPresent());
            LibraryEntry e = entry(w, "Goldfinch").orElseThrow();
            runFx(() -> w.library().select(e.id()));
            DocumentPane pane = w.documentPane();
            PdfPageView view = pane.pageView();
            waitUntil("the first page rendered", 60, () -> pane.showingPages() && view.renderedPage() == 0);
            assertEquals("Page 1 of 3", onFx(() -> ((javafx.scene.control.Label) w.stage().getScene().lookup("#page-label")).getText()));
            assertFalse(onFx(() -> pane.notice().isVisible()), "no line about the file while its pages are shown");
            double fit = onFx(view::zoom);
            Bounds viewport = onFx(() -> ((javafx.scene.control.ScrollPane) view.lookup("#page-scroll")).getViewportBounds());
            assertEquals(viewport.getWidth() - 12, PDRectangle.LETTER.getWidth() * fit, 2, "fit width at the start");
            Image first = onFx(() -> view.pageImage().getImage());
            double screen = onFx(() -> w.stage().getOutputScaleX()); // pixels of the screen per point of the layout
            assertEquals(Math.round(PDRectangle.LETTER.getWidth() * fit * screen), first.getWidth(), 1, "rendered at the zoom shown, not scaled");

            waitUntil("the document to be ready", 300, () -> e.state() == CacheState.READY);
            waitUntil("the question box", 30, () -> w.conversation().input().isEditable() && !w.conversation().input().isDisabled());
            robot.clickOn(w.conversation().input()).write("What do goldfinches eat in winter?");
            robot.type(KeyCode.ENTER);
            waitUntil("the answer", 120, () -> w.conversation().messageViews().size() == 2 && !w.conversation().answeringProperty().get());
            waitUntil("the conversation saved", 30, () -> w.conversation().currentConversation() != null);
            long conversation = onFx(() -> w.conversation().currentConversation().id());
            waitUntil("the answer stored", 30, () -> {
                try {
                    return UiTestSupport.service(w).messagesOf(conversation).get(30, TimeUnit.SECONDS).size() == 2;
                } catch (Exception x) {
                    return false;
                }
            });
            Message answer = UiTestSupport.service(w).messagesOf(conversation).get(30, TimeUnit.SECONDS).get(1);
            List<Source> sources = SourcesJson.read(answer.sources());
            assertFalse(sources.isEmpty(), "the answer has sources");
            // the source on the last page cited: the view must turn there from page 1
            Source s = sources.stream().max(Comparator.comparingInt(Source::page)).orElseThrow();
            MessageView message = onFx(() -> w.conversation().messageViews().get(1));
            Hyperlink link = onFx(message::sourceLinks).get(sources.indexOf(s));
            int index = s.page() - 1;
            if (index == 0) runFx(() -> view.goTo(2)); // all cited passages on page 1: start elsewhere so the click turns the page
            robot.clickOn(link);
            waitUntil("the source's page with its highlight", 30, () -> view.currentPage() == index && !view.highlightBoxes().isEmpty()
                    && view.renderedPage() == index);
            assertEquals("Page " + s.page() + " of 3", onFx(() -> ((javafx.scene.control.Label) w.stage().getScene().lookup("#page-label")).getText()));
            List<double[]> expected = drawnAt(drawn, s.page(), s.text());
            double zoom = onFx(view::zoom);
            assertOver(expected, onFx(view::highlightBoxes), zoom);
            assertInkUnder(onFx(() -> view.pageImage().getImage()), onFx(view::highlightBoxes), onFx(view::zoom), screen);
            screenshot(w.stage().getScene(), "pdf-page-highlight");

            // Zoom: + makes the page and the boxes larger by its step, Ctrl+minus smaller again, fit width as it was.
            double width = onFx(() -> view.highlightBoxes().getFirst().getWidth());
            robot.clickOn("#zoom-in");
            waitUntil("zoomed in", 10, () -> view.zoom() > zoom * 1.2 && view.renderedPage() == index);
            double bigger = onFx(view::zoom);
            assertEquals(width * bigger / zoom, onFx(() -> view.highlightBoxes().getFirst().getWidth()), 0.01, "the boxes scale with the zoom");
            assertOver(expected, onFx(view::highlightBoxes), bigger);
            assertEquals(Math.round(PDRectangle.LETTER.getWidth() * bigger * screen), onFx(() -> view.pageImage().getImage().getWidth()), 1, "rendered again at the new zoom");
            assertInkUnder(onFx(() -> view.pageImage().getImage()), onFx(view::highlightBoxes), onFx(view::zoom), screen);
            robot.clickOn(view.pageImage());
            robot.press(KeyCode.CONTROL, KeyCode.MINUS).release(KeyCode.MINUS, KeyCode.CONTROL);
            robot.press(KeyCode.CONTROL, KeyCode.MINUS).release(KeyCode.MINUS, KeyCode.CONTROL);
            waitUntil("Ctrl+minus zooms out", 10, () -> view.zoom() < zoom * 0.9 && view.renderedPage() == index);
            assertOver(expected, onFx(view::highlightBoxes), onFx(view::zoom));
            robot.clickOn("#zoom-fit");
            waitUntil("fit width again", 10, () -> Math.abs(view.zoom() - fit) < 1e-9);

            // Pages: the buttons, PageUp/PageDown, the page number field; the highlight stays on its own page.
            int other = index == 2 ? 1 : index + 1;
            robot.clickOn(index == 2 ? "#page-previous" : "#page-next");
            waitUntil("another page", 10, () -> view.currentPage() == other && view.renderedPage() == other);
            assertTrue(onFx(view::highlightBoxes).isEmpty(), "no highlight on a page without the passage");
            robot.clickOn(view.pageImage());
            robot.type(index == 2 ? KeyCode.PAGE_DOWN : KeyCode.PAGE_UP);
            waitUntil("back with PageUp/PageDown", 10, () -> view.currentPage() == index && !view.highlightBoxes().isEmpty());
            robot.doubleClickOn("#page-number").write("2").type(KeyCode.ENTER);
            waitUntil("page 2 typed", 10, () -> view.currentPage() == 1 && view.renderedPage() == 1);
            robot.doubleClickOn("#page-number").write("99").type(KeyCode.ENTER);
            waitUntil("a page past the end: the last", 10, () -> view.currentPage() == 2);
            runFx(() -> view.goTo(index));

            // Text: the same page's text with the passage selected; Page brings the drawn page back.
            robot.clickOn("#view-text");
            waitUntil("the text view", 10, () -> !pane.showingPages() && pane.shownPage() != null && pane.shownPage().isVisible());
            assertFalse(onFx(view::isVisible));
            assertEquals(s.text(), onFx(() -> pane.shownPage().getSelectedText()).replaceAll("\\s+", " ").strip(), "the passage selected in the text");
            robot.clickOn("#view-page");
            waitUntil("the page view again", 10, () -> pane.showingPages() && view.isVisible() && view.currentPage() == index);

            // A passage that goes on over the page break: its part on each page, highlighted there.
            String text = UiTestSupport.service(w).documentText(e.id()).get(30, TimeUnit.SECONDS).text();
            String last = drawn.stream().filter(d -> d.page == 1).toList().getLast().text, next = drawn.stream().filter(d -> d.page == 2).findFirst().orElseThrow().text;
            int start = text.indexOf(last), end = text.indexOf(next) + next.length();
            assertTrue(start > 0 && end > start, "both lines in the stored text");
            Source across = new Source(start, end, 0.5, 1, "1", text.substring(start, end).replaceAll("\\s+", " ").strip());
            runFx(() -> w.showSource(across));
            waitUntil("page 1 with the passage's first part", 30, () -> view.currentPage() == 0 && view.renderedPage() == 0 && view.highlightBoxes().size() == 1);
            assertOver(drawnAt(drawn, 1, last), onFx(view::highlightBoxes), onFx(view::zoom));
            robot.clickOn("#page-next");
            waitUntil("page 2 with its second part", 10, () -> view.currentPage() == 1 && view.renderedPage() == 1 && view.highlightBoxes().size() == 1);
            assertOver(drawnAt(drawn, 2, next), onFx(view::highlightBoxes), onFx(view::zoom));
            assertInkUnder(onFx(() -> view.pageImage().getImage()), onFx(view::highlightBoxes), onFx(view::zoom), screen);
            robot.clickOn("#page-next");
            waitUntil("page 3", 10, () -> view.currentPage() == 2);
            assertTrue(onFx(view::highlightBoxes).isEmpty(), "nothing of it on page 3");

            // The file moved: the text, with one line saying so; changed: the same, saying that.
            Path moved = Files.move(doc, dir.resolve("elsewhere.pdf"));
            reselect(w, e.id());
            waitUntil("the line about the moved file", 30, () -> pane.documentId() == e.id() && pane.notice().isVisible());
            assertEquals("Showing the text: the file is no longer at " + doc + ".", onFx(() -> pane.notice().getText()));
            assertFalse(onFx(pane::showingPages));
            assertFalse(onFx(() -> w.stage().getScene().lookup("#view-switch").isVisible()), "no Page / Text switch without the file");
            waitUntil("the first page's text shown", 10, () -> pane.shownPage() != null && pane.shownPage().isVisible()
                    && pane.shownPage().getText().startsWith("Note 1.1 says") && pane.shownPage().getScene() != null);
            screenshot(w.stage().getScene(), "pdf-page-moved");

            Files.write(doc, Files.readAllBytes(moved));
            Files.writeString(doc, "%% a different file\n", java.nio.file.StandardOpenOption.APPEND);
            reselect(w, e.id());
            waitUntil("the line about the changed file", 30, () -> pane.notice().getText().contains("changed"));
            assertEquals("Showing the text: the file at " + doc + " has changed since it was added.", onFx(() -> pane.notice().getText()));

            Files.move(moved, doc, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            reselect(w, e.id());
            waitUntil("the pages back with the file", 30, () -> pane.showingPages() && !pane.notice().isVisible() && view.renderedPage() == 0);
        } finally {
            close(w);
        }
    }

    /** Selects no document and then this one again: the document view loads it anew. */
    private static void reselect(ReaderWindow w, long id) {
        runFx(() -> w.library().listView().getSelectionModel().clearSelection());
        waitUntil("the document view cleared", 10, () -> w.documentPane().documentId() == -1);
        runFx(() -> w.library().select(id));
    }
}
