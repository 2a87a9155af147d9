package dev.goldfinch.engine.answer;

import java.util.function.Consumer;

/**
 * Splits the streamed text of an Assistant turn into its thinking ({@code <think>…</think>}) and its answer, as the
 * text arrives. The question turn may already have opened the tag (G1: {@code " <think"}, or the empty thought
 * {@code " <think></think"}); the model then only writes the rest. A piece of text that could still become
 * {@code </think} is held back until the next piece tells. Without an opened tag everything is answer, unchanged.
 */
public final class ThinkingSplitter {
    private static final String OPEN = "<think";
    private static final String CLOSE = "</think";

    private enum Mode {
        /** Just after "<think": a ">" that completes the tag is dropped, then the thinking follows. */
        OPEN_TAG_END,
        THINKING,
        /** Just after "</think": a ">" that completes the tag is dropped, then the answer follows. */
        CLOSE_TAG_END,
        ANSWER
    }

    private final Consumer<String> onThinking;
    private final Consumer<String> onAnswer;
    private final StringBuilder thinking = new StringBuilder();
    private final StringBuilder answer = new StringBuilder();
    /** Text not yet given to either side. */
    private final StringBuilder pending = new StringBuilder();
    private final boolean tagged;
    private Mode mode;

    /**
     * @param opening what the prompt already wrote of the Assistant turn ({@link PromptLayout#assistantOpening})
     */
    public ThinkingSplitter(String opening, Consumer<String> onThinking, Consumer<String> onAnswer) {
        this.onThinking = onThinking;
        this.onAnswer = onAnswer;
        String o = opening.strip();
        if (o.startsWith(OPEN)) {
            tagged = true;
            mode = Mode.OPEN_TAG_END;
            push(o.substring(OPEN.length()));
        } else {
            tagged = false;
            mode = Mode.ANSWER;
        }
    }

    /** Adds generated text; what it settles goes to the listeners at once. */
    public void push(String text) {
        pending.append(text);
        while (!pending.isEmpty()) {
            switch (mode) {
                case OPEN_TAG_END, CLOSE_TAG_END -> {
                    if (pending.charAt(0) == '>') pending.deleteCharAt(0);
                    mode = mode == Mode.OPEN_TAG_END ? Mode.THINKING : Mode.ANSWER;
                }
                case THINKING -> {
                    int close = pending.indexOf(CLOSE);
                    if (close >= 0) {
                        emit(thinking, onThinking, pending.substring(0, close));
                        pending.delete(0, close + CLOSE.length());
                        mode = Mode.CLOSE_TAG_END;
                    } else {
                        int settled = pending.length() - partialLength(pending, CLOSE);
                        emit(thinking, onThinking, pending.substring(0, settled));
                        pending.delete(0, settled);
                        return;
                    }
                }
                case ANSWER -> {
                    emit(answer, onAnswer, pending.toString());
                    pending.setLength(0);
                }
            }
        }
    }

    /** Gives away what is still held back (the answer ended). */
    public void finish() {
        if (mode == Mode.THINKING) emit(thinking, onThinking, pending.toString());
        pending.setLength(0);
    }

    /** Whether the thinking was closed and what follows is the answer (false when no tag was opened at all). */
    public boolean answering() {
        return tagged && (mode == Mode.ANSWER || mode == Mode.CLOSE_TAG_END);
    }

    public String thinking() {
        return thinking.toString();
    }

    public String answer() {
        return answer.toString();
    }

    /** After a tag the text on each side starts at its first non-blank character (the model puts a newline there). */
    private void emit(StringBuilder side, Consumer<String> listener, String text) {
        if (tagged && side.isEmpty()) text = text.stripLeading();
        if (text.isEmpty()) return;
        side.append(text);
        listener.accept(text);
    }

    /** Length of the longest suffix of text that is a proper prefix of tag. */
    private static int partialLength(CharSequence text, String tag) {
        for (int n = Math.min(tag.length() - 1, text.length()); n > 0; n--) {
            if (text.subSequence(text.length() - n, text.length()).toString().equals(tag.substring(0, n))) return n;
        }
        return 0;
    }
}
