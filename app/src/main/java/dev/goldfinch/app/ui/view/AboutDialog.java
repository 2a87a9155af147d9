package dev.goldfinch.app.ui.view;

import javafx.scene.control.Alert;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.stage.Window;

/** Help → About: what the app does, and where its store and settings are. */
public final class AboutDialog {
    private AboutDialog() {
    }

    public static void show(Window owner, Image icon, String store, String settingsFile) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(owner);
        a.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        a.setTitle("About GoldFinch Reader");
        a.setHeaderText("GoldFinch Reader 0.1");
        a.setGraphic(new ImageView(icon));
        a.setContentText("Reads a document once with a GoldFinch model on this computer, keeps the model's compressed cache of it, "
                + "and answers questions from that cache.\n\nStore: " + store + "\nSettings: " + settingsFile);
        a.show();
    }
}
