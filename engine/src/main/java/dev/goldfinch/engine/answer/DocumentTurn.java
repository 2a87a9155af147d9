package dev.goldfinch.engine.answer;

import dev.goldfinch.engine.reading.DocumentTokens;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.charset.StandardCharsets;

/**
 * The document as a model reads it under a prompt layout, and where each of those tokens starts in the document's
 * original text. PLAIN and CHAT read the stored tokens of the text as they are. G1 reads the cleaned text inside its
 * System turn: an opening line, the cleaned document, the blank line that ends the turn. Each piece is tokenized on its
 * own, so the document's tokens are exactly those of the cleaned text and map back to the original character by
 * character, through the cleaning (whose collapsed line breaks would otherwise shift every later page).
 */
public final class DocumentTurn {
    private final int[] tokens;
    /** Per position: the offset in the original text where its token starts, or −1 for the turn's own words. */
    private final int[] textStarts;

    private DocumentTurn(int[] tokens, int[] textStarts) {
        this.tokens = tokens;
        this.textStarts = textStarts;
    }

    /**
     * @param text the document's text as stored
     * @param storedTokens tokenizer.encode(text), as stored with it
     */
    public static DocumentTurn of(PromptLayout layout, String text, int[] storedTokens, WorldTokenizer tokenizer) {
        if (!layout.framesDocument()) return new DocumentTurn(storedTokens, charStarts(tokenizer, text, storedTokens));
        CleanedText clean = CleanedText.of(text);
        int[] opening = tokenizer.encode(G1Prompt.DOCUMENT_OPENING);
        int[] body = tokenizer.encode(clean.text());
        int[] end = tokenizer.encode(G1Prompt.TURN_END);
        int[] tokens = concat(opening, body, end);
        int[] starts = new int[tokens.length];
        java.util.Arrays.fill(starts, -1);
        int[] inClean = charStarts(tokenizer, clean.text(), body);
        for (int i = 0; i < body.length; i++) starts[opening.length + i] = clean.originOf(inClean[i]);
        return new DocumentTurn(tokens, starts);
    }

    /** What a reader for this layout feeds the model of a stored document. */
    public static DocumentTokens reading(PromptLayout layout, WorldTokenizer tokenizer) {
        if (!layout.framesDocument()) return DocumentTokens.STORED;
        return (store, id) -> {
            String clean = CleanedText.clean(store.documents().text(id));
            return concat(tokenizer.encode(G1Prompt.DOCUMENT_OPENING), tokenizer.encode(clean), tokenizer.encode(G1Prompt.TURN_END));
        };
    }

    public int[] tokens() {
        return tokens.clone();
    }

    /** Per position: the offset in the original text where its token starts, or −1 where the layout's own words stand. */
    public int[] textStarts() {
        return textStarts.clone();
    }

    /** The character offset in text where each token starts (tokens are a byte-exact encoding of text). */
    static int[] charStarts(WorldTokenizer tokenizer, String text, int[] tokens) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        // char offset of every byte offset that starts a character
        int[] charAtByte = new int[utf8.length + 1];
        int c = 0;
        for (int b = 0; b < utf8.length; ) {
            int len = utf8Length(utf8[b]);
            for (int k = 0; k < len && b + k < utf8.length; k++) charAtByte[b + k] = c;
            c += len == 4 ? 2 : 1; // a 4-byte character is a surrogate pair in Java
            b += len;
        }
        charAtByte[utf8.length] = text.length();
        int[] starts = new int[tokens.length];
        int at = 0;
        for (int t = 0; t < tokens.length; t++) {
            starts[t] = charAtByte[Math.min(at, utf8.length)];
            at += tokenizer.tokenBytes(tokens[t]).length;
        }
        return starts;
    }

    private static int utf8Length(byte lead) {
        int b = lead & 0xff;
        if (b < 0x80) return 1;
        if (b >= 0xf0) return 4;
        if (b >= 0xe0) return 3;
        if (b >= 0xc0) return 2;
        return 1;
    }

    private static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) n += p.length;
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
