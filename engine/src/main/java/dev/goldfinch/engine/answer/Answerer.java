package dev.goldfinch.engine.answer;

import dev.goldfinch.engine.generate.Sampler;
import dev.goldfinch.engine.model.InferenceState;
import dev.goldfinch.engine.model.Model;
import dev.goldfinch.engine.tokenizer.TokenTextStream;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Answers a question from a state that ends with the document (a copy of the saved snapshot, or a conversation's
 * state to continue it). The question turn and the answer are appended to that state; the text streams out as it
 * is generated, never splitting a UTF-8 character, and generation stops at end-of-text (token 0), at the start of a
 * next turn, at the length limit, or when cancelled between tokens. A G1 model's thinking streams apart from the
 * answer and is kept out of its text.
 */
public final class Answerer {
    /** Enough of the state's last tokens to see how much of a turn separator it already ends with. */
    private static final int TAIL_TOKENS = 8;

    private final Model model;
    private final WorldTokenizer tokenizer;

    public Answerer(Model model, WorldTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    public Answer ask(InferenceState state, String question, AnswerOptions options, Consumer<String> onText, BooleanSupplier cancelled) {
        return ask(state, question, options, thought -> { }, onText, cancelled);
    }

    /** Like {@link #ask(InferenceState, String, AnswerOptions, Consumer, BooleanSupplier)}; the thinking streams to onThinking. */
    public Answer ask(InferenceState state, String question, AnswerOptions options, Consumer<String> onThinking, Consumer<String> onText,
                      BooleanSupplier cancelled) {
        long t0 = System.nanoTime();
        state.setTovaBudget(options.tovaBudget());
        PromptLayout layout = options.layout();
        int[] prompt = tokenizer.encode(layout.questionTurn(question, options.think(), tail(state)));
        int context = state.position();
        // The row of the prompt's last token chooses the first answer token: from there on, attention mass counts.
        if (prompt.length > 1) model.forward(state, prompt, 0, prompt.length - 1, Model.Logits.NONE);
        state.trackAttentionMass(context);
        float[] logits = model.forward(state, prompt, prompt.length - 1, 1, Model.Logits.LAST);
        Sampler sampler = new Sampler(options.sampling(), model.config().vocab());
        TokenTextStream stream = tokenizer.textStream();
        ThinkingSplitter split = new ThinkingSplitter(layout.assistantOpening(options.think()), onThinking, onText);
        boolean thinking = !split.answering() && !layout.assistantOpening(options.think()).isEmpty();
        StringBuilder text = new StringBuilder();
        int emitted = 0;
        int[] tokens = new int[Math.min(options.maxTokens(), 256)]; // grows with the answer, not with the limit
        int n = 0;
        Answer.StopReason reason = Answer.StopReason.LENGTH;
        String marker = layout.nextTurnMarker;
        while (n < options.maxTokens()) {
            if (cancelled.getAsBoolean()) {
                reason = Answer.StopReason.CANCELLED;
                break;
            }
            int token = sampler.next(logits);
            if (token == WorldTokenizer.END_OF_TEXT) {
                reason = Answer.StopReason.END_OF_TEXT;
                break;
            }
            if (n == tokens.length) tokens = Arrays.copyOf(tokens, (int) Math.min(options.maxTokens(), 2L * n));
            tokens[n++] = token;
            text.append(stream.push(token));
            int markerAt = text.indexOf(marker);
            if (markerAt >= 0) {
                text.setLength(markerAt);
                reason = Answer.StopReason.NEXT_TURN;
                break;
            }
            // Hold back a tail that could still become the turn marker, so it is never shown and then taken back.
            int safe = text.length() - partialMarkerLength(text, marker);
            if (safe > emitted) {
                split.push(text.substring(emitted, safe));
                emitted = safe;
            }
            if (thinking && split.answering()) {
                // The sources are where the answer looked, not the thought: count from the answer's first row on.
                state.trackAttentionMass(context);
                thinking = false;
            }
            logits = model.forward(state, new int[] {token}, 0, 1, Model.Logits.LAST);
        }
        text.append(reason == Answer.StopReason.NEXT_TURN ? "" : stream.flush());
        if (text.length() > emitted) split.push(text.substring(emitted));
        split.finish();
        return new Answer(split.answer().strip(), split.thinking().strip(), Arrays.copyOf(tokens, n), reason,
                (System.nanoTime() - t0) / 1e9, state.attentionMass());
    }

    /** The text the state ends with (as far as a turn separator goes); a state with nothing in it is at a turn boundary. */
    private String tail(InferenceState state) {
        int end = state.position();
        if (end == 0) return "\n\n";
        return tokenizer.decode(state.tokens(Math.max(0, end - TAIL_TOKENS), end));
    }

    /** Length of the longest suffix of text that is a proper prefix of marker. */
    private static int partialMarkerLength(CharSequence text, String marker) {
        for (int len = Math.min(marker.length() - 1, text.length()); len > 0; len--) {
            if (text.subSequence(text.length() - len, text.length()).toString().equals(marker.substring(0, len))) return len;
        }
        return 0;
    }
}
