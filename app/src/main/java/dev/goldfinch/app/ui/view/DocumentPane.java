package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.ui.service.ReaderService.DocumentText;
import dev.goldfinch.app.library.SourceDocument.Page;
import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Pagination;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The right side (toggled with Ctrl+D): the document itself, page by page; a passage can be shown highlighted. */
public final class DocumentPane extends VBox {
    private final Label title = new Label("Document");
    private final Label pageLabel = new Label();
    private final Pagination pagination = new Pagination(1, 0);
    private final Label placeholder = new Label("Select a document to see its text here.");
    private String text = "";
    private List<Page> pages = List.of();
    private String unit = "Page";
    private long documentId = -1;
    private int highlightStart = -1, highlightEnd = -1;

    public DocumentPane() {
        getStyleClass().add("document-pane");
        setId("document-view");
        title.getStyleClass().add("pane-title");
        title.setMinWidth(0);
        pageLabel.getStyleClass().add("hint");
        pageLabel.setId("page-label");
        pageLabel.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox header = new HBox(8, title, grow, pageLabel);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("pane-header");
        pagination.setId("pages");
        pagination.setPageFactory(this::page);
        pagination.setMaxPageIndicatorCount(7);
        pagination.currentPageIndexProperty().addListener((o, a, b) -> updateLabel());
        placeholder.getStyleClass().add("placeholder");
        placeholder.setWrapText(true);
        StackPane body = new StackPane(pagination, placeholder);
        VBox.setVgrow(body, Priority.ALWAYS);
        getChildren().addAll(header, body);
        setMinWidth(240);
        setPrefWidth(380);
        clear();
    }

    public long documentId() {
        return documentId;
    }

    public void clear() {
        documentId = -1;
        text = "";
        pages = List.of();
        title.setText("Document");
        pagination.setVisible(false);
        placeholder.setVisible(true);
        pageLabel.setText("");
    }

    public void show(long id, String documentTitle, DocumentText doc) {
        documentId = id;
        text = doc.text();
        pages = doc.meta().pagesOf(text.length());
        unit = Character.toUpperCase(doc.meta().unit().charAt(0)) + doc.meta().unit().substring(1);
        highlightStart = highlightEnd = -1;
        title.setText(documentTitle);
        pagination.setPageCount(Math.max(1, pages.size()));
        pagination.setCurrentPageIndex(0);
        pagination.setPageFactory(this::page);
        pagination.setVisible(true);
        placeholder.setVisible(false);
        updateLabel();
    }

    /** Turns to the page holding characters [start, end) of the text and selects them there. */
    public void highlight(int start, int end) {
        for (int i = 0; i < pages.size(); i++) {
            Page p = pages.get(i);
            if (start >= p.start() && start < Math.max(p.end(), p.start() + 1)) {
                highlightStart = start;
                highlightEnd = end;
                pagination.setPageFactory(this::page);
                pagination.setCurrentPageIndex(i);
                return;
            }
        }
    }

    private TextArea page(int index) {
        if (index < 0 || index >= pages.size()) return null;
        Page p = pages.get(index);
        TextArea area = new TextArea(text.substring(p.start(), p.end()));
        area.setEditable(false);
        area.setWrapText(true);
        area.getStyleClass().add("page-text");
        area.setId("page-text");
        if (highlightStart >= p.start() && highlightStart < p.end()) {
            int from = highlightStart - p.start(), to = Math.min(p.end(), highlightEnd) - p.start();
            area.selectRange(from, Math.max(from, to));
        }
        return area;
    }

    private void updateLabel() {
        if (pages.isEmpty()) {
            pageLabel.setText("");
            return;
        }
        int i = pagination.getCurrentPageIndex();
        Page p = pages.get(Math.min(i, pages.size() - 1));
        pageLabel.setText(unit + " " + (i + 1) + " of " + pages.size());
        String label = p.label() != null && !p.label().equals(String.valueOf(p.page())) ? p.label() : null;
        pageLabel.setTooltip(label == null ? null : new javafx.scene.control.Tooltip(label));
    }
}
