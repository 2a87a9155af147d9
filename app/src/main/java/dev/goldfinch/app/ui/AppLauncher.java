package dev.goldfinch.app.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import javafx.application.Application;

/** Starts the desktop app and returns when its window has closed (model and store closed too). */
public final class AppLauncher {
    private AppLauncher() {
    }

    public static int launch(LaunchOptions options) {
        logToFile(options);
        GoldfinchApp.configure(options);
        Application.launch(GoldfinchApp.class);
        try {
            GoldfinchApp.allClosed().get(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            Logger.getLogger("dev.goldfinch").log(Level.WARNING, "the window did not close cleanly", e);
        }
        return 0;
    }

    /** The app's log goes to goldfinch.log in the config folder (as well as to the console). */
    private static void logToFile(LaunchOptions options) {
        try {
            Files.createDirectories(options.configDir());
            FileHandler h = new FileHandler(options.configDir().resolve("goldfinch.log").toString(), 2_000_000, 2, true);
            h.setFormatter(new SimpleFormatter());
            h.setLevel(Level.INFO);
            Logger.getLogger("dev.goldfinch").addHandler(h);
        } catch (IOException | RuntimeException e) {
            Logger.getLogger("dev.goldfinch").log(Level.WARNING, "cannot write the log file in " + options.configDir(), e);
        }
    }
}
