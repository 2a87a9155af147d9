package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.library.ConversationMarkdown;
import dev.goldfinch.app.library.Places;
import dev.goldfinch.app.library.Source;
import dev.goldfinch.engine.store.Message.Role;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.scene.control.Hyperlink;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * One message of a conversation: the question, or the answer (streamed in, with a Copy button). An answer's thinking
 * (a G1 model's thought before it answered) sits folded in a "Thinking" pane above the answer's text, never in it.
 */
public final class MessageView extends VBox {
    private final Role role;
    private final WrappedText body = new WrappedText("message-text");
    private final Label footer = new Label();
    private final StringBuilder text = new StringBuilder();
    private final VBox sources = new VBox(2);
    private final WrappedText thinkingText = new WrappedText("message-thinking-text");
    private final TitledPane thinking = new TitledPane("Thinking", thinkingText);
    private final StringBuilder thought = new StringBuilder();
    private boolean pending;
    private List<Source> sourceList = List.of();
    private String sourceUnit = "page";

    public MessageView(Role role, String initial) {
        this.role = role;
        getStyleClass().addAll("message", role == Role.USER ? "message-user" : "message-assistant");
        Label who = new Label(role == Role.USER ? "You" : "GoldFinch");
        who.getStyleClass().add("message-role");
        body.setMinHeight(Region.USE_PREF_SIZE);
        footer.getStyleClass().add("message-footer");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox head = new HBox(6, who, grow);
        head.setAlignment(Pos.CENTER_LEFT);
        if (role == Role.ASSISTANT) {
            Button copy = new Button("Copy");
            copy.getStyleClass().addAll("small-button", "copy-answer");
            copy.setTooltip(new Tooltip("Copy this answer"));
            copy.setOnAction(e -> {
                ClipboardContent c = new ClipboardContent();
                c.putString(copyText());
                Clipboard.getSystemClipboard().setContent(c);
                footer.setText("copied");
            });
            copy.setFocusTraversable(true);
            head.getChildren().add(copy);
        }
        sources.getStyleClass().add("message-sources");
        thinkingText.setMaxWidth(Double.MAX_VALUE);
        thinkingText.setMinHeight(Region.USE_PREF_SIZE);
        thinking.getStyleClass().add("message-thinking");
        thinking.setExpanded(false);
        thinking.setAnimated(false);
        thinking.setManaged(false);
        thinking.setVisible(false);
        getChildren().addAll(head, thinking, body, sources, footer);
        footer.setManaged(false);
        footer.setVisible(false);
        sources.setManaged(false);
        sources.setVisible(false);
        setMaxWidth(Region.USE_PREF_SIZE);
        setFillWidth(true);
        set(initial);
    }

    public Role role() {
        return role;
    }

    public String text() {
        return text.toString();
    }

    /** What Copy puts on the clipboard: the text, then its sources one a line (as the Markdown export lists them). */
    public String copyText() {
        return ConversationMarkdown.answerWithSources(text(), sourceUnit, sourceList);
    }

    public WrappedText body() {
        return body;
    }

    public void append(String chunk) {
        boolean first = text.isEmpty(); // the body may still show the pending "…"
        text.append(chunk);
        if (first) body.setText(text.toString());
        else body.append(chunk);
        if (!thought.isEmpty()) showThinking();
    }

    public void set(String full) {
        text.setLength(0);
        text.append(full == null ? "" : full);
        body.setText(text.toString());
    }

    /** The folded pane that holds the thinking (shown only when there is some). */
    public TitledPane thinkingPane() {
        return thinking;
    }

    public String thinking() {
        return thought.toString();
    }

    public void appendThinking(String chunk) {
        thought.append(chunk);
        thinkingText.append(chunk);
        showThinking();
    }

    /** Replaces the thinking (null or empty: none, and the pane goes). */
    public void setThinking(String full) {
        thought.setLength(0);
        if (full != null) thought.append(full);
        thinkingText.setText(thought.toString());
        showThinking();
    }

    private void showThinking() {
        boolean show = !thought.isEmpty();
        thinking.setVisible(show);
        thinking.setManaged(show);
        // "Thinking…" while the model is still at it: nothing of the answer yet.
        thinking.setText(pending && text.isEmpty() ? "Thinking…" : "Thinking");
    }

    public void setPending(boolean pending) {
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("pending"), pending);
        this.pending = pending;
        if (pending && text.isEmpty()) body.setText("…");
        showThinking();
    }

    /**
     * Shows the passages behind a stored answer (their kind is theirs: an answer saved without sources shows none),
     * each where it lies in a document of {@code unit}; see {@link #setSources(List, Source.Kind, String, Consumer)}.
     */
    public void setSources(List<Source> list, String unit, Consumer<Source> onOpen) {
        if (list == null || list.isEmpty()) clearSources(unit);
        else setSources(list, Source.kindOf(list), unit, onOpen);
    }

    /**
     * Shows the passages behind the answer under the heading of their {@code kind} ("Sources (where the model
     * looked)", "Sources (passages matching the answer)"), each where it lies in a document of {@code unit} ("p. 12",
     * "Installation", "lines 120–140"); a click on one shows it in the document. No text match says so in a line.
     */
    public void setSources(List<Source> list, Source.Kind kind, String unit, Consumer<Source> onOpen) {
        clearSources(unit);
        sourceList = list == null ? List.of() : List.copyOf(list);
        boolean none = sourceList.isEmpty();
        if (none && kind != Source.Kind.TEXT_MATCH) return;
        sources.setVisible(true);
        sources.setManaged(true);
        Label title = new Label(ConversationMarkdown.heading(kind) + (none ? ": " + ConversationMarkdown.none(kind) : ""));
        title.getStyleClass().add("message-sources-title");
        title.setWrapText(true);
        title.setTooltip(new Tooltip(kind == Source.Kind.TEXT_MATCH
                ? "This model has no attention layers, so it cannot show where it looked: these are the document's sentences that "
                + "best match the question and the answer (a full-text search, BM25), best first."
                : "The sentences the model's attention layers looked at most while answering, in document order."));
        sources.getChildren().add(title);
        for (Source s : list) {
            String quote = s.text().length() > 110 ? s.text().substring(0, 107) + "…" : s.text();
            String share = ConversationMarkdown.share(s.share());
            Hyperlink link = new Hyperlink(String.format(Locale.ROOT, "%s · %s · “%s”", Places.brief(unit, s.page(), s.pageLabel()), share, quote));
            link.getStyleClass().add("source-link");
            link.setWrapText(true);
            link.setTooltip(new Tooltip("Show this passage in the document"));
            link.setOnAction(e -> onOpen.accept(s));
            sources.getChildren().add(link);
        }
    }

    private void clearSources(String unit) {
        sources.getChildren().clear();
        sourceList = List.of();
        sourceUnit = unit;
        sources.setVisible(false);
        sources.setManaged(false);
    }

    /** The heading over the sources ("Sources (passages matching the answer)"), or null when none is shown. */
    public String sourcesTitle() {
        return sources.getChildren().stream().filter(Label.class::isInstance).map(n -> ((Label) n).getText()).findFirst().orElse(null);
    }

    public List<Hyperlink> sourceLinks() {
        return sources.getChildren().stream().filter(Hyperlink.class::isInstance).map(Hyperlink.class::cast).toList();
    }

    public void setFooter(String s) {
        boolean show = s != null && !s.isEmpty();
        footer.setText(show ? s : "");
        footer.setVisible(show);
        footer.setManaged(show);
    }
}
