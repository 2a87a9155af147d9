package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.library.OcrProgressText;
import java.nio.file.Path;
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
import javafx.scene.Scene;

/**
 * A scanned PDF being read with OCR: "OCR page 3 of 12", a bar, and Cancel (which stops tesseract; nothing is
 * added). Not modal: the window stays usable while it runs.
 */
public final class OcrProgressDialog {
    private final Stage stage = new Stage(StageStyle.UTILITY);
    private final Label pages = new Label("Starting OCR…");
    private final ProgressBar bar = new ProgressBar(ProgressBar.INDETERMINATE_PROGRESS);
    private final Button cancel = new Button("Cancel");

    public OcrProgressDialog(Window owner, Path file, Runnable onCancel) {
        stage.initOwner(owner);
        stage.initModality(Modality.NONE);
        stage.setTitle("Reading with OCR");
        pages.setId("ocr-pages");
        bar.setId("ocr-bar");
        bar.setMaxWidth(Double.MAX_VALUE);
        cancel.setId("cancel-ocr");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> {
            cancel.setDisable(true);
            pages.setText("Cancelling…");
            onCancel.run();
        });
        stage.setOnCloseRequest(e -> {
            e.consume(); // closing it is cancelling it: the dialog goes when the reading has stopped
            cancel.fire();
        });
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        VBox box = new VBox(10, new Label("Reading “" + file.getFileName() + "” with OCR…"), bar, new HBox(8, pages, gap, cancel));
        box.setId("ocr-progress");
        box.setPrefWidth(420);
        box.setStyle("-fx-padding: 16;");
        Scene scene = new Scene(box);
        scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        stage.setScene(scene);
    }

    public void show() {
        stage.show();
    }

    /** {@code done} of {@code total} scanned pages read (JavaFX thread). */
    public void pages(int done, int total) {
        if (cancel.isDisabled()) return;
        pages.setText(OcrProgressText.of(done, total));
        bar.setProgress(total == 0 ? ProgressBar.INDETERMINATE_PROGRESS : (double) done / total);
    }

    public void close() {
        stage.close();
    }
}
