package dev.goldfinch.engine.store;

import dev.goldfinch.engine.EngineException;

/** An export or import stopped by the person: an export leaves no file, an import changes nothing in the store. */
public final class TransferCancelledException extends EngineException {
    public TransferCancelledException(String message) {
        super(message);
    }
}
