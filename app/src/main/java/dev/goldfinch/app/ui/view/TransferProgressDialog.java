package dev.goldfinch.app.ui.view;

import java.util.Locale;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.StageStyle;
import javafx.stage.Window;

/**
 * A reading being exported or imported: what it does now ("Checking the model file (SHA-256): 45%"), a bar, and
 * Cancel (an export then leaves no file, an import changes nothing). Not modal: the window stays usable.
 */
public final class TransferProgressDialog {
    private final Stage stage = new Stage(StageStyle.UTILITY);
    private final Label step = new Label("Starting…");
    private final ProgressBar bar = new ProgressBar(ProgressBar.INDETERMINATE_PROGRESS);
    private final Button cancel = new Button("Cancel");

    public TransferProgressDialog(Window owner, String title, String heading, Runnable onCancel) {
        stage.initOwner(owner);
        stage.initModality(Modality.NONE);
        stage.setTitle(title);
        step.setId("transfer-step");
        bar.setId("transfer-bar");
        bar.setMaxWidth(Double.MAX_VALUE);
        cancel.setId("cancel-transfer");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> {
            cancel.setDisable(true);
            step.setText("Cancelling…");
            onCancel.run();
        });
        stage.setOnCloseRequest(e -> {
            e.consume(); // closing it is cancelling it: the dialog goes when the work has stopped
            cancel.fire();
        });
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        VBox box = new VBox(10, new Label(heading), bar, new HBox(8, step, gap, cancel));
        box.setId("transfer-progress");
        box.setPrefWidth(460);
        box.setStyle("-fx-padding: 16;");
        Scene scene = new Scene(box);
        scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        stage.setScene(scene);
    }

    public void show() {
        stage.show();
    }

    /** The step and its share done (JavaFX thread). */
    public void progress(String what, long done, long total) {
        if (cancel.isDisabled()) return;
        double share = total <= 0 ? 1 : Math.min(1, (double) done / total);
        step.setText(Character.toUpperCase(what.charAt(0)) + what.substring(1) + String.format(Locale.ROOT, ": %.0f%%", 100 * share));
        bar.setProgress(share);
    }

    public void close() {
        stage.close();
    }
}
