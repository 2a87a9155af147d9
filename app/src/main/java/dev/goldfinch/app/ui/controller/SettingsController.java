package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.ui.FileDialogs;
import dev.goldfinch.app.ui.Fx;
import dev.goldfinch.app.ui.LaunchOptions;
import dev.goldfinch.app.ui.ReaderWindow;
import dev.goldfinch.app.ui.Settings;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.ui.view.SettingsDialog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;

/**
 * The settings: the dialog's choices applied where they take effect (cache precision and threads now, a prompt
 * layout by reading the library again, the weight format by loading the model again, a store from the next start),
 * the light or dark theme, and saving them.
 */
public final class SettingsController {
    private static final System.Logger LOG = System.getLogger(SettingsController.class.getName());

    private final WindowShell window;
    private final LaunchOptions options;
    private final Scene scene;
    private final CheckMenuItem darkItem;
    private final Supplier<FileDialogs> dialogs;
    private final ModelController model;

    public SettingsController(WindowShell window, LaunchOptions options, Scene scene, CheckMenuItem darkItem, Supplier<FileDialogs> dialogs,
                              ModelController model) {
        this.window = window;
        this.options = options;
        this.scene = scene;
        this.darkItem = darkItem;
        this.dialogs = dialogs;
        this.model = model;
    }

    /** Ctrl+,: the settings dialog; what changed is applied and saved. */
    public void edit() {
        Settings settings = window.settings();
        ReaderService service = window.service();
        Path store = service == null ? options.storeFor(settings) : service.storeFile();
        SettingsDialog.edit(window.stage(), settings, store, dialogs.get()).ifPresent(s -> {
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
                window.statusBar().showMessage(options.store() != null ? "The new store is used when the app starts without --store."
                        : "The new store " + s.storePath + " is used from the next start.");
            }
            darkItem.setSelected(settings.dark());
            applyTheme();
            save();
            if (service != null) {
                service.setPrecision(settings.precision());
                // Another layout may read documents another way: the library shows which are out of date then.
                if (layoutChanged) service.setPromptLayout(settings.layout()).thenRunAsync(window::refreshLibrary, Fx.THREAD);
                if (threadsChanged) service.setThreads(settings.effectiveThreads()).thenAcceptAsync(window.statusBar()::showThreads, Fx.THREAD);
                model.weightsSettingChanged(window.statusBar()::showMessage);
            }
        });
    }

    /** View → Dark theme. */
    public void toggleTheme() {
        window.settings().theme = darkItem.isSelected() ? "dark" : "light";
        applyTheme();
        save();
    }

    public void applyTheme() {
        scene.getStylesheets().setAll(ReaderWindow.resource("base.css").toExternalForm(),
                ReaderWindow.resource(window.settings().dark() ? "dark.css" : "light.css").toExternalForm());
    }

    /** Writes the settings file; a failure is said in the status bar (and logged), the settings in use stay. */
    public void save() {
        try {
            window.settings().save(options.configDir());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot save the settings in " + options.configDir(), e);
            window.statusBar().showMessage("The settings could not be saved: " + e.getMessage());
        }
    }
}
