package dev.goldfinch.engine.answer;

/** A passage of the document an answer drew on: characters [start, end) of the text and its share of the attention mass. */
public record SourceSpan(int start, int end, double share, String text) {
}
