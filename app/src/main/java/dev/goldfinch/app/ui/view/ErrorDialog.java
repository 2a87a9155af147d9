package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.engine.EngineException;
import java.io.PrintWriter;
import java.io.StringWriter;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * An error as a person reads it: what failed (the header), the one-line reason, and the technical details
 * (the stack trace) folded away under "Show details". Every error shown is also logged.
 */
public final class ErrorDialog {
    private static final System.Logger LOG = System.getLogger("dev.goldfinch.app.ui");

    private ErrorDialog() {
    }

    /**
     * Shows a non-blocking error dialog; safe to call from any thread. An error that arrives after its window has
     * closed (work finishing while the app shuts down) is only logged.
     */
    public static void show(Window owner, String what, Throwable error) {
        Throwable t = Fx.cause(error);
        show(owner, what, message(t), details(t));
    }

    /** Shows an error made of several failures (one line each), with all their details. */
    public static void show(Window owner, String what, String message, String details) {
        LOG.log(System.Logger.Level.ERROR, what + ": " + message + "\n" + details);
        Fx.THREAD.execute(() -> {
            if (owner == null || owner.isShowing()) build(owner, what, message, details).show();
        });
    }

    static Alert build(Window owner, String what, String message, String details) {
        Alert alert = new Alert(Alert.AlertType.ERROR, "", ButtonType.OK);
        if (owner != null) {
            alert.initOwner(owner);
            alert.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        alert.setTitle("GoldFinch Reader — error");
        alert.setHeaderText(what);
        Label text = new Label(message);
        text.setWrapText(true);
        text.getStyleClass().add("error-message");
        text.setId("error-message");
        text.setMaxWidth(520);
        alert.getDialogPane().setContent(text);
        TextArea area = new TextArea(details);
        area.setEditable(false);
        area.setWrapText(false);
        area.setPrefRowCount(14);
        area.setPrefColumnCount(80);
        area.getStyleClass().add("error-details");
        VBox box = new VBox(6, new Label("Details (also written to the log):"), area);
        VBox.setVgrow(area, Priority.ALWAYS);
        alert.getDialogPane().setExpandableContent(box);
        alert.getDialogPane().getStyleClass().add("error-dialog");
        alert.setResizable(true);
        return alert;
    }

    /** The one line to show: the engine's and ingest's messages are already written for people. */
    public static String message(Throwable t) {
        if (t instanceof Error) return dev.goldfinch.app.FailureMessage.of(t);
        String m = t.getMessage();
        if (m == null || m.isBlank() || t instanceof NullPointerException) return "An internal error occurred (" + t.getClass().getSimpleName() + ").";
        String line = m.lines().findFirst().orElse(m).strip();
        return t instanceof EngineException || line.length() < 300 ? line : line.substring(0, 297) + "…";
    }

    public static String details(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
