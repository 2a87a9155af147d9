package dev.goldfinch.app.models;

import java.util.List;

/** Catalogue entries and catalogues for the download tests, without repeating every field of the record. */
final class Entries {
    private Entries() {
    }

    /** An entry for exactly this file: its size and SHA-256 known (or 0 and null). */
    static ModelCatalogue.Entry known(String id, String name, String kind, String file, String url, long bytes, String sha256) {
        return new ModelCatalogue.Entry(id, name, "test", kind, "finch", file, url, bytes, 0, sha256, Math.max(1, bytes / 2), false,
                0, 0, 4096, "Apache-2.0", "a test", null);
    }

    /**
     * An entry found through the listing of {@code repo}/{@code folder} by {@code patterns}; {@code file}, {@code url}
     * (the fallback), {@code bytes} and {@code sha256} may be null / 0; {@code approxBytes} the size to expect.
     */
    static ModelCatalogue.Entry listed(String id, String file, String url, long bytes, long approxBytes, String sha256,
                                       String repo, String folder, String... patterns) {
        return new ModelCatalogue.Entry(id, "Listed " + id, "test", "chat", "rwkv7", file, url, bytes, approxBytes, sha256,
                Math.max(1, Math.max(bytes, approxBytes) / 2), false, 0, 0, 4096, "Apache-2.0", "a test",
                new ModelCatalogue.Resolve(repo, folder, List.of(patterns)));
    }

    static ModelCatalogue catalogue(ModelCatalogue.Tokenizer tokenizer, ModelCatalogue.Entry... entries) {
        return new ModelCatalogue(tokenizer, null, List.of(entries));
    }
}
