package dev.goldfinch.app.recall;

import java.util.List;
import java.util.Locale;

/**
 * What a grid says of a model. A length is <b>reliable</b> when at least 90% of the facts asked at it, over all its
 * depths, were recalled (9 of 10 depths; every depth when there are fewer than 10). The model is "reliable up to about
 * L tokens" for the longest length L checked that is reliable together with every shorter length checked; a length not
 * fully checked yet says nothing.
 */
public final class RecallVerdict {
    /** The share of facts recalled that makes a length reliable. */
    public static final double RELIABLE_SHARE = 0.9;

    private RecallVerdict() {
    }

    /** Whether a length whose cells recalled {@code recalled} of {@code asked} facts is reliable. */
    public static boolean reliable(int recalled, int asked) {
        return asked > 0 && recalled >= Math.ceil(RELIABLE_SHARE * asked - 1e-9);
    }

    /** One length's word: "reliable (10 of 10)", "unreliable (3 of 10)", "not checked (4 of 10 depths so far)". */
    public static String of(RecallGrid grid, int length) {
        RecallGrid.Tally t = grid.tally(length);
        if (t.scored() < grid.depths().size()) return String.format(Locale.ROOT, "not checked (%d of %d depths so far)", t.scored(), grid.depths().size());
        return (reliable(t.recalled(), t.asked()) ? "reliable" : "unreliable") + String.format(Locale.ROOT, " (%d of %d recalled)", t.recalled(), t.asked());
    }

    /** The model's: "reliable up to about 16k tokens", "not reliable at 1k tokens, the shortest length checked", … */
    public static String overall(RecallGrid grid) {
        List<Integer> lengths = grid.lengths();
        Integer upTo = null;
        for (int length : lengths) {
            RecallGrid.Tally t = grid.tally(length);
            if (t.scored() < grid.depths().size()) {
                return upTo == null ? "not checked yet" : "reliable up to about " + RecallPlan.label(upTo) + " tokens; "
                        + RecallPlan.label(length) + " not fully checked";
            }
            if (!reliable(t.recalled(), t.asked())) {
                return upTo == null ? "not reliable at " + RecallPlan.label(length) + " tokens, the shortest length checked"
                        : "reliable up to about " + RecallPlan.label(upTo) + " tokens";
            }
            upTo = length;
        }
        return upTo == null ? "not checked yet" : "reliable up to at least " + RecallPlan.label(upTo) + " tokens, the longest length checked";
    }
}
