package dev.goldfinch.app.ui.view;

import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.library.DocumentStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The left side: every document of the store with its pages, tokens, cache state and cache size. */
public final class LibraryPane extends VBox {
    private final ObservableList<LibraryEntry> entries = FXCollections.observableArrayList();
    private final Map<Long, LibraryEntry> byId = new HashMap<>();
    private final ListView<LibraryEntry> list = new ListView<>(entries);
    private Consumer<LibraryEntry> onRemove = e -> { };
    private Consumer<LibraryEntry> onRead = e -> { };
    /** A new collection, holding the given document (null: empty). */
    private Consumer<LibraryEntry> onNewCollection = e -> { };
    /** A document (first) to add to a collection (second): by the context menu or by dragging it onto the collection. */
    private BiConsumer<LibraryEntry, LibraryEntry> onAddToCollection = (d, c) -> { };
    /** A collection whose documents are to be moved or taken out. */
    private Consumer<LibraryEntry> onArrangeCollection = e -> { };
    /** The document being dragged onto a collection (a press-drag-release gesture within the list), or null. */
    private LibraryEntry dragged;

    public LibraryPane(Runnable onAdd) {
        getStyleClass().add("library-pane");
        setId("library");
        Label title = new Label("Library");
        title.getStyleClass().add("pane-title");
        Button add = new Button("Add…");
        add.setId("add-document");
        add.setTooltip(new Tooltip("Add documents (Ctrl+O), or drop files on the window"));
        add.setOnAction(e -> onAdd.run());
        Button collection = new Button("New collection…");
        collection.setId("new-collection");
        collection.setTooltip(new Tooltip("A collection reads several documents one after another into one reading; drag documents onto it"));
        collection.setOnAction(e -> onNewCollection.accept(null));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox header = new HBox(8, title, grow, collection, add);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("pane-header");

        list.setId("library-list");
        list.setCellFactory(v -> new EntryCell());
        Label empty = new Label("No documents yet.\nDrop files here, or press Ctrl+O.");
        empty.getStyleClass().add("placeholder");
        empty.setWrapText(true);
        list.setPlaceholder(empty);
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE && selected().isPresent()) {
                onRemove.accept(selected().get());
                e.consume();
            }
        });
        list.addEventHandler(javafx.scene.input.MouseEvent.MOUSE_RELEASED, e -> dragged = null); // a drag let go elsewhere
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(header, list);
        setMinWidth(220);
        setPrefWidth(300);
    }

    public void setOnRemove(Consumer<LibraryEntry> onRemove) {
        this.onRemove = onRemove;
    }

    public void setOnRead(Consumer<LibraryEntry> onRead) {
        this.onRead = onRead;
    }

    public void setOnNewCollection(Consumer<LibraryEntry> onNewCollection) {
        this.onNewCollection = onNewCollection;
    }

    public void setOnAddToCollection(BiConsumer<LibraryEntry, LibraryEntry> onAddToCollection) {
        this.onAddToCollection = onAddToCollection;
    }

    public void setOnArrangeCollection(Consumer<LibraryEntry> onArrangeCollection) {
        this.onArrangeCollection = onArrangeCollection;
    }

    /** The collections of the library, in its order. */
    public List<LibraryEntry> collections() {
        return entries.stream().filter(LibraryEntry::isCollection).toList();
    }

    public ListView<LibraryEntry> listView() {
        return list;
    }

    public ReadOnlyObjectProperty<LibraryEntry> selectedProperty() {
        return list.getSelectionModel().selectedItemProperty();
    }

    public Optional<LibraryEntry> selected() {
        return Optional.ofNullable(list.getSelectionModel().getSelectedItem());
    }

    public Optional<LibraryEntry> entry(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<LibraryEntry> entries() {
        return List.copyOf(entries);
    }

    public void select(long id) {
        LibraryEntry e = byId.get(id);
        if (e != null) {
            list.getSelectionModel().select(e);
            list.scrollTo(e);
        }
    }

    /** Brings the list in line with the store: updates the entries in place, adds new ones, drops removed ones. */
    public void update(List<DocumentStatus> statuses) {
        Map<Long, DocumentStatus> fresh = new HashMap<>();
        for (DocumentStatus s : statuses) fresh.put(s.id(), s);
        entries.removeIf(e -> {
            if (fresh.containsKey(e.id())) return false;
            byId.remove(e.id());
            return true;
        });
        for (DocumentStatus s : statuses) {
            LibraryEntry e = byId.get(s.id());
            if (e == null) {
                e = new LibraryEntry(s);
                byId.put(s.id(), e);
                entries.add(e);
            } else {
                // The store lags a running reading by up to a checkpoint: keep the live progress.
                boolean wasReading = e.state() == CacheState.READING;
                double live = e.fractionProperty().get();
                e.update(s);
                if (wasReading && s.state() == CacheState.READING && live > e.fractionProperty().get()) e.fractionProperty().set(live);
            }
        }
        markSharedTitles();
    }

    public void remove(long id) {
        LibraryEntry e = byId.remove(id);
        if (e != null) entries.remove(e);
        markSharedTitles();
    }

    /**
     * Two documents of one title (a Markdown file and the PDF made from it, two drafts) are told apart by where they
     * came from: each one's second line starts with its file name and format, and its folder too when the file names
     * are the same.
     */
    private void markSharedTitles() {
        Map<String, List<LibraryEntry>> byTitle = new HashMap<>();
        for (LibraryEntry e : entries) byTitle.computeIfAbsent(titleKey(e), k -> new ArrayList<>()).add(e);
        for (LibraryEntry e : entries) {
            List<LibraryEntry> same = byTitle.get(titleKey(e));
            if (same.size() < 2) {
                e.originProperty().set(null);
                continue;
            }
            boolean sameFileName = same.stream().anyMatch(o -> o != e && o.fileName().equalsIgnoreCase(e.fileName()));
            String file = sameFileName ? e.folderAndFileName() : e.fileName();
            e.originProperty().set(e.format() == null ? file : file + " · " + e.format());
        }
    }

    private static String titleKey(LibraryEntry e) {
        return e.title() == null ? "" : e.title().strip().toLowerCase(Locale.ROOT);
    }

    private final class EntryCell extends ListCell<LibraryEntry> {
        private final Label title = new Label();
        private final Label facts = new Label();
        private final Label state = new Label();
        private final ProgressBar progress = new ProgressBar();
        private final VBox box;
        private final InvalidationListener refresh = o -> show();
        private LibraryEntry shown;

        EntryCell() {
            title.getStyleClass().add("doc-title");
            title.setWrapText(true);
            facts.getStyleClass().add("doc-facts");
            facts.setWrapText(true);
            state.getStyleClass().add("cache-state");
            progress.getStyleClass().add("doc-progress");
            progress.setPrefWidth(80);
            progress.setMaxHeight(10);
            state.setMinWidth(Region.USE_PREF_SIZE);
            HBox line = new HBox(8, state, progress);
            line.setAlignment(Pos.CENTER_LEFT);
            HBox factsLine = new HBox(facts);
            box = new VBox(2, title, factsLine, line);
            box.getStyleClass().add("doc-cell");
            MenuItem read = new MenuItem("Read now");
            read.setOnAction(e -> onRead.accept(getItem()));
            MenuItem remove = new MenuItem("Remove…");
            remove.setOnAction(e -> onRemove.accept(getItem()));
            Menu addTo = new Menu("Add to collection");
            addTo.setId("add-to-collection");
            MenuItem arrange = new MenuItem("Documents of the collection…");
            arrange.setId("arrange-collection");
            arrange.setOnAction(e -> onArrangeCollection.accept(getItem()));
            ContextMenu menu = new ContextMenu(read, addTo, arrange, remove);
            menu.setOnShowing(e -> {
                LibraryEntry item = getItem();
                read.setDisable(item == null || item.state() == CacheState.READY || item.state() == CacheState.READING);
                boolean collection = item != null && item.isCollection();
                addTo.setVisible(!collection);
                arrange.setVisible(collection);
                List<MenuItem> targets = new ArrayList<>();
                for (LibraryEntry c : collections()) {
                    MenuItem to = new MenuItem(c.title());
                    to.setOnAction(a -> onAddToCollection.accept(item, c));
                    targets.add(to);
                }
                if (!targets.isEmpty()) targets.add(new SeparatorMenuItem());
                MenuItem fresh = new MenuItem("New collection with this document…");
                fresh.setOnAction(a -> onNewCollection.accept(item));
                targets.add(fresh);
                addTo.getItems().setAll(targets);
            });
            setContextMenu(menu);
            setPrefWidth(0);
            // Drag a document onto a collection to add it (a gesture inside the window, not the system's drag and drop).
            setOnDragDetected(e -> {
                if (getItem() == null || getItem().isCollection()) return;
                dragged = getItem();
                startFullDrag();
            });
            setOnMouseDragEntered(e -> {
                if (dragged != null && getItem() != null && getItem().isCollection()) getStyleClass().add("drop-target");
            });
            setOnMouseDragExited(e -> getStyleClass().remove("drop-target"));
            setOnMouseDragReleased(e -> {
                getStyleClass().remove("drop-target");
                LibraryEntry document = dragged;
                dragged = null;
                if (document != null && getItem() != null && getItem().isCollection()) onAddToCollection.accept(document, getItem());
            });
        }

        @Override
        protected void updateItem(LibraryEntry item, boolean empty) {
            super.updateItem(item, empty);
            if (shown != null) {
                shown.stateProperty().removeListener(refresh);
                shown.fractionProperty().removeListener(refresh);
                shown.cacheBytesProperty().removeListener(refresh);
                shown.statusProperty().removeListener(refresh);
                shown.originProperty().removeListener(refresh);
            }
            shown = empty ? null : item;
            if (shown == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            shown.stateProperty().addListener(refresh);
            shown.fractionProperty().addListener(refresh);
            shown.cacheBytesProperty().addListener(refresh);
            shown.statusProperty().addListener(refresh);
            shown.originProperty().addListener(refresh);
            show();
            setGraphic(box);
        }

        private void show() {
            LibraryEntry e = shown;
            if (e == null) return;
            DocumentStatus s = e.status();
            title.setText(s.title());
            long bytes = e.cacheBytesProperty().get();
            String origin = e.origin();
            String count = s.isCollection() ? "collection of " + Format.plural(s.members(), "document", "documents") : s.meta().countText();
            facts.setText((origin == null ? "" : origin + " · ") + count + " · " + Format.plural(s.tokens(), "token", "tokens")
                    + (bytes > 0 ? " · cache " + Format.bytes(bytes) : ""));
            // the file's full path on the title; set again only when it changes (show() runs at every step of a reading)
            String source = s.meta().source();
            Tooltip tip = title.getTooltip();
            if (source == null) title.setTooltip(null);
            else if (tip == null || !source.equals(tip.getText())) title.setTooltip(new Tooltip(source));
            state.setText(e.stateText());
            state.getStyleClass().removeIf(c -> c.startsWith("state-"));
            state.getStyleClass().add("state-" + e.state().name().toLowerCase().replace('_', '-'));
            boolean reading = e.state() == CacheState.READING || e.state() == CacheState.PAUSED;
            progress.setVisible(reading);
            progress.setManaged(reading);
            progress.setProgress(e.fractionProperty().get() < 0 ? ProgressBar.INDETERMINATE_PROGRESS : e.fractionProperty().get());
            setAccessibleText(s.title() + (origin == null ? "" : " (" + origin + ")") + ", " + e.stateText());
        }
    }
}
