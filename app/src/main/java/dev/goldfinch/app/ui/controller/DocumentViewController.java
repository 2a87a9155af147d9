package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.library.Source;
import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.ui.view.ConversationPane;
import dev.goldfinch.app.ui.view.DocumentPane;
import dev.goldfinch.app.ui.view.ErrorDialog;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.LibraryPane;
import java.util.concurrent.CompletableFuture;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.SplitPane;

/**
 * The document beside the conversation: shown or hidden (View → Document view, remembered), following the library's
 * selection, and opened at a cited passage with the passage selected.
 */
public final class DocumentViewController {
    private final WindowShell window;
    private final LibraryPane library;
    private final ConversationPane conversation;
    private final DocumentPane documentPane;
    private final SplitPane split;
    private final CheckMenuItem shownItem;

    public DocumentViewController(WindowShell window, LibraryPane library, ConversationPane conversation, DocumentPane documentPane, SplitPane split,
                                  CheckMenuItem shownItem) {
        this.window = window;
        this.library = library;
        this.conversation = conversation;
        this.documentPane = documentPane;
        this.split = split;
        this.shownItem = shownItem;
        shownItem.setSelected(window.settings().documentViewShown);
        library.selectedProperty().addListener((o, a, b) -> selectionChanged(b));
    }

    /** The panes side by side: the library and the conversation, and the document when it is shown. */
    public void arrange() {
        if (shownItem.isSelected() && !split.getItems().contains(documentPane)) split.getItems().add(documentPane);
        split.setDividerPositions(split.getItems().size() == 3 ? new double[] {0.24, 0.70} : new double[] {0.28});
    }

    /** View → Document view: shows or hides it, and remembers which. */
    public void toggle() {
        boolean show = shownItem.isSelected();
        if (show && !split.getItems().contains(documentPane)) {
            split.getItems().add(documentPane);
            split.setDividerPositions(0.24, 0.70);
            library.selected().ifPresent(this::load);
        } else if (!show) {
            split.getItems().remove(documentPane);
        }
        window.settings().documentViewShown = show;
        window.saveSettings();
    }

    private void selectionChanged(LibraryEntry e) {
        conversation.setDocument(e);
        if (e == null) {
            documentPane.clear();
        } else if (split.getItems().contains(documentPane)) {
            load(e);
        }
    }

    private CompletableFuture<Void> load(LibraryEntry e) {
        if (window.service() == null || documentPane.documentId() == e.id()) return CompletableFuture.completedFuture(null);
        long id = e.id();
        return window.service().documentText(id).handleAsync((doc, t) -> {
            if (t != null) {
                ErrorDialog.show(window.stage(), "Cannot show the document", t);
            } else if (library.selected().map(LibraryEntry::id).orElse(-1L) == id) {
                documentPane.show(id, e.title(), doc);
            }
            return null;
        }, Fx.THREAD);
    }

    /** Find in document (Ctrl+F): the document view opens (if it was closed) with its find bar ready to type in. */
    public void find() {
        if (!shownItem.isSelected()) {
            shownItem.setSelected(true);
            toggle();
        }
        // A document loaded after this (the view was closed) is searched as soon as it is shown.
        documentPane.openFind();
    }

    /** A cited passage: the document view opens (if it was closed) at its page, with the passage selected. */
    public void showSource(Source s) {
        if (!shownItem.isSelected()) {
            shownItem.setSelected(true);
            toggle();
        }
        library.selected().ifPresent(e -> load(e).thenRunAsync(() -> documentPane.highlight(s.start(), s.end()), Fx.THREAD));
    }
}
