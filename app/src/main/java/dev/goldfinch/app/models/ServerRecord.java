package dev.goldfinch.app.models;

import java.net.http.HttpHeaders;
import java.util.Locale;

/**
 * What a server says about a file before sending it. Hugging Face answers a {@code resolve} address of a large (LFS)
 * file with a redirect to its CDN that carries the file's SHA-256 in {@code X-Linked-Etag} (a quoted hex string,
 * sometimes with a {@code W/} prefix) and its size in {@code X-Linked-Size}; the CDN's own answer has neither, so
 * they are read from the redirect, before following it. A small file's plain {@code ETag} is a git hash, not a
 * SHA-256, and is not taken for one.
 *
 * @param sha256 lower-case hex, or null when the server gave none
 * @param bytes  the size, or 0 when the server gave none
 */
record ServerRecord(String sha256, long bytes) {
    static final ServerRecord NONE = new ServerRecord(null, 0);

    static ServerRecord of(HttpHeaders headers) {
        String sha = headers.firstValue("x-linked-etag").map(ServerRecord::sha256OfEtag).orElse(null);
        long bytes = headers.firstValue("x-linked-size").map(ServerRecord::size).orElse(0L);
        return new ServerRecord(sha, bytes);
    }

    boolean isEmpty() {
        return sha256 == null && bytes <= 0;
    }

    /** {@code W/"abc…"}, {@code "abc…"} or {@code abc…} → the 64 hex digits, lower case; anything else → null. */
    static String sha256OfEtag(String etag) {
        String s = etag.trim();
        if (s.startsWith("W/") || s.startsWith("w/")) s = s.substring(2).trim();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) s = s.substring(1, s.length() - 1);
        s = s.toLowerCase(Locale.ROOT);
        return s.matches("[0-9a-f]{64}") ? s : null;
    }

    private static long size(String value) {
        try {
            long n = Long.parseLong(value.trim());
            return Math.max(0, n);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
