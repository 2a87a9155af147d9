package dev.goldfinch.app.ui.view;

import java.util.Optional;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TextInputDialog;
import javafx.stage.Window;

/** "New collection": its name (documents are added to it afterwards, from the library's context menu or by dragging). */
public final class NewCollectionDialog {
    private NewCollectionDialog() {
    }

    /** The name typed, stripped; empty when cancelled or left blank. */
    public static Optional<String> ask(Window owner, String suggestion) {
        TextInputDialog d = new TextInputDialog(suggestion);
        d.initOwner(owner);
        d.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        d.setTitle("New collection");
        d.setHeaderText("A collection reads its documents one after another into one reading; a document added later is all that is read then.");
        d.setContentText("Name:");
        d.getEditor().setId("collection-name");
        Button ok = (Button) d.getDialogPane().lookupButton(ButtonType.OK);
        ok.disableProperty().bind(d.getEditor().textProperty().map(String::isBlank));
        return d.showAndWait().map(String::strip).filter(s -> !s.isEmpty());
    }
}
