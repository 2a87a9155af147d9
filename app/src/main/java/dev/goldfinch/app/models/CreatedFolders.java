package dev.goldfinch.app.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders a download made on the way to its file ({@code MODELS/}, {@code MODELS/<id>/}), so that one which fails
 * or is paused before anything worth keeping arrived takes away the folders it left empty. A folder that holds a
 * resumable {@code .part}, or anything else, stays.
 */
final class CreatedFolders {
    /** Deepest first: the order they can be removed in. */
    private final List<Path> created;

    private CreatedFolders(List<Path> created) {
        this.created = created;
    }

    /** Creates {@code dir} and whatever of its parents is missing, remembering which ones this made. */
    static CreatedFolders of(Path dir) throws DownloadException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) missing.add(p);
        LocalFiles.createDirectories(dir);
        return new CreatedFolders(missing);
    }

    /** Removes the folders made here that are empty now, deepest first, stopping at the first that is not. */
    void removeEmpty() {
        for (Path p : created) {
            if (!LocalFiles.deleteIfEmpty(p)) return;
        }
    }
}
