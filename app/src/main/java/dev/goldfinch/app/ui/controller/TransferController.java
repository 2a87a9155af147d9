package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.library.ReadingTransfer;
import dev.goldfinch.app.ui.FileDialogs;
import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.ui.service.Job;
import dev.goldfinch.app.ui.view.ErrorDialog;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.LibraryPane;
import dev.goldfinch.app.ui.view.ProgressDialog;
import dev.goldfinch.engine.store.TransferCancelledException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * File → Export reading… and File → Import reading…: the selected document's reading by the model in use written to
 * one file chosen in a save dialog, and such a file taken into the library (the document is then asked about at once,
 * with no reading). Both show their progress (a large model's SHA-256 takes a while the first time) with Cancel;
 * what was done is said in the status bar, a refusal in a one-line error dialog.
 */
public final class TransferController {
    private final WindowShell window;
    private final LibraryPane library;
    private final Supplier<FileDialogs> dialogs;

    public TransferController(WindowShell window, LibraryPane library, Supplier<FileDialogs> dialogs) {
        this.window = window;
        this.library = library;
        this.dialogs = dialogs;
    }

    /** Asks where, then exports; completes with the file written, or empty (nothing to export, cancelled, refused). */
    public CompletableFuture<Optional<Path>> exportReading() {
        Optional<LibraryEntry> selected = library.selected();
        if (window.service() == null || window.service().model().isEmpty() || selected.isEmpty()) {
            window.statusBar().showMessage("Select a read document to export its reading.");
            return CompletableFuture.completedFuture(Optional.empty());
        }
        LibraryEntry entry = selected.get();
        Optional<Path> file = dialogs.get().chooseReadingExport(window.stage(), ReadingTransfer.fileName(entry.title()));
        if (file.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
        Path target = file.get();
        return run("Export the reading", "Exporting the reading of “" + entry.title() + "”…", "Cannot export the reading",
                progress -> window.service().exportReading(entry.id(), target, progress)).thenApply(done -> done.map(d -> target));
    }

    /** Asks for a file, then imports it; completes with the imported document's id, or empty. */
    public CompletableFuture<Optional<Long>> importReading() {
        if (window.service() == null || window.service().model().isEmpty()) {
            window.statusBar().showMessage("Open a model first: a reading is imported for the model it was made with.");
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Optional<Path> file = dialogs.get().chooseReadingImport(window.stage());
        if (file.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
        return run("Import a reading", "Importing “" + file.get().getFileName() + "”…", "Cannot import " + file.get().getFileName(),
                progress -> window.service().importReading(file.get(), progress)).thenCompose(done -> {
                    if (done.isEmpty()) return CompletableFuture.completedFuture(Optional.<Long>empty());
                    long id = done.get().documentId();
                    return window.refreshLibrary().thenApplyAsync(list -> {
                        library.select(id);
                        return Optional.of(id);
                    }, Fx.THREAD);
                });
    }

    private interface Start {
        Job<ReadingTransfer.Done> start(dev.goldfinch.engine.store.TransferProgress progress);
    }

    /** Runs one transfer with its progress dialog; what it did goes to the status bar, a failure to a dialog. */
    private CompletableFuture<Optional<ReadingTransfer.Done>> run(String title, String heading, String failed, Start start) {
        AtomicReference<Job<ReadingTransfer.Done>> job = new AtomicReference<>();
        ProgressDialog dialog = new ProgressDialog(window.stage(), title, heading, "transfer", "transfer-step", "Starting…", () -> job.get().cancel());
        job.set(start.start((step, done, total) -> dialog.step(String.format(java.util.Locale.ROOT, "%s: %.0f%%", capitalized(step),
                total <= 0 ? 100.0 : 100.0 * Math.min(done, total) / total), total <= 0 ? 1 : (double) done / total)));
        dialog.show();
        window.statusBar().showMessage(heading);
        return job.get().result().handleAsync((done, t) -> {
            dialog.close();
            if (t == null) {
                window.statusBar().showMessage(capitalized(done.line()) + ".");
                return Optional.of(done);
            }
            Throwable c = Fx.cause(t);
            if (c instanceof TransferCancelledException) {
                window.statusBar().showMessage(capitalized(c.getMessage()) + ".");
            } else {
                window.statusBar().showMessage(failed + ".");
                ErrorDialog.show(window.stage(), failed, c);
            }
            return Optional.<ReadingTransfer.Done>empty();
        }, Fx.THREAD);
    }

    private static String capitalized(String s) {
        return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
