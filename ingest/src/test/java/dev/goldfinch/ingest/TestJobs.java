package dev.goldfinch.ingest;

import java.nio.file.Path;

/**
 * A {@link Job} for a test that runs one pass of an extractor alone (a PDF pass in {@code ingest.pdf}); outside
 * tests only the {@link Ingestor} makes jobs, each under its time limit.
 */
public final class TestJobs {
    private TestJobs() {
    }

    public static Job job(Path file, IngestOptions options) {
        return new Job(file, options);
    }

    public static Job job(Path file) {
        return job(file, IngestOptions.defaults());
    }

    /** A job whose time is up, as the Ingestor leaves it when its time limit is reached. */
    public static Job cancelled(Path file) {
        Job job = job(file);
        job.cancel();
        return job;
    }
}
