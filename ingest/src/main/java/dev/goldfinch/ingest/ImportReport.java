package dev.goldfinch.ingest;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of importing many files: the documents read, and for every file that could not be read, why.
 * One broken file never stops the others.
 */
public record ImportReport(List<Imported> imported, List<Failed> failed) {
    public ImportReport {
        imported = List.copyOf(imported);
        failed = List.copyOf(failed);
    }

    /** A file read successfully. */
    public record Imported(Path file, IngestedDocument document) {
    }

    /** A file that could not be read, with the one-line reason. */
    public record Failed(Path file, IngestException error) {
        public IngestException.Reason reason() {
            return error.reason();
        }

        public String message() {
            return error.getMessage();
        }
    }

    public int total() {
        return imported.size() + failed.size();
    }
}
