package dev.goldfinch.engine.answer;

import java.util.Locale;

/**
 * How a question is put after the document. For PLAIN and CHAT the document part is its plain text, the same for
 * every question, so the saved cache is always reused; only the turn that follows differs by model family. G1 also
 * frames the document (as a cleaned System turn, see {@link DocumentTurn}), still independently of the question.
 */
public enum PromptLayout {
    /** The paper's base models: "Question: …" / "Answer:". */
    PLAIN("plain", "\n\nQuestion: ", "\n\nAnswer:", "\n\nQuestion:"),
    /** Chat-tuned RWKV World models: "User: …" / "Assistant:". */
    CHAT("chat", "\n\nUser: ", "\n\nAssistant:", "\n\nUser:"),
    /** RWKV-7 G1 chat models: cleaned turns, the document as a System turn, and an optional think before the answer. */
    G1("g1", null, null, G1Prompt.NEXT_USER_TURN);

    /** The name settings and the command line use. */
    public final String id;
    private final String before;
    private final String after;
    /** Text that, once generated, means the model started the next turn itself. */
    public final String nextTurnMarker;

    PromptLayout(String id, String before, String after, String nextTurnMarker) {
        this.id = id;
        this.before = before;
        this.after = after;
        this.nextTurnMarker = nextTurnMarker;
    }

    /** The question turn right after the document, without thinking. */
    public String questionTurn(String question) {
        return questionTurn(question, false, G1Prompt.TURN_END);
    }

    /**
     * The question turn after a state whose text ends with {@code stateTail} (G1 completes a separator the state
     * already partly holds; PLAIN and CHAT ignore it, and thinking too).
     */
    public String questionTurn(String question, boolean think, String stateTail) {
        if (this == G1) return G1Prompt.questionTurn(question, think, stateTail);
        return before + question.strip() + after;
    }

    /** What the question turn already put of the answer's turn (G1: the think tag); empty for PLAIN and CHAT. */
    public String assistantOpening(boolean think) {
        return this == G1 ? G1Prompt.assistantOpening(think) : "";
    }

    /** Whether the document is read inside a turn of this layout rather than as its stored tokens. */
    public boolean framesDocument() {
        return this == G1;
    }

    /** The layout named {@code plain}, {@code chat} or {@code g1} (any case). */
    public static PromptLayout parse(String name) {
        for (PromptLayout l : values()) if (l.id.equalsIgnoreCase(name.strip())) return l;
        throw new IllegalArgumentException("unknown prompt layout '" + name + "' (plain, chat or g1)");
    }

    /**
     * The layout a model of this architecture is read and asked with: its own chat template where it has one
     * (RWKV-7, id "rwkv7": the G1 template), else {@code otherwise} (the user's choice for the older families).
     */
    public static PromptLayout forArchitecture(String architectureId, PromptLayout otherwise) {
        return "rwkv7".equals(architectureId == null ? null : architectureId.toLowerCase(Locale.ROOT)) ? G1 : otherwise;
    }
}
