package dev.goldfinch.app.library;

/**
 * A passage of the document an answer drew on: characters [start, end) of the text, the page it starts on,
 * and its share of the answer's attention on the document. In a collection, {@code document} is the title of the
 * member it lies in (and the page label says that member's page); null for a single document.
 */
public record Source(int start, int end, double share, int page, String pageLabel, String text, String document) {

    public Source(int start, int end, double share, int page, String pageLabel, String text) {
        this(start, end, share, page, pageLabel, text, null);
    }
}
