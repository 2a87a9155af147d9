package dev.goldfinch.ingest;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether OCR is possible here: Tika's OCR parser needs the {@code tesseract} program on the PATH. */
final class Ocr {
    private static volatile Boolean available;

    private Ocr() {
    }

    static boolean available() {
        Boolean a = available;
        if (a == null) {
            a = findOnPath("tesseract");
            available = a;
        }
        return a;
    }

    static boolean findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path p = Path.of(dir, windows ? program + ".exe" : program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return true;
            }
        }
        return false;
    }
}
