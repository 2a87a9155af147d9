package dev.goldfinch.engine.store;

/**
 * A conversation about one document, as {@link Conversations} reads it back.
 *
 * @param intact false when its record fails the checksum written with it (the title may not be the one written)
 */
public record Conversation(long id, long documentId, String title, long createdAt, boolean intact) {
    /** How a list shows it: its title, said to be damaged when it is. */
    @Override
    public String toString() {
        return intact ? title : title + " (damaged in the store)";
    }
}
