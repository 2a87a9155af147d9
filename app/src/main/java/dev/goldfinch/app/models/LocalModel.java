package dev.goldfinch.app.models;

import java.nio.file.Path;

/**
 * A checkpoint in the models folder, whatever put it there (a download, {@code demo-model}, a person copying a
 * {@code .pth} in): its name as people read it (the catalogue's, or the one in its JSON, else the file's), the file,
 * the vocabulary it is read with and its size on disk.
 */
public record LocalModel(String name, Path checkpoint, Path vocab, long bytes) {
}
