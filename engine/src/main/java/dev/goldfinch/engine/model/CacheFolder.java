package dev.goldfinch.engine.model;

import java.nio.file.Path;

/**
 * The user's cache folder for what the engine derives from a checkpoint (int8 weights, the record of a checked
 * checkpoint): {@code goldfinch.cache.dir}, else ~/.cache/goldfinch. Never beside the checkpoint, whose folder may be
 * shared or read-only.
 */
public final class CacheFolder {
    private CacheFolder() {
    }

    public static Path resolve(String sub) {
        String dir = System.getProperty("goldfinch.cache.dir");
        Path base = dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".cache", "goldfinch");
        return base.resolve(sub);
    }
}
