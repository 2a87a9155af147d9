package dev.goldfinch.app.ui;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** The file choosers the window uses, and the file manager it shows folders in; tests put their own in place of the platform's. */
public interface FileDialogs {
    List<Path> chooseDocuments(Window owner);

    Optional<Path> chooseCheckpoint(Window owner);

    Optional<Path> chooseVocabulary(Window owner, Path near);

    /** Where the store (documents, caches, conversations) should live: an existing store or a new file. */
    Optional<Path> chooseStore(Window owner, Path current);

    /** Where an exported conversation (Markdown) is saved, offering {@code suggestedName}. */
    Optional<Path> chooseExportFile(Window owner, String suggestedName);

    /** Where a document's exported reading (.gfread) is saved, offering {@code suggestedName}. */
    Optional<Path> chooseReadingExport(Window owner, String suggestedName);

    /** A reading export (.gfread) to import. */
    Optional<Path> chooseReadingImport(Window owner);

    /** Where downloaded models go (a folder); the platform's folder chooser unless a test puts its own answer. */
    default Optional<Path> chooseModelsFolder(Window owner, Path current) {
        javafx.stage.DirectoryChooser dc = new javafx.stage.DirectoryChooser();
        dc.setTitle("Where to keep downloaded models");
        if (current != null && Files.isDirectory(current)) dc.setInitialDirectory(current.toFile());
        else if (current != null && current.getParent() != null && Files.isDirectory(current.getParent())) dc.setInitialDirectory(current.getParent().toFile());
        File f = dc.showDialog(owner);
        return f == null ? Optional.empty() : Optional.of(f.toPath());
    }

    /**
     * Shows a folder in the platform's file manager (xdg-open, open, explorer), started off the JavaFX thread; a
     * failure is logged (the path can still be copied).
     */
    default void showFolder(Path folder) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String opener = os.contains("mac") ? "open" : os.contains("win") ? "explorer" : "xdg-open";
        Thread.ofVirtual().name("goldfinch-show-folder").start(() -> {
            try {
                new ProcessBuilder(opener, folder.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (java.io.IOException e) {
                System.getLogger(FileDialogs.class.getName()).log(System.Logger.Level.WARNING, "cannot open " + folder + " with " + opener + ": " + e.getMessage());
            }
        });
    }

    /** The platform's file choosers. */
    final class Native implements FileDialogs {
        private File lastFolder;

        @Override
        public List<Path> chooseDocuments(Window owner) {
            FileChooser fc = chooser("Add documents");
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Documents", "*.pdf", "*.txt", "*.md", "*.text", "*.docx", "*.odt", "*.rtf", "*.html", "*.htm", "*.epub"),
                    new FileChooser.ExtensionFilter("All files", "*"));
            List<File> files = fc.showOpenMultipleDialog(owner);
            if (files == null || files.isEmpty()) return List.of();
            lastFolder = files.getFirst().getParentFile();
            return files.stream().map(File::toPath).toList();
        }

        @Override
        public Optional<Path> chooseCheckpoint(Window owner) {
            FileChooser fc = chooser("Open a GoldFinch checkpoint");
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("PyTorch checkpoints (*.pth)", "*.pth"), new FileChooser.ExtensionFilter("All files", "*"));
            return one(fc.showOpenDialog(owner));
        }

        @Override
        public Optional<Path> chooseVocabulary(Window owner, Path near) {
            FileChooser fc = chooser("Choose the vocabulary file (rwkv_vocab_v20230424.txt)");
            if (near != null && near.getParent() != null && Files.isDirectory(near.getParent())) fc.setInitialDirectory(near.getParent().toFile());
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Vocabulary (*.txt)", "*.txt"), new FileChooser.ExtensionFilter("All files", "*"));
            return one(fc.showOpenDialog(owner));
        }

        @Override
        public Optional<Path> chooseStore(Window owner, Path current) {
            FileChooser fc = chooser("Where to keep the library (a .sqlite store)");
            if (current != null && current.getParent() != null && Files.isDirectory(current.getParent())) {
                fc.setInitialDirectory(current.getParent().toFile());
                fc.setInitialFileName(current.getFileName().toString());
            }
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("GoldFinch stores (*.sqlite)", "*.sqlite"), new FileChooser.ExtensionFilter("All files", "*"));
            return one(fc.showSaveDialog(owner));
        }

        @Override
        public Optional<Path> chooseExportFile(Window owner, String suggestedName) {
            FileChooser fc = chooser("Export the conversation as Markdown");
            if (suggestedName != null) fc.setInitialFileName(suggestedName);
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Markdown (*.md)", "*.md"), new FileChooser.ExtensionFilter("All files", "*"));
            return one(fc.showSaveDialog(owner));
        }

        @Override
        public Optional<Path> chooseReadingExport(Window owner, String suggestedName) {
            FileChooser fc = chooser("Export the reading (for the same model elsewhere)");
            if (suggestedName != null) fc.setInitialFileName(suggestedName);
            fc.getExtensionFilters().addAll(READINGS, new FileChooser.ExtensionFilter("All files", "*"));
            return one(fc.showSaveDialog(owner));
        }

        @Override
        public Optional<Path> chooseReadingImport(Window owner) {
            FileChooser fc = chooser("Import a reading");
            fc.getExtensionFilters().addAll(READINGS, new FileChooser.ExtensionFilter("All files", "*"));
            return one(fc.showOpenDialog(owner));
        }

        private static final FileChooser.ExtensionFilter READINGS = new FileChooser.ExtensionFilter("GoldFinch readings (*.gfread)", "*.gfread");

        private FileChooser chooser(String title) {
            FileChooser fc = new FileChooser();
            fc.setTitle(title);
            if (lastFolder != null && lastFolder.isDirectory()) fc.setInitialDirectory(lastFolder);
            return fc;
        }

        private Optional<Path> one(File f) {
            if (f == null) return Optional.empty();
            lastFolder = f.getParentFile();
            return Optional.of(f.toPath());
        }
    }
}
