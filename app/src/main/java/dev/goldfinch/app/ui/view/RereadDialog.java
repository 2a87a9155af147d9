package dev.goldfinch.app.ui.view;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/**
 * "Read “Flat” again from “House rules” on?": a change to a collection that reads more than a document added at its
 * end (a document moved or taken out), said with what it costs before it is made.
 */
public final class RereadDialog {
    private RereadDialog() {
    }

    /** Whether the person chose to go on; {@code cost} is the estimate ("1,234 tokens to read, about 2 min on this machine"). */
    public static boolean confirm(Window owner, String collection, String firstChanged, String cost) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION);
        confirm.initOwner(owner);
        confirm.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        confirm.setTitle("Change collection");
        confirm.setHeaderText("Read “" + collection + "” again from " + firstChanged + " on?");
        confirm.setContentText("The documents before it are not read again; it and every document after it are (" + cost + ").");
        ButtonType go = new ButtonType("Change and read", ButtonBar.ButtonData.OK_DONE);
        confirm.getButtonTypes().setAll(go, ButtonType.CANCEL);
        return confirm.showAndWait().orElse(ButtonType.CANCEL) == go;
    }
}
