package dev.goldfinch.app.library;

import java.util.List;

/**
 * A document as the app reads it: its text, where each page of it lies in the text, a title, and the hash of
 * the file's bytes (the same file added twice is one document).
 *
 * @param pages contiguous spans covering the text in order, one per page (or section, slide, sheet)
 * @param unit  what a page is: "page", "section", "slide" or "sheet"
 */
public record SourceDocument(String title, String text, List<Page> pages, String unit, String contentHash, String mediaType,
                             List<String> warnings) {

    /** Characters [start, end) of the text are page {@code page} (from 1), which the document calls {@code label}. */
    public record Page(int page, int start, int end, String label) {
    }

    public SourceDocument {
        pages = List.copyOf(pages);
        warnings = List.copyOf(warnings);
    }
}
