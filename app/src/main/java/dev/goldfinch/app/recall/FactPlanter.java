package dev.goldfinch.app.recall;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Makes the documents of one length of a recall check: the neutral text's first tokens with facts planted between
 * its sentences, one document a depth. Each depth's document asks for a fact of its own (names and code drawn from a
 * seeded generator, so a run is repeatable and no two facts of a length share a name or a code); with several facts,
 * the others are distractors, at the same places in every document of the length (so the documents still begin
 * alike up to their asked fact, and that beginning is read once).
 */
public final class FactPlanter {
    static final List<String> COLOURS = List.of("blue", "amber", "crimson", "green", "violet", "silver", "ochre", "scarlet", "ivory", "teal",
            "copper", "grey");
    static final List<String> PLACES = List.of("archive", "vault", "observatory", "boathouse", "granary", "chapel", "library", "tower", "cellar",
            "greenhouse", "armoury", "workshop");
    /** Tokens a fact takes, at most, with its space: the room left for it in the document's length. */
    static final int FACT_TOKENS = 16;

    /**
     * A document of the check: its text, the depth its asked fact is planted at (the share of the text before it, 0
     * to 1), the asked fact, and every fact it holds.
     */
    public record Planted(int length, double depth, String text, Fact asked, List<Fact> facts) {
    }

    private final NeutralText neutral;
    private final long seed;

    public FactPlanter(NeutralText neutral, long seed) {
        this.neutral = neutral;
        this.seed = seed;
    }

    /** One document per depth, of about {@code length} tokens, each with {@code facts} facts of which one is asked. */
    public List<Planted> plant(int length, List<Double> depths, int facts) {
        if (facts < 1) throw new IllegalArgumentException("at least one fact, not " + facts);
        Random random = new Random(seed * 1_000_003L + length);
        List<Fact> drawn = draw(random, depths.size() + facts - 1);
        List<Fact> distractors = drawn.subList(depths.size(), drawn.size());
        List<Double> distractorDepths = new ArrayList<>();
        for (int i = 0; i < distractors.size(); i++) distractorDepths.add(random.nextDouble());
        String filler = neutral.prefix(Math.max(1, length - facts * FACT_TOKENS));
        List<Planted> out = new ArrayList<>();
        for (int d = 0; d < depths.size(); d++) {
            List<Placed> placed = new ArrayList<>();
            placed.add(new Placed(boundary(filler, depths.get(d)), drawn.get(d), 1));
            for (int i = 0; i < distractors.size(); i++) placed.add(new Placed(boundary(filler, distractorDepths.get(i)), distractors.get(i), 0));
            List<Fact> held = placed.stream().sorted(Comparator.comparingInt(Placed::at).thenComparingInt(Placed::order)).map(Placed::fact).toList();
            out.add(new Planted(length, depths.get(d), insert(filler, placed), drawn.get(d), held));
        }
        return out;
    }

    private record Placed(int at, Fact fact, int order) {
    }

    /** {@code n} facts with distinct names and distinct codes. */
    private static List<Fact> draw(Random random, int n) {
        if (n > COLOURS.size() * PLACES.size()) throw new IllegalArgumentException("too many facts for one length: " + n);
        Set<String> names = new LinkedHashSet<>();
        Set<Integer> codes = new LinkedHashSet<>();
        List<Fact> out = new ArrayList<>();
        while (out.size() < n) {
            Fact f = new Fact(COLOURS.get(random.nextInt(COLOURS.size())), PLACES.get(random.nextInt(PLACES.size())), 1000 + random.nextInt(9000));
            String name = f.colour() + " " + f.place();
            if (names.contains(name) || codes.contains(f.code())) continue;
            names.add(name);
            codes.add(f.code());
            out.add(f);
        }
        return out;
    }

    /** The start of the sentence nearest to {@code depth} of the text (0: the very start, 1: after its end). */
    static int boundary(String text, double depth) {
        int target = (int) Math.round(depth * text.length());
        if (target <= 0) return 0;
        if (target >= text.length()) return text.length();
        for (int delta = 0; delta < text.length(); delta++) {
            for (int at : new int[] {target - delta, target + delta}) {
                if (at <= 0) return 0;
                if (at >= text.length()) return text.length();
                if (sentenceStartsAt(text, at)) return at;
            }
        }
        return text.length();
    }

    /** Whether a sentence starts at {@code at}: after a sentence's end (., !, ?, a closing quote) and white space. */
    static boolean sentenceStartsAt(String text, int at) {
        if (Character.isWhitespace(text.charAt(at))) return false;
        int i = at;
        while (i > 0 && Character.isWhitespace(text.charAt(i - 1))) i--;
        return i < at && sentenceEndsBefore(text, i);
    }

    /** Whether the text up to {@code end} ends a sentence: its last character is ., ! or ?, or a quote after one. */
    static boolean sentenceEndsBefore(String text, int end) {
        if (end <= 0 || end > text.length()) return false;
        char last = text.charAt(end - 1);
        if ((last == '"' || last == '\u201D' || last == '\'') && end >= 2) last = text.charAt(end - 2);
        return last == '.' || last == '!' || last == '?';
    }

    /** The text with each fact put at its place: a sentence of its own before the sentence there (after the last at the end). */
    private static String insert(String text, List<Placed> placed) {
        StringBuilder out = new StringBuilder(text);
        List<Placed> backwards = placed.stream().sorted(Comparator.comparingInt(Placed::at).thenComparingInt(Placed::order).reversed()).toList();
        for (Placed p : backwards) {
            if (p.at() >= text.length()) out.insert(p.at(), " " + p.fact().sentence());
            else out.insert(p.at(), p.fact().sentence() + " ");
        }
        return out.toString();
    }
}
