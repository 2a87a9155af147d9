package dev.goldfinch.app.ui.source;

import java.nio.file.Path;

/** Turns a file into a {@link SourceDocument}; fails with a {@link DocumentSourceException} whose message is one line. */
@FunctionalInterface
public interface DocumentSource {
    SourceDocument read(Path file);
}
