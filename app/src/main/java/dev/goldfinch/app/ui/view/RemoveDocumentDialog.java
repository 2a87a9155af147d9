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
        return confirm(owner, title, cacheBytes, false);
    }

    /** Like {@link #confirm(Window, String, long)}; a collection's documents stay in the library, and a document stays in its collections. */
    public static boolean confirm(Window owner, String title, long cacheBytes, boolean collection) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION);
        confirm.initOwner(owner);
        confirm.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        confirm.setTitle(collection ? "Remove collection" : "Remove document");
        confirm.setHeaderText("Remove “" + title + "” from the library?");
        confirm.setContentText("Its saved reading" + (cacheBytes > 0 ? " (" + Format.bytes(cacheBytes) + ")" : "")
                + " and its conversations are deleted too. " + (collection ? "The documents it holds stay in the library."
                : "The file itself is not touched, and the collections that hold it keep it."));
        ButtonType remove = new ButtonType("Remove", ButtonBar.ButtonData.OK_DONE);
        confirm.getButtonTypes().setAll(remove, ButtonType.CANCEL);
        ((Button) confirm.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        ((Button) confirm.getDialogPane().lookupButton(remove)).setDefaultButton(false);
        return confirm.showAndWait().orElse(ButtonType.CANCEL) == remove;
    }
}
