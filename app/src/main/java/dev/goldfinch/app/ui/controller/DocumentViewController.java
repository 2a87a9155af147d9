package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.library.OriginalFile;
import dev.goldfinch.app.library.Source;
import dev.goldfinch.app.ui.service.PdfPageService;
import dev.goldfinch.app.ui.service.ReaderService.DocumentText;
import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.ui.view.ConversationPane;
import dev.goldfinch.app.ui.view.DocumentPane;
import dev.goldfinch.app.ui.view.ErrorDialog;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.LibraryPane;
import dev.goldfinch.ingest.pdf.PageWords;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.SplitPane;
import javafx.stage.WindowEvent;

/**
 * The document beside the conversation: shown or hidden (View → Document view, remembered), following the library's
 * selection, and opened at a cited passage with the passage selected. A PDF is shown as drawn when its file is still
 * the one it was added from (its pages rendered by a {@link PdfPageService}), the passage highlighted on its page.
 */
public final class DocumentViewController {
    private final WindowShell window;
    private final LibraryPane library;
    private final ConversationPane conversation;
    private final DocumentPane documentPane;
    private final SplitPane split;
    private final CheckMenuItem shownItem;
    private final PdfPageService pdfPages = new PdfPageService();
    /** The document being shown (or shown) and its loading: its text, then its PDF's pages. */
    private long loadingId = -1;
    private CompletableFuture<Void> loading = CompletableFuture.completedFuture(null);

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
        window.stage().addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> pdfPages.close());
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
            loadingId = -1;
            documentPane.clear();
        } else if (split.getItems().contains(documentPane)) {
            load(e);
        }
    }

    /** Shows the document (its text, then a PDF's pages); completes when both are on screen. */
    private CompletableFuture<Void> load(LibraryEntry e) {
        if (window.service() == null) return CompletableFuture.completedFuture(null);
        if (loadingId == e.id()) return loading;
        long id = e.id();
        loadingId = id;
        loading = window.service().documentText(id).handleAsync((doc, t) -> {
            if (t != null) {
                ErrorDialog.show(window.stage(), "Cannot show the document", t);
                loadingId = -1;
            } else if (stillShown(id)) {
                documentPane.show(id, e.title(), doc);
                if (OriginalFile.isPdf(doc.meta())) return openPages(e, doc);
            }
            return CompletableFuture.<Void>completedFuture(null);
        }, Fx.THREAD).thenCompose(f -> f);
        return loading;
    }

    private boolean stillShown(long id) {
        return loadingId == id && library.selected().map(LibraryEntry::id).orElse(-1L) == id;
    }

    /** The PDF's pages beside its text, or one line saying why they cannot be shown. */
    private CompletableFuture<Void> openPages(LibraryEntry e, DocumentText doc) {
        long id = e.id();
        return pdfPages.open(e.status().document(), doc.meta()).handleAsync((opened, t) -> {
            if (!stillShown(id) || documentPane.documentId() != id) return null;
            if (t == null) {
                documentPane.showPdf((index, zoom) -> pdfPages.page(id, index, zoom), opened.widths(), opened.heights());
            } else {
                Throwable c = Fx.cause(t);
                if (!(c instanceof PdfPageService.Unavailable)) {
                    System.getLogger(DocumentViewController.class.getName()).log(System.Logger.Level.WARNING, "the pages of document " + id + " cannot be shown", c);
                }
                documentPane.pdfUnavailable(c instanceof PdfPageService.Unavailable ? c.getMessage() : "the PDF cannot be shown (" + c.getMessage() + ")");
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
        library.selected().ifPresent(e -> load(e).thenRunAsync(() -> {
            if (documentPane.documentId() != e.id()) return;
            documentPane.highlight(s.start(), s.end());
            if (documentPane.pagesAvailable()) highlightOnPage(e.id(), s);
        }, Fx.THREAD));
    }

    /**
     * Turns the PDF to the passage's page and draws it over its words there, and on the next page too when it goes
     * on over the page break (the page alone when its words are not found).
     */
    private void highlightOnPage(long id, Source s) {
        int first = Math.max(0, s.page() - 1);
        documentPane.pageView().goTo(first);
        Map<Integer, String> parts = documentPane.partsByPage(s.start(), s.end());
        if (parts.isEmpty()) parts = Map.of(first, s.text());
        Map<Integer, CompletableFuture<List<PageWords.Box>>> found = new LinkedHashMap<>();
        parts.forEach((index, part) -> found.put(index, pdfPages.boxes(id, index, part)));
        CompletableFuture.allOf(found.values().toArray(CompletableFuture[]::new)).whenCompleteAsync((done, t) -> {
            if (documentPane.documentId() != id || !documentPane.pagesAvailable()) return;
            if (t != null) {
                System.getLogger(DocumentViewController.class.getName()).log(System.Logger.Level.WARNING, "finding a passage on page " + (first + 1) + ": "
                        + Fx.cause(t).getMessage());
                return;
            }
            Map<Integer, List<PageWords.Box>> boxes = new LinkedHashMap<>();
            found.forEach((index, f) -> boxes.put(index, f.join()));
            documentPane.highlightOnPages(first, boxes);
        }, Fx.THREAD);
    }
}
