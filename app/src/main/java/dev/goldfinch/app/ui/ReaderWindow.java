package dev.goldfinch.app.ui;

import dev.goldfinch.app.library.DocumentStatus;
import dev.goldfinch.app.library.IngestSource;
import dev.goldfinch.app.library.Source;
import dev.goldfinch.app.ui.controller.DocumentViewController;
import dev.goldfinch.app.ui.controller.ExportController;
import dev.goldfinch.app.ui.controller.HelpController;
import dev.goldfinch.app.ui.controller.ImportController;
import dev.goldfinch.app.ui.controller.CollectionController;
import dev.goldfinch.app.ui.controller.LibraryController;
import dev.goldfinch.app.ui.controller.ModelController;
import dev.goldfinch.app.ui.controller.ReadingController;
import dev.goldfinch.app.ui.controller.SettingsController;
import dev.goldfinch.app.ui.controller.TransferController;
import dev.goldfinch.app.ui.controller.WindowShell;
import dev.goldfinch.app.ui.service.ModelInfo;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.ui.view.AboutDialog;
import dev.goldfinch.app.ui.view.ConversationPane;
import dev.goldfinch.app.ui.view.DocumentPane;
import dev.goldfinch.app.ui.view.ErrorDialog;
import dev.goldfinch.app.ui.view.LibraryPane;
import dev.goldfinch.app.ui.view.PasswordDialog;
import dev.goldfinch.app.ui.view.ShortcutsDialog.Shortcut;
import dev.goldfinch.app.ui.view.StatusBar;
import dev.goldfinch.app.ui.view.WelcomePane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

/**
 * The main window, titled "GoldFinch Reader": the library on the left, the conversation in the centre, the
 * document on the right (toggled), the status bar below; or, before a model has been chosen, the first-start
 * screen. Layout and wiring only: what happens is in the controllers ({@code ui.controller}), one concern each,
 * and every long piece of work runs in its one {@link ReaderService}, never on the JavaFX thread. Closing the
 * window stops the work (a reading keeps its last checkpoint and resumes on the next start).
 */
public final class ReaderWindow implements WindowShell, ModelController.Screens {
    public static final String TITLE = "GoldFinch Reader";
    static final String UI = "/dev/goldfinch/ui/";
    private static final System.Logger LOG = System.getLogger(ReaderWindow.class.getName());

    private final Stage stage;
    private final LaunchOptions options;
    private final Settings settings;
    private FileDialogs dialogs = new FileDialogs.Native();
    private final Image icon;

    @FXML private Parent root;
    @FXML private MenuBar menuBar;
    @FXML private StackPane content;
    @FXML private StackPane statusHolder;
    @FXML private MenuItem addItem;
    @FXML private MenuItem readItem;
    @FXML private MenuItem removeItem;
    @FXML private MenuItem exportReadingItem;
    @FXML private MenuItem importReadingItem;
    @FXML private MenuItem modelItem;
    @FXML private MenuItem downloadItem;
    @FXML private MenuItem modelsItem;
    @FXML private MenuItem settingsItem;
    @FXML private MenuItem newConversationItem;
    @FXML private MenuItem stopItem;
    @FXML private MenuItem focusQuestionItem;
    @FXML private MenuItem exportItem;
    @FXML private MenuItem findItem;
    @FXML private CheckMenuItem documentViewItem;
    @FXML private CheckMenuItem darkItem;
    @FXML private MenuItem quitItem;
    @FXML private MenuItem gettingStartedItem;
    @FXML private MenuItem shortcutsItem;
    @FXML private MenuItem filesItem;
    @FXML private MenuItem aboutItem;

    private final LibraryPane library;
    private final ConversationPane conversation;
    private final DocumentPane documentPane = new DocumentPane();
    private final StatusBar status;
    private final WelcomePane welcome;
    private final SplitPane split = new SplitPane();
    private final Scene scene;
    private final CompletableFuture<ReaderService> ready;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final ReadingController reading;
    private final LibraryController libraryControl;
    private final CollectionController collections;
    private final ImportController imports;
    private final ModelController models;
    private final SettingsController settingsControl;
    private final DocumentViewController documentView;
    private final ExportController export;
    private final TransferController transfer;
    private final HelpController help;
    private ReaderService service;
    private boolean closing;

    public ReaderWindow(Stage stage, LaunchOptions options) {
        this.stage = stage;
        this.options = options;
        this.settings = Settings.load(options.configDir());
        this.icon = new Image(resource("icons/goldfinch-256.png").toExternalForm());
        FXMLLoader loader = new FXMLLoader(resource("main-window.fxml"));
        loader.setController(this);
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the main window layout", e);
        }
        // 1280 x 800, or less on a small (or highly scaled) screen.
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        scene = new Scene(root, Math.min(1280, screen.getWidth() * 0.95), Math.min(800, screen.getHeight() * 0.92));

