package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.library.OcrProgressText;
import java.nio.file.Path;
import javafx.stage.Window;

/** A scanned PDF being read with OCR: "OCR page 3 of 12", a bar, and Cancel (which stops tesseract; nothing is added). */
public final class OcrProgressDialog {
    private final ProgressDialog dialog;

    public OcrProgressDialog(Window owner, Path file, Runnable onCancel) {
        dialog = new ProgressDialog(owner, "Reading with OCR", "Reading “" + file.getFileName() + "” with OCR…", "ocr", "ocr-pages", "Starting OCR…", onCancel);
    }

    public void show() {
        dialog.show();
    }

    /** {@code done} of {@code total} scanned pages read (JavaFX thread). */
    public void pages(int done, int total) {
        dialog.step(OcrProgressText.of(done, total), total == 0 ? -1 : (double) done / total);
    }

    public void close() {
        dialog.close();
    }
}
