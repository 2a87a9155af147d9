package dev.goldfinch.app.ui.view;

import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/** "Remove “…” from the library?": what goes with it (its reading, its conversations) and that the file stays. Cancel is the default. */
public final class RemoveDocumentDialog {
    private RemoveDocumentDialog() {
    }

    /** Whether the person chose Remove. */
    public static boolean confirm(Window owner, String title, long cacheBytes) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION);
        confirm.initOwner(owner);
        confirm.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        confirm.setTitle("Remove document");
        confirm.setHeaderText("Remove “" + title + "” from the library?");
        confirm.setContentText("Its saved reading" + (cacheBytes > 0 ? " (" + Format.bytes(cacheBytes) + ")" : "")
                + " and its conversations are deleted too. The file itself is not touched.");
        ButtonType remove = new ButtonType("Remove", ButtonBar.ButtonData.OK_DONE);
        confirm.getButtonTypes().setAll(remove, ButtonType.CANCEL);
        ((Button) confirm.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        ((Button) confirm.getDialogPane().lookupButton(remove)).setDefaultButton(false);
        return confirm.showAndWait().orElse(ButtonType.CANCEL) == remove;
    }
}
