package dev.goldfinch.app.ui;

import dev.goldfinch.app.Logs;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.application.Application;

/** Starts the desktop app and returns when its window has closed (model and store closed too). */
public final class AppLauncher {
    private AppLauncher() {
    }

    public static int launch(LaunchOptions options) {
        Logs.configure(options.configDir());
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
}
