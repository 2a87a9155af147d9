package dev.goldfinch.app.recall;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a recall check asks: document lengths in tokens, how many depths (spread evenly from 0%, the fact opening the
 * document, to 100%, the fact ending it; one depth is 50%), facts planted per document (one asked, the rest
 * distractors) and the seed of the names and codes.
 */
public record RecallPlan(List<Integer> lengths, int depths, int facts, long seed) {
    public static final int MAX_DEPTHS = 21;
    public static final int MAX_FACTS = 10;
    /** The shortest document: a few sentences around the facts. */
    public static final int MIN_LENGTH = 64;

    public RecallPlan {
        lengths = List.copyOf(lengths);
        if (lengths.isEmpty()) throw new IllegalArgumentException("no lengths to check");
        for (int l : lengths) {
            if (l < MIN_LENGTH) throw new IllegalArgumentException("a length of " + l + " tokens is too short (at least " + MIN_LENGTH + ")");
        }
        if (lengths.stream().distinct().count() != lengths.size()) throw new IllegalArgumentException("a length is given twice: " + lengths);
        if (depths < 1 || depths > MAX_DEPTHS) throw new IllegalArgumentException("depths must be 1 to " + MAX_DEPTHS + ", not " + depths);
        if (facts < 1 || facts > MAX_FACTS) throw new IllegalArgumentException("facts must be 1 to " + MAX_FACTS + ", not " + facts);
        if (facts * FactPlanter.FACT_TOKENS * 2 > lengths.stream().mapToInt(Integer::intValue).min().orElseThrow()) {
            throw new IllegalArgumentException(facts + " facts do not fit in " + lengths.stream().mapToInt(Integer::intValue).min().orElseThrow()
                    + " tokens: the facts would be most of the document");
        }
        lengths = lengths.stream().sorted().toList();
    }

    /** The example: 1k, 4k, 16k and 64k tokens, 10 depths, one fact. */
    public static RecallPlan defaults() {
        return new RecallPlan(List.of(1024, 4096, 16384, 65536), 10, 1, 1);
    }

    /** The depths as shares of the document before the fact: 0, 1/(n−1), …, 1; one depth is the middle. */
    public List<Double> depthShares() {
        List<Double> out = new ArrayList<>();
        if (depths == 1) return List.of(0.5);
        for (int i = 0; i < depths; i++) out.add((double) i / (depths - 1));
        return out;
    }

    /** "1k,4k,16k" or "256,512": k is 1,024 tokens. */
    public static List<Integer> parseLengths(String spec) {
        List<Integer> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) continue;
            try {
                long v = p.endsWith("k") ? Math.round(Double.parseDouble(p.substring(0, p.length() - 1)) * 1024) : Long.parseLong(p);
                if (v <= 0 || v > Integer.MAX_VALUE) throw new NumberFormatException();
                out.add((int) v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a length in tokens: '" + part.strip() + "' (give e.g. 1k,4k,16k or 256,512)");
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no lengths in '" + spec + "'");
        return out;
    }

    /** "1k" for 1,024, "1.5k", "512". */
    public static String label(int length) {
        if (length >= 1024 && length % 512 == 0) {
            return length % 1024 == 0 ? length / 1024 + "k" : String.format(Locale.ROOT, "%.1fk", length / 1024.0);
        }
        return Integer.toString(length);
    }
}
