package dev.goldfinch.engine.answer;

import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Turns the attention mass an answer put on each document token into the sentences it drew on most: token masses
 * are summed per sentence (java.text.BreakIterator), and the heaviest sentences are returned in document order.
 */
public final class SourceFinder {
    private final WorldTokenizer tokenizer;

    public SourceFinder(WorldTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * @param text the document text whose tokens are {@code tokens} (tokenizer.encode(text))
     * @param mass attention mass per position; positions beyond the document are ignored
     * @param limit at most this many spans
     */
    public List<SourceSpan> find(String text, int[] tokens, float[] mass, int limit) {
        return findFromStarts(text, tokenCharStarts(text, tokens), mass, limit);
    }

    /**
     * Like {@link #find}, for a document read inside a prompt layout's turn ({@link DocumentTurn#textStarts()}).
     *
     * @param textStarts per position, the offset in text where its token starts (non-decreasing), or −1 for a position
     *                   that is not the document's (the turn's own words): its mass is ignored
     */
    public List<SourceSpan> findFromStarts(String text, int[] textStarts, float[] mass, int limit) {
        List<int[]> sentences = sentences(text);
        double[] sentenceMass = new double[sentences.size()];
        double total = 0;
        int si = 0;
        for (int t = 0; t < textStarts.length && t < mass.length; t++) {
            if (textStarts[t] < 0) continue;
            while (si < sentences.size() - 1 && textStarts[t] >= sentences.get(si)[1]) si++;
            sentenceMass[si] += mass[t];
            total += mass[t];
        }
        if (total <= 0) return List.of();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) if (sentenceMass[i] > 0) order.add(i);
        order.sort(Comparator.comparingDouble((Integer i) -> -sentenceMass[i]));
        List<Integer> top = new ArrayList<>(order.subList(0, Math.min(limit, order.size())));
        top.sort(Comparator.naturalOrder());
        List<SourceSpan> out = new ArrayList<>();
        for (int i : top) {
            int[] s = sentences.get(i);
            out.add(new SourceSpan(s[0], s[1], sentenceMass[i] / total, text.substring(s[0], s[1]).strip()));
        }
        return out;
    }

    /** The character offset in text where each token starts (tokens are a byte-exact encoding of text). */
    int[] tokenCharStarts(String text, int[] tokens) {
        return DocumentTurn.charStarts(tokenizer, text, tokens);
    }

    /**
     * Sentence spans [start, end) covering the text; paragraph breaks also end a sentence. Public so that sources
     * found another way (a full-text search of the sentences) are cut the same way as these.
     */
    public static List<int[]> sentences(String text) {
        List<int[]> out = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(text);
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            int from = start;
            int para;
            while ((para = text.indexOf("\n\n", from)) >= 0 && para + 2 < end) {
                out.add(new int[] {from, para + 2});
                from = para + 2;
            }
            out.add(new int[] {from, end});
        }
        if (out.isEmpty()) out.add(new int[] {0, text.length()});
        return out;
    }
}
