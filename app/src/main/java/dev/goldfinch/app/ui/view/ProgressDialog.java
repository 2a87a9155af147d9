package dev.goldfinch.app.ui.view;

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
 * A long piece of work that can be stopped: what it does, what step it is at ("OCR page 3 of 12", "Checking the model
 * file (SHA-256): 45%"), a bar, and Cancel. Not modal: the window stays usable while it runs. Its nodes' ids start with
 * the id it is given ({@code ID-progress}, {@code ID-bar}, {@code cancel-ID}) so tests find them.
 */
public final class ProgressDialog {
    private final Stage stage = new Stage(StageStyle.UTILITY);
    private final Label step;
    private final ProgressBar bar = new ProgressBar(ProgressBar.INDETERMINATE_PROGRESS);
    private final Button cancel = new Button("Cancel");

    /**
     * @param stepId the id of the line that says the step
     * @param first  that line before the first step
     */
    public ProgressDialog(Window owner, String title, String heading, String id, String stepId, String first, Runnable onCancel) {
        step = new Label(first);
        stage.initOwner(owner);
        stage.initModality(Modality.NONE);
        stage.setTitle(title);
        step.setId(stepId);
        bar.setId(id + "-bar");
        bar.setMaxWidth(Double.MAX_VALUE);
        cancel.setId("cancel-" + id);
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
        box.setId(id + "-progress");
        box.setPrefWidth(440);
        box.setStyle("-fx-padding: 16;");
        Scene scene = new Scene(box);
        scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        stage.setScene(scene);
    }

    public void show() {
        stage.show();
    }

    /** The step in words and its share done, 0 to 1 (negative: not known); JavaFX thread. Ignored once cancelling. */
    public void step(String text, double share) {
        if (cancel.isDisabled()) return;
        step.setText(text);
        bar.setProgress(share < 0 ? ProgressBar.INDETERMINATE_PROGRESS : Math.min(1, share));
    }

    public void close() {
        stage.close();
    }
}
