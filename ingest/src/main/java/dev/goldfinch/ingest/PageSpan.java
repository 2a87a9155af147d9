package dev.goldfinch.ingest;

import java.util.List;
import java.util.Objects;

/**
 * Where a run of the document text came from: characters {@code [start, end)} of
 * {@link IngestedDocument#text()} belong to page (or section, slide, sheet) number {@code page}, counted from 1.
 *
 * @param page    1-based page / section / slide / sheet number
 * @param start   first character offset (inclusive)
 * @param end     last character offset (exclusive); equal to start for a page with no text
 * @param label   how a reader names it: a PDF page label ("iv", "12"), "Slide 3", a sheet name, a heading;
 *                never null
 * @param dropped running headers and footers found on this page and left out of the text (PDF only), in
 *                page order; empty if none
 */
public record PageSpan(int page, int start, int end, String label, List<String> dropped) {
    public PageSpan {
        if (page < 1 || start < 0 || end < start) {
            throw new IllegalArgumentException("bad page span " + page + " [" + start + ", " + end + ")");
        }
        Objects.requireNonNull(label, "label");
        dropped = List.copyOf(dropped);
    }

    public PageSpan(int page, int start, int end, String label) {
        this(page, start, end, label, List.of());
    }

    public int length() {
        return end - start;
    }

    public boolean contains(int offset) {
        return offset >= start && offset < end;
    }
}