        library = new LibraryPane(this::addDocuments);
        status = new StatusBar(this::cancelReading);
        reading = new ReadingController(this, library);
        conversation = new ConversationPane(settings::answerOptions, reading::read, this::showSource);
        libraryControl = new LibraryController(this, library, conversation, documentPane, reading);
        imports = new ImportController(this, library, () -> dialogs, reading);
        welcome = new WelcomePane(icon, this::chooseModel, this::downloadModel);
        models = new ModelController(this, options, welcome, () -> dialogs, this, () -> refreshLibrary().thenRun(reading::resumePaused));
        settingsControl = new SettingsController(this, options, scene, darkItem, () -> dialogs, models);

        library.setOnRemove(libraryControl::confirmRemove);
        library.setOnRead(reading::read);
        collections = new CollectionController(this, library, reading);
        library.setOnNewCollection(collections::create);
        library.setOnAddToCollection(collections::add);
        library.setOnArrangeCollection(collections::arrange);
        statusHolder.getChildren().setAll(status);
        split.setId("main-split");
        split.getItems().setAll(library, conversation);
        SplitPane.setResizableWithParent(library, false);
        SplitPane.setResizableWithParent(documentPane, false);
        documentView = new DocumentViewController(this, library, conversation, documentPane, split, documentViewItem);
        export = new ExportController(this, library, conversation, () -> dialogs);
        transfer = new TransferController(this, library, () -> dialogs);
        help = new HelpController(this, options, menuBar, PANE_KEYS, models, () -> dialogs);
        darkItem.setSelected(settings.dark());

