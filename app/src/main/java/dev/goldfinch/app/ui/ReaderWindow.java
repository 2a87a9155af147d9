package dev.goldfinch.app.ui;

import dev.goldfinch.app.models.MachineMemory;
import dev.goldfinch.app.models.MachineSpeed;
import dev.goldfinch.app.models.ModelCatalogue;
import dev.goldfinch.app.models.ModelDownloader;
import dev.goldfinch.app.library.CacheState;
import dev.goldfinch.app.library.DocumentStatus;
import dev.goldfinch.app.ui.service.Job;
import dev.goldfinch.app.ui.service.ModelInfo;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.library.Source;
import dev.goldfinch.app.library.DocumentSource;
import dev.goldfinch.app.library.IngestSource;
import dev.goldfinch.app.ui.view.ConversationPane;
import dev.goldfinch.app.ui.view.DocumentPane;
import dev.goldfinch.app.ui.view.DownloadDialog;
import dev.goldfinch.app.ui.view.ErrorDialog;
import dev.goldfinch.app.ui.view.Format;
import dev.goldfinch.app.ui.view.LibraryEntry;
import dev.goldfinch.app.ui.view.LibraryPane;
import dev.goldfinch.app.ui.view.SettingsDialog;
import dev.goldfinch.app.ui.view.StatusBar;
import dev.goldfinch.app.ui.view.WelcomePane;
import dev.goldfinch.engine.model.WeightFormat;
import dev.goldfinch.engine.reading.PrefillCancelledException;
import dev.goldfinch.engine.reading.PrefillProgress;
import dev.goldfinch.engine.store.CacheInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Dialog;
import javafx.scene.control.PasswordField;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.SplitPane;
import javafx.scene.image.Image;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * The main window, titled "GoldFinch Reader": the library on the left, the conversation in the centre, the
 * document on the right (toggled), the status bar below; or, before a model has been chosen, the first-start
 * screen. It owns one {@link ReaderService}: every long piece of work runs there, never on the JavaFX thread.
 * Closing the window stops the work (a reading keeps its last checkpoint and resumes on the next start).
 */
public final class ReaderWindow {
    public static final String TITLE = "GoldFinch Reader";
    static final String UI = "/dev/goldfinch/ui/";
    private static final System.Logger LOG = System.getLogger(ReaderWindow.class.getName());

    private final Stage stage;
    private final LaunchOptions options;
    private final Settings settings;
    private final DocumentSource source;
    private FileDialogs dialogs = new FileDialogs.Native();
    private final Image icon;

    @FXML private Parent root;
    @FXML private StackPane content;
    @FXML private StackPane statusHolder;
    @FXML private MenuItem addItem;
    @FXML private MenuItem readItem;
    @FXML private MenuItem removeItem;
    @FXML private MenuItem modelItem;
    @FXML private MenuItem downloadItem;
    @FXML private MenuItem settingsItem;
    @FXML private MenuItem newConversationItem;
    @FXML private MenuItem stopItem;
    @FXML private MenuItem focusQuestionItem;
    @FXML private CheckMenuItem documentViewItem;
    @FXML private CheckMenuItem darkItem;

    private final LibraryPane library;
    private final ConversationPane conversation;
    private final DocumentPane documentPane = new DocumentPane();
    private final StatusBar status;
    private final WelcomePane welcome;
    private final SplitPane split = new SplitPane();
    private final Scene scene;
    private final Timeline memoryTimer;
    private final CompletableFuture<ReaderService> ready;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Map<Long, Job<CacheInfo>> readings = new LinkedHashMap<>();
    private ReaderService service;
    private ModelCatalogue catalogue;
    private ModelDownloader.Options downloaderOptions = ModelDownloader.Options.defaults();
    private DownloadDialog downloadDialog;
    /** The download dialog waits for the machine's speed, measured once off the UI thread. */
    private boolean probingSpeed;
    private long readingShown = -1;
    private boolean closing;

