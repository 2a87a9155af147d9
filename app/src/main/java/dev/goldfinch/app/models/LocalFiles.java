package dev.goldfinch.app.models;

import dev.goldfinch.app.models.DownloadException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The small file operations of downloads, each with the failure a download can live with (0, empty, ignored) or say. */
final class LocalFiles {
    private LocalFiles() {
    }

    static long sizeOrZero(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The regular files of a folder whose names end with {@code suffix}; none when it is missing or unreadable. */
    static Stream<Path> filesIn(Path folder, String suffix) {
        if (!Files.isDirectory(folder)) return Stream.empty();
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    static void createDirectories(Path dir) throws DownloadException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DownloadException(Kind.LOCAL_IO, "cannot create the folder " + dir + ": " + DownloadException.reason(e), e);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // left behind; the next download overwrites it
        }
    }

    /** Removes a folder if nothing is in it; a folder with files, or one that cannot be read, stays. */
    static boolean deleteIfEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) return false;
        } catch (IOException e) {
            return false;
        }
        try {
            return Files.deleteIfExists(dir);
        } catch (IOException e) {
            return false; // something arrived in the meantime, or it may not be removed
        }
    }
}
