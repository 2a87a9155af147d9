package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.ui.service.ReaderService.DocumentText;
import dev.goldfinch.app.library.SourceDocument.Page;
import dev.goldfinch.ingest.pdf.PageWords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.control.Pagination;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The right side (toggled with Ctrl+D): the document itself, page by page; a passage can be shown highlighted. A find
 * bar (Ctrl+F) searches the whole text, case-insensitively, and turns to the page of each match with it selected.
 * A PDF whose file is still there is shown as drawn ({@link PdfPageView}), its cited passages highlighted on the
 * page; Page / Text switch between that and its text (the text is where find works). When the pages cannot be shown
 * (the file moved or changed, a password), one line says why over the text.
 */
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
    /** The page {@link #shownPage} holds. */
    private int shownIndex = -1;
    private final TextField findField = new TextField();
    private final Label findCount = new Label();
    private final HBox findBar;
    /** Where the matches of the find field's text start in {@link #text}; {@link #match} is the selected one (or -1). */
    private final List<Integer> matches = new ArrayList<>();
    private int match = -1;
    private TextArea shownPage;
    private final PdfPageView pdfView = new PdfPageView();
    private final ToggleButton pageButton = new ToggleButton("Page");
    private final ToggleButton textButton = new ToggleButton("Text");
    private final HBox viewSwitch;
    /** Why the document's pages are not shown, when it is a PDF whose file cannot be used. */
    private final Label notice = new Label();
    private boolean pdfShown, showingPage;
    /** The person chose the text of a PDF over its pages (for this session). */
    private boolean prefersText;

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
        viewSwitch = viewSwitch();
        HBox header = new HBox(8, title, grow, viewSwitch, pageLabel);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("pane-header");
        pagination.setId("pages");
        pagination.setPageFactory(this::page);
        pagination.setMaxPageIndicatorCount(7);
        pagination.currentPageIndexProperty().addListener((o, a, b) -> updateLabel());
        placeholder.getStyleClass().add("placeholder");
        placeholder.setWrapText(true);
        findBar = findBar();
        notice.setId("page-notice");
        notice.getStyleClass().addAll("hint", "page-notice");
        notice.setMaxWidth(Double.MAX_VALUE);
        notice.setManaged(false);
        notice.setVisible(false);
        pdfView.pageProperty().addListener((o, a, b) -> updateLabel());
        StackPane body = new StackPane(pagination, pdfView, placeholder);
        VBox.setVgrow(body, Priority.ALWAYS);
        getChildren().addAll(header, notice, findBar, body);
        setMinWidth(240);
        setPrefWidth(380);
        clear();
    }

    private HBox viewSwitch() {
        ToggleGroup group = new ToggleGroup();
        pageButton.setToggleGroup(group);
        textButton.setToggleGroup(group);
        pageButton.setId("view-page");
        textButton.setId("view-text");
        pageButton.setTooltip(new Tooltip("The page as drawn, with the cited passage highlighted"));
        textButton.setTooltip(new Tooltip("The text read from the page"));
        for (ToggleButton b : new ToggleButton[] {pageButton, textButton}) {
            b.getStyleClass().addAll("small-button", "view-switch");
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        pageButton.setOnAction(e -> choosePageView(true));
        textButton.setOnAction(e -> choosePageView(false));
        HBox box = new HBox(0, pageButton, textButton);
        box.setId("view-switch");
        box.setAlignment(Pos.CENTER);
        box.setMinWidth(Region.USE_PREF_SIZE);
        box.setVisible(false);
        box.setManaged(false);
        return box;
    }

    /** Page or Text, as the person chose (remembered for the other PDFs of this session). */
    private void choosePageView(boolean page) {
        prefersText = !page;
        setPageMode(page);
    }

    /** Shows the pages of the PDF on screen (its text stays a click away); from the page whose text is shown. */
    public void showPdf(PdfPageView.Pages source, float[] widths, float[] heights) {
        pdfShown = true;
        setNotice(null);
        viewSwitch.setVisible(true);
        viewSwitch.setManaged(true);
        pdfView.show(source, widths, heights);
        pdfView.goTo(pdfPageOf(pagination.getCurrentPageIndex()));
        setPageMode(!prefersText && !findShown());
    }

    /** The document is a PDF whose pages cannot be shown: its text, with one line saying why. */
    public void pdfUnavailable(String reason) {
        pdfShown = false;
        viewSwitch.setVisible(false);
        viewSwitch.setManaged(false);
        setNotice("Showing the text: " + reason + ".");
        setPageMode(false);
    }

    private void setNotice(String line) {
        notice.setText(line == null ? "" : line);
        notice.setTooltip(line == null ? null : new Tooltip(line));
        notice.setVisible(line != null);
        notice.setManaged(line != null);
    }

    /** The line saying why the pages are not shown (empty when they are, or the document is no PDF). */
    public Label notice() {
        return notice;
    }

    /** Whether the document's pages can be shown (a PDF whose file is there). */
    public boolean pagesAvailable() {
        return pdfShown;
    }

    /** Whether the pages are on screen (else the text is). */
    public boolean showingPages() {
        return showingPage;
    }

    public PdfPageView pageView() {
        return pdfView;
    }

    /** Turns to page {@code first} (from 0) of the PDF with the passage's boxes (in points, by page) over its words. */
    public void highlightOnPages(int first, Map<Integer, List<PageWords.Box>> boxes) {
        pdfView.highlight(first, boxes);
    }

    /**
     * The parts of characters [start, end) of the text on each PDF page (from 0) they lie on, in page order: a passage
     * that goes on over a page break has a part on each page.
     */
    public Map<Integer, String> partsByPage(int start, int end) {
        Map<Integer, String> parts = new java.util.LinkedHashMap<>();
        for (Page p : pages) {
            int from = Math.max(start, p.start()), to = Math.min(end, p.end());
            if (from < to && !text.substring(from, to).isBlank()) parts.merge(Math.max(0, p.page() - 1), text.substring(from, to), String::concat);
        }
        return parts;
    }

    /** Switches between the pages and the text, staying on the same page. */
    private void setPageMode(boolean page) {
        boolean on = page && pdfShown;
        if (on && !showingPage) pdfView.goTo(pdfPageOf(pagination.getCurrentPageIndex()));
        if (!on && showingPage) {
            int textPage = textPageOf(pdfView.currentPage());
            if (textPage != pagination.getCurrentPageIndex()) pagination.setCurrentPageIndex(textPage);
        }
        showingPage = on;
        boolean shown = documentId >= 0;
        pdfView.setVisible(on && shown);
        pagination.setVisible(!on && shown);
        pageButton.setSelected(on);
        textButton.setSelected(!on);
        updateLabel();
    }

    /** The PDF page (from 0) of text page {@code i}. */
    private int pdfPageOf(int i) {
        if (pages.isEmpty()) return 0;
        return Math.max(0, pages.get(Math.clamp(i, 0, pages.size() - 1)).page() - 1);
    }

    /** The text page showing PDF page {@code index} (from 0), or the last one before it. */
    private int textPageOf(int index) {
        int best = 0;
        for (int i = 0; i < pages.size(); i++) {
            if (pages.get(i).page() - 1 <= index) best = i;
        }
        return best;
    }

    private HBox findBar() {
        findField.setId("find-field");
        findField.setPromptText("Find in document");
        HBox.setHgrow(findField, Priority.ALWAYS);
        findField.textProperty().addListener((o, a, b) -> search());
        findField.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                if (e.isShiftDown()) previousMatch();
                else nextMatch();
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                closeFind();
                e.consume();
            }
        });
        findCount.setId("find-count");
        findCount.getStyleClass().add("hint");
        findCount.setMinWidth(Region.USE_PREF_SIZE);
        Button previous = new Button("↑");
        previous.setId("find-previous");
        previous.getStyleClass().add("small-button");
        previous.setTooltip(new Tooltip("Previous match (Shift+Enter)"));
        previous.setOnAction(e -> previousMatch());
        Button next = new Button("↓");
        next.setId("find-next");
        next.getStyleClass().add("small-button");
        next.setTooltip(new Tooltip("Next match (Enter)"));
        next.setOnAction(e -> nextMatch());
        Button close = new Button("✕");
        close.setId("find-close");
        close.getStyleClass().add("small-button");
        close.setTooltip(new Tooltip("Close (Esc)"));
        close.setOnAction(e -> closeFind());
        HBox bar = new HBox(6, findField, findCount, previous, next, close);
        bar.setId("find-bar");
        bar.getStyleClass().add("find-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new javafx.geometry.Insets(4, 8, 4, 8));
        bar.setVisible(false);
        bar.setManaged(false);
        return bar;
    }

    /** Shows the find bar with its text selected, ready to type (over the text: find works there, not on the pages). */
    public void openFind() {
        setPageMode(false);
        findBar.setVisible(true);
        findBar.setManaged(true);
        findField.requestFocus();
        findField.selectAll();
        search();
    }

    public void closeFind() {
        findBar.setVisible(false);
        findBar.setManaged(false);
        if (shownPage != null) shownPage.requestFocus();
    }

    public boolean findShown() {
        return findBar.isVisible();
    }

    public TextField findField() {
        return findField;
    }

    /** "3 of 17", "no matches", or nothing while the field is empty. */
    public Label findCount() {
        return findCount;
    }

    /** The text area of the page on screen (null before a document is shown). */
    public TextArea shownPage() {
        return shownPage;
    }

    /** The page on screen, from 0. */
    public int currentPage() {
        return pagination.getCurrentPageIndex();
    }

    /** Finds every match of the field's text (ignoring case) and selects the first at or after the page on screen. */
    private void search() {
        matches.clear();
        match = -1;
        String q = findField.getText();
        if (q != null && !q.isEmpty() && !text.isEmpty()) {
            for (int i = 0, n = q.length(); i + n <= text.length(); i++) {
                if (text.regionMatches(true, i, q, 0, n)) {
                    matches.add(i);
                    i += n - 1;
                }
            }
        }
        if (!matches.isEmpty() && !pages.isEmpty()) {
            int from = pages.get(Math.min(pagination.getCurrentPageIndex(), pages.size() - 1)).start();
            match = 0;
            for (int i = 0; i < matches.size(); i++) {
                if (matches.get(i) >= from) {
                    match = i;
                    break;
                }
            }
            showMatch();
        } else {
            updateCount();
        }
    }

    public void nextMatch() {
        if (matches.isEmpty()) return;
        match = (match + 1) % matches.size();
        showMatch();
    }

    public void previousMatch() {
        if (matches.isEmpty()) return;
        match = (match - 1 + matches.size()) % matches.size();
        showMatch();
    }

    private void showMatch() {
        int at = matches.get(match);
        highlight(at, at + findField.getText().length());
        updateCount();
    }

    private void updateCount() {
        String q = findField.getText();
        findCount.setText(q == null || q.isEmpty() ? "" : matches.isEmpty() ? "no matches" : (match + 1) + " of " + matches.size());
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
        shownPage = null;
        pdfShown = false;
        showingPage = false;
        pdfView.setVisible(false);
        viewSwitch.setVisible(false);
        viewSwitch.setManaged(false);
        setNotice(null);
        search();
    }

    public void show(long id, String documentTitle, DocumentText doc) {
        documentId = id;
        text = doc.text();
        pages = doc.meta().pagesOf(text.length());
        unit = Character.toUpperCase(doc.meta().unit().charAt(0)) + doc.meta().unit().substring(1);
        highlightStart = highlightEnd = -1;
        title.setText(documentTitle);
        pagination.setPageCount(Math.max(1, pages.size()));
        // the new factory first, then the turn to page 1: a factory set while Pagination still turns from another
        // page leaves it blank
        pagination.setPageFactory(this::page);
        pagination.setCurrentPageIndex(0);
        placeholder.setVisible(false);
        pdfShown = false;
        viewSwitch.setVisible(false);
        viewSwitch.setManaged(false);
        setNotice(null);
        setPageMode(false);
        if (findShown()) search();
    }

    /** Turns to the page holding characters [start, end) of the text and selects them there. */
    public void highlight(int start, int end) {
        for (int i = 0; i < pages.size(); i++) {
            Page p = pages.get(i);
            if (start >= p.start() && start < Math.max(p.end(), p.start() + 1)) {
                highlightStart = start;
                highlightEnd = end;
                if (i == pagination.getCurrentPageIndex() && shownPage != null && shownIndex == i) {
                    // the page is on screen: select there (a new page factory would make Pagination start over at page 1
                    // while it still turns from the last page)
                    int from = start - p.start(), to = Math.min(p.end(), end) - p.start();
                    shownPage.selectRange(from, Math.max(from, to));
                } else if (i == pagination.getCurrentPageIndex()) {
                    pagination.setPageFactory(this::page); // made again, with the passage selected
                } else {
                    pagination.setCurrentPageIndex(i); // the page is made with the passage selected
                }
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
        shownPage = area;
        shownIndex = index;
        return area;
    }

    private void updateLabel() {
        if (pages.isEmpty()) {
            pageLabel.setText("");
            return;
        }
        if (showingPage) {
            pageLabel.setText("Page " + (pdfView.currentPage() + 1) + " of " + pdfView.pageCount());
            pageLabel.setTooltip(null);
            return;
        }
        int i = pagination.getCurrentPageIndex();
        Page p = pages.get(Math.min(i, pages.size() - 1));
        pageLabel.setText(unit + " " + (i + 1) + " of " + pages.size());
        String label = p.label() != null && !p.label().equals(String.valueOf(p.page())) ? p.label() : null;
        pageLabel.setTooltip(label == null ? null : new javafx.scene.control.Tooltip(label));
    }
}
