package dev.goldfinch.app.ui;

import dev.goldfinch.app.ui.view.ErrorDialog;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.application.Application;
import javafx.stage.Stage;

/**
 * The JavaFX application: one {@link ReaderWindow} on the primary stage. Started through {@link AppLauncher}
 * (JavaFX runs from the class path, so the launching class must not extend Application).
 */
public final class GoldfinchApp extends Application {
    private static volatile LaunchOptions options = LaunchOptions.defaults();
    private static final List<CompletableFuture<Void>> CLOSED = new CopyOnWriteArrayList<>();

    static void configure(LaunchOptions o) {
        options = o;
    }

    /** Completes when every window opened by this application has closed its model and store. */
    static CompletableFuture<Void> allClosed() {
        return CompletableFuture.allOf(CLOSED.toArray(CompletableFuture[]::new));
    }

    @Override
    public void start(Stage stage) {
        ReaderWindow w = new ReaderWindow(stage, options);
        CLOSED.add(w.closed());
        reportUncaughtErrors(stage);
    }

    /**
     * A failure no job watches, on the JavaFX thread or any other (a kernel worker, a download, a timer), an
     * OutOfMemoryError too, reaches the person as one line in a dialog over the window; its details go to the log.
     */
    static void reportUncaughtErrors(Stage stage) {
        Thread.currentThread().setUncaughtExceptionHandler((t, e) -> ErrorDialog.show(stage.isShowing() ? stage : null, "Something went wrong", e));
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> ErrorDialog.show(stage.isShowing() ? stage : null, "Something went wrong (" + t.getName() + ")", e));
    }
}
