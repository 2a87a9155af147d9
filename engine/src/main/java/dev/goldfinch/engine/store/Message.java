package dev.goldfinch.engine.store;

/**
 * One question or answer of a {@link Conversation}, as {@link Conversations} reads it back.
 *
 * @param thinking what a G1 model thought before this answer (kept apart from its text), or null
 * @param sources the answer's sources as JSON (the app's format), or null
 * @param intact false when the row fails the checksum written with it: its text may not be what was written
 */
public record Message(long id, long conversationId, Role role, String text, String thinking, String sources, long createdAt, boolean intact) {

    public enum Role {
        USER, ASSISTANT;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Role of(String column) {
            return "user".equalsIgnoreCase(column) ? USER : ASSISTANT;
        }
    }
}
