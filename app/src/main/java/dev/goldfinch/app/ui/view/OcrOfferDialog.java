package dev.goldfinch.app.ui.view;

import java.nio.file.Path;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/**
 * A scanned PDF (its pages only images) was added: "Read with OCR" right there, or Cancel; where tesseract is not
 * installed, how to get it, and no OCR button.
 */
public final class OcrOfferDialog {
    /** The button that reads the file with OCR. */
    public static final ButtonType READ_WITH_OCR = new ButtonType("Read with OCR", ButtonBar.ButtonData.OK_DONE);

    private OcrOfferDialog() {
    }

    /** Whether the person chose "Read with OCR" (never, when tesseract is not installed). */
    public static boolean ask(Window owner, Path file, boolean tesseractInstalled) {
        return create(owner, file, tesseractInstalled).showAndWait().orElse(ButtonType.CANCEL) == READ_WITH_OCR;
    }

    /** The dialog, not shown yet. */
    public static Alert create(Window owner, Path file, boolean tesseractInstalled) {
        Alert a = new Alert(tesseractInstalled ? Alert.AlertType.CONFIRMATION : Alert.AlertType.INFORMATION);
        a.initOwner(owner);
        a.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        a.getDialogPane().setId("ocr-offer");
        a.setTitle("Scanned document");
        a.setHeaderText("“" + file.getFileName() + "” has no text layer: it looks scanned.");
        if (tesseractInstalled) {
            a.setContentText("Its pages are only images. GoldFinch can read their text with OCR (tesseract, installed here), "
                    + "a second or two per page. Check the text against the page: OCR can misread words.");
            a.getButtonTypes().setAll(READ_WITH_OCR, ButtonType.CANCEL);
            ((Button) a.getDialogPane().lookupButton(READ_WITH_OCR)).setId("read-with-ocr");
        } else {
            a.setContentText("""
                    Its pages are only images. Reading their text needs OCR with tesseract, which is not installed here. To get it:
                      • Debian, Ubuntu: sudo apt install tesseract-ocr
                      • macOS: brew install tesseract
                      • Windows: the UB Mannheim installer (github.com/UB-Mannheim/tesseract/wiki)
                    Then add the file again; it will be offered to be read with OCR.""");
            a.getButtonTypes().setAll(ButtonType.CLOSE);
        }
        return a;
    }
}
