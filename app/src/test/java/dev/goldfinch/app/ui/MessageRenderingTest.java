package dev.goldfinch.app.ui;

import static dev.goldfinch.app.ui.UiTestSupport.onFx;
import static dev.goldfinch.app.ui.UiTestSupport.runFx;
import static dev.goldfinch.app.ui.UiTestSupport.screenshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.ui.view.MessageView;
import dev.goldfinch.engine.store.Message.Role;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A long answer is drawn whole inside its bubble: the text on screen is the stored text (nothing cut, nothing drawn
 * twice) and every line of it lies inside the bubble, at several window widths, in the app's own style sheets.
 */
class MessageRenderingTest {
    @BeforeAll
    static void toolkit() throws Exception {
        UiTestSupport.startToolkit();
    }

    static String longAnswer() {
        StringBuilder sb = new StringBuilder();
        String[] words = "the goldfinch reads a long document once and keeps its small cache so every later question is answered from it without reading again".split(" ");
        for (int p = 0; p < 4; p++) {
            for (int i = 0; i < 90; i++) sb.append(words[(i * 7 + p) % words.length]).append(i % 17 == 16 ? ". " : " ");
            sb.append("Averylongwordwithoutanyspacesthatmustwrapsomewhereinthebubble").append(".\n\n");
        }
        return sb.toString().strip();
    }

    /** The Text nodes that draw a node's label, in scene order. */
    static List<Text> texts(Node n) {
        List<Text> out = new ArrayList<>();
        for (Node t : n.lookupAll(".text")) if (t instanceof Text text && text.isVisible()) out.add(text);
        return out;
    }

    /** The text on screen is {@code answer}, and every line of it lies inside the bubble and the bubble inside the window. */
    static void assertDrawnWhole(MessageView view, String answer, String where) {
        String drawn = onFx(() -> String.join("", texts(view.body()).stream().map(Text::getText).toList()));
        assertEquals(answer, drawn, "at " + where + " the text on screen is the stored text");
        Bounds bubble = onFx(() -> view.localToScene(view.getLayoutBounds()));
        for (Text t : onFx(() -> texts(view.body()))) {
            Bounds b = onFx(() -> t.localToScene(t.getLayoutBounds()));
            assertTrue(b.getMinX() >= bubble.getMinX() - 0.5 && b.getMaxX() <= bubble.getMaxX() + 0.5
                    && b.getMinY() >= bubble.getMinY() - 0.5 && b.getMaxY() <= bubble.getMaxY() + 0.5,
                    "at " + where + " the text " + b + " lies inside its bubble " + bubble);
        }
        Bounds window = onFx(() -> view.getScene().getRoot().localToScene(view.getScene().getRoot().getLayoutBounds()));
        assertTrue(bubble.getMaxX() <= window.getMaxX() + 0.5, "at " + where + " the bubble " + bubble + " fits the window " + window);
    }

    /** What model answers hold besides words and spaces: Windows line ends, tabs, runs of spaces, a bulleted list, wide characters. */
    static String awkwardAnswer() {
        return (" 1.\tThe goldfinch  reads   once.\r\n 2.\tIt keeps its cache.\r\n\r\n" + "• 金翅雀 reads the document — once — and keeps it; "
                + "https://example.org/a/very/long/address/without/any/spaces/that/goes/on/and/on/and/on/for/a/while.html\n").repeat(6).strip();
    }

    /** Sources say where they are in the document's terms: a page of a PDF, a heading or the lines of a text file. */
    @Test
    void sourcesSayTheirPageHeadingOrLines() {
        List<dev.goldfinch.app.library.Source> sources = List.of(new dev.goldfinch.app.library.Source(0, 10, 0.52, 4, "lines 120\u2013140", "The finch ate."),
                new dev.goldfinch.app.library.Source(20, 30, 0.31, 2, "Installation", "Run it."));
        List<String> sections = onFx(() -> {
            MessageView v = new MessageView(Role.ASSISTANT, "An answer.");
            v.setSources(sources, "section", s -> { });
            return v.sourceLinks().stream().map(javafx.scene.control.Hyperlink::getText).toList();
        });
        assertEquals(List.of("lines 120\u2013140 · 52% · \u201cThe finch ate.\u201d", "Installation · 31% · \u201cRun it.\u201d"), sections);
        String page = onFx(() -> {
            MessageView v = new MessageView(Role.ASSISTANT, "An answer.");
            v.setSources(List.of(new dev.goldfinch.app.library.Source(0, 10, 0.5, 12, "iv", "A page.")), "page", s -> { });
            return v.sourceLinks().getFirst().getText();
        });
        assertEquals("p. iv · 50% · \u201cA page.\u201d", page);
    }

    @Test
    void aLongAnswerIsDrawnWholeInsideItsBubble() throws Exception {
        for (String answer : List.of(longAnswer(), awkwardAnswer()))
        for (double width : new double[] {420, 760, 1180}) {
            Stage[] stage = new Stage[1];
            MessageView[] view = new MessageView[1];
            runFx(() -> {
                MessageView v = new MessageView(Role.ASSISTANT, "");
                v.set(answer);
                VBox messages = new VBox(10, new MessageView(Role.USER, "What does the goldfinch do?"), v);
                messages.getStyleClass().add("messages");
                ScrollPane scroll = new ScrollPane(messages);
                scroll.setFitToWidth(true);
                scroll.getStyleClass().add("messages-scroll");
                Scene scene = new Scene(scroll, width, 900);
                scene.getStylesheets().setAll(ReaderWindow.resource("base.css").toExternalForm(), ReaderWindow.resource("light.css").toExternalForm());
                Stage s = new Stage();
                s.setScene(scene);
                s.show();
                stage[0] = s;
                view[0] = v;
            });
            WaitForAsyncUtils.waitForFxEvents();
            try {
                assertDrawnWhole(view[0], answer, width + " px");
                screenshot(stage[0].getScene(), "long-answer-" + (int) width + "-" + Math.abs(answer.hashCode() % 1000));
            } finally {
                runFx(() -> stage[0].close());
            }
        }
    }
}
