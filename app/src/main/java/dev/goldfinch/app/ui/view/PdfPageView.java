package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.ingest.pdf.PageWords;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javafx.animation.PauseTransition;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Rectangle;
import javafx.util.Duration;

/**
 * A PDF's pages as drawn: one page at a time, rendered (by whoever gives the {@link Pages}, off the JavaFX thread) at
 * the zoom shown, with page navigation (‹ ›, a page number field, PageUp/PageDown) and zoom (fit width, − +,
 * Ctrl+wheel, Ctrl+plus/minus, Ctrl+0 for fit width). A cited passage is drawn over its words as translucent boxes,
 * one per line, given in points and scaled with the zoom.
 */
public final class PdfPageView extends BorderPane {
    /** Renders page {@code index} at {@code pixelsPerPoint} (1 is 72 dpi), off the JavaFX thread. */
    @FunctionalInterface
    public interface Pages {
        CompletableFuture<Image> render(int index, double pixelsPerPoint);
    }

    private static final double MIN_ZOOM = 0.25, MAX_ZOOM = 6, STEP = 1.25;
    /** Room around the page in the scroll pane, in pixels. */
    private static final double MARGIN = 12;

    private final Button previous = new Button("‹");
    private final Button next = new Button("›");
    private final TextField pageField = new TextField();
    private final Label pageCount = new Label();
    private final Label zoomLabel = new Label();
    private final ImageView image = new ImageView();
    private final Pane highlights = new Pane();
    private final Pane canvas = new Pane(image, highlights);
    private final ScrollPane scroll = new ScrollPane(canvas);
    private final PauseTransition resized = new PauseTransition(Duration.millis(120));
    private final ReadOnlyIntegerWrapper page = new ReadOnlyIntegerWrapper(0);
    /** Why the page on screen could not be rendered (hidden while it renders). */
    private final Label failure = new Label();

    private Pages pages;
    private float[] widths = new float[0], heights = new float[0];
    private double zoom = 1;
    private boolean fitWidth = true;
    /** The passage's boxes, in points, by the page they are on (a passage may go on over a page break). */
    private Map<Integer, List<PageWords.Box>> boxes = Map.of();
    /** Counts render requests: only the newest one's image is shown. */
    private long renders;
    private int renderedPage = -1;
    private double renderedZoom;