        settingsControl.applyTheme();
        wireMenus();
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (STOP_KEY.match(e) && conversation.answeringProperty().get()) {
                conversation.stop();
                e.consume();
            }
        });
        scene.setOnDragOver(imports::dragOver);
        scene.setOnDragDropped(imports::dragDropped);
        stage.setTitle(TITLE);
        stage.getIcons().setAll(icon, new Image(resource("icons/goldfinch-64.png").toExternalForm()));
        stage.setScene(scene);
        stage.setMinWidth(760);
        stage.setMinHeight(480);
        stage.setOnCloseRequest(e -> {
            e.consume();
            close();
        });
        content.getChildren().setAll(WelcomePane.busy("Opening the library…"));
        modelActions(false);
        stage.show();

        status.meterMemory(() -> service == null ? 0 : service.model().map(ModelInfo::fileBytes).orElse(0L), () -> service == null ? 0 : service.snapshotBytes());

        Path store = options.storeFor(settings);
        ready = ReaderService.open(store, new IngestSource(PasswordDialog.asking(stage)), Fx.THREAD);
        ready.whenCompleteAsync((svc, t) -> {
            if (t != null) {
                content.getChildren().setAll(WelcomePane.libraryError("The library " + store + " cannot be opened."));
                ErrorDialog.show(stage, "Cannot open the library", t);
                return;
            }
            if (closing) return;
            service = svc;
            if (svc.readOnly()) status.showReadOnly();
            svc.setOnReadingPaused(reading::pausedForQuestion);
            service.setPrecision(settings.precision());
            service.setCheckpointEvery(settings.checkpointEvery);
            service.setPromptLayout(settings.layout());
            conversation.setService(svc);
            models.start();
        }, Fx.THREAD);
    }

    /** Esc, anywhere in the window, stops the answer being written. */
    private static final javafx.scene.input.KeyCombination STOP_KEY = new javafx.scene.input.KeyCodeCombination(KeyCode.ESCAPE);

    /**
     * The keys the panes answer themselves (the menus' accelerators are read from the menus): Help → Keyboard
     * shortcuts lists them after those. Their handlers are in the panes named.
     */
    static final List<Shortcut> PANE_KEYS = List.of(
            new Shortcut("Anywhere", "Esc", "Stop the answer being written"),
            new Shortcut("Question box", "Enter", "Send the question"),
            new Shortcut("Question box", "Shift+Enter", "Start a new line"),
            new Shortcut("Library", "Delete", "Remove the selected document (after asking)"),
            new Shortcut("Find bar", "Enter", "Next match"),
            new Shortcut("Find bar", "Shift+Enter", "Previous match"),
            new Shortcut("Find bar", "Esc", "Close the find bar"),
            new Shortcut("PDF page view", "Page Down", "Next page"),
            new Shortcut("PDF page view", "Page Up", "Previous page"),
            new Shortcut("PDF page view", "Ctrl++", "Zoom in"),
            new Shortcut("PDF page view", "Ctrl+−", "Zoom out"),
            new Shortcut("PDF page view", "Ctrl+0", "Fit the page to the width"),
            new Shortcut("PDF page view", "Ctrl+wheel", "Zoom"));

    public static URL resource(String name) {
        URL url = ReaderWindow.class.getResource(UI + name);
        if (url == null) throw new IllegalStateException("missing UI resource " + UI + name + " (module ui-resources)");
        return url;
    }

    // ---- what the controllers share (WindowShell), and what tests reach ------------------------------------------

    @Override
    public Stage stage() {
        return stage;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public StatusBar statusBar() {
        return status;
    }

    @Override
    public ReaderService service() {
        return service;
    }

    @Override
    public boolean closing() {
        return closing;
    }

    @Override
    public void saveSettings() {
        settingsControl.save();
    }

    @Override
    public CompletableFuture<List<DocumentStatus>> refreshLibrary() {
        return libraryControl.refresh();
    }

    /** The service once the store is open. */
    public CompletableFuture<ReaderService> ready() {
        return ready;
    }

    /** Completes when the window has closed and its model and store are closed. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    public void setFileDialogs(FileDialogs dialogs) {
        this.dialogs = dialogs;
    }

    /** The model's lifecycle (the catalogue and downloader a test points elsewhere, the download dialog). */
    public ModelController models() {
        return models;
    }

    /** Adding documents (a test adds files without the file chooser). */
    public ImportController imports() {
        return imports;
    }

    public LibraryPane library() {
        return library;
    }

    public ConversationPane conversation() {
        return conversation;
    }

    public DocumentPane documentPane() {
        return documentPane;
    }

    /** The Help menu's pages (a test reads the shortcuts and the places). */
    public HelpController help() {
        return help;
    }

    /** Conversation → Export conversation… (a test waits for the file it writes). */
    public ExportController export() {
        return export;
    }

    /** File → Export reading… / Import reading… (a test waits for what they write). */
    public TransferController transfer() {
        return transfer;
    }

    /** The library's collections: adding a document, arranging (a test adds without dragging). */
    public CollectionController collections() {
        return collections;
    }

    // ---- the menus (main-window.fxml) --------------------------------------------------------------------------

    // Panes made before the controllers they call (the controllers need the panes) reach them through these.
    private void addDocuments() {
        imports.choose();
    }

    private void cancelReading() {
        reading.cancelShown();
    }

    private void chooseModel() {
        models.choose();
    }

    private void downloadModel() {
        models.download();
    }

    private void wireMenus() {
        addItem.setOnAction(e -> imports.choose());
        readItem.setOnAction(e -> library.selected().ifPresent(reading::read));
        removeItem.setOnAction(e -> library.selected().ifPresent(libraryControl::confirmRemove));
        exportReadingItem.setOnAction(e -> transfer.exportReading());
        importReadingItem.setOnAction(e -> transfer.importReading());
        modelItem.setOnAction(e -> models.choose());
        downloadItem.setOnAction(e -> models.download());
        modelsItem.setOnAction(e -> models.showInstalled());
        settingsItem.setOnAction(e -> settingsControl.edit());
        quitItem.setOnAction(e -> close());
        newConversationItem.setOnAction(e -> conversation.startNewConversation());
        stopItem.setOnAction(e -> conversation.stop());
        stopItem.disableProperty().bind(conversation.answeringProperty().not());
        focusQuestionItem.setOnAction(e -> conversation.input().requestFocus());
        documentViewItem.setOnAction(e -> documentView.toggle());
        findItem.setOnAction(e -> documentView.find());
        exportItem.setOnAction(e -> export.export());
        darkItem.setOnAction(e -> settingsControl.toggleTheme());
        gettingStartedItem.setOnAction(e -> help.showGettingStarted());
        shortcutsItem.setOnAction(e -> help.showShortcuts());
        filesItem.setOnAction(e -> help.showPlaces());
        aboutItem.setOnAction(e -> AboutDialog.show(stage, new Image(resource("icons/goldfinch-64.png").toExternalForm()),
                service == null ? "not open" : service.storeFile().toString(), options.configDir().resolve(Settings.FILE_NAME).toString()));
    }

    // ---- layout ------------------------------------------------------------------------------------------------

    @Override
    public void modelActions(boolean on) {
        for (MenuItem m : List.of(addItem, readItem, removeItem, exportReadingItem, importReadingItem, newConversationItem, focusQuestionItem)) m.setDisable(!on);
    }

    @Override
    public void showWelcome() {
        content.getChildren().setAll(welcome);
    }

    @Override
    public void showMain() {
        content.getChildren().setAll(split);
        documentView.arrange();
    }

    /** A cited passage: the document view opens at its page, with the passage selected. */
    public void showSource(Source s) {
        documentView.showSource(s);
    }

    // ---- closing -----------------------------------------------------------------------------------------------

    /**
     * Closes the window at once; the work stops in the background (a reading keeps its last checkpoint), then the
     * model and the store are closed and {@link #closed()} completes.
     */
    public void close() {
        if (closing) return;
        closing = true;
        status.stopMemoryMeter();
        conversation.stop();
        reading.cancelAll();
        models.close();
        stage.hide();
        ready.handle((svc, t) -> svc).thenAcceptAsync(svc -> {
            try {
                if (svc != null) svc.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the library", e);
            } finally {
                closed.complete(null);
            }
        }, r -> Thread.ofPlatform().name("goldfinch-close").start(r));
    }
}
