package dev.goldfinch.app.library;

/**
 * A passage of the document an answer drew on: characters [start, end) of the text, the page it starts on,
 * and its share of the answer's attention on the document.
 */
public record Source(int start, int end, double share, int page, String pageLabel, String text) {
}
