package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.models.DownloadOptions;
import dev.goldfinch.app.models.LocalModel;
import dev.goldfinch.app.models.MachineMemory;
import dev.goldfinch.app.models.MachineSpeed;
import dev.goldfinch.app.models.ModelCatalogue;
import dev.goldfinch.app.models.ModelsFolder;
import dev.goldfinch.app.ui.FileDialogs;
import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.ui.LaunchOptions;
import dev.goldfinch.app.ui.Settings;
import dev.goldfinch.app.ui.service.ModelInfo;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.ui.view.DeleteModelDialog;
import dev.goldfinch.app.ui.view.DownloadDialog;
import dev.goldfinch.app.ui.view.ErrorDialog;
import dev.goldfinch.app.ui.view.ModelsDialog;
import dev.goldfinch.app.ui.view.WelcomePane;
import dev.goldfinch.engine.model.WeightFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The model's lifecycle in the window: the one remembered (or given on the command line) loaded at start, "Open a
 * checkpoint…", "Download a model…" and its dialog, "Models…" (the models folder: switch, delete), loading (int8 or as stored, by the settings and the memory),
 * remembering the choice, and what the window shows while none is loaded.
 */
public final class ModelController {
    /** What the window does as the model comes and goes. */
    public interface Screens {
        /** The first-start screen (no model). */
        void showWelcome();

        /** The library, conversation and document (a model is loaded). */
        void showMain();

        /** Menu items that need a model, on or off. */
        void modelActions(boolean on);
    }

    private final WindowShell window;
    private final LaunchOptions options;
    private final WelcomePane welcome;
    private final Supplier<FileDialogs> dialogs;
    private final Screens screens;
    private final Runnable loaded;
    private ModelCatalogue catalogue;
    private DownloadOptions downloaderOptions = DownloadOptions.defaults();
    private DownloadDialog downloadDialog;
    private ModelsDialog modelsDialog;
    private final RecallController recall;
    /** The download dialog waits for the machine's speed, measured once off the UI thread. */
    private boolean probingSpeed;

    /** {@code loaded} runs each time a model has loaded (the library is read again with it then). */
    public ModelController(WindowShell window, LaunchOptions options, WelcomePane welcome, Supplier<FileDialogs> dialogs, Screens screens, Runnable loaded) {
        this.window = window;
        this.options = options;
        this.welcome = welcome;
        this.dialogs = dialogs;
        this.screens = screens;
        this.loaded = loaded;
        this.recall = new RecallController(window, () -> modelsDialog().ifPresent(ModelsDialog::refresh));
    }

    /** The models' recall checks (their verdicts in the models list, their dialogs). */
    public RecallController recall() {
        return recall;
    }

