package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.library.DocumentStatus;
import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.ui.view.ConversationPane;
import dev.goldfinch.app.ui.view.DocumentPane;
import dev.goldfinch.app.ui.view.ErrorDialog;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.LibraryPane;
import dev.goldfinch.app.ui.view.RemoveDocumentDialog;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The library pane kept up to date with the store, and removing a document (after asking). */
public final class LibraryController {
    private final WindowShell window;
    private final LibraryPane library;
    private final ConversationPane conversation;
    private final DocumentPane documentPane;
    private final ReadingController reading;

    public LibraryController(WindowShell window, LibraryPane library, ConversationPane conversation, DocumentPane documentPane, ReadingController reading) {
        this.window = window;
        this.library = library;
        this.conversation = conversation;
        this.documentPane = documentPane;
        this.reading = reading;
    }

    /** Every document with where its reading stands; the last one is selected when none is. */
    public CompletableFuture<List<DocumentStatus>> refresh() {
        if (window.service() == null || window.closing()) return CompletableFuture.completedFuture(List.of());
        return window.service().library().whenCompleteAsync((list, t) -> {
            if (t != null) {
                ErrorDialog.show(window.stage(), "Cannot read the library", t);
                return;
            }
            library.update(list);
            if (library.selected().isEmpty() && !list.isEmpty()) library.select(list.getLast().id());
            library.selected().ifPresent(conversation::setDocument);
        }, Fx.THREAD);
    }

    /** Asks, then removes the document with its saved reading and conversations. */
    public void confirmRemove(LibraryEntry e) {
        if (e == null || window.service() == null) return;
        if (RemoveDocumentDialog.confirm(window.stage(), e.title(), e.cacheBytesProperty().get(), e.isCollection())) remove(e.id());
    }

    /** Removes a document without asking (its reading stops first). */
    public CompletableFuture<Void> remove(long id) {
        reading.cancel(id);
        return window.service().remove(id).whenCompleteAsync((v, t) -> {
            if (t != null) {
                ErrorDialog.show(window.stage(), "Cannot remove the document", t);
                return;
            }
            library.remove(id);
            if (documentPane.documentId() == id) documentPane.clear();
            window.statusBar().showMessage("Document removed.");
            refresh();
        }, Fx.THREAD);
    }
}