    public ReaderWindow(Stage stage, LaunchOptions options) {
        this.stage = stage;
        this.options = options;
        this.source = new IngestSource(this::askPassword);
        this.settings = Settings.load(options.configDir());
        this.icon = new Image(resource("icons/goldfinch-256.png").toExternalForm());
        FXMLLoader loader = new FXMLLoader(resource("main-window.fxml"));
        loader.setController(this);
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the main window layout", e);
        }
        library = new LibraryPane(this::addDocuments);
        library.setOnRemove(this::confirmRemove);
        library.setOnRead(this::read);
        conversation = new ConversationPane(settings::answerOptions, this::read, this::showSource);
        status = new StatusBar(this::cancelReading);
        welcome = new WelcomePane(icon, this::chooseModel, this::downloadModel);
        statusHolder.getChildren().setAll(status);
        split.setId("main-split");
        split.getItems().setAll(library, conversation);
        SplitPane.setResizableWithParent(library, false);
        SplitPane.setResizableWithParent(documentPane, false);
        library.selectedProperty().addListener((o, a, b) -> selectionChanged(b));
        documentViewItem.setSelected(settings.documentViewShown);
        darkItem.setSelected(settings.dark());
        stopItem.disableProperty().bind(conversation.answeringProperty().not());

        // 1280 x 800, or less on a small (or highly scaled) screen.
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        scene = new Scene(root, Math.min(1280, screen.getWidth() * 0.95), Math.min(800, screen.getHeight() * 0.92));
        applyTheme();
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && conversation.answeringProperty().get()) {
                conversation.stop();
                e.consume();
            }
        });
        scene.setOnDragOver(this::dragOver);
        scene.setOnDragDropped(this::dragDropped);
        stage.setTitle(TITLE);
        stage.getIcons().setAll(icon, new Image(resource("icons/goldfinch-64.png").toExternalForm()));
        stage.setScene(scene);
        stage.setMinWidth(760);
        stage.setMinHeight(480);
        stage.setOnCloseRequest(e -> {
            e.consume();
            close();
        });
        showBusy("Opening the library…");
        setModelActions(false);
        stage.show();

        memoryTimer = new Timeline(new KeyFrame(Duration.seconds(2), e -> showMemory()));
        memoryTimer.setCycleCount(Timeline.INDEFINITE);
        memoryTimer.play();

        Path store = options.storeFor(settings);
        ready = ReaderService.open(store, source, Fx.THREAD);
        ready.whenCompleteAsync((svc, t) -> {
            if (t != null) {
                showWelcomeError("The library " + store + " cannot be opened.");
                ErrorDialog.show(stage, "Cannot open the library", t);
                return;
            }
            if (closing) return;
            service = svc;
            if (svc.readOnly()) status.showReadOnly();
            service.setPrecision(settings.precision());
            service.setCheckpointEvery(settings.checkpointEvery);
            service.setPromptLayout(settings.layout());
            conversation.setService(svc);
            startModel();
        }, Fx.THREAD);
    }

    public static URL resource(String name) {
        URL url = ReaderWindow.class.getResource(UI + name);
        if (url == null) throw new IllegalStateException("missing UI resource " + UI + name + " (module ui-resources)");
        return url;
    }

    // ---- what tests (and the app) reach ---------------------------------------------------------------------

    public Stage stage() {
        return stage;
    }

    public Settings settings() {
        return settings;
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

    /** The catalogue "Download a model…" offers (the application's own unless set: another mirror, a test server). */
    public void setModelCatalogue(ModelCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    public void setDownloaderOptions(ModelDownloader.Options options) {
        this.downloaderOptions = options;
    }

    /** The download dialog while it is open, else empty. */
    public Optional<DownloadDialog> downloadDialog() {
        return Optional.ofNullable(downloadDialog).filter(d -> d.stage().isShowing());
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

    public StatusBar statusBar() {
        return status;
    }

    // ---- model -----------------------------------------------------------------------------------------------

    private void startModel() {
        Path model = options.model() != null ? options.model() : settings.modelPath == null ? null : Path.of(settings.modelPath);
        Path vocab = options.vocab() != null ? options.vocab() : settings.vocabPath == null ? null : Path.of(settings.vocabPath);
        if (model == null || vocab == null || !Files.isRegularFile(model) || !Files.isRegularFile(vocab)) {
            if (model != null && options.model() != null) {
                ErrorDialog.show(stage, "Cannot open the model", new IllegalArgumentException(
                        !Files.isRegularFile(model) ? "no checkpoint at " + model : "no vocabulary file " + (vocab == null ? "was given (--vocab)" : "at " + vocab)));
            }
            showWelcome();
            return;
        }
        loadModel(model, vocab, false);
    }

    /** "Open a checkpoint…": the .pth, then its vocabulary (found beside it when it is there). */
    @FXML
    public void chooseModel() {
        Optional<Path> pth = dialogs.chooseCheckpoint(stage);
        if (pth.isEmpty()) return;
        Optional<Path> vocab = LaunchOptions.vocabularyBeside(pth.get()).or(() -> dialogs.chooseVocabulary(stage, pth.get()));
        if (vocab.isEmpty()) return;
        useModel(pth.get(), vocab.get());
    }

    /**
     * "Download a model…": the catalogue in a dialog; a finished download is loaded and remembered as if it had been
     * opened with "Open a checkpoint…". The transfer runs on the dialog's own thread.
     */
    @FXML
    public void downloadModel() {
        if (downloadDialog != null && downloadDialog.stage().isShowing()) {
            downloadDialog.stage().toFront();
            return;
        }
        ModelCatalogue cat;
        try {
            cat = catalogue != null ? catalogue : ModelCatalogue.load();
        } catch (RuntimeException e) {
            ErrorDialog.show(stage, "Cannot read the list of models", e);
            return;
        }
        if (probingSpeed) return;
        // The reading times need a short FMA probe the first time (under half a second): run off the UI thread, remembered after.
        probingSpeed = true;
        CompletableFuture.supplyAsync(MachineSpeed::prefillFlops).whenCompleteAsync((flops, t) -> {
            probingSpeed = false;
            if (closing) return;
            if (t != null) {
                ErrorDialog.show(stage, "Cannot measure this machine's speed", Fx.cause(t));
                return;
            }
            openDownloadDialog(cat, flops);
        }, Fx.THREAD);
    }

    private void openDownloadDialog(ModelCatalogue cat, double prefillFlops) {
        DownloadDialog d = new DownloadDialog(stage, cat, settings.modelsFolder(), MachineMemory.total(), prefillFlops, downloaderOptions, installed -> {
            if (closing) return;
            CompletableFuture<ModelInfo> f = useModel(installed.checkpoint(), installed.vocab());
            f.whenCompleteAsync((info, t) -> {
                if (downloadDialog != null) downloadDialog.modelLoaded(installed.entry().name(), t == null ? null : Fx.cause(t));
            }, Fx.THREAD);
        });
        downloadDialog = d;
        d.show();
    }

    /** Loads a model and remembers it in the settings once it loaded. */
    public CompletableFuture<ModelInfo> useModel(Path checkpoint, Path vocabulary) {
        return loadModel(checkpoint, vocabulary, true);
    }

    private CompletableFuture<ModelInfo> loadModel(Path checkpoint, Path vocabulary, boolean remember) {
        if (service == null) return CompletableFuture.failedFuture(new IllegalStateException("the library is not open"));
        welcome.setBusy("Loading " + checkpoint.getFileName() + "…");
        status.showMessage("Loading the model " + checkpoint.getFileName() + "…");
        setModelActions(false);
        CompletableFuture<ModelInfo> f = service.loadModel(checkpoint, vocabulary, settings.effectiveThreads(), weightFormat(checkpoint));
        f.whenCompleteAsync((info, t) -> {
            if (closing) return;
            welcome.setBusy(null);
            if (t != null) {
                status.showMessage("");
                setModelActions(service.model().isPresent());
                if (service.model().isEmpty()) showWelcome();
                ErrorDialog.show(stage, "Cannot open the model " + checkpoint.getFileName(), t);
                return;
            }
            if (remember) {
                settings.modelPath = checkpoint.toAbsolutePath().normalize().toString();
                settings.vocabPath = vocabulary.toAbsolutePath().normalize().toString();
                saveSettings();
            }
            status.showModel(info);
            showMemory();
            status.showMessage("Model loaded.");
            setModelActions(true);
            showMain();
            refreshLibrary().thenRun(this::resumePausedReadings);
        }, Fx.THREAD);
        return f;
    }

    /** int8 or stored weights for this checkpoint, by the settings and this computer's memory. */
    private WeightFormat weightFormat(Path checkpoint) {
        long bytes;
        try {
            bytes = Files.size(checkpoint);
        } catch (IOException e) {
            bytes = 0; // the load itself reports the missing or unreadable file
        }
        return settings.weightFormat(bytes, MachineMemory.total());
    }

    private void setModelActions(boolean on) {
        for (MenuItem m : List.of(addItem, readItem, removeItem, newConversationItem, focusQuestionItem)) m.setDisable(!on);
    }

    // ---- content ---------------------------------------------------------------------------------------------

    private void showBusy(String what) {
        ProgressIndicator p = new ProgressIndicator();
        p.setMaxSize(48, 48);
        Label l = new Label(what);
        l.getStyleClass().add("hint");
        VBox box = new VBox(12, p, l);
        box.setAlignment(Pos.CENTER);
        content.getChildren().setAll(box);
    }

    private void showWelcome() {
        content.getChildren().setAll(welcome);
    }

    private void showWelcomeError(String text) {
        Label l = new Label(text + "\nChoose another store with  ./goldfinch app --store FILE, or move the file away.");
        l.setWrapText(true);
        l.getStyleClass().add("placeholder");
        content.getChildren().setAll(l);
    }

    private void showMain() {
        if (documentViewItem.isSelected() && !split.getItems().contains(documentPane)) split.getItems().add(documentPane);
        content.getChildren().setAll(split);
        split.setDividerPositions(split.getItems().size() == 3 ? new double[] {0.24, 0.70} : new double[] {0.28});
    }

    @FXML
    public void toggleDocumentView() {
        boolean show = documentViewItem.isSelected();
        if (show && !split.getItems().contains(documentPane)) {
            split.getItems().add(documentPane);
            split.setDividerPositions(0.24, 0.70);
            library.selected().ifPresent(this::loadDocumentText);
        } else if (!show) {
            split.getItems().remove(documentPane);
        }
        settings.documentViewShown = show;
        saveSettings();
    }

    private void selectionChanged(LibraryEntry e) {
        conversation.setDocument(e);
        if (e == null) {
            documentPane.clear();
        } else if (split.getItems().contains(documentPane)) {
            loadDocumentText(e);
        }
    }

    private CompletableFuture<Void> loadDocumentText(LibraryEntry e) {
        if (service == null || documentPane.documentId() == e.id()) return CompletableFuture.completedFuture(null);
        long id = e.id();
        return service.documentText(id).handleAsync((doc, t) -> {
            if (t != null) {
                ErrorDialog.show(stage, "Cannot show the document", t);
            } else if (library.selected().map(LibraryEntry::id).orElse(-1L) == id) {
                documentPane.show(id, e.title(), doc);
            }
            return null;
        }, Fx.THREAD);
    }

    /** A cited passage: the document view opens (if it was closed) at its page, with the passage selected. */
    public void showSource(Source s) {
        if (!documentViewItem.isSelected()) {
            documentViewItem.setSelected(true);
            toggleDocumentView();
        }
        library.selected().ifPresent(e -> loadDocumentText(e).thenRunAsync(() -> documentPane.highlight(s.start(), s.end()), Fx.THREAD));
    }

    // ---- the library ---------------------------------------------------------------------------------------------

    public CompletableFuture<List<DocumentStatus>> refreshLibrary() {
        if (service == null || closing) return CompletableFuture.completedFuture(List.of());
        return service.library().whenCompleteAsync((list, t) -> {
            if (t != null) {
                ErrorDialog.show(stage, "Cannot read the library", t);
                return;
            }
            library.update(list);
            if (library.selected().isEmpty() && !list.isEmpty()) library.select(list.getLast().id());
            library.selected().ifPresent(conversation::setDocument);
        }, Fx.THREAD);
    }

    private void resumePausedReadings() {
        for (LibraryEntry e : library.entries()) {
            if (e.state() == CacheState.PAUSED) read(e);
        }
    }

    /** Ctrl+O: choose documents and add them. */
    @FXML
    public void addDocuments() {
        if (service == null || service.model().isEmpty()) return;
        List<Path> files = dialogs.chooseDocuments(stage);
        if (!files.isEmpty()) importFiles(files);
    }

    /** Adds files to the library and reads each new one; failures are shown together in one dialog. */
    public CompletableFuture<Void> importFiles(List<Path> files) {
        if (service == null || service.model().isEmpty()) {
            ErrorDialog.show(stage, "Cannot add documents", new IllegalStateException("open a model first (File → Open a checkpoint…)"));
            return CompletableFuture.completedFuture(null);
        }
        status.showMessage(files.size() == 1 ? "Adding " + files.getFirst().getFileName() + "…" : "Adding " + files.size() + " documents…");
        List<CompletableFuture<?>> all = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        StringBuilder details = new StringBuilder();
        for (Path f : files) {
            all.add(service.importFile(f).handleAsync((imported, t) -> {
                if (t != null) {
                    Throwable c = Fx.cause(t);
                    String line = ErrorDialog.message(c);
                    failures.add(line.contains(f.getFileName().toString()) ? line : f.getFileName() + ": " + line);
                    details.append(f).append(":\n").append(ErrorDialog.details(c)).append('\n');
                    return null;
                }
                status.showMessage(imported.alreadyThere() ? "“" + imported.title() + "” is already in the library." : "Added “" + imported.title() + "”.");
                refreshLibrary().thenRunAsync(() -> {
                    library.select(imported.documentId());
                    library.entry(imported.documentId()).filter(e -> e.state() != CacheState.READY).ifPresent(this::read);
                }, Fx.THREAD);
                return null;
            }, Fx.THREAD));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenRunAsync(() -> {
            if (failures.isEmpty()) return;
            String what = failures.size() == 1 ? "Cannot add " + files.stream().filter(p -> failures.getFirst().contains(p.getFileName().toString()))
                    .findFirst().map(p -> p.getFileName().toString()).orElse("the document") : "Cannot add " + failures.size() + " documents";
            status.showMessage(what + ".");
            ErrorDialog.show(stage, what, String.join("\n", failures), details.toString());
        }, Fx.THREAD);
    }

    private void dragOver(DragEvent e) {
        if (e.getDragboard().hasFiles() && service != null && service.model().isPresent()) e.acceptTransferModes(TransferMode.COPY);
        e.consume();
    }

    private void dragDropped(DragEvent e) {
        boolean ok = e.getDragboard().hasFiles();
        if (ok) importFiles(e.getDragboard().getFiles().stream().map(java.io.File::toPath).toList());
        e.setDropCompleted(ok);
        e.consume();
    }

    @FXML
    public void removeSelected() {
        library.selected().ifPresent(this::confirmRemove);
    }

    private void confirmRemove(LibraryEntry e) {
        if (e == null || service == null) return;
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION);
        confirm.initOwner(stage);
        confirm.getDialogPane().getStylesheets().setAll(scene.getStylesheets());
        confirm.setTitle("Remove document");
        confirm.setHeaderText("Remove “" + e.title() + "” from the library?");
        long bytes = e.cacheBytesProperty().get();
        confirm.setContentText("Its saved reading" + (bytes > 0 ? " (" + Format.bytes(bytes) + ")" : "")
                + " and its conversations are deleted too. The file itself is not touched.");
        ButtonType remove = new ButtonType("Remove", ButtonBar.ButtonData.OK_DONE);
        confirm.getButtonTypes().setAll(remove, ButtonType.CANCEL);
        ((javafx.scene.control.Button) confirm.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        ((javafx.scene.control.Button) confirm.getDialogPane().lookupButton(remove)).setDefaultButton(false);
        if (confirm.showAndWait().orElse(ButtonType.CANCEL) != remove) return;
        remove(e.id());
    }

    /** Removes a document without asking (the confirmation is {@link #confirmRemove}). */
    public CompletableFuture<Void> remove(long id) {
        Job<CacheInfo> r = readings.get(id);
        if (r != null) r.cancel();
        return service.remove(id).whenCompleteAsync((v, t) -> {
            if (t != null) {
                ErrorDialog.show(stage, "Cannot remove the document", t);
                return;
            }
            library.remove(id);
            if (documentPane.documentId() == id) documentPane.clear();
            status.showMessage("Document removed.");
            refreshLibrary();
        }, Fx.THREAD);
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    @FXML
    public void readSelected() {
        library.selected().ifPresent(this::read);
    }

    /** Reads a document in the background (resuming a paused reading); the status bar shows speed and time left. */
    public void read(LibraryEntry e) {
        if (e == null || service == null || service.model().isEmpty() || e.state() == CacheState.READY) return;
        if (readings.containsKey(e.id())) return;
        long id = e.id();
        Job<CacheInfo> job = service.read(id, p -> progress(id, p));
        readings.put(id, job);
        e.stateProperty().set(CacheState.READING);
        if (e.fractionProperty().get() <= 0) e.fractionProperty().set(-1);
        if (readingShown < 0) {
            readingShown = id;
            status.showReading(e.title(), null);
        }
        job.result().whenCompleteAsync((info, t) -> {
            readings.remove(id, job);
            if (readingShown == id) {
                readingShown = -1;
                status.showReading(null, null);
                readings.keySet().stream().findFirst().flatMap(library::entry).ifPresent(next -> {
                    readingShown = next.id();
                    status.showReading(next.title(), null);
                });
            }
            Throwable c = t == null ? null : Fx.cause(t);
            if (c instanceof PrefillCancelledException p) {
                status.showMessage("Reading of “" + e.title() + "” paused; " + Format.plural(p.savedPositions(), "token is", "tokens are") + " kept.");
            } else if (c != null) {
                if (!closing) ErrorDialog.show(stage, "Cannot read “" + e.title() + "”", c);
            } else {
                status.showMessage("“" + e.title() + "” is ready: read " + Format.plural(info.totalTokens(), "token", "tokens") + " in "
                        + Format.duration(info.seconds()) + "; its cache takes " + Format.bytes(info.bytes() + info.stateBytes()) + ".");
            }
            if (!closing) refreshLibrary();
        }, Fx.THREAD);
    }

    private void progress(long id, PrefillProgress p) {
        library.entry(id).ifPresent(e -> {
            if (!readings.containsKey(id)) return;
            e.stateProperty().set(CacheState.READING);
            e.fractionProperty().set(p.fraction());
            readingShown = id;
            status.showReading(e.title(), p);
        });
    }

    /** The status bar's Cancel: stops the reading now running; what was read up to its last checkpoint is kept. */
    public void cancelReading() {
        Job<CacheInfo> j = readings.get(readingShown);
        if (j == null && !readings.isEmpty()) j = readings.values().iterator().next();
        if (j != null) j.cancel();
    }

    // ---- conversation ------------------------------------------------------------------------------------------

    @FXML
    public void newConversation() {
        conversation.startNewConversation();
    }

    @FXML
    public void stopAnswer() {
        conversation.stop();
    }

    @FXML
    public void focusQuestion() {
        conversation.input().requestFocus();
    }

    // ---- settings, theme, about ------------------------------------------------------------------------------

    @FXML
    public void openSettings() {
        Path store = service == null ? options.storeFor(settings) : service.storeFile();
        SettingsDialog.edit(stage, settings, store, dialogs).ifPresent(s -> {
            boolean threadsChanged = s.threads != settings.threads;
            settings.weights = s.weights;
            settings.threads = s.threads;
            settings.temperature = s.temperature;
            settings.topP = s.topP;
            settings.maxAnswerTokens = s.maxAnswerTokens;
            settings.cachePrecision = s.cachePrecision;
            boolean layoutChanged = settings.layout() != s.layout();
            settings.promptLayout = s.promptLayout;
            settings.think = s.think;
            settings.theme = s.theme;
            settings.modelsDir = s.modelsDir;
            if (!java.util.Objects.equals(s.storePath, settings.storePath)) {
                settings.storePath = s.storePath;
                status.showMessage(options.store() != null ? "The new store is used when the app starts without --store."
                        : "The new store " + s.storePath + " is used from the next start.");
            }
            darkItem.setSelected(settings.dark());
            applyTheme();
            saveSettings();
            if (service != null) {
                service.setPrecision(settings.precision());
                // Another layout may read documents another way: the library shows which are out of date then.
                if (layoutChanged) service.setPromptLayout(settings.layout()).thenRunAsync(this::refreshLibrary, Fx.THREAD);
                if (threadsChanged) service.setThreads(settings.effectiveThreads()).thenAcceptAsync(status::showThreads, Fx.THREAD);
                // A different weight format takes effect by loading the model in use again; not in the middle of a reading,
                // whose cache would then be continued with other weights.
                service.model().filter(m -> m.weights() != settings.weightFormat(m.fileBytes(), MachineMemory.total())).ifPresent(m -> {
                    if (service.isReading()) status.showMessage("The model weights setting applies the next time a model is loaded (a document is being read).");
                    else loadModel(m.checkpoint(), m.vocabulary(), false);
                });
            }
        });
    }

    @FXML
    public void toggleTheme() {
        settings.theme = darkItem.isSelected() ? "dark" : "light";
        applyTheme();
        saveSettings();
    }

    private void applyTheme() {
        scene.getStylesheets().setAll(resource("base.css").toExternalForm(), resource(settings.dark() ? "dark.css" : "light.css").toExternalForm());
    }

    @FXML
    public void about() {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(stage);
        a.getDialogPane().getStylesheets().setAll(scene.getStylesheets());
        a.setTitle("About GoldFinch Reader");
        a.setHeaderText("GoldFinch Reader 0.1");
        a.setGraphic(new javafx.scene.image.ImageView(new Image(resource("icons/goldfinch-64.png").toExternalForm())));
        a.setContentText("Reads a document once with a GoldFinch model on this computer, keeps the model's compressed cache of it, "
                + "and answers questions from that cache.\n\nStore: " + (service == null ? "not open" : service.storeFile())
                + "\nSettings: " + options.configDir().resolve(Settings.FILE_NAME));
        a.show();
    }

    private void saveSettings() {
        try {
            settings.save(options.configDir());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot save the settings in " + options.configDir(), e);
            status.showMessage("The settings could not be saved: " + e.getMessage());
        }
    }

    private void showMemory() {
        if (service == null) return;
        Runtime rt = Runtime.getRuntime();
        long model = service.model().map(ModelInfo::fileBytes).orElse(0L);
        status.showMemory(model, service.snapshotBytes(), rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Asks for the password of an encrypted document (called by ingest on the import thread, which waits for the
     * answer); null when the person cancels.
     */
    private String askPassword(Path file) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Fx.THREAD.execute(() -> {
            Dialog<String> d = new Dialog<>();
            d.initOwner(stage);
            d.getDialogPane().getStylesheets().setAll(scene.getStylesheets());
            d.setTitle("Password");
            d.setHeaderText("“" + file.getFileName() + "” is protected by a password.");
            PasswordField field = new PasswordField();
            field.setId("document-password");
            field.setPromptText("Password");
            d.getDialogPane().setContent(new VBox(8, new Label("Enter its password to add it to the library:"), field));
            d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
            d.setResultConverter(b -> b == ButtonType.OK ? field.getText() : null);
            javafx.application.Platform.runLater(field::requestFocus);
            answer.complete(d.showAndWait().orElse(null));
        });
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        }
    }

    // ---- closing -----------------------------------------------------------------------------------------------

    @FXML
    public void quit() {
        close();
    }

    /**
     * Closes the window at once; the work stops in the background (a reading keeps its last checkpoint), then the
     * model and the store are closed and {@link #closed()} completes.
     */
    public void close() {
        if (closing) return;
        closing = true;
        memoryTimer.stop();
        conversation.stop();
        readings.values().forEach(Job::cancel);
        if (downloadDialog != null) {
            downloadDialog.pause();
            downloadDialog.stage().close();
        }
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
