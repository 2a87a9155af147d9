package dev.goldfinch.app.ui.view;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.stage.Window;

/**
 * Help → Where files are kept: the models folder, the library database, the settings and the log, each with its
 * path on this computer, a Copy button (the path to the clipboard) and an Open button (the folder that holds it, in
 * the file manager; off while that folder does not exist yet).
 */
public final class FilesDialog {
    /** One kind of file: what it is, where it is, and a short note ("the database of documents, readings and conversations"). */
    public record Place(String what, Path path, String note) {
        /** The folder the file manager opens: the place itself when it is a folder, else the one holding it. */
        public Path folder() {
            return Files.isDirectory(path) || path.getParent() == null ? path : path.getParent();
        }
    }

    private FilesDialog() {
    }

    /** {@code openFolder} shows a folder in the platform's file manager. */
    public static Alert show(Window owner, List<Place> places, Consumer<Path> openFolder) {
        GridPane grid = new GridPane();
        grid.setId("files-grid");
        grid.setHgap(8);
        grid.setVgap(4);
        grid.setPadding(new Insets(4));
        int row = 0;
        for (Place p : places) {
            String id = p.what().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]+", "-");
            Label what = new Label(p.what());
            what.setStyle("-fx-font-weight: bold;");
            Label note = new Label(p.note() + (Files.exists(p.path()) ? "" : " (not there yet)"));
            note.getStyleClass().add("hint");
            note.setWrapText(true);
            TextField path = new TextField(p.path().toString());
            path.setId("files-path-" + id);
            path.setEditable(false); // selectable, for copying a part of it
            GridPane.setHgrow(path, Priority.ALWAYS);
            Button copy = new Button("Copy");
            copy.setId("files-copy-" + id);
            copy.setOnAction(e -> {
                ClipboardContent c = new ClipboardContent();
                c.putString(p.path().toString());
                javafx.scene.input.Clipboard.getSystemClipboard().setContent(c);
            });
            Button open = new Button("Open folder");
            open.setId("files-open-" + id);
            open.setDisable(!Files.isDirectory(p.folder()));
            open.setOnAction(e -> openFolder.accept(p.folder()));
            grid.add(what, 0, row, 3, 1);
            grid.add(note, 0, row + 1, 3, 1);
            grid.add(path, 0, row + 2);
            grid.add(copy, 1, row + 2);
            grid.add(open, 2, row + 2);
            GridPane.setMargin(what, new Insets(row == 0 ? 0 : 8, 0, 0, 0));
            row += 3;
        }
        return HelpPage.show(owner, "Where files are kept", "Where GoldFinch Reader keeps its files on this computer", grid, 720);
    }
}
