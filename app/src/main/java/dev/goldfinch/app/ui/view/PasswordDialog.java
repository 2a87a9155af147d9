package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.ingest.IngestOptions;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The password of a locked document, asked while it is being added; after a wrong one it comes back saying so,
 * until the right one, Cancel, or the few tries ingest allows.
 */
public final class PasswordDialog {
    private PasswordDialog() {
    }

    /** Asks the person at {@code owner} for passwords, again after a wrong one. */
    public static IngestOptions.PasswordSupplier asking(Window owner) {
        return new IngestOptions.PasswordSupplier() {
            @Override
            public String passwordFor(Path file) {
                return ask(owner, file, false);
            }

            @Override
            public String passwordAfterWrong(Path file, int wrong) {
                return ask(owner, file, true);
            }
        };
    }

    /**
     * Asks for the password of {@code file} on the JavaFX thread and waits for it (called by ingest on the import
     * thread); null when the person cancels. {@code wrongBefore}: the last one given was wrong, and the dialog says so.
     */
    public static String ask(Window owner, Path file, boolean wrongBefore) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Fx.THREAD.execute(() -> {
            Dialog<String> d = new Dialog<>();
            d.initOwner(owner);
            d.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
            d.getDialogPane().setId("password-dialog");
            d.setTitle("Password");
            d.setHeaderText("“" + file.getFileName() + "” is protected by a password.");
            PasswordField field = new PasswordField();
            field.setId("document-password");
            field.setPromptText("Password");
            VBox content = new VBox(8);
            if (wrongBefore) {
                Label wrong = new Label("That password is wrong. Try again, or Cancel to leave the document out:");
                wrong.setId("password-wrong");
                content.getChildren().add(wrong);
            } else {
                content.getChildren().add(new Label("Enter its password to add it to the library:"));
            }
            content.getChildren().add(field);
            d.getDialogPane().setContent(content);
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
