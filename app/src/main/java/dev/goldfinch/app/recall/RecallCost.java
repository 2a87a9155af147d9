package dev.goldfinch.app.recall;

import dev.goldfinch.app.library.ReadingEstimate;
import java.util.List;

/**
 * What a recall check will read, said before it starts. Each depth is a document of its own, but the documents of a
 * length are the same text up to their asked fact: that beginning is read once (up to each fact in turn) and every
 * document is read on from there, so a length costs about its deepest shared beginning plus, for each depth, the rest
 * of its document after its fact. With depths spread from 0% to 100% that is a little over half of reading every
 * document from its first token. Answering adds a question and a short answer per document.
 *
 * @param tokens     document tokens the check reads
 * @param unshared   what reading every document from its first token would take
 * @param seconds    the time that takes at {@code pace}, answers included
 */
public record RecallCost(long tokens, long unshared, double seconds) {
    /** Tokens of a question and its answer, roughly: what each document adds after its reading. */
    static final int ANSWER_TOKENS = 16 + RecallCheck.ANSWER_LENGTH;

    public static RecallCost of(RecallPlan plan, ReadingEstimate pace) {
        long tokens = 0, unshared = 0;
        double seconds = 0;
        List<Double> depths = plan.depthShares();
        int k = depths.size();
        for (int length : plan.lengths()) {
            int trunk = k == 1 ? 0 : (int) Math.round(depths.get(k - 2) * length); // the last document starts where the one before it branched
            tokens += trunk;
            seconds += pace.seconds(0, trunk);
            for (int i = 0; i < k; i++) {
                int from = i == k - 1 ? trunk : (int) Math.round(depths.get(i) * length);
                tokens += length - from;
                seconds += pace.seconds(from, length) + pace.seconds(length, length + ANSWER_TOKENS);
                unshared += length;
            }
        }
        return new RecallCost(tokens, unshared, seconds);
    }
}
