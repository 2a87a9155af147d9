package dev.goldfinch.engine.answer;

import dev.goldfinch.engine.tokenizer.WorldTokenizer;
import java.nio.charset.StandardCharsets;
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
        int[] tokenStart = tokenCharStarts(text, tokens);
        List<int[]> sentences = sentences(text);
        double[] sentenceMass = new double[sentences.size()];
        double total = 0;
        int si = 0;
        for (int t = 0; t < tokens.length && t < mass.length; t++) {
            while (si < sentences.size() - 1 && tokenStart[t] >= sentences.get(si)[1]) si++;
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

    /** Sentence spans [start, end) covering the text; paragraph breaks also end a sentence. */
    static List<int[]> sentences(String text) {
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