    public void setCatalogue(ModelCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    public void setDownloaderOptions(DownloadOptions options) {
        this.downloaderOptions = options;
    }

    public Optional<ModelsDialog> modelsDialog() {
        return Optional.ofNullable(modelsDialog).filter(d -> d.stage().isShowing());
    }

    public Optional<DownloadDialog> downloadDialog() {
        return Optional.ofNullable(downloadDialog).filter(d -> d.stage().isShowing());
    }

    /** At start: the model given on the command line or remembered, else the first-start screen. */
    public void start() {
        Settings settings = window.settings();
        Path model = options.model() != null ? options.model() : settings.modelPath == null ? null : Path.of(settings.modelPath);
        Path vocab = options.vocab() != null ? options.vocab() : settings.vocabPath == null ? null : Path.of(settings.vocabPath);
        if (model == null || vocab == null || !Files.isRegularFile(model) || !Files.isRegularFile(vocab)) {
            if (model != null && options.model() != null) {
                ErrorDialog.show(window.stage(), "Cannot open the model", new IllegalArgumentException(
                        !Files.isRegularFile(model) ? "no checkpoint at " + model : "no vocabulary file " + (vocab == null ? "was given (--vocab)" : "at " + vocab)));
            }
            screens.showWelcome();
            return;
        }
        load(model, vocab, false);
    }

    /** "Open a checkpoint…": the .pth, then its vocabulary (found beside it when it is there). */
    public void choose() {
        Optional<Path> pth = dialogs.get().chooseCheckpoint(window.stage());
        if (pth.isEmpty()) return;
        Optional<Path> vocab = LaunchOptions.vocabularyBeside(pth.get()).or(() -> dialogs.get().chooseVocabulary(window.stage(), pth.get()));
        if (vocab.isEmpty()) return;
        use(pth.get(), vocab.get());
    }

    /**
     * "Download a model…": the catalogue in a dialog; a finished download is loaded and remembered as if it had been
     * opened with "Open a checkpoint…". The transfer runs on the dialog's own thread.
     */
    public void download() {
        if (downloadDialog != null && downloadDialog.stage().isShowing()) {
            downloadDialog.stage().toFront();
            return;
        }
        ModelCatalogue cat;
        try {
            cat = catalogue != null ? catalogue : ModelCatalogue.load();
        } catch (RuntimeException e) {
            ErrorDialog.show(window.stage(), "Cannot read the list of models", e);
            return;
        }
        if (probingSpeed) return;
        // The reading times need a short FMA probe the first time (under half a second): run off the UI thread, remembered after.
        probingSpeed = true;
        CompletableFuture.supplyAsync(MachineSpeed::prefillFlops).whenCompleteAsync((flops, t) -> {
            probingSpeed = false;
            if (window.closing()) return;
            if (t != null) {
                ErrorDialog.show(window.stage(), "Cannot measure this machine's speed", Fx.cause(t));
                return;
            }
            openDownloadDialog(cat, flops);
        }, Fx.THREAD);
    }

    private void openDownloadDialog(ModelCatalogue cat, double prefillFlops) {
        DownloadDialog d = new DownloadDialog(window.stage(), cat, window.settings().modelsFolder(), MachineMemory.total(), prefillFlops, downloaderOptions,
                installed -> {
                    if (window.closing()) return;
                    use(installed.checkpoint(), installed.vocab()).whenCompleteAsync((info, t) -> {
                        if (downloadDialog != null) downloadDialog.modelLoaded(installed.entry().name(), t == null ? null : Fx.cause(t));
                    }, Fx.THREAD);
                });
        downloadDialog = d;
        d.show();
    }

    /**
     * "Models…": the models folder's models with their size and the one in use; switching loads one as "Open a
     * checkpoint…" does (after the reading in progress, if any), deleting asks first and is refused for the model in
     * use (switch to another first).
     */
    public void showInstalled() {
        if (modelsDialog != null && modelsDialog.stage().isShowing()) {
            modelsDialog.stage().toFront();
            return;
        }
        Path folder = window.settings().modelsFolder();
        modelsDialog = new ModelsDialog(window.stage(), folder, () -> installed(folder), this::inUse, m -> {
            if (window.service() != null && window.service().isReading()) {
                window.statusBar().showMessage("The model changes once the document being read is done (or its reading is cancelled).");
            }
            return use(m.checkpoint(), m.vocab());
        }, m -> delete(m, folder), m -> DeleteModelDialog.confirm(modelsDialog.stage(), m), recall);
        modelsDialog.show();
    }

    /** The checkpoint of the model in use, if one is. */
    private Optional<Path> inUse() {
        ReaderService service = window.service();
        return service == null ? Optional.empty() : service.model().map(ModelInfo::checkpoint);
    }

    private CompletableFuture<List<LocalModel>> installed(Path folder) {
        ModelCatalogue cat = catalogue;
        return CompletableFuture.supplyAsync(() -> ModelsFolder.list(cat != null ? cat : ModelCatalogue.load(), folder), ModelController::offFx);
    }

    /** Deletes a model's files off the JavaFX thread; never the one in use. The settings forget it if they named it. */
    private CompletableFuture<Void> delete(LocalModel m, Path folder) {
        if (inUse().map(p -> p.toAbsolutePath().normalize().equals(m.checkpoint().toAbsolutePath().normalize())).orElse(false)) {
            return CompletableFuture.failedFuture(new IllegalStateException("it is in use; switch to another model first"));
        }
        return CompletableFuture.runAsync(() -> {
            try {
                ModelsFolder.delete(m, folder);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
            }
        }, ModelController::offFx).thenRunAsync(() -> {
            Settings settings = window.settings();
            if (settings.modelPath != null && Path.of(settings.modelPath).toAbsolutePath().normalize().equals(m.checkpoint().toAbsolutePath().normalize())) {
                settings.modelPath = null; // not loaded at the next start any more
                window.saveSettings();
            }
            window.statusBar().showMessage("Deleted the model " + m.name() + ".");
        }, Fx.THREAD);
    }

    private static void offFx(Runnable r) {
        Thread.ofVirtual().name("goldfinch-models").start(r);
    }

    /** Loads a model and remembers it in the settings once it loaded. */
    public CompletableFuture<ModelInfo> use(Path checkpoint, Path vocabulary) {
        return load(checkpoint, vocabulary, true);
    }

    /** Loads a model (replacing the one in use once loaded); {@code remember}: it becomes the one loaded at start. */
    public CompletableFuture<ModelInfo> load(Path checkpoint, Path vocabulary, boolean remember) {
        ReaderService service = window.service();
        if (service == null) return CompletableFuture.failedFuture(new IllegalStateException("the library is not open"));
        Settings settings = window.settings();
        welcome.setBusy("Loading " + checkpoint.getFileName() + "…");
        window.statusBar().showMessage("Loading the model " + checkpoint.getFileName() + "…");
        screens.modelActions(false);
        CompletableFuture<ModelInfo> f = service.loadModel(checkpoint, vocabulary, settings.effectiveThreads(), weightFormat(checkpoint));
        f.whenCompleteAsync((info, t) -> {
            if (window.closing()) return;
            welcome.setBusy(null);
            if (t != null) {
                window.statusBar().showMessage("");
                screens.modelActions(service.model().isPresent());
                if (service.model().isEmpty()) screens.showWelcome();
                ErrorDialog.show(window.stage(), "Cannot open the model " + checkpoint.getFileName(), t);
                return;
            }
            if (remember) {
                settings.modelPath = checkpoint.toAbsolutePath().normalize().toString();
                settings.vocabPath = vocabulary.toAbsolutePath().normalize().toString();
                window.saveSettings();
            }
            window.statusBar().showModel(info);
            window.statusBar().refreshMemory();
            window.statusBar().showMessage("Model loaded.");
            screens.modelActions(true);
            screens.showMain();
            loaded.run();
        }, Fx.THREAD);
        return f;
    }

    /** The weight format the settings call for now, for a model of {@code fileBytes}. */
    public WeightFormat weightFormat(long fileBytes) {
        return window.settings().weightFormat(fileBytes, MachineMemory.total());
    }

    /** int8 or stored weights for this checkpoint, by the settings and this computer's memory. */
    private WeightFormat weightFormat(Path checkpoint) {
        long bytes;
        try {
            bytes = Files.size(checkpoint);
        } catch (IOException e) {
            bytes = 0; // the load itself reports the missing or unreadable file
        }
        return weightFormat(bytes);
    }

    /** The window is closing: a download pauses (it resumes next time) and its dialog goes. */
    public void close() {
        if (downloadDialog != null) {
            downloadDialog.pause();
            downloadDialog.stage().close();
        }
    }

    /** Applies a changed weight-format setting by loading the model in use again; not in the middle of a reading. */
    public void weightsSettingChanged(Consumer<String> say) {
        ReaderService service = window.service();
        if (service == null) return;
        service.model().filter(m -> m.weights() != weightFormat(m.fileBytes())).ifPresent(m -> {
            // whose cache would then be continued with other weights
            if (service.isReading()) say.accept("The model weights setting applies the next time a model is loaded (a document is being read).");
            else load(m.checkpoint(), m.vocabulary(), false);
        });
    }
}
