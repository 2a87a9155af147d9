package dev.goldfinch.engine.answer;

/**
 * The RWKV-7 G1 chat template (../shared/spec/rwkv7-model.md, "Chat template (G1)") as this reader uses it. The
 * document is a System turn of its own, ended by the blank line, so the state saved after it is the same for every
 * question; each question is a User turn followed by the opening of the Assistant turn, with or without thinking.
 */
final class G1Prompt {
    /** Opens the document's System turn; the cleaned document text follows on the next line. */
    static final String DOCUMENT_OPENING = "System: The user asks questions about the following document.\n";
    /** The blank line that ends every turn. */
    static final String TURN_END = "\n\n";
    /** The start of a User turn, separator included: also what ends an answer when the model writes it. */
    static final String NEXT_USER_TURN = TURN_END + "User:";
    /** Lets the model think before answering. */
    static final String THINK = " <think";
    /** The "fake think" the G1 authors call fast and good: an empty thought, then the answer. */
    static final String NO_THINK = " <think></think";

    private G1Prompt() {
    }

    /**
     * The text that puts a question after a state ending with {@code stateTail}: whatever of the turn separator and
     * "User: " the state does not already end with (after the document it ends with the blank line; after an answer
     * stopped at the next-turn marker, with "\n\nUser"), the cleaned question, and the Assistant turn's opening.
     */
    static String questionTurn(String question, boolean think, String stateTail) {
        String opening = NEXT_USER_TURN + " ";
        return opening.substring(overlap(stateTail, opening)) + CleanedText.clean(question) + TURN_END + "Assistant:" + assistantOpening(think);
    }

    static String assistantOpening(boolean think) {
        return think ? THINK : NO_THINK;
    }

    /** Length of the longest suffix of tail that is a prefix of text. */
    static int overlap(String tail, String text) {
        for (int n = Math.min(tail.length(), text.length()); n > 0; n--) {
            if (tail.regionMatches(tail.length() - n, text, 0, n)) return n;
        }
        return 0;
    }
}
