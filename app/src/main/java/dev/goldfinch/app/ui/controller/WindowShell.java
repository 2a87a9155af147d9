package dev.goldfinch.app.ui.controller;

import dev.goldfinch.app.library.DocumentStatus;
import dev.goldfinch.app.ui.Settings;
import dev.goldfinch.app.ui.service.ReaderService;
import dev.goldfinch.app.ui.view.StatusBar;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.stage.Stage;

/** What the window's controllers share of it: its stage and settings, the status bar, and the service once open. */
public interface WindowShell {
    Stage stage();

    Settings settings();

    StatusBar statusBar();

    /** The service, or null until the library has opened. */
    ReaderService service();

    /** Whether the window is closing (late results are dropped then). */
    boolean closing();

    /** Writes the settings; a failure is said in the status bar. */
    void saveSettings();

    /** The library pane brought up to date from the store. */
    CompletableFuture<List<DocumentStatus>> refreshLibrary();
}
