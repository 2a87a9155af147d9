package dev.goldfinch.app.recall;

import dev.goldfinch.engine.EngineException;
import dev.goldfinch.engine.answer.DocumentTurn;
import dev.goldfinch.engine.answer.PromptLayout;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The long neutral text facts are planted in: Jane Austen's Pride and Prejudice (public domain), shipped gzipped with
 * the app (its source: docs/recall-text/README.md). A document of N tokens is the text's first N tokens, cut back to
 * the end of a sentence; lengths beyond the whole text are refused, not made by repeating it (a repeated text is a
 * pattern a model can lean on, not a longer document).
 */
public final class NeutralText {
    static final String RESOURCE = "pride-and-prejudice.txt.gz";

    private final String text;
    private final int[] starts;

    private NeutralText(String text, WorldTokenizer tokenizer) {
        this.text = text;
        int[] tokens = tokenizer.encode(text);
        this.starts = DocumentTurn.of(PromptLayout.PLAIN, text, tokens, tokenizer).textStarts();
    }

    /** The shipped text, tokenized with {@code tokenizer}. */
    public static NeutralText load(WorldTokenizer tokenizer) {
        try (InputStream in = NeutralText.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new EngineException("the recall check's text (" + RESOURCE + ") is missing from this build");
            return new NeutralText(new String(new GZIPInputStream(in).readAllBytes(), StandardCharsets.UTF_8), tokenizer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the recall check's text: " + e.getMessage(), e);
        }
    }

    /** The whole text's tokens: the longest document it makes. */
    public int tokens() {
        return starts.length;
    }

    /** The text's first {@code n} tokens or a little less, ending after a sentence (or at a space where none ends). */
    public String prefix(int n) {
        if (n > starts.length) {
            throw new EngineException(String.format("the recall check's text has %,d tokens; a document of %,d tokens cannot be cut from it", starts.length, n));
        }
        int end = n == starts.length ? text.length() : starts[n];
        for (int i = end; i > end / 2; i--) {
            if (FactPlanter.sentenceEndsBefore(text, i)) return text.substring(0, i).stripTrailing();
        }
        int space = text.lastIndexOf(' ', end);
        return text.substring(0, space > 0 ? space : end);
    }
}
