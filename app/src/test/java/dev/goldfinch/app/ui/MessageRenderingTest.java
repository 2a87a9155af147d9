package dev.goldfinch.app.ui;

import static dev.goldfinch.app.ui.UiTestSupport.onFx;
import static dev.goldfinch.app.ui.UiTestSupport.runFx;
import static dev.goldfinch.app.ui.UiTestSupport.screenshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.goldfinch.app.ui.view.MessageView;
import dev.goldfinch.app.ui.view.WrappedText;
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

    /** The Text nodes that draw a message's text, in order. */
    static List<Text> texts(WrappedText n) {
        List<Text> out = new ArrayList<>();
        for (Node t : n.getChildren()) if (t instanceof Text text && text.isVisible()) out.add(text);
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
                    "at " + where + " the text " + b + " (“" + t.getText() + "”) lies inside its bubble " + bubble);
        }
        // Line by line as laid out: no line runs past the bubble (JavaFX lays one Text of complex script out with every
        // line running on, its tail drawn again on the next), and the lines cover the text once, in order.
        List<javafx.scene.text.TextLineInfo> lines = onFx(() -> view.body().getLayoutInfo().getTextLines(false));
        Bounds body = onFx(() -> view.body().localToScene(view.body().getLayoutBounds()));
        int next = 0;
        for (var line : lines) {
            assertEquals(next, line.start(), "at " + where + " each line starts where the one before it ended");
            next = line.end();
            assertTrue(body.getMinX() + line.bounds().getMaxX() <= bubble.getMaxX() + 0.5,
                    "at " + where + " the line " + line.start() + "–" + line.end() + " (" + line.bounds() + ") lies inside its bubble " + bubble);
        }
        assertEquals(answer.length(), next, "at " + where + " the lines hold the whole text");
        Bounds window = onFx(() -> view.getScene().getRoot().localToScene(view.getScene().getRoot().getLayoutBounds()));
        assertTrue(bubble.getMaxX() <= window.getMaxX() + 0.5, "at " + where + " the bubble " + bubble + " fits the window " + window);
    }

    /** What model answers hold besides words and spaces: Windows line ends, tabs, runs of spaces, a bulleted list, wide characters. */
    static String awkwardAnswer() {
        return (" 1.\tThe goldfinch  reads   once.\r\n 2.\tIt keeps its cache.\r\n\r\n" + "• 金翅雀 reads the document — once — and keeps it; "
                + "https://example.org/a/very/long/address/without/any/spaces/that/goes/on/and/on/and/on/for/a/while.html\n").repeat(6).strip();
    }

    /** What a random-weight model writes (and a real one now and then): Latin, Cyrillic, Hangul and Han in one line, glyphs from fallback fonts. */
    static String mixedScripts() {
        return ("충anten estad AU Lensgravityологиgrade најcription geom negatively Dieseljak aidеня蒔 intest照 Doing Ven arbDs\u25cc\u0308\ufffd "
                + "Zum貌 Wel Hij Ratio fairnessLENdie Bl綴stick 眶다고武 Normanwhel Amazon fade Proxy automation卵;' живе=\".Pre rotated folders "
                + "아요 déjà comercialconvexAuto鉋 escaljQueryIndexPath\u25cc\u0308 \u0308Bald\u0301隠挽Large\u0301ículaánchezconverter FillChinaSimilarly{{\\NZ "
                + "\u0301abc隠挽defghi\u0308jkl隠挽mnopqr\u0301stu隠挽vwxyz\u0308abcd隠挽efghij "
                + "ab\u0301c隠de ab\u0301c隠de ab\u0301c隠de ab\u0301c隠de ab\u0301c隠de ab\u0301c隠de ab\u0301c隠de ab\u0301c隠de ").repeat(3).strip();
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
        for (String answer : List.of(longAnswer(), awkwardAnswer(), mixedScripts()))
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

    /**
     * Text that needs complex shaping (a combining mark), Han and Hangul (a line may end between two ideographs, so
     * inside a "word") and long words: at every width from narrow to wide, so a line ends inside each of them somewhere.
     */
    @Test
    void aMixedScriptAnswerWrapsRightAtEveryWidth() throws Exception {
        String answer = mixedScripts();
        Stage[] stage = new Stage[1];
        MessageView[] view = new MessageView[1];
        runFx(() -> {
            MessageView v = new MessageView(Role.ASSISTANT, answer);
            ScrollPane scroll = new ScrollPane(new VBox(10, v));
            scroll.setFitToWidth(true);
            Scene scene = new Scene(scroll, 380, 900);
            scene.getStylesheets().setAll(ReaderWindow.resource("base.css").toExternalForm(), ReaderWindow.resource("light.css").toExternalForm());
            Stage s = new Stage();
            s.setScene(scene);
            s.show();
            stage[0] = s;
            view[0] = v;
        });
        try {
            for (int width = 380; width <= 980; width += 6) {
                int w = width;
                runFx(() -> stage[0].setWidth(w));
                WaitForAsyncUtils.waitForFxEvents();
                assertDrawnWhole(view[0], answer, width + " px (mixed scripts)");
            }
            screenshot(stage[0].getScene(), "long-answer-mixed-scripts");
        } finally {
            runFx(() -> stage[0].close());
        }
    }

    /** Streamed in pieces of any size, an answer is laid out as the same Texts as when it comes whole. */
    @Test
    void aStreamedAnswerIsSplitAsTheWholeOneIs() {
        java.util.Random random = new java.util.Random(3);
        for (String answer : List.of(longAnswer(), awkwardAnswer(), mixedScripts())) {
            List<String> whole = onFx(() -> {
                WrappedText t = new WrappedText("message-text");
                t.setText(answer);
                return texts(t).stream().map(Text::getText).toList();
            });
            List<String> streamed = onFx(() -> {
                WrappedText t = new WrappedText("message-text");
                for (int i = 0; i < answer.length(); ) {
                    int n = Math.min(answer.length() - i, 1 + random.nextInt(6));
                    t.append(answer.substring(i, i + n));
                    i += n;
                }
                assertEquals(answer, t.getText());
                return texts(t).stream().map(Text::getText).toList();
            });
            assertEquals(whole, streamed);
            assertEquals(answer, String.join("", whole));
        }
    }
}
