package dev.goldfinch.ingest;

import java.util.List;
import java.util.Objects;

/**
 * The text of one document as the model reads it, and where every character of it came from.
 *
 * @param text        the text; pages are separated by a blank line
 * @param unit        what a {@link PageSpan} is in this document (a PDF page, a slide, a sheet, a section)
 * @param pages       contiguous spans covering {@code [0, text.length())} in order, one per page / slide / sheet /
 *                    section (a page without text has an empty span)
 * @param title       the title from the document's metadata (a Markdown file's front matter, else its first
 *                    heading), or null
 * @param author      the author from the document's metadata, or null
 * @param language    an ISO 639-1 code ("en") from the metadata or guessed from the text, or null if not known
 * @param encoding    the character encoding of a text file ("UTF-16LE", "windows-1252"), or null for binary formats
 * @param mediaType   the format, as detected from the content ("application/pdf")
 * @param contentHash SHA-256 of the file's bytes, lower-case hex: the same file from any path has the same hash
 * @param warnings    things the reader should know (pages without a text layer, a truncated text), one line each
 */
public record IngestedDocument(String text, Unit unit, List<PageSpan> pages, String title, String author,
                               String language, String encoding, String mediaType, String contentHash,
                               List<String> warnings) {

    /** What the numbered spans of a document are. */
    public enum Unit {
        PAGE, SLIDE, SHEET, SECTION
    }

    public IngestedDocument {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(contentHash, "contentHash");
        pages = List.copyOf(pages);
        warnings = List.copyOf(warnings);
        int at = 0;
        for (PageSpan p : pages) {
            if (p.start() != at) {
                throw new IllegalArgumentException("page map is not contiguous at offset " + at + ": " + p);
            }
            at = p.end();
        }
        if (at != text.length()) {
            throw new IllegalArgumentException("page map ends at " + at + ", text at " + text.length());
        }
    }

    /** The span containing character {@code offset} (the last span for {@code offset == text.length()}). */
    public PageSpan pageAt(int offset) {
        if (offset < 0 || offset > text.length() || pages.isEmpty()) {
            throw new IndexOutOfBoundsException("offset " + offset + " of " + text.length());
        }
        // ends are non-decreasing and spans contiguous: the first span ending after offset contains it
        int lo = 0;
        int hi = pages.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (pages.get(mid).end() > offset) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return pages.get(lo);
    }

    /** The text of one span. */
    public String textOf(PageSpan span) {
        return text.substring(span.start(), span.end());
    }
}
