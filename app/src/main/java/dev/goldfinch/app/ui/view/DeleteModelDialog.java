package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.models.LocalModel;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/**
 * "Delete the model “…”?": the file and its size, and that the documents it read stay in the library but need reading
 * again with another model. Cancel is the default.
 */
public final class DeleteModelDialog {
    private DeleteModelDialog() {
    }

    /** The question asked, as the dialog words it (a test reads it). */
    public static String text(LocalModel m) {
        return "This deletes " + m.checkpoint().getFileName() + " (" + Format.bytes(m.bytes()) + ") from " + m.checkpoint().getParent()
                + ". The documents it read stay in the library with their conversations, but their readings were made by this model: "
                + "another model reads them again before it answers about them.";
    }

    /** Whether the person chose Delete. */
    public static boolean confirm(Window owner, LocalModel m) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION);
        confirm.initOwner(owner);
        confirm.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        confirm.setTitle("Delete model");
        confirm.setHeaderText("Delete the model “" + m.name() + "”?");
        confirm.setContentText(text(m));
        ButtonType delete = new ButtonType("Delete", ButtonBar.ButtonData.OK_DONE);
        confirm.getButtonTypes().setAll(delete, ButtonType.CANCEL);
        ((Button) confirm.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        ((Button) confirm.getDialogPane().lookupButton(delete)).setDefaultButton(false);
        return confirm.showAndWait().orElse(ButtonType.CANCEL) == delete;
    }
}