    public PdfPageView() {
        getStyleClass().add("pdf-page-view");
        setId("page-view");
        previous.setId("page-previous");
        next.setId("page-next");
        zoomLabel.setId("zoom-level");
        pageField.setId("page-number");
        pageCount.setId("page-count");
        for (Button b : new Button[] {previous, next}) b.getStyleClass().add("small-button");
        previous.setTooltip(new Tooltip("Previous page (Page Up)"));
        next.setTooltip(new Tooltip("Next page (Page Down)"));
        previous.setOnAction(e -> goTo(page.get() - 1));
        next.setOnAction(e -> goTo(page.get() + 1));
        pageField.setPrefColumnCount(3);
        pageField.setOnAction(e -> typedPage());
        pageField.focusedProperty().addListener((o, a, focused) -> {
            if (!focused) pageField.setText(Integer.toString(page.get() + 1));
        });
        pageCount.getStyleClass().add("hint");
        pageCount.setMinWidth(Region.USE_PREF_SIZE);
        Button zoomOut = button("−", "zoom-out", "Zoom out (Ctrl+minus, Ctrl+wheel)");
        zoomOut.setOnAction(e -> zoomOut());
        Button zoomIn = button("+", "zoom-in", "Zoom in (Ctrl+plus, Ctrl+wheel)");
        zoomIn.setOnAction(e -> zoomIn());
        Button fit = button("Fit width", "zoom-fit", "Fit the page's width (Ctrl+0)");
        fit.setOnAction(e -> fitWidth());
        zoomLabel.getStyleClass().add("hint");
        zoomLabel.setMinWidth(Region.USE_PREF_SIZE);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(4, previous, pageField, pageCount, next, grow, zoomOut, zoomLabel, zoomIn, fit);
        bar.getStyleClass().add("page-bar");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 4, 8));
        setTop(bar);

        image.setPreserveRatio(false);
        image.setSmooth(true);
        image.getStyleClass().add("page-image");
        image.setId("page-image");
        highlights.setId("page-highlights");
        highlights.setMouseTransparent(true);
        canvas.getStyleClass().add("page-canvas");
        scroll.setId("page-scroll");
        scroll.getStyleClass().add("page-scroll");
        scroll.setPannable(true);
        scroll.setPadding(new Insets(MARGIN / 2));
        scroll.viewportBoundsProperty().addListener((o, a, b) -> {
            if (fitWidth && a != null && Math.abs(a.getWidth() - b.getWidth()) > 0.5) resized.playFromStart();
        });
        resized.setOnFinished(e -> {
            if (fitWidth) fitWidth();
        });
        // Ctrl+wheel zooms instead of scrolling
        scroll.addEventFilter(ScrollEvent.SCROLL, e -> {
            if (!e.isControlDown() || e.getDeltaY() == 0) return;
            if (e.getDeltaY() > 0) zoomIn();
            else zoomOut();
            e.consume();
        });
        addEventFilter(KeyEvent.KEY_PRESSED, this::key);
        failure.setId("page-failure");
        failure.getStyleClass().addAll("hint", "page-notice");
        failure.setWrapText(true);
        failure.setVisible(false);
        StackPane.setAlignment(failure, Pos.TOP_CENTER);
        setCenter(new StackPane(scroll, failure));
    }

    private static Button button(String text, String id, String tip) {
        Button b = new Button(text);
        b.setId(id);
        b.getStyleClass().add("small-button");
        b.setTooltip(new Tooltip(tip));
        return b;
    }

    private void key(KeyEvent e) {
        KeyCode c = e.getCode();
        if (c == KeyCode.PAGE_DOWN && !e.isControlDown()) {
            goTo(page.get() + 1);
        } else if (c == KeyCode.PAGE_UP && !e.isControlDown()) {
            goTo(page.get() - 1);
        } else if (e.isShortcutDown() && (c == KeyCode.PLUS || c == KeyCode.EQUALS || c == KeyCode.ADD)) {
            zoomIn();
        } else if (e.isShortcutDown() && (c == KeyCode.MINUS || c == KeyCode.SUBTRACT)) {
            zoomOut();
        } else if (e.isShortcutDown() && (c == KeyCode.DIGIT0 || c == KeyCode.NUMPAD0)) {
            fitWidth();
        } else {
            return;
        }
        e.consume();
    }

    /** Shows a PDF of pages of the given sizes (in points) from its first page, at fit width, with no highlight. */
    public void show(Pages source, float[] pageWidths, float[] pageHeights) {
        pages = source;
        widths = pageWidths.clone();
        heights = pageHeights.clone();
        boxes = Map.of();
        renderedPage = -1;
        image.setImage(null);
        pageCount.setText("of " + widths.length);
        page.set(0);
        fitWidth = true;
        zoom = fitZoom();
        showPage();
    }

    /** The page on screen, from 0. */
    public ReadOnlyIntegerProperty pageProperty() {
        return page.getReadOnlyProperty();
    }

    public int currentPage() {
        return page.get();
    }

    public int pageCount() {
        return widths.length;
    }

    /** Pixels per point on screen (1 is 72 dpi). */
    public double zoom() {
        return zoom;
    }

    /** The page whose image is on screen at the zoom shown (-1 while it is being rendered). */
    public int renderedPage() {
        return renderedPage == page.get() && renderedZoom == zoom ? renderedPage : -1;
    }

    /** The passage's boxes on screen, in the page image's pixels (none when the page shown has none). */
    public List<Rectangle> highlightBoxes() {
        return highlights.getChildren().stream().map(n -> (Rectangle) n).toList();
    }

    /** The page's image, whose top-left corner is the origin of the boxes. */
    public ImageView pageImage() {
        return image;
    }

    public void goTo(int index) {
        if (widths.length == 0) return;
        int i = Math.clamp(index, 0, widths.length - 1);
        if (i == page.get()) return;
        page.set(i);
        if (fitWidth) zoom = fitZoom();
        showPage();
        scroll.setVvalue(0);
    }

    /**
     * Draws a passage's boxes (in points, by page from 0) over its words and goes to its first page ({@code first},
     * also when no words were found), scrolled to them.
     */
    public void highlight(int first, Map<Integer, List<PageWords.Box>> lineBoxes) {
        boxes = Map.copyOf(lineBoxes);
        goTo(first);
        drawHighlights();
        scrollToHighlight();
    }

    public void zoomIn() {
        setZoom(zoom * STEP);
    }

    public void zoomOut() {
        setZoom(zoom / STEP);
    }

    /** The page as wide as the view; it stays so as the view is resized, until zoomed with − or +. */
    public void fitWidth() {
        fitWidth = true;
        applyZoom(fitZoom());
    }

    private void setZoom(double z) {
        fitWidth = false;
        applyZoom(z);
    }

    private void applyZoom(double z) {
        double clamped = Math.clamp(z, MIN_ZOOM, MAX_ZOOM);
        if (clamped == zoom) return;
        // keep the point in the middle of the view where it was
        double h = Math.max(1, canvas.getHeight() - scroll.getViewportBounds().getHeight());
        double middle = (scroll.getVvalue() * h + scroll.getViewportBounds().getHeight() / 2) / zoom;
        zoom = clamped;
        showPage();
        double h2 = Math.max(1, canvas.getPrefHeight() - scroll.getViewportBounds().getHeight());
        scroll.setVvalue(Math.clamp((middle * zoom - scroll.getViewportBounds().getHeight() / 2) / h2, 0, 1));
    }

    private double fitZoom() {
        if (widths.length == 0) return 1;
        double w = scroll.getViewportBounds().getWidth();
        if (!(w > 0)) w = Math.max(200, getWidth());
        return Math.clamp((w - MARGIN) / widths[page.get()], MIN_ZOOM, MAX_ZOOM);
    }

    private void typedPage() {
        try {
            goTo(Integer.parseInt(pageField.getText().strip()) - 1);
        } catch (NumberFormatException e) {
            // not a number: the field shows the page again
        }
        pageField.setText(Integer.toString(page.get() + 1));
    }

    /** Lays the page out at the zoom (the image there at once, stretched, until the new rendering arrives) and renders it. */
    private void showPage() {
        if (widths.length == 0 || pages == null) return;
        int i = page.get();
        double w = widths[i] * zoom, h = heights[i] * zoom;
        image.setFitWidth(w);
        image.setFitHeight(h);
        canvas.setPrefSize(w, h);
        canvas.setMinSize(w, h);
        canvas.setMaxSize(w, h);
        highlights.setPrefSize(w, h);
        pageField.setText(Integer.toString(i + 1));
        previous.setDisable(i == 0);
        next.setDisable(i == widths.length - 1);
        zoomLabel.setText(String.format(Locale.ROOT, "%d%%", Math.round(zoom * 100)));
        drawHighlights();
        long token = ++renders;
        double z = zoom;
        // rendered at the screen's own pixels (a HiDPI screen has more than one a point of the layout)
        double screen = getScene() == null || getScene().getWindow() == null ? 1 : getScene().getWindow().getOutputScaleX();
        if (renderedPage != i) image.setImage(null); // never another page's image under this page's highlight
        pages.render(i, z * screen).whenCompleteAsync((img, t) -> {
            if (token != renders) return; // a newer page or zoom was asked for
            if (t != null) {
                String why = Fx.cause(t).getMessage();
                System.getLogger(PdfPageView.class.getName()).log(System.Logger.Level.WARNING, "page " + (i + 1) + ": " + why);
                failure.setText("Page " + (i + 1) + " cannot be shown: " + why);
                failure.setVisible(true);
                return;
            }
            failure.setVisible(false);
            image.setImage(img);
            renderedPage = i;
            renderedZoom = z;
        }, Fx.THREAD);
    }

    private void drawHighlights() {
        highlights.getChildren().clear();
        for (PageWords.Box b : boxes.getOrDefault(page.get(), List.of())) {
            // a little room around the glyphs, so the highlight does not cut into them
            double pad = 1;
            Rectangle r = new Rectangle((b.left() - pad) * zoom, (b.top() - pad) * zoom, (b.width() + 2 * pad) * zoom, (b.height() + 2 * pad) * zoom);
            r.getStyleClass().add("page-highlight");
            r.setArcWidth(3);
            r.setArcHeight(3);
            highlights.getChildren().add(r);
        }
    }

    private void scrollToHighlight() {
        List<PageWords.Box> here = boxes.getOrDefault(page.get(), List.of());
        if (here.isEmpty()) return;
        applyCss();
        layout();
        double viewport = scroll.getViewportBounds().getHeight();
        double content = canvas.getPrefHeight();
        if (content <= viewport) return;
        double top = here.getFirst().top() * zoom - viewport / 4;
        scroll.setVvalue(Math.clamp(top / (content - viewport), 0, 1));
    }
}
