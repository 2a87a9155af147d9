package dev.goldfinch.engine;

/**
 * A failure the user can act on: bad input, a refused checkpoint, a store that does not fit. Its message is
 * one line that says what is wrong and where; the command line prints only that line (unless --debug).
 */
public class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
