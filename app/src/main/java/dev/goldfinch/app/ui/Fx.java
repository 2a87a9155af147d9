package dev.goldfinch.app.ui;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import javafx.application.Platform;

/** Small JavaFX-thread helpers. */
public final class Fx {
    private Fx() {
    }

    /** Runs on the JavaFX thread (at once when already there); silently dropped once JavaFX has exited. */
    public static final Executor THREAD = r -> {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            try {
                Platform.runLater(r);
            } catch (IllegalStateException exited) {
                // the toolkit is gone: there is no window left to update
            }
        }
    };

    /** The failure inside a CompletionException / ExecutionException wrapper. */
    public static Throwable cause(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        return t;
    }
}
