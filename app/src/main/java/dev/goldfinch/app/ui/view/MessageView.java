package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.ui.store.ConversationRepository.Role;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** One message of a conversation: the question, or the answer (streamed in, with a Copy button). */
public final class MessageView extends VBox {
    private final Role role;
    private final Label body = new Label();
    private final Label footer = new Label();
    private final StringBuilder text = new StringBuilder();

    public MessageView(Role role, String initial) {
        this.role = role;
        getStyleClass().addAll("message", role == Role.USER ? "message-user" : "message-assistant");
        Label who = new Label(role == Role.USER ? "You" : "GoldFinch");
        who.getStyleClass().add("message-role");
        body.getStyleClass().add("message-text");
        body.setWrapText(true);
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
                c.putString(text());
                Clipboard.getSystemClipboard().setContent(c);
                footer.setText("copied");
            });
            copy.setFocusTraversable(true);
            head.getChildren().add(copy);
        }
        getChildren().addAll(head, body, footer);
        footer.setManaged(false);
        footer.setVisible(false);
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

    public Label body() {
        return body;
    }

    public void append(String chunk) {
        text.append(chunk);
        body.setText(text.toString());
    }

    public void set(String full) {
        text.setLength(0);
        text.append(full == null ? "" : full);
        body.setText(text.toString());
    }

    public void setPending(boolean pending) {
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("pending"), pending);
        if (pending && text.isEmpty()) body.setText("…");
    }

    public void setFooter(String s) {
        boolean show = s != null && !s.isEmpty();
        footer.setText(show ? s : "");
        footer.setVisible(show);
        footer.setManaged(show);
    }
}
