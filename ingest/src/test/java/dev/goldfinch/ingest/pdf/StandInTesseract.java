package dev.goldfinch.ingest.pdf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A shell script to run in place of tesseract ({@link Tesseract#force}), for the tests that must run whether tesseract is
 * installed or not: one that answers what the test needs, fails, or hangs.
 */
final class StandInTesseract {
    private StandInTesseract() {
    }

    /** Writes {@code dir/tesseract}, a /bin/sh script of {@code body}; the test is skipped without /bin/sh. */
    static Path write(Path dir, String body) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        Path s = dir.resolve("tesseract");
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }
}
