package dev.goldfinch.app;

import dev.goldfinch.engine.EngineException;
import java.util.Locale;

/**
 * The one line a person reads about a failure, on the command line and in the window alike: the message of an
 * exception, and for an {@link Error} (out of memory, stack overflow) what happened in words.
 */
public final class FailureMessage {
    private FailureMessage() {
    }

    public static String of(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + (e.getMessage() == null ? "Java heap space" : e.getMessage()) + "; this program may use "
                    + String.format(Locale.ROOT, "%.1f GB", Runtime.getRuntime().maxMemory() / 1e9)
                    + ", GOLDFINCH_JAVA_OPTS=-Xmx… allows more)";
        }
        if (e instanceof StackOverflowError) return "stack overflow (something nested too deeply)";
        // A class that could not load (a bad -Dgoldfinch.vectorBits): what went wrong is its cause.
        if (e instanceof ExceptionInInitializerError && e.getCause() != null) return of(e.getCause());
        if (e instanceof Error) return "internal error: " + e;
        if (e instanceof EngineException) return String.valueOf(e.getMessage());
        return e.getMessage() != null && !(e instanceof NullPointerException) ? e.getMessage() : e.toString();
    }
}
