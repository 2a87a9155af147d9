package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.library.ConversationMarkdown;
import dev.goldfinch.app.ui.FileDialogs;
import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.ui.view.ConversationPane;
import dev.goldfinch.app.ui.view.ErrorDialog;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.LibraryPane;
import dev.goldfinch.engine.store.Conversation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Conversation → Export conversation…: the open conversation, as stored, written as Markdown to a file chosen in a
 * save dialog (atomically: a temporary file, then moved into place). The messages come from the service, never the
 * database.
 */
public final class ExportController {
    private final WindowShell window;
    private final LibraryPane library;
    private final ConversationPane conversation;
    private final Supplier<FileDialogs> dialogs;

    public ExportController(WindowShell window, LibraryPane library, ConversationPane conversation, Supplier<FileDialogs> dialogs) {
        this.window = window;
        this.library = library;
        this.conversation = conversation;
        this.dialogs = dialogs;
    }

    /** Asks where, then writes the file; completes with the file written, or empty (nothing to export, cancelled, failed). */
    public CompletableFuture<Optional<Path>> export() {
        Conversation c = conversation.currentConversation();
        Optional<LibraryEntry> e = library.selected();
        if (c == null || e.isEmpty() || window.service() == null) {
            window.statusBar().showMessage("No conversation to export: ask a question first, or open a saved conversation.");
            return CompletableFuture.completedFuture(Optional.empty());
        }
        LibraryEntry entry = e.get();
        Optional<Path> file = dialogs.get().chooseExportFile(window.stage(), ConversationMarkdown.fileName(c.title()));
        if (file.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
        Path target = file.get();
        String source = entry.status().meta().source();
        String documentFile = source == null || source.isBlank() ? entry.fileName() : source;
        String unit = entry.status().meta().unit();
        return window.service().messagesOf(c.id()).thenApplyAsync(list -> {
            try {
                ConversationMarkdown.write(target, ConversationMarkdown.of(c.title(), entry.title(), documentFile, unit, list));
                return target;
            } catch (IOException x) {
                throw new UncheckedIOException("cannot write " + target, x);
            }
        }, r -> Thread.ofVirtual().name("goldfinch-export").start(r)).handleAsync((written, t) -> {
            if (t != null) {
                ErrorDialog.show(window.stage(), "Cannot export the conversation", t);
                return Optional.<Path>empty();
            }
            window.statusBar().showMessage("Conversation exported to " + written);
            return Optional.of(written);
        }, Fx.THREAD);
    }
}
