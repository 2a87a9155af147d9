package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.ui.FileDialogs;
import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.ui.view.ErrorDialog;
import dev.goldfinch.app.ui.view.LibraryPane;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;

/**
 * Adding documents: Ctrl+O, files dropped on the window; each new one is read at once. Failures of several files
 * are shown together in one dialog. (The password of a locked PDF is asked by the import itself, through the
 * window's {@link dev.goldfinch.app.ui.view.PasswordDialog}.)
 */
public final class ImportController {
    private final WindowShell window;
    private final LibraryPane library;
    private final Supplier<FileDialogs> dialogs;
    private final ReadingController reading;

    public ImportController(WindowShell window, LibraryPane library, Supplier<FileDialogs> dialogs, ReadingController reading) {
        this.window = window;
        this.library = library;
        this.dialogs = dialogs;
        this.reading = reading;
    }

    private boolean modelLoaded() {
        ReaderService s = window.service();
        return s != null && s.model().isPresent();
    }

    /** Ctrl+O: choose documents and add them. */
    public void choose() {
        if (!modelLoaded()) return;
        List<Path> files = dialogs.get().chooseDocuments(window.stage());
        if (!files.isEmpty()) importFiles(files);
    }

    /** Adds files to the library and reads each new one; failures are shown together in one dialog. */
    public CompletableFuture<Void> importFiles(List<Path> files) {
        if (!modelLoaded()) {
            ErrorDialog.show(window.stage(), "Cannot add documents", new IllegalStateException("open a model first (File → Open a checkpoint…)"));
            return CompletableFuture.completedFuture(null);
        }
        window.statusBar().showMessage(files.size() == 1 ? "Adding " + files.getFirst().getFileName() + "…" : "Adding " + files.size() + " documents…");
        List<CompletableFuture<?>> all = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        StringBuilder details = new StringBuilder();
        for (Path f : files) {
            all.add(window.service().importFile(f).handleAsync((imported, t) -> {
                if (t != null) {
                    Throwable c = Fx.cause(t);
                    String line = ErrorDialog.message(c);
                    failures.add(line.contains(f.getFileName().toString()) ? line : f.getFileName() + ": " + line);
                    details.append(f).append(":\n").append(ErrorDialog.details(c)).append('\n');
                    return null;
                }
                window.statusBar().showMessage(imported.alreadyThere() ? "“" + imported.title() + "” is already in the library." : "Added “" + imported.title() + "”.");
                window.refreshLibrary().thenRunAsync(() -> {
                    library.select(imported.documentId());
                    library.entry(imported.documentId()).filter(e -> e.state() != CacheState.READY).ifPresent(reading::read);
                }, Fx.THREAD);
                return null;
            }, Fx.THREAD));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenRunAsync(() -> {
            if (failures.isEmpty()) return;
            String what = failures.size() == 1 ? "Cannot add " + files.stream().filter(p -> failures.getFirst().contains(p.getFileName().toString()))
                    .findFirst().map(p -> p.getFileName().toString()).orElse("the document") : "Cannot add " + failures.size() + " documents";
            window.statusBar().showMessage(what + ".");
            ErrorDialog.show(window.stage(), what, String.join("\n", failures), details.toString());
        }, Fx.THREAD);
    }

    public void dragOver(DragEvent e) {
        if (e.getDragboard().hasFiles() && modelLoaded()) e.acceptTransferModes(TransferMode.COPY);
        e.consume();
    }

    public void dragDropped(DragEvent e) {
        boolean ok = e.getDragboard().hasFiles();
        if (ok) importFiles(e.getDragboard().getFiles().stream().map(java.io.File::toPath).toList());
        e.setDropCompleted(ok);
        e.consume();
    }
}
