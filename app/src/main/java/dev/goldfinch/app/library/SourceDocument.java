package dev.goldfinch.app.library;

import java.util.List;

/**
 * A document as the app reads it: its text, where each page of it lies in the text, a title, and the hash of
 * the file's bytes (the same file added twice is one document).
 *
 * @param pages contiguous spans covering the text in order, one per page (or section, slide, sheet)
 * @param unit  what a page is: "page", "section", "slide" or "sheet"
 * @param language the text's language as an ISO 639-1 code (from the file's metadata or guessed at ingest), null if not known
 */
public record SourceDocument(String title, String text, List<Page> pages, String unit, String contentHash, String mediaType,
                             List<String> warnings, String language) {

    /** Characters [start, end) of the text are page {@code page} (from 1), which the document calls {@code label}. */
    public record Page(int page, int start, int end, String label) {
    }

    public SourceDocument {
        pages = List.copyOf(pages);
        warnings = List.copyOf(warnings);
    }

    /** A document whose language is not known. */
    public SourceDocument(String title, String text, List<Page> pages, String unit, String contentHash, String mediaType, List<String> warnings) {
        this(title, text, pages, unit, contentHash, mediaType, warnings, null);
    }
}
