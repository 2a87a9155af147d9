package dev.goldfinch.app.library;

/**
 * What a change to a collection costs its reading with one model: it goes on from {@code readFrom} (the end of the
 * last member before the change; 0: from the start) and reads up to {@code total}.
 */
public record ReadingChange(int readFrom, int total) {

    /** Tokens left to read. */
    public int tokensToRead() {
        return Math.max(0, total - readFrom);
    }
}
