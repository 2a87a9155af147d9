package dev.goldfinch.app.library;

import java.nio.file.Path;

/** Turns a file into a {@link SourceDocument}; fails with an exception whose message is one line (ingest's {@link dev.goldfinch.ingest.IngestException}). */
@FunctionalInterface
public interface DocumentSource {
    /** Reads {@code file} as {@code how} says (OCR or not, its progress, its cancel). */
    SourceDocument read(Path file, AddOptions how);
}
