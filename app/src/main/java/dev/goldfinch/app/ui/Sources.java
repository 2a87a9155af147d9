package dev.goldfinch.app.ui;

import dev.goldfinch.app.ui.source.DocumentSource;
import dev.goldfinch.app.ui.source.PlainTextSource;

/** The document reader the app uses. */
public final class Sources {
    private Sources() {
    }

    public static DocumentSource standard() {
        return new PlainTextSource();
    }
}
