package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.ui.Fx;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** The password of a locked document, asked while it is being added. */
public final class PasswordDialog {
    private PasswordDialog() {
    }

    /**
     * Asks for the password of {@code file} on the JavaFX thread and waits for it (called by ingest on the import
     * thread); null when the person cancels.
     */
    public static String ask(Window owner, Path file) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Fx.THREAD.execute(() -> {
            Dialog<String> d = new Dialog<>();
            d.initOwner(owner);
            d.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
            d.setTitle("Password");
            d.setHeaderText("“" + file.getFileName() + "” is protected by a password.");
            PasswordField field = new PasswordField();
            field.setId("document-password");
            field.setPromptText("Password");
            d.getDialogPane().setContent(new VBox(8, new Label("Enter its password to add it to the library:"), field));
            d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
            d.setResultConverter(b -> b == ButtonType.OK ? field.getText() : null);
            javafx.application.Platform.runLater(field::requestFocus);
            answer.complete(d.showAndWait().orElse(null));
        });
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        }
    }
}
