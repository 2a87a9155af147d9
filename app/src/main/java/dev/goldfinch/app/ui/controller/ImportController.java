package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.library.Library;
import dev.goldfinch.app.library.OcrProgressText;
import dev.goldfinch.app.ui.FileDialogs;
import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.ui.service.Job;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.ui.view.ErrorDialog;
import dev.goldfinch.app.ui.view.LibraryPane;
import dev.goldfinch.app.ui.view.OcrOfferDialog;
import dev.goldfinch.app.ui.view.OcrProgressDialog;
import dev.goldfinch.ingest.IngestException;
import dev.goldfinch.ingest.pdf.Tesseract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;

/**
 * Adding documents: Ctrl+O, files dropped on the window; each new one is read at once. Failures of several files
 * are shown together in one dialog. A scanned PDF is offered to be read with OCR right there (with its progress page
 * by page and Cancel); a locked PDF whose password the person did not give (Cancel in the window's
 * {@link dev.goldfinch.app.ui.view.PasswordDialog}, asked by the import itself) is said in one line, not as an error.
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

    /**
     * Adds files to the library and reads each new one; failures are shown together in one dialog, then each scanned
     * PDF is offered to be read with OCR. The future completes when every file is added or has failed, and the offers
     * have been answered (an OCR reading chosen there goes on after it).
     */
    public CompletableFuture<Void> importFiles(List<Path> files) {
        if (!modelLoaded()) {
            ErrorDialog.show(window.stage(), "Cannot add documents", new IllegalStateException("open a model first (File → Open a checkpoint…)"));
            return CompletableFuture.completedFuture(null);
        }
        window.statusBar().showMessage(files.size() == 1 ? "Adding " + files.getFirst().getFileName() + "…" : "Adding " + files.size() + " documents…");
        List<CompletableFuture<?>> all = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> notAdded = new ArrayList<>();
        List<Path> scanned = new ArrayList<>();
        StringBuilder details = new StringBuilder();
        for (Path f : files) {
            all.add(window.service().importFile(f).handleAsync((imported, t) -> {
                if (t == null) {
                    added(imported);
                    return null;
                }
                Throwable c = Fx.cause(t);
                IngestException.Reason reason = c instanceof IngestException ie ? ie.reason() : null;
                String notAddedLine = notAddedLine(f, reason);
                if (reason == IngestException.Reason.NO_TEXT_LAYER) {
                    scanned.add(f);
                } else if (notAddedLine != null) {
                    notAdded.add(notAddedLine);
                } else {
                    String line = ErrorDialog.message(c);
                    failures.add(line.contains(f.getFileName().toString()) ? line : f.getFileName() + ": " + line);
                    details.append(f).append(":\n").append(ErrorDialog.details(c)).append('\n');
                }
                return null;
            }, Fx.THREAD));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenRunAsync(() -> {
            if (!notAdded.isEmpty()) window.statusBar().showMessage(String.join(" ", notAdded));
            if (!failures.isEmpty()) {
                String what = failures.size() == 1 ? "Cannot add " + files.stream().filter(p -> failures.getFirst().contains(p.getFileName().toString()))
                        .findFirst().map(p -> p.getFileName().toString()).orElse("the document") : "Cannot add " + failures.size() + " documents";
                window.statusBar().showMessage(what + ".");
                ErrorDialog.show(window.stage(), what, String.join("\n", failures), details.toString());
            }
            for (Path f : scanned) offerOcr(f);
        }, Fx.THREAD);
    }

    /** The one line for a file the person chose not to add (no password given, a reading cancelled); null for a failure. */
    private static String notAddedLine(Path f, IngestException.Reason reason) {
        if (reason == null) return null;
        String name = "“" + f.getFileName() + "” was not added: ";
        return switch (reason) {
            case ENCRYPTED -> name + "it is locked and no password was given.";
            case WRONG_PASSWORD -> name + "it is locked and the password given was wrong.";
            case CANCELLED -> name + "adding it was cancelled.";
            default -> null;
        };
    }

    /** A scanned PDF: "Read with OCR" or Cancel (or, without tesseract, how to get it). */
    private void offerOcr(Path f) {
        boolean installed = Tesseract.available();
        if (OcrOfferDialog.ask(window.stage(), f, installed)) {
            readWithOcr(f);
        } else {
            window.statusBar().showMessage("“" + f.getFileName() + "” was not added: it is scanned" + (installed ? " and was not read with OCR." : " and tesseract is not installed."));
        }
    }

    /** Adds a scanned PDF with OCR, its progress page by page in a dialog with Cancel; the choice is kept with the document. */
    private void readWithOcr(Path f) {
        java.util.concurrent.atomic.AtomicReference<Job<Library.Added>> job = new java.util.concurrent.atomic.AtomicReference<>();
        OcrProgressDialog progress = new OcrProgressDialog(window.stage(), f, () -> job.get().cancel());
        job.set(window.service().importFile(f, true, (done, total) -> {
            progress.pages(done, total);
            window.statusBar().showMessage(OcrProgressText.of(done, total) + " of “" + f.getFileName() + "”…");
        }));
        progress.show();
        window.statusBar().showMessage("Reading “" + f.getFileName() + "” with OCR…");
        job.get().result().whenCompleteAsync((imported, t) -> {
            progress.close();
            if (t == null) {
                added(imported);
                return;
            }
            Throwable c = Fx.cause(t);
            String line = c instanceof IngestException ie ? notAddedLine(f, ie.reason()) : null;
            if (line != null) {
                window.statusBar().showMessage(line);
            } else {
                window.statusBar().showMessage("Cannot add " + f.getFileName() + ".");
                ErrorDialog.show(window.stage(), "Cannot add " + f.getFileName(), c);
            }
        }, Fx.THREAD);
    }

    /** A file is in the library: say so, select it and read it if it is not read yet. */
    private void added(Library.Added imported) {
        window.statusBar().showMessage(imported.alreadyThere() ? "“" + imported.title() + "” is already in the library." : "Added “" + imported.title() + "”.");
        window.refreshLibrary().thenRunAsync(() -> {
            library.select(imported.documentId());
            library.entry(imported.documentId()).filter(e -> e.state() != CacheState.READY).ifPresent(reading::read);
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
