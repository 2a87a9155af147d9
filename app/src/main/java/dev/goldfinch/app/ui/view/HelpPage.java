package dev.goldfinch.app.ui.view;

import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/** What the Help menu's pages share: a dialog over the window, in its theme, with a header, the page and Close. */
final class HelpPage {
    private HelpPage() {
    }

    /** Shows the page (not waiting for it to close) and returns its dialog. */
    static Alert show(Window owner, String title, String header, Node page, double width) {
        Alert a = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.CLOSE);
        a.initOwner(owner);
        a.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        a.setTitle(title);
        a.setHeaderText(header);
        a.setGraphic(null);
        a.getDialogPane().setContent(page);
        a.getDialogPane().setPrefWidth(width);
        a.show();
        return a;
    }
}
