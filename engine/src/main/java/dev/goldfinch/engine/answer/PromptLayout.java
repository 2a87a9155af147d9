package dev.goldfinch.engine.answer;

/**
 * How a question is put after the document. The document part is the same for every question (its plain text),
 * so the saved cache is always reused; only the turn that follows differs by model family.
 */
public enum PromptLayout {
    /** The paper's base models: "Question: …" / "Answer:". */
    PLAIN("\n\nQuestion: ", "\n\nAnswer:", "\n\nQuestion:"),
    /** Chat-tuned RWKV World models: "User: …" / "Assistant:". */
    CHAT("\n\nUser: ", "\n\nAssistant:", "\n\nUser:");

    private final String before;
    private final String after;
    /** Text that, once generated, means the model started the next turn itself. */
    public final String nextTurnMarker;

    PromptLayout(String before, String after, String nextTurnMarker) {
        this.before = before;
        this.after = after;
        this.nextTurnMarker = nextTurnMarker;
    }

    public String questionTurn(String question) {
        return before + question.strip() + after;
    }
}
