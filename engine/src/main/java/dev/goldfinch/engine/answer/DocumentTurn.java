package dev.goldfinch.engine.answer;

import dev.goldfinch.engine.reading.DocumentTokens;
import dev.goldfinch.engine.store.CollectionMember;
import dev.goldfinch.engine.store.DocumentStore;
import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
    /** Positions just past each member's body, for a collection. */
    private final int[] memberEnds;

    private DocumentTurn(int[] tokens, int[] textStarts) {
        this(tokens, textStarts, new int[0]);
    }

    private DocumentTurn(int[] tokens, int[] textStarts, int[] memberEnds) {
        this.tokens = tokens;
        this.textStarts = textStarts;
        this.memberEnds = memberEnds;
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

    /**
     * A collection under a layout: its members' bodies one after another, each after the separator that names it (both
     * in the collection's text). PLAIN and CHAT read its stored tokens, which are already built piece by piece. G1 reads
     * one System turn: the opening line, then per member its separator and its cleaned body, each tokenized on its own
     * (so a member's tokens never depend on what comes after it: a document added later leaves them as they were),
     * then the turn end. {@link #memberEnds()} are the positions just past each body.
     */
    public static DocumentTurn ofCollection(PromptLayout layout, String text, int[] storedTokens, List<CollectionMember> members, WorldTokenizer tokenizer) {
        if (!layout.framesDocument()) {
            int[] starts = charStarts(tokenizer, text, storedTokens);
            int previousEnd = 0;
            for (CollectionMember m : members) { // the separators are the collection's words, not its documents'
                java.util.Arrays.fill(starts, previousEnd, m.tokenStart(), -1);
                previousEnd = m.tokenEnd();
            }
            return new DocumentTurn(storedTokens, starts, members.stream().mapToInt(CollectionMember::tokenEnd).toArray());
        }
        List<int[]> tokens = new ArrayList<>(), starts = new ArrayList<>();
        int[] opening = tokenizer.encode(G1Prompt.DOCUMENT_OPENING);
        tokens.add(opening);
        starts.add(unmapped(opening.length));
        int[] ends = new int[members.size()];
        int at = opening.length, previousEnd = 0;
        for (int k = 0; k < members.size(); k++) {
            CollectionMember m = members.get(k);
            // the separator is written without blank lines, so it needs no cleaning: it stands as the collection wrote it
            int[] separator = tokenizer.encode(text.substring(previousEnd, m.textStart()));
            CleanedText body = CleanedText.of(text.substring(m.textStart(), m.textEnd()));
            int[] bodyTokens = tokenizer.encode(body.text());
            int[] inClean = charStarts(tokenizer, body.text(), bodyTokens);
            int[] bodyStarts = new int[bodyTokens.length];
            for (int i = 0; i < bodyTokens.length; i++) bodyStarts[i] = m.textStart() + body.originOf(inClean[i]);
            tokens.add(separator);
            starts.add(unmapped(separator.length));
            tokens.add(bodyTokens);
            starts.add(bodyStarts);
            at += separator.length + bodyTokens.length;
            ends[k] = at;
            previousEnd = m.textEnd();
        }
        int[] end = tokenizer.encode(G1Prompt.TURN_END);
        tokens.add(end);
        starts.add(unmapped(end.length));
        return new DocumentTurn(concat(tokens.toArray(int[][]::new)), concat(starts.toArray(int[][]::new)), ends);
    }

    /** What a reader for this layout feeds the model of a stored document (of a collection: {@link #ofCollection}). */
    public static DocumentTokens reading(PromptLayout layout, WorldTokenizer tokenizer) {
        if (!layout.framesDocument()) return DocumentTokens.STORED; // a collection's stored tokens are its reading
        return new DocumentTokens() {
            @Override
            public int[] of(DocumentStore store, long id) {
                if (store.collections().isCollection(id)) return collection(store, id).tokens;
                String clean = CleanedText.clean(store.documents().text(id));
                return concat(tokenizer.encode(G1Prompt.DOCUMENT_OPENING), tokenizer.encode(clean), tokenizer.encode(G1Prompt.TURN_END));
            }

            @Override
            public int[] keptPositions(DocumentStore store, long id) {
                return store.collections().isCollection(id) ? collection(store, id).memberEnds.clone() : new int[0];
            }

            private DocumentTurn collection(DocumentStore store, long id) {
                return ofCollection(layout, store.documents().text(id), store.documents().tokens(id), store.collections().members(id), tokenizer);
            }
        };
    }

    /** Positions just past each member's body (a collection's; none for a single document). */
    public int[] memberEnds() {
        return memberEnds.clone();
    }

    private static int[] unmapped(int n) {
        int[] out = new int[n];
        java.util.Arrays.fill(out, -1);
        return out;
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
